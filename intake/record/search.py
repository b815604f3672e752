"""Search within one process, over what the searching person's role may read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from intake.extensions import db
from intake.formdef.model import localised
from intake.models import Process, Submission, SubmissionStatus
from intake.record import demands, steps
from intake.submissions import service

SNIPPET = 80


@dataclass(frozen=True)
class Hit:
    title: str
    snippet: str
    link: tuple[str, dict]


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _snippet(text: str, needle: str) -> str | None:
    at = text.casefold().find(needle)
    if at < 0:
        return None
    start = max(0, at - SNIPPET // 2)
    end = min(len(text), at + len(needle) + SNIPPET // 2)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(process: Process, role: str, query: str, locale: str, today) -> list[Hit]:
    needle = query.strip().casefold()
    if len(needle) < 2:
        return []
    hits: list[Hit] = []
    forms = service.definitions(process)
    readable_forms = [f.id for f in forms.values() if role in f.read]
    if role in ("contact", "support"):
        for demand in demands.demand_views(process):
            for text in (demand.current, demand.original):
                found = _snippet(text, needle)
                if found:
                    hits.append(Hit(f"#{demand.number}", found, ("demands.index", {})))
                    break
    records = db.session.scalars(
        sa.select(Submission).where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.form_id.in_(readable_forms),
        )
    )
    for record in records:
        for text in _texts(service.answers_of(record)):
            found = _snippet(text, needle)
            if found:
                form = forms.get(record.form_id)
                title = localised(form.title, locale) if form else record.form_id
                hits.append(Hit(title, found, ("records.show", {"record_id": record.id})))
                break
    if role == "contact":
        for step in steps.steps_of(process, today):
            found = _snippet(step.what, needle)
            if found:
                hits.append(Hit(step.what[:60], found, ("steps.show", {"step_id": step.id})))
    return hits
