"""The need-to-know promise, act by act and group by group (intake.security.policy).

The table here is written out again on purpose: changing who may do what must be a
deliberate change in two places, never a slip in one.
"""

from types import SimpleNamespace

import pytest

from intake.models import ReportState, Role, SubmissionStatus
from intake.security.policy import (
    RULES,
    Act,
    may,
    may_download_report,
    may_read_submission,
    may_read_version,
    may_share,
    members_visible_to,
    offers_quick_exit,
)

S, C, Z = Role.SUPPORT, Role.CONTACT, Role.CENTRAL
# act: (groups whose members may, groups whose coordinators only may)
PROMISE = {
    Act.SEE_OVERVIEW: ({S, C, Z}, set()),
    Act.SEE_MEMBERS: ({S, C, Z}, set()),
    Act.MANAGE_MEMBERS: (set(), {S, C, Z}),
    Act.DECIDE_REQUESTS: (set(), {S, C, Z}),
    Act.SET_SAFETY: (set(), {S, C, Z}),
    Act.READ_AUDIT_LOG: (set(), {S, C, Z}),
    Act.READ_DEMANDS: ({S, C}, set()),
    Act.PROPOSE_AMENDMENT: ({S, C}, set()),
    Act.DECIDE_AMENDMENT: ({S}, set()),
    Act.RECORD_DEMAND_STATUS: ({C}, set()),
    Act.KEEP_MEETINGS: ({C}, set()),
    Act.KEEP_STEPS: ({C}, set()),
    Act.KEEP_CONTACT_LOG: ({C}, set()),
    Act.READ_CHRONOLOGY: ({C}, set()),
    Act.SEARCH: ({S, C}, set()),
    Act.SEND_CHECKINS: ({C}, set()),
    Act.BUILD_QUESTIONNAIRES: ({C}, set()),
    Act.PUBLISH_QUESTIONNAIRES: (set(), {C}),
    Act.USE_FORMS: ({S, C, Z}, set()),
    Act.SHARE_MINUTES: ({C}, set()),
    Act.SEE_REPORTS: ({S, C, Z}, set()),
    Act.MAKE_REPORTS: ({C}, set()),
    Act.EXPORT: (set(), {C}),
    Act.ERASE: (set(), {C}),
}


def member(role: Role, coordinator: bool = False) -> SimpleNamespace:
    return SimpleNamespace(role=role, is_coordinator=coordinator)


def test_every_act_is_promised() -> None:
    assert set(PROMISE) == set(Act) == set(RULES)


@pytest.mark.parametrize("act", list(Act))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("coordinator", [False, True])
def test_who_may_do_what(act: Act, role: Role, coordinator: bool) -> None:
    members, coordinators = PROMISE[act]
    expected = role in members or (coordinator and role in coordinators | members)
    assert may(member(role, coordinator), act) is expected


def test_templates_ask_by_name_and_a_misspelt_act_is_an_error() -> None:
    assert may(member(C), "log.keep") is True
    assert may(None, "log.keep") is False
    with pytest.raises(ValueError):
        may(member(C), "log.kep")


FORM = SimpleNamespace(fill=["contact"], read=["contact"])
HANDOVER = SimpleNamespace(fill=["support"], read=["support", "contact"])


def submission(form_id="minutes", draft=False, shared=False) -> SimpleNamespace:
    return SimpleNamespace(form_id=form_id, is_draft=draft, shared_with_support=shared)


@pytest.mark.parametrize(
    ("role", "thing", "form", "readable"),
    [
        (C, submission(), FORM, True),
        (S, submission(), FORM, False),
        (S, submission(shared=True), FORM, True),
        (S, submission(draft=True, shared=True), FORM, False),  # a shared draft stays theirs
        (Z, submission(shared=True), FORM, False),
        (C, submission(draft=True), FORM, True),
        (S, submission("handover", draft=True), HANDOVER, True),
        (C, submission("handover", draft=True), HANDOVER, False),  # her unfinished words
        (C, submission("handover"), HANDOVER, True),
    ],
)
def test_who_reads_a_submission(role, thing, form, readable) -> None:
    assert may_read_submission(member(role), thing, form) is readable


@pytest.mark.parametrize(
    ("role", "status", "readable"),
    [
        (C, SubmissionStatus.DRAFT, False),
        (C, SubmissionStatus.SUBMITTED, True),
        (S, SubmissionStatus.DRAFT, True),
    ],
)
def test_earlier_drafts_stay_with_who_fills_the_form(role, status, readable) -> None:
    assert may_read_version(member(role), status, HANDOVER) is readable


@pytest.mark.parametrize(
    ("role", "thing", "shareable"),
    [
        (C, submission(), True),
        (C, submission(draft=True), False),
        (C, submission("contact"), False),
        (S, submission(), False),
    ],
)
def test_only_the_contact_group_shares_single_minutes(role, thing, shareable) -> None:
    assert may_share(member(role), thing) is shareable


def report(state: ReportState, rendered: bool = True) -> SimpleNamespace:
    return SimpleNamespace(state=state, pdf=b"%PDF" if rendered else None)


@pytest.mark.parametrize(
    ("role", "state", "rendered", "she_wants_updates", "downloadable"),
    [
        (C, ReportState.DRAFT, True, False, True),
        (C, ReportState.QUEUED, False, False, False),
        (Z, ReportState.DRAFT, True, False, False),
        (Z, ReportState.RELEASED, True, False, True),
        (Z, ReportState.WITHDRAWN, True, False, False),
        (S, ReportState.RELEASED, True, False, False),
        (S, ReportState.RELEASED, True, True, True),
        (S, ReportState.DRAFT, True, True, False),
    ],
)
def test_who_downloads_a_report_back(role, state, rendered, she_wants_updates, downloadable):
    assert (
        may_download_report(member(role), report(state, rendered), she_wants_updates)
        is downloadable
    )


def test_members_see_their_own_group_and_whom_to_turn_to() -> None:
    kim, lu = member(C, True), member(C)
    sam, sol = member(S), member(S, True)
    alex = member(Z)
    everyone = [kim, lu, sam, sol, alex]
    assert members_visible_to(lu, everyone) == everyone
    assert members_visible_to(sol, everyone) == everyone
    assert members_visible_to(sam, everyone) == [kim, sam, sol]
    assert members_visible_to(alex, everyone) == [kim, sol, alex]


def test_the_support_groups_pages_offer_a_quick_exit() -> None:
    assert offers_quick_exit(member(S)) and not offers_quick_exit(member(C))
    assert not offers_quick_exit(None)
