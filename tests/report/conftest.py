"""A process with the demo story plus planted markers in every field that must not travel."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from intake.cli.demo_data import load_story
from intake.clock import today
from intake.extensions import db
from intake.models import Role
from intake.submissions import service
from tests import factories

NEVER = "NEVER-MARKER-7731"
INTERNAL = "INTERNAL-MARKER-2294"
NO_CONSENT = "NOCONSENT-MARKER-5120"
REPORTABLE = "REPORT-MARKER-8080"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def story(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.member(alpha, "alex", Role.CENTRAL)
        load_story(alpha, sam, kim, today())
        handover = service.first_of(alpha, "handover")
        answers = service.answers_of(handover)
        answers.update(never_pass_on=NEVER, update_how=NEVER, aims=INTERNAL, history=INTERNAL)
        service.save(
            alpha,
            service.definition("handover"),
            sam,
            answers,
            submission=handover,
            started_from=handover.lock_version,
            submit=True,
        )
        recent = (today() - timedelta(days=5)).isoformat()
        factories.record(
            alpha,
            "contact",
            kim,
            {"date": recent, "channel": "email", "direction": "we_wrote", "summary": INTERNAL},
        )
        factories.record(
            alpha,
            "minutes",
            kim,
            {
                "kind": "internal",
                "planned_date": recent,
                "outcome": "held",
                "group_notes": INTERNAL,
                "his_reflections": REPORTABLE,
            },
        )
        from intake.checkins import private_links

        _round, issued = private_links.start_round(
            alpha,
            title="R",
            form_id="checkin",
            intro="",
            days=7,
            by=kim,
            people=[private_links.Person("neighbour", ""), private_links.Person("cousin", "")],
        )
        for item, answers in zip(
            issued,
            (
                {
                    "what_he_said": NO_CONSENT,
                    "reach_you": NEVER,
                    "which_groups": INTERNAL,
                    "groups_not_told": "yes",
                    "quote_consent": "no",
                },
                {"what_he_said": REPORTABLE + " quoted", "quote_consent": "yes", "told": "yes"},
            ),
            strict=True,
        ):
            saved = service.save(alpha, service.definition("checkin"), None, answers, submit=True)
            item.link.submission_id = saved.submission.id
            item.link.answered_at = saved.submission.submitted_at
        assessment = factories.record(
            alpha,
            "report",
            kim,
            {
                "assessment": "He refuses every demand. " + REPORTABLE,
                "internal_notes": INTERNAL,
            },
        )
        db.session.commit()
        return {"process_id": alpha.id, "assessment_id": assessment.id}
