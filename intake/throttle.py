"""Throttling of guesses, counted in the database so every worker and server shares it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request

from intake.extensions import db
from intake.models import ThrottleEvent, utcnow


@dataclass(frozen=True)
class Limit:
    bucket: str
    attempts: int
    window: timedelta


LINK_GUESSES = Limit("link", 20, timedelta(minutes=10))
SIGN_IN_PER_CLIENT = Limit("signin-client", 20, timedelta(minutes=15))
SIGN_IN_PER_ACCOUNT = Limit("signin-account", 8, timedelta(minutes=15))


def retry_after(limit: Limit) -> int:
    """Minutes to tell a person to wait: the whole window, to keep it simple and safe."""
    return int(limit.window.total_seconds() // 60)


def _key(value: str) -> str:
    # Keys are hashed with the app's secret so the table holds no addresses.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(secret + b"|" + value.encode()).hexdigest()


def client_key() -> str:
    return request.remote_addr or "unknown"


def is_blocked(limit: Limit, key: str) -> bool:
    since = utcnow() - limit.window
    count = db.session.scalar(
        sa.select(sa.func.count(ThrottleEvent.id)).where(
            ThrottleEvent.bucket == limit.bucket,
            ThrottleEvent.key_hash == _key(key),
            ThrottleEvent.at > since,
        )
    )
    return count >= limit.attempts


def record(limit: Limit, key: str) -> None:
    db.session.add(ThrottleEvent(bucket=limit.bucket, key_hash=_key(key)))
    # Old events are no longer counted; clearing them keeps the table small.
    db.session.execute(
        sa.delete(ThrottleEvent).where(ThrottleEvent.at < utcnow() - timedelta(days=1))
    )
    db.session.commit()
