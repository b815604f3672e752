"""A person sees where they are signed in and ends other sessions; copied cookies die."""

import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, AccountSession
from tests import factories
from tests.conftest import csrf_token, submit

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


def _browser(app, agent):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    return client


def test_see_and_end_other_sessions(app):
    with app.app_context():
        factories.account("kim")
    laptop = _browser(app, FIREFOX)
    phone = _browser(app, PHONE)
    stolen_cookie = phone.get_cookie("intake_session").value
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Linux" in page and "Chrome · Android" in page
    assert "this device" in page

    token = csrf_token(laptop, "/account/sessions")
    import re

    ids = re.findall(r"/account/sessions/(\d+)/end", page)
    assert len(ids) == 1  # only the other device has a button
    assert (
        laptop.post(f"/account/sessions/{ids[0]}/end", data={"csrf_token": token}).status_code
        == 302
    )
    assert phone.get("/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("intake_session", stolen_cookie)
    assert thief.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_end_all_others_and_not_someone_elses(app):
    with app.app_context():
        factories.account("kim")
        factories.account("eve")
    laptop = _browser(app, FIREFOX)
    others = [_browser(app, PHONE) for _ in range(2)]
    eve = app.test_client()
    submit(eve, "/login", {"username": "eve", "password": factories.PASSWORD})
    # Eve cannot end Kim's sessions by their ids: each answers 404 and keeps working.
    with app.app_context():
        kims = db.session.scalars(
            sa.select(AccountSession.id)
            .join(Account, Account.id == AccountSession.account_id)
            .where(Account.username == "kim")
        ).all()
    assert len(kims) == 3
    for session_id in kims:
        response = eve.post(
            f"/account/sessions/{session_id}/end",
            data={"csrf_token": csrf_token(eve, "/account/sessions")},
        )
        assert response.status_code == 404
    with app.app_context():
        ended = db.session.scalars(
            sa.select(AccountSession.ended_at).where(AccountSession.id.in_(kims))
        ).all()
    assert ended == [None, None, None]
    assert all(o.get("/").status_code == 200 for o in [laptop, *others])
    assert eve.get("/").status_code == 200
    done = submit(laptop, "/account/sessions/others/end", page="/account/sessions")
    assert done.status_code == 302
    assert all(o.get("/").status_code == 302 for o in others)
    assert laptop.get("/").status_code == 200


def test_tampered_or_forged_cookies_open_nothing(app):
    with app.app_context():
        factories.account("kim")
    laptop = _browser(app, FIREFOX)
    cookie = laptop.get_cookie("intake_session").value
    for forged in (
        cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB"),
        cookie.split(".")[0] + ".x.y",
        "not-a-cookie",
    ):
        intruder = app.test_client()
        intruder.set_cookie("intake_session", forged)
        assert intruder.get("/").status_code == 302
        assert intruder.get("/account/sessions").status_code == 302
