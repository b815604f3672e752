"""Jobs without Redis: a thread per web process that works what the database says is due.

Why a thread reading the database, rather than a second queue: the database
already holds every job's state (waiting mails with their next try, queued
report-backs), and every worker of a single machine shares it. A thread woken
after the response finds what is due, claims each row with one conditional
UPDATE (so two workers never take the same job) and sleeps until the next try.
Nothing is lost if the process dies: the rows stay waiting, the next runner
picks them up, and a page shows a job nobody took as failed, ready to retry.
"""

from __future__ import annotations

import threading

from flask import Flask, g

from intake.extensions import db

# How long to sleep at most while work is pending elsewhere (a render slot held by
# another process, a retry due later): short enough that a page watching it moves.
POLL_SECONDS = 5.0
# Passes in a row that may fail (the database away) before the thread stops; the rows
# wait in the database for the next job to wake a runner.
FAILED_PASSES = 12


class Runner:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._stopping = False

    def wake(self) -> None:
        with self._lock:
            if self._stopping:
                return
            self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="intake-jobs", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.clear()
            pause = self._once()
            with self._lock:
                done = pause is None and not self._wake.is_set()
                if self._stopping or self._failures >= FAILED_PASSES or done:
                    self._thread = None  # nothing pending: the next job starts a new thread
                    return
            self._wake.wait(POLL_SECONDS if pause is None else min(pause, POLL_SECONDS))

    def stop(self, timeout: float = 30) -> None:
        """Let the current pass end and start no other (an app being shut down, a test)."""
        with self._lock:
            self._stopping = True
            self._wake.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _once(self) -> float | None:
        with self.app.app_context():
            g.job = "local"  # flask-babel's force_locale does nothing while ``g`` is empty
            try:
                pause = work_due(self.app)
            except Exception:
                # The database may be away for a moment; the rows wait for the next pass.
                self.app.logger.exception("Background jobs could not run")
                self._failures += 1
                return POLL_SECONDS
            finally:
                db.session.remove()
            self._failures = 0
            return pause


def work_due(app: Flask) -> float | None:
    """Run every job that is due; seconds until more may be due, or None when none is pending."""
    from intake.checkins import link_mail
    from intake.report import worker

    pauses = [link_mail.work_due(), worker.start_queued(app, on_done=runner_for(app).wake)]
    pending = [p for p in pauses if p is not None]
    return min(pending) if pending else None


_runners_lock = threading.Lock()


def run_forever(app: Flask) -> None:
    """`intake worker` without Redis: the same runner in the foreground, for a machine
    that would rather not send mail from its web processes."""
    runner = runner_for(app)
    while True:
        runner._wake.clear()
        runner._failures = 0  # in the foreground, keep trying until stopped
        pause = runner._once()
        runner._wake.wait(POLL_SECONDS if pause is None else min(pause, POLL_SECONDS))


def run_until_idle(app: Flask) -> None:
    """`intake worker --burst` without Redis: what is due now, renders waited for, then stop.

    Mail whose next try lies in the future is left for a later run.
    """
    from intake.report.worker import SLOT_WAIT

    while True:
        pause = work_due(app)
        for thread in threading.enumerate():
            if thread.name == "intake-render":
                thread.join()
        if pause is None or pause > SLOT_WAIT:
            return


def runner_for(app: Flask) -> Runner:
    with _runners_lock:
        runner = app.extensions.get("intake.jobs")
        if runner is None:
            runner = app.extensions["intake.jobs"] = Runner(app)
        return runner
