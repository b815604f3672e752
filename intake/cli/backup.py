"""``intake backup`` / ``intake restore``: the whole instance; keys on their own."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.lifecycle import backup as service
from intake.security.encryption import keys_directory
from intake.security.private_files import write_private


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the database backup.",
)
@click.option(
    "--keys",
    "keys_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the encryption keys, to a separate file stored elsewhere.",
)
@with_appcontext
def backup(output: Path, keys_out: Path | None) -> None:
    """Back up the database (answers stay encrypted); the keys only into their own file."""
    write_private(output, service.dump())
    click.echo(f"Wrote {output}. It is unreadable without the keys; store the keys apart.")
    if keys_out:
        write_private(keys_out, service.dump_keys())
        click.echo(f"Wrote {keys_out}. Never store it next to the database backup.")


@click.command("restore")
@click.argument("database_backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--keys",
    "keys_in",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Restore the encryption keys too (into an empty keys folder).",
)
@with_appcontext
def restore(database_backup: Path, keys_in: Path | None) -> None:
    """Restore into a new, migrated, empty database (and, if given, an empty keys folder)."""
    try:
        if keys_in:
            service.restore_keys(keys_in.read_bytes(), keys_directory())
            current_app.extensions.pop("intake.keyring", None)
        rows = service.restore(database_backup.read_bytes())
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {rows} rows.")
