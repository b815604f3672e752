"""``intake export`` / ``intake erase`` / ``intake unseal``: a whole process out, or gone."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from intake.clock import today
from intake.extensions import db
from intake.lifecycle import archive, retention
from intake.people.membership import process_by_short_name
from intake.security import audit
from intake.security.private_files import write_private


def _process(short_name: str):
    process = process_by_short_name(short_name)
    if process is None:
        raise click.ClickException(f"No process named {short_name!r}.")
    return process


@click.command("export")
@click.argument("short_name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--encrypt", is_flag=True, help="Seal the archive with a passphrase (asked for).")
@with_appcontext
def export(short_name: str, output: Path, encrypt: bool) -> None:
    """Write every record of a process, with form definitions and released PDFs, to one file."""
    process = _process(short_name)
    passphrase = None
    if encrypt:
        passphrase = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True)
        if len(passphrase) < 12:
            raise click.ClickException("Use a passphrase of at least 12 characters.")
    write_private(output, archive.export(process, passphrase))
    audit.record("process-exported", process=process)
    db.session.commit()
    click.echo(f"Wrote {output}{' (sealed)' if passphrase else ''}. Keep it as safe as the data.")


@click.command("unseal")
@click.argument("sealed", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def unseal(sealed: Path, output: Path) -> None:
    """Open an archive sealed with a passphrase into a plain zip."""
    passphrase = click.prompt("Passphrase", hide_input=True)
    try:
        data = archive.unseal(sealed.read_bytes(), passphrase)
    except Exception as exc:
        raise click.ClickException("Wrong passphrase, or not a sealed intake archive.") from exc
    write_private(output, data)
    click.echo(f"Wrote {output}.")


@click.command("erase")
@click.argument("short_name")
@click.option("--yes", is_flag=True, help="Do not ask; for scripts.")
@with_appcontext
def erase(short_name: str, yes: bool) -> None:
    """Delete a process and everything of it, and accounts that belonged only to it."""
    process = _process(short_name)
    if not yes:
        typed = click.prompt(
            f"This deletes everything of {short_name!r} for good. Type its short name to go on"
        )
        if typed.strip() != short_name:
            raise click.ClickException("Nothing was deleted.")
    audit.record("process-erased", subject=f"process:{process.id}")
    db.session.commit()
    result = archive.erase(process)
    click.echo(f"Erased {short_name}; {result['accounts']} account(s) that belonged only to it.")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Only list what is due and what comes next.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Erase processes whose erase day has come, and list those due within 30 days.

    Run it once a day, e.g. from cron: ``17 3 * * * cd /srv/intake && .venv/bin/intake retention``.
    """
    now = today()
    if dry_run:
        for process in retention.due(now):
            click.echo(f"Due: {process.short_name} (its day was {process.erase_on}).")
    else:
        for short_name in retention.erase_due(now):
            click.echo(f"Erased {short_name}: its day had come.")
    for process in retention.coming(now):
        if process.erase_on is None:  # coming() lists only processes that have a day
            continue
        days = (process.erase_on - now).days
        click.echo(f"{process.short_name} will be erased on {process.erase_on} (in {days} days).")
