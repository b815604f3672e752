"""Server-side sign-in sessions: the cookie names a session row, and the row decides.

A copied cookie is worth nothing once its row has ended (sign-out, password
change, deactivation), and sessions end by themselves when idle or too old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_login import login_user
from sqlalchemy.orm import joinedload

from intake.extensions import db, rows_changed
from intake.models import Account, AccountSession, utcnow
from intake.security.tokens import hash_token, new_token

SESSION_KEY = "sid"
ENDS_KEY = "ends"  # when the server-side session ends at the latest, as a Unix time
# Writing last_seen on every request would turn every page view into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
# How long before the idle timeout a page warns, with a button to stay signed in
# (never more than half the idle time, so a short timeout still leaves time to work).
WARN_BEFORE = timedelta(minutes=5)


def start_session(account: Account) -> AccountSession:
    """Sign this browser in with a brand-new session id (no fixation), for Flask-Login too."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    token = new_token()
    row = AccountSession(account_id=account.id, token_hash=hash_token(token), device=device_hint())
    db.session.add(row)
    db.session.flush()
    session[SESSION_KEY] = token
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    session[ENDS_KEY] = int((utcnow() + absolute).timestamp())
    session.permanent = True
    login_user(account)
    return row


def device_hint() -> str:
    """Browser and system from the User-Agent, coarsely: enough to recognise, not to track."""
    agent = request.headers.get("User-Agent", "")
    browser = next((b for b in ("Firefox", "Edg", "Chrome", "Safari") if b in agent), "")
    system = next(
        (s for s in ("Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux") if s in agent), ""
    )
    browser = {"Edg": "Edge"}.get(browser, browser)
    return " · ".join(part for part in (browser, system) if part)[:80]


def sessions_of(account: Account) -> list[AccountSession]:
    return list(
        db.session.scalars(
            sa.select(AccountSession)
            .where(AccountSession.account_id == account.id, AccountSession.ended_at.is_(None))
            .order_by(AccountSession.last_seen_at.desc())
        )
    )


def is_current(row: AccountSession) -> bool:
    token = session.get(SESSION_KEY)
    if not token:
        return False
    return row.token_hash == hash_token(token)


def end_session(account: Account, session_id: int, reason: str = "ended-by-owner") -> bool:
    """End one of this account's sessions; False if it is not theirs or already ended."""
    return bool(
        rows_changed(
            sa.update(AccountSession)
            .where(
                AccountSession.id == session_id,
                AccountSession.account_id == account.id,
                AccountSession.ended_at.is_(None),
            )
            .values(ended_at=utcnow(), ended_reason=reason)
        )
    )


def end_current_session(reason: str = "signed-out") -> None:
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(
            sa.update(AccountSession)
            .where(
                AccountSession.token_hash == hash_token(token), AccountSession.ended_at.is_(None)
            )
            .values(ended_at=utcnow(), ended_reason=reason)
        )
    session.clear()


def end_sessions_of(account: Account, reason: str, *, keep_current: bool = False) -> int:
    """End every open session of an account; returns how many were ended."""
    stmt = sa.update(AccountSession).where(
        AccountSession.account_id == account.id, AccountSession.ended_at.is_(None)
    )
    token = session.get(SESSION_KEY) if keep_current else None
    if token:
        stmt = stmt.where(AccountSession.token_hash != hash_token(token))
    return rows_changed(stmt.values(ended_at=utcnow(), ended_reason=reason))


def _expired(row: AccountSession, now: datetime) -> str | None:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if now - row.last_seen_at > idle:
        return "idle"
    if now - row.created_at > absolute:
        return "expired"
    return None


def account_for_request(account_id: str) -> Account | None:
    """Flask-Login's user loader: the account only if this browser's session is alive."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = _row_of(token)
    if row is None or row.ended_at is not None or str(row.account_id) != account_id:
        return None
    now = utcnow()
    reason = _expired(row, now)
    if reason:
        row.ended_at, row.ended_reason = now, reason
        db.session.commit()
        return None
    account = row.account
    if account.is_deactivated:
        return None
    if now - row.last_seen_at > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.session.commit()
    return account


@dataclass(frozen=True)
class SessionEnd:
    """When this browser's session ends if nothing more is sent, and when to warn."""

    at: datetime
    seconds_left: int
    warn_seconds: int
    # The session's last hour is near: staying signed in cannot move the end.
    final: bool


def _row_of(token: str) -> AccountSession | None:
    """The session row of this token, read once per request: the sign-in check and the
    page's timeout notice ask for it both. The row is kept for the request only; a commit
    expires it (so it is read again), and an UPDATE ending it changes it in place."""
    found = g.get("intake_session_row")
    if found is not None and found[0] == token and sa.inspect(found[1]).persistent:
        return found[1]
    row = db.session.scalar(
        sa.select(AccountSession)
        .options(joinedload(AccountSession.account))  # the sign-in check reads both
        .where(AccountSession.token_hash == hash_token(token))
    )
    if row is not None:
        g.intake_session_row = (token, row)
    return row


def _current_row() -> AccountSession | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = _row_of(token)
    return row if row is not None and row.ended_at is None else None


def _end_of(row: AccountSession, now: datetime) -> SessionEnd:
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    idle_end, last_hour = row.last_seen_at + idle, row.created_at + absolute
    at = min(idle_end, last_hour)
    return SessionEnd(
        at=at,
        seconds_left=max(0, int((at - now).total_seconds())),
        warn_seconds=int(min(WARN_BEFORE, idle / 2).total_seconds()),
        final=last_hour <= now + idle,
    )


def current_end(now: datetime | None = None) -> SessionEnd | None:
    """When the signed-in session of this browser ends, or None if there is none."""
    row = _current_row()
    return _end_of(row, now or utcnow()) if row is not None else None


def stay_signed_in(now: datetime | None = None) -> SessionEnd | None:
    """Count now as activity, so the idle timeout starts again; None if signed out."""
    now = now or utcnow()
    row = _current_row()
    if row is None or _expired(row, now):
        return None
    row.last_seen_at = now
    return _end_of(row, now)


class BoundedCookies(SecureCookieSessionInterface):
    """A session cookie that the browser drops no later than the server ends the session.

    Flask would give a signed-in browser a cookie for 31 days; ours expires
    after the idle time, renewed on each request, and never after the
    session's last hour, so a stale cookie does not linger on a shared computer.
    """

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        # A page's scripts and styles may still be loading when the person goes on (a
        # check-in link opened from the page just shown): their responses, sent after
        # the next page's, would put back the cookie as it was before that page changed
        # it. A static file changes nothing, so it leaves the cookie alone.
        if request.endpoint == "static":
            return False
        return super().should_set_cookie(app, session)

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        if not session.permanent:
            return None
        idle = datetime.now(UTC) + timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        ends = session.get(ENDS_KEY)
        if ends is None:
            return idle
        return min(idle, datetime.fromtimestamp(int(ends), UTC))
