"""Dates and times typed on the command line, read the same way by every `candor` command."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Optional

from bot.cli.errors import CommandError


def utc_moment(value: Optional[str], option: str) -> Optional[datetime]:
    """A date (midnight UTC) or an ISO time (UTC unless it says otherwise); None stays None."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=timezone.utc)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date: give one like 2026-11-27 or 2026-11-27T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
