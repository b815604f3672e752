"""Client addresses behind a reverse proxy.

Behind a proxy every request comes from the proxy's address, so the per-client
count of wrong guesses would pause everybody at once. ``TRUSTED_PROXIES`` says
how many proxies stand in front of the app; their ``X-Forwarded-For`` (and
``-Proto``/``-Host``) headers are then believed, and nobody else's. Left at 0
while such headers arrive, the app notes it for ``intake check`` to warn about.
"""

from __future__ import annotations

import time
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.extensions import db
from intake.models import Observation, utcnow

FORWARDED_UNTRUSTED = "forwarded-untrusted"
# One write an hour per worker at most: a note, not a log of every request.
NOTE_EVERY_SECONDS = 3600


def trusted_proxies(app: Flask) -> int:
    value = app.config.get("TRUSTED_PROXIES", 0)
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise RuntimeError(
            f"TRUSTED_PROXIES must be a whole number of proxies (0 or more), not {value!r}."
        )
    return count


def register(app: Flask) -> None:
    count = trusted_proxies(app)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    else:
        app.before_request(note_untrusted_forwarding)


def note_untrusted_forwarding() -> None:
    """``before_request`` with no trusted proxy: remember that a proxy seems to be there."""
    if "X-Forwarded-For" not in request.headers:
        return
    noted = current_app.extensions.get("intake.forwarded_noted", 0.0)
    if time.monotonic() - noted < NOTE_EVERY_SECONDS and noted:
        return
    current_app.extensions["intake.forwarded_noted"] = time.monotonic()
    try:
        db.session.merge(Observation(name=FORWARDED_UNTRUSTED, last_seen_at=utcnow()))
        db.session.commit()
    except sa.exc.SQLAlchemyError:
        # Two workers noting it at once, or a database not yet migrated: the
        # request itself must not fail over a note.
        db.session.rollback()


def untrusted_forwarding_seen() -> datetime | None:
    """When a request last came with X-Forwarded-For while no proxy was trusted."""
    try:
        row = db.session.get(Observation, FORWARDED_UNTRUSTED)
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return None
    return row.last_seen_at if row else None
