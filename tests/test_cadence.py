import datetime as dt
from zoneinfo import ZoneInfo

from scheduling.cadence import Period, digest_period, last_due, week_until

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_last_due_is_the_latest_scheduled_moment_not_after_now() -> None:
    monday_9 = dt.time(9, 0)
    # Wednesday 2026-03-11 → Monday 2026-03-09 09:00
    now = dt.datetime(2026, 3, 11, 15, 0, tzinfo=SHANGHAI)
    assert last_due(0, monday_9, SHANGHAI, now) == dt.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)
    # Monday 08:59 → the Monday before
    early = dt.datetime(2026, 3, 9, 8, 59, tzinfo=SHANGHAI)
    assert last_due(0, monday_9, SHANGHAI, early) == dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    # exactly at the moment → that moment
    exact = dt.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)
    assert last_due(0, monday_9, SHANGHAI, exact) == exact


def test_last_due_converts_now_into_the_team_zone() -> None:
    # Sunday 2026-03-08 23:30 UTC is Monday 07:30 in Shanghai: still before Monday 09:00 there.
    now = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.timezone.utc)
    assert last_due(0, dt.time(9), SHANGHAI, now).date() == dt.date(2026, 3, 2)
    now = dt.datetime(2026, 3, 9, 1, 30, tzinfo=dt.timezone.utc)  # Monday 09:30 in Shanghai
    assert last_due(0, dt.time(9), SHANGHAI, now).date() == dt.date(2026, 3, 9)


def test_periods() -> None:
    due = dt.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI)
    assert digest_period(due) == Period(dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    assert week_until(dt.date(2026, 3, 11)) == Period(dt.date(2026, 3, 5), dt.date(2026, 3, 11))
    assert dt.date(2026, 3, 8) in digest_period(due) and dt.date(2026, 3, 9) not in digest_period(due)
