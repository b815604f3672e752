"""The forms of report-back pages: asking for one, and withdrawing a released one."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length, Optional

from intake.clock import today
from intake.formdef.dates import DayField, within_reason
from intake.models import Process
from intake.report import service


class RequestForm(FlaskForm):
    since = DayField(_l("From"), validators=[Optional(), within_reason])
    until = DayField(
        _l("Until"),
        validators=[InputRequired(_l("This question needs an answer.")), within_reason],
    )
    whole = BooleanField(_l("The whole process, from its first day"))
    closing = BooleanField(
        _l("This report-back closes the process"),
        description=_l("It covers the whole process, and its cover says that it closes it."),
    )
    assessment = SelectField(_l("The contact group's assessment"), validators=[Optional()])
    appendix = BooleanField(
        _l("Add every entry of the chronology as an appendix"),
        description=_l(
            "The chronology counts the contact log month by month and lists the rest on "
            "its day. The appendix lists every entry again, one by one: for a whole "
            "process that can be hundreds of pages."
        ),
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why withdraw it"),
        validators=[InputRequired(_l("Say why the report-back is withdrawn.")), Length(max=2000)],
    )


def request_form(process: Process, *, fresh: bool) -> RequestForm:
    """The request form with this process's assessments to choose from; a fresh one
    proposes the last quarter up to today."""
    form = RequestForm()
    # Assessments are submitted records: each has the moment it was sent.
    form.assessment.choices = [SelectChoice("", _("none"))] + [
        SelectChoice(str(s.id), _("written %(date)s", date=(s.submitted_at or s.created_at).date()))
        for s in service.assessments_of(process)
    ]
    if fresh:
        form.until.data = today()
        form.since.data = today() - timedelta(days=91)
    return form
