"""Words for the states of things, in the reader's language."""

from flask_babel import gettext as _

from intake.models import (
    DemandStatus,
    Direction,
    MeetingKind,
    MeetingState,
    ReportState,
    StepOwner,
    StepStatus,
)


def demand_status_label(status: DemandStatus) -> str:
    return {
        DemandStatus.NOT_STARTED: _("not started"),
        DemandStatus.IN_PROGRESS: _("in progress"),
        DemandStatus.PARTLY_MET: _("partly met"),
        DemandStatus.MET: _("met"),
        DemandStatus.REFUSED: _("refused"),
    }[status]


def step_status_label(status: StepStatus) -> str:
    return {
        StepStatus.OPEN: _("open"),
        StepStatus.DONE: _("done"),
        StepStatus.MISSED: _("missed"),
        StepStatus.DROPPED: _("dropped"),
    }[status]


def step_owner_label(owner: StepOwner) -> str:
    return {
        StepOwner.HIM: _("he does"),
        StepOwner.CONTACT_GROUP: _("the contact group"),
        StepOwner.AROUND_HIM: _("someone around him"),
    }[owner]


def meeting_kind_label(kind: MeetingKind) -> str:
    return {
        MeetingKind.WITH_HIM: _("Meeting with him"),
        MeetingKind.AROUND_HIM: _("Meeting with people around him"),
        MeetingKind.INTERNAL: _("Contact group meeting"),
    }[kind]


def meeting_state_label(state: MeetingState) -> str:
    return {
        MeetingState.PLANNED: _("planned"),
        MeetingState.HELD: _("held"),
        MeetingState.MISSED: _("missed: he did not come"),
        MeetingState.CANCELLED: _("cancelled"),
    }[state]


def direction_label(direction: Direction) -> str:
    return {
        Direction.WE_WROTE: _("we wrote"),
        Direction.HE_WROTE: _("he wrote"),
        Direction.SOMEONE_ELSE: _("someone else"),
    }[direction]


def report_state_label(state: ReportState) -> str:
    return {
        ReportState.QUEUED: _("waiting to be made"),
        ReportState.RENDERING: _("being made"),
        ReportState.DRAFT: _("draft, not released"),
        ReportState.FAILED: _("could not be made"),
        ReportState.RELEASED: _("released"),
        ReportState.WITHDRAWN: _("withdrawn"),
    }[state]


LABELS = {
    "report_state_label": report_state_label,
    "demand_status_label": demand_status_label,
    "step_status_label": step_status_label,
    "step_owner_label": step_owner_label,
    "meeting_kind_label": meeting_kind_label,
    "meeting_state_label": meeting_state_label,
    "direction_label": direction_label,
}
