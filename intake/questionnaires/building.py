"""The builder's buttons: one posted word such as ``up:2.1`` becomes one change to the draft."""

from __future__ import annotations

from typing import Any

from intake.questionnaires import editing
from intake.questionnaires.editing import NoSuchPlace, parse_place


class UnknownAction(ValueError):
    """A button this page does not have (a tampered or stale form)."""


def apply(raw: dict[str, Any], action: str) -> tuple[int, ...] | None:
    """Change ``raw`` as the button says; the place of a question just added, if any."""
    verb, _, where = (action or "").partition(":")
    try:
        if verb == "add_section":
            editing.add_section(raw)
            return None
        if verb == "add_question":
            into = (int(where),) if where.isdigit() else parse_place(where)
            return editing.add_question(raw, into)
        if verb in ("section_up", "section_down", "section_remove") and where.isdigit():
            number = int(where)
            if verb == "section_remove":
                editing.remove_section(raw, number)
            else:
                editing.move_section(raw, number, -1 if verb == "section_up" else 1)
            return None
        if verb in ("up", "down"):
            editing.move_question(raw, parse_place(where), -1 if verb == "up" else 1)
            return None
        if verb == "remove":
            editing.remove_question(raw, parse_place(where))
            return None
    except NoSuchPlace as exc:
        raise UnknownAction(action) from exc
    raise UnknownAction(action)


def set_heading(
    raw: dict[str, Any], title: dict[str, str], intro: dict[str, str] | None, fill: str
) -> None:
    raw["title"] = title
    if intro:
        raw["description"] = intro
    else:
        raw.pop("description", None)
    raw["fill"] = [fill]
    # Members' questionnaires are read by the contact group, who fill them in.
    raw["read"] = ["contact"]


def set_section(raw: dict[str, Any], number: int, made: dict[str, Any]) -> None:
    section = editing.section(raw, number)
    section["id"] = made["id"]
    section["title"] = made["title"]
    if made.get("help"):
        section["help"] = made["help"]
    else:
        section.pop("help", None)
