"""Form fields and query parameters as the service reads them: without NUL characters.

PostgreSQL refuses a NUL character in any text, and no one types one on purpose:
it is dropped on arrival, so everything else that was typed is kept and saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if isinstance(mapping, MultiDict):
        return mapping.items(multi=True)
    if isinstance(mapping, Mapping):
        return (
            (key, value)
            for key, values in mapping.items()
            for value in (values if isinstance(values, list | tuple) else [values])
        )
    return mapping


class CleanParameters(ImmutableMultiDict):
    """Query parameters and form fields, each key and text value without NUL."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
            return
        super().__init__([(without_nul(k), without_nul(v)) for k, v in _pairs(mapping)])


class IntakeRequest(Request):
    parameter_storage_class = CleanParameters


# Bytes a typed character takes in a posted form, allowing for the worst common case:
# letters take one, punctuation three, umlauts and line breaks six (percent-encoded).
_BYTES_PER_CHARACTER = 3
# Characters per word in running text, with its space.
_CHARACTERS_PER_WORD = 7


def form_size_in_words(max_bytes: int) -> tuple[int, int]:
    """How much a person may type into one form, in characters and words, rounded down.

    A post over ``MAX_CONTENT_LENGTH`` is refused before it is read; a person
    understands the limit in characters and words, not in bytes.
    """
    characters = max_bytes // _BYTES_PER_CHARACTER
    step = 100_000 if characters >= 1_000_000 else 10_000 if characters >= 100_000 else 1_000
    characters = max(step, characters // step * step)
    words = characters // _CHARACTERS_PER_WORD // 5_000 * 5_000 or characters // 7
    return characters, words
