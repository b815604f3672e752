"""Work done after the response: mailing private links and rendering report-backs.

The database holds every job's state (a link's mail state, a report-back's
state), so a page can always say where a job stands, whichever server or worker
runs it. What carries the work out depends on ``REDIS_URL``:

- set: the job goes onto an RQ queue in Redis, and ``intake worker`` (on any
  machine) runs it; retries are scheduled there too.
- unset: a thread in the web process that queued it runs it once the response
  is on its way (see ``local.py``).

Both call the same functions in ``tasks.py``, so retries, time limits and
failure states are the same.
"""

from __future__ import annotations

from flask import current_app

from intake.extensions import this_app
from intake.jobs.tasks import KINDS


def uses_redis() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def enqueue(kind: str, subject_id: int, *, delay: float = 0) -> None:
    """Run job ``kind`` (see ``tasks.KINDS``) for one row, now or after ``delay`` seconds.

    Call it after the commit that wrote the job's state: a worker must find the row.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    if uses_redis():
        import redis

        from intake.jobs import queue

        try:
            queue.put(kind, subject_id, delay)
            return
        except redis.RedisError as exc:
            # The job's state is in the database already: this process can run it.
            current_app.logger.warning(
                "Redis unreachable (%s): the job runs in this process", type(exc).__name__
            )
    from intake.jobs import local

    local.runner_for(this_app()).wake()
