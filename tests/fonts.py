"""Text widths measured with the PDFs' font itself, for tests of what must fit."""

from functools import cache

from fontTools.ttLib import TTFont

DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@cache
def _font() -> TTFont:
    return TTFont(DEJAVU_SANS)


def width(text: str, size: float) -> float:
    """How wide ``text`` is in DejaVu Sans at ``size``, in the units of ``size``."""
    font = _font()
    glyphs, advances = font.getBestCmap(), font["hmtx"]
    return sum(advances[glyphs[ord(c)]][0] for c in text) / font["head"].unitsPerEm * size
