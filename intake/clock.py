"""Today's date, in one place, so that every figure counts days the same way."""

from datetime import date

from intake.models import utcnow


def today() -> date:
    return utcnow().date()
