"""PDFs from report HTML with WeasyPrint and the locked-down fetcher; nothing of the app.

Apart from ``render`` so that a process that only renders (``intake.report.ahead``)
imports WeasyPrint and nothing else: no Flask, no SQLAlchemy, no models.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

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


def prepare_renderer() -> None:
    """Import WeasyPrint and parse the stylesheet now, before the first render."""
    load_renderer()
    _stylesheet()


def pdf_of(html: str) -> bytes:
    """Render with the locked-down fetcher; the base URL resolves nothing."""
    html_class, _css, fetcher = load_renderer()
    document = html_class(string=html, base_url="intake:", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[_stylesheet()])
    return pdf
