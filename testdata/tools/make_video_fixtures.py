#!/usr/bin/env python3
"""testdata/fixtures/video-labeled/ and bad-video/: small labeled and broken videos for the MP4/MKV handlers.

Every file is derived from fixtures/video/sample-720p.mp4 (real footage, see make_video.sh): a 1 s stream copy
(no re-encoding), labeled the way third-party writers do it, or broken in one known way. Box-level edits are
done here by hand so the tests see exactly the layout the readers must tolerate. Run from anywhere:
    /usr/bin/python3 testdata/tools/make_video_fixtures.py
"""
import os
import random
import shutil
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures")
SRC = os.path.join(FIX, "video", "sample-720p.mp4")
LAB = os.path.join(FIX, "video-labeled")
BAD = os.path.join(FIX, "bad-video")

# The remove-ai-watermarks test fixture value (bare form, empty propagation fields).
REF_JSON = ('{"Label":"1","ContentProducer":"00119144030008867405X210002","ProduceID":"sample-001",'
            '"ReservedCode1":"","ContentPropagator":"","PropagateID":"","ReservedCode2":""}')
WRAPPED_JSON = ('{"AIGC":{"Label":"1","ContentProducer":"doubao","ProduceID":"doubao-ios-0001",'
                '"ReservedCode1":"","ContentPropagator":"doubao","PropagateID":"doubao-ios-0001","ReservedCode2":""}}')


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def box(kind, *parts):
    payload = b"".join(parts)
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def boxes(data, start, end):
    """(type, start, header, end) of each box in data[start:end]."""
    out, p = [], start
    while p + 8 <= end:
        size, kind = struct.unpack(">I4s", data[p:p + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[p + 8:p + 16])[0], 16
        elif size == 0:
            size = end - p
        out.append((kind, p, header, p + size))
        p += size
    return out


def shift_chunk_offsets(moov, delta):
    """moov bytes with every stco/co64 entry moved by delta (the media sits after moov)."""
    moov = bytearray(moov)

    def walk(start, end):
        for kind, s, h, e in boxes(moov, start, end):
            if kind in (b"trak", b"mdia", b"minf", b"stbl"):
                walk(s + h, e)
            elif kind in (b"stco", b"co64"):
                n = struct.unpack(">I", moov[s + 12:s + 16])[0]
                width, fmt = (4, ">I") if kind == b"stco" else (8, ">Q")
                for i in range(n):
                    at = s + 16 + i * width
                    struct.pack_into(fmt, moov, at, struct.unpack(fmt, moov[at:at + width])[0] + delta)
    walk(8, len(moov))
    return bytes(moov)


def with_moov_children(path, out, extra_children, drop_udta=False):
    """Copies an MP4 whose moov precedes mdat, appending boxes to moov and fixing chunk offsets."""
    data = open(path, "rb").read()
    top = boxes(data, 0, len(data))
    result = b""
    for kind, s, h, e in top:
        if kind == b"moov":
            kids = [data[cs:ce] for ck, cs, ch, ce in boxes(data, s + h, e) if not (drop_udta and ck == b"udta")]
            body = b"".join(kids) + b"".join(extra_children)
            new = box(b"moov", body)
            new = shift_chunk_offsets(new, len(new) - (e - s))
            result += new
        else:
            result += data[s:e]
    open(out, "wb").write(result)


def video_sample_offsets(data):
    """File offsets of the samples of the first track (the video track in these files): stco + stsc + stsz."""
    moov = [t for t in boxes(data, 0, len(data)) if t[0] == b"moov"][0]
    node = moov
    for kind in (b"trak", b"mdia", b"minf", b"stbl"):
        node = [t for t in boxes(data, node[1] + node[2], node[3]) if t[0] == kind][0]
    tables = {k: (s, e) for k, s, h, e in boxes(data, node[1] + node[2], node[3])}
    s, e = tables[b"stco"]
    offsets = [struct.unpack(">I", data[s + 16 + 4 * i:s + 20 + 4 * i])[0] for i in range(struct.unpack(">I", data[s + 12:s + 16])[0])]
    s, e = tables[b"stsz"]
    count = struct.unpack(">I", data[s + 16:s + 20])[0]
    sizes = [struct.unpack(">I", data[s + 20 + 4 * i:s + 24 + 4 * i])[0] for i in range(count)]
    s, e = tables[b"stsc"]
    runs = [struct.unpack(">III", data[s + 16 + 12 * i:s + 28 + 12 * i]) for i in range(struct.unpack(">I", data[s + 12:s + 16])[0])]
    result, sample = [], 0
    for chunk, offset in enumerate(offsets, start=1):
        per = [r[1] for r in runs if r[0] <= chunk][-1]
        for _ in range(per):
            result.append(offset)
            offset += sizes[sample]
            sample += 1
    return result


def data_item(kind, text, key_index=None):
    data = box(b"data", struct.pack(">II", 1, 0), text.encode())
    if key_index is not None:
        return struct.pack(">I", 8 + len(data)) + struct.pack(">I", key_index) + data
    return box(kind, data)


def hdlr(kind):
    return box(b"hdlr", b"\0" * 8, kind, b"\0" * 12, b"\0")


def main():
    os.makedirs(LAB, exist_ok=True)
    os.makedirs(BAD, exist_ok=True)
    clip = os.path.join(BAD, "..", "video-labeled", "_clip.mp4")
    # 0.4 s stream copy (10 frames from the first keyframe), faststart: moov before mdat, like the source.
    ffmpeg("-i", SRC, "-t", "0.4", "-map", "0", "-c", "copy", "-map_metadata", "-1", "-fflags", "+bitexact",
           "-movflags", "+faststart", clip)

    # What TC260-PG-20257A tells integrators to run: ffmpeg keys/ilst (hdlr mdta) in moov/udta/meta.
    ffmpeg("-i", clip, "-map", "0", "-c", "copy", "-fflags", "+bitexact", "-metadata", "AIGC=" + REF_JSON,
           "-metadata", "title=aigcmark fixture", "-movflags", "use_metadata_tags+faststart",
           os.path.join(LAB, "ffmpeg-mdta.mp4"))
    # Two disagreeing records: exiftool adds a TC260 XMP packet (top-level uuid box, before mdat) to that file.
    xmp = os.path.join(LAB, "xmp-uuid-and-mdta.mp4")
    shutil.copyfile(os.path.join(LAB, "ffmpeg-mdta.mp4"), xmp)
    subprocess.run(["exiftool", "-config", os.path.join(HERE, "tc260.exiftool.config"), "-q", "-overwrite_original",
                    "-XMP-TC260:AIGC=" + REF_JSON.replace("sample-001", "xmp-002"), "-XMP-dc:Title=kept", xmp],
                   check=True)
    # Matroska: a global SimpleTag AIGC.
    ffmpeg("-i", clip, "-map", "0", "-c", "copy", "-fflags", "+bitexact", "-metadata", "AIGC=" + REF_JSON,
           os.path.join(LAB, "ffmpeg-simpletag.mkv"))
    # mkvmerge (mkvtoolnix 74) keeps Tags at the end, after Cues, with Voids before the clusters.
    tags_xml = os.path.join(LAB, "_tags.xml")
    with open(tags_xml, "w") as f:
        f.write('<?xml version="1.0"?><Tags><Tag><Targets/><Simple><Name>AIGC</Name><String>' + REF_JSON
                + '</String></Simple><Simple><Name>COMMENT</Name><String>kept</String></Simple></Tag></Tags>')
    subprocess.run(["mkvmerge", "-q", "--deterministic", "45438", "--no-date", "-o",
                    os.path.join(LAB, "mkvmerge-tags-at-end.mkv"), "--global-tags", tags_xml, clip], check=True)
    os.remove(tags_xml)
    # WebM is Matroska too (VP9 would need re-encoding; the container layout is what matters, so audio only).
    ffmpeg("-i", clip, "-map", "0:a", "-c:a", "libopus", "-b:a", "32k", "-fflags", "+bitexact",
           "-metadata", "AIGC=" + REF_JSON, os.path.join(LAB, "ffmpeg-simpletag-audio.webm"))

    # Doubao iOS variant: a QuickTime-form meta (no version/flags) straight under moov, keys/ilst in it.
    keys = box(b"keys", struct.pack(">II", 0, 2), struct.pack(">I", 12) + b"mdtaAIGC",
               struct.pack(">I", 13) + b"mdtatitle")
    ilst = box(b"ilst", data_item(None, WRAPPED_JSON, 1), data_item(None, "doubao export", 2))
    with_moov_children(clip, os.path.join(LAB, "doubao-moov-meta.mov"), [box(b"meta", hdlr(b"mdta"), keys, ilst)])

    # Keyless QuickTime list (hdlr mdir): the record sits in an item with no AIGC name, beside a ©too item,
    # and a '----' freeform item named AIGC in a second file.
    keyless = box(b"meta", b"\0\0\0\0", hdlr(b"mdir"),
                  box(b"ilst", data_item(b"\xa9too", "Doubao"), data_item(b"\xa9cmt", REF_JSON)))
    with_moov_children(clip, os.path.join(LAB, "mdir-keyless.mp4"), [box(b"udta", keyless)], drop_udta=True)
    audio = os.path.join(LAB, "_audio.m4a")
    ffmpeg("-i", clip, "-map", "0:a", "-c", "copy", "-map_metadata", "-1", "-fflags", "+bitexact",
           "-movflags", "+faststart", audio)
    freeform = box(b"----", box(b"mean", b"\0\0\0\0com.apple.iTunes"), box(b"name", b"\0\0\0\0AIGC"),
                   box(b"data", struct.pack(">II", 1, 0), REF_JSON.encode()))
    with_moov_children(audio, os.path.join(LAB, "mdir-freeform.m4a"),
                       [box(b"udta", box(b"meta", b"\0\0\0\0", hdlr(b"mdir"), box(b"ilst", freeform)))],
                       drop_udta=True)

    # Broken inputs.
    data = open(clip, "rb").read()
    open(os.path.join(BAD, "truncated-half.mp4"), "wb").write(data[:len(data) // 2])
    open(os.path.join(BAD, "zero-byte.mp4"), "wb").write(b"")
    # The mdat box header claims 1 GiB more than the file holds.
    top = boxes(data, 0, len(data))
    mdat = [t for t in top if t[0] == b"mdat"][0]
    bad = bytearray(data)
    struct.pack_into(">I", bad, mdat[1], (mdat[3] - mdat[1]) + (1 << 30))
    open(os.path.join(BAD, "box-size-past-eof.mp4"), "wb").write(bytes(bad))
    # A moov of 40 nested udta boxes with nothing else: deeper than any reader should follow.
    ftyp = [data[s:e] for k, s, h, e in top if k == b"ftyp"][0]
    nest = b""
    for _ in range(40):
        nest = box(b"udta", nest)
    open(os.path.join(BAD, "nesting-bomb.mp4"), "wb").write(ftyp + box(b"moov", nest))
    # Media data with no movie header (moov removed): nothing says where the samples are.
    open(os.path.join(BAD, "no-moov.mp4"), "wb").write(b"".join(data[s:e] for k, s, h, e in top if k != b"moov"))
    # Corrupt sample table: the first chunk offset of track 1 points 1 GiB past the end.
    bad = bytearray(data)
    at = data.index(b"stco")
    struct.pack_into(">I", bad, at + 12, len(data) + (1 << 30))
    open(os.path.join(BAD, "chunk-offset-past-eof.mp4"), "wb").write(bytes(bad))
    # Corrupt packets: 512 seeded random bytes over the start of a video sample in the middle of mdat, so the
    # container is intact but the packet framing is garbage (what a bad transfer or a broken muxer leaves).
    bad = bytearray(data)
    at = video_sample_offsets(data)[5]
    rng = random.Random(45438)
    bad[at:at + 512] = bytes(rng.randrange(256) for _ in range(512))
    open(os.path.join(BAD, "corrupt-packets.mp4"), "wb").write(bytes(bad))
    mkv = open(os.path.join(LAB, "ffmpeg-simpletag.mkv"), "rb").read()
    open(os.path.join(BAD, "truncated-half.mkv"), "wb").write(mkv[:len(mkv) // 2])
    os.remove(clip)
    os.remove(audio)
    for d in (LAB, BAD):
        for f in sorted(os.listdir(d)):
            print(os.path.join(os.path.basename(d), f), os.path.getsize(os.path.join(d, f)))


if __name__ == "__main__":
    main()
