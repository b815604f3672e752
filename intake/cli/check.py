"""``intake check``: is this instance configured safely?"""

import os
import stat
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from intake.extensions import db
from intake.security.encryption import keyring
from intake.security.key_rotation import open_a_sample
from intake.security.private_files import open_to_others
from intake.security.proxies import trusted_proxies, untrusted_forwarding_seen
from intake.security.throttle import redis_reachable
from intake.sqlite import database_file


def findings() -> list[tuple[str, str]]:
    """(level, message) pairs; level is ok, warn or fail."""
    # Alembic is imported here, not at start-up: every other command is quicker for it.
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = current_app.config
    found: list[tuple[str, str]] = []
    if len(str(config.get("SECRET_KEY", ""))) < 32:
        found.append(("fail", "SECRET_KEY is shorter than 32 characters."))
    else:
        found.append(("ok", "SECRET_KEY is set."))
    if not config["SESSION_COOKIE_SECURE"]:
        found.append(
            ("warn", "Session cookies are not Secure (INTAKE_LOCAL_HTTP=1): local use only.")
        )
    if config.get("BASE_URL"):
        found.append(("ok", f"Links are built on {config['BASE_URL']}."))
    elif config["SESSION_COOKIE_SECURE"]:
        found.append(
            (
                "warn",
                "BASE_URL is not set: set-up and check-in links take the address from each "
                "request's Host header. Set BASE_URL to the public https address.",
            )
        )
    try:
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    except sa.exc.SQLAlchemyError:
        found.append(("fail", "The database cannot be reached."))
        return found
    heads = ScriptDirectory(current_app.extensions["migrate"].directory).get_heads()
    if set(current) != set(heads):
        found.append(
            ("fail", "The database is not migrated to the latest version: `flask db upgrade`.")
        )
    else:
        found.append(("ok", f"Database reachable ({db.engine.dialect.name}) and up to date."))
    config_file = Path(current_app.instance_path) / "config.py"
    if config_file.exists() and config_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        found.append(("warn", f"{config_file} can be read by other users: chmod 600 it."))
    found.extend(_permissions(Path(current_app.instance_path), keyring().directory))
    ring = keyring()
    if not ring.current or ring.current not in ring.keys:
        found.append(("fail", f"No encryption key in {ring.directory}: `intake keys init`."))
    else:
        found.append(("ok", f"Answers are encrypted with key {ring.current}."))
    found.extend(_sealed_data())
    found.extend(_proxies())
    reachable = redis_reachable()
    if reachable is True:
        found.append(("ok", "Sign-in and link guesses are counted in Redis."))
    elif reachable is False:
        found.append(
            ("warn", "REDIS_URL is set, but Redis does not answer: counting in the database.")
        )
    if not os.environ.get("DATABASE_URL"):
        found.append(("ok", "Data is kept in SQLite in instance/."))
    return found


def _sealed_data() -> list[tuple[str, str]]:
    """Open a sample of every kind of sealed data under every key it names."""
    tried, unreadable = open_a_sample()
    if not unreadable:
        return [("ok", f"Sealed data opens ({tried} value(s) of every kind tried).")]
    ring = keyring()
    found = []
    for item in unreadable:
        if item.key_id in ring.keys:
            advice = "they do not match their key or place: restore them from a database backup."
        else:
            advice = f"key {item.key_id} is missing: put it back into {ring.directory} from "
            advice += "the keys backup."
        found.append(
            (
                "fail",
                f"{item.kind}: {item.failed} of {item.tried} tried cannot be read "
                f"({item.total} stored under key {item.key_id}); {advice}",
            )
        )
    return found


def _proxies() -> list[tuple[str, str]]:
    count = trusted_proxies(current_app)
    if count:
        return [("ok", f"Client addresses come from X-Forwarded-For (TRUSTED_PROXIES = {count}).")]
    seen = untrusted_forwarding_seen()
    if seen is None:
        return []
    return [
        (
            "warn",
            f"Requests came through a proxy (X-Forwarded-For, last {seen:%Y-%m-%d %H:%M} UTC) "
            "but TRUSTED_PROXIES is 0: every client has the proxy's address, so 20 wrong "
            "guesses pause everybody. Set TRUSTED_PROXIES to the number of proxies in front.",
        )
    ]


def _permissions(instance: Path, keys: Path) -> list[tuple[str, str]]:
    """The database and the keys must be the owner's alone."""
    found: list[tuple[str, str]] = []
    database = database_file(db.engine)
    if database is not None:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            if open_to_others(path):
                found.append(("fail", f"{path} can be read by other users: chmod 600 it."))
    if open_to_others(keys):
        found.append(("fail", f"The key folder {keys} is open to other users: chmod 700 it."))
    for key in sorted(keys.glob("*")) if keys.is_dir() else []:
        if open_to_others(key):
            found.append(("fail", f"{key} can be read by other users: chmod 600 it."))
    if open_to_others(instance):
        found.append(("warn", f"{instance} is open to other users: chmod 700 it."))
    return found


@click.command("check")
@with_appcontext
def check() -> None:
    """Report configuration problems; exits 1 if anything must be fixed."""
    results = findings()
    for level, message in results:
        click.echo(f"{level.upper():5} {message}")
    if any(level == "fail" for level, _ in results):
        raise SystemExit(1)
