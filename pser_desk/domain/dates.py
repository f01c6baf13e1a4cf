"""Dates as the record keeps them (ISO ``YYYY-MM-DD`` strings) and ages in whole years."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

# Pakistan Standard Time: no daylight saving since 2009. Receipt numbers, reports and ages
# go by the date in Pakistan.
PAKISTAN_TIME = timezone(timedelta(hours=5), "PKT")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: object) -> date | None:
    """``"1980-03-15"`` -> a date; anything else (wrong type, format or day) -> None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def age_on(born: date, today: date) -> int:
    """Completed years between *born* and *today* (negative if born after today)."""
    years = today.year - born.year
    if (today.month, today.day) < (born.month, born.day):
        years -= 1
    return years


def years_before(today: date, years: int) -> date:
    """The same day *years* earlier (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def pakistan_date(moment: datetime) -> date:
    """The date in Pakistan at *moment* (an aware time)."""
    return moment.astimezone(PAKISTAN_TIME).date()
