"""The ``intake`` command: Flask's CLI with the app's own groups added."""

from flask import Flask
from flask.cli import FlaskGroup


def register(app: Flask) -> None:
    from intake.cli import (
        archive,
        backup,
        check,
        demo,
        firstrun,
        keys,
        processes,
        report,
        retention,
        users,
        worker,
    )

    app.cli.add_command(users.user)
    app.cli.add_command(processes.process)
    app.cli.add_command(demo.demo)
    app.cli.add_command(check.check)
    app.cli.add_command(firstrun.firstrun)
    app.cli.add_command(keys.keys)
    app.cli.add_command(report.report)
    app.cli.add_command(archive.export)
    app.cli.add_command(archive.unseal)
    app.cli.add_command(archive.erase)
    app.cli.add_command(retention.retention_command)
    app.cli.add_command(backup.backup)
    app.cli.add_command(backup.restore)
    app.cli.add_command(worker.worker)


def _create_app() -> Flask:
    from intake import create_app

    return create_app()


cli = FlaskGroup(
    name="intake",
    create_app=_create_app,
    add_version_option=False,
    help="Manage an intake instance: accounts, processes, demo data, checks.",
)


def main() -> None:
    cli.main(prog_name="intake")
