"""The models and the migrations describe the same schema, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from intake.extensions import db
from intake.models.base import render_item_for_migrations


def test_migrations_match_models(app) -> None:
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "render_item": render_item_for_migrations},
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
