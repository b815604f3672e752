"""Keys rotated as docs/deploy.md says for app servers with a keys folder each, while
both keep answering: a key added on one, copied to the other, made current on each, then
everything re-encrypted under it and the old key retired on both. Both open everything,
old and new, throughout, and nothing is left sealed with the retired key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from intake import create_app
from intake.extensions import db
from intake.models import Role, Submission
from intake.security.encryption import Keyring
from tests import factories
from tests.conftest import app_config
from tests.live import Browser, gunicorn, intake_command, write_instance

pytestmark = pytest.mark.deploy

RECORD = "/p/alpha/submissions/{}"
NEW = "/p/alpha/submissions/new/contact"


def _entry(summary: str) -> dict[str, str]:
    return {"date": "2026-02-03", "channel": "email", "direction": "we_wrote", "summary": summary}


def _sealed(database_url: str) -> dict[int, str]:
    """Each record's id and the key its answers are sealed with."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(Submission.id, Submission.answers)).all()
    finally:
        engine.dispose()
    return {id_: Keyring.key_id_of(blob) for id_, blob in rows}


def _done(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_key_rotated_while_both_servers_answer_reaches_both(
    postgres_url: str, tmp_path: Path
) -> None:
    app1, app2 = tmp_path / "app1", tmp_path / "app2"
    write_instance(app1, postgres_url)
    _done(intake_command(app1, "keys", "init"))
    app = create_app(app_config(postgres_url, ANSWER_KEYS_DIR=str(app1 / "keys")))
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        before = RECORD.format(
            factories.record(alpha, "contact", kim, _entry("Written before the rotation.")).id
        )
        db.engine.dispose()
    shutil.copytree(app1, app2)  # config.py and keys/, as copied to every machine
    old_key = Keyring.load(app1 / "keys").current

    with gunicorn(app1, workers=1) as one, gunicorn(app2, workers=1) as two:
        first, second = Browser(one), Browser(two)
        first.sign_in("kim", factories.PASSWORD)
        second.sign_in("kim", factories.PASSWORD)

        _done(intake_command(app1, "keys", "add"))
        new_key = next(k for k in Keyring.load(app1 / "keys").keys if k != old_key)
        # scp app1's new key file to the other server; nobody seals with it yet.
        shutil.copy2(app1 / "keys" / f"{new_key}.key", app2 / "keys" / f"{new_key}.key")
        for instance in (app1, app2):
            _done(intake_command(instance, "keys", "use", new_key))

        status, _ = second.post(NEW, {**_entry("Written during it."), "_action": "submit"})
        assert status == 200
        during = RECORD.format(max(_sealed(postgres_url)))
        assert _sealed(postgres_url)[int(during.rsplit("/", 1)[1])] == new_key
        assert "Written during it." in first.get(during)[1]

        rotated = _done(intake_command(app1, "keys", "rotate", "--to", new_key, "--retire"))
        assert f"Retired key {old_key}" in rotated
        assert f"Retired key {old_key}" in _done(
            intake_command(app2, "keys", "rotate", "--to", new_key, "--retire")
        )
        for browser in (first, second):
            for page, words in ((before, "Written before"), (during, "Written during")):
                status, text = browser.get(page)
                assert status == 200 and words in text
        status, _ = first.post(NEW, {**_entry("Written after it."), "_action": "submit"})
        assert status == 200
        after = RECORD.format(max(_sealed(postgres_url)))
        assert "Written after it." in second.get(after)[1]

    assert set(_sealed(postgres_url).values()) == {new_key}
    for instance in (app1, app2):
        assert Keyring.load(instance / "keys").current == new_key
        assert not (instance / "keys" / f"{old_key}.key").exists()
    checked = intake_command(app2, "check")
    assert "FAIL" not in checked.stdout, checked.stdout
