"""Rendering off the request path: a child process with a time and memory limit.

The page that asked for a report-back answers at once and shows progress; the
child renders and stores the PDF; a small thread in the parent waits for it
and ends it if it runs over time, marking the report-back as failed.
"""

from __future__ import annotations

import gc
import multiprocessing
import resource
import threading

from flask import Flask

from intake.extensions import db
from intake.models import ReportBack, ReportState
from intake.report.render import load_renderer
from intake.report.service import render

DEFAULT_SECONDS = 120
DEFAULT_MEMORY = 1536 * 1024 * 1024


def _child(app: Flask, report_id: int, memory: int) -> None:
    # This process renders one report and exits: the collector need not walk every
    # object inherited from the server. A render is about 15 % faster for it
    # (bench/report_bench.py), for a few MiB more at the peak.
    gc.freeze()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    with app.app_context():
        # The parent's pooled connections must not be used from this process.
        db.engine.dispose(close=False)
        report = db.session.get_one(ReportBack, report_id)
        try:
            render(report)
        except Exception:  # any failure must end as a visible state, never a hang
            db.session.rollback()
            report = db.session.get_one(ReportBack, report_id)
            report.state = ReportState.FAILED
            report.failure = "rendering failed"
            db.session.commit()
            raise


def _mark_failed(app: Flask, report_id: int, why: str) -> None:
    with app.app_context():
        report = db.session.get(ReportBack, report_id)
        if report is not None and report.state in (ReportState.QUEUED, ReportState.RENDERING):
            report.state = ReportState.FAILED
            report.failure = why
            db.session.commit()


def start(app: Flask, report_id: int) -> None:
    seconds = app.config.get("REPORT_TIME_LIMIT", DEFAULT_SECONDS)
    memory = app.config.get("REPORT_MEMORY_LIMIT", DEFAULT_MEMORY)
    # Imported here, in the parent, once: each forked child then starts with it.
    load_renderer()
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_child, args=(app, report_id, memory), daemon=True)
    child.start()

    def reap() -> None:
        child.join(seconds)
        if child.is_alive():
            child.kill()
            child.join()
            _mark_failed(app, report_id, "took too long")
        elif child.exitcode != 0:
            _mark_failed(app, report_id, "rendering failed")

    threading.Thread(target=reap, daemon=True).start()
