"""Read form definitions and refuse bad ones with a message naming file, field and problem.

The loader is strict on purpose: a typo in a key (``requried: true``) would
otherwise be silently ignored, and a group would believe a question is
mandatory when it is not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _
from flask_babel import pgettext

from intake.formdef.model import (
    DEFAULT_MAX_LENGTH,
    FIELD_TYPES,
    ROLES,
    TRAVEL,
    Choice,
    Field,
    FormDefinition,
    Section,
    ShowIf,
)
from intake.i18n import LANGUAGES
from intake.labels import translated_once

ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
LANGUAGE_NAMES = {"en": "English", "de": "German"}  # in English: see _language_names
FORM_KEYS = {
    "id",
    "version",
    "title",
    "description",
    "fill",
    "read",
    "once",
    "dated_by",
    "sections",
    "template",  # true: a starter offered in the builder, not a form of its own
    "task_list",  # true: members fill it in section by section from a task list
}
SECTION_KEYS = {"id", "title", "help", "fields"}
FIELD_KEYS = {
    "id",
    "type",
    "label",
    "help",
    "required",
    "travel",
    "share",
    "min_length",
    "max_length",
    "choices",
    "min",
    "max",
    "labels",
    "show_if",
    "fields",
    "min_entries",
    "max_entries",
}
# Names the service's own pages post beside the answers: a question with one of
# these ids would be overwritten by, or overwrite, the page's own control.
RESERVED_IDS = frozenset(
    {
        "csrf_token",
        "lock_version",
        "anonymous",
        "action",
        "confirm",
        "next",
        "lang",
        "form_key",
        "submit",
    }
)
# Ids of a process's own questionnaires start with this; files in forms/ may not.
OWN_PREFIX = "own_"
TEXT_TYPES = ("text", "long_text", "email")
CHOICE_TYPES = ("single_choice", "multiple_choice")
MAX_TEXT_LIMIT = 100_000


class DefinitionError(ValueError):
    """A form definition that cannot be used, with where and why."""


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> DefinitionError:
        return DefinitionError(f"{self.source}: {where}: {problem}")

    def text(self, value: Any, where: str, *, required: bool = True) -> dict[str, str]:
        if value is None and not required:
            return {}
        if isinstance(value, str) and value.strip():
            return dict.fromkeys(LANGUAGES, value)
        if isinstance(value, dict) and value:
            unknown = set(value) - set(LANGUAGES)
            if unknown:
                raise self.fail(
                    where,
                    _("unknown language(s) %(found)s; use en and de", found=sorted(unknown)),
                )
            empty = [k for k, v in value.items() if not (isinstance(v, str) and v.strip())]
            if empty:
                names = ", ".join(_language_names()[k] for k in sorted(empty))
                raise self.fail(
                    where,
                    _("every language needs a non-empty text; write the %(names)s", names=names),
                )
            return dict(value)
        raise self.fail(where, _("needs a text, or a mapping like {en: ..., de: ...}"))

    def keys(self, data: Any, allowed: set[str], where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, _("must be a mapping of keys to values"))
        unknown = set(data) - allowed
        if unknown:
            raise self.fail(
                where,
                _(
                    "unknown key(s) %(found)s; allowed: %(allowed)s",
                    found=sorted(unknown),
                    allowed=sorted(allowed),
                ),
            )
        return data

    def identifier(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not ID.fullmatch(value):
            raise self.fail(
                where,
                _("id %(id)s must be lower-case letters, digits, underscores", id=repr(value)),
            )
        return value

    def integer(self, value: Any, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(
                where, _("must be a whole number from %(low)s to %(high)s", low=low, high=high)
            )
        return value

    def roles(self, value: Any, where: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
        allowed = (*ROLES, *extra)
        if not isinstance(value, list) or not value or not set(value) <= set(allowed):
            raise self.fail(where, _("must be a list from %(allowed)s", allowed=list(allowed)))
        return tuple(value)


def _language_names() -> dict[str, str]:
    return {"en": _("English"), "de": _("German")}


def section_place(section: int | str) -> str:
    """A section named in a message: by its id once it has one, else by its position."""
    if isinstance(section, int):
        return _("section %(n)s", n=section)
    return _("section '%(id)s'", id=section)


def field_place(parent: str, field: int | str, *, nested: bool = False) -> str:
    """A question named in a message, after its section (or its group, for a sub-field)."""
    if isinstance(field, int):
        if nested:
            return _("%(place)s sub-field %(n)s", place=parent, n=field)
        return _("%(place)s field %(n)s", place=parent, n=field)
    if nested:
        return _("%(place)s sub-field '%(id)s'", place=parent, id=field)
    return _("%(place)s field '%(id)s'", place=parent, id=field)


def _part(where: str, key: str) -> str:
    # The key is the YAML's own word, the same in every language; a translation may
    # add what it means in words.
    return _("%(place)s %(key)s", place=where, key=_key_word(key))


@translated_once
def _key_words() -> dict[str, str]:
    # In context: "read" or "once" as YAML keys, not as words elsewhere on a page. Looked
    # up once per language: every part of every form is named so while it is read.
    return {
        "show_if": pgettext("form key", "show_if"),
        "label": pgettext("form key", "label"),
        "help": pgettext("form key", "help"),
        "title": pgettext("form key", "title"),
        "description": pgettext("form key", "description"),
        "max_length": pgettext("form key", "max_length"),
        "min_length": pgettext("form key", "min_length"),
        "min": pgettext("form key", "min"),
        "max": pgettext("form key", "max"),
        "min_entries": pgettext("form key", "min_entries"),
        "max_entries": pgettext("form key", "max_entries"),
        "id": pgettext("form key", "id"),
        "version": pgettext("form key", "version"),
        "fill": pgettext("form key", "fill"),
        "read": pgettext("form key", "read"),
        "once": pgettext("form key", "once"),
        "template": pgettext("form key", "template"),
        "task_list": pgettext("form key", "task_list"),
    }


def _key_word(key: str) -> str:
    return _key_words().get(key, key)


def _choice_place(where: str, n: int) -> str:
    return _("%(place)s choice %(n)s", place=where, n=n)


def _label_place(where: str, point: Any) -> str:
    return _("%(place)s label %(point)s", place=where, point=point)


def _form_place(key: str | None = None) -> str:
    form = pgettext("place in a form definition", "form")
    return form if key is None else _part(form, key)


def _field(
    r: _Reader, data: Any, parent: str, n: int, seen: dict[str, Field], *, nested: bool
) -> Field:
    where = field_place(parent, n, nested=nested)
    if not isinstance(data, dict):
        raise r.fail(where, _("must be a mapping of keys to values"))
    field_id = r.identifier(data.get("id"), where)
    # From here on, messages name the field by its id rather than its position.
    where = field_place(parent, field_id, nested=nested)
    data = r.keys(data, FIELD_KEYS, where)
    if field_id in seen:
        raise r.fail(where, _("id is used twice in this form"))
    if field_id in RESERVED_IDS:
        raise r.fail(
            where,
            _("id %(id)s is a name the service uses itself; choose another", id=repr(field_id)),
        )
    kind = data.get("type")
    if kind not in FIELD_TYPES:
        raise r.fail(
            where,
            _(
                "type %(type)s is not one of %(allowed)s",
                type=repr(kind),
                allowed=list(FIELD_TYPES),
            ),
        )
    if nested and kind in ("repeat", "demand_review"):
        raise r.fail(where, _("a group cannot contain another group"))
    travel = data.get("travel", "internal")
    if travel not in TRAVEL:
        raise r.fail(
            where,
            _(
                "travel %(travel)s is not one of %(allowed)s",
                travel=repr(travel),
                allowed=list(TRAVEL),
            ),
        )
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise r.fail(where, _("required must be true or false"))
    share = data.get("share", True)
    if not isinstance(share, bool):
        raise r.fail(where, _("share must be true or false"))

    options: dict[str, Any] = {}
    if kind in TEXT_TYPES:
        options["max_length"] = r.integer(
            data.get("max_length", DEFAULT_MAX_LENGTH[kind]),
            _part(where, "max_length"),
            1,
            MAX_TEXT_LIMIT,
        )
        if "min_length" in data:
            options["min_length"] = r.integer(
                data["min_length"], _part(where, "min_length"), 0, options["max_length"]
            )
    elif "max_length" in data or "min_length" in data:
        raise r.fail(where, _("min_length and max_length are for text, long_text and email"))

    if kind in CHOICE_TYPES:
        choices = data.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            raise r.fail(where, _("needs choices: a list of at least two {value, label}"))
        parsed = []
        for i, choice in enumerate(choices, 1):
            place = _choice_place(where, i)
            choice = r.keys(choice, {"value", "label"}, place)
            value = choice.get("value")
            if not isinstance(value, str) or not value:
                raise r.fail(place, _("value must be a non-empty text"))
            parsed.append(Choice(value, r.text(choice.get("label"), place)))
        if len({c.value for c in parsed}) != len(parsed):
            raise r.fail(where, _("two choices have the same value"))
        options["choices"] = tuple(parsed)
    elif "choices" in data:
        raise r.fail(where, _("choices are only for %(allowed)s", allowed=list(CHOICE_TYPES)))

    if kind == "scale":
        low = r.integer(data.get("min", 1), _part(where, "min"), 0, 10)
        high = r.integer(data.get("max", 5), _part(where, "max"), low + 1, 10)
        labels = data.get("labels", {})
        if not isinstance(labels, dict):
            raise r.fail(where, _("labels must map scale points to texts"))
        options.update(
            scale_min=low,
            scale_max=high,
            # Keys arrive as numbers from YAML and as strings from stored JSON.
            scale_labels={
                str(
                    r.integer(int(k) if str(k).isdigit() else k, _label_place(where, k), low, high)
                ): r.text(v, _label_place(where, k))
                for k, v in labels.items()
            },
        )
    elif {"min", "max", "labels"} & set(data):
        raise r.fail(where, _("min, max and labels are only for scale"))

    if kind in ("repeat", "demand_review"):
        sub = data.get("fields")
        if not isinstance(sub, list) or not sub:
            raise r.fail(where, _("a group needs fields: a list of questions"))
        inner: dict[str, Field] = {}
        for i, item in enumerate(sub, 1):
            made = _field(r, item, where, i, inner, nested=True)
            inner[made.id] = made
        options["fields"] = tuple(inner.values())
        if kind == "repeat":
            options["min_entries"] = r.integer(
                data.get("min_entries", 0), _part(where, "min_entries"), 0, 50
            )
            options["max_entries"] = r.integer(
                data.get("max_entries", 30),
                _part(where, "max_entries"),
                max(1, options["min_entries"]),
                200,
            )
    elif "fields" in data:
        raise r.fail(where, _("only repeat and demand_review fields contain fields"))

    if "show_if" in data:
        options["show_if"] = _show_if(r, data["show_if"], where, seen)

    return Field(
        id=field_id,
        type=kind,
        label=r.text(data.get("label"), _part(where, "label")),
        help=r.text(data.get("help"), _part(where, "help"), required=False),
        required=required,
        travel=travel,
        share=share,
        **options,
    )


def _show_if(r: _Reader, data: Any, where: str, seen: dict[str, Field]) -> ShowIf:
    place = _part(where, "show_if")
    data = r.keys(data, {"field", "equals", "in"}, place)
    target = seen.get(data.get("field"))
    if target is None:
        raise r.fail(place, _("field %(id)s must be asked earlier", id=repr(data.get("field"))))
    if target.is_group or target.type not in (*CHOICE_TYPES, "yes_no_unsure", "scale"):
        raise r.fail(place, _("can only depend on a choice, yes/no/unsure or scale"))
    if ("equals" in data) == ("in" in data):
        raise r.fail(place, _("give exactly one of equals or in"))
    values = [data["equals"]] if "equals" in data else data["in"]
    if not isinstance(values, list) or not values:
        raise r.fail(place, _("in must be a non-empty list"))
    values = [str(v) for v in values]
    wrong = [v for v in values if v not in target.choice_values()]
    if wrong:
        raise r.fail(
            place,
            _("%(values)s not among the answers of %(id)s", values=wrong, id=repr(target.id)),
        )
    return ShowIf(target.id, tuple(values))


def _flag(r: _Reader, value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise r.fail(where, _("must be true or false"))
    return value


def _task_list(r: _Reader, data: dict[str, Any]) -> bool:
    wanted = _flag(r, data.get("task_list", False), _form_place("task_list"))
    if wanted and "link" in data.get("fill", []):
        # A person with a link has no account to come back with, so no sections to resume.
        raise r.fail(
            _form_place("task_list"), _("only for forms filled in by members, not through a link")
        )
    return wanted


def parse_definition(data: Any, source: str) -> FormDefinition:
    r = _Reader(source)
    data = r.keys(data, FORM_KEYS, _form_place())
    form_id = r.identifier(data.get("id"), _form_place("id"))
    version = r.integer(data.get("version"), _form_place("version"), 1, 10_000)
    sections_data = data.get("sections")
    if not isinstance(sections_data, list) or not sections_data:
        raise r.fail(_form_place(), _("needs sections: a list with at least one section"))
    seen: dict[str, Field] = {}
    sections = []
    section_ids: set[str] = set()
    for i, section in enumerate(sections_data, 1):
        section = r.keys(section, SECTION_KEYS, section_place(i))
        section_id = r.identifier(section.get("id"), section_place(i))
        named = section_place(section_id)
        if section_id in section_ids:
            raise r.fail(named, _("id is used twice"))
        section_ids.add(section_id)
        fields_data = section.get("fields")
        if not isinstance(fields_data, list) or not fields_data:
            raise r.fail(named, _("needs fields: a list of questions"))
        fields = []
        for j, item in enumerate(fields_data, 1):
            made = _field(r, item, named, j, seen, nested=False)
            seen[made.id] = made
            fields.append(made)
        sections.append(
            Section(
                id=section_id,
                title=r.text(section.get("title"), _part(named, "title")),
                help=r.text(section.get("help"), _part(named, "help"), required=False),
                fields=tuple(fields),
            )
        )
    dated_by = data.get("dated_by")
    if dated_by is not None:
        top = {f.id: f for s in sections for f in s.fields}
        if dated_by not in top or top[dated_by].type != "date":
            raise r.fail(
                _form_place(),
                _("dated_by must name a date question, not %(found)s", found=repr(dated_by)),
            )
    return FormDefinition(
        id=form_id,
        version=version,
        title=r.text(data.get("title"), _form_place("title")),
        description=r.text(data.get("description"), _form_place("description"), required=False),
        fill=r.roles(data.get("fill", ["contact"]), _form_place("fill"), extra=("link",)),
        read=r.roles(data.get("read", ["contact"]), _form_place("read")),
        once=_flag(r, data.get("once", False), _form_place("once")),
        template=_flag(r, data.get("template", False), _form_place("template")),
        task_list=_task_list(r, data),
        sections=tuple(sections),
        source=source,
        raw=data,
        dated_by=dated_by,
    )


# LibYAML's parser, where PyYAML has it, reads the forms at start-up ten times faster
# than PyYAML's own; a file it refuses is read again by PyYAML's, for the same message.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path) -> FormDefinition:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    definition = parse_definition(data, path.name)
    if definition.id.startswith(OWN_PREFIX):
        raise DefinitionError(f"{path.name}: ids starting with {OWN_PREFIX!r} are for processes")
    if definition.id != path.stem:
        raise DefinitionError(f"{path.name}: form id {definition.id!r} must match the file name")
    return definition


def load_directory(directory: Path) -> dict[str, FormDefinition]:
    """Every definition in a folder, by id; the first bad one stops start-up."""
    found: dict[str, FormDefinition] = {}
    for path in sorted(directory.glob("*.yaml")):
        definition = load_file(path)
        found[definition.id] = definition
    return found


def all_problems(data: Any, source: str) -> list[str]:
    """Every problem of a definition, not only the first: for a builder or an upload,
    where a group fixes them all in one go. Empty when the definition can be used."""
    try:
        parse_definition(data, source)
    except DefinitionError as first:
        problems = [str(first)]
    else:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return problems
    r = _Reader(source)
    found: list[str] = []

    def attempt(check: Any) -> Any:
        try:
            return check()
        except DefinitionError as exc:
            found.append(str(exc))
            return None

    attempt(lambda: r.keys(data, FORM_KEYS, _form_place()))
    attempt(lambda: r.identifier(data.get("id"), _form_place("id")))
    attempt(lambda: r.integer(data.get("version"), _form_place("version"), 1, 10_000))
    attempt(lambda: r.text(data.get("title"), _form_place("title")))
    attempt(lambda: r.text(data.get("description"), _form_place("description"), required=False))
    attempt(lambda: r.roles(data.get("fill", ["contact"]), _form_place("fill"), extra=("link",)))
    seen: dict[str, Field] = {}
    broken: set[str] = set()
    section_ids: set[str] = set()
    if not data["sections"]:
        found.append(
            str(r.fail(_form_place(), _("needs sections: a list with at least one section")))
        )
    for i, section in enumerate(data["sections"], 1):
        if not isinstance(section, dict):
            found.append(str(r.fail(section_place(i), _("must be a mapping of keys to values"))))
            continue
        where = section_place(i)
        attempt(lambda s=section, w=where: r.keys(s, SECTION_KEYS, w))
        section_id = attempt(lambda s=section, w=where: r.identifier(s.get("id"), w))
        name = section_place(section_id) if section_id else where
        if section_id in section_ids:
            found.append(str(r.fail(name, _("id is used twice"))))
        section_ids.add(section_id or "")
        title_place = _part(name, "title")
        attempt(lambda s=section, w=title_place: r.text(s.get("title"), w))
        fields_data = section.get("fields")
        if not isinstance(fields_data, list) or not fields_data:
            found.append(str(r.fail(name, _("needs fields: a list of questions"))))
            continue
        for j, item in enumerate(fields_data, 1):
            try:
                made = _field(r, item, name, j, seen, nested=False)
            except DefinitionError as exc:
                field_id = item.get("id") if isinstance(item, dict) else None
                condition = item.get("show_if") if isinstance(item, dict) else None
                target = condition.get("field") if isinstance(condition, dict) else None
                # A condition on a question that is itself wrong is not a second problem.
                if not (_key_word("show_if") in str(exc) and target in broken):
                    found.append(str(exc))
                if isinstance(field_id, str):
                    broken.add(field_id)
            else:
                seen[made.id] = made
    # Keep the order a reader meets them in; the first problem is among them.
    return list(dict.fromkeys(found)) or problems
