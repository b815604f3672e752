"""What every template can use: dates in the reader's language, the current locale."""

from datetime import datetime

from flask import Flask
from flask_babel import get_locale

from intake.clock import today
from intake.formdef import form_keys
from intake.formdef.model import localised
from intake.labels import LABELS, format_day, format_moment
from intake.lifecycle import retention
from intake.models import (
    ActKind,
    AmendmentState,
    DemandStatus,
    LinkKind,
    MeetingState,
    ReportState,
    StepStatus,
    SubmissionStatus,
)
from intake.people import confirmations
from intake.people.member_forms import ROLE_LABELS
from intake.record.silence import DEFINITIONS as SILENCE_DEFINITIONS
from intake.record.silence import shown as silence_figures
from intake.security import quick_exit, session_end

STATE_ENUMS = (
    ActKind,
    AmendmentState,
    DemandStatus,
    LinkKind,
    MeetingState,
    ReportState,
    StepStatus,
    SubmissionStatus,
)


def _date(value: datetime | None) -> str:
    return format_day(value) if value else ""


def _datetime(value: datetime | None) -> str:
    return format_moment(value, "medium") if value else ""


def register(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["format_date"] = _date
    app.jinja_env.filters["format_datetime"] = _datetime
    app.jinja_env.filters["localised"] = localised

    @app.context_processor
    def globals_for_templates() -> dict:
        return {
            "current_locale": lambda: str(get_locale() or "en"),
            "role_labels": ROLE_LABELS,
            "retention_notice": lambda process: retention.notice(process, today()),
            "act_requests": confirmations.requests_for,
            "silence_definitions": SILENCE_DEFINITIONS,
            "silence_figures": silence_figures,
            "form_key": form_keys.hidden_field,
            "quick_exit_url": quick_exit.exit_url,
            "session_end_for_page": session_end.for_page,
            "default_exit_url": quick_exit.DEFAULT_EXIT_URL,
            # States are compared as enums, never as strings a typo could miss.
            **{kind.__name__: kind for kind in STATE_ENUMS},
            **LABELS,
        }
