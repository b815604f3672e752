"""One submission as a PDF: only the answers that may travel, in the process's language.

Every download is logged like a report-back's: a printed record leaves the service.
"""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from intake.formdef import FormDefinition
from intake.formdef.model import localised
from intake.formdef.present import readable
from intake.formdef.travel import report_sections, travelling
from intake.models import Account, Process, Submission
from intake.record.demands import demands_of
from intake.report.render import document_html, to_pdf
from intake.report.service import log_download
from intake.security import audit


def submission_pdf(
    process: Process,
    submission: Submission,
    form: FormDefinition,
    answers: dict[str, Any],
    reader: Account,
) -> bytes:
    """The PDF of these answers (as the reader may read them), logged as read by the reader.

    The caller commits, after the response is ready.
    """
    answers = travelling(form, answers)
    sections = report_sections(form, readable(form, answers, process.language, demands_of(process)))
    with force_locale(process.language):
        title = localised(form.title, process.language)
    data = to_pdf(document_html(title, sections, process.language, process.pseudonym))
    log_download(process, reader, submission=submission)
    audit.record("document-read", process=process, subject=f"record:{submission.id}")
    return data


def file_name(process: Process, submission: Submission) -> str:
    return f"{submission.form_id}-{process.short_name}-{submission.id}.pdf"
