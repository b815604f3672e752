"""Two first saves of a form at the same moment share one stored snapshot, neither fails."""

import dataclasses
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from sqlalchemy import event

from intake.extensions import db
from intake.models import FormSnapshot
from intake.submissions import service


def test_two_first_saves_at_once_store_one_snapshot(app):
    with app.app_context():
        built_in = service.definition("contact")
        # A definition no save has stored yet, so both saves find no snapshot.
        form = dataclasses.replace(built_in, raw={**built_in.raw, "note": uuid.uuid4().hex})
        engine = db.engine
    first_inserted = threading.Event()
    second_inserting = threading.Event()
    second = threading.local()

    @event.listens_for(engine, "before_cursor_execute")
    def _watch(_conn, _cursor, statement, *_args) -> None:
        if getattr(second, "is_it", False) and statement.startswith("INSERT INTO form_snapshot"):
            second_inserting.set()

    def first_save() -> int:
        with app.app_context():
            snapshot = service.snapshot_for(form)
            first_inserted.set()
            # Commit only once the other save has looked, found nothing and is inserting
            # (it then waits on the unique index or the database lock).
            assert second_inserting.wait(10)
            threading.Event().wait(0.3)
            db.session.commit()
            return snapshot.id

    def second_save() -> int:
        assert first_inserted.wait(10)
        second.is_it = True
        with app.app_context():
            snapshot = service.snapshot_for(form)
            db.session.commit()
            return snapshot.id

    try:
        with ThreadPoolExecutor(2) as pool:
            ids = [
                f.result(timeout=30) for f in [pool.submit(first_save), pool.submit(second_save)]
            ]
    finally:
        event.remove(engine, "before_cursor_execute", _watch)
    assert ids[0] == ids[1]
    with app.app_context():
        stored = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(FormSnapshot)
            .where(FormSnapshot.form_id == form.id, FormSnapshot.version == form.version)
            .where(FormSnapshot.definition.contains(form.raw["note"]))
        )
    assert stored == 1
