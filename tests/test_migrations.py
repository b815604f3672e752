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


def test_round_titles_are_sealed_by_the_upgrade_and_kept(backend, database_url, instance_dir):
    """Data written before an upgrade is still there, and readable, after it."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from intake import create_app
    from intake.invitations import title_of
    from intake.models import CheckinRound
    from tests.conftest import app_config

    app = create_app(app_config(database_url))
    with app.app_context():
        downgrade(revision="c72a6478a452")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO process (id, short_name, pseudonym, language, created_at, "
                    "require_second_factor) VALUES (7, 'old', 'X', 'en', '2025-01-01', false)"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO checkin_round (id, process_id, title, form_id, created_at) "
                    "VALUES (3, 7, 'Spring round', 'checkin', '2025-02-01')"
                )
            )
        upgrade()
        db.session.remove()
        round_ = db.session.get(CheckinRound, 3)
        assert b"Spring round" not in bytes(round_.title)
        assert title_of(round_) == "Spring round"
        db.session.remove()  # release the row's lock before changing the table
        downgrade(revision="c72a6478a452")
        with db.engine.connect() as conn:
            assert (
                conn.execute(sa.text("SELECT title FROM checkin_round")).scalar() == "Spring round"
            )
        upgrade()
        db.engine.dispose()
