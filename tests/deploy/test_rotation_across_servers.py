"""Keys rotated as docs/deploy.md says for app servers with a keys folder each: the other
server stopped, the rotation on one, the folder copied, the other started again. Both
then open everything, old and new, and nothing is sealed with the retired key."""

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


def _copy_keys(source: Path, target: Path) -> None:
    """``rsync -a --delete source/keys/ target/keys/``: retired keys go too."""
    shutil.rmtree(target / "keys")
    shutil.copytree(source / "keys", target / "keys")


def test_a_key_rotated_on_one_server_reaches_the_other(postgres_url: str, tmp_path: Path) -> None:
    app1, app2 = tmp_path / "app1", tmp_path / "app2"
    write_instance(app1, postgres_url)
    made = intake_command(app1, "keys", "init")
    assert made.returncode == 0, made.stderr
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

    with gunicorn(app1, workers=1) as one:
        first = Browser(one)
        first.sign_in("kim", factories.PASSWORD)
        with gunicorn(app2, workers=1) as two:
            second = Browser(two)
            second.sign_in("kim", factories.PASSWORD)
            assert "Written before the rotation." in second.get(before)[1]
        # app2 is stopped; app1 answers alone while the key changes.
        rotated = intake_command(app1, "keys", "rotate", "--retire")
        assert rotated.returncode == 0, rotated.stdout + rotated.stderr
        assert f"Retired key {old_key}" in rotated.stdout
        assert "Written before the rotation." in first.get(before)[1]

        _copy_keys(app1, app2)
        with gunicorn(app2, workers=1) as two:
            second = Browser(two)
            second.sign_in("kim", factories.PASSWORD)
            status, page = second.get(before)
            assert status == 200 and "Written before the rotation." in page
            status, _ = second.post(NEW, {**_entry("Written after it."), "_action": "submit"})
            assert status == 200
            after = RECORD.format(max(_sealed(postgres_url)))
            assert "Written after it." in first.get(after)[1]

    new_key = Keyring.load(app1 / "keys").current
    assert new_key != old_key
    assert set(_sealed(postgres_url).values()) == {new_key}
    assert not (app2 / "keys" / f"{old_key}.key").exists()
    checked = intake_command(app2, "check")
    assert "FAIL" not in checked.stdout, checked.stdout
