#!/bin/sh
# Makes a TEST-ONLY ES256 chain (root CA -> signer) for the C2PA fixtures. Never trust these anywhere else.
# Usage: make_certs.sh OUTDIR   (writes test-root-ca.pem, test-signer.pem, test-signer.key [PKCS#8], test-other-ca.pem)
set -eu
out=${1:?outdir}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/ca.ext" <<X
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
X
cat > "$tmp/signer.ext" <<X
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=emailProtection
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
X
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -new -x509 -key "$tmp/ca.key" -sha256 -days 7300 -subj "/CN=aigcmark TEST root CA/O=aigcmark test fixtures" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/test-root-ca.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/signer.ec"
openssl pkcs8 -topk8 -nocrypt -in "$tmp/signer.ec" -out "$out/test-signer.key"
openssl req -new -key "$out/test-signer.key" -subj "/CN=aigcmark TEST C2PA signer/O=aigcmark test fixtures" -out "$tmp/signer.csr"
openssl x509 -req -in "$tmp/signer.csr" -CA "$out/test-root-ca.pem" -CAkey "$tmp/ca.key" -set_serial 0x2c2a \
  -days 7300 -sha256 -extfile "$tmp/signer.ext" -out "$out/test-signer.pem"
# An unrelated CA, to show that a chain to the wrong anchor is "untrusted".
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/other.key"
openssl req -new -x509 -key "$tmp/other.key" -sha256 -days 7300 -subj "/CN=aigcmark TEST unrelated CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/test-other-ca.pem"
