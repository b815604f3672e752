"""Reading a form that has passed validation: required values, refusals beside a field."""

from __future__ import annotations

from typing import TypeVar

from wtforms import Field

T = TypeVar("T")


def required(value: T | None) -> T:
    """A value that validation guarantees: a required field's, once the form validated
    (or a submitted record's time of submission).

    WTForms types every field's data as optional, since a field holds None until the
    request fills it; after an InputRequired field validated, None cannot happen.
    """
    if value is None:
        raise ValueError("a required value was read before it was given")
    return value


def add_error(field: Field, message: str) -> None:
    """Show a refusal beside a field, as a validator's message would be shown."""
    # validate() leaves the errors a list; before it they are an empty tuple.
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(message)
