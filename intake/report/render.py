"""Report HTML from ``pdf_templates/``, and PDFs from it with WeasyPrint, safely."""

from __future__ import annotations

import hashlib
import math

from flask import current_app, render_template
from flask_babel import force_locale

from intake.record.chronology import KINDS, kind_label
from intake.report.content import ReportContent
from intake.report.grouped import month_name
from intake.report.pdf import pdf_of

# The chronology's date and kind are columns of one width (tab stops repeat at one
# width): 26 mm, or wider where a language's longest kind needs it. At 8.5 pt a letter of
# DejaVu Sans is about 1.5 mm wide on average; the rest keeps a gap before the text.
COLUMN_MM, LETTER_MM, GAP_MM = 26, 1.6, 3


def kind_column_mm() -> int:
    """The width of the chronology's columns in the language at hand."""
    longest = max(len(kind_label(kind)) for kind in KINDS)
    return max(COLUMN_MM, math.ceil(longest * LETTER_MM + GAP_MM))


def report_html(content: ReportContent) -> str:
    with force_locale(content.language):
        return render_template(
            "pdf/report.html",
            r=content,
            kind_label=kind_label,
            month_name=month_name,
            column=kind_column_mm(),
        )


def document_html(title: str, sections, language: str, pseudonym: str) -> str:
    with force_locale(language):
        return render_template(
            "pdf/document.html", title=title, sections=sections, pseudonym=pseudonym
        )


def to_pdf(html: str) -> bytes:
    """Render with the locked-down fetcher (``intake.report.pdf``)."""
    pdf = pdf_of(html)
    current_app.logger.debug("Rendered a PDF of %d bytes", len(pdf))
    return pdf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
