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


def digest_period(today: dt.date) -> Period:
    """The week a digest made on `today` reports on: Monday to Sunday of the week before, the
    same for the scheduled digest and one asked for by hand."""
    monday = today - dt.timedelta(days=today.weekday())
    return Period(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
