"""Typed SQLAlchemy models, one module per part of the domain."""

from intake.models.account import Account, AccountSession, SetupLink
from intake.models.base import Base, utcnow
from intake.models.process import Membership, Process, Role

__all__ = [
    "Account",
    "AccountSession",
    "Base",
    "Membership",
    "Process",
    "Role",
    "SetupLink",
    "utcnow",
]
