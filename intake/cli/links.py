"""Links printed on the command line, where there is no request to build them from."""

import os

from flask import current_app, url_for


def base_url() -> str:
    configured = str(current_app.config.get("BASE_URL") or "").rstrip("/")
    if configured:
        return configured
    return f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"


def setup_url(token: str) -> str:
    with current_app.test_request_context(base_url=base_url()):
        return url_for("auth.setup_link", token=token, _external=True)
