#!/usr/bin/python3
"""Builds testdata/conformance/: small files, each one GB 45438-2025 label variant or edge case.

The containers are assembled byte by byte from the tiny media in testdata/tools/conformance-base/ (made once by
the commands in testdata/conformance/README.md); only the Matroska and Ogg/Opus cases are muxed by ffmpeg (stream
copy of those bases, -fflags +bitexact). Nothing here uses aigcmark, so other implementations can trust the
inputs. The expected inspect output beside each file is recorded by the JUnit ConformanceCorpusTest, not here.

Run from the repository root:  /usr/bin/python3 testdata/tools/make_conformance.py
Two runs give byte-identical files. The CASES list (name -> what it tests) is written to cases.tsv, which the
README's table is made from.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = os.path.join(ROOT, "testdata", "tools", "conformance-base")
OUT = os.path.join(ROOT, "testdata", "conformance")
CASES = []  # (relative path, description)

CODE = "001191110102MACQD9K64010000"  # Doubao's provider code, as found in its files
STD = [("Label", "1"), ("ContentProducer", CODE), ("ProduceID", "conf-0001"), ("ReservedCode1", ""),
       ("ContentPropagator", CODE), ("PropagateID", "conf-0001"), ("ReservedCode2", "")]


def obj(pairs):
    """A JSON object from (key, value) pairs, keeping order and duplicates; a value may be raw JSON via Raw."""
    parts = []
    for k, v in pairs:
        parts.append(json.dumps(k, ensure_ascii=False) + ":" + (v.text if isinstance(v, Raw) else json.dumps(v, ensure_ascii=False)))
    return "{" + ",".join(parts) + "}"


class Raw:
    def __init__(self, text):
        self.text = text


def std(**changes):
    return [(k, changes.get(k, v)) for k, v in STD]


def replace_key(old, new):
    return [(new if k == old else k, v) for k, v in STD]


BARE = obj(STD)

# Record texts: (name, text, what it tests). Each goes into every "matrix" slot below.
PAYLOADS = [
    ("valid-bare", BARE, "the bare Annex E object, all seven keys in order, values in the Annex E charset"),
    ("valid-wrapped-template", '{"AIGC": ' + BARE + "}", "the wrapped form exactly as the Annex E b) template prints it (a space after the colon)"),
    ("valid-wrapped-compact", '{"AIGC":' + BARE + "}", "the wrapped form without spaces"),
    ("valid-first-write-empty-propagation", obj(std(ContentPropagator="", PropagateID="")), "a producer's first write leaving the propagation fields empty (legal for a reader)"),
    ("valid-label2-platform", obj(std(Label="2", ContentProducer="", ProduceID="", PropagateID="plat-0002")), "a platform's Label 2 record (user declared AI): no producer fields, propagation fields set"),
    ("valid-label3-platform", obj(std(Label="3", ContentProducer="", ProduceID="", PropagateID="plat-0003")), "a platform's Label 3 record (suspected): no producer fields"),
    ("valid-reservedcode1-hex", obj(std(ReservedCode1="e862483430d978cbf828b8b24296ef9328d843a0")), "ReservedCode1 holding the Annex F.4 example digest (not a signature aigcmark can check)"),
    ("label-number", obj(std(Label=Raw("1"))), "Label written as the JSON number 1 instead of the string \"1\""),
    ("label-out-of-range", obj(std(Label="4")), "Label \"4\", outside 1/2/3"),
    ("label-empty", obj(std(Label="")), "Label empty"),
    ("label-boolean", obj(std(Label=Raw("true"))), "Label written as JSON true"),
    ("charset-space", obj(std(ProduceID="conf 0001")), "a space inside ProduceID (outside the Annex E charset)"),
    ("charset-chinese", obj(std(ContentProducer="腾讯云", ContentPropagator="腾讯云")), "a company name in Chinese instead of a code (outside the charset)"),
    ("charset-escaped-quote", obj(std(ProduceID='conf"0001')), "a JSON-escaped quote inside ProduceID"),
    ("charset-backslash", obj(std(ProduceID="conf\\0001")), "a backslash inside ProduceID"),
    ("charset-control", obj(std(ProduceID="conf\u00010001")), "a control character (U+0001, JSON-escaped) inside ProduceID"),
    ("wrong-key-ReserveCode1", replace_key("ReservedCode1", "ReserveCode1"), "ReserveCode1 instead of ReservedCode1 (a misspelling seen in guides)"),
    ("wrong-key-Propagator", replace_key("ContentPropagator", "Propagator"), "Propagator instead of ContentPropagator"),
    ("wrong-key-lowercase", replace_key("ContentProducer", "contentproducer"), "a key in the wrong case (keys are case-sensitive)"),
    ("wrong-key-ProduceId", replace_key("ProduceID", "ProduceId"), "ProduceId instead of ProduceID"),
    ("duplicate-key", STD[:1] + [("Label", "3")] + STD[1:], "the Label key twice (\"1\" then \"3\")"),
    ("missing-all-but-label", [("Label", "1")], "only the Label key"),
    ("missing-reserved-keys", [p for p in STD if not p[0].startswith("Reserved")], "the two optional ReservedCode keys left out"),
    ("keys-reversed", list(reversed(STD)), "all seven keys in reverse order"),
    ("extra-key", STD + [("Model", "demo-model-1")], "an eighth key the standard does not have"),
    ("truncated", BARE[:90], "the JSON cut in the middle of a value"),
    ("wrapped-in-other-key", '{"metadata":{"AIGC":' + BARE + "}}", "the wrapped record nested one level deeper, under another key"),
    ("wrapper-with-sibling", '{"AIGC":' + BARE + ',"version":"1.0"}', "a key beside AIGC in the wrapper"),
    ("escaped-json-string", json.dumps(BARE), "the record serialised twice: a JSON string holding the JSON"),
    ("empty-fields", obj([(k, "") for k, _ in STD]), "all seven keys present, all values empty"),
    ("over-long-produceid", obj(std(ProduceID="x" * 2100)), "ProduceID of 2100 characters (Tencent's API caps values at 2048)"),
    ("bom-before-json", "\ufeff" + BARE, "a UTF-8 byte order mark before the object"),
    ("prefix-aigc-equals", "AIGC=" + BARE, "the object after an AIGC= prefix"),
    ("prefix-aigc-glued", "AIGC" + BARE, "the object glued to the word AIGC (seen in JPEG APP segments)"),
    ("pretty-printed", json.dumps({"AIGC": dict(STD)}, indent=2), "the wrapped record pretty-printed over several lines"),
    ("null-value", obj(std(ProduceID=Raw("null"))), "ProduceID null"),
    ("object-value", obj(std(ReservedCode1=Raw('{"sig":"abc"}'))), "ReservedCode1 an object instead of a string"),
    ("text-after-object", BARE + " trailing", "text after the closing brace"),
    ("producer-name", obj(std(ContentProducer="doubao", ContentPropagator="doubao")), "a bare product name instead of a 27-character provider code"),
    ("producer-checksum-invalid", obj(std(ContentProducer="001191110102MACQD9K64110000", ContentPropagator="001191110102MACQD9K64110000")), "a provider code whose unified social credit code fails the GB 32100-2015 check character"),
    ("producer-unlisted", obj(std(ContentProducer="001191330106MA2CFLDG4R10001", ContentPropagator="001191330106MA2CFLDG4R10001")), "a valid provider code that is not in aigcmark's public table"),
    ("propagator-differs", obj(std(ContentPropagator="00119144030008867405X220002", PropagateID="plat-0009")), "a platform's propagation fields after the producer's (two codes)"),
    ("tencent-schema", '{"AIGC":{"ServiceProvider":"腾讯云","ServiceUser":"1379431822","Time":"2026-06-30 23:54:50.067","ContentId":"a284dd3d-15ae-4cce-b2dd-010be84921df"}}', "Tencent Cloud's ServiceProvider/ServiceUser schema instead of Annex E"),
    ("not-json", "AI generated by demo", "plain text where the record should be"),
    ("json-array", "[" + BARE + "]", "the record inside a JSON array"),
    ("no-annex-e-keys", '{"prompt":"a cat","seed":"42"}', "a JSON object with none of the Annex E keys"),
]


PAYLOADS = [(n, obj(t) if isinstance(t, list) else t, w) for n, t, w in PAYLOADS]


def payload(name):
    return next(text for n, text, _ in PAYLOADS if n == name)


def put(rel, data, what):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    CASES.append((rel, what))


def base(name):
    with open(os.path.join(BASE, name), "rb") as f:
        return f.read()


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


TC260 = "http://www.tc260.org.cn/ns/AIGC/1.0/"


def xmp_packet(text=None, attribute=None, extra=""):
    body = ""
    attr = ""
    if text is not None:
        body = "<TC260:AIGC>" + xml_escape(text) + "</TC260:AIGC>"
    if attribute is not None:
        attr = ' TC260:AIGC="' + xml_escape(attribute) + '"'
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:TC260="' + TC260 + '"' + attr + ">" + body + extra
            + "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>").encode("utf-8")


# ------------------------------------------------------------------ JPEG

def jpeg_with(*segments):
    b = base("tiny.jpg")
    return b[:2] + b"".join(segments) + b[2:]


def seg(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def app1_xmp(packet):
    return seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet)


def tiff_ifd0(entries, little=True):
    """A TIFF structure with IFD0 holding (tag, type, bytes) entries; an Exif IFD entry is made for tag 0x9286."""
    e = "<" if little else ">"
    head = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, 8)
    ifd0 = [x for x in entries if x[0] != 0x9286]
    exif = [x for x in entries if x[0] == 0x9286]
    n0 = len(ifd0) + (1 if exif else 0)
    ifd0_size = 2 + 12 * n0 + 4
    exif_off = 8 + ifd0_size
    exif_size = (2 + 12 * len(exif) + 4) if exif else 0
    data_off = exif_off + exif_size
    data = b""
    out_entries = []

    def entry(tag, typ, value, at_data):
        nonlocal data
        count = len(value) // {3: 2, 4: 4}.get(typ, 1)
        if len(value) <= 4:
            return struct.pack(e + "HHI", tag, typ, count) + value.ljust(4, b"\0")
        off = at_data + len(data)
        data += value + (b"\0" if len(value) % 2 else b"")
        return struct.pack(e + "HHII", tag, typ, count, off)

    for tag, typ, value in sorted(ifd0):
        out_entries.append(entry(tag, typ, value, data_off))
    if exif:
        out_entries.append(struct.pack(e + "HHII", 0x8769, 4, 1, exif_off))
    out_entries.sort(key=lambda x: struct.unpack(e + "H", x[:2])[0])
    ifd = struct.pack(e + "H", n0) + b"".join(out_entries) + struct.pack(e + "I", 0)
    exif_ifd = b""
    if exif:
        exif_ifd = struct.pack(e + "H", len(exif)) + b"".join(entry(t, ty, v, data_off) for t, ty, v in exif) + struct.pack(e + "I", 0)
    return head + ifd + exif_ifd + data


def app1_exif(entries, little=True):
    return seg(0xE1, b"Exif\0\0" + tiff_ifd0(entries, little))


def ascii_value(s):
    return s.encode("utf-8") + b"\0"


def user_comment(s, charset=b"ASCII\0\0\0", enc="utf-8"):
    return charset + s.encode(enc)


# ------------------------------------------------------------------ PNG

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png():
    raw = b"".join(b"\0" + b"\x80" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))


def png_with(*chunks, after_idat=()):
    p = tiny_png()
    ihdr_end = 8 + 25
    iend = p.rindex(b"IEND") - 4
    return p[:ihdr_end] + b"".join(chunks) + p[ihdr_end:iend] + b"".join(after_idat) + p[iend:]


def itxt(keyword, text, compressed=False):
    t = text.encode("utf-8")
    if compressed:
        t = zlib.compress(t, 9)
    return png_chunk(b"iTXt", keyword.encode("latin-1") + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0" + t)


def text_chunk(keyword, text):
    return png_chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1", "replace"))


def ztxt(keyword, text):
    return png_chunk(b"zTXt", keyword.encode("latin-1") + b"\0\0" + zlib.compress(text.encode("latin-1"), 9))


# ------------------------------------------------------------------ WebP (VP8L 1x1, built here)

VP8L_1X1 = bytes.fromhex("2f000000000750bffad5afff8188e87f00")  # cwebp -lossless of a 1x1 grey PNG


def riff_chunk(cid, data):
    return cid + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def webp(*chunks, xmp=None, flags_extra=0):
    flags = (0x04 if xmp is not None else 0) | flags_extra
    vp8x = riff_chunk(b"VP8X", bytes([flags, 0, 0, 0]) + (0).to_bytes(3, "little") + (0).to_bytes(3, "little"))
    body = b"WEBP" + vp8x + riff_chunk(b"VP8L", VP8L_1X1) + b"".join(chunks)
    if xmp is not None:
        body += riff_chunk(b"XMP ", xmp)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# ------------------------------------------------------------------ GIF (1x1, built here)

def gif(*extensions):
    head = b"GIF89a" + struct.pack("<HH", 1, 1) + b"\x80\x00\x00" + b"\x80\x80\x80\x00\x00\x00"
    image = b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x00" + b"\x02\x02\x44\x01\x00"
    return head + b"".join(extensions) + image + b"\x3b"


def gif_sub_blocks(data):
    out = b""
    for i in range(0, len(data), 255):
        part = data[i:i + 255]
        out += bytes([len(part)]) + part
    return out + b"\0"


def gif_xmp(packet):
    magic = bytes([1]) + bytes(range(255, -1, -1)) + b"\0"  # the XMP "magic trailer" (258 bytes, XMP spec part 3)
    return b"\x21\xff\x0bXMP DataXMP" + packet + magic


def gif_comment(text):
    return b"\x21\xfe" + gif_sub_blocks(text.encode("utf-8"))


# ------------------------------------------------------------------ TIFF (8x8 grey, built here)

def tiff(entries):
    pixels = b"\x80" * 64
    base_entries = [(0x100, 3, struct.pack("<H", 8)), (0x101, 3, struct.pack("<H", 8)), (0x102, 3, struct.pack("<H", 8)),
                    (0x103, 3, struct.pack("<H", 1)), (0x106, 3, struct.pack("<H", 1)), (0x115, 3, struct.pack("<H", 1)),
                    (0x116, 3, struct.pack("<H", 8)), (0x117, 4, struct.pack("<I", 64))]
    # StripOffsets points after the whole structure: placeholder first, patched below.
    all_entries = base_entries + [(0x111, 4, struct.pack("<I", 0))] + entries
    t = bytearray(tiff_ifd0(all_entries))
    strip = len(t)
    n = struct.unpack("<H", t[8:10])[0]
    for i in range(n):
        p = 10 + 12 * i
        if struct.unpack("<H", t[p:p + 2])[0] == 0x111:
            t[p + 8:p + 12] = struct.pack("<I", strip)
    return bytes(t) + pixels


# ------------------------------------------------------------------ ISO BMFF

def box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full_box(kind, payload, version=0, flags=0):
    return box(kind, bytes([version]) + flags.to_bytes(3, "big") + payload)


def top_boxes(b):
    out = []
    p = 0
    while p + 8 <= len(b):
        size, kind = struct.unpack(">I4s", b[p:p + 8])
        out.append((kind, b[p:p + size]))
        p += size
    return out


def data_box(text, type_code=1):
    return box(b"data", struct.pack(">II", type_code, 0) + text.encode("utf-8"))


def mdta_meta(items, quicktime=False):
    """meta (hdlr mdta) with keys and ilst; items = [(key, text)]."""
    hdlr = full_box(b"hdlr", b"\0\0\0\0mdta" + b"\0" * 12 + b"\0")
    keys = full_box(b"keys", struct.pack(">I", len(items)) + b"".join(
        struct.pack(">I", 8 + len(k.encode())) + b"mdta" + k.encode() for k, _ in items))
    ilst = box(b"ilst", b"".join(box(struct.pack(">I", i + 1), data_box(t)) for i, (_, t) in enumerate(items)))
    if quicktime:
        return box(b"meta", hdlr + keys + ilst)  # QuickTime form: no version/flags
    return full_box(b"meta", hdlr + keys + ilst)


def mdir_meta(items):
    """meta (hdlr mdir, iTunes) with ilst items [(four-char type, text)] and '----' freeform items."""
    hdlr = full_box(b"hdlr", b"\0\0\0\0mdirappl" + b"\0" * 8 + b"\0")
    kids = b""
    for kind, text in items:
        if kind.startswith("----:"):
            name = kind[5:]
            kids += box(b"----", full_box(b"mean", b"com.apple.iTunes") + full_box(b"name", name.encode()) + data_box(text))
        else:
            kids += box(kind.encode("latin-1"), data_box(text))
    return full_box(b"meta", hdlr + box(b"ilst", kids))


def qt_string(kind, text):
    """QuickTime user-data text atom (©cmt): 16-bit length, 16-bit language, the text."""
    t = text.encode("utf-8")
    return box(kind.encode("latin-1"), struct.pack(">HH", len(t), 0x55C4) + t)


XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def mp4_with(udta=b"", moov_extra=b"", after=b"", name="tiny.mp4"):
    """The base movie (moov last, so growing it moves no media) with boxes added to moov and after it."""
    out = b""
    for kind, data in top_boxes(base(name)):
        if kind == b"moov":
            inner = data[8:] + moov_extra + (box(b"udta", udta) if udta else b"")
            data = box(b"moov", inner)
        out += data
    return out + after


# ------------------------------------------------------------------ audio

def wav(*chunks, info=None):
    frames = b"".join(struct.pack("<h", (i * 397) % 2000 - 1000) for i in range(80))
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + riff_chunk(b"fmt ", fmt) + riff_chunk(b"data", frames)
    if info is not None:
        body += riff_chunk(b"LIST", b"INFO" + b"".join(riff_chunk(k, v) for k, v in info))
    body += b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def id3(frames, version=3):
    body = b""
    for fid, payload in frames:
        size = syncsafe(len(payload)) if version == 4 else struct.pack(">I", len(payload))
        body += fid + size + b"\0\0" + payload
    return b"ID3" + bytes([version, 0, 0]) + syncsafe(len(body)) + body


def txxx(desc, value, encoding=3):
    if encoding == 1:
        return b"TXXX", b"\x01" + "\ufeff".encode("utf-16-le") + desc.encode("utf-16-le") + b"\0\0" + b"\xff\xfe" + value.encode("utf-16-le")
    return b"TXXX", bytes([encoding]) + desc.encode("utf-8") + b"\0" + value.encode("utf-8")


def comm(value):
    return b"COMM", b"\x03eng\0" + value.encode("utf-8")


def mp3(frames, version=3):
    return id3(frames, version) + base("tiny.mp3")


def vorbis_comment_block(comments):
    vendor = b"conformance"
    body = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(comments))
    for c in comments:
        e = c.encode("utf-8")
        body += struct.pack("<I", len(e)) + e
    return body


def flac(comments):
    b = base("tiny.flac")
    p = 4
    blocks = []
    while True:
        h = b[p]
        size = int.from_bytes(b[p + 1:p + 4], "big")
        kind = h & 0x7F
        if kind not in (1, 4):  # drop the padding and ffmpeg's own comment block
            blocks.append((kind, b[p + 4:p + 4 + size]))
        p += 4 + size
        if h & 0x80:
            break
    if comments is not None:
        blocks.insert(1, (4, vorbis_comment_block(comments)))
    out = b"fLaC"
    for i, (kind, data) in enumerate(blocks):
        last = 0x80 if i == len(blocks) - 1 else 0
        out += bytes([kind | last]) + len(data).to_bytes(3, "big") + data
    return out + b[p:]


def ffmpeg_copy(src, ext, metadata):
    tmp = os.path.join(OUT, ".tmp." + ext)
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", os.path.join(BASE, src), "-c", "copy",
            "-map_metadata", "-1", "-fflags", "+bitexact"]
    for k, v in metadata:
        args += ["-metadata", k + "=" + v]
    subprocess.run(args + [tmp], check=True)
    with open(tmp, "rb") as f:
        data = f.read()
    os.remove(tmp)
    return data


# ------------------------------------------------------------------ PDF, OOXML, text

def pdf_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf(info_entries):
    """A one-page PDF whose Info dictionary holds info_entries (raw PDF object text per key)."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
            "<< " + " ".join("/" + k + " " + v for k, v in info_entries) + " >>"]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += ("%d 0 obj\n" % (i + 1)).encode() + o.encode("latin-1") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def pdf_utf16(s):
    return "<FEFF" + s.encode("utf-16-be").hex().upper() + ">"


