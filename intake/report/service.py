"""Report-backs through their life: queued, rendered as a draft, released and frozen, withdrawn."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db, rows_changed
from intake.models import (
    Account,
    Process,
    ReportBack,
    ReportDownload,
    ReportState,
    Submission,
    SubmissionStatus,
    utcnow,
)
from intake.report.content import assemble, first_day
from intake.report.render import report_html, sha256, to_pdf
from intake.security.encryption import keyring as _keyring
from intake.security.encryption import open_text, seal_text
from intake.submissions import service as records


class ReportError(ValueError):
    """A report-back request that cannot be carried out, in words for the person."""


def request_report(
    process: Process,
    *,
    since: date,
    until: date,
    whole: bool,
    by: Account | None,
    assessment: Submission | None = None,
    closing: bool = False,
    appendix: bool = False,
) -> ReportBack:
    """Queue a report-back; a closing one covers the whole process. With ``appendix``
    it lists every entry of its chronology once more, one by one, at the end."""
    whole = whole or closing
    if whole:
        since = first_day(process)
    if until < since:
        raise ReportError(_l("The period ends before it starts. Check both dates."))
    report = ReportBack(
        process_id=process.id,
        whole=whole,
        closing=closing,
        appendix=appendix,
        since=since,
        until=until,
        language=process.language,
        state=ReportState.QUEUED,
        created_by_id=by.id if by else None,
        assessment_id=assessment.id if assessment else None,
    )
    db.session.add(report)
    db.session.flush()
    return report


def assessments_of(process: Process) -> list[Submission]:
    """The contact group's written assessments, newest first, to choose one for a report."""
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(
                Submission.process_id == process.id,
                Submission.form_id == "report",
                Submission.status == SubmissionStatus.SUBMITTED,
            )
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        )
    )


def html_for(report: ReportBack) -> str:
    process = db.session.get_one(Process, report.process_id)
    assessment = db.session.get(Submission, report.assessment_id) if report.assessment_id else None
    content = assemble(
        process,
        report.since,
        report.until,
        whole=report.whole,
        closing=report.closing,
        assessment=assessment,
        made_on=report.created_at.date(),
        appendix=report.appendix,
    )
    return report_html(content)


def render(report: ReportBack) -> None:
    """Render and store the PDF, encrypted; the report becomes a draft to preview.

    The result is stored only if this render still holds the report-back (same
    state, same start): a render that was given up for dead and started again
    must not overwrite the new one when it finally ends.
    """
    if report.state is not ReportState.RENDERING or report.started_at is None:
        report.state = ReportState.RENDERING
        report.started_at = utcnow()
        db.session.commit()
    started_at = report.started_at
    pdf = to_pdf(html_for(report))
    rows_changed(
        sa.update(ReportBack)
        .where(
            ReportBack.id == report.id,
            ReportBack.state == ReportState.RENDERING,
            ReportBack.started_at == started_at,
        )
        .values(
            pdf=_keyring().encrypt(pdf, report.encryption_context),
            sha256=sha256(pdf),
            state=ReportState.DRAFT,
            rendered_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire(report)


def start_again(report: ReportBack) -> None:
    """A report-back that could not be made goes back into the queue, made as of today."""
    won = db.session.execute(
        sa.update(ReportBack)
        .where(ReportBack.id == report.id, ReportBack.state == ReportState.FAILED)
        .values(state=ReportState.QUEUED, failure=None, started_at=None, created_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not won:
        db.session.rollback()
        raise ReportError(_l("Only a report-back that could not be made can be started again."))
    db.session.expire(report)


def failure_words(report: ReportBack) -> str:
    """Why a render failed, in words; older rows stored English words, read the same."""
    words = {
        "too-long": _l("It took longer than the time limit."),
        "took too long": _l("It took longer than the time limit."),
        "stopped": _l("The work on it stopped before it was finished."),
    }
    return str(words.get(report.failure or "", _l("Making the PDF failed.")))


def pdf_of(report: ReportBack) -> bytes:
    if report.pdf is None:
        raise ReportError(_l("This report-back has not been rendered."))
    return _keyring().decrypt(report.pdf, report.encryption_context)


def release(report: ReportBack, by: Account) -> None:
    """Freeze a rendered draft: from now on its PDF never changes."""
    won = rows_changed(
        sa.update(ReportBack)
        .where(ReportBack.id == report.id, ReportBack.state == ReportState.DRAFT)
        .values(state=ReportState.RELEASED, released_by_id=by.id, released_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not won:
        db.session.rollback()
        raise ReportError(_l("Only a rendered draft can be released."))
    db.session.expire(report)


def withdraw(report: ReportBack, reason: str, by: Account) -> None:
    if not reason.strip():
        raise ReportError(_l("Say why the report-back is withdrawn."))
    if report.state is not ReportState.RELEASED:
        raise ReportError(_l("Only a released report-back can be withdrawn."))
    report.state = ReportState.WITHDRAWN
    report.withdrawn_by_id = by.id
    report.withdrawn_at = utcnow()
    report.withdraw_reason = seal_text(reason.strip(), report.encryption_context)


def withdraw_reason(report: ReportBack) -> str:
    return (
        open_text(report.withdraw_reason, report.encryption_context)
        if report.withdraw_reason
        else ""
    )


def survivor_wants_updates(process: Process) -> bool:
    """Her answer in the handover: does the support group receive report-backs?"""
    handover = records.first_of(process, "handover")
    if handover is None or handover.is_draft:
        return False
    return records.answers_of(handover).get("wants_updates", "none") != "none"


def log_download(
    process: Process,
    account: Account,
    *,
    report: ReportBack | None = None,
    submission: Submission | None = None,
) -> None:
    db.session.add(
        ReportDownload(
            process_id=process.id,
            account_id=account.id,
            report_id=report.id if report else None,
            submission_id=submission.id if submission else None,
        )
    )


def reports_of(process: Process) -> list[ReportBack]:
    return list(
        db.session.scalars(
            sa.select(ReportBack)
            .where(ReportBack.process_id == process.id)
            .order_by(ReportBack.created_at.desc())
        )
    )


def downloads_of(report: ReportBack) -> list[ReportDownload]:
    return list(
        db.session.scalars(
            sa.select(ReportDownload)
            .where(ReportDownload.report_id == report.id)
            .order_by(ReportDownload.at.desc())
        )
    )
