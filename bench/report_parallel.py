"""Benchmark: would rendering a report-back in two parts at once be faster?

    .venv/bin/python bench/report_parallel.py [--runs 4] --instance DIR

Takes the whole-process report of the five-year process from the instance of
``bench/report_bench.py`` (built there if empty) and times, taking turns:
- one render, as the service does it;
- two renders forked at once, the report split before its agreed steps, neither
  with page numbers; then one document of page numbers only ("3 / 30"), laid over
  the joined pages with pypdf, as a parallel renderer would have to do (a part
  cannot know the total of pages).
It prints the wall times and where the parallel one spent its time. The service
does not render in parts: see "Report-back lines with fewer elements" in
``docs/performance.md`` for why.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report_bench

STEPS_SECTION = '<section class="section">\n  <h2>Agreed steps</h2>'
NUMBERS_PAGE = (
    "@page { size: A4; margin: 22mm 18mm 20mm 18mm; @bottom-right {"
    ' content: counter(page) " / " counter(pages); font-size: 8pt; color: #57606a;'
    ' font-family: "DejaVu Sans", sans-serif; } }'
)


def whole_report_html(instance: Path) -> str:
    app = report_bench.build(instance)
    from intake.clock import today
    from intake.people.membership import process_by_short_name
    from intake.report.content import first_day

    with app.app_context():
        since = first_day(process_by_short_name("old"))
    return report_bench._ours(app, "old", since, today(), whole=True)


def _render_part(html: str, css, conn) -> None:
    from weasyprint import HTML

    conn.send_bytes(HTML(string=html).write_pdf(stylesheets=[css]))
    conn.close()


def in_parts(parts: list[str], css) -> tuple[bytes, float, float]:
    """The joined PDF, and when the parts and the page numbers were ready."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import CSS, HTML

    started = time.perf_counter()
    fork = get_context("fork")
    pipes, children = [], []
    for html in parts:
        reading, writing = fork.Pipe(duplex=False)
        child = fork.Process(target=_render_part, args=(html, css, writing))
        child.start()
        writing.close()
        pipes.append(reading)
        children.append(child)
    readers = [PdfReader(io.BytesIO(pipe.recv_bytes())) for pipe in pipes]
    for child in children:
        child.join()
    parts_done = time.perf_counter() - started
    total = sum(len(reader.pages) for reader in readers)
    blank_pages = '<div style="break-after: page"></div>' * (total - 1) + "<div></div>"
    numbers = PdfReader(
        io.BytesIO(HTML(string=blank_pages).write_pdf(stylesheets=[CSS(string=NUMBERS_PAGE)]))
    )
    numbers_done = time.perf_counter() - started
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), parts_done, numbers_done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--instance", type=Path, required=True)
    args = parser.parse_args()
    args.instance.mkdir(parents=True, exist_ok=True)
    html = whole_report_html(args.instance)
    from weasyprint import CSS, HTML

    css_text = (report_bench.ROOT / "pdf_templates" / "report.css").read_text()
    css = CSS(string=css_text)
    numbered = '@bottom-right { content: counter(page) " / " counter(pages);'
    assert numbered in css_text, "the stylesheet's page numbers moved: update this script"
    unnumbered = CSS(string=css_text.replace(numbered, "@bottom-right { content: none;"))
    split = html.index(STEPS_SECTION)
    head = html[: html.index('<section class="cover">')]
    parts = [html[:split] + "</body></html>", head + html[split:]]
    single, parallel, parts_s, numbers_s = [], [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        HTML(string=html).write_pdf(stylesheets=[css])
        single.append(time.perf_counter() - started)
        started = time.perf_counter()
        _pdf, parts_done, numbers_done = in_parts(parts, unnumbered)
        parallel.append(time.perf_counter() - started)
        parts_s.append(parts_done)
        numbers_s.append(numbers_done - parts_done)
    median = statistics.median
    print(f"one render               {median(single):6.2f} s (median of {args.runs})")
    print(
        f"two parts at once        {median(parallel):6.2f} s: parts {median(parts_s):.2f} s, "
        f"page numbers {median(numbers_s):.2f} s, the rest joining"
    )


if __name__ == "__main__":
    main()
