"""WorkCalendar on real dates: China's Golden Weeks and 调休, the US, configured days off."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.calendar import CalendarError, Interval, WorkCalendar

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar()


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# --- China: public holidays and make-up working days (the library's facts) -------------------


def test_2025_national_day_makeup_days_were_worked() -> None:
    # 2025: Sunday 28 September and Saturday 11 October were working days (调休).
    assert D(2025, 9, 28).weekday() == 6 and CN.is_working_day(D(2025, 9, 28))
    assert D(2025, 10, 11).weekday() == 5 and CN.is_working_day(D(2025, 10, 11))
    assert CN.is_makeup_working_day(D(2025, 9, 28))
    assert all(not CN.is_working_day(d) for d in days(D(2025, 10, 1), D(2025, 10, 8)))


def test_2026_golden_week_is_off_and_its_makeup_weekend_days_are_worked() -> None:
    assert all(not CN.is_working_day(d) for d in days(D(2026, 10, 1), D(2026, 10, 7)))
    assert CN.holiday_name(D(2026, 10, 1)) == "National Day"
    # Make-up days around it in 2026, per the library: Sunday 20 September, Saturday 10 October.
    assert D(2026, 9, 20).weekday() == 6 and CN.is_working_day(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5 and CN.is_working_day(D(2026, 10, 10))
    assert CN.holiday_name(D(2026, 10, 10)) is None
    assert not CN.is_working_day(D(2026, 10, 11))  # the Sunday after is an ordinary Sunday
    assert CN.is_working_day(D(2026, 9, 30)) and CN.is_working_day(D(2026, 10, 8))


def test_2026_spring_festival() -> None:
    # Off from Sunday 15 to Monday 23 February; Saturdays 14 and 28 February are worked.
    assert all(not CN.is_working_day(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    assert CN.is_working_day(D(2026, 2, 14)) and CN.is_working_day(D(2026, 2, 28))
    assert CN.is_working_day(D(2026, 2, 13)) and CN.is_working_day(D(2026, 2, 24))
    assert CN.holiday_name(D(2026, 2, 17)) == "Chinese New Year (Spring Festival)"


def test_2026_qingming() -> None:
    assert all(not CN.is_working_day(d) for d in days(D(2026, 4, 4), D(2026, 4, 6)))
    assert CN.holiday_name(D(2026, 4, 5)) == "Tomb-Sweeping Day"
    assert CN.is_working_day(D(2026, 4, 3)) and CN.is_working_day(D(2026, 4, 7))


def test_a_plain_weekend_and_a_plain_week() -> None:
    assert not CN.is_working_day(D(2026, 3, 7)) and not CN.is_working_day(D(2026, 3, 8))
    assert CN.holiday_name(D(2026, 3, 7)) is None
    assert all(CN.is_working_day(d) for d in days(D(2026, 3, 9), D(2026, 3, 13)))


def test_holiday_names_in_chinese() -> None:
    assert WorkCalendar(language="zh_CN").holiday_name(D(2026, 10, 1)) == "国庆节"


def test_names_do_not_depend_on_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert WorkCalendar(language="").holiday_name(D(2026, 5, 1)) == "Labor Day"


def test_coverage() -> None:
    assert CN.coverage(2026) == "published"
    assert CN.coverage(2200) == "weekends-only"
    assert WorkCalendar(country="").coverage(2026) == "weekends-only"
    # A year far beyond the library's range: only weekends are off.
    assert CN.is_working_day(D(2200, 10, 1)) == (D(2200, 10, 1).weekday() < 5)


# --- other countries, no country, configuration ----------------------------------------------


def test_us_thanksgiving() -> None:
    us = WorkCalendar(timezone="America/New_York", country="US")
    assert not us.is_working_day(D(2026, 11, 26))
    assert us.holiday_name(D(2026, 11, 26)) == "Thanksgiving Day"
    assert us.is_working_day(D(2026, 11, 27))
    assert us.is_working_day(D(2026, 10, 1))  # China's National Day is nothing there
    assert not us.is_working_day(D(2026, 10, 10))  # nor its make-up Saturday


def test_no_country_means_weekends_only() -> None:
    none = WorkCalendar(country="")
    assert none.is_working_day(D(2026, 10, 1))
    assert not none.is_working_day(D(2026, 10, 10))


def test_configured_extra_holiday_and_working_day() -> None:
    cal = WorkCalendar(
        extra_holidays={D(2026, 3, 13): "公司年会"},
        extra_working_days=frozenset({D(2026, 3, 14)}),
    )
    assert not cal.is_working_day(D(2026, 3, 13))
    assert cal.holiday_name(D(2026, 3, 13)) == "公司年会"
    assert cal.is_working_day(D(2026, 3, 14))
    plain = WorkCalendar(extra_holidays=frozenset({D(2026, 3, 13)}))  # type: ignore[arg-type]
    assert plain.holiday_name(D(2026, 3, 13)) == "extra holiday"
    # An extra working day beats a public holiday.
    assert WorkCalendar(extra_working_days=frozenset({D(2026, 10, 2)})).is_working_day(D(2026, 10, 2))


def test_bad_configuration_is_a_calendar_error() -> None:
    with pytest.raises(CalendarError, match="time zone"):
        WorkCalendar(timezone="Asia/Nowhere")
    with pytest.raises(CalendarError, match="holidays library"):
        WorkCalendar(country="XX")
    with pytest.raises(CalendarError, match="both"):
        WorkCalendar(extra_holidays={D(2026, 3, 13): "x"}, extra_working_days=frozenset({D(2026, 3, 13)}))
    with pytest.raises(CalendarError, match="end before"):
        WorkCalendar(hours=((dt.time(18), dt.time(9)),))
    with pytest.raises(CalendarError, match="overlap"):
        WorkCalendar(hours=((dt.time(9), dt.time(12)), (dt.time(11), dt.time(18))))
    with pytest.raises(CalendarError, match="time zone"):
        CN.next_working_moment(dt.datetime(2026, 3, 9, 9))


def test_calendars_compare_and_hash_by_value() -> None:
    a = WorkCalendar(extra_holidays={D(2026, 3, 13): "x"})
    b = WorkCalendar(extra_holidays={D(2026, 3, 13): "x"})
    assert a == b and hash(a) == hash(b) and a != CN


# --- working-day arithmetic --------------------------------------------------------------------


COUNTED = (CN, WorkCalendar(country="US", timezone="America/New_York"), WorkCalendar(country=""),
           WorkCalendar(extra_holidays={D(2026, 3, 9): "studio day", D(2026, 10, 10): "off"}, extra_working_days=frozenset({D(2026, 10, 3), D(2025, 3, 8)})))


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, len(COUNTED) - 1), start=st.dates(D(2019, 1, 1), D(2028, 12, 31)), length=st.integers(-5, 900))
def test_counting_working_days_agrees_with_listing_them(which: int, start: dt.date, length: int) -> None:
    """`count_working_days` counts by weeks and looks at holidays alone: it must say what
    walking the range day by day says, across years, Golden Weeks, 调休 and configured days."""
    calendar = COUNTED[which]
    end = start + dt.timedelta(days=length)
    assert calendar.count_working_days(start, end) == len(list(calendar.working_days(start, end)))


def test_working_days_before_skip_golden_week() -> None:
    # Two working days before Thursday 8 October 2026: Tuesday 29 September.
    assert CN.working_days_before(D(2026, 10, 8), 2) == D(2026, 9, 29)
    assert CN.working_days_before(D(2026, 10, 8), 1) == D(2026, 9, 30)
    # Before Monday 12 October: Saturday 10 October (make-up day), then Friday 9.
    assert CN.working_days_before(D(2026, 10, 12), 1) == D(2026, 10, 10)
    assert CN.working_days_before(D(2026, 10, 12), 2) == D(2026, 10, 9)


def test_add_working_days() -> None:
    assert CN.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert CN.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Friday → make-up Sunday
    assert CN.add_working_days(D(2026, 3, 13), 5) == D(2026, 3, 20)
    assert CN.add_working_days(D(2026, 3, 20), -5) == D(2026, 3, 13)
    assert CN.add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 9)  # Saturday → Monday
    assert CN.add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)
    assert list(CN.working_days(D(2026, 9, 28), D(2026, 10, 11))) == [
        D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10)
    ]


# --- working hours ----------------------------------------------------------------------------


def at(day: dt.date, hour: int, minute: int = 0, zone: dt.tzinfo = SHANGHAI) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def test_next_working_moment() -> None:
    monday = D(2026, 3, 9)
    assert CN.next_working_moment(at(monday, 10)) == at(monday, 10)
    assert CN.next_working_moment(at(monday, 8)) == at(monday, 9)
    assert CN.next_working_moment(at(monday, 12, 30)) == at(monday, 13, 30)  # lunch
    assert CN.next_working_moment(at(monday, 18)) == at(D(2026, 3, 10), 9)
    assert CN.next_working_moment(at(D(2026, 3, 7), 11)) == at(monday, 9)  # Saturday
    # 30 September 2026 evening → Thursday 8 October (Golden Week in between).
    assert CN.next_working_moment(at(D(2026, 9, 30), 19)) == at(D(2026, 10, 8), 9)
    # Another zone in, the team zone out: 01:00 UTC Monday is 09:00 in Shanghai.
    utc = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.timezone.utc)
    result = CN.next_working_moment(utc)
    assert result == at(monday, 9) and result.tzinfo == SHANGHAI


def test_is_within_working_hours() -> None:
    monday = D(2026, 3, 9)
    assert CN.is_within_working_hours(at(monday, 10), at(monday, 11))
    assert CN.is_within_working_hours(at(monday, 9), at(monday, 12))
    assert not CN.is_within_working_hours(at(monday, 11, 30), at(monday, 12, 30))  # lunch
    assert not CN.is_within_working_hours(at(monday, 17, 30), at(monday, 18, 30))
    assert not CN.is_within_working_hours(at(D(2026, 10, 1), 10), at(D(2026, 10, 1), 11))
    assert CN.is_within_working_hours(at(D(2026, 10, 10), 10), at(D(2026, 10, 10), 11))  # make-up Saturday
    one_span = WorkCalendar(hours=((dt.time(9), dt.time(18)),))
    assert one_span.is_within_working_hours(at(monday, 11, 30), at(monday, 12, 30))


def test_interval() -> None:
    a = Interval(at(D(2026, 3, 9), 10), at(D(2026, 3, 9), 11))
    assert a.overlaps(Interval(at(D(2026, 3, 9), 10, 30), at(D(2026, 3, 9), 11, 30)))
    assert not a.overlaps(Interval(at(D(2026, 3, 9), 11), at(D(2026, 3, 9), 12)))
    assert a.duration == dt.timedelta(hours=1)
    with pytest.raises(CalendarError):
        Interval(at(D(2026, 3, 9), 11), at(D(2026, 3, 9), 10))
    with pytest.raises(CalendarError, match="no time zone"):
        Interval(dt.datetime(2026, 3, 9, 10), dt.datetime(2026, 3, 9, 11))


_YEAR_OF = """
import datetime as dt, json, sys
from pathlib import Path
from scheduling.calendar import WorkCalendar, keep_tables
keep_tables(Path(sys.argv[1]))
cal = WorkCalendar(country="CN", language=sys.argv[2])
year = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
print(json.dumps({"working": [cal.is_working_day(d) for d in year], "names": [cal.holiday_name(d) for d in year],
                  "makeup": [cal.is_makeup_working_day(d) for d in year], "coverage": str(cal.coverage(2026)),
                  "library": "holidays" in sys.modules}))
