"""What a page says about the end of a signed-in session, and when it warns.

The warning appears a few minutes before the idle timeout, because losing an
hour's minutes to it is the worst thing a form can do. Scripts show it at the
right moment, with the time in the reader's own clock, and keep the session open
in the background; without scripts the page says how long it stays signed in.
No time of day is written into the page itself: a page may show an anonymous
answer, which must carry no time finer than its day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask import current_app

from intake.security.sessions import LAST_SEEN_RESOLUTION, SessionEnd, current_end


def figures(end: SessionEnd) -> dict[str, object]:
    """What a page's script needs to warn at the right moment."""
    return {
        "seconds_left": end.seconds_left,
        "warn_seconds": end.warn_seconds,
        "final": end.final,
    }


def for_page() -> dict[str, object] | None:
    """For the page being rendered: when its session ends, or None when signed out."""
    end = current_end()
    if end is None:
        return None
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if not end.final:
        # This very request counted as activity, written down to the minute: the
        # session lasts at least this long, the same figure on every page.
        end = replace(end, seconds_left=int((idle - LAST_SEEN_RESOLUTION).total_seconds()))
        return {"minutes": int(idle.total_seconds() // 60), **figures(end)}
    return {"minutes": max(1, -(-end.seconds_left // 60)), **figures(end)}
