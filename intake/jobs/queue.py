"""Jobs on RQ: one queue in Redis, worked by ``intake worker``."""

from __future__ import annotations

from datetime import timedelta

import redis
from flask import current_app
from rq import Queue, Worker

QUEUE = "intake"


def _connection() -> redis.Redis:
    return redis.Redis.from_url(current_app.config["REDIS_URL"])


def _queue(connection: redis.Redis | None = None) -> Queue:
    return Queue(QUEUE, connection=connection or _connection())


def _time_limit(kind: str) -> int:
    config = current_app.config
    if kind == "render":
        # The job waits for its render child, which is ended at REPORT_TIME_LIMIT.
        return int(config["REPORT_TIME_LIMIT"]) + 60
    return int(config["MAIL_TIMEOUT"]) * 4 + 30


def put(kind: str, subject_id: int, delay: float = 0) -> None:
    """Only the kind and a row id travel through Redis: no address, link or words."""
    queue = _queue()
    options = {"job_timeout": _time_limit(kind), "result_ttl": 0, "failure_ttl": 86400}
    if delay > 0:
        queue.enqueue_in(
            timedelta(seconds=delay), "intake.jobs.tasks.run_job", kind, subject_id, **options
        )
    else:
        queue.enqueue("intake.jobs.tasks.run_job", kind, subject_id, **options)


def work(*, burst: bool = False, forking: bool = True) -> bool:
    """Run an RQ worker on the queue until stopped (or, with ``burst``, until it is empty)."""
    from rq.worker import SimpleWorker

    connection = _connection()
    worker_class = Worker if forking else SimpleWorker
    worker = worker_class([_queue(connection)], connection=connection)
    return worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")
