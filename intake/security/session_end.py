"""What a page says about the end of a signed-in session: the time, and the warning.

The warning appears a few minutes before the idle timeout, because losing an
hour's minutes to it is the worst thing a form can do. Scripts show it at the
right moment and keep the session open in the background; without scripts the
page says from the start when the session ends.
"""

from __future__ import annotations

from flask_babel import format_time, get_timezone
from flask_babel import gettext as _

from intake.security.sessions import SessionEnd, current_end


def end_time(end: SessionEnd) -> str:
    """The time the session ends, in the instance's time zone, with the zone named."""
    return f"{format_time(end.at, 'short')} ({get_timezone()})"


def words(end: SessionEnd) -> dict[str, object]:
    """The figures and sentences a page's script needs, in the reader's language."""
    if end.final:
        warning = _(
            "This session reaches its longest time at %(time)s and cannot be extended. "
            "Save what you have typed now.",
            time=end_time(end),
        )
    else:
        warning = _(
            "Nothing has been sent from this page for a while, so you will be signed out at "
            "%(time)s. What you have typed stays on this page.",
            time=end_time(end),
        )
    return {
        "warning": warning,
        "seconds_left": end.seconds_left,
        "warn_seconds": end.warn_seconds,
        "final": end.final,
        "stayed": _(
            "You stay signed in. If nothing is sent from this page, you will be signed out "
            "at %(time)s.",
            time=end_time(end),
        ),
    }


def for_page() -> dict[str, object] | None:
    """For the page being rendered: when its session ends, or None when signed out."""
    end = current_end()
    if end is None:
        return None
    return {"end": end, "time": end_time(end), **words(end)}
