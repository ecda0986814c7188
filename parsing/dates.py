"""Time expressions in Chinese and English business mail, resolved against the message's Date.

`find_times(text, reference=..., language=...)` returns `TimeExpression` values: where the
words are, the day they name (`date`, or `None`), a time of day, the last day of a range, and
whether the words only name a vague period.

Why a hand-written resolver
---------------------------
- dateparser is wrong on Chinese deadlines (周三前, 下周五之前) and reads the English word
  "We" as Wednesday.
- jionlp resolves Chinese well but weighs about 220 MB and prints a banner on import.
- recognizers-text for Python is a 2019 alpha.

The forms mail uses are few and regular, so this module uses compiled regular expressions
on the raw text. The Chinese patterns run on the raw characters too, because word
segmenters cut 3月15日前 in the wrong places.

How it works
------------
1. Every pattern is matched. Each match is an *atom*: a date, a time of day, a part of
   the day (下午, morning), end-of-day (EOD, 下班前), a deadline marker before or after
   (by, before, 截止 … / 前, 之前, 为止, 以内), or a range separator (到, 至, -, to, until).
2. Where matches overlap, the longest wins.
3. Neighbouring atoms are joined into one expression ("EOD Thursday",
   "下周二下午3点", "3月1日至5日", "by next Friday", "下周五之前"). The expression's text
   includes its deadline markers, so that `due_text` reads "下周五之前".

Conventions (CONTRACT.md, and the choices it leaves open)
---------------------------------------------------------
- Reference day: the calendar day of `reference`. The caller has already converted it to
  the team's time zone. With `reference=None`, expressions are still found, but anything
  relative (today, 周五, 4月1日 without a year) gets `date=None`.
- Weeks run Monday to Sunday.
  - 本周五 / this Friday: the Friday of the reference week, even if it has passed.
  - 下周五 / next Friday / Friday next week: the Friday of the next week.
  - 下下周五: the week after that.
  - 上周五 / last Friday: the Friday of the previous week.
- A bare weekday (周三, 周三前, by Monday, on Friday, the coming Friday) is the first such
  day *after* the reference day, never the reference day itself.
- 本周 / 本周内 / this week / end of the week / EOW: that week's Sunday. The same holds for
  下周 / next week (the next week's Sunday).
- 周末 / this weekend: the Saturday of the reference week. If the reference day is a
  Sunday, the Saturday of the next week. 下周末 / next weekend: the next week's Saturday.
- Month forms:
  - 月底 / end of the month: the last day of the month.
  - 月初: the 1st of the next month.
  - 下个月初 / start of next month: the 1st of the next month.
  - 4月初: 1 April. 4月底: 30 April.
  - 本月内: the last day of the month.
- A bare month or period (4月, 下个月, next month, in April, Q2, 明年) is vague. So are
  part-month forms (月中, 5月中旬, mid-June, early next week) and holidays (春节前, 节后,
  before Christmas, Easter, Thanksgiving, Black Friday, Eid). Vague forms get `vague=True`
  and `date=None`.
- 年底 / end of the year / year-end: 31 December of the reference year. 明年初: 1 January
  of the next year.
- "before X", X前, X之前, by X, until X, no later than X: the date is X itself.
- A missing year means the next occurrence on or after the reference day (deadlines look
  forward). So does a bare day of the month (十五号, the 15th). This also makes a past
  date without a year ("we met on 2月28日") land in the next year.
- Numeric dates: 4/1 is month/day. If the first number is over 12, day/month is used
  (15/4). N/10 and N/5 near rating words are scores, not dates.
  - Year last with / or - (4/1/2026, 4-1-26): month first the same way, in every language.
    With dots (15.05.2026) the day comes first. A two-digit year under 40 is 20xx, else 19xx.
  - Year first: 2026-04-01, 2026/4/1, 2026.4.1, 2026 04 01, 20260401, 2026-04-01T09:30,
    2026/aug/01; 26年3月1日 and 二〇二六年 as well.
  - M.D or M-D without a year (on 5.12, by 4-22) only after on/by/in/before/until and at
    the end of a clause, so that "by 2.5 million" stays a number.
- Days of the month without a month: the 15th, on the 27, by 15th, 8pm on 15, 十五号. A bare
  number ("on 15") is a day only with "the", an ordinal suffix, or a time beside it.
  - the 15th of next month, the 31st day of the month, 下个月5号, 本月十日: that month's day.
  - Friday the 13th, Monday 21: the first day on or after the reference day that is both.
  - the first Friday of next month, the last Monday of June: counted in that month.
- More weekday forms: "the following Friday" is next week's (like "next Friday");
  "previous Monday" is last week's; "this past Monday" / "past Monday" is the latest one
  before the reference day; "next week on Tuesday", "Tuesday of last week" name the week.
  A weekday beside an explicit date ("Friday, May 15", "5月15日，星期五", "May/22(Tue)", "Thursday
  (March 5)") gives the date. So does a day word beside a date written with its month ("tomorrow,
  13/04/21", "明天，3月20日"): the written date wins. A day word beside another relative day
  ("tomorrow, next Friday") is a list: two expressions.
  - A weekday with month-day joined by a hyphen ("Friday 7-6") is that date when the day is over
    12 or the date falls on that weekday; otherwise it is an hour range ("Monday 3-5").
  - the 1st week of Oct. on Friday, the second week of April, Monday: the nth week is the month's
    days 7n-6 to 7n, so this is the nth Friday (the last week: the last Friday).
- Ranges: a yearless range under way is this year's (from 10/1 to 11/7 said on 24 October
  starts on 1 October, not next year); a year written at the end is the start's too
  (5/1-5/7/2026, Nov 18-Dec 19, 2026). "3:00 to 4:00 tomorrow" takes the day on the right.
- Traditional characters (週三, 禮拜五, 後天, 這個月) are read like simplified ones.
- Written years: in words after a date (January 25, twenty twenty; March 5 two thousand and
  sixteen; twenty five January nineteen eighty six; 15 April of 87) and in Chinese
  numerals (二〇一六年三月五日). A year alone (in twenty twenty, 二零二六年, 2026年) is vague
  like a bare month; 2026年底 is 31 December, 2027年初 1 January. A month name with a year
  and a day in any order joined by - or / (September-2020-23, 23-2020-September) is a date.
- Lunar-calendar dates (正月初一, 腊月廿三, 十月初一, 大年三十, 农历…) are vague: parsing has
  no lunar calendar, and reading them as the same-numbered Gregorian day would be wrong.
- Words for the present moment (now, at the moment, 目前, 最近) and anaphoric days ("the
  day", "the day before") are not returned: they name no day mail can rely on.
- Durations from the reference day:
  - in two weeks / 两周后 / 两周内: +14 days; N天内 / within N days: +N days.
  - in two years, two years ago; "two days from tomorrow", "N days after today": from that day.
  - in two years since 2011 (1 January 2011 + 2 years), in two weeks since the year 2011, in 10
    days since March 1, 2025: counted from that year or day. "since 2011" alone names no day.
  - N个工作日内 / within N working days: the Nth Monday-to-Friday day after the reference
    day. Public holidays are unknown to parsing.
  - N天前 / N days ago: in the past.
  - 几天, a few days, 一两天, 几分钟: vague.
  - Compound durations add up: 1 year and 2 months later, 2 years 1 month 21 days later,
    一年零两个月后, an hour and a half, 两个半小时.
  - Hours, minutes and seconds count from the reference *moment*: in 5 minutes, in half an
    hour, within 2 hours, 30 minutes later, 2小时后, 半小时后, 10分钟之前. `date` and `time`
    are the reference moment plus the offset (to the minute; past midnight it is the next
    day). Without a reference, both are None. Durations in days or longer give a day only.
- Counted from another day: "3 days from Tuesday", "two weeks after next Friday", "2 weeks
  before May 13", "two days before yesterday", 下周三后两天, 明天的后一天, 周五前两天: that day
  moved by the duration. A weekday beside a counted day names that day's week (Mon–Sun):
  "Monday two weeks from now", "Thursday, two years from now", "in 3 days on Friday". After a
  count of months or years, "on" a weekday is the first such day after the counted day ("two
  months from today on Tuesday"): months and years do not keep the week.
- Times of day:
  - 下午/晚上/pm add 12 hours; 中午1点 is 13:00.
  - A bare hour from 1 to 6 without a part of the day (3点, at 3) is afternoon, because
    offices don't meet at 3 a.m.
  - 一点/两点 without a part of the day or minutes means "a little" in Chinese (大一点).
    They count as a time only next to a date. So do a bare "at 7", "around seven", and a
    bare hour range ("Monday 3-5", "between 3 and 5 on Friday", "tonight from 7 to 7:30"):
    the range gives its start time, with the 1-to-6 afternoon rule.
  - "at 9a" / "at 9p" are 9 am / 9 pm; "six pm" in words is 18:00; seconds are dropped.
  - A bare hour right before tonight / this morning / this afternoon / this evening ("10,
    tonight", "7 this evening") is that hour of that part of the day.
  - A date and its time stay one expression across a comma, "at", "on" or "for" ("October 14 for
    8am", "tomorrow, at 7 PM").
  - Times in words: half past seven, a quarter to nine, twenty past eight, thirty-six
    minutes past eight (not "ten to five": as often a range); nine thirty, seven
    twenty-seven, one thirty p m. Without am/pm an hour-and-minutes in words counts only
    next to a date, like a bare "at 7".
  - A deadline marker between a day and its time keeps them one expression: "tomorrow
    before 5pm", "Friday by noon" (the day, 17:00 / 12:00; `is_deadline` is true).
  - tonight/晚上 with an hour from 1 to 4 ("tonight around 3") is after midnight: 03:00 on
    that day, not 15:00.
  - A time with no date keeps `date=None`; it is not pinned to the reference day.
- EOD / COB / 下班前 alone: the reference day. Next to a date ("EOD Thursday",
  "明天下班前"): that date. No time of day is invented for them.
- Ranges ("3月1日至5日", "Monday to Wednesday", "March 1-5", "下午2点到4点"): `date` is the
  start, `end_date` the end, `time` the start time.

`is_deadline(expression)` tells a caller whether the words carry a deadline marker (前, by,
within, EOD …). `parsing.findings` uses it to choose the `due` of a sentence.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from parsing import patterns as rx
from parsing.model import TimeExpression

logger = logging.getLogger(__name__)

__all__ = ["find_times", "is_deadline"]

# --- numbers -------------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUMBER = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
              "a couple of": 2, "couple of": 2}
_HOUR_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


def cn_number(word: str) -> int | None:
    """The value of a small number in digits or Chinese numerals (十五, 二十一, 两), or None."""
    word = word.strip()
    if not word:
        return None
    if word.isdigit():
        return int(word)
    if "十" in word:
        head, _, tail = word.partition("十")
        tens = _CN_DIGIT.get(head) if head else 1
        units = _CN_DIGIT.get(tail) if tail else 0
        if tens is None or units is None:
            return None
        return tens * 10 + units
    values = [_CN_DIGIT.get(char) for char in word]
    if any(value is None for value in values):
        return None
    return int("".join(str(value) for value in values))


def _en_number(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    return _EN_NUMBER.get(word)


# --- calendar arithmetic -------------------------------------------------------------------


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday_of_week(ref: dt.date, weeks: int, index: int) -> dt.date:
    """The weekday `index` (0 = Monday) of the week `weeks` after the reference week."""
    return _monday(ref) + dt.timedelta(days=7 * weeks + index)


def _weekday_after(ref: dt.date, index: int) -> dt.date:
    """The first weekday `index` strictly after the reference day."""
    return ref + dt.timedelta(days=(index - ref.weekday() - 1) % 7 + 1)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_start(ref: dt.date, months: int) -> dt.date:
    year, month0 = divmod(ref.month - 1 + months, 12)
    return dt.date(ref.year + year, month0 + 1, 1)


def _add_months(ref: dt.date, months: int) -> dt.date:
    start = _month_start(ref, months)
    return start.replace(day=min(ref.day, calendar.monthrange(start.year, start.month)[1]))


def _add_working_days(ref: dt.date, count: int) -> dt.date:
    day = ref
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _month_day(ref: dt.date | None, month: int, day: int, year: int | None = None) -> dt.date | None:
    """A month and day, in `year` or else their next occurrence on or after `ref`."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if ref is None:
        return None
    for candidate_year in range(ref.year, ref.year + 8):
        try:
            candidate = dt.date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= ref:
            return candidate
    return None


