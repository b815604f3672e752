"""XLSForm spreadsheets (ODK, KoboToolbox) turned into an intake definition.

Read with openpyxl directly: intake needs the survey and choices sheets as
tables, not pyxform's XForm output, and mapping the columns by hand lets every
question that cannot be carried over be named instead of silently dropped.
"""

from __future__ import annotations

import re
from typing import IO, Any

from flask_babel import lazy_gettext as _l

from intake.formdef.loader import ID

MAX_ROWS = 1000
SIMPLE_TYPES = {
    "text": "text",
    "date": "date",
    "datetime": "datetime",
    "email": "email",
}
NUMBER_TYPES = ("integer", "decimal")
# Types that collect nothing a person types, or that intake has no place for.
LEFT_OUT = (
    "note",
    "calculate",
    "hidden",
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "audit",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "time",
    "acknowledge",
    "rank",
    "background-audio",
    "start-geopoint",
)
LANGUAGE_NAMES = {
    "en": ("english", "en", "english (en)"),
    "de": ("german", "deutsch", "de", "german (de)", "deutsch (de)"),
}
UNCARRIED_COLUMNS = (
    "constraint",
    "calculation",
    "choice_filter",
    "default",
    "repeat_count",
    "trigger",
)
EQUALS = re.compile(r"^\$\{([A-Za-z_][\w.-]*)\}\s*=\s*'([^']*)'$")
SELECTED = re.compile(r"^selected\(\s*\$\{([A-Za-z_][\w.-]*)\}\s*,\s*'([^']*)'\s*\)$")


class NotAnXLSForm(ValueError):
    """The spreadsheet is not an XLSForm, said so the person knows what to fix."""


def _sheet(workbook: Any, name: str) -> list[dict[str, str]] | None:
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == name:
            rows = list(sheet.iter_rows(values_only=True))
            if not rows:
                return []
            head = [str(c).strip().lower() if c is not None else "" for c in rows[0]]
            table = []
            for row in rows[1 : MAX_ROWS + 1]:
                cells = {
                    h: ("" if v is None else str(v).strip())
                    for h, v in zip(head, row, strict=False)
                    if h
                }
                if any(cells.values()):
                    table.append(cells)
            return table
    return None


def _language_of(column: str, base: str) -> str | None:
    """``label::English`` → en; plain ``label`` → '*' (both)."""
    if column == base:
        return "*"
    prefix = f"{base}::"
    if not column.startswith(prefix):
        return None
    name = column[len(prefix) :].strip()
    for code, names in LANGUAGE_NAMES.items():
        if name in names:
            return code
    return None


def _texts(row: dict[str, str], base: str) -> dict[str, str]:
    found: dict[str, str] = {}
    plain = ""
    for column, value in row.items():
        language = _language_of(column, base)
        if language == "*":
            plain = value
        elif language and value:
            found[language] = value
    if not found and not plain:
        return {}
    return {"en": found.get("en", plain), "de": found.get("de", plain)}


def _id(name: str) -> str:
    made = re.sub(r"[^a-z0-9_]", "_", name.strip().lower())
    if not made or not made[0].isalpha():
        made = f"q_{made}"
    return made[:40]


def _condition(expression: str, ids: dict[str, str]) -> dict[str, Any] | None:
    """``${f} = 'v'``, ``selected(${f}, 'v')``, and those joined by ``or`` on one question."""
    target, values = None, []
    for part in re.split(r"\s+or\s+", expression.strip()):
        match = EQUALS.match(part.strip()) or SELECTED.match(part.strip())
        if match is None or (target and match.group(1) != target):
            return None
        target = match.group(1)
        values.append(match.group(2))
    if target not in ids:
        return None
    return {"field": ids[target], "in": values}


