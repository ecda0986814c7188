"""Choosing meeting times: milestone reviews, meetings a client proposed, the status series.

All pure: a `WorkCalendar`, the meetings already booked (`busy`) and an explicit `earliest`
(usually now) in, `Interval`s in the team zone out.

How a free slot is found (`nearest_free`): candidates start on a grid of `step` (30 minutes)
from the start of each working-hour range, plus the wanted time itself; a candidate must fit
inside one range, overlap nothing in `busy` and not start before `earliest`. The wanted day is
searched first, nearest time first, earlier before later at equal distance ("walk back, then
forward"); then the working day before, the working day after, two before, two after, and so on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from scheduling.calendar import SEARCH_LIMIT_DAYS, CalendarError, Interval, WorkCalendar

DEFAULT_DURATION = dt.timedelta(hours=1)
DEFAULT_STEP = dt.timedelta(minutes=30)
#: The review's time of day when nothing else is said.
DEFAULT_REVIEW_TIME = dt.time(10, 0)
#: How many working days either side of the wanted day a search may look at.
SEARCH_WORKING_DAYS = 60


def review_slot(
    due: dt.date,
    *,
    calendar: WorkCalendar,
    busy: Sequence[Interval],
    earliest: dt.datetime,
    duration: dt.timedelta = DEFAULT_DURATION,
    days_before: int = 2,
    at: dt.time = DEFAULT_REVIEW_TIME,
    step: dt.timedelta = DEFAULT_STEP,
    not_after_due: bool = False,
) -> Interval:
    """The review meeting of a milestone due on `due`.

    Wanted: `days_before` working days before `due`, at local time `at`. When that is taken,
    outside working hours or before `earliest`, the nearest free slot (see the module doc): it
    may land on the due day or after it when everything before is taken or already past, unless
    `not_after_due` is set, in which case a `CalendarError` says so.
    """
    wanted_day = calendar.working_days_before(due, days_before)
    wanted = dt.datetime.combine(wanted_day, at, tzinfo=calendar.zone)
    limit = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=calendar.zone) if not_after_due else None
    found = nearest_free(wanted, duration=duration, calendar=calendar, busy=busy, earliest=earliest, step=step, latest_end=limit)
    if found is None:
        raise CalendarError(
            f"no free {_minutes(duration)}-minute slot in working hours for the review of {due.isoformat()}"
            + (" on or before its due date" if not_after_due else f" within {SEARCH_WORKING_DAYS} working days")
        )
    return found


def accept_or_propose(
    proposed: dt.datetime,
    *,
    calendar: WorkCalendar,
    busy: Sequence[Interval],
    duration: dt.timedelta = DEFAULT_DURATION,
    earliest: dt.datetime | None = None,
    step: dt.timedelta = DEFAULT_STEP,
) -> tuple[Interval, bool]:
    """A meeting someone proposed ("下周二下午3点开个评审会？"): ``(the meeting, True)`` when
    ``[proposed, proposed + duration)`` is on a working day, inside working hours, free and not
    before `earliest`; otherwise ``(the nearest free slot, False)`` — a counter-proposal."""
    local = calendar.local(proposed)
    asked = Interval(local, local + duration)
    if _fits(asked, calendar, busy, earliest):
        return asked, True
    found = nearest_free(local, duration=duration, calendar=calendar, busy=busy, earliest=earliest, step=step)
    if found is None:
        raise CalendarError(f"no free {_minutes(duration)}-minute slot within {SEARCH_WORKING_DAYS} working days of {local.isoformat()}")
    return found, False


def nearest_free(
    wanted: dt.datetime,
    *,
    calendar: WorkCalendar,
    busy: Sequence[Interval],
    duration: dt.timedelta = DEFAULT_DURATION,
    earliest: dt.datetime | None = None,
    step: dt.timedelta = DEFAULT_STEP,
    latest_end: dt.datetime | None = None,
) -> Interval | None:
    """The free slot nearest `wanted` (see the module doc), or None within the search limit."""
    if duration <= dt.timedelta(0) or step <= dt.timedelta(0):
        raise CalendarError("duration and step must be positive")
    local = calendar.local(wanted)
    for day in _days_around(calendar, local.date()):
        if latest_end is not None and dt.datetime.combine(day, dt.time(0), tzinfo=calendar.zone) >= latest_end:
            continue
        if earliest is not None and day < calendar.local(earliest).date():
            continue
        target = dt.datetime.combine(day, local.time(), tzinfo=calendar.zone)
        for slot in sorted(_candidates(calendar, day, duration, step, target),
                           key=lambda s: (abs(s.start - target), s.start)):
            if latest_end is not None and slot.end > latest_end:
                continue
            if _fits(slot, calendar, busy, earliest):
                return slot
    return None


Holidays = Literal["move", "skip"]


def recurring(
    start_date: dt.date,
    weekday: int,
    at: dt.time,
    *,
    calendar: WorkCalendar,
    every_weeks: Literal[1, 2] = 1,
    duration: dt.timedelta = DEFAULT_DURATION,
    count: int | None = None,
    until: dt.date | None = None,
    on_holiday: Holidays = "move",
) -> list[Interval]:
    """A project's status meeting: every `every_weeks` weeks on `weekday` (0 = Monday) at local
    time `at`, from the first such day on or after `start_date`.

    An occurrence that falls on a day off is, with ``on_holiday="move"`` (the default), moved
    to the next working day at the same time — but only when that day comes before the next
    regular occurrence; otherwise (a whole Golden Week off) it is dropped rather than doubled
    up. With ``on_holiday="skip"`` it is always dropped. `count` is the number of meetings
    returned (dropped occurrences do not count); `until` (inclusive) bounds the regular dates.
    At least one of them is required.
    """
    return [held for _regular, held in _series(start_date, weekday, at, calendar, every_weeks, duration, count, until, on_holiday)
            if held is not None]


@dataclass(frozen=True, slots=True)
class Series:
    """`recurring` as one iCalendar series: DTSTART/DTEND of the first regular occurrence
    (`first`), an RRULE bounded by UNTIL, EXDATEs for the regular occurrences not held on their
    day and RDATEs for the days they moved to. Expanding it gives exactly `meetings`."""

    first: Interval
    rrule: str
    exdates: tuple[dt.datetime, ...]
    rdates: tuple[dt.datetime, ...]
    meetings: tuple[Interval, ...]


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def series(
    start_date: dt.date,
    weekday: int,
    at: dt.time,
    *,
    calendar: WorkCalendar,
    every_weeks: Literal[1, 2] = 1,
    duration: dt.timedelta = DEFAULT_DURATION,
    count: int | None = None,
    until: dt.date | None = None,
    on_holiday: Holidays = "move",
) -> Series:
    """The same meetings as `recurring`, written as RRULE + EXDATE + RDATE for one invitation
    (`scheduling.ical.Invite` takes `rrule`, `exdates` and `rdates`)."""
    pairs = _series(start_date, weekday, at, calendar, every_weeks, duration, count, until, on_holiday)
    if not pairs:
        raise CalendarError("the recurring meeting has no occurrence")
    last_regular = pairs[-1][0]
    until_utc = last_regular.start.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    rrule = f"FREQ=WEEKLY;INTERVAL={every_weeks};BYDAY={_BYDAY[weekday]};UNTIL={until_utc}"
    exdates = tuple(regular.start for regular, held in pairs if held != regular)
    rdates = tuple(held.start for regular, held in pairs if held is not None and held != regular)
    return Series(
        first=pairs[0][0],
        rrule=rrule,
        exdates=exdates,
        rdates=rdates,
        meetings=tuple(held for _regular, held in pairs if held is not None),
    )


def _series(
    start_date: dt.date,
    weekday: int,
    at: dt.time,
    calendar: WorkCalendar,
    every_weeks: int,
    duration: dt.timedelta,
    count: int | None,
    until: dt.date | None,
    on_holiday: Holidays,
) -> list[tuple[Interval, Interval | None]]:
    """(regular occurrence, meeting actually held or None) in order."""
    if count is None and until is None:
        raise CalendarError("a recurring meeting needs `count` or `until`")
    if every_weeks not in (1, 2):
        raise CalendarError(f"every_weeks must be 1 or 2, not {every_weeks}")
    if not 0 <= weekday <= 6:
        raise CalendarError(f"weekday must be 0 (Monday) … 6 (Sunday), not {weekday}")
    if on_holiday not in ("move", "skip"):
        raise CalendarError(f"on_holiday must be 'move' or 'skip', not {on_holiday!r}")
    zone = calendar.zone
    period = dt.timedelta(weeks=every_weeks)
    day = start_date + dt.timedelta(days=(weekday - start_date.weekday()) % 7)
    pairs: list[tuple[Interval, Interval | None]] = []
    held_count = 0
    for _ in range(SEARCH_LIMIT_DAYS // 7):
        if until is not None and day > until:
            break
        if count is not None and held_count >= count:
            break
        held: dt.date | None = day
        if not calendar.is_working_day(day):
            held = None
            if on_holiday == "move":
                moved = calendar.add_working_days(day, 1)
                if moved < day + period:
                    held = moved
        regular_start = dt.datetime.combine(day, at, tzinfo=zone)
        regular = Interval(regular_start, regular_start + duration)
        meeting = None
        if held is not None:
            start = dt.datetime.combine(held, at, tzinfo=zone)
            meeting = Interval(start, start + duration)
            held_count += 1
        pairs.append((regular, meeting))
        day += period
    return pairs


# --- helpers ---------------------------------------------------------------------------


def _fits(slot: Interval, calendar: WorkCalendar, busy: Sequence[Interval], earliest: dt.datetime | None) -> bool:
    if earliest is not None and slot.start < earliest:
        return False
    if not calendar.is_within_working_hours(slot.start, slot.end):
        return False
    return not any(slot.overlaps(other) for other in busy)


def _candidates(
    calendar: WorkCalendar, day: dt.date, duration: dt.timedelta, step: dt.timedelta, exact: dt.datetime
) -> Iterator[Interval]:
    seen: set[dt.datetime] = set()
    for period in calendar.working_periods(day):
        start = period.start
        while start + duration <= period.end:
            seen.add(start)
            yield Interval(start, start + duration)
            start += step
        if period.start <= exact and exact + duration <= period.end and exact not in seen:
            yield Interval(exact, exact + duration)


def _days_around(calendar: WorkCalendar, day: dt.date) -> Iterator[dt.date]:
    """The working days nearest `day`: itself (when working), then one before, one after …"""
    if calendar.is_working_day(day):
        yield day
    back = forward = day
    for _ in range(SEARCH_WORKING_DAYS):
        back = calendar.add_working_days(back, -1)
        yield back
        forward = calendar.add_working_days(forward, 1)
        yield forward


def _minutes(duration: dt.timedelta) -> int:
    return int(duration.total_seconds() // 60)
