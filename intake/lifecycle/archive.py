"""Export a whole process into one archive (erasing it is :mod:`intake.lifecycle.erase`).

The archive is a zip: ``records.json`` (every record, decrypted, with the form
definitions it was made with) and ``report-backs/`` (every released PDF). With a
passphrase, the zip is sealed with AES-GCM under a key derived by scrypt.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from flask_babel import lazy_gettext as _l

from intake.checkins import private_links
from intake.checkins.anonymity import anonymous_ids, day_of, neutral_key
from intake.clock import today
from intake.extensions import db
from intake.models import (
    AuditEvent,
    ContactEntry,
    FormSnapshot,
    Membership,
    Process,
    ReportBack,
    ReportState,
    Role,
    Submission,
    SubmissionStatus,
)
from intake.questionnaires import store
from intake.record import demands, meetings, steps
from intake.report.service import pdf_of
from intake.security.encryption import open_text
from intake.submissions import service as records

SEALED_HEADER = b"INTAKE-ARCHIVE-1\n"


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return str(value)


def _drafts_readable(form_id: str, role: Role | None) -> bool:
    """Drafts are their authors' group's: an export carries only the exporter's group's."""
    form = records.definition(form_id)
    return role is not None and form is not None and role.value in form.fill


def _submission(s: Submission, role: Role | None, anonymous: bool) -> dict:
    # An anonymous answer keeps only its day, and no id: ids follow the order answers came in.
    when = day_of if anonymous else (lambda moment: moment)
    entry: dict[str, Any] = {} if anonymous else {"id": s.id}
    entry |= {
        "form_id": s.form_id,
        "form_version": s.form_version,
        "definition": s.snapshot_id,
        "status": s.status,
        "created_at": when(s.created_at),
        "submitted_at": when(s.submitted_at),
        "meeting_id": s.meeting_id,
        "anonymous": anonymous,
        "answers": records.answers_of(s),
        "revisions": [
            {
                "number": r.number,
                "made_at": when(r.made_at),
                "status": r.status,
                "made_by": r.made_by.display_name if r.made_by else None,
                "answers": records.answers_of(r),
            }
            for r in s.revisions
            if r.status is not SubmissionStatus.DRAFT or _drafts_readable(s.form_id, role)
        ],
    }
    return entry


def _submissions(process: Process, role: Role | None) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Submission).where(Submission.process_id == process.id).order_by(Submission.id)
    )
    hidden = anonymous_ids(process.id)
    named, unnamed = [], []
    for s in rows:
        if s.is_draft and not _drafts_readable(s.form_id, role):
            continue
        if s.id in hidden:
            unnamed.append(s)
        else:
            named.append(_submission(s, role, anonymous=False))
    unnamed.sort(key=lambda s: (day_of(s.submitted_at), neutral_key(s)))
    return named + [_submission(s, role, anonymous=True) for s in unnamed]


def _link(i: private_links.PrivateLink) -> dict:
    return {
        "label": private_links.label_of(i),
        "kind": i.kind,
        "form_id": i.form_id,
        "state": i.state(datetime.now().astimezone()),
        # Which record a person gave is exactly what anonymity hides; an unsent draft
        # is nobody's business but the link holder's.
        "record": i.submission_id if i.answered_at and not i.anonymous else None,
        "confirmed_at": i.confirmed_at,
    }


def records_of(process: Process, role: Role | None = None) -> dict[str, Any]:
    """Everything of a process, decrypted, as plain data.

    ``role`` is the exporting member's role: drafts go only to the group that fills
    the form in. From the command line (no role) drafts stay out altogether.
    """
    subs = _submissions(process, role)
    snapshot_ids = {s["definition"] for s in subs}
    snapshots = db.session.scalars(sa.select(FormSnapshot).where(FormSnapshot.id.in_(snapshot_ids)))
    members = db.session.scalars(sa.select(Membership).where(Membership.process_id == process.id))
    return {
        "format": "intake process export 1",
        "exported_on": today(),
        "process": {
            "short_name": process.short_name,
            "pseudonym": process.pseudonym,
            "language": process.language,
            "created_at": process.created_at,
            "meeting_cadence_days": process.meeting_cadence_days,
        },
        "members": [
            {
                "name": m.account.display_name,
                "role": m.role,
                "coordinator": m.is_coordinator,
                "joined_at": m.joined_at,
                "left_at": m.left_at,
            }
            for m in members
        ],
        "form_definitions": {str(s.id): store.raw_of_snapshot(s) for s in snapshots},
        "questionnaires": [
            {
                "form_id": q.form_id,
                "versions": [store.raw_of_snapshot(v.snapshot) for v in q.versions],
                "draft": store.draft_of(q),
            }
            for q in store.of_process(process)
        ],
        "demands": [
            {
                "number": d.number,
                "original": d.original,
                "current": d.current,
                "status": d.status,
                "amendments": [a.__dict__ for a in d.amendments],
                "status_changes": [
                    {"status": c.status, "on": c.on, "minutes": c.minutes_id}
                    for c in d.status_changes
                ],
            }
            for d in demands.demand_views(process)
        ],
        "records": subs,
        "agreed_steps": [s.__dict__ for s in steps.steps_of(process, today())],
        "meetings": [m.__dict__ for m in meetings.views(process)],
        "contact_log": [
            {"on": e.on, "direction": e.direction, "channel": e.channel, "record": e.submission_id}
            for e in db.session.scalars(
                sa.select(ContactEntry).where(ContactEntry.process_id == process.id)
            )
        ],
        "invitations": [
            _link(i)
            for i in db.session.scalars(
                sa.select(private_links.PrivateLink).where(
                    private_links.PrivateLink.process_id == process.id
                )
            )
        ],
        "report_backs": [
            {
                "id": r.id,
                "since": r.since,
                "until": r.until,
                "state": r.state,
                "sha256": r.sha256,
                "released_at": r.released_at,
                "withdrawn_at": r.withdrawn_at,
                "withdraw_reason": open_text(r.withdraw_reason, r.encryption_context)
                if r.withdraw_reason
                else None,
            }
            for r in _reports(process)
        ],
        "audit_log": [
            {
                "at": e.at,
                "action": e.action,
                "subject": e.subject,
                "by": e.actor.display_name if e.actor else None,
            }
            for e in db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.process_id == process.id)
                .order_by(AuditEvent.id)
            )
        ],
    }


def _reports(process: Process) -> list[ReportBack]:
    return list(
        db.session.scalars(
            sa.select(ReportBack).where(ReportBack.process_id == process.id).order_by(ReportBack.id)
        )
    )


MIN_PASSPHRASE = 12


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says what to change."""


