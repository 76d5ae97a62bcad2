"""Reading back the PDFs the app makes (fpdf2, compressed as the app serves them)."""

from __future__ import annotations

import re
import zlib


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2: its content streams, inflated."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            out.append(m.group(1).decode("latin-1"))
    return "\n".join(out)
