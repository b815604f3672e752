"""``intake firstrun``: how the first person gets in, printed by ``make run``."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from intake.cli.links import base_url, setup_url
from intake.extensions import db
from intake.models import Account
from intake.people.accounts import create_account, find_account, issue_setup_link

ADMIN_USERNAME = "admin"


@click.command("firstrun")
@with_appcontext
def firstrun() -> None:
    """Until someone has a password, print a one-time link to set the admin's password."""
    anyone_ready = db.session.scalar(
        sa.select(sa.func.count(Account.id)).where(Account.password_hash.is_not(None))
    )
    if anyone_ready:
        click.echo(f"Sign in at {base_url()}/login")
        return
    admin = find_account(ADMIN_USERNAME) or create_account(
        ADMIN_USERNAME, "Instance admin", is_instance_admin=True
    )
    issued = issue_setup_link(admin)
    db.session.commit()
    click.echo("No one can sign in yet. Open this one-time link to set the admin password:")
    click.echo(f"  {setup_url(issued.token)}")
    click.echo(f"Then sign in as '{ADMIN_USERNAME}'. The link works once, for 7 days.")
