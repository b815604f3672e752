"""The SQL statements a piece of code sends, for tests that count the questions a page
asks: on PostgreSQL each is a round trip."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[str]]:
    """Every statement sent to ``engine`` inside the block, each on one line."""
    said: list[str] = []

    def keep(_conn, _cursor, statement: str, *_args) -> None:
        said.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        yield said
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
