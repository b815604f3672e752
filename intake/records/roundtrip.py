"""The steps every filled-in form goes through, for members and for people with a link.

Stored answers become form data again; adding or removing an entry of a group
is a round trip that saves nothing (so it works without JavaScript); a draft is
checked only for CSRF and kept as typed; a submission is validated and stored
as structured answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from flask_babel import gettext as _
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


class Action(NamedTuple):
    """What the button pressed asks for: submit, draft, or add/remove an entry of a group."""

    verb: str
    group: str = ""
    index: int = 0


def parse_action(value: str, definition: FormDefinition) -> Action | None:
    """The button's value as an Action, or None if this form has no such button."""
    if value in ("submit", "draft"):
        return Action(value)
    verb, _sep, rest = value.partition(":")
    group, _sep, index = rest.partition(":")
    groups = {f.id for f in definition.fields() if f.type == "repeat"}
    if verb == "add" and group in groups and not index:
        return Action(verb, group)
    # An entry number is a few plain digits; "²" or "٣" are digits to str.isdigit.
    if verb == "remove" and group in groups and index.isascii() and index.isdigit():
        return Action(verb, group, int(index)) if len(index) <= 6 else None
    return None


def entry_round_trip(
    value: str,
    formdata: MultiDict,
    build: Callable[[MultiDict], Any],
    definition: FormDefinition,
    locale: str,
) -> tuple[Any, int] | None:
    """The form again, with one entry more or less, or with what is wrong with the
    button pressed, and the status to answer with; None to submit or save a draft.
    Nothing typed is lost either way."""
    action = parse_action(value, definition)
    if action is None:
        bound = build(formdata)
        bound.form_errors.append(
            _("This form has no such button. Nothing was saved; your answers are kept below.")
        )
        return bound, 400
    if action.verb in ("submit", "draft"):
        return None
    if action.verb == "remove":
        return build(without_entry(formdata, action.group, action.index)), 200
    bound = build(formdata)
    group = bound[action.group]
    most = definition.field(action.group).max_entries
    if len(group.entries) >= most:
        group.errors = [_("Add at most %(n)d.", n=most)]
        return bound, 422
    group.append_entry()
    annotate(bound, definition, locale)
    return bound, 200


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
