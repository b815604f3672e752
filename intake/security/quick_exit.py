"""Exit this page: where the button leads, chosen per process by its coordinators.

The neutral site must be an ordinary https address, so that the button can never
be turned into a way back into the service or into a script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from intake.models import Process
from intake.security import audit

DEFAULT_EXIT_URL = "https://www.bbc.com/weather"
MAX_LENGTH = 300


class BadExitAddress(ValueError):
    """The address given for "Exit this page" cannot be used; the message says why."""


def exit_url(process: Process | None) -> str:
    """The neutral site for this process's pages (the default where none is chosen)."""
    return (process.exit_url if process is not None else None) or DEFAULT_EXIT_URL


def checked_exit_url(text: str) -> str | None:
    """The address as it will be stored, or None for the default; refuses anything but https."""
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if (
        len(text) > MAX_LENGTH
        or parts.scheme != "https"
        or not parts.hostname
        or "." not in parts.hostname
        or parts.username
        or parts.password
        or any(c.isspace() or ord(c) < 32 for c in text)
    ):
        raise BadExitAddress(
            _l("Give a full https address of another site, e.g. https://www.bbc.com/weather.")
        )
    return text


def set_exit_url(process: Process, text: str) -> None:
    """Store the coordinators' choice (raises BadExitAddress, leaving the old one).

    A change is audited: where the button leads decides where a person in danger
    lands, so the coordinators can see who changed it and when.
    """
    chosen = checked_exit_url(text)
    if chosen == process.exit_url:
        return
    process.exit_url = chosen
    audit.record("exit-site-changed", process=process, subject=f"process:{process.id}")
