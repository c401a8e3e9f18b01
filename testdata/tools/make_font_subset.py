#!/usr/bin/python3
"""Builds the bundled CJK font for visible labels: a subset of Noto Sans CJK SC Bold.

Source: Debian package fonts-noto-cjk, /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc,
face 2 ("Noto Sans CJK SC Bold", CFF outlines), SIL Open Font License 1.1.

Kept characters: printable ASCII, Latin-1 middle dot, common general punctuation (dashes, quotes,
ellipsis), CJK Symbols and Punctuation (U+3000-303F), Halfwidth and Fullwidth Forms (U+FF00-FFEF),
the 3,755 GB2312 level-1 hanzi (rows 16-55 decoded with Python's gb2312 codec) and the label
characters 人工智能生成合成由本内容疑似可能标识.

Java's font rasteriser loads CFF-flavoured OpenType, but to avoid depending on that path the CFF
cubic outlines are converted to TrueType quadratic glyf outlines (fontTools cu2qu, max error 1 unit
of 1000/em). Output: sdk/src/main/resources/org/aigcmark/fonts/NotoSansSC-Bold-subset.ttf

Run: /usr/bin/python3 testdata/tools/make_font_subset.py   (needs python3-fonttools, fonts-noto-cjk)
"""
import os
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

SOURCE_TTC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
SOURCE_FACE = "Noto Sans CJK SC Bold"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(
    HERE, "..", "..", "sdk", "src", "main", "resources", "org", "aigcmark", "fonts", "NotoSansSC-Bold-subset.ttf"))

LABEL_CHARS = "人工智能生成合成由本内容疑似可能标识"
MAX_ERR = 1.0  # font units (1000/em): invisible at any label size


def gb2312_level1():
    chars = []
    for row in range(16, 56):          # GB2312 rows 16-55 = level-1 hanzi, ordered by pinyin
        for cell in range(1, 95):
            try:
                chars.append(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass                    # row 55 ends at cell 89
    return chars


def wanted_codepoints():
    cps = set(range(0x20, 0x7F))                              # printable ASCII
    cps |= {0xA0, 0xB7, 0xD7, 0xF7}                           # nbsp, middle dot, x, /
    cps |= set(range(0x2010, 0x2028)) | {0x2030, 0x2032, 0x2033, 0x203B}  # dashes, quotes, ellipsis...
    cps |= set(range(0x3000, 0x3040))                         # CJK symbols and punctuation
    cps |= set(range(0xFF00, 0xFFF0))                         # halfwidth and fullwidth forms
    level1 = gb2312_level1()
    assert len(level1) == 3755, len(level1)
    cps |= {ord(c) for c in level1}
    cps |= {ord(c) for c in LABEL_CHARS}
    return cps


def find_face():
    collection = TTCollection(SOURCE_TTC)
    for font in collection.fonts:
        if font["name"].getDebugName(4) == SOURCE_FACE:
            return font
    raise SystemExit(f"{SOURCE_FACE} not found in {SOURCE_TTC}")


def cff_to_glyf(font):
    """Replace the CFF table by glyf/loca with quadratic outlines (the otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


COPYRIGHT_FILE = "/usr/share/doc/fonts-noto-cjk/copyright"


def write_licence(font):
    """OFL.txt = the font's own copyright notice + the SIL-1.1 text from the Debian copyright file."""
    lines, inside = [], False
    for line in open(COPYRIGHT_FILE, encoding="utf-8"):
        if line.rstrip("\n") == "License: SIL-1.1":
            inside, lines = True, []      # the stand-alone licence paragraph is the one with text under it
            continue
        if inside:
            if not line.startswith(" "):
                if lines:
                    break
                inside = False
                continue
            text = line[1:].rstrip("\n")
            lines.append("" if text == "." else text)
    if not lines:
        raise SystemExit("SIL-1.1 text not found in " + COPYRIGHT_FILE)
    notice = font["name"].getDebugName(0)
    header = [f"Copyright {notice.replace('©', '(c)')}", "Noto is a trademark of Google Inc.",
              "Modified (subset, TrueType outlines) for aigcmark; see README.md.", ""]
    path = os.path.join(os.path.dirname(OUT), "OFL.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + lines).rstrip() + "\n")


def main():
    font = find_face()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    write_licence(font)
    options = subset.Options()
    options.layout_features = ["kern", "vert", "vrt2", "halt", "palt", "fwid", "hwid", "pwid"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints())
    subsetter.subset(font)

    cff_to_glyf(font)

    # OFL: a Modified Version keeps the copyright and licence; mark it as a subset in the
    # version and unique-ID strings so it is not mistaken for the original.
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID == 3:
            name.setName(rec.toUnicode() + ";aigcmark-subset", 3, rec.platformID, rec.platEncID, rec.langID)
        if rec.nameID == 5:
            name.setName(rec.toUnicode() + "; subset for aigcmark (GB2312 level 1)", 5,
                         rec.platformID, rec.platEncID, rec.langID)

    font.recalcTimestamp = False   # keep the source's head.modified so rebuilds are byte-identical
    font.save(OUT, reorderTables=True)
    print(OUT, os.path.getsize(OUT), "bytes,", len(font.getGlyphOrder()), "glyphs")


if __name__ == "__main__":
    sys.exit(main())
