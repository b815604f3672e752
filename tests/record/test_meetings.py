"""The calendar file's text rules (RFC 5545): escaping, and folding at 75 octets."""

import pytest

from intake.record.meetings import _fold, _ics_text


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Café Nord", "Café Nord"),
        ("Raum 4, Hof", "Raum 4\\, Hof"),
        ("Eingang A; Tor 2", "Eingang A\\; Tor 2"),
        ("C:\\Treffen", "C:\\\\Treffen"),  # the colon needs no escape in a value
        ("erste Zeile\nzweite", "erste Zeile\\nzweite"),
        ("\\,", "\\\\\\,"),  # the backslash first, so a comma's escape is not doubled
        ("", ""),
    ],
)
def test_text_is_escaped(text: str, written: str) -> None:
    assert _ics_text(text) == written


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("SUMMARY:short", ["SUMMARY:short"]),
        ("X" * 75, ["X" * 75]),  # exactly 75 octets: not folded
        ("X" * 76, ["X" * 75, " X"]),
        ("X" * 149, ["X" * 75, " " + "X" * 74]),
        ("X" * 150, ["X" * 75, " " + "X" * 74, " X"]),
        ("X" * 74 + "ß", ["X" * 74, " ß"]),  # two octets that would make 76: the whole ß moves
        ("X" * 73 + "ß", ["X" * 73 + "ß"]),  # exactly 75 octets with the ß
        ("X" * 73 + "–Y", ["X" * 73, " –Y"]),  # three octets
        ("X" * 72 + "–Y", ["X" * 72 + "–", " Y"]),
        ("€" * 26, ["€" * 25, " €"]),  # 25 x 3 = 75 octets
    ],
    ids=[
        "short",
        "75 octets",
        "76 octets",
        "149 octets",
        "150 octets",
        "two octets across",
        "two octets at the end",
        "three octets across",
        "three octets at the end",
        "only three-octet characters",
    ],
)
def test_long_lines_fold_at_75_octets_between_characters(line: str, pieces: list[str]) -> None:
    folded = _fold(line)
    assert folded == pieces
    assert all(len(piece.encode()) <= 75 for piece in folded)
    assert folded[0] + "".join(piece[1:] for piece in folded[1:]) == line
