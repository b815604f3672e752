"""Check your answers: what a person with a link is about to send, question by question.

The answers are the draft kept on the server at the "check your answers" step,
so "Change" leads back to the questions with every answer still there, and
Send sends exactly what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from intake.extensions import db
from intake.formdef import FormDefinition
from intake.formdef.present import ShownAnswer, readable
from intake.formdef.wtf import build_form_class, collect_answers
from intake.models import LinkKind, PrivateLink, Submission
from intake.submissions import roundtrip, service


@dataclass(frozen=True)
class Row:
    """One question as the summary shows it, with where "Change" leads."""

    anchor: str
    answer: ShownAnswer


def kept_answers(
    link: PrivateLink, definition: FormDefinition, locale: str
) -> dict[str, Any] | None:
    """The answers kept for this link if they could be sent as they are, else None."""
    record = db.session.get(Submission, link.submission_id) if link.submission_id else None
    if record is None:
        return None
    formdata = roundtrip.stored_formdata(definition, service.answers_of(record))
    # The request that sends them carries its own CSRF check; this one reads stored data.
    form = build_form_class(definition, locale)(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        return None
    return collect_answers(definition, form)


def rows(
    definition: FormDefinition, answers: dict[str, Any], locale: str
) -> list[tuple[str, list[Row]]]:
    """Every question that was asked, by section; a question left out by its condition is not."""
    shown = []
    for section, (title, words) in zip(
        definition.sections, readable(definition, answers, locale), strict=True
    ):
        asked = [
            Row(spec.id, answer)
            for spec, answer in zip(section.fields, words, strict=True)
            if spec.show_if is None or spec.show_if.holds(answers.get(spec.show_if.field))
        ]
        if asked:
            shown.append((title, asked))
    return shown


def anonymity_words(link: PrivateLink) -> str:
    if link.anonymous:
        return _("Anonymously: no name is stored, and no label is shown with your answers")
    return _("The contact group may see that these answers came through the link they sent you")


def what_happens_next(link: PrivateLink, answers: dict[str, Any]) -> list[str]:
    """The confirmation page's words: who reads it, whether it may be quoted, anonymity."""
    if link.kind is LinkKind.HIM:
        return [
            _("The contact group reads your reflection before the meeting."),
            _(
                "Your reflection may be quoted in the contact group's report-backs to the "
                "central community accountability group; your questions stay with the contact "
                "group."
            ),
        ]
    said = [_("Only the contact group that sent you the link reads your answers.")]
    if answers.get("quote_consent") == "yes":
        said.append(
            _(
                "You agreed that your words may be quoted in report-backs to the central "
                "community accountability group."
            )
        )
    else:
        said.append(
            _(
                "Your words will not be quoted: in report-backs to the central community "
                "accountability group your answers are only counted."
            )
        )
    if link.anonymous:
        said.append(
            _(
                "You answered anonymously: no name is stored, and the contact group cannot "
                "tell whose link these answers came through."
            )
        )
    else:
        said.append(
            _("The contact group can see that these answers came through the link they sent you.")
        )
    if answers.get("want_talk") == "yes":
        said.append(
            _("You asked to talk to the contact group: they will get in touch as you said.")
        )
    return said
