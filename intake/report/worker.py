"""Rendering off the request path: at most N at once, each in a child with a time and memory limit.

A job (RQ's, or the local runner's) takes one of ``REPORT_RENDERS_AT_ONCE``
slots with one conditional UPDATE, forks a child that renders and stores the
PDF, waits for it and ends it if it runs over time, marking the report-back as
failed. If the job and its child both die, nobody is left to say so: a
report-back still "being made" after its time limit is marked failed by the
next page that shows it (``settle``), and can be started again.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g

from intake.extensions import db, rows_changed
from intake.models import ReportBack, ReportState, utcnow
from intake.report.service import render

DEFAULT_MEMORY = 1536 * 1024 * 1024
# A render is given this much beyond its limit for its job to notice and say so.
GRACE = timedelta(seconds=30)
# A report-back nobody started within this time has lost its job.
QUEUE_LIMIT = timedelta(minutes=30)
# Seconds before a job that found every slot taken looks again.
SLOT_WAIT = 3.0


def _child(instance_path: str, config: dict[str, Any], report_id: int, memory: int) -> None:
    from intake import create_app

    os.environ["INTAKE_INSTANCE_PATH"] = instance_path
    app = create_app(config)
    # This process renders one report and exits: the collector need not walk every
    # object made before the render. A render is about 15 % faster for it
    # (bench/report_bench.py), for a few MiB more at the peak.
    gc.freeze()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    with app.app_context():
        g.job = "render"  # flask-babel's force_locale does nothing while ``g`` is empty
        report = db.session.get_one(ReportBack, report_id)
        try:
            render(report)
        except Exception:  # any failure must end as a visible state, never a hang
            db.session.rollback()
            report = db.session.get_one(ReportBack, report_id)
            report.state = ReportState.FAILED
            report.failure = "failed"
            db.session.commit()
            raise


def _mark_failed(report_id: int, why: str) -> None:
    report = db.session.get(ReportBack, report_id)
    if report is not None and report.state in (ReportState.QUEUED, ReportState.RENDERING):
        report.state = ReportState.FAILED
        report.failure = why
        db.session.commit()


def take_slot(report_id: int) -> bool:
    """Start rendering this report-back if fewer than N renders are running; one UPDATE."""
    now = utcnow()
    limit = timedelta(seconds=int(current_app.config["REPORT_TIME_LIMIT"])) + GRACE
    if db.engine.dialect.name == "postgresql":
        # Two jobs counting at once under READ COMMITTED could both see a free slot.
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(640217)"))
    running = (
        sa.select(sa.func.count())
        .select_from(ReportBack)
        .where(ReportBack.state == ReportState.RENDERING, ReportBack.started_at > now - limit)
        .scalar_subquery()
    )
    won = rows_changed(
        sa.update(ReportBack)
        .where(
            ReportBack.id == report_id,
            ReportBack.state == ReportState.QUEUED,
            running < int(current_app.config["REPORT_RENDERS_AT_ONCE"]),
        )
        .values(state=ReportState.RENDERING, started_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(won)


def _still_queued(report_id: int) -> bool:
    state = db.session.scalar(sa.select(ReportBack.state).where(ReportBack.id == report_id))
    return state is ReportState.QUEUED


def _render_context() -> multiprocessing.context.ForkServerContext:
    """Children forked from a quiet server process that has WeasyPrint imported already.

    Forking the web or job process itself is unsafe: another of its threads may hold
    a lock at that moment (SQLite's, the connection pool's) that the child then
    waits on for ever. The fork server has one thread and imports the renderer
    once, so each child starts in milliseconds all the same.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["intake", "intake.report.worker", "weasyprint"])
    return context


def render_in_child(app: Flask, report_id: int) -> None:
    """Start the render in a child process and wait for it, ending it at the time limit."""
    seconds = int(app.config["REPORT_TIME_LIMIT"])
    memory = app.config.get("REPORT_MEMORY_LIMIT", DEFAULT_MEMORY)
    config = dict(app.config)
    child = _render_context().Process(
        target=_child, args=(app.instance_path, config, report_id, memory), daemon=True
    )
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        _mark_failed(report_id, "too-long")
    elif child.exitcode != 0:
        _mark_failed(report_id, "failed")


def run(app: Flask, report_id: int) -> float | None:
    """A job's turn: render now if a slot is free; else seconds until it looks again."""
    if not take_slot(report_id):
        return SLOT_WAIT if _still_queued(report_id) else None
    render_in_child(app, report_id)
    return None


def start_queued(app: Flask, on_done: Callable[[], None]) -> float | None:
    """The local runner's turn: start queued report-backs, oldest first, while slots are free.

    Each render is waited for by its own thread, which wakes the runner when it
    ends so that the next queued one starts.
    """
    queued = db.session.scalars(
        sa.select(ReportBack.id)
        .where(ReportBack.state == ReportState.QUEUED)
        .order_by(ReportBack.created_at, ReportBack.id)
    ).all()
    for report_id in queued:
        if not take_slot(report_id):
            return SLOT_WAIT

        def wait_for_it(report_id: int = report_id) -> None:
            with app.app_context():
                try:
                    render_in_child(app, report_id)
                finally:
                    db.session.remove()
            on_done()

        threading.Thread(target=wait_for_it, name="intake-render", daemon=True).start()
    return None


def settle() -> None:
    """Mark failed what no job is working on any more: its time limit passed long ago."""
    now = utcnow()
    limit = timedelta(seconds=int(current_app.config["REPORT_TIME_LIMIT"])) + GRACE
    for state, since, deadline in (
        (ReportState.RENDERING, ReportBack.started_at, now - limit),
        (ReportState.QUEUED, ReportBack.created_at, now - QUEUE_LIMIT),
    ):
        db.session.execute(
            sa.update(ReportBack)
            .where(ReportBack.state == state, since < deadline)
            .values(state=ReportState.FAILED, failure="stopped")
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
