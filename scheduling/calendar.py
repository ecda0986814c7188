"""The team's working calendar: working days, public holidays, make-up working days, hours.

A `WorkCalendar` answers "is this a working day?", "which day is two working days before the
due date?" and "is 15:00–16:00 inside working hours?" for one team. Public holidays and
make-up working days come from the `holidays` library (for China, 调休: the Saturdays and
Sundays worked to bridge a Golden Week are its ``weekend_workdays``), never from a hand
table. The library's tables are read once per (country, subdivision, language, year) and
cached for the life of the process; that is memoisation of a pure function, not state. With
`keep_tables(directory)` each table is also kept there as a small JSON file named by the
library's installed version, so a short-lived process (a `tick` from cron) neither imports the
library, which loads every country it knows (0.15–0.2 s), nor computes the year again.

Coverage: the library knows each country from its own ``start_year`` to ``end_year``; outside
that range a year has no public holidays and only the weekend is off. Within the range, a
future year whose official schedule has not yet been published (China announces each year's
holidays and make-up days in the preceding November or December) has the library's computed
holidays but no make-up working days until the library is updated. `coverage(year)` says
which of these applies.

Times are aware datetimes; a `WorkCalendar` works in its own IANA zone (`timezone`) and
returns datetimes in that zone. Naive datetimes are refused with a `CalendarError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import json
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TimeRange = tuple[dt.time, dt.time]

#: Working hours by default: 09:00–12:00 and 13:30–18:00 (a Chinese office's lunch break).
DEFAULT_HOURS: tuple[TimeRange, ...] = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(18, 0)))

#: How far any search for a working day or a free moment may walk before giving up (days).
SEARCH_LIMIT_DAYS = 3660

_EXTRA_HOLIDAY = "extra holiday"


class CalendarError(ValueError):
    """A calendar value that cannot be used: an unknown zone or country, a naive datetime,
    an iCalendar text that cannot be read. The message says what was wrong."""


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A span of time ``[start, end)``, both ends aware datetimes."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        _require_aware(self.start, "Interval.start")
        _require_aware(self.end, "Interval.end")
        if self.end <= self.start:
            raise CalendarError(f"interval ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        """True when the two spans share any time; touching ends (10:00–11:00, 11:00–12:00) do not."""
        return self.start < other.end and other.start < self.end

    def astimezone(self, zone: dt.tzinfo) -> Interval:
        return Interval(self.start.astimezone(zone), self.end.astimezone(zone))


Coverage = Literal["published", "computed", "weekends-only"]


@dataclass(frozen=True, slots=True)
class _YearTable:
    holidays: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date]
    weekend: frozenset[int]
    covered: bool


@dataclass(frozen=True, eq=True)
class WorkCalendar:
    """One team's working calendar.

    - `timezone`: IANA name of the team's zone (``Asia/Shanghai``).
    - `country`: ISO 3166 code whose public holidays apply (``CN``, ``US`` …); ``""`` for none
      (then only Saturdays and Sundays are off). `subdivision` narrows it (``"CA"`` for a US
      state) and `language` chooses the language of `holiday_name` (``"zh_CN"``, ``"en_US"`` …; ``""``:
      English where the library has it, else the country's own language — never the process
      locale).
    - `extra_holidays`: days off from configuration (company holidays), as a mapping from date to
      name, or simply a collection of dates (named "extra holiday").
    - `extra_working_days`: days worked from configuration although the country rests.
    - `hours`: the working hours of a working day, as local ``(start, end)`` ranges in order,
      by default 09:00–12:00 and 13:30–18:00. A meeting must fit inside one range.

    Precedence for a day: configured extra working day, configured extra holiday, the
    country's make-up working day (调休), the country's public holiday, the weekend.
    """

    timezone: str = "Asia/Shanghai"
    country: str = "CN"
    extra_holidays: Mapping[dt.date, str] = field(default_factory=lambda: MappingProxyType({}))
    extra_working_days: frozenset[dt.date] = frozenset()
    hours: tuple[TimeRange, ...] = DEFAULT_HOURS
    subdivision: str = ""
    language: str = ""

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CalendarError(f"unknown time zone {self.timezone!r}: use an IANA name such as 'Asia/Shanghai'") from exc
        country = self.country.strip().upper()
        object.__setattr__(self, "country", country)
        if country:
            try:
                _library_table(country, self.subdivision, self.language, 2000)
            except NotImplementedError as exc:
                raise CalendarError(
                    f"country {country!r}{f' subdivision {self.subdivision!r}' if self.subdivision else ''}"
                    f"{f' language {self.language!r}' if self.language else ''} is not known to the holidays "
                    "library: use an ISO 3166 code such as 'CN' (or '' for none) and one of its languages"
                ) from exc
        object.__setattr__(self, "extra_holidays", MappingProxyType(_named_days(self.extra_holidays)))
        object.__setattr__(self, "extra_working_days", frozenset(_as_date(d) for d in self.extra_working_days))
        both = sorted(set(self.extra_holidays) & self.extra_working_days)
        if both:
            raise CalendarError(f"{both[0].isoformat()} is configured both as an extra holiday and as an extra working day")
        object.__setattr__(self, "hours", _check_hours(self.hours))

    def __hash__(self) -> int:
        return hash((self.timezone, self.country, self.subdivision, self.language, tuple(sorted(self.extra_holidays.items())), self.extra_working_days, self.hours))

    # --- days -------------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def coverage(self, year: int) -> Coverage:
        """How well `year` is known: ``published`` (the library has the official schedule with
        make-up days, or the country has none), ``computed`` (China only: holidays computed by
        the library's rules, make-up days not yet published) or ``weekends-only`` (no country, or
        a year outside the library's range)."""
        if not self.country:
            return "weekends-only"
        table = self._table(year)
        if not table.covered:
            return "weekends-only"
        if self.country == "CN" and not table.weekend_workdays:
            return "computed"
        return "published"

    def is_working_day(self, day: dt.date) -> bool:
        """True on a working day: not a weekend (unless a make-up working day), not a public or
        configured holiday (unless configured as an extra working day)."""
        day = _as_date(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_holidays:
            return False
        table = self._table(day.year)
        if day in table.weekend_workdays:
            return True
        if day in table.holidays:
            return False
        return day.weekday() not in table.weekend

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday on `day` (configured or public), or None. Plain weekends and
        make-up working days have no name; a configured extra working day has none either."""
        day = _as_date(day)
        if day in self.extra_working_days:
            return None
        if day in self.extra_holidays:
            return self.extra_holidays[day]
        table = self._table(day.year)
        if day in table.weekend_workdays:
            return None
        return table.holidays.get(day)

    def is_makeup_working_day(self, day: dt.date) -> bool:
        """True on a weekend day that is worked (China's 调休 or a configured extra working day)."""
        day = _as_date(day)
        return self.is_working_day(day) and day.weekday() in self._table(day.year).weekend

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The day `n` working days after `day` (before it when `n` is negative), counting only
        working days and not counting `day` itself. With ``n == 0``: `day` when it is a working
        day, else the next working day."""
        day = _as_date(day)
        if n == 0:
            return day if self.is_working_day(day) else self.add_working_days(day, 1)
        step = dt.timedelta(days=1 if n > 0 else -1)
        left = abs(n)
        for _ in range(SEARCH_LIMIT_DAYS + left):
            day += step
            if self.is_working_day(day):
                left -= 1
                if left == 0:
                    return day
        raise CalendarError(f"no {abs(n)} working days found within {SEARCH_LIMIT_DAYS} days: check the configured holidays")

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        """The `n`-th working day before `day` (``n >= 1``): two working days before Thursday
        2026-10-08 is Tuesday 2026-09-29, Golden Week being off."""
        if n < 0:
            raise CalendarError(f"working_days_before needs n >= 0, not {n}")
        if n == 0:
            return self.add_working_days(day, 0)
        return self.add_working_days(day, -n)

    def working_days(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """Working days from `start` to `end`, both included, in order."""
        day = _as_date(start)
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += dt.timedelta(days=1)

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """How many days `working_days(start, end)` yields, in time that grows with the years and
        holidays in the range rather than with its days: each year's weekdays are counted by
        whole weeks, then every day the calendar treats specially is looked at alone."""
        start, end = _as_date(start), _as_date(end)
        count = 0
        for year in range(start.year, end.year + 1):
            first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
            if first > last:
                continue
            table = self._table(year)
            days = (last - first).days + 1
            weeks, rest = divmod(days, 7)
            plain = weeks * (7 - len(table.weekend))
            plain += sum(1 for n in range(rest) if (first.weekday() + n) % 7 not in table.weekend)
            special = {d for d in (*table.holidays, *table.weekend_workdays, *self.extra_holidays, *self.extra_working_days) if first <= d <= last}
            count += plain + sum(int(self.is_working_day(d)) - int(d.weekday() not in table.weekend) for d in special)
        return count

    # --- hours ------------------------------------------------------------------------

    def working_periods(self, day: dt.date) -> tuple[Interval, ...]:
        """The working-hour ranges of `day` as intervals in the team zone (none on a day off)."""
        day = _as_date(day)
        if not self.is_working_day(day):
            return ()
        zone = self.zone
        return tuple(
            Interval(dt.datetime.combine(day, start, tzinfo=zone), dt.datetime.combine(day, end, tzinfo=zone))
            for start, end in self.hours
        )

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself (in the team zone) when it falls inside working hours on a working day,
        else the start of the next working-hour range."""
        local = self.local(moment)
        day = local.date()
        for _ in range(SEARCH_LIMIT_DAYS):
            for period in self.working_periods(day):
                if local < period.end:
                    return max(local, period.start)
            day += dt.timedelta(days=1)
        raise CalendarError(f"no working moment within {SEARCH_LIMIT_DAYS} days of {moment.isoformat()}")

    def is_within_working_hours(self, start: dt.datetime, end: dt.datetime) -> bool:
        """True when ``[start, end)`` lies inside one working-hour range of one working day
        (a meeting may not straddle the lunch break or run past the end of the day)."""
        span = Interval(self.local(start), self.local(end))
        return any(
            period.start <= span.start and span.end <= period.end for period in self.working_periods(span.start.date())
        )

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` in the team zone; naive datetimes are refused."""
        _require_aware(moment, "datetime")
        return moment.astimezone(self.zone)

    def _table(self, year: int) -> _YearTable:
        if not self.country:
            return _NO_COUNTRY
        return _library_table(self.country, self.subdivision, self.language, year)


_NO_COUNTRY = _YearTable(MappingProxyType({}), frozenset(), frozenset({5, 6}), False)


_KEPT: list[Path] = []  # where year tables are kept between runs; none: in memory only


def keep_tables(directory: Path | None) -> None:
    """Keep each year's table in `directory` as well (see the module docstring); None: in
    memory only. A file that cannot be read or written there is computed again, never fatal."""
    _KEPT[:] = [directory] if directory is not None else []


@lru_cache(maxsize=512)
def _library_table(country: str, subdivision: str, language: str, year: int) -> _YearTable:
    """One year of one country's holidays, read from the holidays library (cached)."""
    path = _kept_file(country, subdivision, language, year)
    table = _read_kept(path) if path is not None else None
    if table is None:
        table = _compute_table(country, subdivision, language, year)
        if path is not None:
            _write_kept(path, table)
    return table


def _compute_table(country: str, subdivision: str, language: str, year: int) -> _YearTable:
    import holidays as holidays_lib  # here: importing it loads every country it knows

    cls = holidays_lib.country_holidays(country, subdiv=subdivision or None, years=[])
    # Never let the library fall back to the process locale (LANG): names must not depend on it.
    supported = tuple(cls.supported_languages)
    wanted = language or "en_US"
    if wanted not in supported:
        wanted = "en_US" if not language and "en_US" in supported else (cls.default_language or "")
        if language and language not in supported:
            raise NotImplementedError(f"language {language!r} not supported for {country}")
    lang = wanted or None
    covered = cls.start_year <= year <= cls.end_year
    if not covered:
        return _YearTable(MappingProxyType({}), frozenset(), frozenset(cls.weekend), False)
    table = holidays_lib.country_holidays(country, subdiv=subdivision or None, years=year, language=lang)
    days = {day: name for day, name in table.items() if day.year == year}
    workdays = frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return _YearTable(MappingProxyType(days), workdays, frozenset(table.weekend), True)


@lru_cache(maxsize=1)
def _library_version() -> str | None:
    """The installed holidays distribution ("holidays-0.60"), from its metadata folder's name:
    found without importing the library (or `importlib.metadata`, itself 40 ms)."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    found = sorted(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
    return found[-1].name.removesuffix(".dist-info") if len(found) == 1 else None  # several: which is loaded is unclear


def _kept_file(country: str, subdivision: str, language: str, year: int) -> Path | None:
    version = _library_version() if _KEPT else None
    if version is None:
        return None
    return _KEPT[0] / version / f"{country}-{subdivision or '_'}-{language or '_'}-{year}.json"


def _read_kept(path: Path) -> _YearTable | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        return _YearTable(
            MappingProxyType({dt.date.fromisoformat(day): str(name) for day, name in kept["holidays"].items()}),
            frozenset(dt.date.fromisoformat(day) for day in kept["weekend_workdays"]),
            frozenset(int(day) for day in kept["weekend"]),
            bool(kept["covered"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not there yet, or damaged: computed again and rewritten


def _write_kept(path: Path, table: _YearTable) -> None:
    kept = {
        "holidays": {day.isoformat(): name for day, name in sorted(table.holidays.items())},
        "weekend_workdays": sorted(day.isoformat() for day in table.weekend_workdays),
        "weekend": sorted(table.weekend),
        "covered": table.covered,
    }
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # this process's own: two writers never meet
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:  # a read-only place: computed in each process, as before
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _named_days(value: Mapping[dt.date, str] | Collection[dt.date] | Iterable[dt.date]) -> dict[dt.date, str]:
    if isinstance(value, Mapping):
        return {_as_date(day): str(name) or _EXTRA_HOLIDAY for day, name in value.items()}
    return {_as_date(day): _EXTRA_HOLIDAY for day in value}


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise CalendarError(f"expected a date, got the datetime {value.isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise CalendarError(f"not a date: {value!r} (write YYYY-MM-DD)") from exc
    raise CalendarError(f"not a date: {value!r}")


def _check_hours(hours: Iterable[TimeRange]) -> tuple[TimeRange, ...]:
    ranges = tuple((start, end) for start, end in hours)
    if not ranges:
        raise CalendarError("working hours are empty: give at least one (start, end) range such as (09:00, 18:00)")
    previous_end: dt.time | None = None
    for start, end in ranges:
        if not isinstance(start, dt.time) or not isinstance(end, dt.time) or start.tzinfo or end.tzinfo:
            raise CalendarError(f"working hours must be local times without zone, got {start!r}–{end!r}")
        if end <= start:
            raise CalendarError(f"working hours {start:%H:%M}–{end:%H:%M} end before they start")
        if previous_end is not None and start < previous_end:
            raise CalendarError(f"working hours overlap or are out of order at {start:%H:%M}")
        previous_end = end
    return ranges


def _require_aware(moment: dt.datetime, what: str) -> None:
    if not isinstance(moment, dt.datetime):
        raise CalendarError(f"{what} must be a datetime, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"{what} {moment.isoformat()} has no time zone: pass an aware datetime")
