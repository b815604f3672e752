"""Labels translated once per locale and days formatted once: the same HTML, faster."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from flask_babel import format_date as flask_format_date
from flask_babel import format_datetime as flask_format_datetime

from intake import labels
from intake.cli.demo_data import load_story
from intake.clock import today
from intake.extensions import db
from intake.models import Role
from intake.record.chronology import KINDS, kind_label
from tests import factories
from tests.conftest import submit

PAGES = ["/p/alpha/", "/p/alpha/chronology", "/p/alpha/contacts", "/p/alpha/steps/"]
PAGES += ["/p/alpha/meetings/", "/p/alpha/demands/", "/p/alpha/submissions/"]
# A create form's one-time key is new on every showing, as the CSRF token is.
TOKEN = re.compile(r'name="(csrf_token|form_key)"( type="hidden")? value="[^"]+"')


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        load_story(alpha, sam, kim, today())
        db.session.commit()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    return client


def _page(client, path: str, lang: str) -> str:
    submit(client, "/language", {"lang": lang, "next": "/"})
    html = client.get(path).get_data(as_text=True)
    return TOKEN.sub("token", html)  # the only parts that change from one request to the next


def test_pages_are_byte_identical_with_words_remembered(signed_in):
    cold = {}
    for lang in ("en", "de"):
        for path in PAGES:
            labels.forget()  # as the first request after start-up: everything looked up
            cold[lang, path] = _page(signed_in, path, lang)
    assert "Chronologie" in cold["de", "/p/alpha/chronology"]
    assert "Chronology" in cold["en", "/p/alpha/chronology"]
    # Warm: each locale's words already remembered, the languages taking turns.
    for _ in range(2):
        for lang in ("de", "en"):
            for path in PAGES:
                assert _page(signed_in, path, lang) == cold[lang, path], (lang, path)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_days_are_written_as_flask_babel_writes_them(app, lang):
    with app.test_request_context(), force_locale(lang):
        days = [date(2019, 12, 25) + timedelta(days=n * 37) for n in range(60)]
        for fmt in ("medium", "MMM", "long"):
            for day in days:
                assert labels.format_day(day, fmt) == flask_format_date(day, fmt)
                assert labels.format_day(day, fmt) == flask_format_date(day, fmt)  # remembered


@pytest.mark.parametrize("lang", ["en", "de"])
def test_moments_are_written_as_flask_babel_writes_them_in_the_zone_of_the_instance(app, lang):
    moments = [datetime(2021, 3, 28, 0, 30, tzinfo=UTC) + timedelta(hours=n * 7) for n in range(40)]
    for zone in ("UTC", "Europe/Berlin", "America/Sao_Paulo"):
        app.extensions["babel"].default_timezone = zone  # as BABEL_DEFAULT_TIMEZONE sets it
        with app.test_request_context(), force_locale(lang):
            for moment in moments:
                for _ in range(2):  # the second time remembered
                    want = flask_format_datetime(moment, "medium")
                    assert labels.format_moment(moment, "medium") == want, zone
                    assert labels.format_day(moment) == flask_format_date(moment), zone
    with app.test_request_context(), force_locale(lang):
        assert labels.format_moment(moments[0]) != labels.format_moment(
            moments[0] + timedelta(seconds=1)
        )


def test_labels_follow_the_locale_asked_in(app):
    with app.test_request_context():
        with force_locale("de"):
            german = [kind_label(k) for k in KINDS]
        with force_locale("en"):
            english = [kind_label(k) for k in KINDS]
        with force_locale("de"):
            assert [kind_label(k) for k in KINDS] == german
    assert english[1] == "Contacts" and german[1] == "Kontakte"
