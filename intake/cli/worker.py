"""``intake worker``: run the jobs (mail of private links, report-back renders)."""

import click
from flask.cli import with_appcontext

from intake.extensions import this_app


@click.command("worker")
@click.option("--burst", is_flag=True, help="Do what is due now, then stop.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run jobs: an RQ worker when REDIS_URL is set, else the database runner in the foreground.

    Without Redis the web processes run the jobs themselves; this command is for
    a machine that would rather keep them out of the web processes.
    """
    app = this_app()
    if app.config.get("REDIS_URL"):
        from intake.jobs import queue

        click.echo("Working the job queue in Redis.")
        queue.work(burst=burst)
        return
    from intake.jobs import local

    click.echo("REDIS_URL is not set: working the jobs the database holds.")
    if burst:
        local.run_until_idle(app)
        return
    local.run_forever(app)
