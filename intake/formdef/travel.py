"""What may travel: which answers may leave the page they were typed on, and where to.

Every question of a form says how far its answer may go (``travel`` in
``forms/*.yaml``), one of three levels:

- ``report``: it may appear in report-backs and in a single record's PDF, which
  leave the service for the central group;
- ``internal``: it stays in this app, read on its pages by the groups the form
  names, and in the contact group's export of the whole process;
- ``never``: it never leaves the page it is read on: not in PDFs, emails or logs.

Two further rules:

- **Quote consent.** A form that asks ``quote_consent`` lets its author decide
  whether their own words may be quoted. Without a "yes", their words (text
  answers) stay behind even where the question may travel; their choices still
  travel, to be counted.
- **Sharing.** When the contact group shares single minutes with the support
  group, questions marked ``share: false`` stay with the contact group, in the
  record's own version of the form and in today's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import gettext as _

from intake.formdef.model import FormDefinition


def travel_label(travel: str) -> str:
    return {
        "report": _("may appear in report-backs"),
        "internal": _("stays in this app"),
        "never": _("never leaves this page: not in PDFs, emails or logs"),
    }[travel]


# A form that asks this decides whether its author's own words may be quoted.
CONSENT_FIELD = "quote_consent"
WORDS = ("text", "long_text")


def travelling(definition: FormDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers that may leave the web page (travel: report), nested ones too.

    Where the form asks for consent to be quoted and it was not given, the
    author's own words stay behind too: only their choices travel, to be counted.
    """
    refused = any(f.id == CONSENT_FIELD for f in definition.fields()) and (
        answers.get(CONSENT_FIELD) != "yes"
    )
    kept: dict[str, Any] = {}
    for spec in definition.fields():
        if spec.travel != "report" or spec.id not in answers:
            continue
        if refused and spec.type in WORDS:
            continue
        value = answers[spec.id]
        allowed = {f.id for f in spec.fields if f.travel == "report"}
        if spec.type == "repeat":
            value = [{k: v for k, v in e.items() if k in allowed} for e in value]
        elif spec.type == "demand_review":
            value = {d: {k: v for k, v in r.items() if k in allowed} for d, r in value.items()}
        kept[spec.id] = value
    return kept


def words_travel(definition: FormDefinition, answers: dict[str, Any]) -> bool:
    """Whether any words of a record may travel into a report: the lines a report-back
    prints beside its event (``intake.report.story``), empty or not."""
    kept = travelling(definition, answers)
    for spec in definition.fields():
        value = kept.get(spec.id)
        if spec.type in WORDS and isinstance(value, str) and value.strip():
            return True
        if spec.type == "demand_review" and isinstance(value, dict):
            words = [f.id for f in spec.fields if f.type in WORDS]
            if any(
                isinstance(review, dict) and (review.get(w) or "").strip()
                for review in value.values()
                for w in words
            ):
                return True
    return False


def shared_view(
    definition: FormDefinition, answers: dict[str, Any], current: FormDefinition | None
) -> tuple[FormDefinition, dict[str, Any]]:
    """What the support group reads of a record shared with it: the form and answers
    without the questions kept to the contact group (``share: false``), nested ones too.

    ``current`` is today's version of the form: a question withheld later is
    withheld from records made with older versions as well.
    """
    withheld: set[str] = set()
    for version in (definition, current) if current else (definition,):
        for spec in version.fields():
            withheld |= {f.id for f in (spec, *spec.fields) if not f.share}
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        if key in withheld:
            continue
        if isinstance(value, list):
            value = [_without(entry, withheld) for entry in value]
        elif isinstance(value, dict):
            value = {d: _without(review, withheld) for d, review in value.items()}
        kept[key] = value
    sections = tuple(
        replace(
            section,
            fields=tuple(
                replace(spec, fields=tuple(f for f in spec.fields if f.id not in withheld))
                for spec in section.fields
                if spec.id not in withheld
            ),
        )
        for section in definition.sections
    )
    return replace(definition, sections=tuple(s for s in sections if s.fields)), kept


def _without(entry: Any, withheld: set[str]) -> Any:
    if not isinstance(entry, dict):
        return entry  # a multiple choice answer: a list of values, not of entries
    return {k: v for k, v in entry.items() if k not in withheld}


def report_sections(definition: FormDefinition, sections):
    """Sections as readable() gives them, without questions that may not travel."""
    out = []
    for title, answers in sections:
        answers = [a for a in answers if a.travel == "report"]
        for a in answers:
            a.entries = [[s for s in entry if s.travel == "report"] for entry in a.entries]
        if answers:
            out.append((title, answers))
    return out
