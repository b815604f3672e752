"""Keeping a process's own questionnaires: drafts, publishing, versions, and lookup.

A questionnaire is stored as the very definition ``forms/*.yaml`` holds, checked
by the same loader, so a group's questionnaire and a built-in one are read,
filled, counted and printed by the same code. Its words are the group's (a
question can name a person), so every copy of it is sealed with the process's
key. A published version is never changed: editing one opens a draft of the
next, and records keep pointing at the version they were made with.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from intake.extensions import db
from intake.formdef import FormDefinition, parse_definition
from intake.formdef.loader import OWN_PREFIX, all_problems, field_place, section_place
from intake.formdef.locking import claim
from intake.models import (
    Account,
    CheckinRound,
    FormSnapshot,
    Process,
    Questionnaire,
    QuestionnaireVersion,
    utcnow,
)
from intake.security.encryption import open_json, open_text, seal_json

CONSENT_QUESTION: dict[str, Any] = {
    "id": "quote_consent",
    "type": "single_choice",
    "required": True,
    "travel": "internal",
    "label": {
        "en": "May your words be quoted in report-backs?",
        "de": "Dürfen deine Worte in Rückmeldeberichten zitiert werden?",
    },
    "choices": [
        {
            "value": "yes",
            "label": {"en": "Yes, they may be quoted", "de": "Ja, sie dürfen zitiert werden"},
        },
        {
            "value": "no",
            "label": {"en": "No, only count my answers", "de": "Nein, nur meine Antworten zählen"},
        },
    ],
}


class Unpublishable(ValueError):
    """A draft that cannot be published yet; ``problems`` says every place to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class DraftConflict(Exception):
    """Someone else saved the draft after this person opened it."""


def blank(fill: str = "link") -> dict[str, Any]:
    """A new questionnaire: one section; filled by link, it starts with the consent question,
    because words reach a report-back only with that consent."""
    first: dict[str, Any] = {
        "id": "questions",
        "title": {"en": "Questions", "de": "Fragen"},
        "fields": [copy.deepcopy(CONSENT_QUESTION)] if fill == "link" else [],
    }
    return {
        "id": "",
        "version": 1,
        "fill": [fill],
        "read": ["contact"],
        "title": {"en": "New questionnaire", "de": "Neuer Fragebogen"},
        "sections": [first],
    }


def create(process: Process, by: Account | None, raw: dict[str, Any]) -> Questionnaire:
    """A new questionnaire of this process with ``raw`` as its first draft."""
    questionnaire = Questionnaire(
        process_id=process.id,
        # Random, not counted: an id in an address should not tell how many there are.
        form_id=f"{OWN_PREFIX}{secrets.token_hex(5)}",
        lock_version=1,
        created_by_id=by.id if by else None,
    )
    db.session.add(questionnaire)
    db.session.flush()
    _write_draft(questionnaire, raw)
    return questionnaire


def of_process(process: Process) -> list[Questionnaire]:
    return list(
        db.session.scalars(
            sa.select(Questionnaire)
            .where(Questionnaire.process_id == process.id)
            .order_by(Questionnaire.created_at)
        )
    )


def _normalised(questionnaire: Questionnaire, raw: dict[str, Any]) -> dict[str, Any]:
    """The id and version are the service's to give, whatever a file or form said."""
    raw = dict(raw)
    raw["id"] = questionnaire.form_id
    raw["version"] = next_version(questionnaire)
    return raw


def _write_draft(questionnaire: Questionnaire, raw: dict[str, Any]) -> None:
    questionnaire.draft = seal_json(
        _normalised(questionnaire, raw), questionnaire.encryption_context
    )
    questionnaire.updated_at = utcnow()


def next_version(questionnaire: Questionnaire) -> int:
    return (questionnaire.versions[-1].version + 1) if questionnaire.versions else 1


def draft_of(questionnaire: Questionnaire) -> dict[str, Any] | None:
    if questionnaire.draft is None:
        return None
    return open_json(questionnaire.draft, questionnaire.encryption_context)


def working_copy(questionnaire: Questionnaire) -> dict[str, Any]:
    """What the builder edits: the open draft, or a new draft of the next version."""
    draft = draft_of(questionnaire)
    if draft is not None:
        return draft
    return _normalised(questionnaire, latest_raw(questionnaire) or blank())


def save_draft(questionnaire: Questionnaire, raw: dict[str, Any], started_from: int | None) -> None:
    """Keep the builder's work as it stands, valid or not; refuse a stale save (R6)."""
    if not claim(Questionnaire, questionnaire.id, started_from):
        raise DraftConflict()
    db.session.refresh(questionnaire)
    _write_draft(questionnaire, raw)
    db.session.flush()


def problems_of(questionnaire: Questionnaire, raw: dict[str, Any]) -> list[str]:
    """Every place to fix, named by section and question as the loader names them."""
    found = all_problems(_normalised(questionnaire, raw), source="questionnaire")
    found += _link_problems(raw)
    return [p.removeprefix("questionnaire: ") for p in found]


