"""``intake process``: processes and their first members from the command line."""

import click
from flask.cli import AppGroup

from intake.cli.links import setup_url
from intake.extensions import db
from intake.membership import MembershipError, create_process, invite_member, process_by_short_name
from intake.models import Role


@click.group(cls=AppGroup, help="Processes: add one, add a member.")
def process() -> None:
    pass


@process.command("add")
@click.argument("short_name")
@click.argument("pseudonym")
@click.option("--language", type=click.Choice(["en", "de"]), default="en", show_default=True)
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
    """Add a person to a process; prints a set-up link if they have no password yet."""
    found = process_by_short_name(short_name)
    if found is None:
        raise click.ClickException(f"No process named {short_name!r}.")
    try:
        invitation = invite_member(
            found,
            username=username,
            display_name=display_name or username,
            role=Role(role),
            is_coordinator=coordinator,
        )
    except MembershipError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{invitation.membership.account.username} added to {found.short_name} as {role}.")
    if invitation.setup:
        click.echo(f"Set-up link (works once, for 7 days): {setup_url(invitation.setup.token)}")
