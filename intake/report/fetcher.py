"""WeasyPrint may fetch nothing but the report's own stylesheet.

Everything in a report is inline (text, and SVG drawn by the service), so any
other URL (http, file, data) found in a document is refused: a planted
``<img src="http://…">`` or ``file:///etc/passwd`` fetches and embeds nothing.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from intake import ROOT

PDF_TEMPLATES = ROOT / "pdf_templates"
ALLOWED: dict[str, Path] = {"intake:report.css": PDF_TEMPLATES / "report.css"}


class RefusedURL(ValueError):
    pass


class SafeFetcher(URLFetcher):
    """Serves the allow-listed assets from disk; refuses every other URL without opening it."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = ALLOWED.get(url)
        if path is None:
            raise RefusedURL("Report rendering fetches nothing from outside the app.")
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": "text/css; charset=utf-8"}
        )


safe_fetcher = SafeFetcher(allowed_protocols=())
