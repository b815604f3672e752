"""The builder: a process's contact group writes its own questionnaires; coordinators publish."""

from __future__ import annotations

from typing import Any

import yaml
from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from intake.extensions import db
from intake.formdef import DefinitionError, form_keys, parse_definition
from intake.formdef.locking import version_from
from intake.formdef.present import annotate, problems
from intake.formdef.travel import travel_label
from intake.formdef.wtf import build_form_class
from intake.models import Questionnaire
from intake.questionnaires import building, editing, imports, store
from intake.questionnaires.forms import (
    HeadingForm,
    QuestionForm,
    SectionForm,
    UploadForm,
    fill_question_form,
    question_of,
    type_label,
)
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("questionnaires", __name__, "/questionnaires")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    """An upload over the limit is refused before any role is checked: say what to do,
    and show nothing of the process."""
    return render_template("questionnaires/too_large.html"), 413


def _locale() -> str:
    return str(get_locale() or "en")


def said(value: Any, locale: str | None = None) -> str:
    """A text of the draft in the reader's language, whatever shape it was typed in."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get(locale or _locale()) or value.get("en") or "")
    return ""


def _questionnaire(questionnaire_id: int) -> Questionnaire:
    return of_this_process(Questionnaire, questionnaire_id)


def _builder(questionnaire: Questionnaire) -> ResponseReturnValue:
    return redirect(url_for("questionnaires.build", questionnaire_id=questionnaire.id))


def _save(questionnaire: Questionnaire, raw: dict[str, Any], lock: str | None) -> bool:
    """Keep the change; False (and told) if someone else saved meanwhile."""
    try:
        store.save_draft(questionnaire, raw, version_from(lock))
    except store.DraftConflict:
        flash(
            _(
                "Someone else changed this questionnaire meanwhile, so your change was not "
                "made. Here is the questionnaire as it is now; make your change again."
            ),
            "error",
        )
        return False
    db.session.commit()
    return True


@bp.get("/")
@allow(Act.BUILD_QUESTIONNAIRES)
def index() -> str:
    """This process's questionnaires, and how to start a new one."""
    rows = []
    for questionnaire in store.of_process(g.process):
        copy_ = store.working_copy(questionnaire)
        rows.append((questionnaire, said(copy_.get("title")), questionnaire.versions))
    return render_template(
        "questionnaires/index.html",
        rows=rows,
        starters=imports.starters(_locale()),
        upload=UploadForm(),
    )


@bp.post("/new")
@allow(Act.BUILD_QUESTIONNAIRES)
def create() -> ResponseReturnValue:
    """A new draft: blank, or a copy of a starter questionnaire."""
    start = request.form.get("start", "blank:link")
    raw = imports.starter(start)
    if raw is None:
        abort(400)
    try:
        claim = form_keys.spend_posted(current_user.id)
    except form_keys.AlreadyStored as earlier:
        return redirect(earlier.path or url_for("questionnaires.index"))
    questionnaire = store.create(g.process, current_user, raw)
    audit.record(
        "questionnaire-created", process=g.process, subject=f"questionnaire:{questionnaire.id}"
    )
    form_keys.settle(claim, url_for("questionnaires.build", questionnaire_id=questionnaire.id))
    db.session.commit()
    return _builder(questionnaire)


@bp.post("/upload")
@allow(Act.BUILD_QUESTIONNAIRES)
def upload() -> ResponseReturnValue:
    """A YAML definition or an XLSForm, checked and kept as a draft with every problem listed."""
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        imported = imports.read_upload(form.file.data)
    except imports.ImportRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("questionnaires.index"))
    questionnaire = store.create(g.process, current_user, imported.raw)
    audit.record(
        "questionnaire-imported", process=g.process, subject=f"questionnaire:{questionnaire.id}"
    )
    db.session.commit()
    flash(_("Imported as a draft. Check it before you publish it."), "info")
    return render_template(
        "questionnaires/imported.html",
        questionnaire=questionnaire,
        not_carried=imported.not_carried,
        problems=store.problems_of(questionnaire, imported.raw),
    )


