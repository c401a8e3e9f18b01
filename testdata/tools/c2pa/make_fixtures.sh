#!/bin/sh
# Rebuilds testdata/fixtures/c2pa/ (test-only certificates and signed images). Needs openssl, ImageMagick,
# node + npm (network to the npm registry once), /usr/bin/python3. Run from the repository root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=testdata/fixtures/c2pa
work=${C2PA_TS_DIR:-/tmp/c2pats}
mkdir -p "$work" "$out"
[ -d "$work/node_modules/@trustnxt/c2pa-ts" ] || (cd "$work" && npm init -y >/dev/null && npm install @trustnxt/c2pa-ts@0.9.4)
cp "$here/sign_c2pa.mjs" "$here/verify_c2pa.mjs" "$work/"
"$here/make_certs.sh" "$out"
convert testdata/fixtures/jpeg/plain.jpg -resize 320x -quality 85 "$work/in.jpg"
convert testdata/fixtures/jpeg/plain.jpg -resize 160x "$work/in.png"
for ext in jpg png; do
  (cd "$work" && node sign_c2pa.mjs in.$ext "$OLDPWD/$out/signed.$ext" "$OLDPWD/$out/test-signer.pem" \
      "$OLDPWD/$out/test-signer.key" "$OLDPWD/$out/test-root-ca.pem")
  /usr/bin/python3 "$here/tamper.py" pixels "$out/signed.$ext" "$out/tampered-pixels.$ext"
  /usr/bin/python3 "$here/tamper.py" claim "$out/signed.$ext" "$out/tampered-claim.$ext"
  for f in signed tampered-pixels tampered-claim; do
    echo "== c2pa-ts on $f.$ext"; (cd "$work" && node verify_c2pa.mjs "$OLDPWD/$out/$f.$ext")
  done
done
# c2pa-ts's own (DER) ECDSA encoding, kept to show that such files are accepted and flagged.
(cd "$work" && node sign_c2pa.mjs in.jpg "$OLDPWD/$out/signed-der-ecdsa.jpg" "$OLDPWD/$out/test-signer.pem" \
    "$OLDPWD/$out/test-signer.key" "$OLDPWD/$out/test-root-ca.pem" --der-ecdsa)
echo "== c2pa-ts on signed-der-ecdsa.jpg"; (cd "$work" && node verify_c2pa.mjs "$OLDPWD/$out/signed-der-ecdsa.jpg")
