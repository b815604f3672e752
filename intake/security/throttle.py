"""Throttling of guesses, counted where every worker and server sees the same count.

The count lives in the database, or in Redis when ``REDIS_URL`` is set. If
Redis cannot be reached the database counts instead: an outage must never
mean more guesses.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, request

from intake.extensions import db
from intake.models import ThrottleEvent, utcnow

if TYPE_CHECKING:
    # Imported where a store is made: without REDIS_URL (a single machine) every worker
    # and command would import the client, a tenth of a second, for nothing.
    import redis


@dataclass(frozen=True)
class Limit:
    bucket: str
    attempts: int
    window: timedelta


LINK_GUESSES = Limit("link", 20, timedelta(minutes=10))
SIGN_IN_PER_CLIENT = Limit("signin-client", 20, timedelta(minutes=15))
SIGN_IN_PER_ACCOUNT = Limit("signin-account", 8, timedelta(minutes=15))
# A browser that signed in to the account before is counted on its own,
# so strangers' guesses do not lock out the owner (see known_devices).
SIGN_IN_PER_DEVICE = Limit("signin-device", 8, timedelta(minutes=15))
# Someone at an unattended, signed-in browser could otherwise guess the
# current password (and so learn it) on the password and second-factor pages.
PASSWORD_CHECKS = Limit("password-check", 8, timedelta(minutes=15))


def retry_after(limit: Limit) -> int:
    """Minutes to tell a person to wait: the whole window, to keep it simple and safe."""
    return int(limit.window.total_seconds() // 60)


def _key(value: str) -> str:
    # Keys are hashed with the app's secret so neither store holds addresses or names.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(secret + b"|" + value.encode()).hexdigest()


def client_key() -> str:
    """Who is guessing: the client's address, or for IPv6 its /64.

    One IPv6 connection commonly holds a whole /64 and can pick a fresh
    address for every attempt, so counting single addresses would count nothing.
    """
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def is_blocked(limit: Limit, key: str) -> bool:
    hashed = _key(key)
    store = _redis()
    if store is not None:
        try:
            return _redis_count(store, limit, hashed) >= limit.attempts
        except _redis_error() as exc:
            _unreachable(exc)
    return _database_count(limit, hashed) >= limit.attempts


def record(limit: Limit, key: str) -> None:
    hashed = _key(key)
    store = _redis()
    if store is not None:
        try:
            _redis_add(store, limit, hashed)
            return
        except _redis_error() as exc:
            _unreachable(exc)
    _database_add(limit, hashed)


def redis_reachable() -> bool | None:
    """None without ``REDIS_URL``; otherwise whether Redis answers (for ``intake check``)."""
    store = _redis()
    if store is None:
        return None
    try:
        return bool(store.ping())
    except _redis_error():
        return False


# --- the database ---------------------------------------------------------


def _database_count(limit: Limit, hashed: str) -> int:
    return db.session.execute(
        sa.select(sa.func.count(ThrottleEvent.id)).where(
            ThrottleEvent.bucket == limit.bucket,
            ThrottleEvent.key_hash == hashed,
            ThrottleEvent.at > utcnow() - limit.window,
        )
    ).scalar_one()


def _database_add(limit: Limit, hashed: str) -> None:
    db.session.add(ThrottleEvent(bucket=limit.bucket, key_hash=hashed))
    # Old events are no longer counted; clearing them keeps the table small.
    db.session.execute(
        sa.delete(ThrottleEvent).where(ThrottleEvent.at < utcnow() - timedelta(days=1))
    )
    db.session.commit()


# --- Redis: one sorted set per key, scored by time, a sliding window -------


def _redis() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("intake_redis", {})
    if url not in clients:
        import redis

        # Short timeouts: a sign-in should not hang on a slow Redis.
        clients[url] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return clients[url]


def _redis_error() -> type[Exception]:
    import redis  # a store was made, so it is imported already

    return redis.RedisError


def _redis_name(limit: Limit, hashed: str) -> str:
    return f"intake:throttle:{limit.bucket}:{hashed}"


def _redis_count(store: redis.Redis, limit: Limit, hashed: str) -> int:
    now = utcnow().timestamp()
    pipe = store.pipeline(transaction=True)
    pipe.zremrangebyscore(_redis_name(limit, hashed), 0, now - limit.window.total_seconds())
    pipe.zcard(_redis_name(limit, hashed))
    return int(pipe.execute()[1])


def _redis_add(store: redis.Redis, limit: Limit, hashed: str) -> None:
    now = utcnow().timestamp()
    name = _redis_name(limit, hashed)
    pipe = store.pipeline(transaction=True)
    # A random member: two attempts in the same instant are two attempts.
    pipe.zadd(name, {f"{now}:{secrets.token_hex(6)}": now})
    pipe.expire(name, int(limit.window.total_seconds()) + 1)
    pipe.execute()


def _unreachable(exc: Exception) -> None:
    current_app.logger.warning(
        "Redis unreachable, counting in the database: %s", type(exc).__name__
    )
