"""Response headers that every answer carries, error pages and downloads included."""

from flask import Response
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        # Only "Stay signed in" asks the server from a script, and only this server.
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    # Nothing a signed-in person sees may stay in a shared computer's cache,
    # and the sign-in and set-up pages carry tokens of their own.
    if response.mimetype == "text/html" or _signed_in_or_unknown():
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _signed_in_or_unknown() -> bool:
    # Asking who is signed in needs the database; while it is unreachable the
    # answer is unknown, and unknown is treated as signed in (nothing cached).
    try:
        return bool(current_user.is_authenticated)
    except SQLAlchemyError:
        return True
