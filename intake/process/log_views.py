"""The contact log with its silence figures, the chronology, and search."""

from flask import g, render_template, request
from flask_babel import get_locale
from wtforms.fields.choices import SelectChoice

from intake.chronology import KINDS, chronology, kind_label
from intake.clock import today
from intake.extensions import db
from intake.glance import silence_of
from intake.models import ContactEntry, Role
from intake.process.forms import ChronologyFilter, SearchForm
from intake.search import search
from intake.security.access import allow, process_blueprint

bp = process_blueprint("log", __name__)


@bp.get("/contacts")
@allow(Role.CONTACT)
def contacts() -> str:
    """Every message sent or received, newest first, with the silence figures."""
    entries = db.session.scalars(
        db.select(ContactEntry)
        .where(ContactEntry.process_id == g.process.id)
        .order_by(ContactEntry.on.desc(), ContactEntry.id.desc())
    ).all()
    return render_template(
        "log/contacts.html", entries=entries, silence=silence_of(g.process, today())
    )


@bp.get("/chronology")
@allow(Role.CONTACT)
def chronology_page() -> str:
    """One dated list of everything, filterable by kind and period."""
    form = ChronologyFilter(request.args)
    form.kind.choices = [SelectChoice(k, kind_label(k)) for k in KINDS]
    valid = form.validate() if request.args else True
    events = chronology(
        g.process,
        today(),
        kinds=set(form.kind.data or []) if valid else None,
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
    )
    return render_template("log/chronology.html", form=form, events=events, kind_label=kind_label)


@bp.get("/search")
@allow(Role.CONTACT, Role.SUPPORT)
def search_page() -> str:
    """Search the records this person's role may read."""
    form = SearchForm(request.args)
    hits = None
    if request.args and form.validate():
        hits = search(
            g.process, g.membership.role.value, form.q.data, str(get_locale() or "en"), today()
        )
    return render_template("log/search.html", form=form, hits=hits)
