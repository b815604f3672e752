"""Report HTML from ``pdf_templates/``, and PDFs from it with WeasyPrint, safely."""

from __future__ import annotations

import hashlib

from flask import current_app, render_template
from flask_babel import force_locale

from intake.record.chronology import kind_label
from intake.report.content import ReportContent
from intake.report.grouped import month_name
from intake.report.pdf import pdf_of


def report_html(content: ReportContent) -> str:
    with force_locale(content.language):
        return render_template(
            "pdf/report.html", r=content, kind_label=kind_label, month_name=month_name
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