def _link_problems(raw: dict[str, Any]) -> list[str]:
    """A questionnaire answered by link goes to people without an account: it may not
    ask them to review the demands, which only the process's members may read."""
    if "link" not in (raw.get("fill") or []):
        return []
    return [
        "{}: {}".format(
            field_place(section_place(str(section.get("id"))), str(item.get("id"))),
            _(
                "a review of each demand is for questionnaires filled in by members, "
                "not by private link"
            ),
        )
        for section in raw.get("sections") or []
        if isinstance(section, dict)
        for item in section.get("fields") or []
        if isinstance(item, dict) and item.get("type") == "demand_review"
    ]


def publish(questionnaire: Questionnaire, by: Account | None) -> QuestionnaireVersion:
    """Freeze the draft as the next version; a draft with problems is refused with all of them."""
    raw = draft_of(questionnaire)
    if raw is None:
        raise Unpublishable([_("There is no draft to publish.")])
    raw = _normalised(questionnaire, raw)
    problems = problems_of(questionnaire, raw)
    if problems:
        raise Unpublishable(problems)
    sealed = seal_json(raw, f"process:{questionnaire.process_id}:questionnaire")
    snapshot = FormSnapshot(
        form_id=questionnaire.form_id,
        version=raw["version"],
        # Of the sealed bytes: a digest of the words would let a guess be confirmed.
        sha256=hashlib.sha256(sealed).hexdigest(),
        definition="",
        process_id=questionnaire.process_id,
        sealed=sealed,
    )
    db.session.add(snapshot)
    db.session.flush()
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        version=raw["version"],
        snapshot_id=snapshot.id,
        published_by_id=by.id if by else None,
        published_at=utcnow(),
    )
    db.session.add(version)
    questionnaire.draft = None
    questionnaire.updated_at = version.published_at
    db.session.flush()
    db.session.refresh(questionnaire, ["versions"])
    return version


def raw_of_snapshot(snapshot: FormSnapshot) -> dict[str, Any]:
    if snapshot.sealed is not None:
        return open_json(snapshot.sealed, snapshot.encryption_context)
    return json.loads(snapshot.definition)


def latest_raw(questionnaire: Questionnaire) -> dict[str, Any] | None:
    if not questionnaire.versions:
        return None
    return raw_of_snapshot(questionnaire.versions[-1].snapshot)


def latest(questionnaire: Questionnaire) -> FormDefinition | None:
    if not questionnaire.versions:
        return None
    snapshot = questionnaire.versions[-1].snapshot
    return parse_definition(raw_of_snapshot(snapshot), f"{questionnaire.form_id}")


def published(process: Process) -> dict[str, FormDefinition]:
    """The current version of each published questionnaire of this process, by form id."""
    found = {}
    for questionnaire in of_process(process):
        definition = latest(questionnaire)
        if definition is not None:
            found[definition.id] = definition
    return found


def by_form_id(process: Process, form_id: str) -> Questionnaire | None:
    return db.session.scalar(
        sa.select(Questionnaire).where(
            Questionnaire.process_id == process.id, Questionnaire.form_id == form_id
        )
    )


def snapshot_of(process_id: int, form_id: str, version: int) -> FormSnapshot:
    """The published snapshot records of this version point to."""
    found = db.session.scalar(
        sa.select(FormSnapshot).where(
            FormSnapshot.process_id == process_id,
            FormSnapshot.form_id == form_id,
            FormSnapshot.version == version,
        )
    )
    if found is None:
        raise LookupError(f"{form_id} version {version} is not published in this process")
    return found


@dataclass(frozen=True)
class RoundSent:
    """A check-in round as the builder lists it under the version it asked."""

    id: int
    title: str
    sent_at: datetime


def version_used(questionnaire: Questionnaire, at: Any) -> int | None:
    """The version that was current at a moment, such as when a round was sent."""
    used = None
    for version in questionnaire.versions:
        if version.published_at <= at:
            used = version.version
    return used


def rounds_by_version(questionnaire: Questionnaire) -> dict[int | None, list[RoundSent]]:
    """Each version's check-in rounds, oldest first: which rounds asked which questions."""
    rounds = db.session.scalars(
        sa.select(CheckinRound)
        .where(
            CheckinRound.process_id == questionnaire.process_id,
            CheckinRound.form_id == questionnaire.form_id,
        )
        .order_by(CheckinRound.created_at, CheckinRound.id)
    ).all()
    used: dict[int | None, list[RoundSent]] = {}
    for checkin_round in rounds:
        number = version_used(questionnaire, checkin_round.created_at)
        title = open_text(checkin_round.title, checkin_round.encryption_context)
        sent = RoundSent(checkin_round.id, title, checkin_round.created_at)
        used.setdefault(number, []).append(sent)
    return used
