"""The loader refuses bad definitions with messages naming file, field and problem."""

from pathlib import Path

import pytest
import yaml

from intake.formdef import DefinitionError, load_directory, parse_definition
from intake.formdef.loader import load_file

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "id": "sample",
    "version": 1,
    "title": {"en": "Sample", "de": "Beispiel"},
    "sections": [
        {
            "id": "main",
            "title": "Main",
            "fields": [
                {
                    "id": "mood",
                    "type": "single_choice",
                    "label": "Mood",
                    "choices": [{"value": "ok", "label": "OK"}, {"value": "bad", "label": "Bad"}],
                },
                {"id": "note", "type": "text", "label": "Note"},
            ],
        }
    ],
}


def _with(path: str, value) -> dict:
    """GOOD with one value replaced, addressed like 'sections.0.fields.1.type'."""
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is ...:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


def test_good_definition_parses() -> None:
    form = parse_definition(GOOD, "sample.yaml")
    assert [f.id for f in form.fields()] == ["mood", "note"]
    assert form.field("note").max_length == 200
    assert form.field("note").travel == "internal"  # the safe default


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("id", "Bad Id", "form id: id 'Bad Id' must be lower-case"),
        ("version", 0, "form version: must be a whole number"),
        ("sections", [], "needs sections"),
        ("sections.0.fields.1.type", "slider", "field 'note': type 'slider' is not one of"),
        ("sections.0.fields.1.requried", True, "field 'note': unknown key(s) ['requried']"),
        ("sections.0.fields.1.travel", "everywhere", "travel 'everywhere' is not one of"),
        ("sections.0.fields.1.id", "mood", "field 'mood': id is used twice"),
        ("sections.0.fields.0.choices", [{"value": "ok", "label": "OK"}], "at least two"),
        ("sections.0.fields.1.label", ..., "field 'note' label: needs a text"),
        ("sections.0.fields.1.label", {"fr": "Note"}, "unknown language(s) ['fr']"),
        ("sections.0.fields.1.max_length", 0, "max_length: must be a whole number"),
        ("sections.0.fields.1.choices", [], "choices are only for"),
        ("sections.0.fields.1.show_if", {"field": "later", "equals": "x"}, "must be asked earlier"),
        (
            "sections.0.fields.1.show_if",
            {"field": "mood", "equals": "great"},
            "['great'] not among the answers of 'mood'",
        ),
        ("sections.0.fields.1.show_if", {"field": "mood"}, "exactly one of equals or in"),
        ("fill", ["everyone"], "form fill: must be a list from"),
        ("sections.0.fields.1.required", "yes", "required must be true or false"),
        ("sections.0.fields.1.share", "no", "share must be true or false"),
    ],
)
def test_refusals_name_file_field_and_problem(path, value, expected) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(_with(path, value), "sample.yaml")
    message = str(caught.value)
    assert message.startswith("sample.yaml: ")
    assert expected in message


def test_group_inside_group_is_refused() -> None:
    nested = {
        "id": "inner",
        "type": "repeat",
        "label": "In",
        "fields": [GOOD["sections"][0]["fields"][1]],
    }
    data = _with(
        "sections.0.fields.1", {"id": "outer", "type": "repeat", "label": "Out", "fields": [nested]}
    )
    with pytest.raises(DefinitionError, match="a group cannot contain another group"):
        parse_definition(data, "sample.yaml")


def test_file_name_must_match_id(tmp_path) -> None:
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(GOOD))
    with pytest.raises(DefinitionError, match=r"other\.yaml: form id 'sample' must match"):
        load_file(tmp_path / "other.yaml")


def test_broken_yaml_names_the_file(tmp_path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nsections: [\n")
    with pytest.raises(DefinitionError, match=r"broken\.yaml: not valid YAML"):
        load_directory(tmp_path)


def test_app_refuses_to_start_with_a_bad_definition(tmp_path, instance_dir) -> None:
    from intake import create_app
    from tests.conftest import SECRET

    (tmp_path / "sample.yaml").write_text(yaml.safe_dump(_with("version", "one")))
    with pytest.raises(DefinitionError, match=r"sample\.yaml: form version"):
        create_app(
            {
                "SECRET_KEY": SECRET,
                "FORMS_DIR": str(tmp_path),
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )


def test_built_in_forms_load_in_english_and_german() -> None:
    forms = load_directory(ROOT / "forms")
    assert {"handover", "minutes", "contact", "checkin", "reflection"} <= set(forms)

    def texts(form):
        yield form.title
        for section in form.sections:
            yield section.title
            for field in section.fields:
                yield field.label
                yield from (c.label for c in field.choices)
                for sub in field.fields:
                    yield sub.label
                    yield from (c.label for c in sub.choices)

    for form in forms.values():
        for text in texts(form):
            assert set(text) == {"en", "de"}, (form.id, text)
            assert text["en"] != text["de"] or len(text["en"]) < 12, (form.id, text)


def test_survivor_boundaries_never_travel() -> None:
    handover = load_directory(ROOT / "forms")["handover"]
    assert handover.field("never_pass_on").travel == "never"
    assert handover.field("update_how").travel == "never"
    labels = " ".join(f.label["en"].lower() for f in handover.fields())
    assert "her name" not in labels  # no question asks for it
