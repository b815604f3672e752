"""``intake keys``: the keys that encrypt answers at rest."""

import click
from flask.cli import AppGroup

from intake.security.encryption import keyring, keys_directory
from intake.security.key_rotation import keys_in_use, reencrypt_all


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


@keys.command("rotate")
@click.option("--retire", is_flag=True, help="Delete old keys once nothing uses them.")
def rotate(retire: bool) -> None:
    """Make a new key current and re-encrypt everything with it."""
    ring = keyring()
    old = set(ring.keys)
    new_id = ring.new_key()
    changed = reencrypt_all(ring)
    click.echo(f"New key {new_id}; {changed} value(s) re-encrypted.")
    if retire:
        used = keys_in_use()
        for key_id in sorted(old - used):
            ring.retire(key_id)
            click.echo(f"Retired key {key_id}.")
    else:
        click.echo("Old keys are kept; run with --retire to delete those no longer used.")


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
