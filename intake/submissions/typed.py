"""Words as they were typed, readable even where they would not pass as a submission.

A draft is stored as the form data of the page (invalid dates and all). To show
it beside someone's own version (a conflict), or to give a person back what
they sent when it could not be stored, it is read back into answers field by
field, keeping every value exactly as typed.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from intake.formdef import FormDefinition
from intake.formdef.present import readable
from intake.submissions import service

MULTIPLE = ("multiple_choice",)


def _value(spec: Any, values: list[str]) -> Any:
    values = [v for v in values if v.strip()]
    if not values:
        return None
    return values if spec.type in MULTIPLE else "\n".join(values)


def _group(fields: tuple, formdata: MultiDict, prefix: str) -> dict[str, Any]:
    entry = {}
    for sub in fields:
        value = _value(sub, formdata.getlist(f"{prefix}{sub.id}"))
        if value is not None:
            entry[sub.id] = value
    return entry


def typed_answers(definition: FormDefinition, formdata: MultiDict) -> dict[str, Any]:
    """The answers in ``formdata`` as typed, in the shape of stored answers."""
    answers: dict[str, Any] = {}
    keys = list(formdata.keys())
    for spec in definition.fields():
        if spec.type == "repeat":
            numbers = sorted({int(k.split("-")[1]) for k in keys if _numbered(k, f"{spec.id}-")})
            entries = [_group(spec.fields, formdata, f"{spec.id}-{n}-") for n in numbers]
            if any(entries):
                answers[spec.id] = [e for e in entries if e]
        elif spec.type == "demand_review":
            prefix = f"{spec.id}-d"
            demands = sorted(
                {k.split("-")[1] for k in keys if k.startswith(prefix) and k.count("-") >= 2}
            )
            reviews = {
                d.removeprefix("d"): _group(spec.fields, formdata, f"{spec.id}-{d}-")
                for d in demands
            }
            reviews = {k: v for k, v in reviews.items() if v}
            if reviews:
                answers[spec.id] = reviews
        else:
            value = _value(spec, formdata.getlist(spec.id))
            if value is not None:
                answers[spec.id] = value
    return answers


def _numbered(key: str, prefix: str) -> bool:
    if not key.startswith(prefix):
        return False
    number = key[len(prefix) :].split("-")[0]
    return number.isascii() and number.isdigit() and len(number) <= 6


def readable_words(
    definition: FormDefinition, answers: dict[str, Any], locale: str, demands=None
) -> list:
    """Stored answers, or a stored draft read back as typed, by section for reading."""
    draft = service.draft_formdata(answers)
    if draft is not None:
        answers = typed_answers(definition, MultiDict([(key, value) for key, value in draft]))
    return readable(definition, answers, locale, demands)
