"""How forms and answers are shown: notes on fields, the error summary, answers to read.

What may leave a page at all is :mod:`intake.formdef.travel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from wtforms import FieldList, Form, FormField
from wtforms.fields.choices import SelectFieldBase

from intake.formdef.model import Field, FormDefinition, localised
from intake.formdef.wtf import DemandItem


@dataclass(frozen=True)
class FieldMeta:
    """What the page tells about a question besides its label."""

    travel: str
    note: str = ""
    show_if_name: str = ""
    show_if_values: str = ""
    # Whether the question is asked with the answers as they stand: a question whose
    # condition does not hold is sent hidden, so the page is right without scripts.
    shown: bool = True
    # Other questions depend on this one: without scripts, "Continue" shows them.
    controls: bool = False


def _meta(
    spec: Field, form: Form, siblings: dict[str, Field], locale: str, prefix: str
) -> FieldMeta:
    controls = any(f.show_if is not None and f.show_if.field == spec.id for f in siblings.values())
    if spec.show_if is None:
        return FieldMeta(travel=spec.travel, controls=controls)
    target = siblings[spec.show_if.field]
    options = form[target.id]
    if not isinstance(options, SelectFieldBase):  # the loader lets a condition name only a choice
        raise TypeError(f"{target.id} offers no choices")
    labels = dict(zip(target.choice_values(), [str(c.label.text) for c in options], strict=False))
    shown = " / ".join(f"“{labels.get(v, v)}”" for v in spec.show_if.values)
    note = _(
        "Only if the answer to “%(question)s” is %(answers)s.",
        question=localised(target.label, locale),
        answers=shown,
    )
    return FieldMeta(
        travel=spec.travel,
        note=note,
        show_if_name=prefix + target.id,
        show_if_values=" ".join(spec.show_if.values),
        shown=spec.show_if.holds(form[target.id].data),
        controls=controls,
    )


def _annotate_group(fields: tuple[Field, ...], form: Form, locale: str, prefix: str) -> None:
    siblings = {f.id: f for f in fields}
    for spec in fields:
        _attach(form[spec.id], _meta(spec, form, siblings, locale, prefix))


def _attach(bound: object, meta: FieldMeta) -> None:
    # The page template reads these notes as `field.intake`; a bound field is an
    # ordinary object, which the stubs do not say.
    vars(bound)["intake"] = meta


def annotate(form: Form, definition: FormDefinition, locale: str) -> None:
    """Attach travel and condition notes to every bound field, nested ones too."""
    top = {f.id: f for f in definition.fields()}
    for spec in definition.fields():
        bound = form[spec.id]
        _attach(bound, _meta(spec, form, top, locale, ""))
        # A repeat is built as a list of sub-forms, a demand review as one sub-form.
        if isinstance(bound, FieldList):
            for entry in bound.entries:
                _annotate_group(spec.fields, entry.form, locale, f"{entry.name}-")
        elif isinstance(bound, FormField):
            for sub in bound.form:
                _annotate_group(spec.fields, sub.form, locale, f"{sub.name}-")


@dataclass
class Problem:
    anchor: str
    label: str
    message: str


def problems(form: Form) -> list[Problem]:
    """Every error in the form, nested ones included, in page order."""
    found: list[Problem] = []

    def walk(fields: Form, context: str) -> None:
        for bound in fields:
            if bound.type == "CSRFTokenField":
                continue
            label = f"{context}{bound.label.text}"
            if isinstance(bound, FieldList):
                for message in [e for e in bound.errors if isinstance(e, str)]:
                    found.append(Problem(bound.id, label, message))
                for n, entry in enumerate(bound.entries, 1):
                    walk(entry.form, f"{label} {n}: ")
            elif isinstance(bound, FormField):
                walk(bound.form, f"{label}: ")
            else:
                found.extend(Problem(bound.id, label, str(m)) for m in bound.errors)

    walk(form, "")
    return found


@dataclass
class ShownAnswer:
    label: str
    travel: str
    value: Any = None  # text, list of texts, or None
    entries: list[list[ShownAnswer]] = field(default_factory=list)
    heading: str = ""


def choice_names(spec: Field, locale: str) -> dict[str, str]:
    """The words for each stored answer value of a choice-type question."""
    names = {"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure")}
    names.update({c.value: localised(c.label, locale) for c in spec.choices})
    for value, label in spec.scale_labels.items():
        names[value] = f"{value} – {localised(label, locale)}"
    return names


def _display(spec: Field, value: Any, locale: str) -> Any:
    if value is None:
        return None
    if spec.type in ("single_choice", "multiple_choice", "yes_no_unsure"):
        names = {c.value: localised(c.label, locale) for c in spec.choices}
        names.update({"yes": _("Yes"), "no": _("No"), "unsure": _("Not sure")})
        if isinstance(value, list):
            return [names.get(v, v) for v in value]
        return names.get(value, value)
    if spec.type == "scale":
        label = spec.scale_labels.get(str(value))
        return f"{value} – {localised(label, locale)}" if label else str(value)
    return value


def readable(
    definition: FormDefinition,
    answers: dict[str, Any],
    locale: str,
    demands: list[DemandItem] | None = None,
) -> list[tuple[str, list[ShownAnswer]]]:
    """Answers by section, with labels in the reader's language."""
    demand_by_id = {str(d.id): d for d in demands or []}
    sections = []
    for section in definition.sections:
        shown = []
        for spec in section.fields:
            label = localised(spec.label, locale)
            value = answers.get(spec.id)
            if spec.type == "repeat":
                entries = [
                    [
                        ShownAnswer(
                            localised(s.label, locale),
                            s.travel,
                            _display(s, entry.get(s.id), locale),
                        )
                        for s in spec.fields
                    ]
                    for entry in value or []
                ]
                for n, entry in enumerate(entries, 1):
                    entry[0].heading = f"{label} {n}"
                shown.append(ShownAnswer(label, spec.travel, entries=entries))
            elif spec.type == "demand_review":
                entries = []
                for demand_id, review in (value or {}).items():
                    demand = demand_by_id.get(demand_id)
                    entry = [
                        ShownAnswer(
                            localised(s.label, locale),
                            s.travel,
                            _display(s, review.get(s.id), locale),
                        )
                        for s in spec.fields
                    ]
                    heading = (
                        _("Demand %(n)d", n=demand.number) + f": {demand.text}" if demand else ""
                    )
                    entries.append(entry)
                    if entry:
                        entry[0].heading = heading
                shown.append(ShownAnswer(label, spec.travel, entries=entries))
            else:
                shown.append(ShownAnswer(label, spec.travel, _display(spec, value, locale)))
        sections.append((localised(section.title, locale), shown))
    return sections
