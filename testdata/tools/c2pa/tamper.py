#!/usr/bin/python3
"""Makes the two broken C2PA fixtures from a good signed file (test-only).

  tamper.py pixels IN OUT   flips one byte of image data outside the manifest -> the c2pa.hash.data binding fails
  tamper.py claim  IN OUT   changes the claim generator name inside the signed claim -> the COSE signature fails
"""
import struct
import sys
import zlib

mode, src, dst = sys.argv[1:4]
data = bytearray(open(src, "rb").read())
if mode == "claim":
    old, new = b"aigcmark-fixture-maker", b"aigcmark-fixture-FAKER"
    assert old in data, "the claim generator name is not in the file"  # first hit: claim_generator
    i = data.index(old)
    data[i:i + len(old)] = new
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        # Keep the PNG well-formed (fix the caBX chunk's CRC) so only the signature check can notice.
        p = 8
        while p < len(data):
            n = struct.unpack(">I", data[p:p + 4])[0]
            if p + 8 <= i < p + 8 + n:
                data[p + 8 + n:p + 12 + n] = struct.pack(">I", zlib.crc32(data[p + 4:p + 8 + n]) & 0xFFFFFFFF)
            p += 12 + n
elif mode == "pixels" and data[:2] == b"\xff\xd8":
    # Entropy-coded data ends just before EOI; flip a byte a little before it (not 0xFF, so no marker appears).
    i = len(data) - 40
    while data[i] == 0xFF or data[i - 1] == 0xFF or (data[i] ^ 0x01) == 0xFF:
        i -= 1
    data[i] ^= 0x01
elif mode == "pixels" and data[:8] == b"\x89PNG\r\n\x1a\n":
    # Change one byte in the last IDAT's zlib stream, then fix its CRC so the file stays a well-formed PNG.
    p, last = 8, None
    while p < len(data):
        n, t = struct.unpack(">I4s", data[p:p + 8])
        if t == b"IDAT":
            last = (p, n)
        p += 12 + n
    p, n = last
    i = p + 8 + n // 2
    data[i] ^= 0x01
    crc = zlib.crc32(data[p + 4:p + 8 + n]) & 0xFFFFFFFF
    data[p + 8 + n:p + 12 + n] = struct.pack(">I", crc)
else:
    sys.exit("usage: tamper.py pixels|claim IN OUT")
open(dst, "wb").write(data)
