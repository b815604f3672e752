"""Links that leave the app (set-up links, private check-in links) in full.

They are built from ``BASE_URL`` when it is set, never from the Host header
of the request: behind a proxy, or with a forged Host, that header could put
somebody else's address in front of a token the person then passes on.
"""

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    base = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
