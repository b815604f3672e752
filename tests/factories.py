"""Test data, made through the same domain functions the app uses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache

from intake.extensions import db
from intake.models import Account, Membership, Process, Role
from intake.people.membership import accept, create_process, invite_member
from intake.security.passwords import hash_password

PASSWORD = "correct horse battery"


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once.
    return hash_password(PASSWORD)


def account(username: str, *, admin: bool = False, password: bool = True) -> Account:
    made = Account(
        username=username,
        display_name=username.title(),
        is_instance_admin=admin,
        password_hash=_password_hash() if password else None,
    )
    db.session.add(made)
    db.session.commit()
    return made


def process(short_name: str = "alpha", pseudonym: str = "X") -> Process:
    made = create_process(short_name, pseudonym)
    db.session.commit()
    return made


def member(
    process: Process, username: str, role: Role = Role.CONTACT, *, coordinator: bool = False
) -> Membership:
    person = db.session.query(Account).filter_by(username=username).one_or_none()
    addition = invite_member(
        process,
        username=username,
        display_name=person.display_name if person else username.title(),
        role=role,
        is_coordinator=coordinator,
    )
    if person is None:
        # Created by this process, as through its invite page; the person has set a password.
        addition.membership.account.password_hash = _password_hash()
    elif addition.is_pending:
        # The account existed before: its owner accepts, as they would after signing in.
        accept(addition.membership, person)
    db.session.commit()
    return addition.membership


def record(process: Process, form_id: str, author: Account, answers: dict, *, submit: bool = True):
    """A submitted (or draft) record, saved through the same service as the pages."""
    from intake.submissions import service

    saved = service.save(process, service.definition(form_id), author, answers, submit=submit)
    db.session.commit()
    return saved.submission


def process_record(
    process: Process, author: Account, marker: str = "", handover: dict | None = None
) -> dict[str, int]:
    """A handover with one demand (plus ``handover`` answers), an amendment, a step,
    a meeting, a check-in round and a released report-back; their ids."""
    from intake.models import Demand, MeetingKind, StepOwner
    from intake.record import demands, meetings, steps

    answers = {"demands": [{"text": f"Demand {marker}"}], "wants_updates": "none"}
    record(process, "handover", author, {**answers, **(handover or {})})
    demand = db.session.query(Demand).filter_by(process_id=process.id).one()
    amendment = demands.propose_amendment(demand, f"New {marker}", "reason", author)
    step = steps.add_step(
        process,
        what=f"Step {marker}",
        owner=StepOwner.HIM,
        deadline=date(2026, 3, 1),
        agreed_on=date(2026, 1, 1),
        by=author,
    )
    meeting = meetings.plan(
        process,
        kind=MeetingKind.WITH_HIM,
        starts_at=datetime(2026, 1, 10, 18, tzinfo=UTC),
        place=f"Room {marker}",
        expected="",
        by=author,
    )
    from intake.checkins import private_links

    checkin_round, issued = private_links.start_round(
        process,
        title=f"Round {marker}",
        form_id="checkin",
        intro=f"Intro {marker}",
        people=[private_links.Person(f"partner {marker}", "")],
        days=7,
        by=author,
    )
    from intake.models import ReportBack, ReportState
    from intake.security.encryption import keyring

    report = ReportBack(
        process_id=process.id,
        since=date(2026, 1, 1),
        until=date(2026, 3, 1),
        language="en",
        state=ReportState.RELEASED,
        sha256="0" * 64,
    )
    db.session.add(report)
    db.session.flush()
    report.pdf = keyring().encrypt(f"%PDF {marker}".encode(), report.encryption_context)
    db.session.commit()
    return {
        "report_id": report.id,
        "round_id": checkin_round.id,
        "link_id": issued[0].link.id,
        "demand_id": demand.id,
        "amendment_id": amendment.id,
        "step_id": step.id,
        "meeting_id": meeting.id,
    }


def questionnaire(process: Process, author: Account, marker: str = "", *, publish: bool = True):
    """A process's own questionnaire, published once and with a draft of version 2 open."""
    from intake.questionnaires import store

    raw = store.blank("link")
    raw["title"] = {"en": f"Own {marker}", "de": f"Eigen {marker}"}
    made = store.create(process, author, raw)
    if publish:
        store.publish(made, author)
        store.save_draft(made, store.working_copy(made), made.lock_version)
    db.session.commit()
    return made
