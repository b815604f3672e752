"""Which counts of wrong guesses pause a sign-in, a code or a password check.

Views ask here before they check a secret and report here when it was wrong;
the counting itself lives in ``intake.security.throttle``.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from intake.models import Account
from intake.security import throttle


def _paused(limit: throttle.Limit, **page: object) -> ResponseReturnValue:
    minutes = throttle.retry_after(limit)
    return (
        render_template("auth/throttled.html", minutes=minutes, **page),
        429,
        {"Retry-After": str(minutes * 60)},
    )


def sign_in_paused(name: str, device: str | None) -> ResponseReturnValue | None:
    """The page to answer with if a password attempt for ``name`` must wait, else None.

    A browser that signed in to this account before (``device``) is counted on
    its own, not per client or per account: strangers guessing cannot lock out
    the owner, and the owner's browser still cannot guess without limit.
    """
    if device is not None:
        limits = [(throttle.SIGN_IN_PER_DEVICE, device)]
    else:
        limits = [
            (throttle.SIGN_IN_PER_CLIENT, throttle.client_key()),
            (throttle.SIGN_IN_PER_ACCOUNT, name),
        ]
    for limit, key in limits:
        if throttle.is_blocked(limit, key):
            # Same answer for known and unknown names: it reveals nothing.
            return _paused(limit)
    return None


def code_paused(account: Account, device: str | None) -> ResponseReturnValue | None:
    """Like ``sign_in_paused`` for second-factor codes: per account, or per known device."""
    limit, key = (
        (throttle.SIGN_IN_PER_DEVICE, device)
        if device is not None
        else (throttle.SIGN_IN_PER_ACCOUNT, account.username)
    )
    return _paused(limit) if throttle.is_blocked(limit, key) else None


def count_failure(name: str, device: str | None) -> None:
    """A wrong password or code for ``name`` from this browser."""
    throttle.record(throttle.SIGN_IN_PER_ACCOUNT, name)
    if device is None:
        throttle.record(throttle.SIGN_IN_PER_CLIENT, throttle.client_key())
    else:
        throttle.record(throttle.SIGN_IN_PER_DEVICE, device)


def _password_checks_key(account: Account) -> str:
    return f"account:{account.id}"


def password_check_paused(account: Account) -> ResponseReturnValue | None:
    """The page to answer with while checking this account's current password must wait."""
    if throttle.is_blocked(throttle.PASSWORD_CHECKS, _password_checks_key(account)):
        return _paused(throttle.PASSWORD_CHECKS, password_check=True)
    return None


def count_wrong_password_check(account: Account) -> None:
    throttle.record(throttle.PASSWORD_CHECKS, _password_checks_key(account))
