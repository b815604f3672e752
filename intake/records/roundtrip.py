"""The steps every filled-in form goes through, for members and for people with a link.

Stored answers become form data again; adding or removing an entry of a group
is a round trip that saves nothing (so it works without JavaScript); a draft is
kept as typed but within the same length limits as a submission (and only the
form's own fields); a submission is validated and stored as structured answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.validators import Length, ValidationError

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


# Dates, choices and numbers are short; a draft keeps them as typed, up to this.
MAX_OTHER_VALUE = 200


def _leaves(fields: Any) -> list[Field]:
    """Every question of a bound form, inside groups and demand reviews too."""
    found = []
    for field in fields:
        if field.type == "CSRFTokenField":
            continue
        if field.type in ("FieldList", "FormField"):
            found += _leaves(field)
        else:
            found.append(field)
    return found


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
    room: dict[str, int] = {}
    for leaf in _leaves(bound):
        values = len(getattr(leaf, "choices", None) or []) if leaf.type == "CheckboxesField" else 1
        room[_slot(leaf.name)] = room.get(_slot(leaf.name), 0) + values
    kept: list[list[str]] = []
    for key, value in draft_pairs(formdata):
        if room.get(_slot(key), 0) > 0:
            room[_slot(key)] -= 1
            kept.append([key, value])
    return kept


def answers_from(
    definition: FormDefinition, bound: Any, formdata: MultiDict, submitting: bool
) -> dict[str, Any]:
    if submitting:
        return collect_answers(definition, bound)
    return {service.DRAFT_KEY: _draft_of(bound, formdata)}
