"""Keyset pages of a long history, newest first: the same cost in year five as in week one.

A page is found by where it starts (the day and id of an item), never by an
offset, so that the database reads one page's rows whatever the age of the
process, and an item added meanwhile never shifts an item onto two pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from intake.extensions import db

PAGE_SIZE = 100
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")

Cursor = tuple[date, int]


def parse_cursor(text: str | None) -> Cursor | None:
    """A cursor from an address (``2024-05-31.812``); anything else is the first page."""
    match = _CURSOR.match(text or "")
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)), int(match.group(2))
    except ValueError:
        return None


def cursor_text(cursor: Cursor) -> str:
    return f"{cursor[0].isoformat()}.{cursor[1]}"


@dataclass(frozen=True)
class Page:
    items: list[Any]
    older: str | None  # where the next older page starts, for an "older" link
    newer: str | None  # where the next newer page ends, for a "newer" link


def newest_first(
    query: sa.Select,
    day: sa.orm.QueryableAttribute[date] | sa.ColumnElement[date],
    ident: sa.orm.QueryableAttribute[int] | sa.ColumnElement[int],
    *,
    before: Cursor | None = None,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
    key: Callable[[Any], Cursor] | None = None,
) -> Page:
    """One page of ``query``'s rows, newest first by (``day``, ``ident``).

    ``key``: an item's (day, id) as the page links carry it; by default its ``on``
    and ``id``.

    ``before``: the page of items older than that one (the "older" link);
    ``after``: the page of items newer than that one (the "newer" link);
    neither: the newest page.
    """
    order = sa.tuple_(day, ident)
    if after is not None:
        rows = db.session.scalars(
            query.where(order > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
            .order_by(day.asc(), ident.asc())
            .limit(size + 1)
        ).all()
        if rows:
            items = list(reversed(rows[:size]))
            newer = _key(items[0], key) if len(rows) > size else None
            return Page(items, older=_key(items[-1], key), newer=newer)
        before = None  # nothing newer (any longer): the newest page
    if before is not None:
        query = query.where(order < sa.tuple_(sa.literal(before[0]), sa.literal(before[1])))
    rows = db.session.scalars(query.order_by(day.desc(), ident.desc()).limit(size + 1)).all()
    items = list(rows[:size])
    older = _key(items[-1], key) if len(rows) > size else None
    newer = _key(items[0], key) if before is not None and items else None
    return Page(items, older=older, newer=newer)


def _key(item: Any, key: Callable[[Any], Cursor] | None) -> str:
    return cursor_text(key(item) if key else (item.on, item.id))


def newest_page(
    fetch: Callable[[Cursor | None, bool], list[Any]],
    key: Callable[[Any], Cursor],
    *,
    before: Cursor | None = None,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page, newest first, of items drawn from several places at once.

    ``fetch(cursor, newer)`` gives, from each place, at least the first ``size + 1``
    items beyond ``cursor`` (older ones, or newer ones when ``newer``), in any order;
    ``key`` is an item's place in the order, unique over all items. As in
    ``newest_first``, no place is read past one page, whatever the age of the process.
    """
    if after is not None:
        found = sorted(fetch(after, True), key=key)
        if found:
            items = list(reversed(found[:size]))
            newer = cursor_text(key(items[0])) if len(found) > size else None
            return Page(items, older=cursor_text(key(items[-1])), newer=newer)
        before = None  # nothing newer (any longer): the newest page
    found = sorted(fetch(before, False), key=key, reverse=True)
    items = found[:size]
    older = cursor_text(key(items[-1])) if len(found) > size else None
    newer = cursor_text(key(items[0])) if before is not None and items else None
    return Page(items, older=older, newer=newer)
