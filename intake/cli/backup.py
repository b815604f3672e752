"""``intake backup`` / ``intake restore``: the whole instance; keys on their own."""

import tarfile
from pathlib import Path

import click
import sqlalchemy as sa
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
    help="Where to write the database backup.",
)
@click.option(
    "--keys",
    "keys_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the encryption keys, to a separate file stored elsewhere.",
)
@click.option(
    "--before-upgrade",
    is_flag=True,
    help="Only if `intake db upgrade` would change the database: back it up first, into "
    "instance/backups/ unless -o is given (make run does this).",
)
@with_appcontext
def backup(output: Path | None, keys_out: Path | None, before_upgrade: bool) -> None:
    """Back up the database (answers stay encrypted); the keys only into their own file.

    The file is restored into a scratch database before it gets its name, so a
    backup that would not restore is never left looking like one.
    """
    if before_upgrade:
        pending = service.pending_upgrade()
        if pending is None:
            click.echo("The database needs no upgrade (or is new): no backup needed.")
            return
        now, after = pending
        output = output or service.before_upgrade_path(Path(current_app.instance_path), now)
        click.echo(f"The database will be upgraded from {now} to {after}; backing it up first.")
    elif output is None:
        raise click.UsageError("Say where to write the backup: -o FILE.")
    rows = write_verified(output)
    click.echo(
        f"Wrote {output} ({rows} rows; restored into a scratch database and compared). "
        "It is unreadable without the keys; store the keys apart."
    )
    if before_upgrade:
        click.echo(
            f"To go back: a new database upgraded only to {now} (`intake db upgrade {now}`), "
            f"then `intake restore {output}`."
        )
    if keys_out:
        write_private(keys_out, service.dump_keys())
        click.echo(f"Wrote {keys_out}. Never store it next to the database backup.")


def write_verified(output: Path) -> int:
    """Write a backup to ``output`` once it has been read back and restored; rows in it."""
    partial = output.with_name(output.name + ".partial")
    try:
        write_private(partial, service.dump())
        rows = sum(service.verify(partial.read_bytes()).values())
    except (service.BackupError, sa.exc.SQLAlchemyError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(
            f"The backup failed, nothing was written to {output}: {_reason(exc)}"
        ) from exc
    partial.replace(output)
    return rows


def _reason(exc: Exception) -> str:
    if isinstance(exc, sa.exc.SQLAlchemyError):
        orig = getattr(exc, "orig", None) or exc
        return f"the database said: {str(orig).splitlines()[0]}"
    return str(exc)


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
        rows = service.restore(database_backup.read_bytes())
    except service.BackupError as exc:
        raise click.ClickException(
            f"Nothing was restored: the database is as it was. {exc}"
        ) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise click.ClickException(
            f"Nothing was restored: the database is as it was; {_reason(exc)}"
        ) from exc
    click.echo(f"Restored {rows} rows.")
    if keys_in:
        try:
            service.restore_keys(keys_in.read_bytes(), keys_directory())
        except (service.BackupError, tarfile.TarError, OSError) as exc:
            raise click.ClickException(f"The keys were not restored: {exc}") from exc
        current_app.extensions.pop("intake.keyring", None)
        click.echo(f"Restored the keys into {keys_directory()}.")
