"""A key rotated while a real multi-worker server answers requests: no page breaks,
nothing is sealed with the retired key, and everything stays readable after a restart."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from intake import create_app
from intake.extensions import db
from intake.models import Role, Submission
from intake.security.encryption import Keyring
from intake.submissions import service
from tests import factories
from tests.conftest import app_config
from tests.live import Browser, gunicorn, intake_command, write_instance

NEW = "/p/alpha/submissions/new/contact"
PAGES = ["/p/alpha/contacts", "/p/alpha/chronology", "/p/alpha/"]


def _entry(n: int) -> dict[str, str]:
    return {
        "date": "2026-02-03",
        "channel": "email",
        "direction": "we_wrote",
        "summary": f"Entry {n} written during the rotation.",
        "_action": "submit",
    }


@pytest.fixture
def instance(database_url: str, tmp_path: Path) -> Path:
    folder = tmp_path / "instance"
    write_instance(folder, database_url)
    Keyring.load(folder / "keys").new_key()
    app = create_app(app_config(database_url, ANSWER_KEYS_DIR=str(folder / "keys")))
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        for n in range(5):
            factories.record(alpha, "contact", kim, {**_entry(n), "summary": f"Before {n}"})
        db.engine.dispose()
    return folder


def _summaries(database_url: str, keys: Path) -> tuple[list[str], set[str]]:
    """Every contact entry opened as a restarted service would: keys read afresh from disk."""
    app = create_app(app_config(database_url, ANSWER_KEYS_DIR=str(keys)))
    with app.app_context():
        records = db.session.scalars(sa.select(Submission).where(Submission.form_id == "contact"))
        summaries, key_ids = [], set()
        for record in records:
            key_ids.add(Keyring.key_id_of(record.answers))
            summaries.append(service.answers_of(record)["summary"])
        db.engine.dispose()
    return summaries, key_ids


def test_rotation_while_the_service_answers(instance: Path, database_url: str) -> None:
    old_key = Keyring.load(instance / "keys").current
    with gunicorn(instance, workers=2) as base:
        browser = Browser(base)
        browser.sign_in("kim", factories.PASSWORD)
        for page in PAGES:  # every worker has loaded the old key by now
            assert browser.get(page)[0] == 200
        stop = threading.Event()
        failures: list[tuple[str, int]] = []
        written: list[int] = []

        def use_the_service() -> None:
            n = 100
            while not stop.is_set():
                status, _ = browser.post(NEW, _entry(n))
                if status != 200:
                    failures.append((NEW, status))
                else:
                    written.append(n)
                for page in PAGES:
                    status, _ = browser.get(page)
                    if status != 200:
                        failures.append((page, status))
                n += 1

        user = threading.Thread(target=use_the_service)
        user.start()
        try:
            rotated = intake_command(instance, "keys", "rotate", "--retire")
        finally:
            after = len(written)
            # Keep using it for a while with the old key gone from the disk.
            while len(written) < after + 3 and user.is_alive():
                user.join(0.2)
            stop.set()
            user.join(60)
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        assert f"Retired key {old_key}" in rotated.stdout
        assert failures == []
        for page in PAGES:
            assert browser.get(page)[0] == 200

    assert not (instance / "keys" / f"{old_key}.key").exists()
    summaries, key_ids = _summaries(database_url, instance / "keys")
    assert key_ids == {Keyring.load(instance / "keys").current}
    assert len(summaries) == 5 + len(written)
    assert sorted(s for s in summaries if "during" in s) == sorted(
        _entry(n)["summary"] for n in written
    )
