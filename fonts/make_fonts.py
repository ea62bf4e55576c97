#!/usr/bin/env python3
"""Makes the fonts bundled in banmian's binary.

Reproducible: the same Debian packages and fontTools give the same files.

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
    pip install fonttools==4.*
    python3 fonts/make_fonts.py [CHARSETS_DIR]

CHARSETS_DIR holds gb2312-hanzi.txt and tongyong-8105.txt (one
"U+XXXX<TAB>char" per line; default ../shared/charsets beside the repo).
Each Noto face is cut out of its Debian .ttc (the SC member) and subset to
GB 2312 + 通用规范汉字表 + GB/T 15834 punctuation + ASCII + Latin-1 + the
symbols a report is likely to use, keeping the OpenType layout features
horizontal Simplified Chinese uses (locl, halt, palt, kern … which Typst's
CJK punctuation handling relies on). Noto's Japanese, Korean and
Traditional Chinese language systems and its vertical features are left
out: their variant glyphs were two in five of each face, and banmian sets
zh-Hans horizontally only.
LXGW WenKai carries Reserved Font Names, so the subset is renamed
"Banmian Kai" as the SIL OFL 1.1 requires for a modified version.
"""
import pathlib
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

HERE = pathlib.Path(__file__).resolve().parent
NOTO = pathlib.Path("/usr/share/fonts/opentype/noto")
WENKAI = pathlib.Path("/usr/share/fonts/truetype/lxgw-wenkai")

# (output file, source, index in the collection, rename-to family or None).
# The body face is made TrueType (a .ttf): it sets most of the glyphs on a
# page, and a PDF writer subsets TrueType outlines by copying them, where a
# CFF subset has every glyph's charstring taken apart and put together
# again (12 of the newspaper PDF's 17 ms). The other faces set a few
# headlines and stay CFF, which is a quarter smaller.
FACES = [
    ("NotoSerifCJKsc-Regular.ttf", NOTO / "NotoSerifCJK-Regular.ttc", 2, None),
    ("NotoSerifCJKsc-Bold.otf", NOTO / "NotoSerifCJK-Bold.ttc", 2, None),
    ("NotoSerifCJKsc-Black.otf", NOTO / "NotoSerifCJK-Black.ttc", 2, None),
    ("NotoSansCJKsc-Bold.otf", NOTO / "NotoSansCJK-Bold.ttc", 2, None),
    ("BanmianKai-Regular.ttf", WENKAI / "LXGWWenKai-Regular.ttf", 0, "Banmian Kai"),
]

# Ranges beyond the two Hanzi lists. GB/T 15834 marks, their vertical forms,
# full-width forms, general punctuation, letterlike symbols, number forms,
# arrows, math operators a report uses (×÷±≤≥), enclosed numbers ①–⑳ ⑴ ⒈,
# CJK symbols and punctuation, CJK compatibility forms.
EXTRA_RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x2010, 0x2027), (0x2030, 0x203B),
    (0x2060, 0x2060), (0x2103, 0x2103), (0x2116, 0x2116), (0x2160, 0x216B),
    (0x2170, 0x2179), (0x2190, 0x2193), (0x2212, 0x2212), (0x2264, 0x2265),
    (0x2460, 0x249B), (0x25A0, 0x25CF), (0x2605, 0x2606), (0x2E3A, 0x2E3B),
    (0x3000, 0x301F), (0x3220, 0x3229), (0xFE10, 0xFE19), (0xFE30, 0xFE44),
    (0xFE50, 0xFE6B), (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5),
]


# The language systems kept (besides each script's default): Simplified
# Chinese. Noto CJK's JAN, KOR, ZHT, ZHH reach regional variants by locl.
KEEP_LANGSYS = {"ZHS "}
# Features for vertical writing only.
VERTICAL = {"vert", "vrt2", "vkna", "vhal", "vpal", "vkrn", "valt", "vrtr"}


def horizontal_zh_hans(font):
    """Drops the language systems other than Simplified Chinese from GSUB
    and GPOS, and returns the features left that horizontal text uses: the
    subsetter then keeps only the glyphs those reach."""
    tags = set()
    for table in ("GSUB", "GPOS"):
        if table not in font:
            continue
        layout = font[table].table
        for script in layout.ScriptList.ScriptRecord:
            script.Script.LangSysRecord = [
                r for r in script.Script.LangSysRecord if r.LangSysTag in KEEP_LANGSYS
            ]
            script.Script.LangSysCount = len(script.Script.LangSysRecord)
        if layout.FeatureList:
            tags.update(r.FeatureTag for r in layout.FeatureList.FeatureRecord)
    return sorted(tags - VERTICAL)


def read_charset(path):
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("U+"):
            chars.add(int(line.split("\t")[0][2:], 16))
    return chars


def main():
    charsets = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "charsets"
    wanted = read_charset(charsets / "gb2312-hanzi.txt") | read_charset(charsets / "tongyong-8105.txt")
    hanzi = set(wanted)
    for lo, hi in EXTRA_RANGES:
        wanted.update(range(lo, hi + 1))
    (HERE / "charset.txt").write_text(
        "".join(f"U+{c:04X}\n" for c in sorted(wanted)), encoding="utf-8"
    )
    for out, src, index, rename in FACES:
        font = TTFont(src, fontNumber=index, lazy=False)
        cmap = font.getBestCmap()
        missing = sorted(c for c in hanzi if c not in cmap)
        if missing:
            sys.exit(f"{src.name}: lacks {len(missing)} Hanzi, e.g. {''.join(map(chr, missing[:20]))}")
        options = subset.Options()
        options.layout_features = horizontal_zh_hans(font)
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.hinting = False
        options.desubroutinize = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(c for c in wanted if c in cmap))
        subsetter.subset(font)
        if rename:
            rename_family(font, rename)
        if out.endswith(".ttf") and "CFF " in font:
            to_truetype(font)
        # No timestamps: the same input gives the same bytes.
        font["head"].modified = font["head"].created
        font.save(HERE / out, reorderTables=True)
        print(f"{out}: {len(font.getBestCmap())} code points, {(HERE / out).stat().st_size / 1e6:.1f} MB")


# How far a quadratic outline may stray from the cubic one, in font units
# (1/1000 em): 0.009 pt at 9 pt, far below what a press or a screen shows.
CU2QU_MAX_ERROR = 1.0


def to_truetype(font):
    """Replaces a CFF face's outlines with TrueType ones (cubic curves
    approximated by quadratic ones within CU2QU_MAX_ERROR); metrics, cmap
    and every layout table stay as they are."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        # CFF winds outer contours counter-clockwise, TrueType clockwise.
        glyphs[name].draw(Cu2QuPen(pen, CU2QU_MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font["maxp"] = maxp  # the point and contour counts are worked out on save
    del font["CFF "]
    if "VORG" in font:  # vertical origins are a CFF table
        del font["VORG"]
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename_family(font, family):
    """Replaces every family/full/PostScript name (OFL Reserved Font Names)."""
    ps = family.replace(" ", "") + "-Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} Regular"
        elif record.nameID == 6:
            record.string = ps
        elif record.nameID == 3:
            record.string = f"{ps};banmian-subset"
        elif record.nameID == 2 or record.nameID == 17:
            record.string = "Regular"


if __name__ == "__main__":
    main()
