// Reads and validates a C2PA manifest with @trustnxt/c2pa-ts; prints the status codes. Usage: node verify_c2pa.mjs FILE
import * as fs from 'node:fs/promises';
import { BMFF, JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore, ValidationResult } from '@trustnxt/c2pa-ts/manifest';

// c2pa-ts 0.9.4 has no WebP asset: this minimal one walks the top-level RIFF chunks and hands the 'C2PA' chunk's
// data to c2pa-ts, whose own code then checks the signature, the assertions and the c2pa.hash.data binding.
class RiffWebP {
    static canRead(b) {
        return b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP';
    }
    constructor(b) { this.data = b; this.mimeType = 'image/webp'; }
    getDataLength() { return this.data.length; }
    async getDataRange(start, length) {
        const s = start ?? 0;
        return new Uint8Array(this.data.subarray(s, length === undefined ? undefined : s + length));
    }
    getManifestJUMBF() {
        for (let p = 12; p + 8 <= this.data.length;) {
            const len = this.data.readUInt32LE(p + 4);
            if (this.data.toString('latin1', p, p + 4) === 'C2PA') return new Uint8Array(this.data.subarray(p + 8, p + 8 + len));
            p += 8 + len + (len & 1);
        }
        return undefined;
    }
    dumpInfo() { return 'RIFF/WebP'; }
}

// c2pa-ts 0.9.4 opens ISO BMFF files only when their ftyp names a HEIF brand (heic, mif1). MP4 and MOV are the same
// box format, and its BMFF asset class and c2pa.hash.bmff.v2/v3 check are format-neutral, so the usual MP4/QuickTime
// brands are added to that list; box walking, the C2PA box and the hash are then c2pa-ts's own code.
for (const brand of ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4A ', 'qt  ']) BMFF.canReadBrands.add(brand);

const buf = await fs.readFile(process.argv[2]);
const asset = JPEG.canRead(buf) ? new JPEG(buf) : RiffWebP.canRead(buf) ? new RiffWebP(buf)
    : BMFF.canRead(buf) ? new BMFF(buf) : new PNG(buf);
let result;
try {
    const store = ManifestStore.read(SuperBox.fromBuffer(asset.getManifestJUMBF()));
    result = await store.validate(asset);
} catch (e) {
    result = ValidationResult.fromError(e);
}
for (const s of result.statusEntries) console.log(s.success ? 'ok  ' : 'FAIL', s.code, s.url ?? '', s.explanation ?? '');
console.log('isValid', result.isValid);
