"""Faces registered with ReportLab, one per ``FaceRef``.

A face with features (``hwid``) is registered from an in-memory copy whose
character map points at the substituted glyphs, exactly as ``FontMetrics``
measured them.
"""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont as FTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from pagesetter.errors import PagesetterError
from pagesetter.fonts.metrics import FaceRef, remap_cmap

_REGISTERED: set[str] = set()


def pdf_font(ref: FaceRef) -> str:
    """The ReportLab font name for ``ref``, registering it on first use."""
    name = ref.key
    if name in _REGISTERED:
        return name
    try:
        if ref.features:
            data = io.BytesIO(_remapped(ref))
            data.name = name  # ReportLab names the embedded font file after this
            font = TTFont(name, data)
        else:
            font = TTFont(name, str(ref.path), subfontIndex=ref.index)
    except Exception as exc:  # ReportLab raises bare TTFError/AssertionError for odd fonts
        raise PagesetterError(f"cannot embed font: {exc}", file=str(ref.path)) from None
    pdfmetrics.registerFont(font)
    _REGISTERED.add(name)
    return name


def _remapped(ref: FaceRef) -> bytes:
    font = FTFont(str(ref.path), fontNumber=ref.index, lazy=True)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap = remap_cmap(font, table.cmap, ref.features)
    # ReportLab shares one face among fonts with the same PostScript name, so the
    # remapped copy needs a name of its own or its glyphs would never be used
    names = font["name"]
    ps = names.getDebugName(6) or ref.path.stem
    suffix = "-" + "-".join(ref.features)
    for record in names.names:
        if record.nameID == 6:
            record.string = (ps[: 63 - len(suffix)] + suffix)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()
