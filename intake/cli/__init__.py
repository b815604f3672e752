"""The ``intake`` command: Flask's CLI with the app's own commands, each loaded when used.

``intake --help`` lists the commands from the table below without importing Flask,
building the app or importing any command: building the app and importing every
command (with SQLAlchemy, the pages, Redis) took over a second before anything was
printed. A command's module is imported when that command runs or shows its own
help; the group that runs them is in ``intake.cli.group``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from flask import Flask


@dataclass(frozen=True)
class Entry:
    """Where a command lives and what ``intake --help`` says of it before it is imported."""

    module: str
    attribute: str
    # The first paragraph of the command's help; tests/cli checks it against the command's own.
    help: str
    # False: the command builds no link to a page, so the app is built without the pages
    # (their modules are a large part of building the app).
    needs_pages: bool = True
    # A function ("module:name") called before the app is built, when the command is to
    # run (not for its --help): to start work that goes on beside building the app.
    before_app: str | None = None


COMMANDS: dict[str, Entry] = {
    "backup": Entry(
        "intake.cli.backup",
        "backup",
        "Back up the database (answers stay encrypted); the keys only into their own file.",
        needs_pages=False,
    ),
    "check": Entry(
        "intake.cli.check",
        "check",
        "Report configuration problems; exits 1 if anything must be fixed.",
        needs_pages=False,
    ),
    "demo": Entry(
        "intake.cli.demo",
        "demo",
        "Load the fictional demo process and print how each member signs in.",
    ),
    "erase": Entry(
        "intake.cli.archive",
        "erase",
        "Delete a process and everything of it, and accounts that belonged only to it.",
        needs_pages=False,
    ),
    "export": Entry(
        "intake.cli.archive",
        "export",
        "Write every record of a process, with form definitions and released PDFs, to one file.",
        needs_pages=False,
    ),
    "firstrun": Entry(
        "intake.cli.firstrun",
        "firstrun",
        "Until someone has a password, print a one-time link to set the admin's password.",
    ),
    "keys": Entry(
        "intake.cli.keys",
        "keys",
        "Encryption keys for answers: create, rotate, list.",
        needs_pages=False,
    ),
    "process": Entry("intake.cli.processes", "process", "Processes: add one, add a member."),
    "report": Entry(
        "intake.cli.report",
        "report",
        "Write the report-back of a process for a period, the same as the app makes.",
        needs_pages=False,
        before_app="intake.report.ahead:start",
    ),
    "restore": Entry(
        "intake.cli.backup",
        "restore",
        "Restore into a new, migrated, empty database (and, if given, an empty keys folder).",
        needs_pages=False,
    ),
    "retention": Entry(
        "intake.cli.retention",
        "retention_command",
        "Erase processes whose erase day has come, and list those due within 30 days.",
        needs_pages=False,
    ),
    "unseal": Entry(
        "intake.cli.archive",
        "unseal",
        "Open an archive sealed with a passphrase into a plain zip.",
        needs_pages=False,
    ),
    "user": Entry("intake.cli.users", "user", "Accounts: add, give a new set-up link, deactivate."),
    "worker": Entry(
        "intake.cli.worker",
        "worker",
        "Run jobs: an RQ worker when REDIS_URL is set, else the database runner in the foreground.",
    ),
}
# Added to the app by intake.migrations_setup (already loaded only when used).
OTHER_APP_COMMANDS = {"db": "Perform database migrations."}


HELP = "Manage an intake instance: accounts, processes, demo data, checks."
# Flask's own commands and options, as Flask's group shows them in `intake --help`;
# tests/cli checks that this list is the same text as Flask's group prints.
FLASK_COMMANDS = {
    "routes": "Show the routes for the app.",
    "run": "Run a development server.",
    "shell": "Run a shell in the app context.",
}
FLASK_OPTIONS = [
    click.Option(
        ["-e", "--env-file"],
        type=click.Path(exists=True, dir_okay=False),
        help="Load environment variables from this file, taking precedence over those set by "
        "'.env' and '.flaskenv'. Variables set directly in the environment take highest "
        "precedence. python-dotenv must be installed.",
        is_eager=True,
        expose_value=False,
    ),
    click.Option(
        ["-A", "--app"],
        metavar="IMPORT",
        help="The Flask application or factory function to load, in the form 'module:name'. "
        "Module can be a dotted import or file path. Name is not required if it is 'app', "
        "'application', 'create_app', or 'make_app', and can be 'name(args)' to pass "
        "arguments.",
        is_eager=True,
        expose_value=False,
    ),
    click.Option(["--debug/--no-debug"], help="Set debug mode.", expose_value=False),
]


def described() -> dict[str, str]:
    """The app's commands, each with the first paragraph of its help."""
    return {**{name: entry.help for name, entry in COMMANDS.items()}, **OTHER_APP_COMMANDS}


def listing() -> click.Group:
    """``intake --help`` as Flask's group prints it, made without importing Flask."""
    group = click.Group(
        "intake",
        help=HELP,
        params=list(FLASK_OPTIONS),
        context_settings={"auto_envvar_prefix": "FLASK"},
    )
    for name, text in {**FLASK_COMMANDS, **described()}.items():
        group.add_command(click.Command(name, help=text))
    return group


def register(app: Flask) -> None:
    """Add the commands to the app, each imported when it is used."""
    from intake.cli.group import Deferred

    for name, entry in COMMANDS.items():
        app.cli.add_command(Deferred(name, entry))


def main() -> None:
    args = sys.argv[1:]
    if args in ([], ["--help"]):
        # Only the list of commands: Flask alone takes a third of a second to import
        # on a busy machine, and nothing of it is needed to print the list.
        listing().main(args, prog_name="intake")
        return
    from intake.cli.group import cli

    cli.main(prog_name="intake")