def _month_of(ref: dt.date | None, month: int, year: int | None) -> tuple[int, int] | None:
    """(year, month) of a month named without day: this year's if not past, else next year's."""
    if year is not None:
        return year, month
    if ref is None:
        return None
    return (ref.year, month) if month >= ref.month else (ref.year + 1, month)


def _day_of_month(ref: dt.date | None, day: int) -> dt.date | None:
    """The next day-of-month `day` on or after `ref` (十五号, the 15th)."""
    if ref is None or not 1 <= day <= 31:
        return None
    for months in range(13):
        start = _month_start(ref, months)
        if day <= calendar.monthrange(start.year, start.month)[1]:
            candidate = start.replace(day=day)
            if candidate >= ref:
                return candidate
    return None


# --- atoms ---------------------------------------------------------------------------------

DATE, TIME, PART, EOD, PRE, POST, SEP = "date", "time", "part", "eod", "pre", "post", "sep"
SHIFT = "shift"  # a duration waiting for the day it counts from: "3 days from" Tuesday, 下周三"后两天"

# A duration: (months, days, working days, seconds). Months and days are calendar steps (one
# month from 31 January is 28 February); seconds only move a clock time.
_Duration = tuple[int, int, int, int]


@dataclass(slots=True)
class _Atom:
    """One pattern match: a piece of a time expression."""

    kind: str
    start: int
    end: int
    date: dt.date | None = None
    end_date: dt.date | None = None
    vague: bool = False
    hour: int | None = None
    minute: int = 0
    part: str | None = None  # am | pm | noon | night
    day_only: int | None = None  # 5日 / the 5th: a day of the month without month
    weak: bool = False  # a time that counts only next to a date (一点, at 3)
    word: str = ""  # markers and separators: their text, lower-cased
    yearless: bool = False  # a month and day whose year was not written (4/1, 3月1日, May 5)
    weekday: bool = False  # a weekday name only (周五, Friday): an explicit date beside it wins
    duration: _Duration | None = None  # SHIFT: the signed duration; DATE: counted from the reference moment
    clock: dt.time | None = None  # the time of day of a moment counted from the reference (in 5 minutes)
    relative: bool = False  # a day counted by a duration (in two weeks): a weekday beside it names its week
    deictic: bool = False  # today, tomorrow, 明天: an explicit date beside it wins ("tomorrow, 13/04/21")
    written: bool = False  # a date written with its month (13/04/21, March 20, 3月20日), set when joining


_Handler = Callable[[re.Match[str], "dt.date | None"], "_Atom | None"]


def _atom(kind: str, match: re.Match[str], **values: object) -> _Atom:
    return _Atom(kind, match.start(), match.end(), **values)  # type: ignore[arg-type]


def _date_atom(match: re.Match[str], day: dt.date | None, **values: object) -> _Atom:
    return _atom(DATE, match, date=day, **values)


def _vague(match: re.Match[str], _ref: dt.date | None = None) -> _Atom:
    return _date_atom(match, None, vague=True)


# --- shared vocabulary ---------------------------------------------------------------------

_NUM = r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
_HOUR = r"(?:\d{1,2}|二十[一二三四]?|十[一二]?|[零〇一二两三四五六七八九])"
_MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_NUM_GUARD = r"(?<![\d零〇一二两三四五六七八九十])"
_CN_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_CN_WEEK_SHIFT = {"": 0, "本": 0, "这": 0, "这个": 0, "今": 0, "下": 1, "下个": 1,
                  "下下": 2, "下下个": 2, "上": -1, "上个": -1, "上上": -2, "上上个": -2}
_CN_MONTH_SHIFT = {"": 0, "本": 0, "这": 0, "这个": 0, "当": 0, "下": 1, "下个": 1,
                   "下下": 2, "下下个": 2, "上": -1, "上个": -1}
_CN_PART = {"凌晨": "am", "早上": "am", "早晨": "am", "清早": "am", "上午": "am",
            "中午": "noon", "午后": "pm", "下午": "pm", "傍晚": "pm", "晚上": "night",
            "夜里": "night", "晚": "night"}
_CN_PARTS = "凌晨|早上|早晨|清早|上午|中午|午后|下午|傍晚|晚上|夜里"
_CN_DAY_WORDS = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "明晨": 1,
                 "今天": 0, "今日": 0, "今早": 0, "今晚": 0, "今晨": 0, "昨天": -1, "昨日": -1,
                 "昨晚": -1, "前天": -2, "大前天": -3}
# Traditional characters that date words use, mapped one to one (offsets do not move).
_TRADITIONAL = str.maketrans("週禮後個這號點時內兩鐘間農曆際", "周礼后个这号点时内两钟间农历际")

_EN_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
              "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|"
        r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WD = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
       r"mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)")
_EN_NUM = (r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"(?:a\s+)?couple\s+of|(?:a\s+)?few|several)")
_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_UNIT_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_DAY_WORDS: dict[str, int] = {}
for _n in range(1, 10):
    _DAY_WORDS[_UNITS[_n]] = _DAY_WORDS[_UNIT_ORDINALS[_n]] = _n
for _n, _word in enumerate(_TEENS):
    _DAY_WORDS[_word] = _DAY_WORDS[_word + "th"] = 10 + _n
_DAY_WORDS["twelfth"] = 12
for _tens, _word, _ordinal in ((20, "twenty", "twentieth"), (30, "thirty", "thirtieth")):
    _DAY_WORDS[_word] = _DAY_WORDS[_ordinal] = _tens
    for _n in range(1, 10 if _tens == 20 else 2):
        for _sep in (" ", "-"):
            _DAY_WORDS[_word + _sep + _UNITS[_n]] = _DAY_WORDS[_word + _sep + _UNIT_ORDINALS[_n]] = _tens + _n
_UNITW = "(?:" + "|".join(_UNITS[1:] + _UNIT_ORDINALS[1:]) + ")"
_DAYW = (r"(?:(?:twenty|thirty)(?:[\s-]+" + _UNITW + r")?|twentieth|thirtieth|twelfth|"
         + "|".join(w + "th" for w in _TEENS) + "|" + "|".join(_TEENS) + "|" + _UNITW + ")")
# A year in words: twenty twenty, nineteen eighty-six, two thousand and sixteen, nineteen oh five,
# seventeen hundred thirty three. The century is thirteen to twenty (ten twenty is a time).
_YW_UNITS = "(?:one|two|three|four|five|six|seven|eight|nine)"
_YW_10_99 = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]" + _YW_UNITS + ")?|"
             + "|".join(sorted(_TEENS, key=len, reverse=True)) + ")")
_YW_99 = "(?:" + _YW_10_99 + "|" + _YW_UNITS + ")"
_YW_CENTURY = "(?:thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
_EN_YEARW = (r"(?:two\s+thousand(?:\s+and)?(?:[\s-]+" + _YW_99 + r")?|" + _YW_CENTURY + r"\s+hundred(?:\s+and)?"
             r"(?:\s+" + _YW_99 + r")?|" + _YW_CENTURY + r"[\s-](?:o['’]?\s?" + _YW_UNITS + r"|oh\s+" + _YW_UNITS
             + "|" + _YW_10_99 + "))")
# a year after a date: 2026, '26, of 87, nineteen eighty six
_EN_YEAR_ANY = r"(?:(?:19|20)\d\d|['’]\d\d(?!\d)|(?<=\bof\s)\d\d(?![\d:])|" + _EN_YEARW + ")"
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
                "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}


def _day_number(word: str) -> int | None:
    """A day of the month written as digits or words (21, twenty-first, twenty one)."""
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _DAY_WORDS.get(word)


_RATING = rx.compile(r"rat(?:e|ing)|score|评分|打分|分数|满意|out of|给")


def _month_number(word: str) -> int:
    return _EN_MONTHS[word.lower()[:3]]


def _year(word: str | None) -> int | None:
    """A written year: 2026, '26 or 26 (→ 2026; 40–99 → 19xx), or words (twenty twenty)."""
    if not word:
        return None
    word = word.strip().lstrip("'’")
    if word.isdigit():
        return int(word) if len(word) > 2 else _full_year(word)
    return _en_year_words(word)


def _words_99(words: list[str]) -> int | None:
    """twenty one, forty, thirteen, seven (already split, lower case), or None."""
    if not words:
        return 0
    tens = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
    small = {w: n for n, w in enumerate(_UNITS) if n} | {w: 10 + n for n, w in enumerate(_TEENS)}
    if len(words) == 1:
        return tens.get(words[0], small.get(words[0]))
    if len(words) == 2 and words[0] in tens and words[1] in small and small[words[1]] < 10:
        return tens[words[0]] + small[words[1]]
    return None


