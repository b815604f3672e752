"""``intake user``: accounts from the command line."""

import click
from flask.cli import AppGroup

from intake.cli.links import setup_url
from intake.extensions import db
from intake.people.accounts import AccountError, create_account, find_account, issue_setup_link
from intake.security import audit, second_factor
from intake.security.sessions import end_sessions_of


@click.group(cls=AppGroup, help="Accounts: add, give a new set-up link, deactivate.")
def user() -> None:
    pass


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Name shown to the group.")
@click.option("--admin", is_flag=True, help="Make this account the instance admin.")
def add(username: str, display_name: str, admin: bool) -> None:
    """Create an account and print its one-time set-up link."""
    try:
        account = create_account(username, display_name or username, is_instance_admin=admin)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    issued = issue_setup_link(account)
    db.session.commit()
    click.echo(f"Account {account.username} created.")
    click.echo(f"Set-up link (works once, for 7 days): {setup_url(issued.token)}")


@user.command("setup-link")
@click.argument("username")
@click.option(
    "--turn-off-second-factor",
    "turn_off",
    is_flag=True,
    help="For a person who lost their authenticator and recovery codes; written to the audit log.",
)
def setup_link(username: str, turn_off: bool) -> None:
    """Print a fresh set-up link (for a forgotten password); older links stop working.

    The link does not get past a second factor: its holder still types a code,
    unless the factor is turned off here, explicitly and on the record.
    """
    account = find_account(username)
    if account is None:
        raise click.ClickException(f"No account named {username!r}.")
    if turn_off and account.has_second_factor:
        second_factor.turn_off(account)
        end_sessions_of(account, "second-factor-reset")
        audit.record("second-factor-reset", subject=f"account:{account.id}")
        click.echo(f"The second factor of {account.username} is off (written to the audit log).")
    elif account.has_second_factor:
        click.echo("This account has a second factor: the link asks for a code as well.")
    issued = issue_setup_link(account)
    db.session.commit()
    click.echo(f"Set-up link for {account.username} (works once, for 7 days):")
    click.echo(setup_url(issued.token))


@user.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Stop an account from signing in and end its sessions at once."""
    account = find_account(username)
    if account is None:
        raise click.ClickException(f"No account named {username!r}.")
    account.is_deactivated = True
    ended = end_sessions_of(account, "deactivated")
    db.session.commit()
    click.echo(f"{account.username} is deactivated; {ended} session(s) ended.")
