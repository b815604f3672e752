"""Browsers that signed in to an account before, recognised by a signed cookie.

Strangers who guess an account's password pause it for everyone (per-account
throttling). The owner should not be locked out by them: a browser that once
signed in to the account carries a signed device cookie, and its attempts are
counted per device instead of per account. The cookie alone opens nothing;
the password (and the second factor) are still needed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Response, after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from intake.models import Account

COOKIE = "intake_device"
LIFETIME = timedelta(days=180)
# Only the sign-in pages need it; no other page ever receives it.
COOKIE_PATH = "/login"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="intake.known-device")


def device_of(account: Account | None) -> str | None:
    """The device id if this browser signed in to ``account`` before, else None."""
    value = request.cookies.get(COOKIE)
    if not value or account is None:
        return None
    try:
        data = _serializer().loads(value, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != account.id:
        return None
    device = data.get("d")
    return device if isinstance(device, str) else None


def remember(account: Account) -> None:
    """After a complete sign-in: mark this browser as one the account's owner uses."""
    device = device_of(account) or secrets.token_urlsafe(16)
    value = _serializer().dumps({"a": account.id, "d": device})

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            COOKIE,
            value,
            max_age=int(LIFETIME.total_seconds()),
            path=COOKIE_PATH,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        return response
