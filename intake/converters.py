"""URL parts that the database can always take: a bad one is simply no page (404).

Every id in a URL names a row whose key is a PostgreSQL ``integer``; a larger
number would make PostgreSQL (or SQLite, past 64 bits) fail instead of finding
nothing. A NUL character is refused by PostgreSQL in any text, so no URL part
may carry one.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter

# The largest value of a PostgreSQL ``integer``: every primary key is one.
MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether ``value`` could be a row's id: a whole number from 1 to ``MAX_ID``."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class IdConverter(IntegerConverter):
    """``<int:...>``: 1 to ``MAX_ID``; anything else matches no route."""

    def __init__(self, map, fixed_digits: int = 0, min: int = 1, max: int = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


class TextConverter(UnicodeConverter):
    """``<name>``: one path segment without a NUL character."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


def register(app: Flask) -> None:
    """Replace the stock converters; call before any route is added."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
