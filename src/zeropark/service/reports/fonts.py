"""Fonts embedded in zeropark's PDFs: one CJK + Latin family, subset to the document's text.

A verifier's archive must render the same everywhere, so the PDF carries its glyphs (a font
that is only *named*, like reportlab's CID font ``STSong-Light``, is drawn with whatever the
reader's viewer substitutes). reportlab embeds TrueType (``glyf``) fonts only; the CJK fonts a
Linux machine has are usually OpenType/CFF (Debian's ``fonts-noto-cjk``, which CI installs). So
the font is subset with fontTools to the characters the document uses, and a CFF font's cubic
outlines are converted to TrueType quadratics (fontTools ``cu2qu``, 1 font unit tolerance) —
about half a second for a report, and a PDF that holds only a few hundred glyphs.

Where the font comes from, first found: ``ZEROPARK_PDF_FONT`` (a .ttf/.otf/.ttc path; with
``ZEROPARK_PDF_FONT_BOLD`` for bold), Noto Sans CJK SC (``fonts-noto-cjk``), WenQuanYi Micro
Hei / Zen Hei, Droid Sans Fallback. When none is installed the PDF falls back to the named CID
font ``STSong-Light`` (not embedded) and :attr:`PdfFonts.embedded` is False.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont

__all__ = ["FONT_ENV", "PdfFonts", "embed_fonts", "find_font_files"]

log = logging.getLogger(__name__)

#: Environment variables naming the regular (and bold) font file to embed.
FONT_ENV = "ZEROPARK_PDF_FONT"
FONT_BOLD_ENV = "ZEROPARK_PDF_FONT_BOLD"

_CANDIDATES: tuple[tuple[str, str | None], ...] = (
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", None),
)
#: The face of a collection to use (Noto CJK holds JP, KR, SC, TC, HK: simplified Chinese).
_PREFERRED_FACE = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
_FALLBACK = "STSong-Light"
_lock = threading.Lock()
_registered: dict[tuple[str, str], str] = {}
_MAX_REGISTERED = 32


@dataclass(frozen=True, slots=True)
class PdfFonts:
    """Registered reportlab font names for a document: ``regular`` and ``bold``.

    ``embedded`` is False only for the CID fallback (no font file installed).
    """

    regular: str
    bold: str
    embedded: bool


def find_font_files() -> tuple[Path, Path | None] | None:
    """The regular and bold font files to embed (bold None: use regular), or None."""
    env = os.environ.get(FONT_ENV)
    if env:
        bold = os.environ.get(FONT_BOLD_ENV)
        return Path(env), Path(bold) if bold else None
    for regular, bold in _CANDIDATES:
        if Path(regular).is_file():
            return Path(regular), Path(bold) if bold and Path(bold).is_file() else None
    return None


def _face_index(path: Path) -> int:
    """The index of the preferred face in a collection (0 for a single font)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    collection = TTCollection(str(path), lazy=True)
    names = [f["name"].getDebugName(4) or "" for f in collection.fonts]
    for wanted in _PREFERRED_FACE:
        for index, name in enumerate(names):
            if name.startswith(wanted):
                return index
    return 0


def _to_truetype(font: object) -> None:
    """Replace a CFF font's outlines by TrueType ones, in place (fontTools ``otf2ttf`` recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont, newTable

    assert isinstance(font, TTFont)
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _subset_truetype(path: Path, text: str, tag: str) -> bytes:
    """The font at ``path`` subset to ``text``'s characters, as TrueType bytes.

    The subset's PostScript and full names get the prefix ``tag``: reportlab registers each
    TrueType face under its PostScript name, so two subsets of one font with the same name would
    share the first one's glyphs (tofu, and text extracted as other characters).
    """
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_face_index(path), lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    for record in font["name"].names:
        if record.nameID in (4, 6):
            name = record.toUnicode()
            record.string = (
                f"{tag}-{name.replace(' ', '')}" if record.nameID == 6 else f"{tag} {name}"
            )
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _register(path: Path, chars: str) -> str:
    """Register the subset of ``path`` for ``chars`` once; its reportlab font name."""
    key = (str(path), chars)
    with _lock:
        name = _registered.get(key)
        if name is None:
            digest = hashlib.sha256(f"{path}\0{chars}".encode()).hexdigest()[:10]
            name = f"ZP{digest}"
            data = _subset_truetype(path, chars, name)
            pdfmetrics.registerFont(ReportlabTTFont(name, io.BytesIO(data)))
            _registered[key] = name
            while len(_registered) > _MAX_REGISTERED:  # a long-running server: drop the oldest
                old = _registered.pop(next(iter(_registered)))
                pdfmetrics._fonts.pop(old, None)  # type: ignore[attr-defined]
        return name


_BASE = (
    "".join(chr(c) for c in range(0x20, 0x7F)) + "·–—‘’“”…、。，：；（）《》【】！？％²³°₂₃₄€¥≤≥×−"
)


def embed_fonts(text: str) -> PdfFonts:
    """Fonts for a document whose text (every string it will draw) is ``text``.

    The regular and bold faces are subset to the characters of ``text`` (plus ASCII and common
    punctuation) and registered with reportlab under names unique to that character set.
    """
    files = find_font_files()
    if files is None:
        log.warning(
            "no CJK TrueType/OpenType font found (install fonts-noto-cjk or set %s): "
            "the PDF names %s without embedding it",
            FONT_ENV,
            _FALLBACK,
        )
        if _FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(_FALLBACK))
        return PdfFonts(_FALLBACK, _FALLBACK, embedded=False)
    chars = "".join(sorted(set(_BASE + text) - {"\n", "\r", "\t"}))
    regular_path, bold_path = files
    regular = _register(regular_path, chars)
    bold = _register(bold_path, chars) if bold_path else regular
    return PdfFonts(regular, bold, embedded=True)
