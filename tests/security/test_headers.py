"""Every answer carries the protective headers, error pages included."""

import re

import pytest

from tests import factories

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/intake.css", "/no-such-page"])
def test_headers_on_every_response(client, path) -> None:
    response = client.get(path)
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, f"{name} on {path}"
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp


def test_signed_in_pages_are_not_stored(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/static/intake.css").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(app, client) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_or_third_party_assets(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    # Scripts only as files of this site, never inline (the CSP forbids inline script too).
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts == [(' src="/static/error-summary.js" defer', "")]
    assert page.count("<script") == len(scripts)
    assert "http://" not in page and "https://" not in page
    assert " style=" not in page


def test_oversized_request_is_refused_politely(client) -> None:
    response = client.post("/login", data={"username": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_errors_show_no_stack_trace(app, client) -> None:
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail in the exception")

    # Reach it without sign-in rules getting in the way of the check.
    from intake.security import access

    access_endpoints = access.PUBLIC_ENDPOINTS
    access.PUBLIC_ENDPOINTS = access_endpoints | {"boom"}
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/boom")
    finally:
        access.PUBLIC_ENDPOINTS = access_endpoints
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret detail" not in body
    assert "Traceback" not in body
    assert "Something went wrong on our side" in body


def test_the_error_page_shows_when_the_signed_in_member_was_erased_meanwhile(
    app, client, auth, alpha
) -> None:
    """A request whose membership an erase removed halfway still gets its calm page."""
    import sqlalchemy as sa
    from flask import g

    from intake.extensions import db
    from intake.models import Membership
    from intake.security.access import allow, process_blueprint
    from intake.security.policy import Act

    bp = process_blueprint("gone", __name__, "/gone")

    @bp.get("/")
    @allow(Act.SEE_OVERVIEW)
    def gone():
        with db.engine.begin() as other:  # another request's erase, committed meanwhile
            other.execute(sa.delete(Membership).where(Membership.id == g.membership.id))
        db.session.expire_all()
        raise RuntimeError("the record went away")

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login("kim")
    response = client.get("/p/alpha/gone/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