"""


def _year_in_a_new_process(kept: Path, language: str = "zh_CN") -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _YEAR_OF, str(kept), language], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_kept_tables_spare_a_new_process_the_library_and_answer_the_same(tmp_path: Path) -> None:
    first = _year_in_a_new_process(tmp_path)
    assert first["library"] is True  # nothing kept yet: read from the library, then kept
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("holidays-")  # named by the installed version: an upgrade reads afresh
    assert sorted(p.name for p in folder.iterdir()) == ["CN-_-zh_CN-2000.json", "CN-_-zh_CN-2026.json"]
    again = _year_in_a_new_process(tmp_path)
    assert again["library"] is False
    assert {k: v for k, v in again.items() if k != "library"} == {k: v for k, v in first.items() if k != "library"}
    assert first["names"][dt.date(2026, 10, 1).timetuple().tm_yday - 1] == "国庆节"  # type: ignore[index]


def test_a_damaged_kept_table_is_read_from_the_library_again_and_rewritten(tmp_path: Path) -> None:
    first = _year_in_a_new_process(tmp_path)
    (folder,) = tmp_path.iterdir()
    (folder / "CN-_-zh_CN-2026.json").write_text('{"holidays": {"2026-13-01": 1', encoding="utf-8")
    again = _year_in_a_new_process(tmp_path)
    assert again["library"] is True
    assert again["working"] == first["working"] and again["names"] == first["names"]
    assert json.loads((folder / "CN-_-zh_CN-2026.json").read_text(encoding="utf-8"))["covered"] is True


def test_a_place_where_tables_cannot_be_kept_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _year_in_a_new_process(blocked)["working"] == _year_in_a_new_process(tmp_path)["working"]
    assert blocked.read_text(encoding="utf-8") == "not a folder"
