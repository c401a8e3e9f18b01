#!/usr/bin/python3
"""Regenerates the small format fixtures under testdata/fixtures/{jpeg,png,webp,labeled,bad}.

Every picture is cut from the real photographs in testdata/fixtures/photos (themselves from Debian
wallpaper packages, see testdata/SOURCES.md). Metadata is written the way other tools write it in the
wild: exiftool (with tc260.exiftool.config for the TC260 XMP namespace), cwebp, Pillow, and byte-level
code below where no tool writes the variant (PNG AIGC tEXt/iTXt, JPEG APP10/COM blobs, JUMBF, broken files).

Run with Debian's python3 (Pillow with WebP + LittleCMS): /usr/bin/python3 testdata/tools/make_fixtures.py
Output is deterministic for the same tool versions (exiftool 12.57, libwebp 1.2.4, Pillow 9.4).
"""
import io
import json
import os
import random
import struct
import subprocess
import sys
import zlib

from PIL import Image, ImageCms, ImageDraw, ImageFilter
from PIL.PngImagePlugin import PngInfo

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
PHOTOS = os.path.join(FIXTURES, "photos")
EXIFTOOL_CONFIG = os.path.join(HERE, "tc260.exiftool.config")

PRODUCER_CODE = "001191110102MACQD9K64010000"  # Doubao's provider code as seen in real files
PRODUCE_ID = "doubao-20250901-0001"

# Field order and names are exact per GB 45438-2025 Annex E; propagation fields equal the
# production ones, as real first-write files carry them.
LABEL_FIELDS = {
    "Label": "1",
    "ContentProducer": PRODUCER_CODE,
    "ProduceID": PRODUCE_ID,
    "ReservedCode1": "",
    "ContentPropagator": PRODUCER_CODE,
    "PropagateID": PRODUCE_ID,
    "ReservedCode2": "",
}


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


BARE_JSON = compact(LABEL_FIELDS)
WRAPPED_JSON = compact({"AIGC": LABEL_FIELDS})


