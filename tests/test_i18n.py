"""English and German: the person picks, and the German catalogue is complete."""

import subprocess
import sys
from pathlib import Path

from tests import factories
from tests.conftest import submit

ROOT = Path(__file__).resolve().parent.parent


def test_german_catalogue_is_complete() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "translations.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_browser_language_is_respected(client) -> None:
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert 'lang="de"' in page.get_data(as_text=True)
    assert "Anmeldename" in page.get_data(as_text=True)


def test_person_picks_language(client) -> None:
    response = submit(client, "/language", {"lang": "de", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Anmelden" in page
    submit(client, "/language", {"lang": "en", "next": "/login"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_language_choice_survives_sign_in_and_is_remembered(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    submit(client, "/language", {"lang": "de", "next": "//evil.example"})
    auth.login("kim")
    page = client.get("/").get_data(as_text=True)
    assert "Meine Prozesse" in page


def test_validation_messages_are_german(client) -> None:
    submit(client, "/language", {"lang": "de", "next": "/login"})
    response = submit(client, "/login", {"username": "", "password": ""})
    assert "Gib deinen Anmeldenamen ein." in response.get_data(as_text=True)


def test_language_switch_refuses_offsite_next(client) -> None:
    response = submit(client, "/language", {"lang": "de", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
