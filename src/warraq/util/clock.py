"""The time warraq writes into files: ``SOURCE_DATE_EPOCH`` when set, else now, in UTC."""

from __future__ import annotations

import datetime as dt
import os

from warraq.errors import WarraqError


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC datetime, when set (reproducible builds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise WarraqError(
            f"SOURCE_DATE_EPOCH is {value!r}; set it to a whole number of seconds since 1970"
        ) from None


def now() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` if set, else the current time; UTC, to the minute."""
    moment = source_date_epoch() or dt.datetime.now(dt.UTC)
    return moment.replace(second=0, microsecond=0)


def po_date(moment: dt.datetime) -> str:
    """A date as gettext headers write it.

    >>> po_date(dt.datetime(2024, 6, 1, 9, 5, tzinfo=dt.UTC))
    '2024-06-01 09:05+0000'
    """
    return moment.strftime("%Y-%m-%d %H:%M%z")
