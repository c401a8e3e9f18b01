#!/usr/bin/python3
"""Builds the glyph-height sweep for `aigcmark bench ocr --set DIR`: one label, "AI生成" in Noto Sans CJK, drawn by
ImageMagick (`convert -annotate`) in the bottom-right corner of 1920x1080 crops of six photos, exactly 43, 54 and
65 px high (4%, 5% and 6% of the short side), in five styles: white, black, 55%-opaque white, white with a 3 px
black outline, yellow on a 60%-opaque black plate. The point size for each height is searched in half points
until ImageMagick's own ink box of the text drawn alone (`-format %@`) has that height; heights no point size hits
are left out. Writes truth.tsv in make-ocr-eval.py's columns (split "sweep"), so bench ocr reports the compliance
calls and the height error. Same tools and fonts: same images.

usage: tools/ocr-eval/make-height-sweep.py --out DIR [--photos testdata/fixtures/photos]
"""
import argparse
import os
import re
import subprocess

from PIL import Image, ImageFilter, ImageStat

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
TEXT = "AI生成"
PHOTOS = ["02-sky-kite", "13-sunset-hilltop", "20-forest-stream-rocks", "31-colorful-cups", "17-leaves-blue-sky",
          "29-forest-path"]
STYLES = {
    "white": ["-fill", "white", "-stroke", "none"],
    "black": ["-fill", "black", "-stroke", "none"],
    "transparent": ["-fill", "rgba(255,255,255,0.55)", "-stroke", "none"],
    "outline": ["-fill", "white", "-stroke", "black", "-strokewidth", "3"],
    "plate": ["-fill", "yellow", "-stroke", "none", "-undercolor", "rgba(0,0,0,0.6)"],
}
COLOURS = {"white": "white", "black": "black", "transparent": "white", "outline": "white", "plate": "yellow"}
W, H = 1920, 1080
PLACE = ["-gravity", "southeast", "-annotate", "+60+50", TEXT]


def ink_box(pointsize, style):
    """ImageMagick's ink box (w, h, x, y) of the text drawn alone in white (the outline drawn too)."""
    ink = ["-fill", "white", "-stroke", "white", "-strokewidth", "3"] if style == "outline" else ["-fill", "white", "-stroke", "none"]
    out = subprocess.run(["convert", "-size", "%dx%d" % (W, H), "xc:black", "-font", FONT, "-pointsize", str(pointsize)]
                         + ink + PLACE + ["-format", "%@", "info:"], check=True, capture_output=True, text=True).stdout
    return tuple(int(v) for v in re.fullmatch(r"(\d+)x(\d+)\+(\d+)\+(\d+)", out.strip()).groups())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--photos", default="testdata/fixtures/photos")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    cols = ["file", "split", "tool", "text", "is_label", "font", "glyph_ratio", "x", "y", "w", "h", "angle", "position",
            "colour", "style", "busy", "width", "height", "photo"]
    rows = []
    for photo in PHOTOS:
        src = os.path.join(a.photos, photo + ".jpg")
        base = os.path.join(a.out, "base-%s.png" % photo)
        subprocess.run(["convert", src, "-resize", "%dx%d^" % (W, H), "-gravity", "center", "-extent", "%dx%d" % (W, H),
                        "+repage", base], check=True)
        for style, opts in STYLES.items():
            for wanted in (43, 54, 65):
                box = None
                start = wanted * 100 // 96 - 4
                for k in range(17):
                    ps = start + 0.5 * k
                    b = ink_box(ps, style)
                    if b[1] == wanted:
                        box = b
                        break
                if box is None:
                    continue
                name = "%s-%s-%d.jpg" % (style, photo, wanted)
                subprocess.run(["convert", base, "-font", FONT, "-pointsize", str(ps)] + opts + PLACE
                               + ["-quality", "90", os.path.join(a.out, name)], check=True)
                bw, bh, bx, by = box
                edges = Image.open(base).crop((bx, by, bx + bw, by + bh)).convert("L").filter(ImageFilter.FIND_EDGES)
                rows.append(dict(file=name, split="sweep", tool="imagemagick", text=TEXT, is_label="true",
                                 font=os.path.basename(FONT), glyph_ratio="%.4f" % (bh / H), x=bx, y=by, w=bw, h=bh,
                                 angle="0.0", position="BOTTOM_RIGHT", colour=COLOURS[style], style=style,
                                 busy="%.1f" % ImageStat.Stat(edges).mean[0], width=W, height=H, photo=photo + ".jpg"))
        os.remove(base)
    with open(os.path.join(a.out, "truth.tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in cols) + "\n")
    print("%d images in %s" % (len(rows), a.out))


if __name__ == "__main__":
    main()
