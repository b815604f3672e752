"""Report HTML from ``pdf_templates/``, and PDFs from it with WeasyPrint, safely."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML

from intake.chronology import kind_label
from intake.report.content import ReportContent
from intake.report.fetcher import safe_fetcher


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsed once per process and reused: parsing CSS is a noticeable part of a render.
    return CSS(url="intake:report.css", url_fetcher=safe_fetcher)


def report_html(content: ReportContent) -> str:
    with force_locale(content.language):
        return render_template("pdf/report.html", r=content, kind_label=kind_label)


def document_html(title: str, sections, language: str, pseudonym: str) -> str:
    with force_locale(language):
        return render_template(
            "pdf/document.html", title=title, sections=sections, pseudonym=pseudonym
        )


def to_pdf(html: str) -> bytes:
    """Render with the locked-down fetcher; the base URL resolves nothing."""
    document = HTML(string=html, base_url="intake:", url_fetcher=safe_fetcher)
    pdf = document.write_pdf(stylesheets=[_stylesheet()])
    current_app.logger.debug("Rendered a PDF of %d bytes", len(pdf))
    return pdf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