@bp.get("/<int:questionnaire_id>")
@allow(Act.BUILD_QUESTIONNAIRES)
def build(questionnaire_id: int) -> str:
    """The questionnaire being built: heading, sections and questions, problems, versions."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    return _build_page(questionnaire, raw, HeadingForm(data=_heading_data(raw, questionnaire)))


def _heading_data(raw: dict[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    title = raw.get("title") if isinstance(raw.get("title"), dict) else {}
    intro = raw.get("description") if isinstance(raw.get("description"), dict) else {}
    fill = raw.get("fill") or ["link"]
    return {
        "title_en": said(title, "en"),
        "title_de": said(title, "de"),
        "description_en": said(intro, "en"),
        "description_de": said(intro, "de"),
        "fill": "link" if "link" in fill else "contact",
        "lock_version": questionnaire.lock_version,
    }


def _build_page(
    questionnaire: Questionnaire, raw: dict[str, Any], heading: HeadingForm, status: int = 200
) -> Any:
    return render_template(
        "questionnaires/build.html",
        questionnaire=questionnaire,
        raw=raw,
        heading=heading,
        problems=store.problems_of(questionnaire, raw),
        has_draft=questionnaire.draft is not None,
        next_version=store.next_version(questionnaire),
        used=store.rounds_by_version(questionnaire),
        said=said,
        type_label=type_label,
        travel_label=travel_label,
    ), status


@bp.post("/<int:questionnaire_id>/heading")
@allow(Act.BUILD_QUESTIONNAIRES)
def heading(questionnaire_id: int) -> ResponseReturnValue:
    """Title, introduction and who fills it in."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    form = HeadingForm()
    if not form.validate_on_submit():
        return _build_page(questionnaire, raw, form, 422)
    building.set_heading(
        raw,
        {"en": (form.title_en.data or "").strip(), "de": (form.title_de.data or "").strip()},
        {
            "en": (form.description_en.data or "").strip(),
            "de": (form.description_de.data or "").strip(),
        }
        if (form.description_en.data or form.description_de.data or "").strip()
        else None,
        form.fill.data,
    )
    if _save(questionnaire, raw, form.lock_version.data):
        flash(_("Saved in the draft."), "info")
        return _builder(questionnaire)
    form.lock_version.data = str(questionnaire.lock_version)
    return _build_page(questionnaire, store.working_copy(questionnaire), form, 409)


@bp.post("/<int:questionnaire_id>/change")
@allow(Act.BUILD_QUESTIONNAIRES)
def change(questionnaire_id: int) -> ResponseReturnValue:
    """Add, move or remove a section or a question: one button, one change to the draft."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    try:
        added = building.apply(raw, request.form.get("action", ""))
    except building.UnknownAction:
        flash(
            _("That part of the questionnaire has changed meanwhile; nothing was changed."), "error"
        )
        return _builder(questionnaire)
    if not _save(questionnaire, raw, request.form.get("lock_version")):
        return _builder(questionnaire)
    if added:
        return redirect(
            url_for(
                "questionnaires.question",
                questionnaire_id=questionnaire.id,
                place=editing.place_text(added),
            )
        )
    return _builder(questionnaire)


@bp.route("/<int:questionnaire_id>/sections/<int:section>", methods=["GET", "POST"])
@allow(Act.BUILD_QUESTIONNAIRES)
def section_page(questionnaire_id: int, section: int) -> ResponseReturnValue:
    """A section's id, title and help."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    try:
        current = editing.section(raw, section)
    except editing.NoSuchPlace:
        abort(404)
    form = SectionForm()
    if request.method == "GET":
        title, help_text = current.get("title"), current.get("help")
        form.section_id.data = current.get("id", "")
        form.title_en.data, form.title_de.data = said(title, "en"), said(title, "de")
        form.help_en.data, form.help_de.data = said(help_text, "en"), said(help_text, "de")
        form.lock_version.data = str(questionnaire.lock_version)
    elif form.validate_on_submit():
        help_text = {
            "en": (form.help_en.data or "").strip(),
            "de": (form.help_de.data or "").strip(),
        }
        building.set_section(
            raw,
            section,
            {
                "id": (form.section_id.data or "").strip(),
                "title": {
                    "en": (form.title_en.data or "").strip(),
                    "de": (form.title_de.data or "").strip(),
                },
                "help": help_text if any(help_text.values()) else None,
            },
        )
        if _save(questionnaire, raw, form.lock_version.data):
            flash(_("Saved in the draft."), "info")
            return _builder(questionnaire)
        form.lock_version.data = str(questionnaire.lock_version)
    return render_template(
        "questionnaires/section.html", questionnaire=questionnaire, form=form, number=section
    ), (422 if request.method == "POST" else 200)


