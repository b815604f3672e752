"""One email address, and nothing that could address a list or add a header line (R4)."""

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from intake.formdef.email_address import MAX_LENGTH, is_one_address, one_address


@pytest.mark.parametrize(
    "text",
    [
        "name@example.org",
        "first.last+tag@mail.example.org",
        "name-with-dash@example-domain.org",
        "ünïcode@exämple.de",
        "a@b.c",
        "x" * (MAX_LENGTH - len("@example.org")) + "@example.org",
    ],
)
def test_one_address_is_taken(text: str) -> None:
    assert is_one_address(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("name", "no @"),
        ("name@example", "no dot in the domain"),
        ("@example.org", "nothing before the @"),
        ("name@.org", "nothing between the @ and the dot"),
        ("name@example.", "nothing after the dot"),
        ("a@example.org,b@example.org", "a comma addresses a list"),
        ("a@example.org;b@example.org", "a semicolon addresses a list"),
        ("a,b@example.org", "a comma, even with one @"),
        ("name@example.org,", "a trailing comma"),
        ("a;b@example.org", "a semicolon, even with one @"),
        ("name@example.org;", "a trailing semicolon"),
        ("name@example.org\r", "a trailing CR"),
        ("name@exam\tple.org", "a tab"),
        ("a@example.org b@example.org", "whitespace"),
        (" name@example.org", "leading whitespace"),
        ("name@example.org\r\nBcc: x@example.org", "CR LF would add a header line"),
        ("name@example.org\nBcc: x@example.org", "LF would add a header line"),
        ("Name <name@example.org>", "angle brackets"),
        ('"name"@example.org', "quotes"),
        ("name@example.org (Name)", "a comment"),
        ("name\x00@example.org", "a NUL byte"),
        ("name@@example.org", "two @"),
        ("name@exa:mple.org", "a colon starts a group"),
        ("x" * (MAX_LENGTH - len("@example.org") + 1) + "@example.org", "longer than 254"),
    ],
)
def test_anything_else_is_refused(text: str, why: str) -> None:
    assert not is_one_address(text), why


class _Form(Form):
    email = StringField(validators=[one_address])


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ("", []),
        ("name@example.org", []),
        ("a@example.org, b@example.org", ["Enter one email address, like name@example.org."]),
    ],
)
def test_the_form_field_may_stay_empty(typed: str, errors: list[str]) -> None:
    words = Flask(__name__)
    Babel(words)
    with words.test_request_context():
        form = _Form(MultiDict({"email": typed}))
        assert form.validate() == (not errors)
        assert form.email.errors == errors
