"""Release, freeze, withdraw, who may download, and the download log."""

import hashlib
import re
import time

from intake.extensions import db
from intake.models import ReportBack, ReportDownload, ReportState
from intake.submissions import service as records
from tests import factories
from tests.conftest import submit


def _make(client, story, **extra):
    data = {
        "since": "2026-01-01",
        "until": "2026-11-01",
        "assessment": str(story["assessment_id"]),
        **extra,
    }
    response = submit(client, "/p/alpha/reports/", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def test_preview_release_download_withdraw(app, client, auth, story):
    app.config["REPORT_RENDER_INLINE"] = True
    auth.login("kim")
    url = _make(client, story)
    page = client.get(url).get_data(as_text=True)
    assert "draft, not released" in page
    sha = re.search(r'class="mono">([0-9a-f]{64})<', page).group(1)

    central = app.test_client()
    submit(central, "/login", {"username": "alex", "password": factories.PASSWORD})
    assert central.get(url).status_code == 404  # not yet released
    assert central.get(url + "/pdf").status_code == 404

    assert submit(client, url + "/release", page=url).status_code == 302
    again = submit(client, url + "/release", page=url)
    assert again.status_code == 303  # a released report cannot be released again

    download = central.get(url + "/pdf")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith(
        'attachment; filename="report-back-alpha-'
    )
    assert hashlib.sha256(download.data).hexdigest() == sha
    assert "SHA-256" in central.get(url).get_data(as_text=True)
    assert central.get(url + "/release").status_code == 405
    assert submit(central, url + "/release", page=url).status_code == 404

    assert "Report-back released" in client.get("/p/alpha/chronology").get_data(as_text=True)
    # The contact group sees who downloaded it, and when.
    assert "Alex" in client.get(url).get_data(as_text=True)
    with app.app_context():
        logged = db.session.query(ReportDownload).all()
        assert [d.account.username for d in logged] == ["alex"]

    refused = submit(client, url + "/withdraw", {"reason": ""}, page=url)
    assert refused.status_code == 303
    assert (
        submit(client, url + "/withdraw", {"reason": "A date was wrong."}, page=url).status_code
        == 302
    )
    assert central.get(url + "/pdf").status_code == 404
    assert "A date was wrong." in client.get(url).get_data(as_text=True)
    with app.app_context():
        report = db.session.query(ReportBack).one()
        assert report.state is ReportState.WITHDRAWN and report.pdf is not None  # kept, not deleted


def test_support_group_reads_released_reports_only_if_she_wants_updates(app, client, auth, story):
    app.config["REPORT_RENDER_INLINE"] = True
    auth.login("kim")
    url = _make(client, story)
    submit(client, url + "/release", page=url)
    sam = app.test_client()
    submit(sam, "/login", {"username": "sam", "password": factories.PASSWORD})
    assert sam.get(url + "/pdf").status_code == 200  # the demo handover says "major changes"
    with app.app_context():
        from intake.models import Process

        process = db.session.get(Process, story["process_id"])
        handover = records.first_of(process, "handover")
        answers = records.answers_of(handover) | {"wants_updates": "none"}
        records.save(
            process,
            records.definition("handover"),
            None,
            answers,
            submission=handover,
            started_from=handover.lock_version,
            submit=True,
        )
        db.session.commit()
    assert sam.get(url + "/pdf").status_code == 404
    assert sam.get("/p/alpha/reports/").status_code == 200


def test_period_in_the_wrong_order_is_explained(app, client, auth, story):
    auth.login("kim")
    response = submit(client, "/p/alpha/reports/", {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 422
    assert "ends before it starts" in response.get_data(as_text=True)
    assert 'value="2026-05-01"' in response.get_data(as_text=True)


def test_rendering_runs_in_a_worker_process(app, client, auth, story):
    app.config["REPORT_RENDER_INLINE"] = False
    auth.login("kim")
    url = _make(client, story)
    first = client.get(url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in first or "draft, not released" in first
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(url).get_data(as_text=True)
        if "draft, not released" in page or "could not be made" in page:
            break
        time.sleep(0.3)
    assert "draft, not released" in page
    assert client.get(url + "/pdf").data.startswith(b"%PDF")
