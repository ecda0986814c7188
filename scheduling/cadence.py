"""When recurring mail falls due: the weekly digest (and, later, reminders and surveys).

A schedule is a weekday and a local time in the team's zone. `last_due` gives the latest
scheduled moment at or before `now`; `tick` sends what that moment asks for once, keyed by it,
so running it twice for the same moment sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Period:
    """A span of whole days, both ends included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def last_due(weekday: int, at: dt.time, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """The latest moment on `weekday` (0 = Monday) at local time `at` that is not after `now`."""
    local = now.astimezone(zone)
    day = local.date() - dt.timedelta(days=(local.weekday() - weekday) % 7)
    moment = dt.datetime.combine(day, at, tzinfo=zone)
    if moment > local:
        moment = dt.datetime.combine(day - dt.timedelta(days=7), at, tzinfo=zone)
    return moment


def digest_period(due: dt.datetime) -> Period:
    """The week a digest sent at `due` reports on: the seven days before its day."""
    day = due.date()
    return Period(day - dt.timedelta(days=7), day - dt.timedelta(days=1))


def week_until(today: dt.date) -> Period:
    """The seven days ending with `today` (an on-demand digest)."""
    return Period(today - dt.timedelta(days=6), today)
