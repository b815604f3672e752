"""A second factor: time-based one-time codes (TOTP) and one-time recovery codes.

A code is accepted for the current 30-second step and one step either side, and
never twice: the last step used is stored, and a code from that step or an
earlier one is refused (one conditional UPDATE, so two tabs cannot both win).
"""

from __future__ import annotations

import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from markupsafe import Markup

from intake.extensions import db, rows_changed
from intake.models import Account, RecoveryCode, utcnow
from intake.security.encryption import keyring
from intake.security.tokens import hash_token

ISSUER = "intake"
RECOVERY_CODES = 10
STEP = 30


def _context(account: Account) -> str:
    return f"account:{account.id}:totp"


def begin(account: Account) -> str:
    """A new secret, held as pending until a first code proves the authenticator has it."""
    secret = pyotp.random_base32()
    account.totp_pending = keyring().encrypt(secret.encode(), _context(account))
    return secret


def pending_secret(account: Account) -> str | None:
    if account.totp_pending is None:
        return None
    return keyring().decrypt(account.totp_pending, _context(account)).decode()


def qr_code(account: Account, secret: str) -> Markup:
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.username, issuer_name=ISSUER)
    # segno writes plain SVG paths, no script; drawn here, no external service involved.
    return Markup(segno.make(uri, error="m").svg_inline(scale=5, dark="#1f2328"))  # noqa: S704


def _matching_counter(secret: str, code: str, now: float) -> int | None:
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for counter in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(counter * STEP), code):
            return counter
    return None


def confirm(account: Account, code: str, now: float | None = None) -> list[str] | None:
    """Turn the pending secret on if the code fits; returns fresh recovery codes."""
    secret = pending_secret(account)
    counter = _matching_counter(secret, code, now or time.time()) if secret else None
    if counter is None:
        return None
    account.totp_secret = account.totp_pending
    account.totp_pending = None
    account.totp_last_counter = counter
    return new_recovery_codes(account)


def verify(account: Account, code: str, now: float | None = None) -> bool:
    """A code from the authenticator, accepted once; or an unused recovery code."""
    if account.totp_secret is None:
        return False
    secret = keyring().decrypt(account.totp_secret, _context(account)).decode()
    counter = _matching_counter(secret, code, now or time.time())
    if counter is not None:
        return bool(
            rows_changed(
                sa.update(Account)
                .where(
                    Account.id == account.id,
                    sa.or_(
                        Account.totp_last_counter.is_(None), Account.totp_last_counter < counter
                    ),
                )
                .values(totp_last_counter=counter)
                .execution_options(synchronize_session=False)
            )
        )
    return use_recovery_code(account, code)


def new_recovery_codes(account: Account) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = ["-".join(secrets.token_hex(3) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(account_id=account.id, code_hash=hash_token(code)))
    return codes


def use_recovery_code(account: Account, code: str) -> bool:
    return bool(
        rows_changed(
            sa.update(RecoveryCode)
            .where(
                RecoveryCode.account_id == account.id,
                RecoveryCode.code_hash == hash_token(code.strip().lower()),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
    )


def turn_off(account: Account) -> None:
    account.totp_secret = None
    account.totp_pending = None
    account.totp_last_counter = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
