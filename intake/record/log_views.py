"""The contact log with its silence figures, the chronology, and search."""

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs

from intake.clock import today
from intake.extensions import db
from intake.formdef.submitted import required
from intake.models import ContactEntry
from intake.record import log_import, paging
from intake.record.chronology import KINDS, kind_label, newest_events
from intake.record.forms import ChronologyFilter, ImportForm, SearchForm, SilenceAlarmForm
from intake.record.glance import silence_of
from intake.record.search import search
from intake.security import audit
from intake.security.access import allow, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("log", __name__)


@bp.get("/contacts")
@allow(Act.KEEP_CONTACT_LOG)
def contacts() -> str:
    """Every message sent or received, newest first, with the silence figures."""
    return _contacts_page(SilenceAlarmForm(days=g.process.silence_alarm_days))


def _contacts_page(alarm_form: SilenceAlarmForm) -> str:
    page = paging.newest_first(
        db.select(ContactEntry).where(ContactEntry.process_id == g.process.id),
        ContactEntry.on,
        ContactEntry.id,
        before=paging.parse_cursor(request.args.get("before")),
        after=paging.parse_cursor(request.args.get("after")),
    )
    return render_template(
        "log/contacts.html",
        entries=page.items,
        page=page,
        page_endpoint="log.contacts",
        silence=silence_of(g.process, today()),
        alarm_form=alarm_form,
    )


@bp.post("/silence-alarm")
@allow(Act.KEEP_CONTACT_LOG)
def silence_alarm() -> ResponseReturnValue:
    """Set after how many days the group counts a silence as alarming."""
    form = SilenceAlarmForm()
    if form.validate_on_submit():
        g.process.silence_alarm_days = form.days.data
        audit.record("silence-alarm-changed", process=g.process)
        db.session.commit()
        flash(_("Saved: a silence of more than %(n)d days is marked.", n=form.days.data), "info")
        return redirect(url_for("log.contacts"))
    return _contacts_page(form), 422


@bp.route("/contacts/import", methods=["GET", "POST"])
@allow(Act.KEEP_CONTACT_LOG)
def import_log() -> ResponseReturnValue:
    """Catch up on the past from a spreadsheet: check every row, show them, then import."""
    form = ImportForm()
    rows: list[log_import.Row] | None = None
    if form.validate_on_submit():
        confirming = bool(form.rows.data)
        upload = form.file.data
        if not confirming and not upload:
            form.file.errors.append(_("Choose the file to import."))
        else:
            try:
                rows = (
                    log_import.read(required(form.rows.data).encode(), "rows.csv")
                    if confirming
                    else log_import.read(upload.read(), upload.filename or "")
                )
            except log_import.UnreadableFile as exc:
                form.file.errors.append(str(exc))
            else:
                log_import.check(g.process, rows, today())
                if confirming and not any(r.problems for r in rows):
                    try:
                        stored = log_import.store(g.process, rows, current_user)
                        audit.record("log-imported", process=g.process, subject=f"rows:{stored}")
                        db.session.commit()
                    except IntegrityError:
                        # The same rows were imported at this moment, from another tab.
                        db.session.rollback()
                        flash(
                            _("These rows were imported meanwhile; nothing was added twice."),
                            "info",
                        )
                        return redirect(url_for("log.contacts"))
                    flash(
                        _(
                            "%(n)d rows imported; %(m)d were there already.",
                            n=stored,
                            m=sum(r.already for r in rows),
                        ),
                        "info",
                    )
                    return redirect(url_for("log.contacts"))
    problems = [p for r in rows or [] for p in r.problems]
    status = 422 if form.is_submitted() and (problems or form.errors) else 200
    return render_template(
        "log/import.html",
        form=form,
        rows=rows,
        problems=problems,
        carried=log_import.as_csv(rows) if rows and not problems else "",
        columns=log_import.COLUMNS,
    ), status


@bp.get("/chronology")
@allow(Act.READ_CHRONOLOGY)
def chronology_page() -> str:
    """One dated list of everything, newest first in pages, filterable by kind and period."""
    form = ChronologyFilter(request.args)
    form.kind.choices = [SelectChoice(k, kind_label(k)) for k in KINDS]
    valid = form.validate() if request.args else True
    page = newest_events(
        g.process,
        today(),
        kinds=set(form.kind.data or []) if valid else None,
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
        before=paging.parse_cursor(request.args.get("before")),
        after=paging.parse_cursor(request.args.get("after")),
    )
    return render_template(
        "log/chronology.html", form=form, events=page.items, page=page, kind_label=kind_label
    )


@bp.get("/search")
@allow(Act.SEARCH)
def search_page() -> str:
    """Search the records this person's role may read."""
    form = SearchForm(request.args)
    page = None
    if request.args and form.validate():
        page = search(
            g.process,
            g.membership,
            required(form.q.data),
            str(get_locale() or "en"),
            before=paging.parse_cursor(request.args.get("before")),
        )
    return render_template(
        "log/search.html", form=form, hits=page.items if page else None, page=page
    )
