"""Choosing meeting times on real Chinese working days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject

from scheduling.calendar import CalendarError, Interval, WorkCalendar
from scheduling.ical import Attendee, Invite, Party, to_ics
from scheduling.slots import Series, accept_or_propose, nearest_free, recurring, review_slot, series

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar()
HOUR = dt.timedelta(hours=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def slot(day: dt.date, hour: int, minute: int = 0, length: dt.timedelta = HOUR) -> Interval:
    return Interval(at(day, hour, minute), at(day, hour, minute) + length)


EARLY = at(D(2026, 3, 1), 9)


# --- review_slot --------------------------------------------------------------------------------


def test_review_two_working_days_before_due_at_ten() -> None:
    # Due Tuesday 31 March 2026 → Friday 27 March, 10:00–11:00.
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=[], earliest=EARLY) == slot(D(2026, 3, 27), 10)


def test_review_skips_golden_week() -> None:
    # Due Thursday 8 October 2026: two working days before is Tuesday 29 September.
    got = review_slot(D(2026, 10, 8), calendar=CN, busy=[], earliest=at(D(2026, 9, 1), 9))
    assert got == slot(D(2026, 9, 29), 10)
    # Due Monday 12 October: Saturday 10 October is a make-up working day, so two before is Friday 9.
    got = review_slot(D(2026, 10, 12), calendar=CN, busy=[], earliest=at(D(2026, 9, 1), 9))
    assert got == slot(D(2026, 10, 9), 10)
    got = review_slot(D(2026, 10, 12), days_before=1, calendar=CN, busy=[], earliest=at(D(2026, 9, 1), 9))
    assert got == slot(D(2026, 10, 10), 10)


def test_review_walks_back_then_forward_around_busy_time() -> None:
    day = D(2026, 3, 27)
    busy = [slot(day, 10)]
    # 09:30 and 10:30 clash; 09:00 and 11:00 are equally near: back first.
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(day, 9)
    busy = [slot(day, 10), slot(day, 9)]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(day, 11)
    busy = [Interval(at(day, 10), at(day, 10, 30))]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(day, 10, 30)
    busy = [Interval(at(day, 9, 30), at(day, 11))]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(day, 11)
    # 10:00 taken with room before it: 09:00 is reachable (30 minutes back clashes, 60 back is free).
    busy = [Interval(at(day, 10), at(day, 12)), Interval(at(day, 13, 30), at(day, 18))]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(day, 9)


def test_review_moves_to_the_working_day_before_when_its_day_is_full() -> None:
    day = D(2026, 3, 27)
    busy = [Interval(at(day, 9), at(day, 18))]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy, earliest=EARLY) == slot(D(2026, 3, 26), 10)


def test_review_not_before_earliest() -> None:
    # Now is Friday 27 March 14:05: the 10:00 slot is past; the nearest later slot that day.
    now = at(D(2026, 3, 27), 14, 5)
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=[], earliest=now) == slot(D(2026, 3, 27), 14, 30)
    # Now is after working hours on the last day before due: the review goes on Monday 30.
    now = at(D(2026, 3, 27), 18, 30)
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=[], earliest=now) == slot(D(2026, 3, 30), 10)


def test_review_never_on_a_day_off() -> None:
    # Review of something due right after the Spring Festival: never inside the holiday.
    got = review_slot(D(2026, 2, 25), calendar=CN, busy=[], earliest=at(D(2026, 2, 1), 9))
    assert got == slot(D(2026, 2, 14), 10)  # the make-up Saturday is two working days before
    assert CN.is_working_day(got.start.date())


def test_review_respects_not_after_due() -> None:
    due = D(2026, 3, 31)
    now = at(due, 18, 30)
    with pytest.raises(CalendarError, match="on or before its due date"):
        review_slot(due, calendar=CN, busy=[], earliest=now, not_after_due=True)
    assert review_slot(due, calendar=CN, busy=[], earliest=now) == slot(D(2026, 4, 1), 10)


def test_review_custom_time_and_duration() -> None:
    got = review_slot(
        D(2026, 3, 31), calendar=CN, busy=[], earliest=EARLY, at=dt.time(15), duration=dt.timedelta(minutes=90)
    )
    assert got == slot(D(2026, 3, 27), 15, 0, dt.timedelta(minutes=90))
    # 11:00 for 90 minutes would run into lunch: the nearest fit is 10:30–12:00.
    got = review_slot(
        D(2026, 3, 31), calendar=CN, busy=[], earliest=EARLY, at=dt.time(11), duration=dt.timedelta(minutes=90)
    )
    assert got == slot(D(2026, 3, 27), 10, 30, dt.timedelta(minutes=90))


def test_review_results_are_in_the_team_zone() -> None:
    got = review_slot(D(2026, 3, 31), calendar=CN, busy=[], earliest=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc))
    assert got.start.tzinfo == SHANGHAI and got.end.tzinfo == SHANGHAI


def test_busy_in_another_zone_is_respected() -> None:
    day = D(2026, 3, 27)
    busy_utc = [Interval(dt.datetime(2026, 3, 27, 2, tzinfo=dt.timezone.utc), dt.datetime(2026, 3, 27, 3, tzinfo=dt.timezone.utc))]
    assert review_slot(D(2026, 3, 31), calendar=CN, busy=busy_utc, earliest=EARLY) == slot(day, 9)


# --- accept_or_propose --------------------------------------------------------------------------


def test_a_free_proposal_in_working_hours_is_accepted() -> None:
    # "下周二下午3点开个评审会？" → Tuesday 17 March 2026 15:00.
    meeting, accepted = accept_or_propose(at(D(2026, 3, 17), 15), calendar=CN, busy=[])
    assert accepted and meeting == slot(D(2026, 3, 17), 15)


def test_a_busy_proposal_gets_the_nearest_free_slot() -> None:
    tuesday = D(2026, 3, 17)
    busy = [slot(tuesday, 15)]
    # 14:30 and 15:30 clash; 14:00 and 16:00 are both an hour away: walking back wins the tie.
    meeting, accepted = accept_or_propose(at(tuesday, 15), calendar=CN, busy=busy)
    assert not accepted and meeting == slot(tuesday, 14)
    busy = [Interval(at(tuesday, 14, 30), at(tuesday, 16))]
    meeting, accepted = accept_or_propose(at(tuesday, 15), calendar=CN, busy=busy)
    assert not accepted and meeting == slot(tuesday, 16)  # 13:30 is 90 minutes back, 16:00 one forward


def test_a_proposal_outside_hours_or_on_a_holiday_is_countered() -> None:
    meeting, accepted = accept_or_propose(at(D(2026, 3, 17), 20), calendar=CN, busy=[])
    assert not accepted and meeting == slot(D(2026, 3, 17), 17)
    meeting, accepted = accept_or_propose(at(D(2026, 3, 17), 12), calendar=CN, busy=[])  # lunch
    assert not accepted and meeting == slot(D(2026, 3, 17), 11)
    # Friday 2 October 2026 (National Day): the working day before is Wednesday 30 September.
    meeting, accepted = accept_or_propose(at(D(2026, 10, 2), 15), calendar=CN, busy=[])
    assert not accepted and meeting == slot(D(2026, 9, 30), 15)
    # ... unless that is already past: then Thursday 8 October.
    meeting, accepted = accept_or_propose(at(D(2026, 10, 2), 15), calendar=CN, busy=[], earliest=at(D(2026, 10, 1), 9))
    assert not accepted and meeting == slot(D(2026, 10, 8), 15)


def test_a_proposal_in_the_past_is_countered() -> None:
    meeting, accepted = accept_or_propose(
        at(D(2026, 3, 17), 15), calendar=CN, busy=[], earliest=at(D(2026, 3, 17), 15, 10)
    )
    assert not accepted and meeting == slot(D(2026, 3, 17), 15, 30)


def test_a_proposal_off_the_half_hour_grid_is_kept() -> None:
    meeting, accepted = accept_or_propose(at(D(2026, 3, 17), 15, 15), calendar=CN, busy=[])
    assert accepted and meeting.start == at(D(2026, 3, 17), 15, 15)


def test_nearest_free_gives_up_with_none() -> None:
    everything = [Interval(at(D(2025, 1, 1), 0), at(D(2028, 1, 1), 0))]
    assert nearest_free(at(D(2026, 3, 17), 15), calendar=CN, busy=everything) is None
    with pytest.raises(CalendarError, match="no free 60-minute slot"):
        accept_or_propose(at(D(2026, 3, 17), 15), calendar=CN, busy=everything)


# --- recurring ------------------------------------------------------------------------------------


def test_weekly_status_meeting() -> None:
    got = recurring(D(2026, 3, 9), 3, dt.time(10), calendar=CN, count=3)  # Thursdays
    assert got == [slot(D(2026, 3, 12), 10), slot(D(2026, 3, 19), 10), slot(D(2026, 3, 26), 10)]


def test_fortnightly_until() -> None:
    got = recurring(D(2026, 3, 12), 3, dt.time(10), calendar=CN, every_weeks=2, until=D(2026, 4, 23))
    assert [m.start.date() for m in got] == [D(2026, 3, 12), D(2026, 3, 26), D(2026, 4, 9), D(2026, 4, 23)]


def test_a_holiday_moves_the_meeting_to_the_next_working_day() -> None:
    # Monday meetings: Monday 6 April 2026 is Qingming → Tuesday 7 April.
    got = recurring(D(2026, 3, 30), 0, dt.time(10), calendar=CN, until=D(2026, 4, 13))
    assert [m.start.date() for m in got] == [D(2026, 3, 30), D(2026, 4, 7), D(2026, 4, 13)]


def test_golden_week_drops_the_meeting_rather_than_doubling_up() -> None:
    # Thursday 1 October 2026: the next working day is Thursday 8 October, the next meeting itself.
    got = recurring(D(2026, 9, 24), 3, dt.time(10), calendar=CN, until=D(2026, 10, 15))
    assert [m.start.date() for m in got] == [D(2026, 9, 24), D(2026, 10, 8), D(2026, 10, 15)]
    # Fortnightly, the move to 8 October is before the next meeting (15 October): it moves.
    got = recurring(D(2026, 9, 17), 3, dt.time(10), calendar=CN, every_weeks=2, until=D(2026, 10, 15))
    assert [m.start.date() for m in got] == [D(2026, 9, 17), D(2026, 10, 8), D(2026, 10, 15)]


def test_skip_mode_and_count_counts_meetings() -> None:
    got = recurring(D(2026, 3, 30), 0, dt.time(10), calendar=CN, count=3, on_holiday="skip")
    assert [m.start.date() for m in got] == [D(2026, 3, 30), D(2026, 4, 13), D(2026, 4, 20)]


def test_recurring_needs_an_end() -> None:
    with pytest.raises(CalendarError, match="count"):
        recurring(D(2026, 3, 9), 3, dt.time(10), calendar=CN)
    with pytest.raises(CalendarError, match="every_weeks"):
        recurring(D(2026, 3, 9), 3, dt.time(10), calendar=CN, count=1, every_weeks=3)  # type: ignore[arg-type]


# --- series: the same meetings as one RRULE, checked by expanding it with vobject -----------------


def expand(found: Series) -> list[dt.datetime]:
    invite = Invite(
        uid="status-p@studio.example", sequence=0, organizer=Party("project@studio.example"),
        attendees=(Attendee("a@client.example"),), summary="周会", start=found.first.start, end=found.first.end,
        dtstamp=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), rrule=found.rrule, exdates=found.exdates,
        rdates=found.rdates,
    )
    event = vobject.readOne(to_ics(invite).decode()).vevent
    return sorted(d.astimezone(SHANGHAI) for d in event.getrruleset())


def test_series_expands_to_the_recurring_meetings_golden_week() -> None:
    found = series(D(2026, 9, 17), 3, dt.time(10), calendar=CN, every_weeks=2, until=D(2026, 10, 29))
    assert found.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20261029T020000Z"
    assert found.exdates == (at(D(2026, 10, 1), 10),) and found.rdates == (at(D(2026, 10, 8), 10),)
    assert expand(found) == [m.start for m in found.meetings]
    assert list(found.meetings) == recurring(D(2026, 9, 17), 3, dt.time(10), calendar=CN, every_weeks=2, until=D(2026, 10, 29))


def test_series_expands_to_the_recurring_meetings_qingming_and_count() -> None:
    found = series(D(2026, 3, 30), 0, dt.time(14), calendar=CN, count=4)
    assert [m.start.date() for m in found.meetings] == [D(2026, 3, 30), D(2026, 4, 7), D(2026, 4, 13), D(2026, 4, 20)]
    assert expand(found) == [m.start for m in found.meetings]
    dropped = series(D(2026, 9, 24), 3, dt.time(10), calendar=CN, until=D(2026, 10, 15))
    assert dropped.rdates == () and dropped.exdates == (at(D(2026, 10, 1), 10),)
    assert expand(dropped) == [m.start for m in dropped.meetings]
