"""The first page after sign-in: the processes this person takes part in."""

from flask import Blueprint, render_template
from flask_login import current_user

from intake.membership import processes_of

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """List the person's processes with their role in each."""
    return render_template("home.html", memberships=processes_of(current_user))
