"""``intake retention``: the daily run that erases processes whose erase day has come."""

import click
from flask.cli import with_appcontext

from intake.clock import today
from intake.extensions import db
from intake.lifecycle import retention
from intake.security import kept_words


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Only list what is due and what comes next.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Erase processes whose erase day has come, and list those due within 30 days.

    Forms kept after a refused post (a session that ended while someone wrote) and
    past their time are deleted too.

    Run it once a day, e.g. from cron: ``17 3 * * * cd /srv/intake && .venv/bin/intake retention``.
    """
    now = today()
    if dry_run:
        for process in retention.due(now):
            click.echo(f"Due: {process.short_name} (its day was {process.erase_on}).")
    else:
        for short_name in retention.erase_due(now):
            click.echo(f"Erased {short_name}: its day had come.")
        # Words kept after a refused post are returned within hours or never.
        purged = kept_words.purge_expired()
        db.session.commit()
        if purged:
            click.echo(f"Deleted {purged} form(s) kept after a refused post: past their time.")
    for process in retention.coming(now):
        if process.erase_on is None:  # coming() lists only processes that have a day
            continue
        days = (process.erase_on - now).days
        click.echo(f"{process.short_name} will be erased on {process.erase_on} (in {days} days).")
