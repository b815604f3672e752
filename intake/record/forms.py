"""Hand-written forms of the process record: amendments, steps, meetings, filters."""

from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from intake.formdef.dates import DayField, TimeOfDayField, within_reason
from intake.formdef.email_address import one_address
from intake.formdef.model import localised
from intake.formdef.wtf import CheckboxesField
from intake.labels import (
    demand_status_label,
    meeting_kind_label,
    step_owner_label,
    step_status_label,
)
from intake.models import DemandStatus, MeetingKind, MeetingState, StepOwner, StepStatus

NEEDED = _l("This question needs an answer.")


class AmendmentForm(FlaskForm):
    text = TextAreaField(
        _l("New wording of the demand"),
        validators=[InputRequired(NEEDED), Length(max=5000)],
        description=_l("The whole demand as it would read after the change."),
    )
    reason = TextAreaField(
        _l("Why change it"), validators=[InputRequired(NEEDED), Length(max=5000)]
    )


class StatusForm(FlaskForm):
    status = RadioField(_l("Status now"), validators=[InputRequired(NEEDED)])
    on = DayField(
        _l("Day it changed"),
        validators=[InputRequired(NEEDED), within_reason],
        description=_l("The day it happened, such as the day of his e-mail, not today's."),
    )
    evidence = SelectField(_l("The record that shows it"), validators=[Optional()], coerce=str)
    reason = TextAreaField(
        _l("Or, in words, why"),
        validators=[Length(max=2000)],
        description=_l("For the contact group's record. Either a record or a reason is needed."),
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(s.value, demand_status_label(s)) for s in DemandStatus]
        self.evidence.choices = [SelectChoice("", _l("none"))] + [
            SelectChoice(str(rid), f"{form_title} · {format_date(day, 'medium')}")
            for rid, form_title, day in records
        ]


class StepForm(FlaskForm):
    what = StringField(_l("What"), validators=[InputRequired(NEEDED), Length(max=500)])
    owner = RadioField(_l("Who does it"), validators=[InputRequired(NEEDED)])
    agreed_on = DayField(_l("Agreed on"), validators=[InputRequired(NEEDED), within_reason])
    deadline = DayField(_l("By when"), validators=[InputRequired(NEEDED), within_reason])
    demand_id = SelectField(_l("Serves demand"), validators=[Optional()], coerce=str)

    def __init__(self, *args, demands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = [SelectChoice(o.value, step_owner_label(o)) for o in StepOwner]
        self.demand_id.choices = [SelectChoice("", _l("none"))] + [
            SelectChoice(str(d.id), f"#{d.number}") for d in demands
        ]


class StepChangeForm(FlaskForm):
    status = RadioField(_l("State"), validators=[InputRequired(NEEDED)])
    on = DayField(
        _l("Day it happened"),
        validators=[Optional(), within_reason],
        description=_l("When the step was done, missed or dropped; empty means today."),
    )
    deadline = DayField(_l("By when"), validators=[InputRequired(NEEDED), within_reason])
    reason = TextAreaField(
        _l("Note"),
        validators=[Length(max=2000)],
        description=_l("Needed when a step is dropped: say why."),
    )
    lock_version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice(s.value, step_status_label(s)) for s in StepStatus]


class MeetingForm(FlaskForm):
    kind = RadioField(_l("Kind of meeting"), validators=[InputRequired(NEEDED)])
    day = DayField(_l("Date"), validators=[InputRequired(NEEDED), within_reason])
    time = TimeOfDayField(_l("Time"), validators=[Optional()], description=_l("Optional."))
    place = StringField(
        _l("Place or link"),
        validators=[Length(max=500)],
        description=_l("It goes into the calendar file; leave it out if that is unsafe."),
    )
    expected = StringField(_l("Who is expected"), validators=[Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k.value, meeting_kind_label(k)) for k in MeetingKind]


class OutcomeForm(FlaskForm):
    state = HiddenField(validators=[InputRequired()])
    lock_version = HiddenField(validators=[InputRequired()])

    def outcome(self) -> MeetingState | None:
        try:
            return MeetingState(self.state.data or "")
        except ValueError:
            return None


class CadenceForm(FlaskForm):
    every_days = IntegerField(
        _l("Meet him every … days"),
        validators=[Optional(), NumberRange(min=7, max=730, message=_l("Use 7 to 730 days."))],
        description=_l("For example 91 for every three months. Leave empty for no rhythm."),
    )


class SilenceAlarmForm(FlaskForm):
    days = IntegerField(
        _l("Mark a silence in red after … days"),
        validators=[
            InputRequired(_l("Give a number of days.")),
            NumberRange(min=7, max=730, message=_l("Use 7 to 730 days.")),
        ],
        description=_l("On the figures and in the chronology. Most groups use 60."),
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet file"),
        validators=[FileAllowed(["csv", "xlsx"], _l("Choose a .csv or .xlsx file."))],
        description=_l("CSV (comma or semicolon) or XLSX; the first row names the columns."),
    )
    rows = HiddenField()  # the rows as checked, carried to the confirming step


class TypedInForm(FlaskForm):
    day = DayField(
        _l("Day of the conversation or letter"),
        validators=[InputRequired(NEEDED), within_reason],
        description=_l("The answer is dated by this day in the chronology and the figures."),
    )


class ChronologyFilter(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    kind = CheckboxesField(_l("Show"), validators=[Optional()])
    since = DayField(_l("From"), validators=[Optional()])
    until = DayField(_l("Until"), validators=[Optional()])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("Search this process"), validators=[InputRequired(NEEDED), Length(min=2, max=200)]
    )


class RoundForm(FlaskForm):
    title = StringField(
        _l("Name of this round"),
        validators=[InputRequired(NEEDED), Length(max=120)],
        description=_l("For the contact group only, e.g. “Spring check-in with his friends”."),
    )
    form_id = RadioField(_l("Questionnaire"), validators=[InputRequired(NEEDED)])
    intro = TextAreaField(
        _l("Intro text shown to everyone in this round"),
        validators=[Length(max=3000)],
        description=_l("Say who you are and why you ask. Nothing about the survivor."),
    )
    people = TextAreaField(
        _l("People, one per line"),
        validators=[InputRequired(NEEDED), Length(max=20000)],
        description=_l("A label, optionally “;” and an email address: “partner; a@example.org”."),
    )
    days = IntegerField(
        _l("Links work for … days"),
        default=28,
        validators=[
            InputRequired(NEEDED),
            NumberRange(min=1, max=180, message=_l("Use 1 to 180 days.")),
        ],
    )
    send_email = RadioField(
        _l("Email the links?"),
        default="no",
        validators=[InputRequired(NEEDED)],
    )

    def __init__(self, *args, forms=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = str(get_locale() or "en")
        self.form_id.choices = [SelectChoice(f.id, localised(f.title, locale)) for f in forms]
        if len(forms) == 1 and not self.form_id.data:
            self.form_id.data = forms[0].id
        self.send_email.choices = [
            SelectChoice("no", _l("No, I copy the links myself")),
            SelectChoice("yes", _l("Yes, to everyone with an email address")),
        ]


class HisLinkForm(FlaskForm):
    email = StringField(
        _l("His email address (optional)"),
        validators=[Optional(), Length(max=254), one_address],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description=_l("Without one, copy the link and send it yourself."),
    )
    days = IntegerField(
        _l("The link works for … days"),
        default=28,
        validators=[
            InputRequired(NEEDED),
            NumberRange(min=1, max=180, message=_l("Use 1 to 180 days.")),
        ],
    )