def read_xlsform(stream: IO[bytes]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The definition, and (question, what was not carried over) for everything left behind."""
    from openpyxl import load_workbook  # only this import needs it

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or mislabelled file, in any of many ways
        raise NotAnXLSForm(_l("This file cannot be read as an .xlsx spreadsheet.")) from exc
    survey = _sheet(workbook, "survey")
    if survey is None or (survey and "type" not in survey[0]):
        raise NotAnXLSForm(
            _l(
                "This spreadsheet is not an XLSForm: it needs a sheet named “survey” "
                "with the columns “type”, “name” and “label”."
            )
        )
    choices_sheet = _sheet(workbook, "choices") or []
    settings = (_sheet(workbook, "settings") or [{}])[0] if _sheet(workbook, "settings") else {}
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in choices_sheet:
        list_name = row.get("list_name") or row.get("list name") or ""
        lists.setdefault(list_name, []).append(
            {"value": row.get("name", ""), "label": _texts(row, "label")}
        )

    left: list[tuple[str, str]] = [
        (
            str(_l("every question")),
            str(
                _l(
                    "XLSForm has no “where it may go”: every question is set to "
                    "“this app only”; choose for each."
                )
            ),
        )
    ]
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] = {
        "id": "questions",
        "title": {"en": "Questions", "de": "Fragen"},
        "fields": [],
    }
    repeat: dict[str, Any] | None = None
    ids: dict[str, str] = {}
    depth = 0
    for number, row in enumerate(survey, 2):
        kind = row.get("type", "").strip()
        name = row.get("name", "")
        where = str(_l("row %(n)d “%(name)s”", n=number, name=name or kind))
        words = kind.split()
        if not words:
            left.append((where, str(_l("no type; left out"))))
            continue
        if words[0] in ("begin_group", "begin") and (
            words[0] == "begin_group" or words[1:2] == ["group"]
        ):
            depth += 1
            if depth == 1 and repeat is None:
                if current["fields"]:
                    sections.append(current)
                title = _texts(row, "label") or {"en": name, "de": name}
                current = {
                    "id": _id(name or f"section_{len(sections) + 1}"),
                    "title": title,
                    "fields": [],
                }
            else:
                left.append(
                    (
                        where,
                        str(
                            _l(
                                "a group inside a group: its questions are kept, "
                                "the inner group is not"
                            )
                        ),
                    )
                )
            continue
        if words[0] in ("end_group", "end") and (
            words[0] == "end_group" or words[1:2] == ["group"]
        ):
            depth = max(0, depth - 1)
            if depth == 0 and current["fields"]:
                # Questions after a group belong to no group: a section of their own.
                sections.append(current)
                taken = {section["id"] for section in sections}
                current = {
                    "id": "questions" if "questions" not in taken else f"questions_{len(sections)}",
                    "title": {"en": "Questions", "de": "Fragen"},
                    "fields": [],
                }
            continue
        if words[0] in ("begin_repeat", "begin") and (
            words[0] == "begin_repeat" or words[1:2] == ["repeat"]
        ):
            repeat = {
                "id": _id(name),
                "type": "repeat",
                "label": _texts(row, "label"),
                "travel": "internal",
                "fields": [],
            }
            current["fields"].append(repeat)
            ids[name] = repeat["id"]
            continue
        if words[0] in ("end_repeat", "end") and (
            words[0] == "end_repeat" or words[1:2] == ["repeat"]
        ):
            repeat = None
            continue
        made, note = _question(words, row, lists, ids)
        if made is None:
            left.append(
                (
                    where,
                    note or str(_l("type “%(type)s” has no place in intake; left out", type=kind)),
                )
            )
            continue
        if note:
            left.append((where, note))
        if made["id"] != name:
            left.append((where, str(_l("id “%(old)s” became “%(new)s”", old=name, new=made["id"]))))
        ids[name] = made["id"]
        for column in UNCARRIED_COLUMNS:
            if row.get(column):
                left.append(
                    (
                        where,
                        str(
                            _l(
                                "%(column)s “%(text)s” not carried over",
                                column=column,
                                text=row[column],
                            )
                        ),
                    )
                )
        relevant = row.get("relevant", "")
        if relevant:
            condition = _condition(relevant, ids)
            if condition is None:
                left.append(
                    (
                        where,
                        str(
                            _l(
                                "condition “%(text)s” not carried over: "
                                "the question is always asked",
                                text=relevant,
                            )
                        ),
                    )
                )
            else:
                made["show_if"] = condition
        (repeat["fields"] if repeat is not None else current["fields"]).append(made)
    if current["fields"]:
        sections.append(current)
    title = _texts(settings, "form_title") if settings else {}
    if not title and settings.get("form_title"):
        title = {"en": settings["form_title"], "de": settings["form_title"]}
    raw = {
        "id": "",
        "version": 1,
        "fill": ["link"],
        "read": ["contact"],
        "title": title or {"en": "Imported questionnaire", "de": "Importierter Fragebogen"},
        "sections": sections,
    }
    return raw, left


def _question(
    words: list[str],
    row: dict[str, str],
    lists: dict[str, list[dict[str, Any]]],
    ids: dict[str, str],
) -> tuple[dict[str, Any] | None, str | None]:
    kind = words[0]
    made: dict[str, Any] = {
        "id": _id(row.get("name", "")),
        "label": _texts(row, "label"),
        "travel": "internal",
    }
    hint = _texts(row, "hint")
    if hint:
        made["help"] = hint
    if row.get("required", "").strip().lower() in ("yes", "true", "true()", "1"):
        made["required"] = True
    note = None
    if kind in ("select_one", "select_multiple"):
        if len(words) < 2 or words[1] not in lists:
            return None, str(
                _l(
                    "its choice list “%(name)s” is not on the choices sheet; left out",
                    name=" ".join(words[1:]),
                )
            )
        made["type"] = "single_choice" if kind == "select_one" else "multiple_choice"
        made["choices"] = lists[words[1]]
        if words[2:]:
            note = str(_l("“or_other” is not carried over"))
    elif kind == "text" and "multiline" in row.get("appearance", ""):
        made["type"] = "long_text"
    elif kind in SIMPLE_TYPES:
        made["type"] = SIMPLE_TYPES[kind]
    elif kind in NUMBER_TYPES:
        made["type"] = "text"
        note = str(_l("a number in XLSForm; taken as short text"))
    elif kind == "range":
        made["type"] = "scale"
        parameters = dict(p.split("=", 1) for p in row.get("parameters", "").split() if "=" in p)
        made["min"] = (
            int(parameters.get("start", "1")) if parameters.get("start", "1").isdigit() else 1
        )
        made["max"] = int(parameters.get("end", "5")) if parameters.get("end", "5").isdigit() else 5
    elif kind in LEFT_OUT:
        return None, None
    else:
        return None, None
    if not ID.fullmatch(made["id"]):
        made["id"] = made["id"][:40]
    return made, note
