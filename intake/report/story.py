"""What a report-back tells in words: a summary made from the figures, and the notes
that may travel beside each event of the chronology.

The summary only restates figures defined in ``intake.record.silence``; it adds no
judgement of its own (that is the group's assessment). Notes are taken only from
answers whose question may travel into a report (``travel: report``), through the
same filter as every other PDF, so nothing internal or never-to-be-passed-on and
no words without their author's consent can reach them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from intake.extensions import db
from intake.formdef.model import localised
from intake.formdef.travel import WORDS, travelling
from intake.models import ContactEntry, DemandStatus, Submission, SubmissionStatus
from intake.record.silence import Period, Silence
from intake.submissions import service

# Forms whose travelling words belong beside their event in the chronology. Check-ins
# have their own section, where the consent rules of quoting apply.
NOTE_FORMS = ("contact", "minutes", "reflection")
# The one-line note of a contact says itself what it is: no label before it.
UNLABELLED = {"report_note"}


def answered_words(answers: int, real: int) -> str:
    """How often he answered, and how many of those answers said more than "received"."""
    words = ngettext("he answered once", "he answered %(num)d times", answers)
    if real == answers:
        return words
    if real == 0:
        return f"{words} " + ngettext(
            "(only an acknowledgement)", "(only acknowledgements)", answers
        )
    return f"{words} " + ngettext(
        "(%(num)d of them a real answer, the rest only acknowledgements)",
        "(%(num)d of them real answers, the rest only acknowledgements)",
        real,
    )


def summary(
    period: Period,
    silence: Silence,
    statuses: list[DemandStatus],
    steps_agreed: int,
    *,
    whole: bool = False,
) -> list[str]:
    """Sentences a reader who knows nothing understands, made only from the figures."""
    sentences = []
    if whole:
        wrote = ngettext(
            "Over the whole process we wrote to him once",
            "Over the whole process we wrote to him %(num)d times",
            period.messages_sent,
        )
    else:
        wrote = ngettext(
            "In this period we wrote to him once",
            "In this period we wrote to him %(num)d times",
            period.messages_sent,
        )
    if period.messages_sent == 0:
        wrote = (
            _("We did not write to him") if whole else _("In this period we did not write to him")
        )
    if period.answers == 0:
        answered = _("he did not answer")
    else:
        answered = answered_words(period.answers, period.real_answers)
    if silence.ever_answered and silence.days_since_last_answer is not None:
        last = ngettext(
            "his last answer was %(num)d day ago",
            "his last answer was %(num)d days ago",
            silence.days_since_last_answer,
        )
    else:
        last = _("he has never answered")
    sentences.append(f"{wrote}; {answered}; {last}.")

    meetings = period.meetings_held + period.meetings_missed
    if meetings:
        sentences.append(
            ngettext(
                "He came to %(held)d of %(num)d meeting.",
                "He came to %(held)d of %(num)d meetings.",
                meetings,
                held=period.meetings_held,
            )
        )
    else:
        sentences.append(_("No meeting with him was held or missed."))

    if statuses:
        met = statuses.count(DemandStatus.MET)
        partly = statuses.count(DemandStatus.PARTLY_MET)
        refused = statuses.count(DemandStatus.REFUSED)
        demands = ngettext(
            "%(met)d of %(num)d demand is met",
            "%(met)d of %(num)d demands are met",
            len(statuses),
            met=met,
        )
        if partly:
            demands += ", " + ngettext("%(num)d partly", "%(num)d partly", partly)
        if refused:
            demands += ", " + ngettext("%(num)d refused", "%(num)d refused", refused)
        sentences.append(demands + ".")

    if silence.steps_not_kept:
        sentences.append(
            ngettext(
                "%(num)d agreed step was not kept: %(missed)d missed, %(overdue)d overdue.",
                "%(num)d agreed steps were not kept: %(missed)d missed, %(overdue)d overdue.",
                silence.steps_not_kept,
                missed=silence.steps_missed,
                overdue=silence.steps_overdue,
            )
        )
    elif steps_agreed:
        sentences.append(_("Every agreed step due so far was kept."))
    return sentences


def _lines(definition, answers: dict[str, Any], locale: str, numbers: dict[str, int]) -> list[str]:
    lines = []
    for spec in definition.fields():
        value = answers.get(spec.id)
        if spec.type in WORDS and isinstance(value, str) and value.strip():
            text = value.strip()
            label = localised(spec.label, locale)
            lines.append(text if spec.id in UNLABELLED else f"{label}: {text}")
        elif spec.type == "demand_review" and isinstance(value, dict):
            words = [f for f in spec.fields if f.type in WORDS]
            for demand_id, review in sorted(value.items(), key=lambda i: numbers.get(i[0], 0)):
                for field in words:
                    text = (review.get(field.id) or "").strip()
                    if text:
                        lines.append(
                            _("Demand %(n)d", n=numbers.get(demand_id, 0))
                            + f", {localised(field.label, locale)}: {text}"
                        )
    return lines


def travel_notes(
    record_ids: set[int], locale: str, numbers: dict[str, int]
) -> dict[int, list[str]]:
    """For each record, the words that may travel, as lines to print under its event."""
    if not record_ids:
        return {}
    # Of years of contact records only a few have a note: the others are not unsealed.
    # An entry that does not know (None: from before this was kept) is read as before.
    records = db.session.scalars(
        sa.select(Submission)
        .outerjoin(ContactEntry, ContactEntry.submission_id == Submission.id)
        .where(
            Submission.id.in_(record_ids),
            Submission.form_id.in_(NOTE_FORMS),
            Submission.status == SubmissionStatus.SUBMITTED,
            ContactEntry.has_report_note.is_not(sa.false()),  # a note, not known, or no entry
        )
    ).all()
    notes = {}
    for record in records:
        definition = service.definition_of(record)
        lines = _lines(
            definition, travelling(definition, service.answers_of(record)), locale, numbers
        )
        if lines:
            notes[record.id] = lines
    return notes
