"""The end of a process, for the contact group's coordinators: export it, set the day it
is erased, or erase it now (with a second coordinator where there is one)."""

from flask import Response, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from intake.clock import today
from intake.extensions import db
from intake.lifecycle import archive, retention
from intake.lifecycle.erase import erase_process
from intake.lifecycle.forms import EraseForm, ExportForm, RetentionForm
from intake.models import Account, ActKind
from intake.people import confirmations
from intake.security import audit
from intake.security.access import allow, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("lifecycle", __name__)


@bp.route("/export", methods=["GET", "POST"])
@allow(Act.EXPORT)
def export() -> ResponseReturnValue:
    """Download every record of this process as one archive, sealed with a passphrase if given."""
    form = ExportForm()
    if not form.validate_on_submit():
        return _export_page(export_form=form), 422 if form.is_submitted() else 200
    passphrase = form.passphrase.data or None
    data = archive.export(g.process, passphrase, g.membership.role)
    audit.record("process-exported", process=g.process)
    db.session.commit()
    suffix = "sealed" if passphrase else "zip"
    response = Response(data, mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="intake-{g.process.short_name}.{suffix}"'
    )
    return response


def _export_page(form: RetentionForm | None = None, export_form: ExportForm | None = None) -> str:
    if form is None:
        form = RetentionForm(erase_on=g.process.erase_on)
    return render_template(
        "process/export.html",
        export_form=export_form or ExportForm(),
        retention_form=form,
        alone=not confirmations.needs_second(g.process, ActKind.ERASE_DATE),
        answers=confirmations.answers_for(g.process, current_user, confirmations.ERASING),
    )


@bp.post("/retention")
@allow(Act.EXPORT)
def set_retention() -> ResponseReturnValue:
    """Set or clear the day this process is erased; another coordinator confirms if there is one."""
    form = RetentionForm()
    if not form.validate_on_submit():
        return _export_page(form), 422
    on = form.erase_on.data
    try:
        retention.check_erase_date(on, today())
    except retention.RetentionError as exc:
        form.erase_on.errors = [str(exc)]
        return _export_page(form), 422
    if confirmations.needs_second(g.process, ActKind.ERASE_DATE):
        confirmations.ask(g.process, ActKind.ERASE_DATE, current_user, erase_on=on)
        db.session.commit()
        flash(_("Another coordinator of the contact group is asked to confirm."), "info")
        return redirect(url_for("lifecycle.export"))
    retention.set_erase_date(g.process, on, today())
    confirmations.settle(g.process, ActKind.ERASE_DATE, current_user)
    db.session.commit()
    flash_erase_date()
    return redirect(url_for("lifecycle.export"))


def flash_erase_date() -> None:
    on = g.process.erase_on
    flash(
        _("The process will be erased on %(date)s.", date=format_date(on, "medium"))
        if on
        else _("The process is kept: no day is set to erase it."),
        "info",
    )


@bp.route("/erase", methods=["GET", "POST"])
@allow(Act.ERASE)
def erase() -> ResponseReturnValue:
    """Two steps: type the short name, then confirm; a second coordinator confirms too."""
    form = EraseForm()
    alone = not confirmations.needs_second(g.process, ActKind.ERASE)
    typed = (form.short_name.data or "").strip()
    if not form.validate_on_submit() or typed != g.process.short_name:
        if form.is_submitted():
            flash(_("That is not the short name of this process. Nothing was deleted."), "error")
        return render_template("process/erase.html", step=1, alone=alone, form=form)
    if form.confirm.data != "yes":
        return render_template("process/erase.html", step=2, alone=alone, form=form)
    if not alone:
        confirmations.ask(g.process, ActKind.ERASE, current_user)
        db.session.commit()
        flash(
            _(
                "Another coordinator of the contact group is asked to confirm. "
                "Nothing is erased until one of them does."
            ),
            "info",
        )
        return redirect(url_for("lifecycle.export"))
    return erase_now()


def erase_now() -> ResponseReturnValue:
    """Erase the process in the URL, then go where the signed-in person can still go."""
    # Worded before erasing: the language comes from the account, which may go with it.
    done = _("The process and everything of it are erased.")
    gone_too = _("Your account belonged only to this process and is erased with it.")
    account_id = current_user.id
    erase_process(g.process)
    return signed_out_if_erased(account_id, done, gone_too)


def signed_out_if_erased(
    account_id: int, done: str | None = None, gone_too: str | None = None
) -> ResponseReturnValue:
    """Home, or the sign-in page if the account went with the process (nothing left to open)."""
    if db.session.get(Account, account_id) is None:
        logout_user()
        # Signed out now, so these words come in the browser's language.
        done = done or _("The process and everything of it are erased.")
        gone_too = gone_too or _(
            "Your account belonged only to this process and is erased with it."
        )
        flash(f"{done} {gone_too}", "info")
        return redirect(url_for("auth.login"))
    flash(done or _("The process and everything of it are erased."), "info")
    return redirect(url_for("home.index"))