def check_passphrase(passphrase: str | None) -> None:
    """A sealed archive is only as safe as its passphrase: short ones are refused."""
    if passphrase and len(passphrase) < MIN_PASSPHRASE:
        raise ExportError(
            _l("Use a passphrase of at least %(n)d characters, or none.", n=MIN_PASSPHRASE)
        )


def export(process: Process, passphrase: str | None = None, role: Role | None = None) -> bytes:
    """Every record of the process in one zip, sealed with the passphrase if one is given.

    ``role`` is the exporting member's group, whose drafts come along; the command
    line (no role) exports no drafts.
    """
    check_passphrase(passphrase)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "records.json",
            json.dumps(
                records_of(process, role), default=_json_default, ensure_ascii=False, indent=1
            ),
        )
        for report in _reports(process):
            if report.state in (ReportState.RELEASED, ReportState.WITHDRAWN) and report.pdf:
                archive.writestr(
                    f"report-backs/{report.id}-{report.since}-{report.until}.pdf", pdf_of(report)
                )
    data = buffer.getvalue()
    return seal(data, passphrase) if passphrase else data


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def seal(data: bytes, passphrase: str) -> bytes:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    return SEALED_HEADER + salt + nonce + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, None)


def unseal(blob: bytes, passphrase: str) -> bytes:
    if not blob.startswith(SEALED_HEADER):
        raise ValueError("This is not a sealed intake archive.")
    body = blob[len(SEALED_HEADER) :]
    salt, nonce, sealed = body[:16], body[16:28], body[28:]
    return AESGCM(_key(passphrase, salt)).decrypt(nonce, sealed, None)