def out(*parts):
    path = os.path.join(FIXTURES, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def photo(name, width):
    """A real photo from the corpus, scaled down with Lanczos to the given width."""
    img = Image.open(os.path.join(PHOTOS, name)).convert("RGB")
    height = round(img.height * width / img.width)
    return img.resize((width, height), Image.LANCZOS)


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def exiftool(path, *assignments):
    run("exiftool", "-config", EXIFTOOL_CONFIG, "-q", "-overwrite_original", *assignments, path)


def srgb_icc():
    """LittleCMS's built-in sRGB profile, with its creation date pinned so reruns are byte-identical."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)  # header dateTimeNumber; profile ID stays 0
    return bytes(icc)


def save_jpeg(img, path, **kw):
    img.save(path, "JPEG", quality=kw.pop("quality", 88), **kw)


# ---------------------------------------------------------------- PNG byte helpers

PNG_SIG = b"\x89PNG\r\n\x1a\n"


def png_chunk(ctype, data):
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data))


def png_chunks(data):
    assert data[:8] == PNG_SIG
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        ctype = data[pos + 4:pos + 8]
        chunks.append((ctype, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_rebuild(chunks):
    return PNG_SIG + b"".join(png_chunk(t, d) for t, d in chunks)


def png_insert_before_idat(data, new_chunks):
    chunks = png_chunks(data)
    i = next(k for k, (t, _) in enumerate(chunks) if t == b"IDAT")
    return png_rebuild(chunks[:i] + new_chunks + chunks[i:])


def png_bytes(img, **kw):
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True, **kw)
    return buf.getvalue()


def text_chunk(keyword, text):
    return (b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1"))


def itxt_chunk(keyword, text, compressed=False, lang="", translated=""):
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body, 9)
    return (b"iTXt", keyword.encode("latin-1") + b"\0" + bytes([1 if compressed else 0, 0])
            + lang.encode("ascii") + b"\0" + translated.encode("utf-8") + b"\0" + body)


def xmp_packet(description_inner, namespaces, attributes=""):
    ns = "".join(f' xmlns:{p}="{u}"' for p, u in namespaces.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about=""{ns}{attributes}>\n'
        f"{description_inner}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def xml_escape(s, quote=True):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace('"', "&quot;") if quote else s


# ---------------------------------------------------------------- JPEG byte helpers

def jpeg_insert_segment(data, marker, payload):
    """Insert an APPn/COM segment after SOI and any APP0/APP1 that lead the file."""
    assert data[:2] == b"\xff\xd8"
    pos = 2
    while data[pos] == 0xFF and data[pos + 1] in (0xE0, 0xE1):
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        pos += 2 + length
    assert len(payload) + 2 <= 0xFFFF
    seg = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return data[:pos] + seg + data[pos:]


def jpeg_find_marker(data, marker):
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF
        m = data[pos + 1]
        if m == marker:
            return pos
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        pos += 2 + length
    raise ValueError("marker not found")


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- jpeg/

def make_jpeg():
    base = photo("19-fig-red-bowl.jpg", 800)

    # A camera-like JPEG: sRGB ICC (APP2), EXIF with Make/Model/Software/Orientation=1, and an
    # unrelated XMP packet (dc:creator etc.) that an AIGC writer must preserve.
    p = out("jpeg", "exif-icc-xmp.jpg")
    save_jpeg(base, p, icc_profile=srgb_icc(), dpi=(72, 72))
    exiftool(p, "-EXIF:Make=FUJIFILM", "-EXIF:Model=X-T3", "-EXIF:Software=Digital Camera X-T3 Ver4.10",
             "-EXIF:Orientation#=1", "-EXIF:DateTimeOriginal=2024:05:18 16:42:07",
             "-EXIF:CreateDate=2024:05:18 16:42:07", "-EXIF:ModifyDate=2024:05:18 16:42:07",
             "-EXIF:ExposureTime=1/250", "-EXIF:FNumber=5.6", "-EXIF:ISO=200", "-EXIF:FocalLength=35",
             "-EXIF:LensModel=XF35mmF1.4 R", "-EXIF:ColorSpace#=1", "-EXIF:Artist=Trevor Freespace",
             "-XMP-dc:Creator=Trevor Freespace", "-XMP-dc:Rights=CC BY 4.0",
             "-XMP-dc:Title=Fig in a red bowl", "-XMP-xmp:CreatorTool=Digital Camera X-T3 Ver4.10",
             "-XMP-xmp:Rating=4")

    # Plain JFIF: APP0 only, no other metadata.
    save_jpeg(base, out("jpeg", "plain.jpg"))

    # Progressive (SOF2) encoding.
    save_jpeg(base, out("jpeg", "progressive.jpg"), progressive=True, optimize=True)

    # Orientation=6: pixels stored as the sensor saw them (rotated 90 degrees counter-clockwise);
    # a viewer that honours EXIF rotates them 90 degrees clockwise back to the upright 800-wide scene.
    p = out("jpeg", "orientation6.jpg")
    save_jpeg(base.transpose(Image.ROTATE_90), p)
    exiftool(p, "-EXIF:Make=Apple", "-EXIF:Model=iPhone 12", "-EXIF:Software=16.6",
             "-EXIF:Orientation#=6", "-EXIF:DateTimeOriginal=2024:05:18 16:42:07")


# ---------------------------------------------------------------- png/

def make_png():
    base = photo("10-water-drop-splash.jpg", 400)

    write(out("png", "rgb.png"), png_bytes(base))

    # Real alpha: a soft-edged elliptical cut-out (partial transparency at the border).
    mask = Image.new("L", base.size, 0)
    ImageDraw.Draw(mask).ellipse((30, 20, base.width - 30, base.height - 20), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(12))
    rgba = base.convert("RGBA")
    rgba.putalpha(mask)
    write(out("png", "rgba.png"), png_bytes(rgba))

    # Palette (colour type 3), 256 colours, with a tRNS-free PLTE.
    write(out("png", "palette.png"), png_bytes(base.quantize(256, method=Image.Quantize.MEDIANCUT)))

    # 16 bits per channel: resampled at 16-bit depth by ImageMagick so low bytes carry real data.
    src = out("png", "_tmp16.png")
    photo("05-dusk-calm-lake.jpg", 1280).save(src)
    run("convert", src, "-depth", "16", "-filter", "Lanczos", "-resize", "256x", "-define",
        "png:color-type=2", "-strip", out("png", "rgb16.png"))
    os.remove(src)

    # Existing ancillary metadata: tEXt Software, iTXt Comment (UTF-8, Chinese), iCCP, gAMA, pHYs.
    info = PngInfo()
    info.add_text("Software", "GIMP 2.10.34")
    info.add_itxt("Comment", "水滴 water drop, re-encoded for tests", lang="zh", tkey="注释")
    data = png_bytes(base, pnginfo=info, icc_profile=srgb_icc(), dpi=(300, 300))
    data = png_insert_before_idat(data, [(b"gAMA", struct.pack(">I", 45455))])
    write(out("png", "with-text.png"), data)


# ---------------------------------------------------------------- webp/

def make_webp():
    src_png = out("webp", "_src.png")
    photo("26-ladybird-forget-me-not.jpg", 480).save(src_png)
    run("cwebp", "-quiet", "-q", "80", src_png, "-o", out("webp", "lossy.webp"))
    run("cwebp", "-quiet", "-lossless", "-z", "9", src_png, "-o", out("webp", "lossless.webp"))
    os.remove(src_png)

    run("cwebp", "-quiet", "-q", "80", "-alpha_q", "100", "-exact",
        out("png", "rgba.png"), "-o", out("webp", "alpha.webp"))

    # EXIF + XMP carried over from the camera-like JPEG by cwebp itself.
    run("cwebp", "-quiet", "-q", "80", "-metadata", "exif,xmp",
        out("jpeg", "exif-icc-xmp.jpg"), "-o", out("webp", "with-exif.webp"))


# ---------------------------------------------------------------- labeled/

def labeled_jpeg_base(name, width=512):
    p = out("labeled", name)
    save_jpeg(photo("22-red-flower-garden.jpg", width), p, quality=85)
    return p


def labeled_png_base(width=320):
    return png_bytes(photo("02-sky-kite.jpg", width))


def tc260_xmp(json_text, attribute_form=False):
    ns = {"TC260": "http://www.tc260.org.cn/ns/AIGC/1.0/"}
    if attribute_form:
        return xmp_packet("", ns, attributes=f'\n    TC260:AIGC="{xml_escape(json_text)}"')
    return xmp_packet(f"   <TC260:AIGC>{xml_escape(json_text, quote=False)}</TC260:AIGC>\n", ns)


def make_labeled():
    # 1. XMP element form <TC260:AIGC>{bare JSON}</TC260:AIGC>, written by exiftool, in JPEG / PNG / WebP.
    p = labeled_jpeg_base("xmp-element.jpg")
    exiftool(p, f"-XMP-TC260:AIGC={BARE_JSON}")

    p = out("labeled", "xmp-element.png")
    write(p, labeled_png_base())
    exiftool(p, f"-XMP-TC260:AIGC={BARE_JSON}")

    p = out("labeled", "xmp-element.webp")
    src_png = out("labeled", "_src.png")
    photo("22-red-flower-garden.jpg", 512).save(src_png)
    run("cwebp", "-quiet", "-q", "80", src_png, "-o", p)
    os.remove(src_png)
    exiftool(p, f"-XMP-TC260:AIGC={BARE_JSON}")

    # 1b. A camera JPEG (EXIF, ICC, dc:creator XMP) that later got the TC260 property added by exiftool:
    #     the label shares one XMP packet with other namespaces that a rewriter must keep.
    p = out("labeled", "xmp-element-with-camera-metadata.jpg")
    write(p, open(out("jpeg", "exif-icc-xmp.jpg"), "rb").read())
    exiftool(p, f"-XMP-TC260:AIGC={BARE_JSON}")

    # 2. XMP attribute form TC260:AIGC="{...}" (as PicWish writes it), APP1 packet by hand.
    p = labeled_jpeg_base("xmp-attribute.jpg")
    data = open(p, "rb").read()
    payload = b"http://ns.adobe.com/xap/1.0/\0" + tc260_xmp(BARE_JSON, attribute_form=True).encode("utf-8")
    write(p, jpeg_insert_segment(data, 0xE1, payload))

    # 3. PNG tEXt keyword AIGC with the wrapped JSON {"AIGC":{...}}.
    write(out("labeled", "text-aigc-wrapped.png"),
          png_insert_before_idat(labeled_png_base(), [text_chunk("AIGC", WRAPPED_JSON)]))

    # 4. PNG iTXt keyword AIGC with the bare JSON (Doubao style).
    write(out("labeled", "itxt-aigc-bare.png"),
          png_insert_before_idat(labeled_png_base(), [itxt_chunk("AIGC", BARE_JSON)]))

    # 5. JPEG EXIF UserComment (exiftool writes the 8-byte "ASCII\0\0\0" charset prefix) with wrapped JSON.
    p = labeled_jpeg_base("exif-usercomment-wrapped.jpg")
    exiftool(p, f"-EXIF:UserComment={WRAPPED_JSON}", "-EXIF:Software=AIGC-Label-Tool 1.0")

    # 6. JPEG EXIF ImageDescription with the bare JSON.
    p = labeled_jpeg_base("exif-imagedescription-bare.jpg")
    exiftool(p, f"-EXIF:ImageDescription={BARE_JSON}")

    # 7. A bare AIGC{...} blob in an APP10 segment, and the same in a COM segment.
    blob = ("AIGC" + BARE_JSON).encode("ascii")
    p = labeled_jpeg_base("app10-bare-blob.jpg")
    write(p, jpeg_insert_segment(open(p, "rb").read(), 0xEA, blob))
    p = labeled_jpeg_base("com-bare-blob.jpg")
    write(p, jpeg_insert_segment(open(p, "rb").read(), 0xFE, blob))

    # 8. Two different records in one PNG: XMP (iTXt XML:com.adobe.xmp) and tEXt AIGC. The standard
    #    allows only one; a detector must report both and flag the duplicate.
    other = dict(LABEL_FIELDS, ContentProducer="001191330106MA2CFLDG4R10001",
                 ProduceID="tongyi-20250902-7781", ContentPropagator="001191330106MA2CFLDG4R10001",
                 PropagateID="tongyi-20250902-7781")
    xmp = tc260_xmp(BARE_JSON)
    write(out("labeled", "duplicate-xmp-and-text.png"),
          png_insert_before_idat(labeled_png_base(), [itxt_chunk("XML:com.adobe.xmp", xmp),
                                                      text_chunk("AIGC", compact({"AIGC": other}))]))

    # 9. Loose JSON: numeric Label 1 and a bare producer name, in XMP element form (exiftool).
    loose = compact({"Label": 1, "ContentProducer": "doubao", "ProduceID": "7d3f0c2a9b1e4f60",
                     "ReservedCode1": "", "ContentPropagator": "doubao", "PropagateID": "7d3f0c2a9b1e4f60",
                     "ReservedCode2": ""})
    p = labeled_jpeg_base("numeric-label-name-producer.jpg")
    exiftool(p, f"-XMP-TC260:AIGC={loose}")

    # 10. AUTOMATIC1111 / Forge "parameters" tEXt.
    a1111 = ("a close-up photo of a red garden flower, morning light, shallow depth of field, 85mm\n"
             "Negative prompt: blurry, lowres, watermark, text\n"
             "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 3141592653, Size: 512x320, "
             "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly, Denoising strength: 0.35, "
             "Hires upscale: 1.5, Hires upscaler: Latent, Version: v1.10.1")
    write(out("labeled", "a1111-parameters.png"),
          png_insert_before_idat(labeled_png_base(), [text_chunk("parameters", a1111)]))

    # 11. ComfyUI "prompt" (API graph) and "workflow" (UI graph) tEXt chunks.
    write(out("labeled", "comfyui-prompt-workflow.png"),
          png_insert_before_idat(labeled_png_base(), [text_chunk("prompt", compact(COMFY_PROMPT)),
                                                      text_chunk("workflow", compact(comfy_workflow()))]))

    # 12. IPTC DigitalSourceType = trainedAlgorithmicMedia in XMP (Iptc4xmpExt), via exiftool.
    p = labeled_jpeg_base("iptc-trained-algorithmic.jpg")
    exiftool(p, "-XMP-iptcExt:DigitalSourceType="
                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
             "-XMP-dc:Creator=Example Image Generator")

    # 13. C2PA-shaped JUMBF: JPEG APP11 (JPEG XT box framing) and PNG caBX chunk. Not a signed manifest.
    store = c2pa_manifest_store()
    p = labeled_jpeg_base("c2pa-app11-jumbf.jpg")
    app11 = b"JP" + struct.pack(">H", 1) + struct.pack(">I", 1) + store  # CI "JP", En=1, Z=1, then the box
    write(p, jpeg_insert_segment(open(p, "rb").read(), 0xEB, app11))
    write(out("labeled", "c2pa-cabx.png"),
          png_insert_before_idat(labeled_png_base(), [(b"caBX", store)]))


COMFY_PROMPT = {
    "3": {"class_type": "KSampler", "inputs": {
        "seed": 156680208700286, "steps": 20, "cfg": 8.0, "sampler_name": "euler", "scheduler": "normal",
        "denoise": 1.0, "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd_xl_base_1.0.safetensors"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 640, "batch_size": 1}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {
        "text": "a kite in a deep blue sky, thin clouds, photo", "clip": ["4", 1]}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "text, watermark, blurry", "clip": ["4", 1]}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}},
}


def comfy_workflow():
    def node(nid, ntype, pos, inputs, outputs, widgets):
        return {"id": nid, "type": ntype, "pos": pos, "size": [315, 98], "flags": {}, "order": nid,
                "mode": 0, "inputs": inputs, "outputs": outputs, "properties": {"Node name for S&R": ntype},
                "widgets_values": widgets}
    nodes = [
        node(4, "CheckpointLoaderSimple", [26, 474], [],
             [{"name": "MODEL", "type": "MODEL", "links": [1]}, {"name": "CLIP", "type": "CLIP", "links": [3, 5]},
              {"name": "VAE", "type": "VAE", "links": [8]}], ["sd_xl_base_1.0.safetensors"]),
        node(6, "CLIPTextEncode", [415, 186], [{"name": "clip", "type": "CLIP", "link": 3}],
             [{"name": "CONDITIONING", "type": "CONDITIONING", "links": [4]}],
             ["a kite in a deep blue sky, thin clouds, photo"]),
        node(7, "CLIPTextEncode", [413, 389], [{"name": "clip", "type": "CLIP", "link": 5}],
             [{"name": "CONDITIONING", "type": "CONDITIONING", "links": [6]}], ["text, watermark, blurry"]),
        node(5, "EmptyLatentImage", [473, 609], [], [{"name": "LATENT", "type": "LATENT", "links": [2]}],
             [1024, 640, 1]),
        node(3, "KSampler", [863, 186],
             [{"name": "model", "type": "MODEL", "link": 1}, {"name": "positive", "type": "CONDITIONING", "link": 4},
              {"name": "negative", "type": "CONDITIONING", "link": 6},
              {"name": "latent_image", "type": "LATENT", "link": 2}],
             [{"name": "LATENT", "type": "LATENT", "links": [7]}],
             [156680208700286, "randomize", 20, 8, "euler", "normal", 1]),
        node(8, "VAEDecode", [1209, 188],
             [{"name": "samples", "type": "LATENT", "link": 7}, {"name": "vae", "type": "VAE", "link": 8}],
             [{"name": "IMAGE", "type": "IMAGE", "links": [9]}], []),
        node(9, "SaveImage", [1451, 189], [{"name": "images", "type": "IMAGE", "link": 9}], [], ["ComfyUI"]),
    ]
    links = [[1, 4, 0, 3, 0, "MODEL"], [2, 5, 0, 3, 3, "LATENT"], [3, 4, 1, 6, 0, "CLIP"],
             [4, 6, 0, 3, 1, "CONDITIONING"], [5, 4, 1, 7, 0, "CLIP"], [6, 7, 0, 3, 2, "CONDITIONING"],
             [7, 3, 0, 8, 0, "LATENT"], [8, 4, 2, 8, 1, "VAE"], [9, 8, 0, 9, 0, "IMAGE"]]
    return {"last_node_id": 9, "last_link_id": 9, "nodes": nodes, "links": links, "groups": [],
            "config": {}, "extra": {"ds": {"scale": 1, "offset": [0, 0]}}, "version": 0.4}


def jumbf_box(btype, payload):
    return struct.pack(">I", 8 + len(payload)) + btype + payload


def jumd(type_uuid, label):
    # toggles 0x03: requestable + label present; label is NUL-terminated UTF-8.
    return jumbf_box(b"jumd", type_uuid + b"\x03" + label.encode("utf-8") + b"\0")


C2PA_UUID = bytes.fromhex("6332706100110010800000AA00389B71")   # 'c2pa' manifest store
C2MA_UUID = bytes.fromhex("63326D6100110010800000AA00389B71")   # 'c2ma' manifest
C2AS_UUID = bytes.fromhex("6332617300110010800000AA00389B71")   # 'c2as' assertion store
CBOR_UUID = bytes.fromhex("63626F7200110010800000AA00389B71")   # 'cbor' content type


def c2pa_manifest_store():
    # A minimal store shaped like C2PA 1.x: c2pa > urn:uuid manifest > c2pa.assertions > one CBOR
    # assertion box "c2pa.actions" whose CBOR says {"actions":[{"action":"c2pa.created",
    # "digitalSourceType": ".../trainedAlgorithmicMedia"}]}. No claim or signature: detection only.
    dst = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    cbor = (b"\xa1" + cbor_text("actions") + b"\x81\xa2" + cbor_text("action") + cbor_text("c2pa.created")
            + cbor_text("digitalSourceType") + cbor_text(dst))
    actions = jumbf_box(b"jumb", jumd(CBOR_UUID, "c2pa.actions") + jumbf_box(b"cbor", cbor))
    assertions = jumbf_box(b"jumb", jumd(C2AS_UUID, "c2pa.assertions") + actions)
    manifest = jumbf_box(b"jumb", jumd(C2MA_UUID, "urn:uuid:0b5c8a4e-3f1d-4c2a-9e57-6d1f2a3b4c5d") + assertions)
    return jumbf_box(b"jumb", jumd(C2PA_UUID, "c2pa") + manifest)


def cbor_text(s):
    b = s.encode("utf-8")
    if len(b) < 24:
        return bytes([0x60 | len(b)]) + b
    if len(b) < 256:
        return bytes([0x78, len(b)]) + b
    return bytes([0x79]) + struct.pack(">H", len(b)) + b


# ---------------------------------------------------------------- bad/

def make_bad():
    write(out("bad", "empty.jpg"), b"")

    rnd = random.Random(45438)
    noise = bytes(rnd.randrange(256) for _ in range(4096))
    noise = b"\x13\x37" + noise[2:]  # make sure it cannot start like FFD8, PNG, RIFF or GIF
    write(out("bad", "wrong-magic.jpg"), noise)

    jpeg = open(out("jpeg", "plain.jpg"), "rb").read()
    sos = jpeg_find_marker(jpeg, 0xDA)
    write(out("bad", "truncated-mid-scan.jpg"), jpeg[:sos + (len(jpeg) - sos) // 2])

    png = open(out("png", "rgb.png"), "rb").read()
    chunks = png_chunks(png)
    idat_start = png.index(b"IDAT") - 4
    idat_len = struct.unpack(">I", png[idat_start:idat_start + 4])[0]
    write(out("bad", "truncated-mid-idat.png"), png[:idat_start + 8 + idat_len // 2])

    # CRC of the first IDAT chunk inverted; the data itself is intact.
    crc_pos = idat_start + 8 + idat_len
    bad_crc = png[:crc_pos] + bytes(b ^ 0xFF for b in png[crc_pos:crc_pos + 4]) + png[crc_pos + 4:]
    write(out("bad", "bad-crc.png"), bad_crc)

    # Decompression bomb: IHDR says 100000 x 100000 RGB (30 GB of pixels); the IDAT holds only a small
    # valid zlib stream (the first 64 rows of zeros) and IEND follows.
    width = height = 100000
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = (b"\0" + bytes(width * 3)) * 64
    write(out("bad", "bomb-100000x100000.png"),
          png_rebuild([(b"IHDR", ihdr), (b"IDAT", zlib.compress(rows, 9)), (b"IEND", b"")]))

    # JPEG whose SOF0 declares 65000 x 65000 while the scan data is that of a 800-wide photo.
    sof = jpeg_find_marker(jpeg, 0xC0)
    huge = bytearray(jpeg)
    huge[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    write(out("bad", "sof-65000x65000.jpg"), bytes(huge))

    # Valid signature + IHDR, then a tEXt chunk whose length says 0x7FFFFFF0 but only 64 bytes follow.
    small = png_chunks(png)
    write(out("bad", "oversized-chunk.png"),
          PNG_SIG + png_chunk(b"IHDR", small[0][1]) + struct.pack(">I", 0x7FFFFFF0) + b"tEXt"
          + b"Comment\0" + b"A" * 56)

    # WebP whose RIFF size field claims 16 MiB more than the file holds.
    webp = bytearray(open(out("webp", "lossy.webp"), "rb").read())
    webp[4:8] = struct.pack("<I", len(webp) - 8 + 16 * 1024 * 1024)
    write(out("bad", "riff-size-lies.webp"), bytes(webp))

    write(out("bad", "text-named.png"),
          b"This is a plain text file that only pretends to be a PNG by its name.\n")


def main():
    for step in (make_jpeg, make_png, make_webp, make_labeled, make_bad):
        step()
    print("fixtures written under", FIXTURES)


if __name__ == "__main__":
    sys.exit(main())
