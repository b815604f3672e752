"""Long forms filled in section by section from a task list (GOV.UK "task list").

A draft of the whole form keeps every section's answers as typed, plus which
sections were saved and which were completed. Saving one section replaces only
that section's answers in the draft, so two sittings, or two people one after
the other, never lose another section's answers. A section is complete once its
questions passed the same checks a submission does; the form is sent only when
every section with a required question is complete.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from werkzeug.datastructures import MultiDict

from intake.formdef import FormDefinition
from intake.formdef.model import Field, Section
from intake.submissions import service

SECTIONS_KEY = "_sections"
SAVE_LATER = "later"
SAVE_CONTINUE = "continue_section"


class Status(Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


def section_of(form: FormDefinition, section_id: str) -> Section | None:
    return next((s for s in form.sections if s.id == section_id), None)


def next_section(form: FormDefinition, section: Section) -> Section | None:
    ids = [s.id for s in form.sections]
    at = ids.index(section.id)
    return form.sections[at + 1] if at + 1 < len(ids) else None


def _required(field: Field) -> bool:
    if field.required or (field.is_group and (field.min_entries or 0) > 0):
        return True
    return any(_required(inner) for inner in field.fields or ())


def is_required(section: Section) -> bool:
    """A section must be completed before sending if any of its questions must be answered."""
    return any(_required(f) for f in section.fields)


def statuses(form: FormDefinition, answers: dict[str, Any] | None) -> dict[str, Status]:
    """Each section's status in a draft; a section never saved is not started."""
    stored = (answers or {}).get(SECTIONS_KEY) or {}
    found = {}
    for section in form.sections:
        try:
            found[section.id] = Status(stored.get(section.id, Status.NOT_STARTED.value))
        except ValueError:
            found[section.id] = Status.IN_PROGRESS
    return found


def missing(form: FormDefinition, answers: dict[str, Any] | None) -> list[Section]:
    """The required sections not yet completed, in the form's order."""
    status = statuses(form, answers)
    return [s for s in form.sections if is_required(s) and status[s.id] is not Status.COMPLETED]


def _owner(key: str) -> str:
    # "demands-0-text" belongs to the question "demands"; a plain name to itself.
    return key.split("-", 1)[0]


def merged_formdata(
    form: FormDefinition, section: Section, stored: MultiDict, posted: MultiDict
) -> MultiDict:
    """The whole draft with this section's answers as just posted, every other section's
    as stored (a section page posts only its own questions)."""
    own = {f.id for f in section.fields}
    others = {f.id for f in form.fields()} - own
    kept = [(k, v) for k, v in stored.items(multi=True) if _owner(k) in others]
    sent = [(k, v) for k, v in posted.items(multi=True) if _owner(k) not in others]
    return MultiDict(kept + sent)


def section_valid(section: Section, bound: Any) -> bool:
    """This section's questions pass the checks a submission makes; the other sections
    are left alone (their errors belong on their own pages)."""
    fine = bool(bound.csrf_token.validate(bound))
    for spec in section.fields:
        fine = bool(bound[spec.id].validate(bound)) and fine
    return fine


def with_status(
    draft: dict[str, Any], previous: dict[str, Any] | None, section: Section, status: Status
) -> dict[str, Any]:
    """A draft's answers with this section's new status, the others' as they were."""
    before = dict((previous or {}).get(SECTIONS_KEY) or {})
    before[section.id] = status.value
    return {**draft, SECTIONS_KEY: before}


def stored_draft(answers: dict[str, Any] | None) -> MultiDict:
    pairs = service.draft_formdata(answers or {}) or []
    return MultiDict([(k, v) for k, v in pairs])
