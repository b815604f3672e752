"""The people of a check-in round, one a line: what is taken, and what is refused in words."""

import pytest
from flask import Flask
from flask_babel import Babel

from intake.checkins.private_links import MAX_PEOPLE, LinkError, Person, parse_people


@pytest.fixture
def app() -> Flask:
    """Only what the messages need (English words), no database: the rule is pure."""
    words = Flask(__name__)
    Babel(words)
    return words


@pytest.mark.parametrize(
    ("typed", "people"),
    [
        ("partner", [Person("partner", "")]),
        ("  partner ; p@example.org  ", [Person("partner", "p@example.org")]),
        (
            "partner\n\n  \nfriend;f@example.org\n",
            [Person("partner", ""), Person("friend", "f@example.org")],
        ),
        ("group A;", [Person("group A", "")]),
        ("x" * 80, [Person("x" * 80, "")]),
        ("friend ;  F.Name+tag@sub.example.org ", [Person("friend", "F.Name+tag@sub.example.org")]),
        (
            "\n".join(f"p{n}" for n in range(MAX_PEOPLE)),
            [Person(f"p{n}", "") for n in range(MAX_PEOPLE)],
        ),
    ],
)
def test_people_taken(app, typed: str, people: list[Person]) -> None:
    with app.test_request_context():
        assert parse_people(typed) == people


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Add at least one person"),
        ("\n  \n", "Add at least one person"),
        ("partner\n;f@example.org", "Line 2: start with a label"),
        ("x" * 81, "Line 1: keep the label under 80 characters"),
        ("friend;not-an-address", "Line 1: “not-an-address” is not an email address"),
        ("friend;a b@example.org", "is not an email address"),
        ("friend;a@example.org, b@example.org", "is not an email address"),
        ("friend;a@example.org;b@example.org", "is not an email address"),
        ("friend;<a@example.org>", "is not an email address"),
        ("friend\nfoe;nobody", "Line 2: “nobody” is not an email address"),
        ("friend;" + "a" * 250 + "@example.org", "is not an email address"),
        ("\n".join(f"p{n}" for n in range(MAX_PEOPLE + 1)), f"At most {MAX_PEOPLE} people"),
    ],
)
def test_people_refused_with_the_line_named(app, typed: str, message: str) -> None:
    with app.test_request_context(), pytest.raises(LinkError) as refused:
        parse_people(typed)
    assert message in str(refused.value)
