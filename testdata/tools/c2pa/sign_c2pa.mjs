// Signs an image with a C2PA manifest using the independent TypeScript implementation @trustnxt/c2pa-ts
// (npm, Apache-2.0). Test fixtures only. Usage (from a folder where `npm install @trustnxt/c2pa-ts` was run):
//   node sign_c2pa.mjs IN OUT CERT.pem KEY.pk8.pem CA.pem [--der-ecdsa]
// c2pa-ts 0.9.4's LocalSigner puts ECDSA signatures into COSE in ASN.1 DER form; COSE (RFC 9053 §2.1) requires the
// raw r||s form, so by default this script converts them (c2pa-ts verifies both). --der-ecdsa keeps c2pa-ts's DER.
// The manifest has a c2pa.actions assertion (c2pa.created, digitalSourceType trainedAlgorithmicMedia) and a
// c2pa.hash.data hard binding.
import * as fs from 'node:fs/promises';
import { X509Certificate } from '@peculiar/x509';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { CoseAlgorithmIdentifier, LocalSigner } from '@trustnxt/c2pa-ts/cose';
import { ActionAssertion, DataHashAssertion, ManifestStore } from '@trustnxt/c2pa-ts/manifest';

const [input, output, certFile, keyFile, caFile] = process.argv.slice(2);
const pemBody = (pem) => new Uint8Array(Buffer.from(pem.replace(/-{5}(BEGIN|END) [^-]*-{5}/g, '').replace(/\s/g, ''), 'base64'));
const cert = new X509Certificate(await fs.readFile(certFile, 'utf8'));
const ca = new X509Certificate(await fs.readFile(caFile, 'utf8'));
const key = pemBody(await fs.readFile(keyFile, 'utf8'));
const local = new LocalSigner(key, CoseAlgorithmIdentifier.ES256, cert, [ca]);
const keepDer = process.argv.includes('--der-ecdsa');

// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } -> r||s, each left-padded to 32 bytes (P-256).
function derToRaw(der) {
    let p = 2 + (der[1] & 0x80 ? der[1] & 0x7f : 0);
    const out = new Uint8Array(64);
    for (let k = 0; k < 2; k++) {
        if (der[p] !== 0x02) throw new Error('not a DER ECDSA signature');
        const len = der[p + 1];
        let v = der.subarray(p + 2, p + 2 + len);
        while (v.length > 32 && v[0] === 0) v = v.subarray(1);
        out.set(v, 32 * k + 32 - v.length);
        p += 2 + len;
    }
    return out;
}
const signer = {
    algorithm: local.algorithm,
    certificate: local.certificate,
    chainCertificates: local.chainCertificates,
    sign: async (payload) => {
        const sig = await local.sign(payload);
        return keepDer || sig.length === 64 ? sig : derToRaw(sig);
    },
};

const buf = await fs.readFile(input);
const asset = JPEG.canRead(buf) ? new JPEG(buf) : PNG.canRead(buf) ? new PNG(buf) : null;
if (!asset) throw new Error('not a JPEG or PNG: ' + input);
const store = new ManifestStore();
const manifest = store.createManifest({
    assetFormat: JPEG.canRead(buf) ? 'image/jpeg' : 'image/png',
    instanceID: 'xmp:iid:aigcmark-fixture-' + output.replace(/.*\//, ''),
    defaultHashAlgorithm: 'SHA-256',
    signer,
});
manifest.claim.claimGeneratorName = 'aigcmark-fixture-maker';
manifest.claim.claimGeneratorVersion = '1.0';
const actions = new ActionAssertion();
actions.actions.push({
    action: 'c2pa.created',
    digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    softwareAgent: { name: 'aigcmark test generator', version: '1.0' },
});
manifest.addAssertion(actions);
const dataHash = DataHashAssertion.create('SHA-256');
manifest.addAssertion(dataHash);
await asset.ensureManifestSpace(store.measureSize());
await dataHash.updateWithAsset(asset);
await manifest.sign(signer);
await asset.writeManifestJUMBF(store.getBytes());
await fs.writeFile(output, await asset.getDataRange());
console.log('wrote', output, 'manifest', manifest.label);
