"""Links are committed first and mailed by a job: a hung, refusing or working mail server,
without Redis (the web process's runner) and with it (RQ)."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta

import pytest
import redis
from rq import Queue

from intake import create_app
from intake.checkins import link_mail
from intake.extensions import db
from intake.jobs import queue
from intake.models import (
    AuditEvent,
    CheckinRound,
    MailState,
    PrivateLink,
    Process,
    Role,
    utcnow,
)
from tests import factories
from tests.checkins.conftest import eventually
from tests.conftest import app_config, submit

PEOPLE = "partner; partner@example.org\nfriend; friend@example.org\nneighbour"


def _mail(app, port, **extra) -> None:
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_FROM="group@example.org",
        MAIL_TIMEOUT=1,
        MAIL_RETRY_SECONDS=(0, 0),
        **extra,
    )


def _send_round(client, people: str = PEOPLE):
    return submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": "R",
            "form_id": "checkin",
            "intro": "",
            "days": "28",
            "send_email": "yes",
            "people": people,
        },
    )


def _links(app) -> list[PrivateLink]:
    with app.app_context():
        links = db.session.scalars(db.select(PrivateLink).order_by(PrivateLink.id)).all()
        db.session.expunge_all()
        return list(links)


def _states(app) -> list[MailState | None]:
    return [link.mail_state for link in _links(app)]


def _settled(app) -> bool:
    return all(s in (None, MailState.SENT, MailState.FAILED) for s in _states(app))


def test_a_hung_mail_server_holds_no_round_hostage(app, client, auth, process_ready, hanging_smtp):
    server, port = hanging_smtp
    _mail(app, port)
    auth.login("kim")
    response = _send_round(client)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("mail waiting to be sent") == 2
    links = re.findall(r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"', page)
    with app.app_context():
        assert db.session.query(CheckinRound).count() == 1
    # The links were committed before any mail went out: they work whatever the mail does.
    assert app.test_client().get(links[2]).status_code == 302

    eventually(lambda: _settled(app))
    assert _states(app) == [MailState.FAILED, MailState.FAILED, None]
    assert [link.mail_problem for link in _links(app)[:2]] == ["no-answer", "no-answer"]
    assert server.tries == 6  # three tries for each of the two addresses
    round_page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    assert round_page.count("mail not sent: the mail server did not answer") == 2
    assert round_page.count("Try the mail again") == 2
    assert app.test_client().get(links[0]).status_code == 302


def test_a_refused_address_is_told_in_words_and_not_tried_again(
    app, client, auth, process_ready, refusing_smtp, caplog
):
    server, port = refusing_smtp
    _mail(app, port)
    auth.login("kim")
    _send_round(client, "partner; partner@example.org")
    eventually(lambda: _settled(app))
    assert server.tries == 1
    [link] = _links(app)
    assert link.mail_state is MailState.FAILED and link.mail_problem == "refused"
    page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    assert "mail not sent: the mail server refused the address" in page
    assert "partner@example.org" not in caplog.text and "/c/" not in caplog.text


def test_a_failed_mail_is_tried_again_with_the_same_link(
    app, client, auth, process_ready, refusing_smtp, smtp
):
    _server, port = refusing_smtp
    _mail(app, port)
    auth.login("kim")
    shown = _send_round(client, "partner; partner@example.org").get_data(as_text=True)
    link_path = re.search(r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"', shown).group(1)
    eventually(lambda: _settled(app))
    [link] = _links(app)

    retry = f"/p/alpha/checkins/links/{link.id}/mail"
    assert client.post(retry).status_code == 400  # no CSRF token, nothing happens
    assert _states(app) == [MailState.FAILED]

    inbox, working_port = smtp
    app.config["MAIL_PORT"] = working_port
    response = submit(client, retry, page="/p/alpha/checkins/1")
    assert response.status_code == 302
    eventually(lambda: _settled(app))
    assert _states(app) == [MailState.SENT]
    [message] = inbox.messages
    assert link_path in message.content.decode()
    assert "mail sent" in client.get("/p/alpha/checkins/1").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "invitation-mail-retried" in actions
        assert db.session.get(PrivateLink, link.id).mail_link is None  # the sealed copy is gone
    # A mail that went out is not sent again.
    again = submit(client, retry, page="/p/alpha/checkins/1", follow_redirects=True)
    assert "cannot be sent again" in again.get_data(as_text=True)


def test_the_mail_is_written_from_a_template_in_the_process_language(
    app, client, auth, process_ready, smtp
):
    inbox, port = smtp
    _mail(app, port)
    with app.app_context():
        db.session.get(Process, process_ready["alpha"]).language = "de"
        db.session.commit()
    auth.login("kim")
    _send_round(client, "partner; partner@example.org")
    eventually(lambda: len(inbox.messages) == 1)
    message = email.message_from_bytes(inbox.messages[0].content, policy=email.policy.default)
    assert message["Subject"] == "Ein paar Fragen"
    assert "Dieser Link ist nur für dich" in message.get_content()


def test_a_mail_no_job_took_shows_as_interrupted(app, client, auth, process_ready):
    auth.login("kim")
    submit(
        client,
        "/p/alpha/checkins/",
        {"title": "R", "form_id": "checkin", "days": "28", "send_email": "no", "people": "a"},
    )
    with app.app_context():
        link = db.session.scalar(db.select(PrivateLink))
        link.mail_state = MailState.SENDING  # a job took it, and its process died
        link.mail_due_at = utcnow() - timedelta(minutes=1)
        link.mail_link = b"sealed"
        db.session.commit()
        assert link_mail.view(link).state == "failed"
    page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    assert "mail not sent: the sending was interrupted" in page
    assert "Try the mail again" in page


@pytest.fixture
def queued_app(database_url, instance_dir, redis_url):
    app = create_app(app_config(database_url, REDIS_URL=redis_url))
    yield app
    if "intake.jobs" in app.extensions:
        app.extensions["intake.jobs"].stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _signed_in(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    client = app.test_client()
    submit(client, "/login", {"username": "kim", "password": "correct horse battery"})
    return client


def _work(app) -> None:
    """An RQ worker on the real Redis, in this process, until the queue is empty."""
    with app.app_context():
        queue.work(burst=True, forking=False)


def test_with_redis_mail_goes_out_from_the_rq_worker(queued_app, redis_url, smtp):
    app = queued_app
    inbox, port = smtp
    _mail(app, port)
    client = _signed_in(app)
    _send_round(client, "partner; partner@example.org\nfriend; friend@example.org")
    assert _states(app) == [MailState.WAITING, MailState.WAITING]
    assert inbox.messages == []  # the request sent nothing itself
    # Redis carries the kind of job and a row id, never the address or the link.
    jobs = Queue(queue.QUEUE, connection=redis.Redis.from_url(redis_url)).get_jobs()
    assert [job.args[0] for job in jobs] == ["mail", "mail"]
    assert all(len(job.args) == 2 and isinstance(job.args[1], int) for job in jobs)

    _work(app)
    assert _states(app) == [MailState.SENT, MailState.SENT]
    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == [
        "friend@example.org",
        "partner@example.org",
    ]


def test_with_redis_a_hung_server_is_tried_three_times(queued_app, hanging_smtp):
    app = queued_app
    server, port = hanging_smtp
    _mail(app, port)
    client = _signed_in(app)
    _send_round(client, "partner; partner@example.org")
    _work(app)
    [link] = _links(app)
    assert (link.mail_state, link.mail_problem, link.mail_tries) == (
        MailState.FAILED,
        "no-answer",
        3,
    )
    assert server.tries == 3


def test_his_link_by_mail_shows_its_state_on_the_minutes(
    app, client, auth, process_ready, refusing_smtp, smtp
):
    from tests.checkins.test_mail_and_him import _minutes_with_steps

    _server, port = refusing_smtp
    _mail(app, port)
    auth.login("kim")
    minutes_url = _minutes_with_steps(client)
    record_id = minutes_url.rsplit("/", 1)[1]
    shown = submit(
        client, f"/p/alpha/checkins/him/{record_id}", {"email": "him@example.org", "days": "28"}
    ).get_data(as_text=True)
    assert "mail waiting to be sent" in shown
    eventually(lambda: _settled(app))
    page = client.get(minutes_url).get_data(as_text=True)
    assert "mail not sent: the mail server refused the address" in page
    [link] = _links(app)
    inbox, working_port = smtp
    app.config["MAIL_PORT"] = working_port
    submit(client, f"/p/alpha/checkins/links/{link.id}/mail", page=minutes_url)
    eventually(lambda: _states(app) == [MailState.SENT])
    [message] = inbox.messages
    body = email.message_from_bytes(message.content, policy=email.policy.default)
    assert body["Subject"] == "What was agreed"
    assert "written record of what was agreed" in body.get_content()
    assert "mail sent" in client.get(minutes_url).get_data(as_text=True)


def test_with_redis_unreachable_the_mail_goes_out_from_the_web_process(
    app, client, auth, process_ready, smtp, tmp_path
):
    inbox, port = smtp
    _mail(app, port, REDIS_URL=f"unix://{tmp_path}/gone.sock")
    auth.login("kim")
    _send_round(client, "partner; partner@example.org")
    eventually(lambda: _settled(app))
    assert _states(app) == [MailState.SENT]
    assert len(inbox.messages) == 1