@bp.route("/<int:questionnaire_id>/questions/<place>", methods=["GET", "POST"])
@allow(Act.BUILD_QUESTIONNAIRES)
def question(questionnaire_id: int, place: str) -> ResponseReturnValue:
    """One question: its kind, words in both languages, answers, where it may go, condition."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    try:
        where = editing.parse_place(place)
        current = editing.question(raw, where)
    except editing.NoSuchPlace:
        abort(404)
    form = QuestionForm(earlier=editing.earlier_questions(raw, where))
    status = 200
    if request.method == "GET":
        fill_question_form(form, current)
        form.lock_version.data = str(questionnaire.lock_version)
    elif form.validate_on_submit():
        made = editing.replace_question(raw, where, question_of(form))
        if _save(questionnaire, raw, form.lock_version.data):
            mine = [p for p in store.problems_of(questionnaire, raw) if f"'{made['id']}'" in p]
            if not mine:
                flash(_("Saved in the draft."), "info")
                return _builder(questionnaire)
            # Kept in the draft as typed; the page says what still needs fixing.
            form.form_errors.extend(mine)
            status = 422
        else:
            form.lock_version.data = str(questionnaire.lock_version)
            status = 409
    else:
        status = 422
    return render_template(
        "questionnaires/question.html",
        questionnaire=questionnaire,
        form=form,
        place=place,
        nested=len(where) == 3,
        sub_questions=current.get("fields") or [],
        said=said,
        type_label=type_label,
    ), status


@bp.route("/<int:questionnaire_id>/preview", methods=["GET", "POST"])
@allow(Act.BUILD_QUESTIONNAIRES)
def preview(questionnaire_id: int) -> ResponseReturnValue:
    """The draft as a respondent will see it, in English or German; nothing is stored."""
    questionnaire = _questionnaire(questionnaire_id)
    raw = store.working_copy(questionnaire)
    language = request.args.get("language", _locale())
    language = language if language in ("en", "de") else "en"
    try:
        definition = parse_definition(raw, "questionnaire")
    except DefinitionError:
        return render_template(
            "questionnaires/preview.html",
            questionnaire=questionnaire,
            problems=store.problems_of(questionnaire, raw),
            body=None,
            language=language,
        ), 422
    with force_locale(language):
        form = build_form_class(definition, language)(
            formdata=request.form if request.method == "POST" else None
        )
        annotate(form, definition, language)
        if request.method == "POST":
            form.validate()
        # Rendered by Jinja with autoescaping: already safe HTML, in the preview's language.
        body = Markup(  # noqa: S704
            render_template(
                "questionnaires/_respondent.html",
                definition=definition,
                form=form,
                locale=language,
                problems=problems(form),
                travel_label=travel_label,
                by_link="link" in definition.fill,
            )
        )
    return render_template(
        "questionnaires/preview.html",
        questionnaire=questionnaire,
        problems=[],
        body=body,
        language=language,
    )


@bp.post("/<int:questionnaire_id>/publish")
@allow(Act.PUBLISH_QUESTIONNAIRES)
def publish(questionnaire_id: int) -> ResponseReturnValue:
    """Freeze the draft as the next version, if nothing needs fixing."""
    questionnaire = _questionnaire(questionnaire_id)
    if version_from(request.form.get("lock_version")) != questionnaire.lock_version:
        flash(_("The draft changed since you looked at it. Check it, then publish again."), "error")
        return _builder(questionnaire)
    try:
        version = store.publish(questionnaire, current_user)
    except store.Unpublishable:
        flash(_("Not published: fix the problems listed below first."), "error")
        return _builder(questionnaire)
    audit.record(
        "questionnaire-published",
        process=g.process,
        subject=f"questionnaire:{questionnaire.id}:v{version.version}",
    )
    db.session.commit()
    flash(_("Version %(n)d is published and can be used now.", n=version.version), "info")
    return _builder(questionnaire)


@bp.get("/<int:questionnaire_id>/download")
@allow(Act.BUILD_QUESTIONNAIRES)
def download(questionnaire_id: int) -> Response:
    """The questionnaire as the YAML file the loader reads: a version, or the draft."""
    questionnaire = _questionnaire(questionnaire_id)
    wanted = request.args.get("version", "")
    if wanted.isdigit():
        found = [v for v in questionnaire.versions if v.version == int(wanted)]
        if not found:
            abort(404)
        raw = store.raw_of_snapshot(found[0].snapshot)
        name = f"{questionnaire.form_id}-v{wanted}.yaml"
    else:
        raw = store.working_copy(questionnaire)
        name = f"{questionnaire.form_id}-draft.yaml"
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
