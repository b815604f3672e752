"""Reading a validated form: a required value is there, a refusal lands beside its field."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.validators import InputRequired

from intake.formdef.submitted import add_error, required


class NameForm(Form):
    name = StringField(validators=[InputRequired()])


def test_required_gives_the_value_a_validated_form_holds() -> None:
    form = NameForm(MultiDict({"name": "Kim"}))
    assert form.validate()
    assert required(form.name.data) == "Kim"


@pytest.mark.parametrize("value", ["", 0, False])
def test_required_keeps_a_falsy_value(value: object) -> None:
    assert required(value) == value


def test_required_refuses_none_instead_of_passing_it_on() -> None:
    form = NameForm(MultiDict())  # never validated: the field holds nothing yet
    with pytest.raises(ValueError, match="before it was given"):
        required(form.name.data)


def test_a_refusal_joins_the_validators_messages() -> None:
    form = NameForm(MultiDict({"name": "Kim"}))
    assert form.validate()
    add_error(form.name, "That name is taken.")
    assert form.name.errors == ["That name is taken."]
    add_error(form.name, "And too short.")
    assert form.name.errors == ["That name is taken.", "And too short."]
    assert form.errors == {"name": ["That name is taken.", "And too short."]}


def test_a_refusal_before_validation_is_shown_too() -> None:
    form = NameForm(MultiDict({"name": "Kim"}))
    assert form.name.errors == ()  # WTForms' empty tuple, until validate() runs
    add_error(form.name, "That name is taken.")
    assert form.name.errors == ["That name is taken."]
