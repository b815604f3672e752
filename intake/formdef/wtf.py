"""Turn a form definition into a WTForms form, and answers back and forth.

Forms are always built from form data (a ``MultiDict``): a fresh post, a saved
draft (kept exactly as typed) or stored answers turned back into form data.
One path for all three means what a person sees is what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from intake.formdef.dates import DayField, MomentField, within_reason
from intake.formdef.email_address import is_one_address
from intake.formdef.model import Field, FormDefinition, localised


@dataclass(frozen=True)
class DemandItem:
    """A demand as a review block shows it: its id, number and text."""

    id: int
    number: int
    text: str


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _entry_is_empty(form: Form) -> bool:
    return all(_empty(f.data) and not any(f.raw_data or []) for f in form)


class Answer:
    """Required-ness and conditional display, checked on the server.

    A question whose condition does not hold is skipped entirely (its errors
    cleared), and so are the questions of an empty entry of a repeating group.
    """

    def __init__(self, spec: Field, nested: bool) -> None:
        self.spec = spec
        self.nested = nested
        self.field_flags = {"required": True} if spec.required else {}

    def __call__(self, form: Form, field: Any) -> None:
        condition = self.spec.show_if
        if condition is not None and not condition.holds(form[condition.field].data):
            field.errors[:] = []
            raise StopValidation()
        if self.nested and _entry_is_empty(form):
            field.errors[:] = []
            raise StopValidation()
        raw_given = any(v.strip() for v in (field.raw_data or []) if isinstance(v, str))
        if _empty(field.data) and not raw_given:
            # An empty answer is one problem, not also "not a valid date/choice".
            field.errors[:] = []
            if self.spec.required:
                raise StopValidation(_("This question needs an answer."))
            raise StopValidation()


def _email(form: Form, field: Any) -> None:
    if field.data and not is_one_address(field.data.strip()):
        raise ValidationError(_("Enter an email address like name@example.org."))


def _count(spec: Field):
    def check(form: Form, field: FieldList) -> None:
        filled = [entry for entry in field.entries if not _entry_is_empty(entry.form)]
        if len(filled) < spec.min_entries:
            raise ValidationError(_("Add at least %(n)d.", n=spec.min_entries))
        if len(filled) > spec.max_entries:
            raise ValidationError(_("Add at most %(n)d.", n=spec.max_entries))

    return check


def _choices(spec: Field, locale: str) -> list[SelectChoice]:
    if spec.type == "yes_no_unsure":
        labels = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure")}
        return [SelectChoice(v, labels[v]) for v in spec.choice_values()]
    if spec.type == "scale":
        return [
            SelectChoice(v, f"{v} – {localised(spec.scale_labels[v], locale)}")
            if v in spec.scale_labels
            else SelectChoice(v, v)
            for v in spec.choice_values()
        ]
    return [SelectChoice(c.value, localised(c.label, locale)) for c in spec.choices]


def _simple_field(spec: Field, locale: str, nested: bool):
    label = localised(spec.label, locale)
    description = localised(spec.help, locale) if spec.help else ""
    validators: list[Any] = [Answer(spec, nested)]
    if spec.max_length:
        validators.append(
            Length(
                min=spec.min_length or -1,
                max=spec.max_length,
                message=_("Use %(min)d to %(max)d characters.")
                if spec.min_length
                else _("Use at most %(max)d characters."),
            )
        )
    kwargs: dict[str, Any] = {"label": label, "description": description, "validators": validators}
    match spec.type:
        case "text":
            return StringField(**kwargs)
        case "email":
            return EmailField(
                label=label, description=description, validators=[*validators, _email]
            )
        case "long_text":
            return TextAreaField(**kwargs, render_kw={"rows": 6})
        case "single_choice" | "yes_no_unsure" | "scale":
            return RadioField(**kwargs, choices=_choices(spec, locale))
        case "multiple_choice":
            return CheckboxesField(**kwargs, choices=_choices(spec, locale))
        case "date":
            return DayField(**_with(kwargs, within_reason), format="%Y-%m-%d")
        case "datetime":
            return MomentField(**_with(kwargs, within_reason), format="%Y-%m-%dT%H:%M")
    raise AssertionError(spec.type)


def _with(kwargs: dict[str, Any], check: Any) -> dict[str, Any]:
    return {**kwargs, "validators": [*kwargs["validators"], check]}


def _sub_form(fields: tuple[Field, ...], locale: str) -> type[Form]:
    attrs = {f.id: _simple_field(f, locale, nested=True) for f in fields}
    return type("Entry", (Form,), attrs)


def build_form_class(
    definition: FormDefinition, locale: str, demands: list[DemandItem] | None = None
) -> type[FlaskForm]:
    attrs: dict[str, Any] = {}
    for spec in definition.fields():
        label = localised(spec.label, locale)
        if spec.type == "repeat":
            attrs[spec.id] = FieldList(
                FormField(_sub_form(spec.fields, locale)),
                label=label,
                description=localised(spec.help, locale) if spec.help else "",
                min_entries=max(1, spec.min_entries),
                max_entries=spec.max_entries + 5,  # over-long posts get a message, not a crash
                validators=[_count(spec)],
            )
        elif spec.type == "demand_review":
            entry = _sub_form(spec.fields, locale)
            per_demand = {
                f"d{d.id}": FormField(
                    entry, label=_("Demand %(n)d", n=d.number), description=d.text
                )
                for d in demands or []
            }
            attrs[spec.id] = FormField(
                type("Review", (Form,), per_demand),
                label=label,
                description=localised(spec.help, locale) if spec.help else "",
            )
        else:
            attrs[spec.id] = _simple_field(spec, locale, nested=False)
    return type(f"{definition.id.title()}Form", (FlaskForm,), attrs)


# ---------------------------------------------------------------- answers


def _value_out(spec: Field, field: Any) -> Any:
    data = field.data
    if _empty(data):
        return None
    if isinstance(data, datetime):
        return data.strftime("%Y-%m-%dT%H:%M")
    if isinstance(data, date):
        return data.isoformat()
    if spec.type == "scale":
        return int(data)
    if isinstance(data, str):
        return data.strip() or None
    return data


def _collect_group(fields: tuple[Field, ...], form: Form) -> dict[str, Any]:
    found = {}
    for spec in fields:
        if spec.show_if and not spec.show_if.holds(form[spec.show_if.field].data):
            continue
        value = _value_out(spec, form[spec.id])
        if value is not None:
            found[spec.id] = value
    return found


def collect_answers(definition: FormDefinition, form: FlaskForm) -> dict[str, Any]:
    """Structured answers from a validated form; questions not asked are left out."""
    answers: dict[str, Any] = {}
    for spec in definition.fields():
        if spec.show_if and not spec.show_if.holds(form[spec.show_if.field].data):
            continue
        field = form[spec.id]
        if spec.type == "repeat":
            entries = [_collect_group(spec.fields, e.form) for e in field.entries]
            entries = [e for e in entries if e]
            if entries:
                answers[spec.id] = entries
        elif spec.type == "demand_review":
            reviews = {
                name.removeprefix("d"): _collect_group(spec.fields, sub.form)
                for name, sub in field.form._fields.items()
            }
            reviews = {k: v for k, v in reviews.items() if v}
            if reviews:
                answers[spec.id] = reviews
        else:
            value = _value_out(spec, field)
            if value is not None:
                answers[spec.id] = value
    return answers


def _pairs_for(name: str, spec: Field, value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, list):
        return [(name, str(v)) for v in value]
    return [(name, str(value))]


def answers_to_formdata(definition: FormDefinition, answers: dict[str, Any]) -> MultiDict:
    """Stored answers as the form data a browser would have sent."""
    pairs: list[tuple[str, str]] = []
    for spec in definition.fields():
        value = answers.get(spec.id)
        if spec.type == "repeat":
            for i, entry in enumerate(value or []):
                for sub in spec.fields:
                    pairs += _pairs_for(f"{spec.id}-{i}-{sub.id}", sub, entry.get(sub.id))
        elif spec.type == "demand_review":
            for demand_id, review in (value or {}).items():
                for sub in spec.fields:
                    pairs += _pairs_for(f"{spec.id}-d{demand_id}-{sub.id}", sub, review.get(sub.id))
        else:
            pairs += _pairs_for(spec.id, spec, value)
    return MultiDict(pairs)


CONTROL_KEYS = ("csrf_token", "lock_version", "_action")


def draft_pairs(formdata: MultiDict) -> list[list[str]]:
    """A draft is kept exactly as typed, invalid dates and all."""
    return [[k, v] for k, v in formdata.items(multi=True) if k not in CONTROL_KEYS]


def without_entry(formdata: MultiDict, group: str, index: int) -> MultiDict:
    prefix = f"{group}-{index}-"
    return MultiDict([(k, v) for k, v in formdata.items(multi=True) if not k.startswith(prefix)])
