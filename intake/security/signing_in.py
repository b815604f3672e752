"""Signing in, step by step: the password, then (where set up) the second factor.

Between the two steps nothing of a session exists: the browser's cookie holds only
which account is half-way and since when, for a few minutes, and the language.
"""

from __future__ import annotations

import time

from flask import session

from intake.extensions import db
from intake.models import Account
from intake.security import audit, known_devices
from intake.security.sessions import start_session

HALF_WAY_KEY = "second_step"
HALF_WAY_SECONDS = 300


def await_second_factor(account: Account, next_url: str) -> None:
    """The password was right; the session starts only after the code."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[HALF_WAY_KEY] = {"id": account.id, "at": time.time(), "next": next_url}


def half_way() -> tuple[Account, str] | None:
    """The account waiting for its second factor, and where it was going; None when the
    wait is over, the account is gone or deactivated, or it no longer has a second factor."""
    pending = session.get(HALF_WAY_KEY)
    if not pending or time.time() - pending.get("at", 0) > HALF_WAY_SECONDS:
        session.pop(HALF_WAY_KEY, None)
        return None
    account = db.session.get(Account, pending.get("id"))
    if account is None or account.is_deactivated or not account.has_second_factor:
        session.pop(HALF_WAY_KEY, None)
        return None
    return account, pending.get("next") or ""


def sign_in(account: Account) -> None:
    """Start the session, remember this browser, and write it down; the caller commits."""
    start_session(account)
    known_devices.remember(account)
    audit.record("signin", actor=account)
