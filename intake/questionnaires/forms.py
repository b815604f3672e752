"""The builder's forms: a questionnaire's heading, a section, a question, an upload.

Whatever is typed is turned into the definition as typed, even when it is wrong:
the draft keeps it (nothing typed is lost) and the one loader says what to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length

from intake.formdef.model import FIELD_TYPES, YES_NO_UNSURE

LONG = Length(max=20_000)


def type_label(kind: str) -> str:
    return str(
        {
            "text": _l("Short text"),
            "long_text": _l("Long text"),
            "single_choice": _l("One choice"),
            "multiple_choice": _l("Several choices"),
            "yes_no_unsure": _l("Yes / no / not sure"),
            "date": _l("Date"),
            "datetime": _l("Date and time"),
            "scale": _l("Scale"),
            "email": _l("Email address"),
            "repeat": _l("Repeating group (e.g. agreed steps)"),
            "demand_review": _l("Review of each demand"),
        }[kind]
    )


def travel_choice(travel: str) -> str:
    """What each level means, in plain words, for the person choosing it."""
    return str(
        {
            "report": _l(
                "Report-back: answers are counted in report-backs for the central group; "
                "written words appear there only if the person agreed to be quoted."
            ),
            "internal": _l(
                "This app only: shown to members of this process who may read it; "
                "never in a report-back."
            ),
            "never": _l(
                "Never passed on: shown only on this record's own page; "
                "never in a PDF, an email, a report-back or a log."
            ),
        }[travel]
    )


class LockedForm(FlaskForm):
    lock_version = HiddenField()


class HeadingForm(LockedForm):
    title_en = StringField(_l("Title in English"), validators=[LONG])
    title_de = StringField(_l("Title in German"), validators=[LONG])
    description_en = TextAreaField(_l("Introduction in English"), validators=[LONG])
    description_de = TextAreaField(_l("Introduction in German"), validators=[LONG])
    fill = RadioField(
        _l("Who fills it in"),
        choices=[
            SelectChoice("link", _l("People around him, by a private link (no account)")),
            SelectChoice("contact", _l("Members of the contact group")),
        ],
        validators=[InputRequired(_l("Choose who fills it in."))],
    )


class SectionForm(LockedForm):
    section_id = StringField(
        _l("Section id"),
        description=_l("Lower-case letters, digits and _; used in the downloaded file."),
    )
    title_en = StringField(_l("Title in English"), validators=[LONG])
    title_de = StringField(_l("Title in German"), validators=[LONG])
    help_en = TextAreaField(_l("Help in English"), validators=[LONG])
    help_de = TextAreaField(_l("Help in German"), validators=[LONG])


class QuestionForm(LockedForm):
    field_id = StringField(
        _l("Question id"),
        description=_l(
            "Lower-case letters, digits and _, unique in the questionnaire; "
            "it names the answer in downloads."
        ),
    )
    kind = SelectField(_l("Kind of question"))
    label_en = TextAreaField(_l("Question in English"), validators=[LONG])
    label_de = TextAreaField(_l("Question in German"), validators=[LONG])
    help_en = TextAreaField(_l("Help in English (optional)"), validators=[LONG])
    help_de = TextAreaField(_l("Help in German (optional)"), validators=[LONG])
    required = BooleanField(_l("An answer is required"))
    travel = RadioField(_l("Where the answer may go"))
    share = BooleanField(
        _l("Shared with the support group when the contact group shares a record"),
        default=True,
    )
    choices = TextAreaField(
        _l("Choices (for one or several choices)"),
        description=_l(
            "One choice a line: value | English | German, such as: yes | Yes | Ja. "
            "The value names the answer in downloads."
        ),
        validators=[LONG],
    )
    scale_min = StringField(_l("Scale from"), default="1")
    scale_max = StringField(_l("Scale to"), default="5")
    scale_labels = TextAreaField(
        _l("Scale labels (optional)"),
        description=_l(
            "One a line: number | English | German, such as: 1 | Not at all | Gar nicht."
        ),
        validators=[LONG],
    )
    show_if_field = SelectField(_l("Ask only when this earlier question…"), validate_choice=False)
    show_if_values = StringField(
        _l("…has one of these answers"),
        description=_l("Values separated by commas, such as: yes, unsure."),
    )

    def __init__(self, *args: Any, earlier: Sequence[dict[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k, type_label(k)) for k in FIELD_TYPES]
        self.travel.choices = [
            SelectChoice(t, travel_choice(t)) for t in ("report", "internal", "never")
        ]
        self.show_if_field.choices = [SelectChoice("", _l("(always ask)"))] + [
            SelectChoice(str(q.get("id")), _answer_hint(q)) for q in earlier
        ]


def _answer_hint(item: dict[str, Any]) -> str:
    """The earlier question's id with the values a condition can name."""
    kind = item.get("type")
    if kind == "yes_no_unsure":
        values = list(YES_NO_UNSURE)
    elif kind == "scale":
        values = [str(n) for n in range(int(item.get("min", 1)), int(item.get("max", 5)) + 1)]
    else:
        values = [str(c.get("value")) for c in item.get("choices") or [] if isinstance(c, dict)]
    return f"{item.get('id')} ({', '.join(values)})"


