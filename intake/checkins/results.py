"""What check-ins say, counted; words shown with care for anonymity and quote consent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from intake.checkins.anonymity import day_of, neutral_key
from intake.checkins.private_links import label_of
from intake.extensions import db
from intake.formdef import FormDefinition
from intake.formdef.model import localised
from intake.formdef.present import choice_names
from intake.formdef.travel import CONSENT_FIELD
from intake.models import LinkKind, PrivateLink, Process, Submission, SubmissionStatus
from intake.submissions import service

CHOICE_TYPES = ("single_choice", "multiple_choice", "yes_no_unsure", "scale")
TEXT_TYPES = ("text", "long_text")


@dataclass
class Answer:
    who: str | None  # None when anonymous
    text: str
    may_quote: bool


@dataclass
class QuestionResult:
    label: str
    kind: str
    travel: str
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[Answer] = field(default_factory=list)


def _responses(
    process: Process,
    form_id: str,
    round_id: int | None,
    since: date | None,
    until: date | None,
):
    query = (
        sa.select(Submission, PrivateLink)
        .join(PrivateLink, PrivateLink.submission_id == Submission.id)
        .where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            PrivateLink.kind == LinkKind.CHECKIN,
            Submission.form_id == form_id,
        )
    )
    if round_id is not None:
        query = query.where(PrivateLink.round_id == round_id)
    rows = db.session.execute(query).all()
    kept = [
        (s, i)
        for s, i in rows
        if (since is None or s.submitted_at.date() >= since)
        and (until is None or s.submitted_at.date() <= until)
    ]
    # By day, then in an order that says nothing: the order answers came in, matched
    # with who answered when, would name the author of an anonymous answer.
    kept.sort(key=lambda row: (day_of(row[0].submitted_at), neutral_key(row[0])))
    return kept


def results(
    process: Process,
    form: FormDefinition,
    locale: str,
    *,
    round_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    for_report: bool = False,
) -> tuple[int, list[QuestionResult]]:
    """Counts per answer and the words given; for a report, only what may travel and be quoted."""
    responses = _responses(process, form.id, round_id, since, until)
    answers = [(service.answers_of(s), i) for s, i in responses]
    out = []
    for spec in form.fields():
        if spec.is_group or (for_report and spec.travel != "report"):
            continue
        if spec.travel == "never" and for_report:
            continue
        result = QuestionResult(localised(spec.label, locale), spec.type, spec.travel)
        if spec.type in CHOICE_TYPES:
            counter: Counter[str] = Counter()
            for given, _link in answers:
                value = given.get(spec.id)
                for v in value if isinstance(value, list) else [value] if value is not None else []:
                    counter[str(v)] += 1
            names = choice_names(spec, locale)
            result.counts = [(names.get(v, v), counter.get(v, 0)) for v in spec.choice_values()]
        elif spec.type in TEXT_TYPES:
            for given, link in answers:
                text = given.get(spec.id)
                if not text:
                    continue
                may_quote = given.get(CONSENT_FIELD) == "yes"
                if for_report and not may_quote:
                    continue
                who = None if link.anonymous else label_of(link)
                result.texts.append(Answer(who, text, may_quote))
        else:
            continue
        out.append(result)
    return len(responses), out
