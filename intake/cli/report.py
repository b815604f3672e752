"""``intake report``: write a report-back PDF (or its HTML) from the command line."""

from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.clock import today
from intake.models import Process, Submission
from intake.people.membership import process_by_short_name
from intake.report import ahead
from intake.report.content import assemble, first_day
from intake.report.render import report_html, to_pdf
from intake.report.service import assessments_of
from intake.security.private_files import write_private


@click.command("report")
@click.argument("short_name")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: 91 days ago)."
)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--whole", is_flag=True, help="From the first day of the process.")
@click.option(
    "--closing", is_flag=True, help="The closing report-back: the whole process, said so."
)
@click.option(
    "--appendix", is_flag=True, help="Also list every entry of the chronology, one by one."
)
@click.option(
    "--assessment",
    metavar="RECORD",
    help="The contact group's assessment to include: its record number, or 'latest'.",
)
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the final HTML handed to WeasyPrint.",
)
@with_appcontext
def report(
    short_name: str,
    output: Path,
    since,
    until,
    whole: bool,
    closing: bool,
    appendix: bool,
    assessment: str | None,
    html_out: Path | None,
) -> None:
    """Write the report-back of a process for a period, the same as the app makes."""
    process = process_by_short_name(short_name)
    if process is None:
        raise click.ClickException(f"No process named {short_name!r}.")
    whole = whole or closing
    end: date = until.date() if until else today()
    start: date = (
        first_day(process) if whole else (since.date() if since else end - timedelta(days=91))
    )
    if end < start:
        raise click.ClickException("--until is before --since.")
    chosen = _assessment(process, assessment) if assessment else None
    with current_app.test_request_context():
        content = assemble(
            process,
            start,
            end,
            whole=whole,
            closing=closing,
            assessment=chosen,
            appendix=appendix,
        )
        html = report_html(content)
        if html_out:
            write_private(html_out, html.encode("utf-8"))
        write_private(output, _pdf(html))
    click.echo(f"Wrote {output} ({start} to {end}).")


def _pdf(html: str) -> bytes:
    # `intake report` on the command line starts WeasyPrint in a child before it builds
    # the app (see intake.report.ahead); elsewhere, or if the child failed, it renders here.
    renderer = ahead.take()
    made = renderer.pdf(html) if renderer else None
    return made if made is not None else to_pdf(html)


def _assessment(process: Process, wanted: str) -> Submission:
    written = assessments_of(process)
    if wanted == "latest":
        if not written:
            raise click.ClickException(f"{process.short_name} has no assessment written yet.")
        return written[0]
    found = next((s for s in written if str(s.id) == wanted.strip()), None)
    if found is None:
        numbers = ", ".join(str(s.id) for s in written) or "none"
        raise click.ClickException(
            f"No assessment with record number {wanted!r} in {process.short_name}. "
            f"Its assessments: {numbers}."
        )
    return found
