import datetime as dt
from zoneinfo import ZoneInfo

from scheduling.cadence import Period, digest_period, last_due

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


def test_the_digest_week_is_monday_to_sunday_of_the_week_before_whatever_day_it_runs() -> None:
    last_week = Period(dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    for day in range(9, 16):  # Monday 9 March to Sunday 15 March
        assert digest_period(dt.date(2026, 3, day)) == last_week
    assert digest_period(dt.date(2026, 3, 16)) == Period(dt.date(2026, 3, 9), dt.date(2026, 3, 15))
    assert dt.date(2026, 3, 8) in last_week and dt.date(2026, 3, 9) not in last_week
