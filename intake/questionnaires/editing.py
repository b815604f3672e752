"""Changes the builder makes to a questionnaire's definition, as plain data.

A place names a question by position: section, question, and for a question
inside a repeating group or demand review, its sub-question (all counted from 1,
written ``2.3`` or ``2.3.1``). Positions, not ids, because an id is what a group
may be in the middle of changing.
"""

from __future__ import annotations

import copy
import re
from typing import Any

PLACE = re.compile(r"^[1-9][0-9]{0,2}\.[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2})?$")
GROUP_TYPES = ("repeat", "demand_review")


class NoSuchPlace(LookupError):
    """The place names no question of this draft (it changed meanwhile)."""


def parse_place(text: str) -> tuple[int, ...]:
    if not PLACE.fullmatch(text):
        raise NoSuchPlace(text)
    return tuple(int(n) for n in text.split("."))


def place_text(place: tuple[int, ...]) -> str:
    return ".".join(str(n) for n in place)


def sections(raw: dict[str, Any]) -> list[dict[str, Any]]:
    found = raw.setdefault("sections", [])
    if not isinstance(found, list):
        raise NoSuchPlace("sections")
    return found


def section(raw: dict[str, Any], number: int) -> dict[str, Any]:
    found = sections(raw)
    if not 1 <= number <= len(found) or not isinstance(found[number - 1], dict):
        raise NoSuchPlace(str(number))
    return found[number - 1]


def _siblings(raw: dict[str, Any], place: tuple[int, ...]) -> list[dict[str, Any]]:
    """The list the question at ``place`` sits in."""
    fields = section(raw, place[0]).setdefault("fields", [])
    if len(place) == 3:
        if not 1 <= place[1] <= len(fields):
            raise NoSuchPlace(place_text(place))
        fields = fields[place[1] - 1].setdefault("fields", [])
    if not isinstance(fields, list):
        raise NoSuchPlace(place_text(place))
    return fields


def question(raw: dict[str, Any], place: tuple[int, ...]) -> dict[str, Any]:
    siblings = _siblings(raw, place)
    if not 1 <= place[-1] <= len(siblings) or not isinstance(siblings[place[-1] - 1], dict):
        raise NoSuchPlace(place_text(place))
    return siblings[place[-1] - 1]


def all_ids(raw: dict[str, Any]) -> set[str]:
    ids = set()
    for sec in sections(raw):
        for item in sec.get("fields") or []:
            ids.add(str(item.get("id")))
            for sub in item.get("fields") or []:
                ids.add(str(sub.get("id")))
    return ids


def _fresh_id(raw: dict[str, Any], stem: str) -> str:
    taken = all_ids(raw) | {str(s.get("id")) for s in sections(raw)}
    n = 1
    while f"{stem}_{n}" in taken:
        n += 1
    return f"{stem}_{n}"


def add_section(raw: dict[str, Any]) -> int:
    """A new empty section at the end; its number."""
    sections(raw).append(
        {
            "id": _fresh_id(raw, "section"),
            "title": {"en": "New section", "de": "Neuer Abschnitt"},
            "fields": [],
        }
    )
    return len(sections(raw))


def add_question(raw: dict[str, Any], into: tuple[int, ...]) -> tuple[int, ...]:
    """A new short text question at the end of a section (or of a group); its place."""
    if len(into) == 1:
        siblings = section(raw, into[0]).setdefault("fields", [])
    else:
        group = question(raw, into)
        if group.get("type") not in GROUP_TYPES:
            raise NoSuchPlace(place_text(into))
        siblings = group.setdefault("fields", [])
    siblings.append(
        {
            "id": _fresh_id(raw, "question"),
            "type": "text",
            "label": {"en": "New question", "de": "Neue Frage"},
            "travel": "internal",
        }
    )
    return (*into, len(siblings))


def move(items: list[Any], index: int, step: int) -> int:
    """Swap the item at ``index`` (from 1) with its neighbour; its new position."""
    target = index + step
    if not (1 <= index <= len(items) and 1 <= target <= len(items)):
        return index
    items[index - 1], items[target - 1] = items[target - 1], items[index - 1]
    return target


def move_question(raw: dict[str, Any], place: tuple[int, ...], step: int) -> None:
    question(raw, place)
    move(_siblings(raw, place), place[-1], step)


def remove_question(raw: dict[str, Any], place: tuple[int, ...]) -> dict[str, Any]:
    question(raw, place)
    return _siblings(raw, place).pop(place[-1] - 1)


def move_section(raw: dict[str, Any], number: int, step: int) -> None:
    section(raw, number)
    move(sections(raw), number, step)


def remove_section(raw: dict[str, Any], number: int) -> None:
    section(raw, number)
    sections(raw).pop(number - 1)


def replace_question(
    raw: dict[str, Any], place: tuple[int, ...], new: dict[str, Any]
) -> dict[str, Any]:
    """Put the edited question in its place, keeping the sub-questions of a group."""
    old = question(raw, place)
    new = copy.deepcopy(new)
    if new.get("type") in GROUP_TYPES:
        new["fields"] = old.get("fields") or []
    _siblings(raw, place)[place[-1] - 1] = new
    return new


def earlier_questions(raw: dict[str, Any], place: tuple[int, ...]) -> list[dict[str, Any]]:
    """Questions asked before ``place`` that a condition may depend on."""
    if len(place) == 3:
        # Inside a group, a condition looks at the group's own earlier questions.
        return [q for q in _siblings(raw, place)[: place[-1] - 1] if _may_decide(q)]
    found: list[dict[str, Any]] = []
    for s_number, sec in enumerate(sections(raw), 1):
        for f_number, item in enumerate(sec.get("fields") or [], 1):
            if (s_number, f_number) >= place[:2]:
                return found
            if _may_decide(item):
                found.append(item)
    return found


def _may_decide(item: Any) -> bool:
    return isinstance(item, dict) and item.get("type") in (
        "single_choice",
        "multiple_choice",
        "yes_no_unsure",
        "scale",
    )
