"""Need to know: sign-in by default, and a role in the process for every process page.

Two layers, both deny by default:
- every endpoint needs a signed-in person unless it is on ``PUBLIC_ENDPOINTS``;
- every process endpoint names the act it serves with ``@allow(Act.…)``, and
  :mod:`intake.security.policy` says who may do that act; an endpoint that
  names nothing answers 404 to everybody.

Someone without the role gets 404, not 403, so a stranger cannot even learn
that a process with that short name exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from intake.converters import is_id
from intake.extensions import db, login_manager
from intake.models import Membership, Process
from intake.security import audit, refused_posts
from intake.security.policy import Act, may, offers_quick_exit

PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "health.healthz",
        "auth.login",
        "auth.setup_link",
        "auth.setup",
        "auth.second_step",
        "i18n.choose_language",
        "respond.open_link",
        "respond.page",
        "respond.confirm",
        "respond.check",
        "respond.send",
    }
)

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


def require_sign_in() -> Any:
    """App-wide ``before_request``: anonymous visitors only reach public endpoints."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    # The session ended while the person wrote: what they typed waits for them (R6).
    kept = refused_posts.keep_refused_post(refused_posts.SIGNED_OUT)
    return kept if kept is not None else login_manager.unauthorized()


def allow(act: Act) -> Callable[[F], F]:
    """Declare the act a process view serves; the policy says who may do it."""
    if not isinstance(act, Act):
        raise TypeError(f"@allow needs an Act of intake.security.policy, not {act!r}")

    def decorate(view: F) -> F:
        view._intake_act = act  # type: ignore[attr-defined]
        return view

    return decorate


def load_process(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Blueprint ``url_value_preprocessor``: resolve the short name into ``g.process``."""
    g.process = None
    g.membership = None
    if not values or "short_name" not in values:
        return
    short_name = values.pop("short_name")
    if not current_user.is_authenticated:
        return
    # The process and this person's membership in one query: every process page asks both.
    row = db.session.execute(
        sa.select(Process, Membership)
        .outerjoin(
            Membership,
            sa.and_(
                Membership.process_id == Process.id,
                Membership.account_id == current_user.id,
                Membership.left_at.is_(None),
                # An invitation not yet accepted gives no access.
                Membership.accepted_at.is_not(None),
            ),
        )
        .where(Process.short_name == short_name)
    ).first()
    if row is None:
        return
    g.process = row.Process
    # Nor does any membership of the instance admin, whatever made it.
    g.membership = None if current_user.is_instance_admin else row.Membership


def refuse(subject: str, process: Process | None = None) -> NoReturn:
    """404, written to the audit log: somebody asked for what is not theirs to see.

    Without a process the event is the instance admin's to read: asking for
    another process's pages or ids concerns more than one process.
    """
    audit.record("access-refused", process=process, subject=subject)
    db.session.commit()
    abort(404)


def of_this_process(model: type[M], ident: int, process_of: Callable[[M], int] | None = None) -> M:
    """The object with this id if it belongs to the process in the URL, or 404.

    An id that exists in another process is an attempt worth logging; an id
    that exists nowhere is not (it is what a stale bookmark looks like).
    """
    # An id from a query string or form is checked here, as the URL converter checks
    # those in paths: a number no row can have is not found, not a database error.
    found = db.session.get(model, ident) if is_id(ident) else None
    if found is None:
        abort(404)
    owner = process_of(found) if process_of else found.process_id  # type: ignore[attr-defined]
    if owner != g.process.id:
        refuse(f"{g.process.short_name}/{model.__tablename__}:{ident}")  # type: ignore[attr-defined]
    return found


def enforce_role() -> Any:
    """Blueprint ``before_request``: 404 unless the policy lets this member do the view's act."""
    view = current_app.view_functions.get(request.endpoint or "")
    act: Act | None = getattr(view, "_intake_act", None)
    membership: Membership | None = g.get("membership")
    process: Process | None = g.get("process")
    if process is None or act is None:
        abort(404)
    if membership is None:
        refuse(process.short_name)
    if not may(membership, act):
        refuse(request.endpoint or "", process)
    if g.process.require_second_factor and not current_user.has_second_factor:
        flash(
            _("This process asks every member to sign in with a second factor. Set it up first."),
            "error",
        )
        return redirect(url_for("auth.second_factor_page"))
    return None


def add_short_name(endpoint: str, values: dict[str, Any]) -> None:
    """Blueprint ``url_defaults``: links inside a process keep pointing at it."""
    process = g.get("process")
    if process is not None and "short_name" not in values:
        values["short_name"] = process.short_name


def process_blueprint(name: str, import_name: str, path: str = "") -> Blueprint:
    """A blueprint whose every view lives under ``/p/<short_name>`` and checks roles."""
    bp = Blueprint(name, import_name, url_prefix=f"/p/<short_name>{path}")
    bp.url_value_preprocessor(load_process)
    bp.url_defaults(add_short_name)
    bp.before_request(enforce_role)
    bp.context_processor(
        lambda: {
            "process": g.get("process"),
            "membership": g.get("membership"),
            "may": lambda act: may(g.get("membership"), act),
            "offers_quick_exit": offers_quick_exit(g.get("membership")),
        }
    )
    return bp


def instance_admin_only(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.is_authenticated and current_user.is_instance_admin):
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
