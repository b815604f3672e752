"""Typed SQLAlchemy models, one module per part of the domain."""

from intake.models.account import Account, AccountSession, RecoveryCode, SetupLink
from intake.models.audit import AuditEvent
from intake.models.base import Base, utcnow
from intake.models.confirmation import ActKind, ActRequest
from intake.models.contact_log import ContactEntry, Direction
from intake.models.demand import (
    AmendmentState,
    Demand,
    DemandAmendment,
    DemandStatus,
    DemandStatusChange,
)
from intake.models.form_key import FormKey
from intake.models.kept_words import KeptWords
from intake.models.meeting import Meeting, MeetingKind, MeetingState
from intake.models.observation import Observation
from intake.models.private_link import CheckinRound, LinkKind, MailState, PrivateLink
from intake.models.process import Membership, Process, Role
from intake.models.questionnaire import Questionnaire, QuestionnaireVersion
from intake.models.report import ReportBack, ReportDownload, ReportState
from intake.models.step import AgreedStep, StepChange, StepOwner, StepStatus
from intake.models.submission import FormSnapshot, Submission, SubmissionRevision, SubmissionStatus
from intake.models.throttle import ThrottleEvent

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
    "KeptWords",
    "LinkKind",
    "MailState",
    "Meeting",
    "MeetingKind",
    "MeetingState",
    "Membership",
    "Observation",
    "PrivateLink",
    "Process",
    "Questionnaire",
    "QuestionnaireVersion",
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
