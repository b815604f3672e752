"""A link takes one answer, even from two devices at once; two tabs never overwrite (R6)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from intake.extensions import db
from intake.models import PrivateLink, Submission
from intake.submissions import service
from tests.checkins.test_links import ANSWERS, _round
from tests.conftest import csrf_token, submit


def _opened(app, link: str):
    browser = app.test_client()
    assert browser.get(link).status_code == 302
    return browser


def _words(n: int) -> dict:
    return {**ANSWERS, "what_he_said": f"Words from device {n}.", "_action": "submit"}


def _sent_at_once(app, link: str, drafts: bool) -> list[tuple[int, str]]:
    devices = [_opened(app, link) for _ in range(2)]
    if drafts:
        submit(devices[0], "/c", {"what_he_said": "a start", "_action": "draft"})
    pages = [d.get("/c").get_data(as_text=True) for d in devices]
    tokens = [csrf_token(d, "/c") for d in devices]
    locks = [re.search(r'name="lock_version" value="(\d+)"', p) for p in pages]
    start = threading.Barrier(2)

    def send(n: int) -> tuple[int, str]:
        data = {**_words(n), "csrf_token": tokens[n]}
        if locks[n]:
            data["lock_version"] = locks[n].group(1)
        start.wait()
        response = devices[n].post("/c", data=data)
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(send, range(2)))


def _check_one_answer(app, results) -> None:
    statuses = sorted(status for status, _page in results)
    assert statuses == [200, 409], statuses
    winner = next(n for n, (status, _page) in enumerate(results) if status == 200)
    loser_page = results[1 - winner][1]
    assert "This answer was already sent" in loser_page
    assert f"Words from device {1 - winner}." in loser_page  # shown once, to copy
    with app.app_context():
        records = db.session.scalars(sa.select(Submission).filter_by(form_id="checkin")).all()
        assert len(records) == 1
        link = db.session.scalars(
            sa.select(PrivateLink).where(PrivateLink.answered_at.is_not(None))
        ).one()
        assert link.submission_id == records[0].id
        said = service.answers_of(records[0])["what_he_said"]
        assert said == f"Words from device {winner}."


def test_a_link_sent_from_two_devices_at_once_stores_one_answer(app, client, auth, process_ready):
    auth.login("kim")
    _check_one_answer(app, _sent_at_once(app, _round(client)[0], drafts=False))


def test_a_link_with_a_draft_sent_from_two_devices_at_once(app, client, auth, process_ready):
    auth.login("kim")
    _check_one_answer(app, _sent_at_once(app, _round(client)[0], drafts=True))


def test_sending_after_the_other_tab_sent_gives_the_words_back(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    first, second = _opened(app, link), _opened(app, link)
    token = csrf_token(second, "/c")
    assert "Thank you" in submit(first, "/c", _words(0)).get_data(as_text=True)
    late = second.post("/c", data={**_words(1), "csrf_token": token})
    assert late.status_code == 409
    assert "Words from device 1." in late.get_data(as_text=True)
    assert second.get("/c").status_code == 404  # once: the words are not kept anywhere


def test_two_tabs_of_one_link_do_not_overwrite_each_others_draft(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    tab_a, tab_b = _opened(app, link), _opened(app, link)
    token_b = csrf_token(tab_b, "/c")  # tab B opened before A saved anything
    saved = submit(tab_a, "/c", {"what_he_said": "Tab A words.", "_action": "draft"})
    assert saved.status_code == 200
    clash = tab_b.post(
        "/c", data={"what_he_said": "Tab B words.", "_action": "draft", "csrf_token": token_b}
    )
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "Tab A words." in page and "Tab B words." in page
    # Tab A, saving again from its own page, now meets tab B's page too.
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    again = tab_b.post(
        "/c",
        data={
            "what_he_said": "Tab B words.",
            "_action": "draft",
            "lock_version": lock,
            "csrf_token": token_b,
        },
    )
    assert again.status_code == 200
    stale = submit(tab_a, "/c", {"what_he_said": "Tab A again.", "_action": "draft"}, page="/c")
    with app.app_context():
        record = db.session.scalars(sa.select(Submission).filter_by(form_id="checkin")).one()
        assert "Tab B words." in str(service.answers_of(record))
    assert stale.status_code in (200, 409)
