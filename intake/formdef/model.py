"""What a form definition is, once read and checked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FIELD_TYPES = (
    "text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "yes_no_unsure",
    "date",
    "datetime",
    "scale",
    "email",
    "repeat",
    "demand_review",
)
# Where an answer may go: into report-backs, only onto web pages of those
# with access, or never beyond the page itself (not even into a PDF or email).
TRAVEL = ("report", "internal", "never")
ROLES = ("support", "contact", "central")
DEFAULT_MAX_LENGTH = {"text": 200, "email": 254, "long_text": 20_000}
YES_NO_UNSURE = ("yes", "no", "unsure")


@dataclass(frozen=True)
class Choice:
    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class ShowIf:
    """Ask this field only when another field of the same form has one of these answers."""

    field: str
    values: tuple[str, ...]

    def holds(self, answer: Any) -> bool:
        if isinstance(answer, list):
            return any(str(a) in self.values for a in answer)
        return answer is not None and str(answer) in self.values


@dataclass(frozen=True)
class Field:
    id: str
    type: str
    label: dict[str, str]
    help: dict[str, str] = field(default_factory=dict)
    required: bool = False
    travel: str = "internal"
    # False: left out when the contact group shares the record with the support group.
    share: bool = True
    min_length: int | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    show_if: ShowIf | None = None
    fields: tuple[Field, ...] = ()  # sub-fields of a repeat or demand_review
    min_entries: int = 0
    max_entries: int = 30

    @property
    def is_group(self) -> bool:
        return self.type in ("repeat", "demand_review")

    def choice_values(self) -> tuple[str, ...]:
        if self.type == "yes_no_unsure":
            return YES_NO_UNSURE
        if self.type == "scale":
            return tuple(str(n) for n in range(self.scale_min, self.scale_max + 1))
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]
    help: dict[str, str]
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class FormDefinition:
    id: str
    version: int
    title: dict[str, str]
    description: dict[str, str]
    fill: tuple[str, ...]  # roles that fill it in; "link" means through a private link
    read: tuple[str, ...]  # roles that may read what was filled in
    once: bool  # one per process, like the handover
    sections: tuple[Section, ...]
    source: str  # the file it came from, for messages
    raw: dict[str, Any]  # the definition as written, stored with every submission
    # A date question giving the day the record is about; it dates the record in the
    # chronology and the figures instead of the day it was sent.
    dated_by: str | None = None
    # A starter for a process's own questionnaires, offered in the builder only.
    template: bool = False
    # Filled in section by section from a task list, each section saved on its own.
    task_list: bool = False

    def fields(self) -> Iterator[Field]:
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> Field:
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)


def localised(text: dict[str, str], locale: str) -> str:
    """The text in the reader's language, else English, else whatever there is."""
    return text.get(locale) or text.get("en") or next(iter(text.values()), "")
