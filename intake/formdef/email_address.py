"""One email address, and nothing that could turn it into more (R4: mail goes to one person).

A comma or semicolon would address a list, and a CR or LF would add lines to
the mail's header; quotes, angle brackets and whitespace have no place in an
address someone types. The shape is otherwise loose: name@domain.tld.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from wtforms.validators import ValidationError

_PART = r"[^@\s,;:<>()\[\]\"'\\\x00-\x1f\x7f]+"
ONE_ADDRESS = re.compile(rf"{_PART}@{_PART}\.{_PART}")
MAX_LENGTH = 254


def is_one_address(text: str) -> bool:
    """Whether ``text`` is exactly one plain email address."""
    return len(text) <= MAX_LENGTH and ONE_ADDRESS.fullmatch(text) is not None


def one_address(form: Any, field: Any) -> None:
    """Form validator: the field holds one email address, or is left empty."""
    if field.data and not is_one_address(field.data):
        raise ValidationError(_("Enter one email address, like name@example.org."))
