"""Apps for the form-engine tests: the built-in forms plus one with every kind of question."""

import shutil
from pathlib import Path

import pytest

from intake import create_app
from intake.extensions import db
from intake.models import Role
from tests import factories
from tests.conftest import app_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", directory)
    shutil.copy(ROOT / "tests" / "formdef" / "allkinds.yaml", directory)
    return directory


@pytest.fixture
def app(database_url, instance_dir, forms_dir):
    app = create_app(app_config(database_url, FORMS_DIR=str(forms_dir)))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def group(app):
    """A process with two contact-group members, a support-group member and a central one."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lu", Role.CONTACT)
        factories.member(alpha, "sam", Role.SUPPORT)
        factories.member(alpha, "alex", Role.CENTRAL)
        return alpha.id