OOXML = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>conformance</w:t></w:r></w:p></w:body></w:document>'),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'),
    "pptx": ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
             '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'),
}


def ooxml(kind, properties):
    """A minimal OOXML package; properties = [(name, value)] in docProps/custom.xml, or None for no custom part."""
    main, ctype, rel, xml = OOXML[kind]
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/' + main + '" ContentType="' + ctype + '"/>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="' + rel + '" Target="' + main + '"/>')
    files = [(main, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)]
    if properties is not None:
        ct += '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
        rels += ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" '
                 'Target="docProps/custom.xml"/>')
        props = "".join('<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="%d" name="%s"><vt:lpwstr>%s</vt:lpwstr></property>'
                        % (i + 2, xml_escape(n), xml_escape(v)) for i, (n, v) in enumerate(properties))
        files.append(("docProps/custom.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
                      'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                      'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">' + props + "</Properties>"))
    files = [("[Content_Types].xml", ct + "</Types>"), ("_rels/.rels", rels + "</Relationships>")] + files
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2025, 9, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def front_matter_block(pairs):
    return "AIGC:\n" + "".join("    %s: %s\n" % (k, json.dumps(v, ensure_ascii=False)) for k, v in pairs)


def markdown(front, body="# Conformance\n\nSome text.\n"):
    return ("---\n" + front + "---\n\n" + body).encode("utf-8")


# ------------------------------------------------------------------ the corpus

def build():
    # inputs are rebuilt; the recorded NAME.expected.json files are kept (the JUnit test flags any left without input)
    for d, _, files in os.walk(OUT):
        for name in files:
            if d != OUT and not name.endswith(".expected.json"):
                os.remove(os.path.join(d, name))
    # the matrix: every record text in five slots of five containers
    for name, text, what in PAYLOADS:
        put("matrix/jpeg-xmp/" + name + ".jpg", jpeg_with(app1_xmp(xmp_packet(text))), "JPEG APP1 XMP TC260:AIGC element: " + what)
        put("matrix/png-itxt/" + name + ".png", png_with(itxt("AIGC", text)), "PNG iTXt keyword AIGC (UTF-8): " + what)
        put("matrix/mp4-mdta/" + name + ".mp4", mp4_with(udta=mdta_meta([("AIGC", text)])), "MP4 moov/udta/meta hdlr mdta, key AIGC: " + what)
        put("matrix/wav-chunk/" + name + ".wav", wav(riff_chunk(b"AIGC", text.encode("utf-8"))), "WAV RIFF chunk AIGC: " + what)
        put("matrix/mp3-txxx/" + name + ".mp3", mp3([txxx("AIGC", text)]), "MP3 ID3v2.3 TXXX description AIGC: " + what)
    wrapped = '{"AIGC":' + BARE + "}"
    bad = obj(std(ProduceID="conf 0001"))
    trunc = BARE[:90]

    # JPEG slots and layouts
    put("jpeg/xmp-attribute.jpg", jpeg_with(app1_xmp(xmp_packet(attribute=BARE))), "XMP attribute form TC260:AIGC=\"...\" (PicWish style)")
    put("jpeg/xmp-raw-quotes.jpg", jpeg_with(app1_xmp(xmp_packet().replace(b"</rdf:Description>", b"<TC260:AIGC>" + BARE.encode() + b"</TC260:AIGC></rdf:Description>"))), "XMP element with unescaped quotes (legal XML text)")
    put("jpeg/xmp-cdata.jpg", jpeg_with(app1_xmp(xmp_packet().replace(b"</rdf:Description>", b"<TC260:AIGC><![CDATA[" + BARE.encode() + b"]]></TC260:AIGC></rdf:Description>"))), "XMP element holding the record in a CDATA section")
    put("jpeg/xmp-other-namespace.jpg", jpeg_with(app1_xmp(xmp_packet(extra='<my:AIGC xmlns:my="http://example.com/ns/my/1.0/">' + xml_escape(BARE) + "</my:AIGC>"))), "an AIGC property in a namespace other than TC260's")
    put("jpeg/xmp-wrong-namespace-uri.jpg", jpeg_with(app1_xmp(xmp_packet(BARE).replace(TC260.encode(), b"http://www.tc260.org.cn/ns/AIGC/2.0/"))), "the TC260 prefix bound to a different namespace URI (version 2.0)")
    put("jpeg/xmp-malformed.jpg", jpeg_with(app1_xmp(xmp_packet(BARE)[:-60])), "an XMP packet cut short (not well-formed XML)")
    put("jpeg/exif-usercomment-ascii.jpg", jpeg_with(app1_exif([(0x9286, 7, user_comment(wrapped))])), "EXIF UserComment, ASCII charset prefix, wrapped record")
    put("jpeg/exif-usercomment-unicode.jpg", jpeg_with(app1_exif([(0x9286, 7, user_comment(wrapped, b"UNICODE\0", "utf-16-be"))], little=False)), "EXIF UserComment, UNICODE (UTF-16BE) charset prefix, big-endian TIFF")
    put("jpeg/exif-usercomment-unicode-le.jpg", jpeg_with(app1_exif([(0x9286, 7, user_comment(wrapped, b"UNICODE\0", "utf-16-le"))])), "EXIF UserComment, UNICODE prefix but little-endian UTF-16 (seen in the wild)")
    put("jpeg/exif-imagedescription-bare.jpg", jpeg_with(app1_exif([(0x10E, 2, ascii_value(BARE))])), "EXIF ImageDescription, bare record")
    put("jpeg/exif-imagedescription-tencent.jpg", jpeg_with(app1_exif([(0x10E, 2, ascii_value(payload("tencent-schema")))])), "EXIF ImageDescription, Tencent Cloud's ServiceProvider/ServiceUser schema")
    put("jpeg/exif-software-only.jpg", jpeg_with(app1_exif([(0x131, 2, ascii_value("Stable Diffusion"))])), "no record; EXIF Software names a generator (a hint, not a label)")
    put("jpeg/com-blob.jpg", jpeg_with(seg(0xFE, b"AIGC" + BARE.encode())), "COM segment holding AIGC{...}")
    put("jpeg/app10-blob.jpg", jpeg_with(seg(0xEA, b"AIGC" + BARE.encode())), "APP10 segment holding AIGC{...}")
    put("jpeg/two-records-agree.jpg", jpeg_with(app1_exif([(0x9286, 7, user_comment(wrapped))]), app1_xmp(xmp_packet(BARE))), "the same record in EXIF UserComment and XMP (two copies: §6.1 c)")
    put("jpeg/two-records-disagree.jpg", jpeg_with(app1_exif([(0x9286, 7, user_comment(obj(std(Label="3"))))]), app1_xmp(xmp_packet(BARE))), "Label 3 in EXIF, Label 1 in XMP")
    put("jpeg/two-xmp-packets.jpg", jpeg_with(app1_xmp(xmp_packet(BARE)), app1_xmp(xmp_packet(obj(std(ProduceID="conf-0002"))))), "two APP1 XMP segments, each with a record")
    put("jpeg/truncated-after-xmp.jpg", jpeg_with(app1_xmp(xmp_packet(BARE)))[:-40], "the record intact, the image data cut off")
    put("jpeg/no-record.jpg", base("tiny.jpg"), "no metadata at all")
    put("jpeg/xmp-invalid-charset.jpg", jpeg_with(app1_xmp(xmp_packet(bad))), "a space in ProduceID")

    # PNG slots
    put("png/xmp-itxt.png", png_with(itxt("XML:com.adobe.xmp", xmp_packet(BARE).decode("utf-8"))), "XMP in iTXt XML:com.adobe.xmp")
    put("png/text-aigc-wrapped.png", png_with(text_chunk("AIGC", wrapped)), "tEXt keyword AIGC, wrapped record")
    put("png/text-aigc-bare.png", png_with(text_chunk("AIGC", BARE)), "tEXt keyword AIGC, bare record")
    put("png/ztxt-aigc.png", png_with(ztxt("AIGC", BARE)), "zTXt (compressed) keyword AIGC")
    put("png/itxt-compressed.png", png_with(itxt("AIGC", BARE, compressed=True)), "iTXt keyword AIGC, compressed")
    put("png/text-keyword-lowercase.png", png_with(text_chunk("aigc", BARE)), "tEXt keyword aigc in lower case")
    put("png/text-keyword-contains-aigc.png", png_with(text_chunk("AIGC_Label", BARE)), "a keyword that contains AIGC (Annex E a: the name must contain AIGC)")
    put("png/text-other-keyword.png", png_with(text_chunk("Comment", BARE)), "the record under keyword Comment")
    put("png/text-after-idat.png", png_with(after_idat=[text_chunk("AIGC", BARE)]), "tEXt AIGC after the image data")
    put("png/text-bad-crc.png", png_with(text_chunk("AIGC", BARE)[:-4] + b"\0\0\0\0"), "tEXt AIGC whose CRC is wrong")
    put("png/two-records.png", png_with(itxt("XML:com.adobe.xmp", xmp_packet(BARE).decode()), text_chunk("AIGC", obj(std(ProduceID="conf-0002")))), "XMP and tEXt AIGC, different ProduceID")
    put("png/truncated.png", png_with(text_chunk("AIGC", BARE))[:-30], "the file cut inside IDAT")
    put("png/no-record.png", tiny_png(), "no metadata")
    put("png/text-invalid-charset.png", png_with(text_chunk("AIGC", bad)), "tEXt AIGC with a space in ProduceID")
    put("png/text-truncated-json.png", png_with(text_chunk("AIGC", trunc)), "tEXt AIGC whose JSON is cut")

    # WebP
    put("webp/xmp-bare.webp", webp(xmp=xmp_packet(BARE)), "VP8X + VP8L + XMP chunk, bare record")
    put("webp/xmp-wrapped.webp", webp(xmp=xmp_packet(wrapped)), "XMP chunk, wrapped record")
    put("webp/xmp-invalid-charset.webp", webp(xmp=xmp_packet(bad)), "XMP chunk, a space in ProduceID")
    put("webp/xmp-truncated-json.webp", webp(xmp=xmp_packet(trunc)), "XMP chunk, JSON cut")
    put("webp/xmp-flag-missing.webp", webp(riff_chunk(b"XMP ", xmp_packet(BARE))), "an XMP chunk although the VP8X flags say there is none")
    put("webp/aigc-chunk.webp", webp(riff_chunk(b"AIGC", BARE.encode())), "a RIFF chunk named AIGC")
    put("webp/no-record.webp", webp(), "no metadata")

    # GIF
    put("gif/xmp-bare.gif", gif(gif_xmp(xmp_packet(BARE))), "XMP application extension, bare record")
    put("gif/xmp-wrapped.gif", gif(gif_xmp(xmp_packet(wrapped))), "XMP application extension, wrapped record")
    put("gif/comment-bare.gif", gif(gif_comment(BARE)), "comment extension holding the bare record (no word AIGC in it)")
    put("gif/comment-wrapped.gif", gif(gif_comment(wrapped)), "comment extension holding the wrapped record")
    put("gif/xmp-invalid-charset.gif", gif(gif_xmp(xmp_packet(bad))), "XMP, a space in ProduceID")
    put("gif/no-record.gif", gif(), "no metadata")

    # TIFF
    put("tiff/xmp-tag700.tif", tiff([(0x2BC, 7, xmp_packet(BARE))]), "XMP in IFD0 tag 700")
    put("tiff/xmp-tag700-wrapped.tif", tiff([(0x2BC, 7, xmp_packet(wrapped))]), "XMP tag 700, wrapped record")
    put("tiff/imagedescription.tif", tiff([(0x10E, 2, ascii_value(BARE))]), "ImageDescription holding the bare record")
    put("tiff/xmp-invalid-charset.tif", tiff([(0x2BC, 7, xmp_packet(bad))]), "XMP, a space in ProduceID")
    put("tiff/no-record.tif", tiff([]), "no metadata")

    # MP4 / MOV / M4A layouts
    put("mp4/moov-after-mdat-mdta.mp4", mp4_with(udta=mdta_meta([("AIGC", BARE)])), "moov (with the record) after mdat, as ffmpeg writes without faststart")
    put("mp4/faststart-mdta.mp4", faststart_with_record(), "moov (with the record) before mdat (faststart); chunk offsets moved by the growth")
    put("mp4/mdta-with-title.mp4", mp4_with(udta=mdta_meta([("title", "kept"), ("AIGC", BARE)])), "keys [title, AIGC]: the record is the second item")
    put("mp4/mdta-key-lowercase.mp4", mp4_with(udta=mdta_meta([("aigc", BARE)])), "key aigc in lower case")
    put("mp4/moov-meta-quicktime.mov", mp4_with(moov_extra=mdta_meta([("AIGC", wrapped)], quicktime=True)), "Doubao iOS: a QuickTime-form meta (no version/flags) directly under moov")
    put("mp4/mdir-keyless-cmt.mp4", mp4_with(udta=mdir_meta([("\u00a9too", "Doubao"), ("\u00a9cmt", BARE)])), "keyless hdlr mdir item list: ©cmt holds the record, ©too names the encoder")
    put("mp4/mdir-freeform-aigc.m4a", mp4_with(udta=mdir_meta([("----:AIGC", BARE)]), name="tiny.m4a"), "M4A: iTunes freeform ---- item, mean com.apple.iTunes, name AIGC")
    put("mp4/udta-cmt.mov", mp4_with(udta=qt_string("\u00a9cmt", BARE)), "QuickTime user-data ©cmt atom (no meta box) holding the record")
    put("mp4/udta-cmt-plain-text.mov", mp4_with(udta=qt_string("\u00a9cmt", "made with love")), "a ©cmt that is not a record")
    put("mp4/uuid-xmp-after-moov.mp4", mp4_with(after=box(b"uuid", XMP_UUID + xmp_packet(BARE))), "top-level uuid XMP box (BE7ACFCB-...) after moov, at the end of the file")
    put("mp4/udta-xmp.mov", mp4_with(udta=box(b"XMP_", xmp_packet(BARE))), "QuickTime udta/XMP_ box")
    put("mp4/two-records-mdta-and-xmp.mp4", mp4_with(udta=mdta_meta([("AIGC", BARE)]), after=box(b"uuid", XMP_UUID + xmp_packet(obj(std(ProduceID="conf-0002"))))), "mdta record and uuid XMP record that disagree")
    put("mp4/mdta-invalid-charset.mp4", mp4_with(udta=mdta_meta([("AIGC", bad)])), "a space in ProduceID")
    put("mp4/m4a-mdta.m4a", mp4_with(udta=mdta_meta([("AIGC", BARE)]), name="tiny.m4a"), "M4A (AAC only) with the mdta record")
    put("mp4/m4a-mdta-wrapped.m4a", mp4_with(udta=mdta_meta([("AIGC", wrapped)]), name="tiny.m4a"), "M4A, wrapped record")
    put("mp4/truncated-moov.mp4", mp4_with(udta=mdta_meta([("AIGC", BARE)]))[:-100], "the file cut inside moov (after mdat)")
    put("mp4/no-record.mp4", base("tiny.mp4"), "no metadata")

    # Matroska (ffmpeg)
    for name, text, what in [("simpletag-bare", BARE, "SimpleTag AIGC, bare record"), ("simpletag-wrapped", wrapped, "SimpleTag AIGC, wrapped"),
                             ("simpletag-invalid-charset", bad, "a space in ProduceID"), ("simpletag-truncated-json", trunc, "JSON cut"),
                             ("simpletag-tencent", payload("tencent-schema"), "Tencent schema")]:
        put("mkv/" + name + ".mkv", ffmpeg_copy("tiny.mkv", "mkv", [("AIGC", text)]), "Matroska Tags (ffmpeg -metadata AIGC=...): " + what)
    put("mkv/simpletag-comment.mkv", ffmpeg_copy("tiny.mkv", "mkv", [("COMMENT", BARE)]), "the record in SimpleTag COMMENT")
    put("mkv/no-record.mkv", ffmpeg_copy("tiny.mkv", "mkv", []), "no tags")

    # Ogg Vorbis / Opus (ffmpeg), FLAC (built here)
    for ext, src in (("ogg", "tiny.ogg"), ("opus", "tiny.opus")):
        put("ogg/aigc-bare." + ext, ffmpeg_copy(src, ext, [("AIGC", BARE)]), "Vorbis comment AIGC=, bare record")
        put("ogg/aigc-wrapped." + ext, ffmpeg_copy(src, ext, [("AIGC", wrapped)]), "Vorbis comment AIGC=, wrapped")
        put("ogg/aigc-invalid-charset." + ext, ffmpeg_copy(src, ext, [("AIGC", bad)]), "a space in ProduceID")
        put("ogg/aigc-truncated-json." + ext, ffmpeg_copy(src, ext, [("AIGC", trunc)]), "JSON cut")
        put("ogg/no-record." + ext, ffmpeg_copy(src, ext, []), "no comments")
    put("flac/aigc-bare.flac", flac(["AIGC=" + BARE]), "VORBIS_COMMENT AIGC=, bare record")
    put("flac/aigc-wrapped.flac", flac(["AIGC=" + wrapped]), "VORBIS_COMMENT AIGC=, wrapped")
    put("flac/aigc-lowercase-key.flac", flac(["aigc=" + BARE]), "field name aigc (Vorbis field names are case-insensitive)")
    put("flac/two-aigc-comments.flac", flac(["AIGC=" + BARE, "AIGC=" + obj(std(ProduceID="conf-0002"))]), "two AIGC comments that disagree")
    put("flac/comment-field.flac", flac(["COMMENT=" + BARE]), "the record in COMMENT")
    put("flac/aigc-invalid-charset.flac", flac(["AIGC=" + bad]), "a space in ProduceID")
    put("flac/aigc-truncated-json.flac", flac(["AIGC=" + trunc]), "JSON cut")
    put("flac/no-record.flac", flac(None), "no comment block")

    # WAV and MP3 beyond the matrix
    put("wav/info-aigc.wav", wav(info=[(b"AIGC", BARE.encode() + b"\0")]), "LIST/INFO child chunk AIGC (NUL-terminated)")
    put("wav/info-icmt.wav", wav(info=[(b"ICMT", BARE.encode() + b"\0")]), "LIST/INFO ICMT (comment) holding the record")
    put("wav/chunk-odd-length.wav", wav(riff_chunk(b"AIGC", obj(std(ProduceID="conf-00001")).encode())), "AIGC chunk of odd length with its pad byte")
    put("wav/chunk-lowercase-id.wav", wav(riff_chunk(b"aigc", BARE.encode())), "chunk id aigc in lower case")
    put("wav/two-records.wav", wav(riff_chunk(b"AIGC", BARE.encode()), info=[(b"AIGC", obj(std(ProduceID="conf-0002")).encode() + b"\0")]), "AIGC chunk and INFO AIGC that disagree")
    put("wav/truncated.wav", wav(riff_chunk(b"AIGC", BARE.encode()))[:-50], "the file cut inside the AIGC chunk")
    put("wav/no-record.wav", wav(), "no metadata")
    put("mp3/txxx-v24.mp3", mp3([txxx("AIGC", BARE)], version=4), "ID3v2.4 TXXX AIGC")
    put("mp3/txxx-utf16.mp3", mp3([txxx("AIGC", BARE, encoding=1)]), "TXXX AIGC in UTF-16 with BOM")
    put("mp3/txxx-lowercase.mp3", mp3([txxx("aigc", BARE)]), "TXXX description aigc in lower case")
    put("mp3/comm-record.mp3", mp3([comm(BARE)]), "the record in a COMM frame")
    put("mp3/two-txxx.mp3", mp3([txxx("AIGC", BARE), txxx("AIGC", obj(std(ProduceID="conf-0002")))]), "two TXXX AIGC frames that disagree")
    put("mp3/no-record.mp3", base("tiny.mp3"), "no ID3 tag")

    # PDF
    put("pdf/info-aigc.pdf", pdf([("AIGC", pdf_string(BARE))]), "Info dictionary /AIGC, literal string, bare record")
    put("pdf/info-aigc-wrapped.pdf", pdf([("AIGC", pdf_string(wrapped))]), "/AIGC, wrapped record")
    put("pdf/info-aigc-utf16.pdf", pdf([("AIGC", pdf_utf16(BARE))]), "/AIGC as a UTF-16BE hex string with BOM")
    put("pdf/info-aigc-invalid-charset.pdf", pdf([("AIGC", pdf_string(bad))]), "a space in ProduceID")
    put("pdf/info-aigc-truncated-json.pdf", pdf([("AIGC", pdf_string(trunc))]), "JSON cut")
    put("pdf/info-lowercase-key.pdf", pdf([("aigc", pdf_string(BARE))]), "Info key /aigc in lower case")
    put("pdf/info-keywords.pdf", pdf([("Keywords", pdf_string(BARE))]), "the record in /Keywords")
    put("pdf/no-record.pdf", pdf([("Producer", pdf_string("conformance"))]), "no record; a Producer")

    # OOXML
    for kind in ("docx", "xlsx", "pptx"):
        put("ooxml/custom-aigc." + kind, ooxml(kind, [("AIGC", BARE)]), "docProps/custom.xml property AIGC, bare record")
    put("ooxml/custom-aigc-wrapped.docx", ooxml("docx", [("AIGC", wrapped)]), "custom property AIGC, wrapped")
    put("ooxml/custom-aigc-invalid-charset.docx", ooxml("docx", [("AIGC", bad)]), "a space in ProduceID")
    put("ooxml/custom-aigc-truncated-json.docx", ooxml("docx", [("AIGC", trunc)]), "JSON cut")
    put("ooxml/custom-lowercase-name.docx", ooxml("docx", [("aigc", BARE)]), "property name aigc in lower case")
    put("ooxml/custom-two-properties.docx", ooxml("docx", [("AIGC", BARE), ("AIGC_2", obj(std(ProduceID="conf-0002")))]), "two properties whose names contain AIGC")
    put("ooxml/no-custom-part.docx", ooxml("docx", None), "no custom properties part")

    # Markdown and plain text
    pairs = STD
    put("markdown/front-matter-block.md", markdown(front_matter_block(pairs)), "YAML front matter: AIGC mapping with the seven keys indented")
    put("markdown/front-matter-inline-json.md", markdown("AIGC: " + BARE + "\n"), "front matter AIGC: {inline JSON}")
    put("markdown/front-matter-quoted-json.md", markdown("AIGC: '" + BARE + "'\n"), "front matter AIGC: 'JSON in a YAML string'")
    put("markdown/front-matter-unquoted-values.md", markdown("AIGC:\n" + "".join("  %s: %s\n" % (k, v) for k, v in pairs if v)), "block mapping with unquoted values, empty keys left out")
    put("markdown/front-matter-invalid-charset.md", markdown(front_matter_block(std(ProduceID="conf 0001"))), "a space in ProduceID")
    put("markdown/front-matter-crlf.md", markdown(front_matter_block(pairs)).replace(b"\n", b"\r\n"), "CRLF line endings")
    put("markdown/front-matter-bom.md", b"\xef\xbb\xbf" + markdown(front_matter_block(pairs)), "a UTF-8 BOM before the front matter")
    put("markdown/front-matter-not-at-top.md", b"# Title\n\n" + markdown(front_matter_block(pairs)), "a front-matter-like block that is not at the top of the file")
    put("markdown/front-matter-other-keys.md", markdown("title: Conformance\n" + front_matter_block(pairs) + "tags: [a, b]\n"), "AIGC beside other front-matter keys")
    put("markdown/visible-label-only.md", "# Conformance\n\nSome text.\n\n（本内容由AI生成）\n".encode("utf-8"), "no front matter; an explicit label at the end")
    put("markdown/no-label.md", b"# Conformance\n\nSome text.\n", "nothing")
    put("text/json-record-in-text.txt", (BARE + "\n").encode("utf-8"), "a record as the text itself (plain text has no metadata slot)")
    put("text/no-label.txt", "今天天气很好。\n".encode("utf-8"), "nothing")


def faststart_with_record():
    """moov before mdat: the faststart base with the record added and the chunk offsets moved by the growth."""
    data = base("tiny-faststart.mp4")
    meta = box(b"udta", mdta_meta([("AIGC", BARE)]))
    out = b""
    for kind, b in top_boxes(data):
        if kind == b"moov":
            moov = bytearray(b)
            grow = len(meta)
            p = moov.find(b"stco")
            while p >= 0:
                count = struct.unpack(">I", moov[p + 8:p + 12])[0]
                for i in range(count):
                    q = p + 12 + 4 * i
                    moov[q:q + 4] = struct.pack(">I", struct.unpack(">I", moov[q:q + 4])[0] + grow)
                p = moov.find(b"stco", p + 4)
            b = box(b"moov", bytes(moov[8:]) + meta)
        out += b
    return out


SLOTS = [("jpeg-xmp", "jpg", "JPEG APP1 XMP, element form `<TC260:AIGC>` (text XML-escaped)"),
         ("png-itxt", "png", "PNG iTXt chunk, keyword `AIGC`, UTF-8"),
         ("mp4-mdta", "mp4", "MP4 `moov/udta/meta` (hdlr `mdta`), key `AIGC` in `keys`, value in `ilst`"),
         ("wav-chunk", "wav", "WAV top-level RIFF chunk `AIGC`"),
         ("mp3-txxx", "mp3", "MP3 ID3v2.3 `TXXX` frame, description `AIGC`")]


def readme():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance-README.head.md"), encoding="utf-8") as f:
        text = f.read()
    text += "\n## The matrix: every record text in five slots\n\n"
    text += "`matrix/<slot>/<case>.<ext>` holds one record text in one slot. Slots:\n\n| slot | ext | where the text is |\n| --- | --- | --- |\n"
    for slot, ext, where in SLOTS:
        text += "| `matrix/%s/` | %s | %s |\n" % (slot, ext, where)
    text += "\nCases (the text is in `testdata/tools/make_conformance.py`, `PAYLOADS`):\n\n| case | what it tests |\n| --- | --- |\n"
    for name, _, what in PAYLOADS:
        text += "| `%s` | %s |\n" % (name, what.replace("|", "\\|"))
    text += "\n## Containers, layouts and slots\n\n| file | what it tests |\n| --- | --- |\n"
    for rel, what in CASES:
        if not rel.startswith("matrix/"):
            text += "| `%s` | %s |\n" % (rel, what.replace("|", "\\|"))
    return text


if __name__ == "__main__":
    build()
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme())
    print(len(CASES), "files")
