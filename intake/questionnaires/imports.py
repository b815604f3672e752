"""Where a new questionnaire starts: blank, a starter, or a file a group already has.

A starter is an ordinary definition in ``forms/`` (the built-in check-ins, and the
ones marked ``template: true``). An uploaded file is either the YAML a download
gives, or an XLSForm (the spreadsheets of ODK and KoboToolbox), read here with
openpyxl and turned into the same definition. Either way the result is only a
draft, and everything not carried over is listed question by question.
"""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass, field
from typing import Any

import yaml
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from intake.formdef.model import localised
from intake.questionnaires import store
from intake.questionnaires.xlsform import NotAnXLSForm, read_xlsform

MAX_BYTES = 1024 * 1024


class ImportRefused(ValueError):
    """A file that cannot become a draft at all, in words for the person."""


@dataclass
class Imported:
    raw: dict[str, Any]
    # (where, what was not carried over), question by question.
    not_carried: list[tuple[str, str]] = field(default_factory=list)


def _starter_forms() -> dict[str, Any]:
    built_in = current_app.extensions["intake.forms"]
    templates = current_app.extensions.get("intake.templates", {})
    offered = {k: v for k, v in built_in.items() if "link" in v.fill}
    return {**offered, **templates}


def starters(locale: str) -> list[tuple[str, str]]:
    """(value, name) of every way to start, for the new-questionnaire choice."""
    return [
        ("blank:link", str(_l("Blank, answered by a private link"))),
        ("blank:contact", str(_l("Blank, filled in by members of the contact group"))),
    ] + [(f"form:{k}", localised(v.title, locale)) for k, v in _starter_forms().items()]


def starter(value: str) -> dict[str, Any] | None:
    kind, _, name = value.partition(":")
    if kind == "blank" and name in ("link", "contact"):
        return store.blank(name)
    found = _starter_forms().get(name) if kind == "form" else None
    if found is None:
        return None
    raw = copy.deepcopy(found.raw)
    raw.pop("template", None)
    # A group's questionnaire is read by its contact group, whoever fills it in.
    raw["read"] = ["contact"]
    raw.pop("once", None)
    return raw


def read_upload(upload: FileStorage | None) -> Imported:
    if upload is None or not upload.filename:
        raise ImportRefused(_l("Choose a file to upload."))
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _l("The file is larger than 1 MB; a questionnaire file is much smaller.")
        )
    name = upload.filename.lower()
    if name.endswith(".xlsx"):
        try:
            raw, not_carried = read_xlsform(io.BytesIO(data))
        except NotAnXLSForm as exc:
            raise ImportRefused(str(exc)) from exc
        return Imported(raw, not_carried)
    if name.endswith((".yaml", ".yml")):
        return Imported(_yaml(data))
    raise ImportRefused(_l("Upload a .yaml file downloaded from intake, or an XLSForm .xlsx file."))


def _yaml(data: bytes) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportRefused(_l("This file is not text in UTF-8.")) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ImportRefused(
            _l(
                "This file is not valid YAML (near line %(line)d). Fix it and upload it again.",
                line=line,
            )
        ) from exc
    if not isinstance(raw, dict):
        raise ImportRefused(
            _l("This YAML file is not a questionnaire: it has no id, title and sections.")
        )
    return raw
