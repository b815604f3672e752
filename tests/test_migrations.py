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
    from intake.checkins.private_links import title_of
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
            # A child row of the rebuilt tables: SQLite rebuilds a table by dropping
            # it, which must not cascade to the rows that point at it.
            conn.execute(
                sa.text(
                    "INSERT INTO invitation (id, process_id, round_id, kind, form_id, label, "
                    "token_hash, created_at, expires_at, anonymous) VALUES (5, 7, 3, 'checkin', "
                    "'checkin', :label, :hash, '2025-02-01', '2025-03-01', false)"
                ),
                {"label": b"sealed label", "hash": "0" * 64},
            )
        upgrade()
        db.session.remove()
        round_ = db.session.get(CheckinRound, 3)
        assert b"Spring round" not in bytes(round_.title)
        assert title_of(round_) == "Spring round"
        assert [i.id for i in round_.links] == [5]
        db.session.remove()  # release the row's lock before changing the table
        downgrade(revision="c72a6478a452")
        with db.engine.connect() as conn:
            assert (
                conn.execute(sa.text("SELECT title FROM checkin_round")).scalar() == "Spring round"
            )
            assert conn.execute(sa.text("SELECT round_id FROM invitation")).scalar() == 3
        upgrade()
        db.engine.dispose()
