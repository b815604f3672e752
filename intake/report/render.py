"""Report HTML from ``pdf_templates/``, and PDFs from it with WeasyPrint, safely."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING

from flask import current_app, render_template
from flask_babel import force_locale

from intake.record.chronology import kind_label
from intake.report.content import ReportContent
from intake.report.grouped import month_name

if TYPE_CHECKING:
    from weasyprint import CSS


@cache
def load_renderer():
    """WeasyPrint and the locked-down fetcher, imported on first use.

    Importing WeasyPrint takes about a second and tens of MiB: every command and
    every web worker would pay for it at start, though few of them render.
    """
    from weasyprint import CSS, HTML

    from intake.report.fetcher import safe_fetcher

    return HTML, CSS, safe_fetcher


@cache
def _stylesheet() -> CSS:
    # Parsed once per process and reused: parsing CSS is a noticeable part of a render.
    _html, css, fetcher = load_renderer()
    return css(url="intake:report.css", url_fetcher=fetcher)


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
    """Render with the locked-down fetcher; the base URL resolves nothing."""
    pdf = pdf_of(html)
    current_app.logger.debug("Rendered a PDF of %d bytes", len(pdf))
    return pdf


def prepare_renderer() -> None:
    """Import WeasyPrint and parse the stylesheet now, before the first render."""
    load_renderer()
    _stylesheet()


def pdf_of(html: str) -> bytes:
    """The PDF of report HTML, as ``to_pdf`` makes it; needs no app (see ``ahead``)."""
    html_class, _css, fetcher = load_renderer()
    document = html_class(string=html, base_url="intake:", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[_stylesheet()])
    return pdf


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
