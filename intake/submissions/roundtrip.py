"""The steps every filled-in form goes through, for members and for people with a link.

Stored answers become form data again; adding or removing an entry of a group,
and "Continue" to show the questions that depend on an answer, are round trips
that save nothing (so they work without JavaScript); a draft is
kept as typed but within the same length limits as a submission (and only the
form's own fields); a submission is validated and stored as structured answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.validators import Length, ValidationError

from intake.formdef import FormDefinition
from intake.formdef.present import annotate
from intake.formdef.wtf import answers_to_formdata, collect_answers, draft_pairs, without_entry
from intake.submissions import service


def stored_formdata(definition: FormDefinition, answers: dict[str, Any]) -> MultiDict:
    """A saved draft exactly as typed, or submitted answers as a browser would send them."""
    draft = service.draft_formdata(answers)
    if draft is not None:
        return MultiDict([(key, value) for key, value in draft])
    return answers_to_formdata(definition, answers)


# "Continue" shows the questions that depend on the answers given, without scripts.
CONTINUE = "continue"


class Action(NamedTuple):
    """What the button pressed asks for: submit, draft, or add/remove an entry of a group."""

    verb: str
    group: str = ""
    entry: int = 0


def parse_action(value: str, definition: FormDefinition) -> Action | None:
    """The button's value as an Action, or None if this form has no such button."""
    if value in ("submit", "draft", CONTINUE):
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
    if action.verb == CONTINUE:
        return build(formdata), 200
    if action.verb == "remove":
        return build(without_entry(formdata, action.group, action.entry)), 200
    bound = build(formdata)
    group = bound[action.group]
    most = definition.field(action.group).max_entries
    if len(group.entries) >= most:
        group.errors = [_("Add at most %(n)d.", n=most)]
        return bound, 422
    group.append_entry()
    annotate(bound, definition, locale)
    return bound, 200


# Dates, choices and numbers are short; a draft keeps them as typed, up to this.
MAX_OTHER_VALUE = 200


def _is_asked(field: Field) -> bool:
    meta = getattr(field, "intake", None)
    return meta is None or meta.shown


def _leaves(fields: Any) -> list[Field]:
    """The questions of a bound form that are asked with the answers as they stand,
    inside groups and demand reviews too."""
    found = []
    for field in fields:
        if field.type == "CSRFTokenField" or not _is_asked(field):
            continue
        if field.type in ("FieldList", "FormField"):
            found += _leaves(field)
        else:
            found.append(field)
    return found


def _every_leaf(field: Any) -> list[Field]:
    if field.type in ("FieldList", "FormField"):
        return [leaf for sub in field for leaf in _every_leaf(sub)]
    return [field]


def _unasked_names(fields: Any) -> set[str]:
    """The names of the questions a condition leaves out, with everything inside them."""
    names: set[str] = set()
    for field in fields:
        if field.type == "CSRFTokenField":
            continue
        if not _is_asked(field):
            names |= {leaf.name for leaf in _every_leaf(field)}
        elif field.type in ("FieldList", "FormField"):
            names |= _unasked_names(field)
    return names


def _add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _draft_within_limits(bound: Any) -> bool:
    """A draft obeys the length limits a submission does, so a draft cannot store more."""
    fine = True
    for leaf in _leaves(bound):
        lengths = [v for v in leaf.validators if isinstance(v, Length)]
        for validator in lengths:
            try:
                validator(bound, leaf)
            except ValidationError as exc:
                _add_error(leaf, str(exc))
                fine = False
        if not lengths and any(len(v) > MAX_OTHER_VALUE for v in leaf.raw_data or []):
            _add_error(leaf, _("Use at most %(max)d characters.", max=MAX_OTHER_VALUE))
            fine = False
    return fine


def accepted(bound: Any, submitting: bool) -> bool:
    """A submission must pass every check; a draft the CSRF check and the length limits."""
    if submitting:
        return bound.validate_on_submit()
    return bound.csrf_token.validate(bound) and _draft_within_limits(bound)


def _slot(name: str) -> str:
    # WTForms numbers a group's entries afresh, while a draft keeps the numbers as sent:
    # "items-4-what" is the same question as "items-1-what", in another entry.
    return _ENTRY_NUMBER.sub(r"\1-#-", name, count=1)


_ENTRY_NUMBER = re.compile(r"^([a-z0-9_]+)-\d+-")


def _draft_of(bound: Any, formdata: MultiDict) -> list[list[str]]:
    """What was typed into the form's own questions; anything else posted is dropped.

    Each question keeps as many values as a browser can send for it (one, or one
    per choice), in as many entries as the group allows, so a draft is no larger
    than a submission could be.
    """
    # A question its condition leaves out keeps nothing, not even in a draft.
    unasked = _unasked_names(bound)
    room: dict[str, int] = {}
    for leaf in _leaves(bound):
        values = len(getattr(leaf, "choices", None) or []) if leaf.type == "CheckboxesField" else 1
        room[_slot(leaf.name)] = room.get(_slot(leaf.name), 0) + values
    kept: list[list[str]] = []
    for key, value in draft_pairs(formdata):
        if key not in unasked and room.get(_slot(key), 0) > 0:
            room[_slot(key)] -= 1
            kept.append([key, value])
    return kept


def answers_from(
    definition: FormDefinition, bound: Any, formdata: MultiDict, submitting: bool
) -> dict[str, Any]:
    if submitting:
        return collect_answers(definition, bound)
    return {service.DRAFT_KEY: _draft_of(bound, formdata)}
