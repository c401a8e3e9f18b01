// Reads and validates a C2PA manifest with @trustnxt/c2pa-ts; prints the status codes. Usage: node verify_c2pa.mjs FILE
import * as fs from 'node:fs/promises';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore, ValidationResult } from '@trustnxt/c2pa-ts/manifest';

const buf = await fs.readFile(process.argv[2]);
const asset = JPEG.canRead(buf) ? new JPEG(buf) : new PNG(buf);
let result;
try {
    const store = ManifestStore.read(SuperBox.fromBuffer(asset.getManifestJUMBF()));
    result = await store.validate(asset);
} catch (e) {
    result = ValidationResult.fromError(e);
}
for (const s of result.statusEntries) console.log(s.success ? 'ok  ' : 'FAIL', s.code, s.url ?? '', s.explanation ?? '');
console.log('isValid', result.isValid);
