"""A fictional process spanning years, so that every view has something real to show.

Nothing here comes from a real case. The story follows the brief: his first
answer months after the first email, a first meeting a year in, missed
meetings, a year of silence, an amendment, overdue steps and a few check-ins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from intake.checkins import private_links
from intake.extensions import db
from intake.models import (
    Account,
    AgreedStep,
    Demand,
    DemandAmendment,
    MeetingKind,
    Process,
    StepChange,
    StepOwner,
    StepStatus,
    Submission,
)
from intake.record import demands, meetings, steps
from intake.submissions import service

DEMANDS = (
    "Seek critical help, such as a perpetrator programme, to recall and understand what he did.",
    "Inform every new political group and every new sexual partner about his abusive behaviour.",
    "Stay accountable to the contact group: answer within two weeks and come to agreed meetings.",
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, 0, tzinfo=UTC)


def _backdate(record: Submission, day: date) -> None:
    record.created_at = record.updated_at = record.submitted_at = _at(day)
    for revision in record.revisions:
        revision.made_at = _at(day)


def _backdate_step(step: AgreedStep, day: date) -> None:
    latest = db.session.query(StepChange).filter_by(step_id=step.id).order_by(StepChange.id.desc())
    change = latest.limit(1).one()
    change.changed_at = _at(day)
    change.on = day
    step.status_on = day


def _contact(
    process: Process,
    kim: Account,
    day: date,
    direction: str,
    summary: str,
    *,
    note: str = "",
    only_acknowledged: bool = False,
) -> None:
    answers = {
        "date": day.isoformat(),
        "channel": "email" if direction != "someone_else" else "in_person",
        "direction": direction,
        "summary": summary,
        "awaiting_answer": "yes" if direction == "we_wrote" else "no",
    }
    if direction == "he_wrote":
        answers["answer_kind"] = "acknowledgement" if only_acknowledged else "real"
    if note:
        answers["report_note"] = note
    saved = service.save(process, service.known_definition("contact"), kim, answers, submit=True)
    _backdate(saved.submission, day)


def _minutes(process: Process, kim: Account, day: date, outcome: str, review: dict, steps_: list):
    answers = {
        "kind": "with_him",
        "planned_date": day.isoformat(),
        "outcome": outcome,
        "attended": "Kim, Jo, him" if outcome == "held" else None,
        "missed_note": "He cancelled an hour before." if outcome == "missed" else None,
        "review": review,
        "steps": steps_,
    }
    answers = {k: v for k, v in answers.items() if v}
    saved = service.save(process, service.known_definition("minutes"), kim, answers, submit=True)
    _backdate(saved.submission, day)
    return saved.submission


def load_story(process: Process, support: Account, kim: Account, today: date) -> None:
    """Fill an empty demo process with about four years of records."""
    start = today - timedelta(days=round(4.3 * 365))
    handover = service.save(
        process,
        service.known_definition("handover"),
        support,
        {
            "demands": [{"text": text} for text in DEMANDS],
            "aims": "Hold him to the demands without weakening them. Do not do his work for him.",
            "wants_updates": "major",
            "update_how": "Through the support group only.",
            "never_pass_on": "(demo) Anything about where she lives or works.",
            "who_knows": "(demo) Two political groups he was active in were told by letter.",
            "history": "(demo) A fictional history for trying out the service.",
            "handed_over_on": start.isoformat(),
        },
        submit=True,
    )
    _backdate(handover.submission, start)
    d1, d2, d3 = (
        db.session.query(Demand).filter_by(process_id=process.id).order_by(Demand.number).all()
    )

    # He answers for the first time five months after the first email.
    day = start + timedelta(days=7)
    _contact(process, kim, day, "we_wrote", "First email with the demands and the letter.")
    for gap in (30, 60, 90):
        _contact(process, kim, day + timedelta(days=gap), "we_wrote", "Reminder.")
    _contact(
        process,
        kim,
        day + timedelta(days=152),
        "he_wrote",
        "Short answer: he will think.",
        note="Says he needs time to think.",
        only_acknowledged=True,
    )
    _contact(process, kim, day + timedelta(days=170), "we_wrote", "Proposed a first meeting.")
    _contact(
        process,
        kim,
        day + timedelta(days=240),
        "he_wrote",
        "Agreed to meet.",
        note="Agrees to a first meeting.",
    )

    first = start + timedelta(days=365)
    _minutes(
        process,
        kim,
        first,
        "held",
        {
            str(d1.id): {"said": "He says he does not remember much.", "status": "in_progress"},
            str(d3.id): {"said": "He agrees to meet every three months.", "status": "in_progress"},
        },
        [
            {
                "what": "Find a perpetrator programme and write to it",
                "owner": "him",
                "deadline": (first + timedelta(days=60)).isoformat(),
                "demand": "1",
            },
            {
                "what": "Send him the list of groups to inform",
                "owner": "contact_group",
                "deadline": (first + timedelta(days=14)).isoformat(),
                "demand": "2",
            },
        ],
    )
    _minutes(process, kim, first + timedelta(days=91), "missed", {}, [])
    second = first + timedelta(days=190)
    _minutes(
        process,
        kim,
        second,
        "held",
        {
            str(d1.id): {
                "did": "He wrote to one programme and got no place yet.",
                "status": "partly_met",
            },
            str(d2.id): {
                "said": "He asks the group to inform his new group for him.",
                "assessment": "That is his task.",
                "status": "in_progress",
            },
        },
        [
            {
                "what": "Inform his new political group himself",
                "owner": "him",
                "deadline": (second + timedelta(days=30)).isoformat(),
                "demand": "2",
            }
        ],
    )
    # Then a year of silence.
    for gap in (20, 80, 160, 250, 330):
        _contact(process, kim, second + timedelta(days=gap), "we_wrote", "No answer yet.")
    _contact(
        process,
        kim,
        second + timedelta(days=400),
        "he_wrote",
        "He denies the agreement.",
        note="Says he is not like other perpetrators and never agreed to inform his group.",
    )
    _minutes(process, kim, second + timedelta(days=430), "missed", {}, [])
    third = second + timedelta(days=520)
    _minutes(
        process,
        kim,
        third,
        "held",
        {
            str(d1.id): {"said": "He says the programme is not for him.", "status": "refused"},
            str(d2.id): {"status": "refused"},
        },
        [
            {
                "what": "Confirm in writing whether he refuses all demands",
                "owner": "him",
                "deadline": (today - timedelta(days=20)).isoformat(),
                "demand": "3",
            }
        ],
    )
    for gap in (14, 45):
        _contact(process, kim, third + timedelta(days=gap), "we_wrote", "Asked for his answer.")
    _contact(process, kim, third + timedelta(days=50), "someone_else", "His partner called.")
    # The last year: messages he leaves unanswered, and one more meeting he misses.
    for back in (300, 200, 120, 75, 30, 9):
        _contact(process, kim, today - timedelta(days=back), "we_wrote", "Asked again.")
    _minutes(process, kim, today - timedelta(days=60), "missed", {}, [])
    meetings.plan(
        process,
        kind=MeetingKind.WITH_HIM,
        starts_at=_at(today + timedelta(days=21)),
        place="(demo) Video call",
        expected="Kim, Jo, him",
        by=kim,
    )
    meetings.plan(
        process,
        kind=MeetingKind.INTERNAL,
        starts_at=_at(today + timedelta(days=7)),
        place="(demo) Video call",
        expected="Contact group",
        by=kim,
    )

    # Step states: one done, one missed, the rest open (some overdue).
    ordered = steps.steps_of(process, today)
    done = next(s for s in ordered if s.owner is StepOwner.CONTACT_GROUP)
    step = db.session.get_one(AgreedStep, done.id)
    steps.change_step(
        step,
        status=StepStatus.DONE,
        deadline=step.deadline,
        reason="",
        started_from=step.lock_version,
        by=kim,
    )
    _backdate_step(step, step.agreed_on + timedelta(days=10))
    missed = next(s for s in ordered if "Inform his new political group" in s.what)
    step = db.session.get_one(AgreedStep, missed.id)
    steps.change_step(
        step,
        status=StepStatus.MISSED,
        deadline=step.deadline,
        reason="He did not inform the group.",
        started_from=step.lock_version,
        by=kim,
    )
    _backdate_step(step, step.deadline + timedelta(days=3))

    # The support group approved a clearer wording of demand 3; another is pending.
    amendment = demands.propose_amendment(
        d3,
        "Stay accountable to the contact group: answer within two weeks, come to agreed "
        "meetings, and say in advance when he cannot.",
        "He kept cancelling without notice.",
        kim,
    )
    demands.decide_amendment(amendment, True, support)
    db.session.flush()
    amendment = db.session.get_one(DemandAmendment, amendment.id)
    amendment.proposed_at = _at(second + timedelta(days=10))
    amendment.decided_at = _at(second + timedelta(days=24))
    pending = demands.propose_amendment(
        d2, DEMANDS[1] + " He does so himself.", "He asked us to.", kim
    )
    pending.proposed_at = _at(today - timedelta(days=12))

    checkin = service.known_definition("checkin")
    checkin_round, issued = private_links.start_round(
        process,
        title="(demo) Friends and his political group",
        form_id="checkin",
        intro="(demo) We are the contact group. We ask the people around him a few questions.",
        people=[private_links.Person(label, "") for label in ("partner", "friend", "group A")],
        days=28,
        by=kim,
    )
    checkin_round.created_at = _at(first + timedelta(days=190))
    answered: tuple[tuple[int, bool, dict[str, Any]], ...] = (
        (
            200,
            False,
            {
                "told": "yes",
                "told_by": ["contact_group"],
                "read_letter": "yes",
                "challenge": "no",
                "groups_not_told": "unsure",
                "quote_consent": "no",
            },
        ),
        (
            420,
            False,
            {
                "told": "yes",
                "told_by": ["him"],
                "read_letter": "no",
                "what_he_said": "That it was all a misunderstanding.",
                "challenge": "yes",
                "challenge_how": "I told him to take the demands seriously.",
                "groups_not_told": "yes",
                "quote_consent": "yes",
            },
        ),
        (
            800,
            True,
            {
                "told": "no",
                "read_letter": "no",
                "groups_not_told": "unsure",
                "what_he_said": "Nothing at all.",
                "quote_consent": "no",
            },
        ),
    )
    for (offset, anonymous, answers), item in zip(answered, issued, strict=True):
        saved = service.save(process, checkin, None, answers, submit=True)
        _backdate(saved.submission, first + timedelta(days=offset))
        item.link.submission_id = saved.submission.id
        item.link.answered_at = _at(first + timedelta(days=offset))
        item.link.anonymous = anonymous
        item.link.created_at = checkin_round.created_at
    assessment = service.save(
        process,
        service.known_definition("report"),
        kim,
        {
            "assessment": "(demo) He has refused two of the three demands and answers "
            "less and less. We see no willingness to take responsibility.",
            "next_steps": "(demo) We ask the central group whether to close the process.",
        },
        submit=True,
    )
    _backdate(assessment.submission, today - timedelta(days=2))
    process.meeting_cadence_days = 91
    db.session.flush()


def has_story(process: Process) -> bool:
    return db.session.query(Submission).filter_by(process_id=process.id).count() > 0
