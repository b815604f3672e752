"""Where a page of a long history starts, as written in an address: read exactly, or ignored."""

from datetime import date

import pytest

from intake.record.paging import cursor_text, parse_cursor


@pytest.mark.parametrize(
    ("text", "cursor"),
    [
        ("2024-05-31.812", (date(2024, 5, 31), 812)),
        ("2024-02-29.1", (date(2024, 2, 29), 1)),
        ("0001-01-01.0", (date(1, 1, 1), 0)),
        ("9999-12-31." + "9" * 18, (date(9999, 12, 31), 10**18 - 1)),
    ],
)
def test_a_cursor_is_read_and_written_back_the_same(text: str, cursor: tuple) -> None:
    assert parse_cursor(text) == cursor
    assert cursor_text(cursor) == text


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "2024-05-31",  # no id
        "2024-05-31.",
        ".812",
        "2024-5-31.812",  # the day is written in full
        "2024-02-30.812",  # no such day
        "2023-02-29.812",
        "2024-13-01.812",
        "2024-05-31.-1",
        "2024-05-31.1e3",
        "2024-05-31." + "9" * 19,  # more digits than an id has
        "2024-05-31.812x",
        "x2024-05-31.812",
        "2024-05-31 812",
        "２０２４-05-31.812",  # full-width digits are not read in an address
    ],
)
def test_anything_else_means_the_first_page(text: str | None) -> None:
    assert parse_cursor(text) is None
