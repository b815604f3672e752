"""Default settings; ``instance/config.py`` and the environment override them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "intake_session",
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 12,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    # Our pages send no Referer at all (Referrer-Policy: no-referrer), so the
    # Referer check Flask-WTF does over HTTPS would refuse every form. The
    # token plus SameSite cookies carry the protection instead.
    "WTF_CSRF_SSL_STRICT": False,
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "PREFERRED_URL_SCHEME": "https",
    # How many reverse proxies stand in front of the app (see intake/proxies.py).
    "TRUSTED_PROXIES": 0,
    # Mail of private links, sent by a job: seconds to wait for the SMTP server, tries in
    # all, and the pause before each further try.
    "MAIL_TIMEOUT": 15,
    "MAIL_TRIES": 3,
    "MAIL_RETRY_SECONDS": (60, 600),
    # Report-back renders: seconds a render may take, and how many run at once.
    "REPORT_TIME_LIMIT": 120,
    "REPORT_RENDERS_AT_ONCE": 2,
}


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Hosting panels often hand out postgres:// URLs; SQLAlchemy needs the driver named.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return "sqlite:///" + str(Path(instance_path) / "intake.sqlite")


def from_environment() -> dict[str, Any]:
    """Settings that deployments commonly give as environment variables."""
    found: dict[str, Any] = {}
    if os.environ.get("INTAKE_LOCAL_HTTP") == "1":
        # Local development over plain http on the loopback: browsers would
        # drop a Secure cookie there. `intake check` warns about this.
        found["SESSION_COOKIE_SECURE"] = False
        found["PREFERRED_URL_SCHEME"] = "http"
    if os.environ.get("REDIS_URL"):
        # Throttling counters then live in Redis, shared by every app server, and mail
        # and report renders go onto its queue for `intake worker`.
        found["REDIS_URL"] = os.environ["REDIS_URL"]
    if os.environ.get("REPORT_RENDERS_AT_ONCE"):
        found["REPORT_RENDERS_AT_ONCE"] = int(os.environ["REPORT_RENDERS_AT_ONCE"])
    if os.environ.get("TRUSTED_PROXIES"):
        found["TRUSTED_PROXIES"] = os.environ["TRUSTED_PROXIES"]
    base_url = os.environ.get("BASE_URL") or os.environ.get("INTAKE_BASE_URL")
    if base_url:
        found["BASE_URL"] = base_url
    return found
