"""Typed SQLAlchemy models, one module per part of the domain."""

from intake.models.account import Account, AccountSession, RecoveryCode, SetupLink
from intake.models.audit import AuditEvent
from intake.models.base import Base, utcnow
from intake.models.demand import (
    AgreedStep,
    AmendmentState,
    Demand,
    DemandAmendment,
    DemandStatus,
    DemandStatusChange,
    StepChange,
    StepOwner,
    StepStatus,
)
from intake.models.form_key import FormKey
from intake.models.invitation import CheckinRound, Invitation, InvitationKind, ThrottleEvent
from intake.models.meeting import ContactEntry, Direction, Meeting, MeetingKind, MeetingState
from intake.models.observation import Observation
from intake.models.process import ActKind, ActRequest, Membership, Process, Role
from intake.models.record import FormSnapshot, Submission, SubmissionRevision, SubmissionStatus
from intake.models.report import ReportBack, ReportDownload, ReportState

__all__ = [
    "Account",
    "AccountSession",
    "ActKind",
    "ActRequest",
    "AgreedStep",
    "AmendmentState",
    "AuditEvent",
    "Base",
    "CheckinRound",
    "ContactEntry",
    "Demand",
    "DemandAmendment",
    "DemandStatus",
    "DemandStatusChange",
    "Direction",
    "FormKey",
    "FormSnapshot",
    "Invitation",
    "InvitationKind",
    "Meeting",
    "MeetingKind",
    "MeetingState",
    "Membership",
    "Observation",
    "Process",
    "RecoveryCode",
    "ReportBack",
    "ReportDownload",
    "ReportState",
    "Role",
    "SetupLink",
    "StepChange",
    "StepOwner",
    "StepStatus",
    "Submission",
    "SubmissionRevision",
    "SubmissionStatus",
    "ThrottleEvent",
    "utcnow",
]