class UploadForm(FlaskForm):
    file = FileField(
        _l("Questionnaire file"),
        description=_l("A questionnaire downloaded from intake (.yaml) or an XLSForm (.xlsx)."),
    )


def _texts(en: str | None, de: str | None, *, optional: bool = False) -> dict[str, str] | None:
    en, de = (en or "").strip(), (de or "").strip()
    if optional and not en and not de:
        return None
    # Both kept, even empty: the loader then names the language still to write.
    return {"en": en, "de": de}


def _lines(text: str | None) -> list[list[str]]:
    return [
        [part.strip() for part in line.split("|")]
        for line in (text or "").splitlines()
        if line.strip()
    ]


def _number(text: str | None) -> int | str:
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


def question_of(form: QuestionForm) -> dict[str, Any]:
    """The question as the definition holds it, exactly as typed."""
    kind = form.kind.data
    made: dict[str, Any] = {
        "id": (form.field_id.data or "").strip(),
        "type": kind,
        "label": _texts(form.label_en.data, form.label_de.data),
    }
    help_text = _texts(form.help_en.data, form.help_de.data, optional=True)
    if help_text:
        made["help"] = help_text
    if form.required.data:
        made["required"] = True
    made["travel"] = form.travel.data or "internal"
    if not form.share.data:
        made["share"] = False
    if kind in ("single_choice", "multiple_choice"):
        made["choices"] = [
            {
                "value": parts[0],
                "label": {
                    "en": parts[1] if len(parts) > 1 else "",
                    "de": parts[2] if len(parts) > 2 else "",
                },
            }
            for parts in _lines(form.choices.data)
        ]
    if kind == "scale":
        made["min"] = _number(form.scale_min.data)
        made["max"] = _number(form.scale_max.data)
        labels = {
            _number(parts[0]): {
                "en": parts[1] if len(parts) > 1 else "",
                "de": parts[2] if len(parts) > 2 else "",
            }
            for parts in _lines(form.scale_labels.data)
        }
        if labels:
            made["labels"] = labels
    if form.show_if_field.data:
        values = [v.strip() for v in (form.show_if_values.data or "").split(",") if v.strip()]
        made["show_if"] = {"field": form.show_if_field.data, "in": values}
    return made


def fill_question_form(form: QuestionForm, item: dict[str, Any]) -> None:
    """Put a stored question into the editor."""
    label: dict[str, Any] = item["label"] if isinstance(item.get("label"), dict) else {}
    help_text: dict[str, Any] = item["help"] if isinstance(item.get("help"), dict) else {}
    if isinstance(item.get("label"), str):
        label = {"en": item["label"], "de": item["label"]}
    form.field_id.data = item.get("id", "")
    form.kind.data = item.get("type", "text")
    form.label_en.data, form.label_de.data = label.get("en", ""), label.get("de", "")
    form.help_en.data, form.help_de.data = help_text.get("en", ""), help_text.get("de", "")
    form.required.data = bool(item.get("required"))
    form.travel.data = item.get("travel", "internal")
    form.share.data = item.get("share", True) is not False
    form.choices.data = "\n".join(
        f"{c.get('value', '')} | {_text(c.get('label'), 'en')} | {_text(c.get('label'), 'de')}"
        for c in item.get("choices") or []
        if isinstance(c, dict)
    )
    form.scale_min.data = str(item.get("min", 1))
    form.scale_max.data = str(item.get("max", 5))
    form.scale_labels.data = "\n".join(
        f"{k} | {_text(v, 'en')} | {_text(v, 'de')}" for k, v in (item.get("labels") or {}).items()
    )
    condition: dict[str, Any] = item["show_if"] if isinstance(item.get("show_if"), dict) else {}
    form.show_if_field.data = condition.get("field", "")
    values = condition.get("in") or ([condition["equals"]] if "equals" in condition else [])
    form.show_if_values.data = ", ".join(str(v) for v in values)


def _text(value: Any, language: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get(language, ""))
    return ""
