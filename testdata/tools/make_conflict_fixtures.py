#!/usr/bin/env python3
"""Files carrying two AIGC records that disagree (Label 3 and Label 1), each in both file orders, for the
verdict rule (Detector: signed-valid first, else the highest label, never file order). Derived from the
labeled/ fixtures; run from anywhere: python3 testdata/tools/make_conflict_fixtures.py. Needs exiftool."""
import json
import os
import shutil
import struct
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")
OUT = os.path.join(FIXTURES, "conflict")
CONFIG = os.path.join(HERE, "tc260.exiftool.config")

# A platform's record: the producer's fields kept, Label lowered to "3" (suspected), its own propagation fields.
LABEL3 = {"Label": "3", "ContentProducer": "001191110102MACQD9K64010000", "ProduceID": "doubao-20250901-0001",
          "ReservedCode1": "", "ContentPropagator": "001191330106MA2CFLDG4R20001", "PropagateID": "platform-3-0001",
          "ReservedCode2": ""}
WRAPPED3 = json.dumps({"AIGC": LABEL3}, separators=(",", ":"))


def jpeg_segments(data):
    assert data[:2] == b"\xff\xd8"
    pos, segs = 2, []
    while data[pos + 1] != 0xDA:
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segs.append(data[pos:pos + 2 + length])
        pos += 2 + length
    return segs, data[pos:]


def is_exif(seg):
    return seg[1] == 0xE1 and seg[4:10] == b"Exif\0\0"


def is_xmp(seg):
    return seg[1] == 0xE1 and seg[4:33] == b"http://ns.adobe.com/xap/1.0/\0"


def png_chunk(ctype, body):
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def png_chunks(data):
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append(data[pos:pos + 12 + length])
        pos += 12 + length
    return chunks


def main():
    os.makedirs(OUT, exist_ok=True)
    # JPEG: XMP TC260:AIGC Label 1 (labeled/xmp-element.jpg) plus EXIF UserComment Label 3. exiftool puts the
    # EXIF APP1 before the XMP APP1; the second file has the same two segments swapped.
    exif_first = os.path.join(OUT, "exif3-then-xmp1.jpg")
    shutil.copy(os.path.join(FIXTURES, "labeled", "xmp-element.jpg"), exif_first)
    subprocess.run(["exiftool", "-config", CONFIG, "-q", "-overwrite_original", f"-EXIF:UserComment={WRAPPED3}",
                    exif_first], check=True)
    data = open(exif_first, "rb").read()
    segs, rest = jpeg_segments(data)
    e = next(i for i, s in enumerate(segs) if is_exif(s))
    x = next(i for i, s in enumerate(segs) if is_xmp(s))
    assert e < x, "exiftool wrote EXIF after XMP"
    swapped = list(segs)
    swapped[e], swapped[x] = segs[x], segs[e]
    open(os.path.join(OUT, "xmp1-then-exif3.jpg"), "wb").write(b"\xff\xd8" + b"".join(swapped) + rest)

    # PNG: iTXt AIGC Label 1 (labeled/itxt-aigc-bare.png) plus tEXt AIGC Label 3, before it and after it.
    data = open(os.path.join(FIXTURES, "labeled", "itxt-aigc-bare.png"), "rb").read()
    chunks = png_chunks(data)
    i = next(k for k, c in enumerate(chunks) if c[4:8] == b"iTXt" and c[8:13] == b"AIGC\0")
    text3 = png_chunk(b"tEXt", b"AIGC\0" + WRAPPED3.encode("latin-1"))
    open(os.path.join(OUT, "text3-then-itxt1.png"), "wb").write(data[:8] + b"".join(chunks[:i] + [text3] + chunks[i:]))
    open(os.path.join(OUT, "itxt1-then-text3.png"), "wb").write(data[:8] + b"".join(chunks[:i + 1] + [text3] + chunks[i + 1:]))


if __name__ == "__main__":
    main()
