"""Words for the states of things, and days, in the reader's language.

A page of a long process shows the same few words thousands of times, so each
table is translated once per locale and each day formatted once per locale and
format: looking a word up again costs a dictionary access, not a catalogue
search, and the HTML that comes out is the same.
"""

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any, TypeVar

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask_babel import format_date as flask_format_date
from flask_babel import format_datetime as flask_format_datetime
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup

from intake.models import (
    DemandStatus,
    Direction,
    MeetingKind,
    MeetingState,
    ReportState,
    StepOwner,
    StepStatus,
)

K = TypeVar("K")
_TABLES: list[dict] = []


def translated_once(build: Callable[[], dict[K, str]]) -> Callable[[], dict[K, str]]:
    """The table ``build`` makes, made once for each locale it is asked in."""
    tables: dict[str, dict[K, str]] = {}
    _TABLES.append(tables)

    @wraps(build)
    def table() -> dict[K, str]:
        locale = str(get_locale())
        found = tables.get(locale)
        if found is None:
            found = tables[locale] = build()
        return found

    return table


_DAYS: dict[tuple[str, str, date], str] = {}
_DAYS_KEPT = 20_000  # a few years of days in two languages and formats; then start again
# Moments (a record saved, a link sent) in the reader's time zone: a list page shows a
# hundred, each formatted anew by babel at a tenth of a millisecond, and shown again
# at the next view of the page.
_MOMENTS: dict[tuple[Callable[[datetime, str], str], str, str, str, datetime], str] = {}
_MOMENTS_KEPT = 20_000


def forget() -> None:
    """Drop every translated table and formatted day (for a catalogue loaded anew)."""
    for tables in _TABLES:
        tables.clear()
    _DAYS.clear()
    _MOMENTS.clear()


def format_day(value: date | datetime, format: str = "medium") -> str:
    """``value`` as flask-babel's ``format_date`` writes it, each day formatted once."""
    if isinstance(value, datetime):  # moved into the reader's time zone first
        return _moment(flask_format_date, value, format)
    return _day(get_locale(), value, format)


def _day(locale: Locale | None, value: date, format: str) -> str:
    key = (str(locale), format, value)
    found = _DAYS.get(key)
    if found is None:
        if len(_DAYS) >= _DAYS_KEPT:
            _DAYS.clear()
        found = _DAYS[key] = babel_format_date(value, format, locale=locale)
    return found


def format_moment(value: datetime, format: str = "medium") -> str:
    """``value`` as flask-babel's ``format_datetime`` writes it, each moment formatted once."""
    return _moment(flask_format_datetime, value, format)


def _moment(write: Callable[[datetime, str], str], value: datetime, format: str) -> str:
    key = (write, str(get_locale()), str(get_timezone()), format, value)
    found = _MOMENTS.get(key)
    if found is None:
        if len(_MOMENTS) >= _MOMENTS_KEPT:
            _MOMENTS.clear()
        found = _MOMENTS[key] = write(value, format)
    return found


@translated_once
def _demand_status_words() -> dict[DemandStatus, str]:
    return {
        DemandStatus.NOT_STARTED: _("not started"),
        DemandStatus.IN_PROGRESS: _("in progress"),
        DemandStatus.PARTLY_MET: _("partly met"),
        DemandStatus.MET: _("met"),
        DemandStatus.REFUSED: _("refused"),
    }


def demand_status_label(status: DemandStatus) -> str:
    return _demand_status_words()[status]


@translated_once
def _step_status_words() -> dict[StepStatus, str]:
    return {
        StepStatus.OPEN: _("open"),
        StepStatus.DONE: _("done"),
        StepStatus.MISSED: _("missed"),
        StepStatus.DROPPED: _("dropped"),
    }


def step_status_label(status: StepStatus) -> str:
    return _step_status_words()[status]


@translated_once
def _step_owner_words() -> dict[StepOwner, str]:
    return {
        StepOwner.HIM: _("he does"),
        StepOwner.CONTACT_GROUP: _("the contact group"),
        StepOwner.AROUND_HIM: _("someone around him"),
    }


def step_owner_label(owner: StepOwner) -> str:
    return _step_owner_words()[owner]


@translated_once
def _meeting_kind_words() -> dict[MeetingKind, str]:
    return {
        MeetingKind.WITH_HIM: _("Meeting with him"),
        MeetingKind.AROUND_HIM: _("Meeting with people around him"),
        MeetingKind.INTERNAL: _("Contact group meeting"),
    }


def meeting_kind_label(kind: MeetingKind) -> str:
    return _meeting_kind_words()[kind]


@translated_once
def _meeting_state_words() -> dict[MeetingState, str]:
    return {
        MeetingState.PLANNED: _("planned"),
        MeetingState.HELD: _("held"),
        MeetingState.MISSED: _("missed: he did not come"),
        MeetingState.CANCELLED: _("cancelled"),
    }


def meeting_state_label(state: MeetingState) -> str:
    return _meeting_state_words()[state]


@translated_once
def _direction_words() -> dict[Direction, str]:
    return {
        Direction.WE_WROTE: _("we wrote"),
        Direction.HE_WROTE: _("he wrote"),
        Direction.SOMEONE_ELSE: _("someone else"),
    }


def direction_label(direction: Direction) -> str:
    return _direction_words()[direction]


@translated_once
def _channel_words() -> dict[str, str]:
    # The same words as the contact-log form's choices.
    return {
        "email": _("Email"),
        "messenger": _("Messenger"),
        "phone": _("Phone"),
        "letter": _("Letter"),
        "in_person": _("In person"),
        "other": _("Other"),
    }


def channel_label(channel: str) -> str:
    return _channel_words().get(channel, channel)


@translated_once
def _report_state_words() -> dict[ReportState, str]:
    return {
        ReportState.QUEUED: _("waiting to be made"),
        ReportState.RENDERING: _("being made"),
        ReportState.DRAFT: _("draft, not released"),
        ReportState.FAILED: _("could not be made"),
        ReportState.RELEASED: _("released"),
        ReportState.WITHDRAWN: _("withdrawn"),
    }


def report_state_label(state: ReportState) -> str:
    return _report_state_words()[state]


@translated_once
def step_words() -> dict[str, Any]:
    """The words of each line of a list of steps, as ``_()`` gives them to a template
    (markup, so that ``%`` escapes the values put in), its owners and states, and its
    days: a list of hundreds of open steps looks the language up once, not five times
    a line."""
    locale = get_locale()
    return {
        "by": Markup(_("by %(date)s")),  # noqa: S704 - our own catalogue's words
        "demand": Markup(_("demand %(n)d")),  # noqa: S704
        "overdue": Markup(_("overdue")),  # noqa: S704
        "owner": _step_owner_words(),
        "status": _step_status_words(),
        "day": lambda value: _day(locale, value, "medium"),
    }


LABELS = {
    "report_state_label": report_state_label,
    "demand_status_label": demand_status_label,
    "step_status_label": step_status_label,
    "step_owner_label": step_owner_label,
    "meeting_kind_label": meeting_kind_label,
    "meeting_state_label": meeting_state_label,
    "direction_label": direction_label,
    "channel_label": channel_label,
    "step_words": step_words,
}
