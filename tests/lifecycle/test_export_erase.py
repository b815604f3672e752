"""Export a whole process into one archive; erase it so that nothing of it is left."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from intake.extensions import db
from intake.lifecycle import archive
from intake.models import Account, AccountSession, Process, Role
from tests import factories
from tests.conftest import submit

PSEUDONYM = "Pseudo-ERASE-4410"
NAME = "Member-ERASE-8831"


@pytest.fixture
def two(app):
    with app.app_context():
        alpha = factories.process("alpha-erase-me", PSEUDONYM)
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        only = factories.member(alpha, "onlyhere", Role.SUPPORT).account
        only.display_name = NAME
        beta = factories.process("beta", "Y")
        factories.member(beta, "kim", Role.CENTRAL)
        factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        db.session.commit()
        ids = factories.process_record(alpha, kim, marker="EXPORTED")
        return {"alpha": alpha.id, "beta": beta.id, **ids, "only": only.id}


def test_export_holds_records_definitions_and_pdfs(app, two):
    with app.app_context():
        data = archive.export(db.session.get(Process, two["alpha"]))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        records = json.loads(z.read("records.json"))
        pdfs = [n for n in names if n.startswith("report-backs/")]
        assert pdfs and z.read(pdfs[0]).startswith(b"%PDF")
    assert records["process"]["pseudonym"] == PSEUDONYM
    assert records["demands"][0]["original"] == "Demand EXPORTED"
    handover = next(r for r in records["records"] if r["form_id"] == "handover")
    assert str(handover["definition"]) in records["form_definitions"]
    assert records["form_definitions"][str(handover["definition"])]["id"] == "handover"
    assert records["invitations"][0]["label"] == "partner EXPORTED"


def test_sealed_export_needs_the_passphrase(app, two):
    with app.app_context():
        sealed = archive.export(db.session.get(Process, two["alpha"]), "a long passphrase")
    assert b"EXPORTED" not in sealed and PSEUDONYM.encode() not in sealed
    opened = archive.unseal(sealed, "a long passphrase")
    assert zipfile.ZipFile(io.BytesIO(opened)).namelist()
    with pytest.raises(Exception):  # noqa: B017 - any failure is right here
        archive.unseal(sealed, "the wrong passphrase")


def test_coordinator_downloads_the_export(app, client, auth, two):
    auth.login("kim")
    response = submit(client, "/p/alpha-erase-me/export", {"passphrase": ""})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    short = submit(client, "/p/alpha-erase-me/export", {"passphrase": "short"})
    assert short.status_code == 422


def test_erase_in_two_steps_leaves_nothing(app, client, auth, two, backend, database_url):
    only_here = app.test_client()
    submit(only_here, "/login", {"username": "onlyhere", "password": factories.PASSWORD})
    auth.login("kim")
    url = "/p/alpha-erase-me/erase"
    wrong = submit(client, url, {"short_name": "alpha"})
    assert "Nothing was deleted" in wrong.get_data(as_text=True)
    step_two = submit(client, url, {"short_name": "alpha-erase-me"})
    assert "Last step" in step_two.get_data(as_text=True)
    done = submit(client, url, {"short_name": "alpha-erase-me", "confirm": "yes"}, page=url)
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Process, two["alpha"]) is None
        assert db.session.get(Process, two["beta"]) is not None
        assert db.session.get(Account, two["only"]) is None  # belonged only to the erased one
        kim = db.session.query(Account).filter_by(username="kim").one()  # also in beta: kept
        assert db.session.query(AccountSession).filter_by(account_id=two["only"]).count() == 0
    assert only_here.get("/").status_code == 302  # its session ended with it
    assert client.get("/p/beta/").status_code == 200
    assert kim is not None
    if backend == "sqlite":
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        path = Path(database_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        for marker in (PSEUDONYM, NAME, "alpha-erase-me", "onlyhere"):
            assert marker.encode() not in raw, marker


def test_erase_from_the_command_line(app, runner, two):
    refused = runner.invoke(args=["erase", "alpha-erase-me"], input="nope\n")
    assert refused.exit_code == 1
    result = runner.invoke(args=["erase", "alpha-erase-me"], input="alpha-erase-me\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Process, two["alpha"]) is None


def test_export_from_the_command_line(app, runner, two, tmp_path):
    out = tmp_path / "export.sealed"
    result = runner.invoke(
        args=["export", "alpha-erase-me", "-o", str(out), "--encrypt"],
        input="a long passphrase\na long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o077 == 0
    opened = tmp_path / "export.zip"
    result = runner.invoke(
        args=["unseal", str(out), "-o", str(opened)], input="a long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "records.json" in zipfile.ZipFile(opened).namelist()


def test_only_contact_group_coordinators_export_or_erase(app, client, auth, two):
    """The export holds raw records, so even a coordinator of another role cannot take it."""
    with app.app_context():
        from intake.models import Membership

        db.session.query(Membership).filter_by(account_id=two["only"]).one().is_coordinator = True
        db.session.commit()
    auth.login("onlyhere")
    assert client.get("/p/alpha-erase-me/export").status_code == 404
    assert (
        submit(
            client,
            "/p/alpha-erase-me/erase",
            {"short_name": "alpha-erase-me", "confirm": "yes"},
            page="/",
        ).status_code
        == 404
    )
