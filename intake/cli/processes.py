"""``intake process``: processes and their first members from the command line."""

import click
from flask.cli import AppGroup

from intake.cli.links import setup_url
from intake.extensions import db
from intake.i18n import LANGUAGES
from intake.models import Role
from intake.people.membership import (
    MembershipError,
    create_process,
    invite_member,
    process_by_short_name,
)
from intake.security import audit


@click.group(cls=AppGroup, help="Processes: add one, add a member.")
def process() -> None:
    pass


@process.command("add")
@click.argument("short_name")
@click.argument("pseudonym")
@click.option("--language", type=click.Choice(list(LANGUAGES)), default="en", show_default=True)
def add(short_name: str, pseudonym: str, language: str) -> None:
    """Create a process with a short name (used in addresses) and a pseudonym."""
    try:
        created = create_process(short_name, pseudonym, language=language)
    except MembershipError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Process {created.short_name} created. Add members with `intake process member`.")


@process.command("member")
@click.argument("short_name")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Name shown to the group.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--coordinator", is_flag=True, help="May add and remove members.")
def member(short_name: str, username: str, display_name: str, role: str, coordinator: bool) -> None:
    """Add a person to a process: a new account gets a set-up link, an existing one is asked.

    This is how a group left without a coordinator gets one; it is written to the
    process's audit log. The instance admin's account can never be added.
    """
    found = process_by_short_name(short_name)
    if found is None:
        raise click.ClickException(f"No process named {short_name!r}.")
    try:
        addition = invite_member(
            found,
            username=username,
            display_name=display_name or username,
            role=Role(role),
            is_coordinator=coordinator,
        )
    except MembershipError as exc:
        raise click.ClickException(str(exc)) from exc
    # Written to the process's own log, so its coordinators see who was added from here.
    action = "member-asked" if addition.is_pending else "member-added"
    subject = f"membership:{addition.membership.id}{audit.FROM_COMMAND_LINE}"
    audit.record(action, process=found, subject=subject)
    db.session.commit()
    name = addition.membership.account.username
    if addition.is_pending:
        click.echo(f"{name} is asked to join {found.short_name} as {role}; they accept it after")
        click.echo("signing in, and have no access until then.")
        return
    click.echo(f"{name} added to {found.short_name} as {role}.")
    if addition.setup:
        click.echo(f"Set-up link (works once, for 7 days): {setup_url(addition.setup.token)}")
