"""Typed SQLAlchemy models, one module per part of the domain."""

from intake.models.account import Account, AccountSession, SetupLink
from intake.models.base import Base, utcnow
from intake.models.process import Membership, Process, Role
from intake.models.record import (
    Demand,
    FormSnapshot,
    Submission,
    SubmissionRevision,
    SubmissionStatus,
)

__all__ = [
    "Account",
    "AccountSession",
    "Base",
    "Demand",
    "FormSnapshot",
    "Membership",
    "Process",
    "Role",
    "SetupLink",
    "Submission",
    "SubmissionRevision",
    "SubmissionStatus",
    "utcnow",
]
