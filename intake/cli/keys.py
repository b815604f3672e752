"""``intake keys``: the keys that encrypt answers at rest."""

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from intake.extensions import db
from intake.record.contact_log import fill_in_report_notes
from intake.security.encryption import KeyringError, keyring, keys_directory
from intake.security.key_rotation import describe, keys_in_use, rotate


@click.group(cls=AppGroup, help="Encryption keys for answers: create, rotate, list.")
def keys() -> None:
    pass


@keys.command("init")
def init() -> None:
    """Create the first key if there is none (make run does this)."""
    ring = keyring()
    if ring.current and ring.current in ring.keys:
        click.echo(f"Key {ring.current} in {keys_directory()} is in use.")
        return
    key_id = ring.new_key()
    click.echo(f"Created key {key_id} in {keys_directory()}. Back it up apart from the database.")


@keys.command("add")
def add() -> None:
    """Create a key without using it yet: copy it to every server, then `keys use` it."""
    key_id = keyring().add_key()
    click.echo(
        f"Created key {key_id} in {keys_directory()}; nothing is sealed with it yet. Copy "
        f"{key_id}.key to the keys folder of every server, run `intake keys use {key_id}` "
        f"on each, then `intake keys rotate --to {key_id} --retire` on one."
    )


@keys.command("use")
@click.argument("key_id")
def use(key_id: str) -> None:
    """Seal new answers with this key from now on (it must be in the keys folder)."""
    try:
        keyring().use(key_id)
    except KeyringError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Key {key_id} is current here; running workers take it up on their next seal.")


@keys.command("rotate")
@click.option("--retire", is_flag=True, help="Delete old keys once nothing uses them.")
@click.option(
    "--to",
    "to",
    metavar="KEY_ID",
    help="Rotate to this key, already in the folder (several servers), not a new one.",
)
def rotate_command(retire: bool, to: str | None) -> None:
    """Make a new key current and re-encrypt everything with it (safe while the service runs)."""
    try:
        done = rotate(retire=retire, to=to)
    except KeyringError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New key {done.new_key}; {done.changed} value(s) re-encrypted.")
    if done.unreadable:
        click.echo(
            f"Could not be opened, left as they were: {describe(done.unreadable)}. "
            "`intake check` shows which kinds cannot be read.",
            err=True,
        )
    for key_id in done.retired:
        click.echo(f"Retired key {key_id}.")
    if not retire:
        click.echo("Old keys are kept; run with --retire to delete those no longer used.")
    for key_id, kinds in sorted(done.still_used.items()):
        click.echo(
            f"Key {key_id} is kept: it still seals {sum(kinds.values())} value(s) "
            f"({describe(kinds)}). Nothing sealed with it was deleted; run "
            "`intake keys rotate --retire` again once they are re-encrypted.",
            err=True,
        )
    _fill_in_report_notes()
    if retire and done.still_used:
        raise SystemExit(1)


def _fill_in_report_notes() -> None:
    # Contact entries from before the service kept whether their record has a note for
    # the report-back say it now, so a report need not open their records to find out.
    # Last, after the rotation's own results are said: whatever happens here, an entry
    # left unknown is only opened by the next report, as before.
    try:
        filled = fill_in_report_notes()
    except SQLAlchemyError as exc:
        db.session.rollback()
        click.echo(
            "Could not yet note which contact log entries have a report note "
            f"({type(exc).__name__}); the next rotation tries again. Reports read them all.",
            err=True,
        )
        return
    if filled:
        click.echo(f"{filled} contact log entries now say whether they have a report note.")


@keys.command("list")
def list_keys() -> None:
    """Show the keys and which one is current."""
    ring = keyring()
    used = keys_in_use()
    for key_id in sorted(ring.keys):
        marks = [
            m for m, on in (("current", key_id == ring.current), ("in use", key_id in used)) if on
        ]
        click.echo(f"{key_id} {' '.join(marks)}")
