"""The jobs themselves, one function per kind, run by RQ or by the local runner."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g, has_app_context

from intake.extensions import this_app

# Seconds until the same job should run again (a retry, or a render waiting for a
# slot), or None when it is finished, whatever its outcome.
Outcome = float | None


def _mail(subject_id: int) -> Outcome:
    from intake.checkins import link_mail

    return link_mail.attempt(subject_id)


def _render(subject_id: int) -> Outcome:
    from intake.report import worker

    return worker.run(this_app(), subject_id)


KINDS: dict[str, Callable[[int], Outcome]] = {"mail": _mail, "render": _render}

_app: Flask | None = None


def _application() -> Flask:
    """The app of the worker: the one whose context `intake worker` runs in, else a new one."""
    global _app
    if has_app_context():
        return this_app()
    if _app is None:
        from intake import create_app

        _app = create_app()
    return _app


def run_job(kind: str, subject_id: int) -> None:
    """The RQ entry point: run one job and put its next try back on the queue."""
    from intake.extensions import db
    from intake.jobs import queue

    app = _application()
    with app.app_context():
        # RQ runs each job in a process forked from the worker: pooled connections
        # inherited from the parent must not be shared with it.
        db.engine.dispose(close=False)
        g.job = kind  # flask-babel's force_locale does nothing while ``g`` is empty
        try:
            again = KINDS[kind](subject_id)
        finally:
            db.session.remove()
        if again is not None:
            queue.put(kind, subject_id, again)
