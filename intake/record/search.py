"""Search within one process, over what the searching member's group may read (the policy)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from intake.extensions import db
from intake.formdef import FormDefinition
from intake.formdef.model import localised
from intake.models import AgreedStep, Membership, Process, Submission, SubmissionStatus
from intake.record import demands, paging
from intake.security import policy
from intake.security.encryption import open_text
from intake.security.policy import Act
from intake.submissions import service

SNIPPET = 80
HITS_PER_PAGE = 50
READS_PER_PAGE = 600  # records unsealed and matched for one page, at most
# The first read, which a common word fills; then the rest of the page's reads at once,
# for each question is a round trip to the database.
FIRST_BATCH = 100


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


def search(
    process: Process,
    membership: Membership,
    query: str,
    locale: str,
    *,
    before: paging.Cursor | None = None,
    hits_per_page: int = HITS_PER_PAGE,
    reads_per_page: int = READS_PER_PAGE,
) -> paging.Page:
    """One page of hits: on the first, the demands and agreed steps; then the records,
    newest first.

    The words are sealed, so they are read and matched here, not in the database; a
    page reads at most ``reads_per_page`` records, and the "older" link goes on
    from the last record read.
    """
    needle = query.strip().casefold()
    if len(needle) < 2:
        return paging.Page([], older=None, newer=None)
    hits: list[Hit] = []
    forms = service.definitions(process)
    readable_forms = [f.id for f in forms.values() if policy.may_read_form(membership, f)]
    if before is None:
        hits += _demand_hits(process, membership, needle)
        if policy.may(membership, Act.KEEP_STEPS):
            hits += _step_hits(process, needle)
    # Columns, not whole records: a page may read six hundred of them.
    records = sa.select(
        Submission.id, Submission.form_id, Submission.answers, Submission.updated_at
    ).where(
        Submission.process_id == process.id,
        Submission.status == SubmissionStatus.SUBMITTED,
        Submission.form_id.in_(readable_forms),
    )
    if before is not None:
        records = records.where(Submission.id < before[1])
    # The demands and steps come on top of a page's hits among the records.
    read, last, wanted = 0, None, len(hits) + hits_per_page
    context = Submission(process_id=process.id).encryption_context
    # The answers are stored as JSON written without escapes but for quotes, backslashes
    # and control characters: a needle free of those that is not in the whole text is in
    # none of its answers, and most records are passed over without being parsed.
    plain = not any(c in needle for c in '"\\') and needle.isprintable()
    while len(hits) < wanted and read < reads_per_page:
        limit = min(FIRST_BATCH if last is None else reads_per_page, reads_per_page - read)
        beyond = records.where(Submission.id < last.id) if last else records
        batch = db.session.execute(beyond.order_by(Submission.id.desc()).limit(limit)).all()
        for record in batch:
            read, last = read + 1, record
            text = open_text(record.answers, context)
            if plain and needle not in text.casefold():
                continue
            found = _record_hit(record, json.loads(text), needle, forms, locale)
            if found:
                hits.append(found)
                if len(hits) >= wanted:
                    break
        if len(batch) < limit:
            break  # no record left
    older = None
    if last is not None and db.session.scalar(
        sa.select(records.where(Submission.id < last.id).exists())
    ):
        older = paging.cursor_text((last.updated_at.date(), last.id))
    return paging.Page(hits, older=older, newer=None)


def _demand_hits(process: Process, membership: Membership, needle: str) -> list[Hit]:
    if not policy.may(membership, Act.READ_DEMANDS):
        return []
    hits = []
    for number, current, original in demands.words_of(process):
        for text in (current, original):
            found = _snippet(text, needle)
            if found:
                hits.append(Hit(f"#{number}", found, ("demands.index", {})))
                break
    return hits


def _step_hits(process: Process, needle: str) -> list[Hit]:
    """Steps whose words hold the needle, by deadline; only their words are unsealed."""
    hits = []
    context = AgreedStep.context_for(process.id)
    rows = db.session.execute(
        sa.select(AgreedStep.id, AgreedStep.what)
        .where(AgreedStep.process_id == process.id)
        .order_by(AgreedStep.deadline, AgreedStep.id)
    )
    for step_id, sealed in rows:
        what = open_text(sealed, context)
        found = _snippet(what, needle)
        if found:
            hits.append(Hit(what[:60], found, ("steps.show", {"step_id": step_id})))
    return hits


def _record_hit(
    record: sa.Row, answers: Any, needle: str, forms: dict[str, FormDefinition], locale: str
) -> Hit | None:
    for text in _texts(answers):
        found = _snippet(text, needle)
        if found:
            form = forms.get(record.form_id)
            title = localised(form.title, locale) if form else record.form_id
            return Hit(title, found, ("submissions.show", {"submission_id": record.id}))
    return None
