"""`find_times` on the single-result date cases of the Recognizers-Text model spec. Not a test.

    python bench/dates_single.py [--corpora PATH] [--failures] [--no-libraries]

The outside measure: nothing excluded, no expectation rewritten.

Selection rule
--------------
From `DateTimeModel.json` of Chinese and English (../shared/corpora/recognizers-text-datetime,
MIT, see its SOURCE.md), every case that has a `Context.ReferenceDateTime` and whose
`Results` list holds exactly one result, of TypeName `datetimeV2.date` or
`datetimeV2.datetime`. `NotSupported` is ignored. (Cases with several results of which one
is a date or datetime are not taken.)

What counts as right
--------------------
- The expected value: the spec lists one value, or several readings (a past and a future
  one, and for a bare hour the am and pm of each). The expected day is the latest listed
  day (the future reading: mailbot resolves forward). Where the values on that day carry a
  clock time, the expected times are those times to the minute (seconds dropped), any of
  them accepted (the spec lists 04:00 and 16:00 for "at 4"). A value "not resolved"
  (2月30日, feb 30) expects no day.
- mailbot is right when `find_times` returns an expression overlapping the expected span
  (`Start` to `End`, `End` inclusive) whose `date` is the expected day and, where expected
  times are listed, whose `time` is one of them. For "not resolved", no overlapping
  expression may carry a date.
- A library is scored the same way: its answer must overlap the span where the library
  gives one (Recognizers: start/end; dateparser: the matched text, found in the input); an
  answer without a span (jionlp's `parse_time` on the whole input) counts wherever it is.
  Its day and time are its value (or a range's start); for Recognizers, whose values come in
  the spec's shape, the same latest-day reading is taken.
  - dateparser: `search.search_dates(input, languages=[en|zh], settings=RELATIVE_BASE =
    the reference, PREFER_DATES_FROM = future)`.
  - jionlp (Chinese only): `parse_time(input, time_base=reference)`; the value is the start
    of the returned `time` (`inf` ends skipped).
  - Recognizers (the Python port, recognizers-text-suite): `recognize_datetime(input,
    culture, reference=reference)`.
  Libraries are in the optional extra `bench-dates` (pip install -e '.[bench-dates]');
  one that does not import is reported as "not installed" and left out of "any".

Convention differences (counted as MISSES, then classified)
------------------------------------------------------------
Where mailbot's answer is the one its documented conventions (parsing/dates.py docstring,
CONTRACT.md; tests/test_dates_recognizers.py lists them) give instead of the spec's, the
miss is put in that category. A miss is classified only when mailbot's answer equals the
convention's value for the case; every other miss is "uncategorised".
- bare-weekday: a weekday alone (timex XXXX-WXX-n) is the first such day *after* the
  reference day; the spec takes the reference day itself.
- bare-hour: a bare hour 1-6 without am/pm or part of day is the afternoon; the spec
  lists the morning only.
- week-end-day: this/next week, end of the month/year, 月底, 年底: the last day of the period.
- same-day: a yearless date falling on the reference day is that day; the spec's future
  reading is next year's.
- forward: a yearless date or weekday the spec resolves only into the past (one value,
  before the reference day, no past anchor in the words) is read forward by mailbot.
- vague-few: a few days, 几天: vague, no day.
- holiday-or-lunar: holidays are vague, no day; so are lunar-calendar dates (正月三十, 十月初一,
  大年三十: parsing has no lunar calendar, and the spec writes them as the same-numbered
  Gregorian day).
- numeric-order: 12-11-10, 1/2/2020 are read month, day, year (day first when the first number
  is over 12); the spec reads some year first or day first.
- week-start: weeks run Monday to Sunday ("Sunday 3 weeks after January 15th" is the Sunday
  ending that week; the spec's week starts on Sunday).
- now, anaphoric: documented in tests/test_dates_recognizers.py (categories `now` and
  `anaphoric`): words for the present moment (now, at the moment, 最近) and "the day", "the
  day before" name no day that mail can rely on; mailbot returns nothing for them.
- part-of-day: no time of day is invented for a part of day or end of day (明天上午,
  tonight, end of Sunday: timex TMO/TAF/TEV/TNI/TDT/TMI/TBH or T23:59:59): mailbot gives the
  day without a time.

`--failures` lists every uncategorised miss: input, reference, span, expected, what mailbot found.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import re
import sys
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsing.dates import find_times  # noqa: E402

SPEC_DIR = Path("recognizers-text-datetime") / "Specs" / "DateTime"
LANGUAGES = {"zh": "Chinese", "en": "English"}
TYPES = ("date", "datetime")

_PART_TIMEX = re.compile(r"T(?:MO|AF|EV|NI|DT|MI|BH)\b|T23:59:59")
_AMPM = re.compile(r"[ap]\.?\s?m\b|morning|afternoon|evening|night|tonight|noon|midnight|"
                   r"上午|下午|中午|午|早|晚|凌晨|晨|夜|傍|黄昏", re.I)
_FEW = re.compile(r"\bfew\b|\bseveral\b|几|数(?=[天日周月年])", re.I)
_HOLIDAY = re.compile(
    r"christmas|xmas|easter|halloween|thanks\s*giving|new\s+year|valentine|mother'?s\s+day|"
    r"father'?s\s+day|labou?r\s+day|independence\s+day|memorial\s+day|veterans?\s+day|workers'?\s+day|"
    r"black\s+friday|cyber\s+monday|earth\s+day|(?:saint|st\.?)\s+patrick|boxing\s+day|\beid\b|ramadan|diwali|"
    r"元旦|春节|除夕|元宵|清明|端午|中秋|重阳|国庆|五一|劳动节|圣诞|情人节|儿童节|教师节|节|"
    r"农历|阴历|正月|腊月|冬月|月初[一二三四五六七八九十]|廿|大年", re.I)
_NOW = re.compile(r"(?:right\s+)?now|at\s+the\s+(?:moment|minute|present\s+time)|at\s+present|at\s+this\s+time|"
                  r"最近|马上|现在|目前|立刻|当前", re.I)
_ANAPHORIC = re.compile(r"(?:the\s+|this\s+|that\s+|my\s+)?(?:next\s+|last\s+|past\s+|previous\s+|"
                        r"same\s+)?day(?:\s+(?:before|after))?", re.I)
_WEEK_END_DAY = re.compile(
    r"(?:the\s+)?(?:this|next|last|following)\s+week|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?"
    r"(?:week|month|year)|(?:本|这|这个|下|下个|上|上个)(?:周|星期|礼拜)|(?:本|这个?|下个?|上个?)?月底|(?:今|明)?年底", re.I)
_BACKWARD = re.compile(r"\b(?:ago|last|previous|past|yesterday|before|earlier|prior)\b|昨|前|上|去年", re.I)
_HAS_YEAR = re.compile(r"(?<!\d)(?:1\d|20)\d\d(?!\d)|\d+\s*年|[〇零一二两三四五六七八九千]{2,4}年|'\d\d\b")
_NUMERIC_DMY = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")


@dataclass
class Case:
    language: str
    input: str
    reference: dt.datetime
    text: str
    start: int
    end: int  # exclusive
    type_name: str
    timex: str
    days: list[dt.date]  # every day the spec lists
    day: dt.date | None  # the expected (future) reading; None: "not resolved"
    times: frozenset[dt.time]  # expected times of day on that day; empty: none compared


@dataclass
class Answer:
    """One thing a resolver returned: where (if it says), the day, and its times of day."""

    start: int | None
    end: int | None
    day: dt.date | None
    times: frozenset[dt.time] = field(default_factory=frozenset)


def _moment(value: str | None) -> tuple[dt.date | None, dt.time | None]:
    if not value or value.startswith("not") or value in ("inf", "-inf"):
        return None, None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None, None
    moment = dt.time.fromisoformat(value[11:16]) if len(value) >= 16 else None
    return day, moment


def _reading(values: list[dict[str, Any]]) -> tuple[list[dt.date], dt.date | None, frozenset[dt.time]]:
    """(every listed day, the latest one, the times of day listed on it)."""
    moments = [_moment(v.get("value") or v.get("start")) for v in values]
    days = sorted({d for d, _ in moments if d is not None})
    if not days:
        return [], None, frozenset()
    day = days[-1]
    return days, day, frozenset(t for d, t in moments if d == day and t is not None)


def load(corpora: Path, language: str) -> list[Case]:
    path = corpora / SPEC_DIR / LANGUAGES[language] / "DateTimeModel.json"
    cases = []
    for raw in json.loads(path.read_text(encoding="utf-8-sig")):
        reference = (raw.get("Context") or {}).get("ReferenceDateTime")
        results = raw.get("Results") or []
        if not reference or len(results) != 1:
            continue
        result = results[0]
        type_name = (result.get("TypeName") or result.get("Typename") or "").split(".")[-1]
        if type_name not in TYPES:
            continue
        values = (result.get("Resolution") or {}).get("values") or []
        days, day, times = _reading(values)
        cases.append(Case(language, raw["Input"], dt.datetime.fromisoformat(reference), result["Text"],
                          result["Start"], result["End"] + 1, type_name,
                          values[0].get("timex", "") if values else "", days, day, times))
    return cases


def right(case: Case, answers: list[Answer]) -> bool:
    near = [a for a in answers if a.start is None or a.end is None or (a.start < case.end and a.end > case.start)]
    if case.day is None:
        return all(a.day is None for a in near)
    return any(a.day == case.day and (not case.times or bool(a.times & case.times)) for a in near)


# --- mailbot -------------------------------------------------------------------------------


def mailbot(case: Case) -> list[Answer]:
    return [Answer(f.start, f.end, f.date, frozenset({f.time.replace(second=0)}) if f.time else frozenset())
            for f in find_times(case.input, reference=case.reference, language=case.language)]


def _afternoon(moment: dt.time) -> dt.time:
    hour = moment.hour % 12 or 12
    return moment.replace(hour=hour + 12 if 1 <= hour <= 6 else hour)


def classify(case: Case, answers: list[Answer]) -> str | None:
    """The documented convention that explains a miss, or None (see the module docstring)."""
    near = [a for a in answers if a.start is not None and a.end is not None and a.start < case.end and a.end > case.start]
    span = case.input[case.start:case.end]
    ref = case.reference.date()
    bare_hours = frozenset(_afternoon(t) for t in case.times) if case.times and not _AMPM.search(span) else frozenset()

    def gives(day: dt.date | None, times: frozenset[dt.time] | None = None) -> bool:
        wanted = case.times if times is None else times
        return any(a.day == day and (not wanted or bool(a.times & (wanted | bare_hours))) for a in near)

    found_nothing = not near or any(a.day is None for a in near)
    if _HOLIDAY.search(span) and found_nothing:
        return "holiday-or-lunar"
    if _NOW.fullmatch(span.strip()) and all(a.day is None for a in near):
        return "now"
    if _ANAPHORIC.fullmatch(span.strip()) and all(a.day is None for a in near):
        return "anaphoric"
    if _FEW.search(span) and all(a.day is None for a in near):
        return "vague-few"
    weekday = re.match(r"\(?XXXX-WXX-(\d)", case.timex)
    if weekday:
        index = int(weekday[1]) - 1
        after = ref + dt.timedelta(days=(index - ref.weekday() - 1) % 7 + 1)
        if after != case.day and gives(after):
            return "bare-weekday"
    if bare_hours and gives(case.day, bare_hours):
        return "bare-hour"
    if case.times and _PART_TIMEX.search(case.timex) and any(a.day == case.day and not a.times for a in near):
        return "part-of-day"
    if case.day is not None and ref in case.days and case.day > ref and gives(ref):
        return "same-day"
    numeric = _NUMERIC_DMY.search(span)
    if numeric:
        first, second, year = int(numeric[1]), int(numeric[3]), int(numeric[4])
        if len(numeric[4]) == 2:
            year += 2000 if year < 40 else 1900
        month, day = (second, first) if first > 12 else (first, second)
        try:
            reading: dt.date | None = dt.date(year, month, day)
        except ValueError:
            reading = None
        if reading is not None and reading != case.day and gives(reading):
            return "numeric-order"
    if case.day is not None and case.day.weekday() == 6 and gives(case.day + dt.timedelta(days=7)) \
            and "sunday" in span.lower():
        return "week-start"
    if _WEEK_END_DAY.search(span) and any(a.day is not None and a.day != case.day for a in near):
        return "week-end-day"
    if case.day is not None and len(case.days) == 1 and case.day < ref and not _HAS_YEAR.search(span) \
            and not _BACKWARD.search(span) and any(a.day is not None and a.day > ref for a in near):
        return "forward"
    return None


# --- the libraries -------------------------------------------------------------------------


Resolver = Callable[[Case], list[Answer]]


def _quiet(function: Callable[[], Any]) -> Any:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return function()


def _dateparser() -> Resolver | str:
    try:
        from dateparser.search import search_dates
    except Exception as error:  # noqa: BLE001 - any import failure means "not installed"
        return f"not installed ({type(error).__name__})"

    def resolve(case: Case) -> list[Answer]:
        settings = {"RELATIVE_BASE": case.reference, "PREFER_DATES_FROM": "future"}
        try:
            found = _quiet(lambda: search_dates(case.input, languages=[case.language], settings=settings)) or []
        except Exception:  # noqa: BLE001
            return []
        answers, at = [], 0
        for text, moment in found:
            start = case.input.find(text, at)
            start = start if start >= 0 else case.input.find(text)
            at = start + len(text) if start >= 0 else at
            answers.append(Answer(start if start >= 0 else None, start + len(text) if start >= 0 else None,
                                  moment.date(), frozenset({moment.time().replace(second=0, microsecond=0)})))
        return answers

    return resolve


def _jionlp() -> Resolver | str:
    try:
        jionlp = _quiet(lambda: __import__("jionlp"))
    except Exception as error:  # noqa: BLE001
        return f"not installed ({type(error).__name__})"

    def resolve(case: Case) -> list[Answer]:
        if case.language != "zh":
            return []
        try:
            parsed = _quiet(lambda: jionlp.parse_time(case.input, time_base=case.reference))
        except Exception:  # noqa: BLE001
            return []
        bounds = parsed.get("time") if isinstance(parsed, dict) else None
        if not isinstance(bounds, list):
            return []
        for bound in bounds:
            day, moment = _moment(bound if isinstance(bound, str) else None)
            if day is not None:
                return [Answer(None, None, day, frozenset({moment}) if moment else frozenset())]
        return []

    return resolve


def _recognizers() -> Resolver | str:
    try:
        from recognizers_suite import Culture, recognize_datetime
    except Exception as error:  # noqa: BLE001
        return f"not installed or does not import on this Python ({type(error).__name__}: {error})"
    cultures = {"zh": Culture.Chinese, "en": Culture.English}

    def resolve(case: Case) -> list[Answer]:
        try:
            results = _quiet(lambda: recognize_datetime(case.input, cultures[case.language], reference=case.reference))
        except Exception:  # noqa: BLE001
            return []
        answers = []
        for result in results:
            values = (result.resolution or {}).get("values") or []
            _, day, times = _reading(values)
            answers.append(Answer(result.start, result.end + 1, day, times))
        return answers

    return resolve


# --- the report ----------------------------------------------------------------------------


def _shown(answers: list[Answer], case: Case) -> str:
    near = [a for a in answers if a.start is not None and a.end is not None and a.start < case.end and a.end > case.start]
    return "; ".join(f"{case.input[a.start:a.end]!r}→{a.day}" + "".join(f" {t:%H:%M}" for t in sorted(a.times))
                     for a in near if a.start is not None) or "nothing"


def _expected(case: Case) -> str:
    if case.day is None:
        return "no day (not resolved)"
    return f"{case.day}" + ("" if not case.times else " " + "|".join(f"{t:%H:%M}" for t in sorted(case.times)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--failures", action="store_true", help="list every uncategorised miss")
    parser.add_argument("--no-libraries", action="store_true", help="measure mailbot only")
    args = parser.parse_args()

    libraries: dict[str, Resolver | str] = {}
    if not args.no_libraries:
        libraries = {"dateparser": _dateparser(), "jionlp": _jionlp(), "Recognizers": _recognizers()}
    for name, resolver in libraries.items():
        if isinstance(resolver, str):
            print(f"{name}: {resolver}")

    table = []
    for language in LANGUAGES:
        cases = load(args.corpora, language)
        began = clock.perf_counter()
        answers = [mailbot(case) for case in cases]
        seconds = clock.perf_counter() - began
        scores = [right(case, found) for case, found in zip(cases, answers)]
        print(f"\n{LANGUAGES[language]}: {len(cases)} cases; mailbot {sum(scores)}/{len(cases)} = "
              f"{sum(scores) / len(cases):.1%} ({seconds * 1000:.0f} ms)")
        per_type: dict[str, list[bool]] = defaultdict(list)
        for case, score in zip(cases, scores):
            per_type[case.type_name].append(score)
        for type_name, results in sorted(per_type.items()):
            print(f"    {type_name:10} {sum(results):4}/{len(results):<4} {sum(results) / len(results):.1%}")
        kinds = Counter()
        uncategorised = []
        for case, found, score in zip(cases, answers, scores):
            if not score:
                kind = classify(case, found)
                kinds[kind or "uncategorised"] += 1
                if kind is None:
                    uncategorised.append((case, found))
        print("  misses by convention category: "
              + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items()) if k != "uncategorised") or "none"))
        print(f"  uncategorised misses: {kinds['uncategorised']}")
        if args.failures:
            for case, found in uncategorised:
                print(f"  MISS [{case.type_name}] ref {case.reference:%Y-%m-%d %a %H:%M} {case.input!r} "
                      f"span {case.text!r} expected {_expected(case)}, got {_shown(found, case)}")
        row: dict[str, str] = {"cases": str(len(cases)), "mailbot": f"{sum(scores) / len(cases):.1%}"}
        any_right = [False] * len(cases)
        measured = False
        for name, resolver in libraries.items():
            if isinstance(resolver, str) or (name == "jionlp" and language != "zh"):
                row[name] = "not installed" if isinstance(resolver, str) else "n/a"
                continue
            measured = True
            library_scores = [right(case, resolver(case)) for case in cases]
            any_right = [a or b for a, b in zip(any_right, library_scores)]
            row[name] = f"{sum(library_scores) / len(cases):.1%}"
        row["any library"] = f"{sum(any_right) / len(cases):.1%}" if measured else "-"
        table.append((LANGUAGES[language], row))

    columns = ["cases", "mailbot", "dateparser", "jionlp", "Recognizers", "any library"]
    print("\n| language | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for language_name, row in table:
        print(f"| {language_name} | " + " | ".join(row.get(c, "-") for c in columns) + " |")


if __name__ == "__main__":
    main()
