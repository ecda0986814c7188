"""Reminders that keep promises, the team's review list and digest drafts (mailbot/teamloop.py),
driven through `Mailbot.tick` day by day on the Chinese calendar of 2026."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_trust import PASS, mail

from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem

ZONE = ZoneInfo("Asia/Shanghai")
TEAM = "chen.jing@studio.example"
CLIENT = "li.wei@huajin.example"


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


def dated(raw: bytes, when: dt.datetime) -> bytes:
    return raw.replace(b"Date: Thu, 05 Mar 2026 09:00:00 +0800", f"Date: {email.utils.format_datetime(when)}".encode())


@pytest.fixture
def bot(tmp_path: Path, config_file: Path) -> Iterator[Mailbot]:
    text = config_file.read_text(encoding="utf-8").replace('language = "zh"\n', 'language = "zh"\ntrusted_authserv_id = "mx.studio.example"\n', 1)
    path = tmp_path / "loop.toml"
    path.write_text(text + "\n[digest]\nreview = true\nreview_hours = 4\n", encoding="utf-8")
    clock = {"now": at(dt.date(2026, 9, 20))}
    with Mailbot(load(path, env={}), clock=lambda: clock["now"]) as bot:
        bot.test_clock = clock  # type: ignore[attr-defined]
        yield bot


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def sent(bot: Mailbot, kind: str) -> list[dict[str, str]]:
    return bot.store.rows("SELECT dedupe_key, recipients, created_at, raw FROM outbox WHERE kind = ? AND status != 'suppressed' ORDER BY id", [kind])


def tick_days(bot: Mailbot, first: dt.date, last: dt.date) -> None:
    for day in days(first, last):
        bot.test_clock["now"] = at(day)  # type: ignore[attr-defined]
        bot.tick(at(day))


def test_our_promise_is_reminded_the_working_day_before_a_due_after_a_holiday_and_on_the_day(bot: Mailbot) -> None:
    promise = mail(TEAM, "李总好，我们会在10月8日前提交首页设计稿。", message_id="<p1@studio.example>", auth=PASS, cc=CLIENT)
    bot.ingest([RawItem("p1.eml", dated(promise, at(dt.date(2026, 9, 20), 10)))])
    (item,) = [i for i in bot.plan(now=at(dt.date(2026, 9, 21)), project_key="huajin-web")["projects"][0]["commitments"]]
    assert item["due"] == "2026-10-08"  # the first working day after the National Day holiday
    tick_days(bot, dt.date(2026, 9, 25), dt.date(2026, 10, 12))
    reminders = sent(bot, "reminder")
    assert [r["dedupe_key"].rsplit(":", 1)[1] for r in reminders] == ["2026-09-30", "2026-10-08"]  # not on a day off
    assert all(TEAM in r["recipients"] and CLIENT not in r["recipients"] for r in reminders)
    first = email.message_from_bytes(reminders[0]["raw"], policy=email.policy.default)
    assert first["In-Reply-To"] == "<p1@studio.example>" and "首页设计稿" in first.get_body(("plain",)).get_content()


def test_the_client_is_reminded_politely_once_a_week_and_three_times_at_most(bot: Mailbot) -> None:
    owed = mail(CLIENT, "陈经理好，我们10月12日前提供门店数据。", message_id="<o1@huajin.example>")
    bot.ingest([RawItem("o1.eml", dated(owed, at(dt.date(2026, 9, 20), 10)))])
    tick_days(bot, dt.date(2026, 10, 9), dt.date(2026, 11, 20))
    reminders = sent(bot, "reminder")
    assert [r["dedupe_key"].rsplit(":", 1)[1] for r in reminders] == ["2026-10-13", "2026-10-20", "2026-10-27"]
    assert all(CLIENT in r["recipients"] for r in reminders)
    text = email.message_from_bytes(reminders[0]["raw"], policy=email.policy.default).get_body(("plain",)).get_content()
    assert "门店数据" in text and "温馨提醒" in text


def test_paused_reminders_are_not_sent_until_the_pause_ends(bot: Mailbot) -> None:
    owed = mail(CLIENT, "陈经理好，我们10月12日前提供门店数据。", message_id="<o1@huajin.example>")
    bot.ingest([RawItem("o1.eml", dated(owed, at(dt.date(2026, 9, 20), 10)))])
    pause = mail(TEAM, "pause reminders 2 weeks", subject="[华锦零售官网改版] reminders", message_id="<k1@studio.example>", auth=PASS)
    bot.test_clock["now"] = at(dt.date(2026, 10, 12), 18)  # type: ignore[attr-defined]
    bot.ingest([RawItem("k1.eml", dated(pause, at(dt.date(2026, 10, 12), 18)))])
    tick_days(bot, dt.date(2026, 10, 13), dt.date(2026, 10, 30))
    assert [r["dedupe_key"].rsplit(":", 1)[1] for r in sent(bot, "reminder")] == ["2026-10-27"]


def test_the_review_list_goes_to_the_team_on_working_days_with_ids_and_commands_and_not_when_empty(bot: Mailbot) -> None:
    ask = mail(CLIENT, "能否在首页增加一个门店查询页？请在10月16日前提供报价。", message_id="<a1@huajin.example>")
    bot.ingest([RawItem("a1.eml", dated(ask, at(dt.date(2026, 10, 12), 8)))])
    tick_days(bot, dt.date(2026, 10, 12), dt.date(2026, 10, 16))
    lists = sent(bot, "review")
    assert lists, "a review list was expected"
    first = email.message_from_bytes(lists[0]["raw"], policy=email.policy.default)
    text = first.get_body(("plain",)).get_content()
    assert "CR-1" in text and "CR-1 接受" in text and "R1" in text
    assert TEAM in lists[0]["recipients"] and CLIENT not in lists[0]["recipients"]
    assert len({r["dedupe_key"] for r in lists}) == len(lists) <= 5


def test_a_digest_draft_goes_to_the_team_first_and_hold_keeps_the_digest_back(bot: Mailbot) -> None:
    bot.ingest([RawItem("a1.eml", dated(mail(CLIENT, "能否在首页增加一个门店查询页？", message_id="<a1@huajin.example>"),
                                      at(dt.date(2026, 10, 12), 8)))])
    bot.tick(at(dt.date(2026, 10, 12), 10))  # last week's digest, the usual way
    before = len(sent(bot, "digest"))
    monday = dt.date(2026, 10, 19)
    bot.test_clock["now"] = at(monday, 6)  # type: ignore[attr-defined]
    bot.tick(at(monday, 6))  # the digest is due Monday 09:00: the draft goes 4 hours before
    (draft,) = sent(bot, "draft")
    parsed = email.message_from_bytes(draft["raw"], policy=email.policy.default)
    assert TEAM in draft["recipients"] and CLIENT not in draft["recipients"] and parsed["Subject"].startswith("【草稿】")
    hold = mail(TEAM, "暂缓发送", subject="Re: " + parsed["Subject"], message_id="<h1@studio.example>", auth=PASS,
                in_reply_to=parsed["Message-ID"])
    (outcome,) = bot.ingest([RawItem("h1.eml", dated(hold, at(monday, 7)))]).outcomes
    assert "commands: 1 done" in (outcome.reason or ""), outcome
    bot.tick(at(monday, 9, 5))
    assert len(sent(bot, "digest")) == before  # held
    bot.tick(at(monday + dt.timedelta(days=7), 9, 5))
    assert [r["dedupe_key"] for r in sent(bot, "digest")][before:] == ["digest:huajin-web:2026-10-19"]  # the next week's goes


def test_the_clock_alerts_the_team_of_a_change_left_unassessed_and_of_our_overdue_promise_once_each(bot: Mailbot) -> None:
    ask = mail(CLIENT, "能否在首页增加一个门店查询页？", message_id="<c1@huajin.example>")
    bot.ingest([RawItem("c1.eml", dated(ask, at(dt.date(2026, 10, 12), 8)))])
    promise = mail(TEAM, "李总好，我们会在10月13日前提交首页设计稿。", message_id="<p2@studio.example>", auth=PASS, cc=CLIENT)
    bot.ingest([RawItem("p2.eml", dated(promise, at(dt.date(2026, 10, 12), 8)))])
    tick_days(bot, dt.date(2026, 10, 12), dt.date(2026, 10, 16))
    subjects = [email.message_from_bytes(r["raw"], policy=email.policy.default)["Subject"] for r in sent(bot, "alert")]
    assert sum("CR-1 待评估" in s for s in subjects) == 1 and sum("已逾期" in s for s in subjects) == 1, subjects
    lists = [email.message_from_bytes(r["raw"], policy=email.policy.default).get_body(("plain",)).get_content() for r in sent(bot, "review")]
    assert any("CR-1 待评估" in text for text in lists)  # the review list shows the alerts too


def test_old_news_raises_no_alert(bot: Mailbot) -> None:
    promise = mail(TEAM, "李总好，我们会在10月13日前提交首页设计稿。", message_id="<p3@studio.example>", auth=PASS, cc=CLIENT)
    bot.ingest([RawItem("p3.eml", dated(promise, at(dt.date(2026, 10, 12), 8)))])
    tick_days(bot, dt.date(2026, 10, 30), dt.date(2026, 10, 30))  # first seen by the clock 13 working days late
    assert sent(bot, "alert") == []
