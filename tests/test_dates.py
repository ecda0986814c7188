"""Time expressions: every form and convention of `parsing.dates`, in Chinese and English.

The reference moment is Wednesday 2026-03-04 10:15 in Asia/Shanghai unless a case says
otherwise: this week runs Mon 2 – Sun 8 March, the next one Mon 9 – Sun 15 March.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from parsing.dates import cn_number, find_times, is_deadline
from parsing.model import TimeExpression

SHANGHAI = ZoneInfo("Asia/Shanghai")
REF = dt.datetime(2026, 3, 4, 10, 15, tzinfo=SHANGHAI)  # a Wednesday
D = dt.date


def only(text: str, *, language: str = "mixed", reference: dt.datetime | None = REF) -> TimeExpression:
    found = find_times(text, reference=reference, language=language)
    assert len(found) == 1, found
    return found[0]


# (text, expected words, expected date)
DATES = [
    # absolute
    ("2026-04-01", "2026-04-01", D(2026, 4, 1)),
    ("上线日期定在2026/4/1。", "2026/4/1", D(2026, 4, 1)),
    ("2026年3月1日已经上线", "2026年3月1日", D(2026, 3, 1)),  # an explicit year is kept, even if past
    ("4月1日提交", "4月1日", D(2026, 4, 1)),
    ("请在4/1给我们", "4/1", D(2026, 4, 1)),
    ("15/4 works", "15/4", D(2026, 4, 15)),  # first number over 12: day/month
    ("四月一日", "四月一日", D(2026, 4, 1)),
    ("十五号交", "十五号", D(2026, 3, 15)),
    ("3号给您", "3号", D(2026, 4, 3)),  # the 3rd has passed this month: next month's
    ("2月1日前", "2月1日前", D(2027, 2, 1)),  # no year: the next occurrence
    ("4日", "4日", D(2026, 3, 4)),  # on or after the reference day: today counts
    ("April 1st", "April 1st", D(2026, 4, 1)),
    ("on Apr 1, 2027", "Apr 1, 2027", D(2027, 4, 1)),
    ("1 April", "1 April", D(2026, 4, 1)),
    ("the 1st of April", "the 1st of April", D(2026, 4, 1)),
    ("by the 15th", "by the 15th", D(2026, 3, 15)),
    # relative, Chinese
    ("今天", "今天", D(2026, 3, 4)),
    ("明天", "明天", D(2026, 3, 5)),
    ("后天", "后天", D(2026, 3, 6)),
    ("大后天", "大后天", D(2026, 3, 7)),
    ("本周五", "本周五", D(2026, 3, 6)),
    ("这周一的会", "这周一", D(2026, 3, 2)),  # this week's Monday, though past
    ("下周五", "下周五", D(2026, 3, 13)),
    ("下个星期三", "下个星期三", D(2026, 3, 11)),
    ("下下周一", "下下周一", D(2026, 3, 16)),
    ("上周五", "上周五", D(2026, 2, 27)),
    ("本周内", "本周内", D(2026, 3, 8)),
    ("下周", "下周", D(2026, 3, 15)),
    ("周三前", "周三前", D(2026, 3, 11)),  # bare weekday: first one after the reference day
    ("礼拜天", "礼拜天", D(2026, 3, 8)),
    ("这周末", "这周末", D(2026, 3, 7)),
    ("下周末", "下周末", D(2026, 3, 14)),
    ("月底", "月底", D(2026, 3, 31)),
    ("本月内", "本月内", D(2026, 3, 31)),
    ("月初", "月初", D(2026, 4, 1)),
    ("下个月初", "下个月初", D(2026, 4, 1)),
    ("下个月底", "下个月底", D(2026, 4, 30)),
    ("4月底", "4月底", D(2026, 4, 30)),
    ("2月底", "2月底", D(2027, 2, 28)),
    ("年底", "年底", D(2026, 12, 31)),
    ("明年初", "明年初", D(2027, 1, 1)),
    ("两周后", "两周后", D(2026, 3, 18)),
    ("3天内", "3天内", D(2026, 3, 7)),
    ("三个工作日内", "三个工作日内", D(2026, 3, 9)),
    ("5个工作日内", "5个工作日内", D(2026, 3, 11)),
    ("一个月内", "一个月内", D(2026, 4, 4)),
    ("两天前", "两天前", D(2026, 3, 2)),
    ("明天下班前", "明天下班前", D(2026, 3, 5)),
    ("下班前", "下班前", D(2026, 3, 4)),
    # relative, English
    ("today", "today", D(2026, 3, 4)),
    ("tomorrow", "tomorrow", D(2026, 3, 5)),
    ("the day after tomorrow", "the day after tomorrow", D(2026, 3, 6)),
    ("next Friday", "next Friday", D(2026, 3, 13)),
    ("this Friday", "this Friday", D(2026, 3, 6)),
    ("Friday next week", "Friday next week", D(2026, 3, 13)),
    ("by Monday", "by Monday", D(2026, 3, 9)),
    ("on Wednesday", "Wednesday", D(2026, 3, 11)),  # never the reference day itself
    ("last Friday", "last Friday", D(2026, 2, 27)),
    ("this week", "this week", D(2026, 3, 8)),
    ("next week", "next week", D(2026, 3, 15)),
    ("end of the week", "end of the week", D(2026, 3, 8)),
    ("this weekend", "this weekend", D(2026, 3, 7)),
    ("end of the month", "end of the month", D(2026, 3, 31)),
    ("by the end of next month", "by the end of next month", D(2026, 4, 30)),
    ("start of next month", "start of next month", D(2026, 4, 1)),
    ("end of April", "end of April", D(2026, 4, 30)),
    ("by year-end", "by year-end", D(2026, 12, 31)),
    ("EOD Thursday", "EOD Thursday", D(2026, 3, 5)),
    ("Thursday EOD", "Thursday EOD", D(2026, 3, 5)),
    ("by COB", "by COB", D(2026, 3, 4)),
    ("in two weeks", "in two weeks", D(2026, 3, 18)),
    ("in 10 days", "in 10 days", D(2026, 3, 14)),
    ("within 3 working days", "within 3 working days", D(2026, 3, 9)),
    ("within 2 business days", "within 2 business days", D(2026, 3, 6)),
    ("a week from now", "a week from now", D(2026, 3, 11)),
    ("no later than April 1", "no later than April 1", D(2026, 4, 1)),
    ("before Friday", "before Friday", D(2026, 3, 6)),
    ("until next Tuesday", "until next Tuesday", D(2026, 3, 10)),
]


@pytest.mark.parametrize(("text", "words", "day"), DATES, ids=[c[0] for c in DATES])
def test_dates(text: str, words: str, day: dt.date) -> None:
    found = only(text)
    assert (found.text, found.date, found.vague) == (words, day, False)
    assert text[found.start:found.end] == found.text


VAGUE = ["5月中旬", "月中", "春节前", "节后", "mid-June", "early next week", "before Christmas",
         "能否推迟到4月", "in April", "next month", "Q2", "下个月", "几天内", "a few days"]


@pytest.mark.parametrize("text", VAGUE)
def test_vague_periods_have_no_date(text: str) -> None:
    found = only(text)
    assert found.vague and found.date is None


# (text, words, date or None, time)
TIMES = [
    ("下午3点", "下午3点", None, dt.time(15, 0)),
    ("3点半", "3点半", None, dt.time(15, 30)),  # a bare 1–6 o'clock is the afternoon
    ("10点", "10点", None, dt.time(10, 0)),
    ("15:30", "15:30", None, dt.time(15, 30)),
    ("3pm", "3pm", None, dt.time(15, 0)),
    ("at 3:30 p.m.", "3:30 p.m.", None, dt.time(15, 30)),
    ("10am", "10am", None, dt.time(10, 0)),
    ("noon", "noon", None, dt.time(12, 0)),
    ("上午十点", "上午十点", None, dt.time(10, 0)),
    ("晚上8点", "晚上8点", None, dt.time(20, 0)),
    ("中午1点", "中午1点", None, dt.time(13, 0)),
    ("上午9点一刻", "上午9点一刻", None, dt.time(9, 15)),
    ("下周二下午3点开会", "下周二下午3点", D(2026, 3, 10), dt.time(15, 0)),
    ("明天上午10点半", "明天上午10点半", D(2026, 3, 5), dt.time(10, 30)),
    ("Thursday at 10am", "Thursday at 10am", D(2026, 3, 5), dt.time(10, 0)),
    ("3pm tomorrow", "3pm tomorrow", D(2026, 3, 5), dt.time(15, 0)),
    ("tomorrow morning at 9", "tomorrow morning at 9", D(2026, 3, 5), dt.time(9, 0)),
    ("Friday at 2", "Friday at 2", D(2026, 3, 6), dt.time(14, 0)),
    ("3月10日下午2:30", "3月10日下午2:30", D(2026, 3, 10), dt.time(14, 30)),
    ("周五两点", "周五两点", D(2026, 3, 6), dt.time(14, 0)),
    # minutes in characters: two of them, or one with 分; "两点一起" is two o'clock and 一起
    ("下周三下午两点一起去看一下", "下周三下午两点", D(2026, 3, 11), dt.time(14, 0)),
    ("明天下午三点十五", "明天下午三点十五", D(2026, 3, 5), dt.time(15, 15)),
    ("明天下午三点五分", "明天下午三点五分", D(2026, 3, 5), dt.time(15, 5)),
]


@pytest.mark.parametrize(("text", "words", "day", "time"), TIMES, ids=[c[0] for c in TIMES])
def test_times_of_day(text: str, words: str, day: dt.date | None, time: dt.time) -> None:
    found = only(text)
    assert (found.text, found.date, found.time) == (words, day, time)


# (text, date, end_date, time)
RANGES = [
    ("3月10日至15日", D(2026, 3, 10), D(2026, 3, 15), None),
    ("3月10日到3月12日", D(2026, 3, 10), D(2026, 3, 12), None),
    ("March 10-12", D(2026, 3, 10), D(2026, 3, 12), None),
    ("10-12 March", D(2026, 3, 10), D(2026, 3, 12), None),
    ("Monday to Wednesday", D(2026, 3, 9), D(2026, 3, 11), None),
    ("周五到下周一", D(2026, 3, 6), D(2026, 3, 9), None),
    ("下午2点到4点", None, None, dt.time(14, 0)),
    ("2-4pm", None, None, dt.time(14, 0)),
    ("11-1pm", None, None, dt.time(11, 0)),
]


@pytest.mark.parametrize(("text", "day", "end", "time"), RANGES, ids=[c[0] for c in RANGES])
def test_ranges(text: str, day: dt.date | None, end: dt.date | None, time: dt.time | None) -> None:
    found = only(text)
    assert (found.text, found.date, found.end_date, found.time) == (text, day, end, time)


NOT_TIMES = [
    "We will send it.",  # "We" is not Wednesday
    "请把字体调大一点",  # 一点 is "a little"
    "以下3点建议请参考",  # three points, not three o'clock
    "I'd rate it 8/10.",  # a score
    "24/7 support",
    "We may need more time.",
    "We sat down with the team.",
    "每周一例会",  # every Monday: recurring, no single day
    "2 hours",
    "版本 2.0.1",
    "page 3 of the report",
]


@pytest.mark.parametrize("text", NOT_TIMES)
def test_not_times(text: str) -> None:
    assert find_times(text, reference=REF, language="mixed") == []


def test_deadline_markers_are_part_of_the_words() -> None:
    found = only("我们会在下周五之前提交首页设计稿")
    assert (found.text, found.date) == ("下周五之前", D(2026, 3, 13))
    assert is_deadline(found)
    assert is_deadline(only("by Monday"))
    assert is_deadline(only("三个工作日内"))
    assert not is_deadline(only("下周二下午3点"))
    assert not is_deadline(only("next Friday"))


def test_several_expressions_in_order() -> None:
    found = find_times("明天先发初稿，下周五之前定稿，月底上线。", reference=REF, language="zh")
    assert [(f.text, f.date) for f in found] == [
        ("明天", D(2026, 3, 5)), ("下周五之前", D(2026, 3, 13)), ("月底", D(2026, 3, 31))]


def test_mixed_script_sentence() -> None:
    found = find_times("请在Friday前把logo发给我们，EOD也可以", reference=REF, language="mixed")
    assert [(f.text, f.date) for f in found] == [("Friday前", D(2026, 3, 6)), ("EOD", D(2026, 3, 4))]


def test_without_reference_relative_forms_stay_unresolved() -> None:
    found = find_times("下周五之前，或者2026-04-01，最晚4月1日", reference=None, language="zh")
    assert [(f.text, f.date) for f in found] == [
        ("下周五之前", None), ("2026-04-01", D(2026, 4, 1)), ("最晚4月1日", None)]


def test_reference_day_is_the_zone_day_given() -> None:
    # 23:30 on Friday in Shanghai: "tomorrow" is Saturday whatever UTC says.
    late = dt.datetime(2026, 3, 6, 23, 30, tzinfo=SHANGHAI)
    assert only("tomorrow", reference=late).date == D(2026, 3, 7)
    assert only("周一前", reference=late).date == D(2026, 3, 9)


def test_weekday_on_sunday_reference() -> None:
    sunday = dt.datetime(2026, 3, 8, 9, 0, tzinfo=SHANGHAI)
    assert only("本周五", reference=sunday).date == D(2026, 3, 6)
    assert only("下周五", reference=sunday).date == D(2026, 3, 13)
    assert only("周五前", reference=sunday).date == D(2026, 3, 13)
    assert only("周末", reference=sunday).date == D(2026, 3, 14)


def test_month_end_clamps_and_leap_years() -> None:
    january = dt.datetime(2028, 1, 31, 9, 0, tzinfo=SHANGHAI)
    assert only("下个月底", reference=january).date == D(2028, 2, 29)
    assert only("一个月内", reference=january).date == D(2028, 2, 29)
    assert only("2月29日", reference=REF).date == D(2028, 2, 29)


def test_working_days_skip_the_weekend() -> None:
    friday = dt.datetime(2026, 3, 6, 17, 0, tzinfo=SHANGHAI)
    assert only("within 1 working day", reference=friday).date == D(2026, 3, 9)
    assert only("两个工作日内", reference=friday).date == D(2026, 3, 10)


@pytest.mark.parametrize(("word", "value"), [("十五", 15), ("二十一", 21), ("三十", 30), ("十", 10),
                                             ("两", 2), ("12", 12), ("二〇二六", 2026), ("x", None)])
def test_cn_number(word: str, value: int | None) -> None:
    assert cn_number(word) == value


# Forms added after measuring on the Recognizers-Text specs (tests/test_dates_recognizers.py).
# Reference: Wednesday 2026-03-04. (text, words, date, time or None)
MORE_FORMS = [
    # Chinese
    ("下个月5号", "下个月5号", D(2026, 4, 5), None),
    ("本月十日前", "本月十日前", D(2026, 3, 10), None),
    ("5月20号下午两点半", "5月20号下午两点半", D(2026, 5, 20), dt.time(14, 30)),
    ("后天上午", "后天上午", D(2026, 3, 6), None),
    ("八月十五", "八月十五", D(2026, 8, 15), None),  # a numeral day without 日
    ("26年3月10日", "26年3月10日", D(2026, 3, 10), None),  # two-digit year
    ("二〇二七年一月一日", "二〇二七年一月一日", D(2027, 1, 1), None),
    ("今晨5点", "今晨5点", D(2026, 3, 4), dt.time(5, 0)),
    ("大前天", "大前天", D(2026, 3, 1), None),
    ("5月15日，星期五", "5月15日，星期五", D(2026, 5, 15), None),  # the explicit date wins
    ("下週三", "下週三", D(2026, 3, 11), None),  # traditional characters
    ("禮拜五", "禮拜五", D(2026, 3, 6), None),
    ("後天", "後天", D(2026, 3, 6), None),
    # numeric
    ("15.05.2026", "15.05.2026", D(2026, 5, 15), None),  # dots, year last: day first
    ("05/15/2026", "05/15/2026", D(2026, 5, 15), None),  # slashes, year last: month first
    ("4/1/26", "4/1/26", D(2026, 4, 1), None),
    ("21-04-2026", "21-04-2026", D(2026, 4, 21), None),  # first number over 12: day first
    ("20260401", "20260401", D(2026, 4, 1), None),
    ("2026-04-01T09:30", "2026-04-01T09:30", D(2026, 4, 1), dt.time(9, 30)),
    # English month and day
    ("May 15th 2026", "May 15th 2026", D(2026, 5, 15), None),
    ("Friday, May 15", "Friday, May 15", D(2026, 5, 15), None),  # the explicit date wins
    ("Oct/2", "Oct/2", D(2026, 10, 2), None),
    ("Sep-23-2027", "Sep-23-2027", D(2027, 9, 23), None),
    ("05-Aug-2026", "05-Aug-2026", D(2026, 8, 5), None),
    ("2026/aug/01", "2026/aug/01", D(2026, 8, 1), None),
    ("May twenty-first", "May twenty-first", D(2026, 5, 21), None),
    ("the 15th of next month", "the 15th of next month", D(2026, 4, 15), None),
    ("the first Friday of next month", "the first Friday of next month", D(2026, 4, 3), None),
    ("Friday the 13th", "Friday the 13th", D(2026, 3, 13), None),
    # English weekdays and offsets
    ("next Tuesday at 3pm", "next Tuesday at 3pm", D(2026, 3, 10), dt.time(15, 0)),
    ("this coming Friday", "coming Friday", D(2026, 3, 6), None),
    ("the following Friday", "the following Friday", D(2026, 3, 13), None),
    ("this past Monday", "this past Monday", D(2026, 3, 2), None),
    ("next week on Tuesday", "next week on Tuesday", D(2026, 3, 10), None),
    ("Tuesday of last week", "Tuesday of last week", D(2026, 2, 24), None),
    ("two weeks from today", "two weeks from today", D(2026, 3, 18), None),
    ("two days from tomorrow", "two days from tomorrow", D(2026, 3, 7), None),
    ("in two years", "in two years", D(2028, 3, 4), None),
    # times of day on a day
    ("tomorrow morning", "tomorrow morning", D(2026, 3, 5), None),
    ("last night", "last night", D(2026, 3, 3), None),
    ("tomorrow from 7:00 to 8:00pm", "tomorrow from 7:00 to 8:00pm", D(2026, 3, 5), dt.time(19, 0)),
    ("3:00 to 4:00 tomorrow", "3:00 to 4:00 tomorrow", D(2026, 3, 5), dt.time(15, 0)),
    ("Monday 3-5", "Monday 3-5", D(2026, 3, 9), dt.time(15, 0)),  # a bare range next to a day
    ("between 3 and 5 on Friday", "between 3 and 5 on Friday", D(2026, 3, 6), dt.time(15, 0)),
    ("today at 9a", "today at 9a", D(2026, 3, 4), dt.time(9, 0)),
    ("Friday at six pm", "Friday at six pm", D(2026, 3, 6), dt.time(18, 0)),
    ("8pm on the 15th", "8pm on the 15th", D(2026, 3, 15), dt.time(20, 0)),
    ("6 Jan 2027 - 6:37am", "6 Jan 2027 - 6:37am", D(2027, 1, 6), dt.time(6, 37)),
]


@pytest.mark.parametrize(("text", "words", "day", "time"), MORE_FORMS, ids=[c[0] for c in MORE_FORMS])
def test_more_forms(text: str, words: str, day: dt.date, time: dt.time | None) -> None:
    found = only(text)
    assert (found.text, found.date, found.time) == (words, day, time)


def test_yearless_range_that_has_begun_is_this_years() -> None:
    # from 10/1 to 11/7 said on 24 October: the range under way, not next year's
    october = dt.datetime(2026, 10, 24, 9, 0, tzinfo=SHANGHAI)
    found = only("from 10/1 to 11/7", reference=october)
    assert (found.date, found.end_date) == (D(2026, 10, 1), D(2026, 11, 7))


def test_year_written_at_the_end_of_a_range_is_the_starts() -> None:
    found = only("5/1-5/7/2027")
    assert (found.date, found.end_date) == (D(2027, 5, 1), D(2027, 5, 7))


# (text, the dated expressions expected): numbers that only look like days of the month
MORE_NOT_DATES = [
    ("We agreed on 5.", []),  # a bare number is a day only before a time
    ("Reduce it by 15.", []),
    ("It grew by 2.5 million", []),
    ("On Friday 2 people will join.", [("Friday", D(2026, 3, 6))]),  # not Friday the 2nd
    ("In March two teams will merge.", []),  # not 2 March; a bare month is vague
    ("one of May's drafts", []),
    ("version 1.2.10", []),
]


@pytest.mark.parametrize(("text", "dated"), MORE_NOT_DATES, ids=[c[0] for c in MORE_NOT_DATES])
def test_more_not_dates(text: str, dated: list[tuple[str, dt.date]]) -> None:
    found = find_times(text, reference=REF, language="en")
    assert [(f.text, f.date) for f in found if f.date is not None] == dated


# (text, expected words, date, time): durations from the reference moment (Wednesday 2026-03-04
# 10:15), offsets from another day, times in words and beside their day, written years
COUNTED_FORMS = [
    # time relative to now: the reference moment plus the offset, date and time
    ("in 5 minutes", "in 5 minutes", D(2026, 3, 4), dt.time(10, 20)),
    ("in an hour", "in an hour", D(2026, 3, 4), dt.time(11, 15)),
    ("in half an hour", "in half an hour", D(2026, 3, 4), dt.time(10, 45)),
    ("in an hour and a half", "in an hour and a half", D(2026, 3, 4), dt.time(11, 45)),
    ("within 2 hours", "within 2 hours", D(2026, 3, 4), dt.time(12, 15)),
    ("3 minutes from now", "3 minutes from now", D(2026, 3, 4), dt.time(10, 18)),
    ("30 min later", "30 min later", D(2026, 3, 4), dt.time(10, 45)),
    ("2 hours ago", "2 hours ago", D(2026, 3, 4), dt.time(8, 15)),
    ("in 20 hours", "in 20 hours", D(2026, 3, 5), dt.time(6, 15)),  # past midnight: the next day
    ("2小时后", "2小时后", D(2026, 3, 4), dt.time(12, 15)),
    ("半小时后", "半小时后", D(2026, 3, 4), dt.time(10, 45)),
    ("5分钟以后", "5分钟以后", D(2026, 3, 4), dt.time(10, 20)),
    ("两个半小时后", "两个半小时后", D(2026, 3, 4), dt.time(12, 45)),
    ("10分钟之前", "10分钟之前", D(2026, 3, 4), dt.time(10, 5)),
    ("一个半小时内", "一个半小时内", D(2026, 3, 4), dt.time(11, 45)),
    ("3天2小时后", "3天2小时后", D(2026, 3, 7), dt.time(12, 15)),
    # compound durations in days, months and years: a day, no time
    ("1 year and 2 months later", "1 year and 2 months later", D(2027, 5, 4), None),
    ("in 2 years 1 month and 3 days", "in 2 years 1 month and 3 days", D(2028, 4, 7), None),
    ("a fortnight later", "a fortnight later", D(2026, 3, 18), None),
    ("一年零两个月后", "一年零两个月后", D(2027, 5, 4), None),
    # counted from another day
    ("3 days from Tuesday", "3 days from Tuesday", D(2026, 3, 13), None),  # Tuesday 10 March + 3
    ("2 weeks before May 13", "2 weeks before May 13", D(2026, 4, 29), None),
    ("two months after next Friday", "two months after next Friday", D(2026, 5, 13), None),
    ("three days before yesterday", "three days before yesterday", D(2026, 2, 28), None),
    ("Monday two weeks from now", "Monday two weeks from now", D(2026, 3, 16), None),  # that week's Monday
    ("明天的后一天", "明天的后一天", D(2026, 3, 6), None),
    ("下周三后两天", "下周三后两天", D(2026, 3, 13), None),
    ("周五前两天", "周五前两天", D(2026, 3, 4), None),
    ("明天后两天下午3点", "明天后两天下午3点", D(2026, 3, 7), dt.time(15, 0)),
    # times in words, and times joined to their day across a deadline marker
    ("tomorrow before 5pm", "tomorrow before 5pm", D(2026, 3, 5), dt.time(17, 0)),
    ("Friday by noon", "Friday by noon", D(2026, 3, 6), dt.time(12, 0)),
    ("tomorrow at half past seven", "tomorrow at half past seven", D(2026, 3, 5), dt.time(7, 30)),
    ("at half past seven tomorrow", "half past seven tomorrow", D(2026, 3, 5), dt.time(7, 30)),
    ("a quarter to nine on Friday", "a quarter to nine on Friday", D(2026, 3, 6), dt.time(8, 45)),
    ("Friday at twenty past eight", "Friday at twenty past eight", D(2026, 3, 6), dt.time(8, 20)),
    ("March eighteenth nine thirty", "March eighteenth nine thirty", D(2026, 3, 18), dt.time(9, 30)),
    ("tomorrow at seven twenty-seven pm", "tomorrow at seven twenty-seven pm", D(2026, 3, 5), dt.time(19, 27)),
    ("eight o'clock tomorrow morning", "eight o'clock tomorrow morning", D(2026, 3, 5), dt.time(8, 0)),
    ("tonight around 3", "tonight around 3", D(2026, 3, 4), dt.time(3, 0)),  # after midnight, not 15:00
    ("明天下午五点前", "明天下午五点前", D(2026, 3, 5), dt.time(17, 0)),
    ("明早八点半", "明早八点半", D(2026, 3, 5), dt.time(8, 30)),
    # written years
    ("January 25, twenty twenty", "January 25, twenty twenty", D(2020, 1, 25), None),
    ("March 5 two thousand and sixteen", "March 5 two thousand and sixteen", D(2016, 3, 5), None),
    ("twenty five January nineteen eighty six", "twenty five January nineteen eighty six", D(1986, 1, 25), None),
    ("the fourth of July 1995", "the fourth of July 1995", D(1995, 7, 4), None),
    ("15 April of 87", "15 April of 87", D(1987, 4, 15), None),
    ("September-2020-23", "September-2020-23", D(2020, 9, 23), None),
    ("二〇一六年三月五日", "二〇一六年三月五日", D(2016, 3, 5), None),
    ("2026年底", "2026年底", D(2026, 12, 31), None),
]


@pytest.mark.parametrize(("text", "words", "day", "time"), COUNTED_FORMS, ids=[c[0] for c in COUNTED_FORMS])
def test_counted_and_written_forms(text: str, words: str, day: dt.date, time: dt.time | None) -> None:
    found = only(text)
    assert (found.text, found.date, found.time) == (words, day, time)


@pytest.mark.parametrize("text", ["in twenty twenty", "in two thousand and sixteen", "二零二六年", "二〇一六年三月",
                                  "正月初一", "腊月廿三", "black friday", "in a few minutes", "几分钟后"])
def test_years_alone_lunar_dates_and_vague_durations_are_vague(text: str) -> None:
    found = only(text)
    assert (found.date, found.vague) == (None, True)


def test_a_deadline_marker_joins_a_day_and_its_time() -> None:
    assert is_deadline(only("tomorrow before 5pm"))
    assert is_deadline(only("within 2 hours"))


def test_a_duration_from_now_without_a_reference_has_no_day() -> None:
    found = only("in 5 minutes", reference=None)
    assert (found.date, found.time) == (None, None)


# durations and times in words that name no day
COUNTED_NOT_DATES = [
    ("我们前两天讨论过", []),  # "the other day": no day to count from
    ("5 minutes from the station", []),
    ("it took two hours", []),
    ("收到以后三天内回复", [("三天内", D(2026, 3, 7))]),
    ("ten to five on Friday", [("Friday", D(2026, 3, 6))]),  # "ten to five" may be a range: no time
    ("May 5, twenty one people", [("May 5", D(2026, 5, 5))]),  # "twenty one" is not a year
]


@pytest.mark.parametrize(("text", "dated"), COUNTED_NOT_DATES, ids=[c[0] for c in COUNTED_NOT_DATES])
def test_counted_not_dates(text: str, dated: list[tuple[str, dt.date]]) -> None:
    found = find_times(text, reference=REF, language="mixed")
    assert [(f.text, f.date) for f in found if f.date is not None] == dated


# A day and its time across brackets and words, a day word beside a written date, weekday month-day
# with a hyphen, counts "since" a year, the nth week of a month, a weekday after a counted day.
JOINED_FORMS = [
    ("October 14 for 8:00:31am", "October 14 for 8:00:31am", D(2026, 10, 14), dt.time(8, 0)),
    ("Monday for 10:00", "Monday for 10:00", D(2026, 3, 9), dt.time(10, 0)),
    ("I'll leave on May/22(Tue)-11:30 AM PT.", "May/22(Tue)-11:30 AM", D(2026, 5, 22), dt.time(11, 30)),
    ("March 5 (Thu) 10:00", "March 5 (Thu) 10:00", D(2026, 3, 5), dt.time(10, 0)),
    ("Thursday (March 5) at 3pm", "Thursday (March 5) at 3pm", D(2026, 3, 5), dt.time(15, 0)),
    ("I'll go back 10, tonight", "10, tonight", D(2026, 3, 4), dt.time(22, 0)),
    ("see you 7 this evening", "7 this evening", D(2026, 3, 4), dt.time(19, 0)),
    ("tomorrow, at 7 PM", "tomorrow, at 7 PM", D(2026, 3, 5), dt.time(19, 0)),
    # a day word beside a written date: the written date wins
    ("Tune in tomorrow, 13/04/21, at 7 PM CET", "tomorrow, 13/04/21, at 7 PM", D(2021, 4, 13), dt.time(19, 0)),
    ("today, March 20", "today, March 20", D(2026, 3, 20), None),
    ("明天，3月20日下午3点", "明天，3月20日下午3点", D(2026, 3, 20), dt.time(15, 0)),
    # weekday and M-D with a hyphen: a date when it falls on that weekday or the day is over 12
    ("sometime on Friday 3-6 with Jim.", "Friday 3-6", D(2026, 3, 6), None),
    ("We met on Friday 3-6.", "Friday 3-6", D(2026, 3, 6), None),
    ("Friday 3-13", "Friday 3-13", D(2026, 3, 13), None),
    ("Friday 7-6", "Friday 7-6", D(2026, 3, 6), dt.time(7, 0)),  # 6 July 2026 is a Monday: hours
    # counted since a year or a day
    ("The event happened in two years since 2011.", "in two years since 2011", D(2013, 1, 1), None),
    ("in two weeks since the year 2011", "in two weeks since the year 2011", D(2011, 1, 15), None),
    ("in 10 days since March 1, 2025", "in 10 days since March 1, 2025", D(2025, 3, 11), None),
    # the nth week of a month, on a weekday: the nth such weekday
    ("1st week of Oct. on Friday.", "1st week of Oct. on Friday", D(2026, 10, 2), None),
    ("the second week of April, Monday", "the second week of April, Monday", D(2026, 4, 13), None),
    ("last week of June on Friday", "last week of June on Friday", D(2026, 6, 26), None),
    # "on" a weekday after a counted day: after months or years the first one after it, else that week's
    ("I'll go back two months from today on Tuesday.", "two months from today on Tuesday", D(2026, 5, 5), None),
    ("2 months after May 5 on Tuesday", "2 months after May 5 on Tuesday", D(2026, 7, 7), None),
    ("in 3 days on Friday", "in 3 days on Friday", D(2026, 3, 6), None),
    ("in two weeks on Friday", "in two weeks on Friday", D(2026, 3, 20), None),
]


@pytest.mark.parametrize(("text", "words", "day", "time"), JOINED_FORMS, ids=[c[0] for c in JOINED_FORMS])
def test_joined_forms(text: str, words: str, day: dt.date, time: dt.time | None) -> None:
    found = only(text)
    assert (found.text, found.date, found.time) == (words, day, time)


def test_weekday_month_day_with_a_hyphen_on_the_reference_day() -> None:
    friday = dt.datetime(2018, 7, 6, 12, 0, tzinfo=SHANGHAI)  # 6 July 2018 is a Friday
    found = only("a Skype call on Friday 7-6 with Jim", reference=friday)
    assert (found.text, found.date, found.time) == ("Friday 7-6", D(2018, 7, 6), None)


JOINED_NOT = [
    ("tomorrow, next Friday", [("tomorrow", D(2026, 3, 5)), ("next Friday", D(2026, 3, 13))]),  # a list
    ("tomorrow, Friday", [("tomorrow", D(2026, 3, 5)), ("Friday", D(2026, 3, 6))]),
    ("明天，下周五", [("明天", D(2026, 3, 5)), ("下周五", D(2026, 3, 13))]),
    ("since 2011", []),  # a year alone names no day
    ("two years since 2011", []),
]


@pytest.mark.parametrize(("text", "dated"), JOINED_NOT, ids=[c[0] for c in JOINED_NOT])
def test_joined_not(text: str, dated: list[tuple[str, dt.date]]) -> None:
    found = find_times(text, reference=REF, language="mixed")
    assert [(f.text, f.date) for f in found if f.date is not None] == dated