def _en_year_words(text: str) -> int | None:
    """The year of a phrase matched by _EN_YEARW."""
    words = [w for w in text.lower().replace("-", " ").replace("’", "'").split() if w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = _words_99(words[2:])
        return None if rest is None else 2000 + rest
    century = _words_99(words[:1])
    if century is None:
        return None
    rest_words = words[2:] if words[1:2] == ["hundred"] else words[1:]
    if rest_words[:1] in (["oh"], ["o"], ["o'"]):
        rest_words = rest_words[1:]
    elif rest_words and rest_words[0].startswith("o'"):
        rest_words = [rest_words[0][2:]] + rest_words[1:]
    rest = _words_99(rest_words)
    return None if rest is None else century * 100 + rest


def _cn_year(match: re.Match[str], ref: dt.date | None) -> tuple[bool, int | None]:
    """(has a year, the year) from the groups y (2026, 26, 二〇二六, 两千零四) or yr (今年, 明年…)."""
    if match.group("y"):
        return True, _full_year(match.group("y"))
    relative = match.group("yr")
    if relative:
        shift = {"今年": 0, "明年": 1, "后年": 2, "去年": -1, "前年": -2}[relative]
        return True, (ref.year + shift) if ref else None
    return False, None


def _full_year(word: str) -> int | None:
    """2026, 26 (→ 2026; 40–99 → 19xx), 二〇二六, 两千, 两千零四."""
    if word.startswith(("两千", "二千")):
        rest = word[2:].lstrip("零〇")
        return 2000 + (cn_number(rest) or 0) if rest else 2000
    year = cn_number(word)
    if year is None:
        return None
    if len(word) == 2:
        year += 2000 if year < 40 else 1900  # 26 → 2026, 89 → 1989
    return year


# --- handlers: language-neutral ------------------------------------------------------------


def _full_date(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    day = _month_day(ref, int(match["m"]), int(match["d"]), int(match["y"]))
    return _date_atom(match, day) if day else None


def _numeric_date(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    first, second = int(match["a"]), int(match["b"])
    before = match.string[max(0, match.start() - 24):match.start()].lower()
    if _RATING.search(before) or (first, second) == (24, 7):
        return None
    if first > 12:
        first, second = second, first
    if not (1 <= first <= 12 and 1 <= second <= 31):
        return None
    year = _year(match.groupdict().get("y"))
    if year is not None:
        day = _month_day(None, first, second, year)
        return _date_atom(match, day) if day else None
    return _date_atom(match, _month_day(ref, first, second), yearless=True)


def _numeric_dmy(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """A numeric date with the year last: month first with / and -, day first with dots."""
    year: int | None
    if match["b2"]:
        day, month, year = int(match["a"]), int(match["b2"]), int(match["y2"])
    else:
        month, day, year = int(match["a"]), int(match["b"]), _full_year(match["y"])
        if month > 12:
            month, day = day, month
    found = _month_day(None, month, day, year)
    return _date_atom(match, found) if found else None


def _clock(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour, minute = int(match["h"]), int(match["mi"])
    part = _CN_PART.get(match["part"] or "") or _ampm(match["ap"])
    return _atom(TIME, match, hour=hour, minute=minute, part=part)


def _ampm(word: str | None) -> str | None:
    if not word:
        return None
    return "am" if word.lower().startswith("a") else "pm"


# --- handlers: Chinese ---------------------------------------------------------------------


def _cn_month_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    month = cn_number(match["m"])
    day = cn_number(match["dd"] or match["dc"])
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    has_year, year = _cn_year(match, ref)
    if has_year and year is None:
        return _date_atom(match, None)
    return _date_atom(match, _month_day(ref, month, day, year))


def _cn_month(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    month = cn_number(match["m"])
    if month is None or not 1 <= month <= 12:
        return None
    has_year, year = _cn_year(match, ref)
    which = None if has_year and year is None else _month_of(ref, month, year)
    return _month_atom(match, which, match["q"] or "")


def _month_atom(match: re.Match[str], which: tuple[int, int] | None, qualifier: str) -> _Atom:
    """A month with a qualifier: 底/末/end → last day, 初/start → 1st, 内 → last day, else vague."""
    if qualifier in ("底", "末", "内", "以内", "之内", "end"):
        return _date_atom(match, _last_day(*which) if which else None)
    if qualifier in ("初", "start"):
        return _date_atom(match, dt.date(which[0], which[1], 1) if which else None)
    return _vague(match)


def _cn_relative_month_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """本月十日, 下个月5号, 去年本月十日: a day of a month named relative to the reference."""
    day = cn_number(match["d"])
    if day is None or not 1 <= day <= 31:
        return None
    if ref is None:
        return _date_atom(match, None)
    years = {"今年": 0, "明年": 1, "去年": -1}.get(match["yr"] or "", 0)
    start = _month_start(ref, _CN_MONTH_SHIFT[match["rel"]] + 12 * years)
    try:
        return _date_atom(match, start.replace(day=day))
    except ValueError:
        return None


def _cn_relative_month(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative, qualifier = match["rel"] or "", match["q"] or ""
    if not relative and not qualifier:
        return None
    if qualifier == "份":
        qualifier = ""
    if ref is None:
        return _vague(match) if qualifier not in ("底", "末", "内", "以内", "之内", "初") \
            else _date_atom(match, None)
    shift = _CN_MONTH_SHIFT[relative]
    if qualifier == "初" and not relative:
        shift = 0 if ref.day == 1 else 1  # 月初 looks forward: the coming 1st
    start = _month_start(ref, shift)
    return _month_atom(match, (start.year, start.month), qualifier)


def _cn_year_form(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative, qualifier = match["rel"] or "", match["q"] or ""
    if not relative and not qualifier:
        return None
    shift = {"": 0, "今": 0, "明": 1, "后": 2, "去": -1}[relative]
    if qualifier in ("底", "末", "内", "以内", "之内"):
        return _date_atom(match, dt.date(ref.year + shift, 12, 31) if ref else None)
    if qualifier == "初" and relative:
        return _date_atom(match, dt.date(ref.year + shift, 1, 1) if ref else None)
    return _vague(match)


def _cn_day_word(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    word = match.group(0)
    part = {"早": "am", "晨": "am", "晚": "night"}.get(word[-1])
    day = ref + dt.timedelta(days=_CN_DAY_WORDS[word]) if ref else None
    return _date_atom(match, day, part=part, deictic=True)


def _cn_weekday(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative, index = match["rel"], _CN_WEEKDAY[match["wd"]]
    if ref is None:
        return _date_atom(match, None, weekday=relative is None)
    if relative is None:
        return _date_atom(match, _weekday_after(ref, index), weekday=True)
    return _date_atom(match, _weekday_of_week(ref, _CN_WEEK_SHIFT[relative], index))


def _cn_week(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative, qualifier = match["rel"], match["q"] or ""
    if relative is None and qualifier != "末":
        return None
    if ref is None:
        return _date_atom(match, None)
    if qualifier == "末":
        return _date_atom(match, _weekend(ref, _CN_WEEK_SHIFT[relative or ""], relative is None))
    return _date_atom(match, _weekday_of_week(ref, _CN_WEEK_SHIFT[relative or ""], 6))


def _weekend(ref: dt.date, weeks: int, bare: bool) -> dt.date:
    """Saturday of the week `weeks` ahead; a bare 周末 said on Sunday means the next one."""
    if bare and ref.weekday() == 6:
        weeks += 1
    return _weekday_of_week(ref, weeks, 5)


def _cn_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    day = cn_number(match["d"])
    if day is None or not 1 <= day <= 31:
        return None
    return _date_atom(match, _day_of_month(ref, day), day_only=day)


def _cn_offset(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    count_word, unit, direction = match["n"], match["u"], match["dir"]
    count = 15 if count_word == "半" and unit == "月" else cn_number(count_word)
    if count_word == "半" and unit != "月":
        count = None
    if count is None:
        return _vague(match)
    if unit == "月" and count_word == "半":
        unit = "天"
    sign = -1 if direction.endswith("前") else 1
    return _date_atom(match, _shift(ref, count * sign, unit) if ref else None, relative=True)


_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7,
              "day": 1, "week": 7, "fortnight": 14}


def _shift(ref: dt.date, count: int, unit: str) -> dt.date:
    """`ref` moved by `count` units: 天/周/月/年/工作日 or day/week/month/working day."""
    if unit in ("工作日", "working day"):
        return _add_working_days(ref, count) if count >= 0 else ref + dt.timedelta(days=count)
    if unit in ("月", "month"):
        return _add_months(ref, count)
    if unit in ("年", "year"):
        return _add_months(ref, 12 * count)
    return ref + dt.timedelta(days=_UNIT_DAYS[unit] * count)


# --- durations: in 5 minutes, 2小时后, 1 year and 2 months later, 3 days from Tuesday ----------

_UNIT_KEYS = {"年": "year", "月": "month", "周": "week", "星期": "week", "礼拜": "week", "天": "day", "日": "day",
              "工作日": "working day", "小时": "hour", "钟头": "hour", "分钟": "minute", "秒": "second",
              "秒钟": "second", "yr": "year", "hr": "hour", "min": "minute", "sec": "second"}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SMALL = {w: n for n, w in enumerate(_UNITS) if n} | {w: 10 + n for n, w in enumerate(_TEENS)}
_UNITS_RE = "(?:" + "|".join(_UNITS[1:]) + ")"
_TEENS_RE = "(?:" + "|".join(sorted(_TEENS, key=len, reverse=True)) + ")"
_TENS_RE = "(?:" + "|".join(_TENS) + ")"
# 1 to 99 in words: twenty-one, forty five, thirteen, seven
_WORDS_99 = "(?:" + _TENS_RE + r"(?:[\s-]" + _UNITS_RE + ")?|" + _TEENS_RE + "|" + _UNITS_RE + ")"
_EN_COUNT = (r"(?:\d{1,3}(?:\.\d{1,2})?|half\s+an?|an?|" + _WORDS_99 + r"|(?:a\s+)?couple\s+of|(?:a\s+)?few|several)")
_EN_UNIT = (r"(?:years?|yrs?|months?|fortnights?|weeks?|(?:working\s+|business\s+)?days?|hours?|hrs?|"
            r"minutes?|mins?|seconds?|secs?)")
_EN_DUR_ITEM = rx.compile(r"(?P<n>" + _EN_COUNT + r")(?P<h1>\s+and\s+a\s+half)?\s+(?P<u>" + _EN_UNIT
                          + r")\b(?P<h2>\s+and\s+a\s+half\b)?", re.IGNORECASE | re.ASCII)
_CN_COUNT = r"(?:\d{1,3}(?:\.\d)?|[零〇一二两三四五六七八九十百]{1,4}|半|几|一两|两三|三五|数)"
_CN_DUR_ITEM = rx.compile(r"(?P<n>" + _CN_COUNT + r")\s*(?P<ge>个\s*)?(?P<h1>半\s*)?(?:个\s*)?"
                          r"(?P<u>工作日|天|周|星期|礼拜|月|年|小时|钟头|分钟|秒钟|秒)(?P<h2>\s*半)?")


def _repeated(item: re.Pattern[str], joiner: str) -> str:
    """An item pattern followed by up to four more (bounded: no unbounded repetition)."""
    bare = re.sub(r"\(\?P<\w+>", "(?:", item.pattern)
    return "(?:" + bare + ")(?:" + joiner + "(?:" + bare + ")){0,4}"


_EN_DUR = _repeated(_EN_DUR_ITEM, r"(?:\s*,\s*|\s+and\s+|\s+)")
_CN_DUR = _repeated(_CN_DUR_ITEM, r"\s*[零又]?\s*")


def _en_count(word: str) -> float | None:
    word = " ".join(word.lower().replace("-", " ").split())
    if word[0].isdigit():
        return float(word)
    if word.startswith("half"):
        return 0.5
    if word in ("a", "an"):
        return 1.0
    if "couple" in word:
        return 2.0
    head, _, tail = word.partition(" ")
    if head in _TENS:
        return float(_TENS[head] + (_SMALL.get(tail, 0) if tail else 0))
    value = _SMALL.get(word)
    return float(value) if value is not None else None  # a few, several: vague


def _cn_count(word: str) -> float | None:
    if word == "半":
        return 0.5
    if "." in word:
        return float(word)
    if "百" in word:
        return None
    value = cn_number(word)
    return float(value) if value is not None else None  # 几, 数, 一两: vague


def _one_duration(count: float, unit: str) -> _Duration:
    """`count` units as a duration; a fraction of a month is counted as 30 days (半个月: 15)."""
    whole, part = int(count), count - int(count)
    if unit == "year":
        months = round(count * 12)
        return months, 0, 0, 0
    if unit == "month":
        return whole, round(part * 30), 0, 0
    if unit in ("week", "fortnight"):
        days = count * (14 if unit == "fortnight" else 7)
        return 0, int(days), 0, round((days - int(days)) * 86400)
    if unit == "day":
        return 0, whole, 0, round(part * 86400)
    if unit == "working day":
        return 0, 0, whole, 0
    seconds = {"hour": 3600, "minute": 60, "second": 1}[unit]
    return 0, 0, 0, round(count * seconds)


def _en_unit(word: str) -> str:
    word = " ".join(word.lower().split())
    if word.startswith(("working", "business")):
        return "working day"
    word = word.rstrip("s") if word not in ("hrs", "mins", "secs", "yrs") else word[:-1]
    return _UNIT_KEYS.get(word, word)


def _duration(text: str, language: str) -> tuple[_Duration | None, bool, int]:
    """(the duration written in `text`, whether it has hours/minutes/seconds, how many parts).
    The duration is None when a count is vague (a few days, 几天)."""
    total = [0, 0, 0, 0]
    clock, parts, vague = False, 0, False
    items = _EN_DUR_ITEM if language == "en" else _CN_DUR_ITEM
    for item in items.finditer(text):
        parts += 1
        if language == "en":
            count, unit = _en_count(item["n"]), _en_unit(item["u"])
        else:
            count, unit = _cn_count(item["n"]), _UNIT_KEYS[item["u"]]
            if unit == "month" and not item["ge"] and item["n"] != "半" and not item["h1"]:
                return None, False, 0  # 3月后 names March, 三个月后 is a duration
        clock = clock or unit in ("hour", "minute", "second")
        if count is None:
            vague = True
            continue
        if item["h1"] or item["h2"]:
            count += 0.5
        for index, value in enumerate(_one_duration(count, unit)):
            total[index] += value
    if vague:
        return None, clock, parts
    return (total[0], total[1], total[2], total[3]), clock, parts


def _signed(duration: _Duration, sign: int) -> _Duration:
    return duration[0] * sign, duration[1] * sign, duration[2] * sign, duration[3] * sign


def _shift_day(day: dt.date, duration: _Duration) -> dt.date:
    """`day` moved by a signed duration (its seconds are ignored)."""
    months, days, working, _seconds = duration
    day = _add_months(day, months) + dt.timedelta(days=days)
    if working > 0:
        return _add_working_days(day, working)
    return day + dt.timedelta(days=working)


def _shift_moment(moment: dt.datetime, duration: _Duration) -> dt.datetime:
    day = _shift_day(moment.date(), duration)
    return dt.datetime.combine(day, moment.time()) + dt.timedelta(seconds=duration[3])


def _from_now(match: re.Match[str], ref: dt.date | None, language: str, sign: int,
              force: bool = False) -> _Atom | None:
    """A duration counted from the reference moment. Only what the older day-offset patterns do
    not cover is taken (a clock unit, several parts), unless `force`."""
    duration, clock, parts = _duration(match["dur"], language)
    if not (force or clock or parts > 1):
        return None
    if duration is None:
        return _vague(match) if parts else None
    signed = _signed(duration, sign)
    if clock:
        return _date_atom(match, None, duration=signed, relative=True)  # resolved with the moment in find_times
    return _date_atom(match, _shift_day(ref, signed) if ref else None, relative=True)


def _en_from_now(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    after = " ".join((match.groupdict().get("dir") or "").lower().split())
    sign = -1 if after in ("ago", "before now", "earlier") else 1
    return _from_now(match, ref, "en", sign, force=after in ("later", "hence") or "fortnight" in match["dur"].lower())


def _cn_from_now(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    return _from_now(match, ref, "zh", -1 if match["dir"].endswith("前") else 1)


def _shift_atom(match: re.Match[str], _ref: dt.date | None, language: str) -> _Atom | None:
    duration, _clock, _parts = _duration(match["dur"], language)
    if duration is None:
        return None
    direction = " ".join(match["dir"].lower().split())
    sign = -1 if direction in ("before", "prior to") or direction.endswith("前") else 1
    return _atom(SHIFT, match, duration=_signed(duration, sign), word=language)


def _en_since_year(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """in two years since 2011: the duration counted from 1 January of that year."""
    duration, clock, _parts = _duration(match["dur"], "en")
    if duration is None or clock:
        return None
    return _date_atom(match, _shift_day(dt.date(int(match["y"]), 1, 1), duration))


def _cn_time(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour = cn_number(match["h"])
    if hour is None or hour > 24:
        return None
    minute = 0
    if match["half"]:
        minute = 30
    elif match["q"]:
        minute = 15 if match["q"] == "一刻" else 45
    elif match["mi"]:
        value = cn_number(match["mi"])
        if value is None or value > 59:
            return None
        minute = value
    part = _CN_PART.get(match["part"] or "")
    weak = part is None and minute == 0 and match["h"] in ("一", "两")
    return _atom(TIME, match, hour=hour % 24, minute=minute, part=part, weak=weak)


def _cn_time_range(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour = cn_number(match["h"])
    if hour is None or hour > 24:
        return None
    return _atom(TIME, match, hour=hour, part=_CN_PART.get(match["part"] or ""))


def _cn_part(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    return _atom(PART, match, part=_CN_PART[match.group(0)])


# --- handlers: English ---------------------------------------------------------------------


def _en_month_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    month, day = _month_number(match["mon"]), _day_number(match["d"])
    glued = match.string[match.end("mon"):match.start("d")].strip() in ("", "/", "-", ".")
    if match["mon"][0].islower() and match["mon"].lower() in ("may", "march", "mar") \
            and not (glued and match["d"].isdigit() and match.end("mon") == match.start("d")) \
            and not (not match["d"].isdigit() and _ORDINAL_WORD.search(match["d"])):
        return None  # the verbs "may" and "march" (but mar3, may5, march eighteenth)
    if day is None:
        return None
    ordinal = _ORDINAL_WORD.search(match["d"]) or _ORDINAL_WORD.search(match.string[match.start("d"):match.end("d") + 2])
    if not match["d"].isdigit() and not ordinal and not match["y"] \
            and not _CLAUSE_END.match(match.string, match.end()):
        return None  # "March two teams": a cardinal word is a day only at the end of a clause
    start = _month_day(ref, month, day, _year(match["y"]))
    if start is None and (ref is not None or match["y"]):
        return None
    end = None
    if match.groupdict().get("d2"):
        end = _month_day(None, month, int(match["d2"]), start.year) if start else None
    return _date_atom(match, start, end_date=end, yearless=not match["y"])


def _en_day_of_month(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    day = _day_number(match["d"].rstrip("stndrh") if match["d"][0].isdigit() else match["d"])
    if day is None or not 1 <= day <= 31:
        return None
    written = match.group(0).lower()
    if not match["d"][0].isdigit() and not _ORDINAL_WORD.search(match["d"]) \
            and not written.startswith("the") and " day " not in written:
        return None  # "one of May's pages"
    if match["mon"]:
        year = _year(match["y"])
        if match["y"] and year is None:
            return None
        return _date_atom(match, _month_day(ref, _month_number(match["mon"]), day, year), yearless=year is None)
    if ref is None:
        return _date_atom(match, None)
    shift = {"next": 1, "following": 1, "coming": 1, "last": -1, "previous": -1}.get(match["rel"].lower(), 0)
    return _date_atom(match, _same_month_day(_month_start(ref, shift), day))


def _same_month_day(month: dt.date, day: int) -> dt.date | None:
    try:
        return month.replace(day=day)
    except ValueError:
        return None


_TIME_NEXT = rx.compile(r"\s*(?:,\s*)?(?:at\b|\d{1,2}\s*(?::|[ap]\.?m))", re.IGNORECASE)
_CLAUSE_END = rx.compile(r"\s*(?:$|[,;!?)]|\.(?!\d)|at\b|(?:and|or|to|for|with)\b)", re.IGNORECASE)
_ORDINAL_WORD = rx.compile(r"(?:first|second|third|th)$", re.IGNORECASE)
_TIME_BEFORE = rx.compile(r"(?:\d\s*[ap]\.?m\.?|\d:\d\d|o['’]?clock|\b" + _HOUR_WORDS + r")\s+on\s+$", re.IGNORECASE)


def _en_bare_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """on 15, on the 27, by 15th: a day of the month after a preposition."""
    day = int(match["d"]) if match["d"] else _day_number(match["dw"])
    if day is None or not 1 <= day <= 31:
        return None
    the = match.group(0).lower().startswith("the")
    if match["dw"] and not the:
        return None  # "on one", "at ten": not a day
    if match["d"] and not the and not match["o"] and not _TIME_NEXT.match(match.string, match.end()) \
            and not _TIME_BEFORE.search(match.string, 0, match.start()):
        return None  # "by 15", "agreed on 5.": a bare number is a day only before a time
    return _date_atom(match, _day_of_month(ref, day), day_only=day)


def _en_year_month_day(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    day = _month_day(None, _month_number(match["mon"]), int(match["d"]), int(match["y"]))
    return _date_atom(match, day) if day else None


def _en_day_month(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    month, day = _month_number(match["mon"]), int(match["d"])
    if match["mon"][0].islower() and match["mon"].lower() in ("may", "march", "mar"):
        return None
    start = _month_day(ref, month, day, _year(match["y"]))
    if start is None and (ref is not None or match["y"]):
        return None
    end = None
    if match.groupdict().get("d1"):
        first = _month_day(ref, month, int(match["d1"]), _year(match["y"]))
        start, end = first, (_month_day(None, month, day, first.year) if first else None)
    return _date_atom(match, start, end_date=end, yearless=not match["y"])


def _en_bare_month(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    if not match["mon"][0].isupper():
        return None
    return _vague(match)


def _en_ordinal_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    day = int(match["d"])
    if not 1 <= day <= 31:
        return None
    return _date_atom(match, _day_of_month(ref, day), day_only=day)


_EN_WEEK_SHIFT = {"this": 0, "next": 1, "following": 1, "the following": 1, "coming": None,
                  "the coming": None, "last": -1, "previous": -1, "the previous": -1}


def _en_weekday(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    word = match["wd"]
    full = word.lower().endswith("day")
    if not full and not word[0].isupper():
        return None  # "sat", "sun", "wed" as words
    index = _EN_WEEKDAYS[word.lower()[:3]]
    relative = " ".join((match["rel"] or "").lower().split())
    week = " ".join((match["wk"] or match["nw"] or "").lower().split())
    bare = not relative and not week
    if ref is None:
        return _date_atom(match, None, weekday=bare)
    if relative in ("past", "this past", "the past"):
        return _date_atom(match, ref - dt.timedelta(days=(ref.weekday() - index - 1) % 7 + 1))
    if week:
        week = week.removeprefix("of ").removeprefix("the ").removesuffix(" week").strip()
        weeks = 2 if week == "after next" else _EN_WEEK_SHIFT.get(week, 0)
    else:
        weeks = _EN_WEEK_SHIFT.get(relative)
    if weeks is None:
        return _date_atom(match, _weekday_after(ref, index), weekday=bare)
    return _date_atom(match, _weekday_of_week(ref, weeks, index))


_WEEKDAY_QUALIFIER = rx.compile(r"\b(?:this|next|coming|the)\s+$", re.IGNORECASE)


def _en_weekday_date(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """Friday the 15th, Monday 21, Friday 7/6: the first day on or after the reference that fits both."""
    index = _EN_WEEKDAYS[match["wd"].lower()[:3]]
    if match["m"]:
        month, day = int(match["m"]), int(match["d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        found = _month_day(ref, month, day)
        if match["s"] == "-" and day <= 12 and (found is None or found.weekday() != index):
            return None  # Monday 3-5 is an hour range unless 5 March is a Monday (Friday 7-6 on 2018-07-06)
        atom = _date_atom(match, found, yearless=True)
        before = _WEEKDAY_QUALIFIER.search(match.string, max(0, match.start() - 12), match.start())
        if before is not None:
            atom.start = before.start()  # this Friday 7/6: the date, and the words are one expression
        return atom
    dom = _day_number(match["dom"])
    if dom is None or not 1 <= dom <= 31:
        return None
    day = dom
    written = match.group(0).lower()
    if " the " not in written and not re.search(r"\d(?:st|nd|rd|th)$", written) \
            and (not match["dom"].isdigit() or not _CLAUSE_END.match(match.string, match.end())):
        return None  # "Friday 2 people", "Monday two": not a day of the month
    if ref is None:
        return _date_atom(match, None)
    candidates = []
    for months in range(0, 28):
        start = _month_start(ref, months)
        if day <= calendar.monthrange(start.year, start.month)[1]:
            candidate = start.replace(day=day)
            if candidate.weekday() == index and candidate >= ref:
                candidates.append(candidate)
    if not candidates:
        return _date_atom(match, _day_of_month(ref, day), day_only=day)
    return _date_atom(match, candidates[0])


def _en_nth_weekday(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """the first Friday of next month, the last Monday of June."""
    nth, index = _EN_ORDINALS[match["nth"].lower()], _EN_WEEKDAYS[match["wd"].lower()[:3]]
    if ref is None:
        return _date_atom(match, None)
    if match["mon"]:
        which = _month_of(ref, _month_number(match["mon"]), _year(match["y"]))
        year, month = which if which else (ref.year, ref.month)
    else:
        shift = {"next": 1, "last": -1, "previous": -1}.get((match["rel"] or "").lower(), 0)
        start = _month_start(ref, shift)
        year, month = start.year, start.month
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if dt.date(year, month, d).weekday() == index]
    if nth > len(days):
        return _date_atom(match, None)
    return _date_atom(match, dt.date(year, month, days[nth - 1 if nth > 0 else -1]))


def _en_nth_week_day(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """1st week of Oct. on Friday: the nth week is the month's days 7n-6 to 7n, so its Friday is the nth Friday."""
    return _en_nth_weekday(match, ref)


def _en_day_word(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    word = " ".join(match.group(0).lower().split())
    if word.startswith("the "):
        word = word[4:]
    shift = {"today": 0, "tonight": 0, "tonite": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "yesterday": -1,
             "day after tomorrow": 2, "day before yesterday": -2, "this morning": 0,
             "this afternoon": 0, "this evening": 0, "this night": 0, "last night": -1}[word]
    part = {"tonight": "night", "tonite": "night", "this morning": "am", "this afternoon": "pm",
            "this evening": "night", "this night": "night", "last night": "night"}.get(word)
    return _date_atom(match, ref + dt.timedelta(days=shift) if ref else None, part=part, deictic=True)


def _en_weekend(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative = (match["rel"] or "").lower()
    if ref is None:
        return _date_atom(match, None)
    weeks = 1 if relative == "next" else 0
    return _date_atom(match, _weekend(ref, weeks, relative != "next"))


def _en_year_end(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    shift = 1 if (match["which"] or "").lower() == "next" else 0
    return _date_atom(match, dt.date(ref.year + shift, 12, 31) if ref else None)


def _en_offset(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    count = 14 if match["u"].lower() == "fortnight" else _en_number(match["n"] or "one")
    if count is None:
        return _vague(match)
    unit = match["u"].lower().rstrip("s")
    if unit == "fortnight":
        unit, count = "day", 14
    if match["bd"] and unit == "day":
        unit = "working day"
    sign = -1 if (match.groupdict().get("ago") or "").lower() == "ago" else 1
    base = {"tomorrow": 1, "tmrw": 1, "yesterday": -1}.get((match.groupdict().get("base") or "").lower(), 0)
    if ref is None:
        return _date_atom(match, None)
    return _date_atom(match, _shift(ref + dt.timedelta(days=base), sign * count, unit), relative=True)


def _en_time(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour = int(match["h"])
    minute = int(match["mi"]) if match["mi"] else 0
    return _atom(TIME, match, hour=hour, minute=minute, part=_ampm(match["ap"]))


def _en_time_range(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour, end_hour = int(match["h"]), int(match["h2"])
    minute = int(match["mi"]) if match["mi"] else 0
    part = _ampm(match["ap"]) or _ampm(match["ap2"])
    if not match["ap"] and part == "pm" and hour > end_hour:
        part = "am"  # 11-1pm starts in the morning
    return _atom(TIME, match, hour=hour, minute=minute, part=part)


def _en_at_hour(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    hour = _en_number(match["h"])
    if hour is None or not 1 <= hour <= 12:
        return None
    minute = int(match["mi"]) if match["mi"] else 0
    part = _ampm(match.groupdict().get("ap"))
    return _atom(TIME, match, hour=hour, minute=minute, part=part, weak=not (match["oc"] or part))


def _en_word_time(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """six pm, seven thirty am, nine thirty: an hour in words with minutes in words or am/pm.
    Without am/pm the time counts only next to a date (weak), like a bare "at 7"."""
    if not match["mi"] and not match["ap"]:
        return None
    hour = _en_number(match["h"])
    minute = _minute_words(match["mi"]) if match["mi"] else 0
    if hour is None or minute is None or minute > 59:
        return None
    return _atom(TIME, match, hour=hour, minute=minute, part=_ampm(match["ap"]), weak=not match["ap"])


def _minute_words(text: str) -> int | None:
    """thirty, twenty-seven, forty three minutes, oh five, o'five."""
    words = text.lower().replace("-", " ").replace("’", "'").replace("o'", "o ").split()
    words = [w for w in words if w != "minutes"]
    if words and words[0] in ("o", "oh"):
        value = _words_99(words[1:])
        return value if value is not None and value < 10 else None
    return _words_99(words)


def _en_past_to(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """half past seven, a quarter to nine, twenty past eight, 36 minutes past 8."""
    hour = _en_number(match["h"])
    if match["q"]:
        minutes: int | None = 30 if match["q"].lower() == "half" else 15
    elif match["mn"]:
        minutes = int(match["mn"]) if match["mn"].isdigit() else _minute_words(match["mn"])
    else:
        minutes = _minute_words(match["mw"])
    before = match["rel"].lower() in ("to", "before", "till")
    if hour is None or not 1 <= hour <= 12 or minutes is None or not 0 < minutes < 60:
        return None
    if match["mw"] and before or (match["q"] and match["q"].lower() == "half" and before):
        return None  # "ten to five" is a range as often as 4:50
    if before:
        hour, minutes = (hour - 1) or 12, 60 - minutes
    return _atom(TIME, match, hour=hour, minute=minutes, part=_ampm(match["ap"]))


def _en_month_year_day(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """September-2020-23, 23-2020-September, 2020/23/Sep: unambiguous with the month in words."""
    month = match["mon"] or match["mon2"] or match["mon3"]
    year = match["y"] or match["y2"] or match["y3"]
    day = match["d"] or match["d2"] or match["d3"]
    found = _month_day(None, _month_number(month), int(day), int(year))
    return _date_atom(match, found) if found else None


def _en_word_day_month(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    """twenty five January nineteen eighty six: a day in words, a month, a year."""
    day, year = _day_number(match["d"]), _year(match["y"])
    if day is None or year is None:
        return None
    found = _month_day(ref, _month_number(match["mon"]), day, year)
    return _date_atom(match, found) if found else None


def _cn_written_year(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """二〇二六年, 2026年 alone: vague; 2026年底: 31 December; 2027年初: 1 January."""
    year = _full_year(match["y"])
    if year is None or not 1000 <= year <= 2999:
        return None
    if match["q"] in ("底", "末"):
        return _date_atom(match, dt.date(year, 12, 31))
    if match["q"] == "初":
        return _date_atom(match, dt.date(year, 1, 1))
    return _vague(match)


def _weak_range(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """3-5, 7 to 7:30 without am/pm: the start hour, counted only next to a date."""
    hour, end = int(match["h"]), int(match["h2"])
    if not 1 <= hour <= 12 or not 1 <= end <= 12:
        return None
    minute = int(match["mi"]) if match["mi"] else 0
    return _atom(TIME, match, hour=hour, minute=minute, weak=True)


def _en_bare_hour(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    """10, tonight / 7 this evening: a bare hour before a day word that names the part of the day."""
    minute = int(match["mi"]) if match["mi"] else 0
    return _atom(TIME, match, hour=int(match["h"]), minute=minute, weak=True)


def _en_noon(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    midnight = match.group(0).lower() == "midnight"
    return _atom(TIME, match, hour=0 if midnight else 12, part="am" if midnight else "noon")


def _en_part(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
    word = match["p"].lower()
    return _atom(PART, match, part={"morning": "am", "afternoon": "pm"}.get(word, "night"))


def _eod(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    return _atom(EOD, match, date=ref)


def _marker(kind: str) -> _Handler:
    def handler(match: re.Match[str], _ref: dt.date | None) -> _Atom | None:
        return _atom(kind, match, word=" ".join(match.group(0).lower().split()))

    return handler


# --- the pattern tables --------------------------------------------------------------------

_I = re.IGNORECASE
_YEAR_CN = (r"(?:(?P<y>\d{4}|(?<!\d)\d{2}|[零〇一二三四五六七八九]{4}|[两二]千(?:零?[一二三四五六七八九十]{1,3})?)"
            r"\s*年\s*|(?P<yr>今年|明年|后年|去年|前年))?")

_Table = tuple[list[tuple[re.Pattern[str], _Handler]], dict[re.Pattern[str], re.Pattern[str]]]


def _common_table() -> _Table:
    return [
        # year first: 2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 2026 04 01, 20260401
        (rx.compile(r"(?<![\d.])(?P<y>1\d{3}|20\d\d)(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)"
                    r"\s*[日号]?"), _full_date),
        (rx.compile(r"(?<![\d.])(?P<y>1\d{3}|20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})(?!\d)"
                    r"\s*[日号]?"), _full_date),
        (rx.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d) (?P<m>0[1-9]|1[0-2]) (?P<d>0[1-9]|[12]\d|3[01])(?![\d:])"),
         _full_date),
        (rx.compile(r"(?<![\dA-Za-z])(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
                    r"(?![\dA-Za-z])"), _full_date),
        # year last: 4/1/2026 and 4-1-26 (month first, unless the first number is over 12), 1.4.2026 (day first)
        (rx.compile(r"(?<![\d/.:])(?P<a>\d{1,2})(?:(?P<s>[/\-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})|"
                    r"\.(?P<b2>\d{1,2})\.(?P<y2>\d{4}))(?!\d|[/.]\d)"), lambda m, r: _numeric_dmy(m, r)),
        (rx.compile(r"(?<![\d/.:])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|\s*(?:分|points?|stars?))"
                    r"(?:\s*,\s*(?P<y>(?:19|20)\d\d)(?!\d))?"), _numeric_date),
        (rx.compile(r"(?:(?P<part>" + _CN_PARTS + r")\s*)?(?<![\d:])(?P<h>[01]?\d|2[0-3])\s*[:：]\s*"
                    r"(?P<mi>[0-5]\d)(?::[0-5]\d)?(?![\d:])(?:\s*(?P<ap>[ap]\.?m\.?)(?![a-z]))?", _I), _clock),
    ], {}


def _zh_table() -> _Table:
    # Patterns that only a few texts can match run only where a cheap test finds their words.
    lunar = rx.compile(_NUM_GUARD + _YEAR_CN + r"(?:农历|阴历)?(?:(?:正|腊|冬)月(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]?|[二三]?十[一二三四五六七八九]?|"
                       r"[一二三四五六七八九])?|(?:十[一二]?|[一二三四五六七八九])月(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]?)|"
                       r"大年(?:初[一二三四五六七八九十]|三十|夜))")
    table = [
        (rx.compile(_NUM_GUARD + _YEAR_CN + r"(?P<m>" + _MONTH + r")\s*月\s*(?:(?P<dd>\d{1,2})(?!\d)"
                    r"\s*[日号]?|(?P<dc>" + _DAY + r")(?:\s*[日号]|(?![\d零〇一二两三四五六七八九十百千万亿个天日号年月点时分秒周%])))"),
         _cn_month_day),
        (rx.compile(r"(?:(?P<yr>今年|明年|去年)\s*)?(?P<rel>下下个?|下个?|本|这个?|当|上个?)月\s*"
                    r"(?P<d>\d{1,2}|" + _DAY + r")\s*[日号]"), lambda m, r: _cn_relative_month_day(m, r)),
        (rx.compile(_NUM_GUARD + _YEAR_CN + r"(?P<m>" + _MONTH + r")\s*月份?"
                    r"(?P<q>底|末|初|上旬|中旬|下旬|中|以内|之内|内)?"), _cn_month),
        (rx.compile(r"(?:(?P<rel>下下个?|下个?|本|这个?|当|上个?)|(?<![\d零〇一二两三四五六七八九十个]))月份?"
                    r"(?P<q>底|末|初|上旬|中旬|下旬|中|以内|之内|内|份)?"), _cn_relative_month),
        (rx.compile(r"(?:(?P<rel>今|明|后|去)|(?<![\d零〇一二两三四五六七八九十]))年"
                    r"(?P<q>底|末|初|中|以内|之内|内)?"), _cn_year_form),
        (rx.compile("|".join(sorted(_CN_DAY_WORDS, key=len, reverse=True))), _cn_day_word),
        (rx.compile(r"(?<!每)(?P<rel>下下个?|下个?|本|这个?|上上个?|上个?|今)?(?:周|星期|礼拜)"
                    r"(?P<wd>[一二三四五六日天1-7])(?![次])"), _cn_weekday),
        (rx.compile(r"(?<!每)(?P<rel>下下个?|下个?|本|这个?|上个?)?(?:周|星期|礼拜)"
                    r"(?P<q>末|以内|之内|内)?(?![一二三四五六日天1-7])"), _cn_week),
        (rx.compile(r"(?<![\d零〇一二两三四五六七八九十月/.\-大小])(?P<d>\d{1,2}|" + _DAY + r")\s*[号日]"
                    r"(?![楼线室院机码位字])"), _cn_day),  # not a font size: 大一号, 小四号, 五号字
        # 2小时后, 半小时后, 5分钟以后, 一年零两个月后 (hours and minutes count from the reference moment)
        (rx.compile(r"(?<![\d.零〇一二两三四五六七八九十百])(?P<dur>" + _CN_DUR + r")\s*(?:左右\s*)?"
                    r"(?P<dir>之内|以内|内|之后|以后|后|之前|以前|前)"), _cn_from_now),
        # 下周三后两天, 明天的后一天, 周五前两天: counted from the day before it
        (rx.compile(r"(?:的\s*)?(?P<dir>之后|以后|后|之前|以前|前)\s*(?:的\s*)?(?P<dur>" + _CN_DUR + r")"
                    r"(?!\s*(?:左右\s*)?(?:之?内|以内|之后|以后|后|之前|以前|前|[\d零〇一二两三四五六七八九十]))"),
         lambda m, r: _shift_atom(m, r, "zh")),
        # a year alone (二〇二六年, 2026年: vague), or its end or start (2026年底, 2027年初)
        (rx.compile(r"(?<![\d零〇一二两三四五六七八九十])(?P<y>\d{4}|[零〇一二三四五六七八九]{4})\s*年"
                    r"(?P<q>底|末|初)?"), _cn_written_year),
        # lunar dates (正月初一, 腊月廿三, 十月初一, 大年三十): vague, parsing has no lunar calendar
        (lunar, _vague),
        (rx.compile(r"(?P<n>\d{1,3}|[零〇一二两三四五六七八九十]{1,3}|半|几|一两|两三|三五|数)\s*(?:个\s*)?"
                    r"(?P<u>工作日|天|日|周|星期|礼拜|月|年)\s*(?:(?:左右)\s*)?"
                    r"(?P<dir>之内|以内|内|之后|以后|后|之前|以前|前)"), _cn_offset),
        (rx.compile(r"(?:(?:春节|过年|新年|元旦|清明节?|五一|劳动节|端午节?|中秋节?|国庆节?|圣诞节?|双十一)"
                    r"(?:假期|长假|小长假)?|年前|年后|节前|节后)(?:之前|以前|前|之后|以后|后|期间|左右)?"),
         _vague),
        (rx.compile(r"(?:第?[一二三四1-4]季度|(?:下|本|这|上)个?季度)(?:末|底|初)?|[上中下]旬|上半年|下半年"),
         _vague),
        (rx.compile(r"(?:(?P<part>" + _CN_PARTS + r")\s*)?(?<![第下如几这那])(?P<h>" + _HOUR
                    + r")\s*(?P<z>[点點时])(?:(?P<half>半)|(?P<q>一刻|三刻)|整|"
                    # minutes in characters need two of them or a 分: "两点一起去" is 2:00, not 2:01
                    r"\s*(?P<mi>\d{1,2}|[零〇一二三四五六七八九十]{2,3}|[一二三四五六七八九十](?=\s*分))\s*分?)?"
                    r"(?!建议|意见|问题|需求|要求|内容|说明|原因|修改|反馈|考虑|改动|想法)"), _cn_time),
        (rx.compile(r"(?:(?P<part>" + _CN_PARTS + r")\s*)?(?P<h>" + _HOUR + r")\s*(?:(?:点|时)\s*)?[-~～到至]\s*"
                    + _HOUR + r"\s*[点时]"), _cn_time_range),
        (rx.compile(_CN_PARTS), _cn_part),
        (rx.compile(r"下班(?:之前|以前|前)|收工(?:之前|前)"), _eod),
        (rx.compile(r"截止(?:到|至|日期(?:是|为)?|时间(?:是|为)?)?|截至|最晚|最迟|不晚于|务必于"), _marker(PRE)),
        (rx.compile(r"之前|以前|前(?![后天端期台面提])|为止|截止|之内|以内|内(?![容部外网存])"), _marker(POST)),
        (rx.compile(r"到|至|~|～|—|–|-|－"), _marker(SEP)),
    ]
    gates = {
        lunar: rx.compile(r"[正腊冬廿大初]"),
    }
    return table, gates


def _en_table() -> _Table:
    # Patterns that only a few texts can match run only where a cheap test finds their words.
    in_duration = rx.compile(r"\b(?:in|within|after)\s+(?:the\s+next\s+|another\s+)?(?P<dur>" + _EN_DUR
                             + r")(?:['’]s)?(?:\s+time)?\b", _I | re.A)
    duration_ago = rx.compile(r"\b(?P<dur>" + _EN_DUR + r")\s+(?P<dir>from\s+now|hence|later|after\s+now|ago|before\s+now|"
                              r"earlier)\b", _I | re.A)
    since_year = rx.compile(r"\b(?:in|after)\s+(?P<dur>" + _EN_DUR + r")\s+since\s+(?:the\s+year\s+)?"
                            r"(?P<y>1[89]\d\d|20\d\d)\b(?![/\-.]\d)", _I | re.A)
    since = rx.compile(r"\b(?:in|after)\s+(?P<dur>" + _EN_DUR + r")\s+(?P<dir>since)(?=\s)", _I | re.A)
    duration_from = rx.compile(r"\b(?P<dur>" + _EN_DUR + r")\s+(?P<dir>from|after|before|prior\s+to)(?=\s)", _I | re.A)
    past_to = rx.compile(r"\b(?:(?P<q>half|(?:a\s+)?quarter)|(?P<mn>\d{1,2}|" + _WORDS_99 + r")\s+minutes?|(?P<mw>"
                         + _WORDS_99 + r"))\s+(?P<rel>past|after|to|before|till)\s+(?P<h>1[0-2]|[1-9]|" + _HOUR_WORDS
                         + r")\b(?:\s*o['’]?clock)?(?:\s*(?P<ap>[ap]\.?\s?m\b\.?))?", _I | re.A)
    word_day_month_year = rx.compile(r"\b(?:the\s+)?(?P<d>" + _DAYW + r")\s+(?:of\s+)?(?P<mon>" + _MON
                                     + r")\b,?\s+(?P<y>" + _EN_YEAR_ANY + r")\b", _I | re.A)
    table = [
        # May 5, May 5th 2026, May fifth, Oct/2, Oct-2, Oct.23, Mar3, July 4th of 1995, March 10-12
        (rx.compile(r"\b(?P<mon>" + _MON + r")(?:\.?\s*|[/\-])(?:the\s+)?(?P<d>\d{1,2}|" + _DAYW + r")(?:st|nd|rd|th)?"
                    r"(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?(?!\d|:|[.,]\d|\s*[ap]\.?m\b)"
                    r"(?:(?:\s*(?:,\s*)?|[/\-])(?:of\s+|in\s+)?(?P<y>" + _EN_YEAR_ANY + r"))?\b", _I | re.A), _en_month_day),
        (rx.compile(r"\b(?P<mon>" + _MON + r"),\s*(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)\b"
                    r"(?:,?\s*(?P<y>" + _EN_YEAR_ANY + r")\b)?", _I | re.A), _en_month_day),
        # the 15th of next month, the thirty-first day of the month, twenty third day of September
        (rx.compile(r"\b(?:the\s+)?(?P<d>\d{1,2}(?:st|nd|rd|th)|" + _DAYW + r")(?:\s+day)?\s+of\s+(?:(?:the\s+)?"
                    r"(?P<rel>this|next|last|previous|following|the|coming)\s+month|(?P<mon>" + _MON + r")(?:,?\s+(?:of\s+)?"
                    r"(?P<y>" + _EN_YEAR_ANY + r"))?)\b",
                    _I | re.A), lambda m, r: _en_day_of_month(m, r)),
        # on 15, on the 27, by 15th, 8pm on the 15, 5.12 after on/by
        (rx.compile(r"(?:(?<=\bon\s)|(?<=\bby\s)|(?<=\bfor\s)|(?<=\bbefore\s)|(?<=\buntil\s)|(?<=\bat\s))"
                    r"(?:the\s+)?(?:(?P<d>[12]\d|3[01]|0?[1-9])(?P<o>st|nd|rd|th)?|(?P<dw>" + _DAYW + r"))\b"
                    r"(?=\s*(?:$|[.,;!?)]|,?\s*at\b|,?\s*\d{1,2}\s*(?::|[ap]\.?m)))", _I | re.A),
         lambda m, r: _en_bare_day(m, r)),
        (rx.compile(r"(?:(?<=\bon\s)|(?<=\bby\s)|(?<=\bin\s)|(?<=\bbefore\s)|(?<=\buntil\s))"
                    r"(?P<a>1[0-2]|0?[1-9])[.\-](?P<b>[12]\d|3[01]|0?[1-9])(?![\d.\-/%]|\.\d)"
                    r"(?=\s*(?:$|[,;!?)]|\.(?!\d)|at\b|(?:and|or|to|for|with)\b))", _I | re.A), _numeric_date),
        # 27.02., 30.04.: day and month with the dot after each, as German and Swiss mail writes them
        (rx.compile(r"(?<![\d.])(?P<b>0[1-9]|[12]\d|3[01])\.(?P<a>0[1-9]|1[0-2])\.(?![\d]|\d)", re.A), _numeric_date),
        # 5 May, the 5th of May, 10-12 March, 16. Nov. 2016, 05-Aug-2016, 28 June in 2026
        (rx.compile(r"(?<![$€£¥])(?<![$€£¥]\s)\b(?:(?:the\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to)\s*)?"
                    r"(?:the\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\.?\s+(?:of\s+)?|[-/])(?P<mon>" + _MON
                    + r")\b\.?(?:(?:\s*(?:,\s*)?|[-/])(?:of\s+|in\s+)?(?P<y>" + _EN_YEAR_ANY + r")\b)?", _I | re.A), _en_day_month),
        (rx.compile(r"\b(?P<y>(?:19|20)\d\d)[-/](?P<mon>" + _MON + r")[-/](?P<d>\d{1,2})\b", _I | re.A),
         _en_year_month_day),
        (rx.compile(r"\b(?P<mon>January|February|March|April|May|June|July|August|September|October|"
                    r"November|December|Jan|Feb|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b(?:\s+20\d\d)?", re.A),
         _en_bare_month),
        (rx.compile(r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b", _I | re.A), _en_ordinal_day),
        # Friday, next Friday, this past Wednesday, next week on Tuesday, Friday of next week
        (rx.compile(r"\b(?:(?P<rel>this\s+past|the\s+past|past|this|next|coming|the\s+coming|last|previous|"
                    r"the\s+previous|the\s+following|following)\s+)?(?:(?P<wk>this|next|last|previous|"
                    r"the\s+following|following)\s+week\s*(?:on\s+|-\s*|,\s*)?)?(?P<wd>" + _WD + r")\b"
                    r"(?:,?\s+(?P<nw>next\s+week|this\s+week|after\s+next|of\s+(?:the\s+)?(?:this|next|last|"
                    r"previous|following)\s+week))?", _I | re.A), _en_weekday),
        # Friday the 15th, Monday 21, Friday 7/6
        (rx.compile(r"\b(?P<wd>" + _WD + r")\.?,?\s+(?:(?:the\s+)?(?P<dom>\d{1,2}|" + _DAYW + r")(?:st|nd|rd|th)?"
                    r"(?![\d/:\-]|\.\d|\s*(?:[ap]\.?m\b|o['’]?clock|-|to\s+\d))|(?P<m>\d{1,2})(?P<s>[./\-])(?P<d>\d{1,2})"
                    r"(?![\d/\-:]|\.\d|\s*[ap]\.?m\b))",
                    _I | re.A), _en_weekday_date),
        # the first Friday of next month, the last Monday of June
        (rx.compile(r"\b(?:the\s+)?(?P<nth>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+"
                    r"(?P<wd>" + _WD + r")\s+(?:of|in)\s+(?:(?:the\s+)?(?P<rel>this|next|last|previous|the)\s+month|"
                    r"(?P<mon>" + _MON + r")(?:\s+(?P<y>20\d\d))?)\b", _I | re.A), _en_nth_weekday),
        # 1st week of Oct. on Friday, the second week of next month, Monday
        (rx.compile(r"\b(?:the\s+)?(?P<nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+week\s+(?:of|in)\s+"
                    r"(?:(?:the\s+)?(?P<rel>this|next|last|previous|the)\s+month|(?P<mon>" + _MON + r")\b\.?"
                    r"(?:\s+(?P<y>20\d\d))?)(?:\s*,\s*|\s+)(?:on\s+)?(?P<wd>" + _WD + r")\b", _I | re.A), _en_nth_week_day),
        (rx.compile(r"\b(?:(?:the\s+)?day\s+(?:after\s+tomorrow|before\s+yesterday)|today|tonight|tonite|tomorrow|"
                    r"tmrw|tmr|yesterday|last\s+night|this\s+(?:morning|afternoon|evening|night))\b", _I | re.A),
         _en_day_word),
        (rx.compile(r"\b(?:(?P<rel>this|next|the\s+following|following|last)\s+week|"
                    r"(?:the\s+)?end\s+of\s+(?P<rel2>this\s+|the\s+|next\s+)?week|eow)\b", _I | re.A),
         lambda m, r: _en_week_end(m, r)),
        (rx.compile(r"\b(?:(?P<rel>this|next|the|over\s+the)\s+)?weekend\b", _I | re.A), _en_weekend),
        (rx.compile(r"\b(?:(?:the\s+)?(?P<edge>end|beginning|start)\s+of\s+(?:(?P<which>the\s+next|"
                    r"next|this|the)\s+)?month|(?:the\s+)?(?P<edge2>end|beginning|start)\s+of\s+"
                    r"(?P<mon>" + _MON + r"))\b", _I | re.A), lambda m, r: _en_month_edge(m, r)),
        (rx.compile(r"\b(?:eom|month[- ]end)\b", _I | re.A), lambda m, r: _en_month_edge(m, r)),
        (rx.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:(?P<which>this|the|next)\s+)?year|year[- ]end|eoy)\b",
                    _I), _en_year_end),
        (rx.compile(r"\b(?:early|late|later|mid|middle\s+of|the\s+middle\s+of)[\s-]*(?:" + _MON
                    + r"|(?:this|next|the)\s+(?:week|month|year)|month|week|year|q[1-4])\b", _I | re.A), _vague),
        (rx.compile(r"\b(?:(?:this|next)\s+(?:month|quarter|year)|q[1-4]|(?:before|after|over)\s+"
                    r"(?:the\s+)?(?:christmas|xmas|new\s+year|chinese\s+new\s+year|cny|holidays?|"
                    r"spring\s+festival|golden\s+week|national\s+day)|christmas|chinese\s+new\s+year|"
                    r"cny|spring\s+festival|golden\s+week|(?:a|the\s+next)\s+few\s+days)\b", _I | re.A), _vague),
        # more holidays, vague like the others (their day moves, or is not the team's to know)
        (rx.compile(r"\b(?:easter|thanksgiving|black\s+friday|"
                    r"cyber\s+monday|earth\s+day|independence\s+day|labou?r\s+day|memorial\s+day|veterans['’]?\s+day|"
                    r"valentine['’]?s(?:\s+day)?|halloween|(?:saint|st\.?)\s+patrick(?:['’]s)?(?:\s+day)?|boxing\s+day|"
                    r"eid(?:\s+al[\s-](?:fitr|adha))?|ramadan|diwali|new\s+year['’]?s?\s+(?:day|eve)|"
                    r"(?:mother|father)['’]?s\s+day|(?:international\s+)?workers['’]?\s+day)(?:\s+(?:of\s+)?(?:19|20)\d\d)?\b",
                    _I | re.A), _vague),
        # September-2020-23, 23-2020-September, 2020/23/Sep: a month name, a year and a day in another order
        (rx.compile(r"\b(?:(?P<mon>" + _MON + r")[-/](?P<y>(?:19|20)\d\d)[-/](?P<d>\d{1,2})|(?P<d2>\d{1,2})[-/]"
                    r"(?P<y2>(?:19|20)\d\d)[-/](?P<mon2>" + _MON + r")|(?P<y3>(?:19|20)\d\d)[-/](?P<d3>\d{1,2})[-/]"
                    r"(?P<mon3>" + _MON + r"))\b", _I | re.A), _en_month_year_day),
        # in 5 minutes, within 2 hours, in an hour and a half, 30 minutes later, 1 year and 2 months later
        (in_duration, _en_from_now),
        # in two years since 2011, in two weeks since the year 2011; in 3 days since May 5 (a shift)
        (since_year, _en_since_year),
        (since, lambda m, r: _shift_atom(m, r, "en")),
        (duration_ago, _en_from_now),
        # 3 days from Tuesday, two weeks after next Friday, 2 weeks before May 13: counted from the day after it
        (duration_from, lambda m, r: _shift_atom(m, r, "en")),
        # a year alone in words: in twenty twenty, of two thousand and sixteen (vague)
        (rx.compile(r"\b(?:in|of|during|since|year)\s+" + _EN_YEARW + r"\b", _I | re.A), _vague),
        # twenty five January nineteen eighty six: a day in words before the month, with a year
        (word_day_month_year, _en_word_day_month),
        (rx.compile(r"\b(?:in|within|after)\s+(?:the\s+next\s+|the\s+|a\s+)?(?:(?P<n>" + _EN_NUM
                    + r")\s+)?(?P<bd>working\s+|business\s+)?(?P<u>days?|weeks?|months?|years?|fortnight)"
                    r"(?:['’]s)?(?:\s+time)?\b", _I | re.A), _en_offset),
        (rx.compile(r"\b(?P<n>" + _EN_NUM + r")\s+(?P<bd>working\s+|business\s+)?(?P<u>days?|weeks?|"
                    r"months?|years?)\s+(?:(?:from|after)\s+(?P<base>now|today|tomorrow|tmrw|yesterday)|later|"
                    r"(?P<ago>ago))\b", _I | re.A), _en_offset),
        (rx.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.?m\.?)?\s*"
                    r"(?:-|–|to|until|till|and)\s*(?P<h2>1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*"
                    r"(?P<ap2>[ap]\.?m\b\.?)", _I | re.A), _en_time_range),
        (rx.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.?m\b\.?)", _I | re.A),
         _en_time),
        (rx.compile(r"\b(?:(?:at|around|about)\s+(?P<h>1[0-2]|[1-9]|" + _HOUR_WORDS + r")(?:[:.](?P<mi>[0-5]\d))?"
                    r"(?:(?P<oc>\s*o['’]?clock)|(?P<ap>[ap])\b(?!\.?\w))?"
                    r"(?=\s*(?:$|[,.;!?)]|on\b|tomorrow|today|tonight|this\b|next\b|in\s+the\b|"
                    r"Beijing|[A-Z][a-z]+day|[a-z]+day\b|instead\b|then\b|works?\b|suits?\b|is\b|would\b|sharp\b|"
                    r"(?:[CEMP][SD]?T|UK|GMT|BST|CES?T|UTC)\b))|(?P<h2>1[0-2]|[1-9]|" + _HOUR_WORDS + r")\s*o['’]?clock)",
                    re.A), lambda m, r: _en_hour(m, r)),
        # six pm, seven thirty am, nine thirty, seven twenty-seven, six forty-three minutes, one thirty p m
        (rx.compile(r"\b(?P<h>" + _HOUR_WORDS + r")(?:[\s-]+(?P<mi>(?:twenty|thirty|forty|fifty)(?:[\s-]" + _YW_UNITS
                    + r")?|" + "|".join(sorted(_TEENS, key=len, reverse=True)) + r"|oh?['’]?\s?" + _YW_UNITS
                    + r")(?:\s+minutes)?)?(?:\s*(?P<ap>[ap]\.?\s?m\b\.?))?", _I | re.A), _en_word_time),
        # half past seven, a quarter to nine, twenty past eight, thirty-six minutes past eight
        (past_to, _en_past_to),
        (rx.compile(r"(?<![\d:/.\-])\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?:-|–|to)\s*"
                    r"(?P<h2>1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\b(?![\d/.\-]|\s*[ap]\.?m\b|\s*(?:days?|weeks?|"
                    r"months?|years?|hours?|people|persons|pages|%))", _I | re.A), _weak_range),
        (rx.compile(r"\bbetween\s+(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s+and\s+(?P<h2>1[0-2]|0?[1-9])"
                    r"(?:[:.][0-5]\d)?\b(?![\d/.\-]|\s*[ap]\.?m\b|\s*(?:days?|weeks?|months?|years?|hours?|people|"
                    r"persons|pages|%))", _I | re.A), _weak_range),
        (rx.compile(r"(?<![\d:/.\-$€£])\b(?P<h>1[0-2]|[1-9])(?:[:.](?P<mi>[0-5]\d))?(?=,?\s?(?:tonight|tonite|"
                    r"this\s+(?:morning|afternoon|evening))\b)", _I | re.A), _en_bare_hour),
        (rx.compile(r"\b(?:noon|midday|midnight)\b", _I | re.A), _en_noon),
        (rx.compile(r"\b(?:in\s+the\s+)?(?:early\s+|late\s+)?(?P<p>morning|afternoon|evening|night)\b", _I | re.A),
         _en_part),
        (rx.compile(r"\b(?:eod|cob|eob|end\s+of\s+(?:the\s+)?(?:business\s+|work(?:ing)?\s+)?day|"
                    r"close\s+of\s+(?:business|play))\b", _I | re.A), _eod),
        (rx.compile(r"\b(?:no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|prior\s+to|by|before|"
                    r"due(?:\s+(?:on|by))?|deadline(?:\s+is)?|from|between)\b", _I | re.A), _marker(PRE)),
        (rx.compile(r"\b(?:to|through|thru|until|till|and)\b|[-–~]", _I | re.A), _marker(SEP)),
    ]
    gates = {
        word_day_month_year: rx.compile(r"(?i)(?:19|20)\d\d|['’]\d\d|\bof\s\d\d|thousand|hundred|een\s|twenty"),
        in_duration: rx.compile(r"(?i)\b(?:in|within|after)\s"),
        duration_ago: rx.compile(r"(?i)\b(?:now|hence|later|ago|earlier)\b"),
        duration_from: rx.compile(r"(?i)\b(?:from|after|before|prior)\s"),
        since_year: rx.compile(r"(?i)\bsince\s"),
        since: rx.compile(r"(?i)\bsince\s"),
        past_to: rx.compile(r"(?i)\b(?:past|after|to|before|till)\s+(?:1[0-2]|[1-9]|" + _HOUR_WORDS[3:]),
    }
    return table, gates


def _en_week_end(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    relative = (match["rel"] or match["rel2"] or "").strip().lower()
    weeks = {"": 0, "this": 0, "the": 0, "next": 1, "the following": 1, "following": 1,
             "last": -1}.get(" ".join(relative.split()), 0)
    return _date_atom(match, _weekday_of_week(ref, weeks, 6) if ref else None)


def _en_month_edge(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    groups = match.groupdict()
    edge = (groups.get("edge") or groups.get("edge2") or "end").lower()
    qualifier = "start" if edge in ("beginning", "start") else "end"
    if groups.get("mon"):
        return _month_atom(match, _month_of(ref, _month_number(groups["mon"]), None), qualifier)
    if ref is None:
        return _date_atom(match, None)
    which = " ".join((groups.get("which") or "").lower().split())
    shift = 1 if which in ("next", "the next") else 0
    if qualifier == "start" and not which:
        shift = 0 if ref.day == 1 else 1
    start = _month_start(ref, shift)
    return _month_atom(match, (start.year, start.month), qualifier)


def _en_hour(match: re.Match[str], ref: dt.date | None) -> _Atom | None:
    if match["h2"]:
        hour = _en_number(match["h2"])
        return _atom(TIME, match, hour=hour) if hour else None
    return _en_at_hour(match, ref)


# --- joining atoms into expressions --------------------------------------------------------

_GAP_NONE = rx.compile(r"\s*")
_GAP_DATE_TIME = rx.compile(r"\s*(?:[,，]\s*)?(?:(?:的|at|@|on|around|about|for)\s*)?|T", _I)
_GAP_TIME_DATE = rx.compile(r"\s*(?:(?:,|，|on|the|of|on\s+the)\s*)?", _I)
_GAP_DATES = rx.compile(r"\s*(?:[,，]\s*)?(?:the\s+)?", _I)
# a date written with its month: 13/04/21, 2026-03-10, 3月20日, March 20 (searched only inside a date's words)
_WRITTEN = rx.compile(r"\d\s*[/.\-]\s*\d|月|\b" + _MON + r"(?![a-z])", _I | re.A)
_MONTHS_YEARS = rx.compile(r"\b(?:months?|years?|yrs?)\b", _I | re.A)
_GAP_ON = rx.compile(r"\s*(?:,\s*)?on\s+", _I)
_GAP_PRE = rx.compile(r"\s*(?:the\s+)?(?:on\s+)?", _I)
_CONTENT = {DATE, TIME, EOD}
_LATIN = rx.compile(r"[A-Za-z]")
_LEADING_SEP = {"到", "至", "until", "till", "through", "thru"}


_Scan = list[tuple[re.Pattern[str], _Handler, re.Pattern[str] | None]]
_TABLES: dict[str, Callable[[], _Table]] = {"common": _common_table, "zh": _zh_table, "en": _en_table}
__lazy__ = ("SCAN_COMMON", "SCAN_ZH", "SCAN_EN")  # built on first use (tests/test_patterns_bounded.py asks by name)


@functools.cache
def _scan_table(which: str) -> _Scan:
    """A table's patterns with each one's gate, compiled the first time a text needs them (some
    80 ms for all three): a command that reads one Chinese message never compiles the English
    ones. The gate is looked up once here, as hashing a pattern hashes its text."""
    table, gates = _TABLES[which]()
    return [(pattern, handler, gates.get(pattern)) for pattern, handler in table]


def __getattr__(name: str) -> _Scan:
    if name in __lazy__:
        table = globals()[name] = _scan_table(name.removeprefix("SCAN_").lower())  # a plain attribute from now on
        return table
    raise AttributeError(f"module 'parsing.dates' has no attribute {name!r}")


def _scan(text: str, ref: dt.date | None, language: str) -> list[_Atom]:
    tables = [_scan_table("common")]
    if language != "en":
        tables.append(_scan_table("zh"))
    if language != "zh" or _LATIN.search(text):
        tables.append(_scan_table("en"))
    found: list[_Atom] = []
    for table in tables:
        for pattern, handler, gate in table:
            if gate is not None and gate.search(text) is None:
                continue
            for match in pattern.finditer(text):
                if match.end() == match.start():
                    continue
                atom = handler(match, ref)
                if atom is not None:
                    found.append(atom)
    return _without_overlaps(found)


_RANK = {DATE: 0, TIME: 0, EOD: 0, PART: 1, PRE: 2, POST: 2, SHIFT: 2, SEP: 3}


def _without_overlaps(atoms: list[_Atom]) -> list[_Atom]:
    """Keep the longest atoms; a shorter one survives only where it overlaps nothing kept.
    The kept atoms never overlap, so a new one need only be checked against its neighbours in
    start order (n log n: a text full of numbers has thousands of atoms)."""
    atoms.sort(key=lambda a: (a.start - a.end, _RANK[a.kind], a.start))
    starts: list[int] = []
    kept: list[_Atom] = []
    for atom in atoms:
        at = bisect.bisect_left(starts, atom.start)
        if at > 0 and kept[at - 1].end > atom.start:
            continue
        if at < len(kept) and kept[at].start < atom.end:
            continue
        starts.insert(at, atom.start)
        kept.insert(at, atom)
    return kept


def _yields(atom: _Atom) -> bool:
    """A bare weekday or a day word: an explicit date beside it gives the day."""
    return atom.weekday or atom.deictic


def _joins(group: list[_Atom], atom: _Atom, gap: str) -> bool:
    """Whether `atom` continues the expression `group` across the text `gap`."""
    last = group[-1]
    kinds = [a.kind for a in group]
    if last.kind == POST:
        return False
    if atom.kind == SHIFT:
        if SHIFT in kinds or last.kind != DATE:
            return False
        if atom.word == "zh":
            return gap == ""  # 下周三后两天
        return last.weekday and _GAP_DATES.fullmatch(gap) is not None  # Sunday 3 weeks after January 15th
    if last.kind == SHIFT:
        if last.word == "en":
            return atom.kind == DATE and _GAP_PRE.fullmatch(gap) is not None  # 3 days from | Tuesday
        if len(group) < 2:
            return False  # a shift that opens the group ("后两天" alone) has no day to go with
        last = group[-2]  # 下周三后两天 | 下午3点: the time goes with the day
    if atom.kind == SEP:
        return (_GAP_NONE.fullmatch(gap) is not None and SEP not in kinds
                and any(k in _CONTENT for k in kinds)
                and (atom.word != "and" or (group[0].kind == PRE and group[0].word == "between")))
    if last.kind in (PRE, SEP):
        return atom.kind in _CONTENT | {PART} and _GAP_PRE.fullmatch(gap) is not None
    if atom.kind == POST:
        return last.kind in _CONTENT | {PART} and _GAP_NONE.fullmatch(gap) is not None
    if atom.kind == PRE:
        # Monday from 10am to 12pm, tonight between 7 and 8: the times belong to the day
        return (atom.word in ("from", "between") and last.kind in (DATE, PART) and SEP not in kinds
                and TIME not in kinds and _GAP_NONE.fullmatch(gap) is not None)
    side = kinds[kinds.index(SEP) + 1:] if SEP in kinds else kinds
    if atom.kind == DATE and atom.weekday and last.kind == DATE and (last.relative or SHIFT in kinds) and not last.weekday \
            and [a.kind for a in group].count(DATE) == 1 and _GAP_ON.fullmatch(gap) is not None:
        return True  # two months from today on Tuesday
    if atom.kind == DATE and last.kind == DATE and _yields(atom) != _yields(last) \
            and [a.kind for a in group].count(DATE) == 1:
        # Friday, May 15 / 5月15日，星期五 / May/22(Tue) / tomorrow, 13/04/21: the explicit date wins
        other = last if _yields(atom) else atom
        if (atom if _yields(atom) else last).deictic and not other.written:
            return False  # tomorrow, next Friday: a list of days
        return _GAP_DATES.fullmatch(gap) is not None
    if atom.kind in side and atom.kind != PART:
        return False
    if atom.kind == PART:
        return PART not in side and _GAP_NONE.fullmatch(gap) is not None
    if last.kind in (TIME, EOD) and atom.kind in (DATE, EOD):
        return _GAP_TIME_DATE.fullmatch(gap) is not None
    if last.kind in (DATE, PART) and atom.kind in (TIME, EOD, DATE):
        return _GAP_DATE_TIME.fullmatch(gap) is not None
    return False


_PRE_TIME = {"before", "by", "no later than", "not later than", "prior to", "on or before"}


def _time_bound(text: str, current: list[_Atom], atom: _Atom, following: _Atom | None) -> bool:
    """tomorrow before 5pm, Friday by noon: a deadline marker between a day and its time."""
    return (following is not None and following.kind == TIME and atom.kind == PRE and atom.word in _PRE_TIME
            and current[-1].kind in (DATE, PART) and all(a.kind in (DATE, PART, PRE) for a in current)
            and _GAP_NONE.fullmatch(text[current[-1].end:atom.start]) is not None
            and _GAP_NONE.fullmatch(text[atom.end:following.start]) is not None)


def _groups(text: str, atoms: list[_Atom]) -> list[list[_Atom]]:
    groups: list[list[_Atom]] = []
    current: list[_Atom] = []
    for index, atom in enumerate(atoms):
        if atom.kind == DATE:
            atom.written = atom.date is not None and _WRITTEN.search(text, atom.start, atom.end) is not None
        if current and atom.kind == DATE and current[-1].kind == DATE and _yields(atom) != _yields(current[-1]) \
                and text[atom.start - 1:atom.start] == "(" and text[atom.end:atom.end + 1] == ")" \
                and not text[current[-1].end:atom.start - 1].strip():
            atom.start, atom.end = atom.start - 1, atom.end + 1  # May/22(Tue), Thursday (March 5): in brackets
        if current and (_joins(current, atom, text[current[-1].end:atom.start])
                        or _time_bound(text, current, atom, atoms[index + 1] if index + 1 < len(atoms) else None)):
            current.append(atom)
            continue
        if current:
            groups.append(current)
        current = [atom]
        if atom.kind == SEP and atom.word in _LEADING_SEP:
            atom.kind = PRE  # 到4月, until Friday: a leading separator is a marker
    if current:
        groups.append(current)
    return groups


def _hour(atom: _Atom, part: str | None) -> dt.time | None:
    if atom.hour is None:
        return None
    hour, part = atom.hour, atom.part or part
    if part == "night" and 1 <= hour <= 4 and atom.part is None:
        pass  # tonight around 3, 晚上两点: after midnight, not 15:00
    elif part in ("pm", "night") and hour < 12:
        hour += 12
    elif part == "noon" and hour < 6:
        hour += 12
    elif part == "am" and hour == 12:
        hour = 0
    elif part is None and 1 <= hour <= 6:
        hour += 12  # a bare 3点 / at 3 in office mail is the afternoon
    return dt.time(hour % 24, atom.minute)


def _expression(text: str, group: list[_Atom], ref: dt.date | None) -> TimeExpression | None:
    while group and (group[-1].kind in (SEP, PRE) or (group[-1].kind == SHIFT and group[-1].word == "en")):
        group = group[:-1]
    while group and (group[0].kind in (SEP, POST) or (group[0].kind == SHIFT and group[0].word == "zh")):
        group = group[1:]
    if not any(a.kind in _CONTENT for a in group):
        return None
    split = next((i for i, a in enumerate(group) if a.kind == SEP), len(group))
    left, right = group[:split], group[split + 1:]
    dates = sorted((a for a in left if a.kind == DATE), key=lambda a: a.weekday or a.deictic)
    times = [a for a in left if a.kind == TIME]
    eods = [a for a in left if a.kind == EOD]
    right_dates = [a for a in right if a.kind == DATE]
    right_times = [a for a in right if a.kind == TIME]
    if not dates and times and right_dates:
        # 3:00 to 4:00 tomorrow, 11:30 am to 12:30 December 27th: the day is on the right
        dates, right = right_dates[:1], [a for a in right if a.kind != DATE]
    elif dates and not times and right_times and not right_dates:
        # 6 Jan 2026 - 6:37am: a day and a time, not a range
        times, right = right_times[:1], []
    if times and times[0].weak and not dates:
        return None
    part = next((a.part for a in left if a.part), None) or next((a.part for a in right if a.part), None)
    first = dates[0] if dates else None
    day = first.date if first else (eods[0].date if eods else None)
    end_date = _range_end(first, right, ref)
    if first is not None and first.yearless and day is not None and end_date is not None:
        other = next(a for a in right if a.kind == DATE)
        if not other.yearless and other.date is not None:
            # 5/1-5/7/2026, Nov 18-Dec 19, 2015: the year written at the end is the start's too
            day = _same_day_in(day, other.date.year if (day.month, day.day) <= (other.date.month, other.date.day)
                               else other.date.year - 1) or day
        elif end_date < day:
            # from 10/1 to 11/7 said on 10/24: the range that has begun, not next year's
            earlier = _same_day_in(day, day.year - 1)
            if earlier is not None and earlier <= end_date:
                day = earlier
    day = _counted(text, left, dates, day)
    time = _hour(times[0], part) if times else (first.clock if first else None)
    if not dates and not times and not eods:
        return None
    start, end = group[0].start, group[-1].end
    words = text[start:end]
    stripped = words.strip()
    offset = start + (len(words) - len(words.lstrip()))
    return TimeExpression(
        text=stripped,
        start=offset,
        end=offset + len(stripped),
        date=day,
        time=time,
        end_date=end_date or (first.end_date if first else None),
        vague=bool(first and first.vague),
    )


def _counted(text: str, left: list[_Atom], dates: list[_Atom], day: dt.date | None) -> dt.date | None:
    """The day of an expression with a duration: "3 days from Tuesday" moves Tuesday; a weekday
    beside a counted day names that day's week ("Monday two weeks from now", Thursday in two years);
    after a count of months or years, "on" a weekday is the first such day after the counted day (two months
    from today on Tuesday: months do not keep weeks), while "in 3 days on Friday" stays in that week."""
    anchor = None
    for index, atom in enumerate(left):
        if atom.kind != SHIFT or atom.duration is None:
            continue
        neighbour = index + 1 if atom.word == "en" else index - 1
        if 0 <= neighbour < len(left) and left[neighbour].kind == DATE and left[neighbour].date is not None:
            anchor = left[neighbour]
            day = _shift_day(anchor.date, atom.duration)  # type: ignore[arg-type]
    if day is None or not (anchor is not None or (dates and dates[0].relative)):
        return day
    counted = anchor or dates[0]
    weekday = next((a for a in dates if a is not counted and a.weekday and a.date is not None), None)
    if weekday is not None and weekday.date is not None:
        if weekday.start >= counted.end and _GAP_ON.fullmatch(text, counted.end, weekday.start) \
                and _MONTHS_YEARS.search(text, left[0].start, counted.end):
            return _weekday_after(day, weekday.date.weekday())
        return _monday(day) + dt.timedelta(days=weekday.date.weekday())
    return day


def _same_day_in(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _range_end(first: _Atom | None, right: list[_Atom], ref: dt.date | None) -> dt.date | None:
    """The end day of a range: 3月1日至5日 takes its month from the start."""
    other = next((a for a in right if a.kind == DATE), None)
    if other is None or first is None or first.date is None:
        return None
    if other.day_only is not None:
        start = first.date
        for months in range(2):
            month = _month_start(start, months)
            try:
                candidate = month.replace(day=other.day_only)
            except ValueError:
                continue
            if candidate >= start:
                return candidate
        return None
    end = other.date
    if end is not None and end < first.date and (end - first.date).days > -7:
        end += dt.timedelta(days=7)  # Friday to Monday wraps into the next week
    return end


def find_times(text: str, *, reference: dt.datetime | None, language: str) -> list[TimeExpression]:
    """All time expressions of `text`, in order, resolved against `reference`'s calendar day.

    `language` is zh, en or mixed; English patterns also run on Chinese text that contains
    Latin letters (EOD, Friday). See the module docstring for every convention.
    """
    ref = reference.date() if reference is not None else None
    scanned = text.translate(_TRADITIONAL)
    atoms = _scan(scanned, ref, language)
    for atom in atoms:
        if atom.kind == DATE and atom.duration is not None and reference is not None:
            moment = _shift_moment(reference.replace(tzinfo=None, second=0, microsecond=0), atom.duration)
            atom.date, atom.clock = moment.date(), moment.time().replace(second=0)
    found = []
    for group in _groups(scanned, atoms):
        expression = _expression(text, group, ref)
        if expression is not None:
            found.append(expression)
    return found


_DEADLINE = rx.compile(
    r"前|为止|截止|截至|最晚|最迟|不晚于|内|下班|"
    r"\b(?:by|before|until|till|no later than|not later than|prior to|on or before|due|within|"
    r"eod|cob|eob|eow|eom|end of)\b", _I)


def is_deadline(expression: TimeExpression) -> bool:
    """Whether the expression's words mark a deadline (X前, by X, within N days, EOD)."""
    return _DEADLINE.search(expression.text) is not None
