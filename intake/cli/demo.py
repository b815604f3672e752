"""``intake demo``: a fictional process to explore, with one member per role."""

import secrets

import click
from flask.cli import with_appcontext

from intake.cli.demo_data import has_story, load_story
from intake.cli.links import base_url
from intake.clock import today
from intake.extensions import db
from intake.models import Account, Role
from intake.people.accounts import find_account, set_password
from intake.people.membership import create_process, invite_member, process_by_short_name

DEMO_SHORT_NAME = "demo"
DEMO_PSEUDONYM = "X (demo)"
DEMO_MEMBERS = (
    ("demo-support", "Sam (support group)", Role.SUPPORT, False),
    ("demo-contact", "Kim (contact group)", Role.CONTACT, True),
    ("demo-central", "Alex (central group)", Role.CENTRAL, False),
)


def _demo_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def load_demo() -> list[tuple[Account, Role, str]]:
    """Create the demo process and members, or refresh their passwords if they exist."""
    process = process_by_short_name(DEMO_SHORT_NAME) or create_process(
        DEMO_SHORT_NAME, DEMO_PSEUDONYM
    )
    sign_ins = []
    for username, name, role, coordinator in DEMO_MEMBERS:
        account = find_account(username)
        if account is None:
            account = invite_member(
                process,
                username=username,
                display_name=name,
                role=role,
                is_coordinator=coordinator,
            ).membership.account
        password = _demo_password()
        set_password(account, password)
        sign_ins.append((account, role, password))
    if not has_story(process):
        by_role = {role: account for account, role, _ in sign_ins}
        load_story(process, by_role[Role.SUPPORT], by_role[Role.CONTACT], today())
    db.session.commit()
    return sign_ins


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the fictional demo process and print how each member signs in."""
    sign_ins = load_demo()
    click.echo(f"Demo process '{DEMO_SHORT_NAME}' is ready. Sign in at {base_url()}/login as:")
    for account, role, password in sign_ins:
        click.echo(f"  {role.value:8} {account.username:14} password: {password}")
    click.echo("Running `intake demo` again keeps the data and prints new passwords.")
