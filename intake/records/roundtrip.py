"""The steps every filled-in form goes through, for members and for people with a link.

Stored answers become form data again; adding or removing an entry of a group
is a round trip that saves nothing (so it works without JavaScript); a draft is
checked only for CSRF and kept as typed; a submission is validated and stored
as structured answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.datastructures import MultiDict

from intake.formdef import FormDefinition
from intake.formdef.present import annotate
from intake.formdef.wtf import answers_to_formdata, collect_answers, draft_pairs, without_entry
from intake.records import service


def stored_formdata(definition: FormDefinition, answers: dict[str, Any]) -> MultiDict:
    """A saved draft exactly as typed, or submitted answers as a browser would send them."""
    draft = service.draft_formdata(answers)
    if draft is not None:
        return MultiDict([tuple(pair) for pair in draft])
    return answers_to_formdata(definition, answers)


def entry_round_trip(
    action: str,
    formdata: MultiDict,
    build: Callable[[MultiDict], Any],
    definition: FormDefinition,
    locale: str,
) -> Any | None:
    """For "add:group" / "remove:group:n", the form with one entry more or less; else None."""
    if not action.startswith(("add:", "remove:")):
        return None
    _verb, group, *index = action.split(":")
    if index and index[0].isdigit():
        formdata = without_entry(formdata, group, int(index[0]))
    bound = build(formdata)
    if action.startswith("add:") and group in bound._fields:
        bound[group].append_entry()
        annotate(bound, definition, locale)
    return bound


def accepted(bound: Any, submitting: bool) -> bool:
    """A submission must pass every check; a draft only the CSRF check."""
    if submitting:
        return bound.validate_on_submit()
    return bound.csrf_token.validate(bound)


def answers_from(
    definition: FormDefinition, bound: Any, formdata: MultiDict, submitting: bool
) -> dict[str, Any]:
    if submitting:
        return collect_answers(definition, bound)
    return {service.DRAFT_KEY: draft_pairs(formdata)}
