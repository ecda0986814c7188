"""Satisfaction surveys by reply (mailbot/surveys.py, parsing/survey.py) and alerts to the team
(mailbot/alerts.py), through `Mailbot.ingest` and `Mailbot.tick` on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_trust import mail

from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem
from parsing.survey import declines, read_score

ZONE = ZoneInfo("Asia/Shanghai")
CLIENT = "li.wei@huajin.example"
TEAM = "chen.jing@studio.example"
SIGNED = dt.datetime(2026, 3, 30, 10, 0, tzinfo=ZONE)  # a Monday


@pytest.mark.parametrize(("text", "scale", "score"), [
    ("5", "1-5", 5), ("五分", "1-5", 5), ("4分，希望沟通再及时一些", "1-5", 4), ("9/10", "0-10", 9), ("非常满意", "1-5", 5),
    ("I'd give it 8 - the launch slipped", "0-10", 8), ("⭐⭐⭐⭐", "1-5", 4), ("４分", "1-5", 4), ("不满意，沟通太慢", "1-5", 2),
    ("改了5个页面，辛苦了", "1-5", None), ("5 pages still missing", "1-5", None), ("3月5日再聊", "1-5", None),
    ("电话 138 0013 8000", "1-5", None), ("7", "1-5", None), ("11/10", "0-10", None), ("v2.1 上线了", "1-5", None),
    ("¥8,000 的报价", "1-5", None), ("10:30 开会", "1-5", None), ("4.5", "1-5", None), ("十分", "0-10", 10), ("非常满意", "0-10", None),
])
def test_a_score_is_read_on_the_surveys_scale_and_numbers_of_other_things_are_not_scores(text: str, scale: str, score: int | None) -> None:
    assert read_score(text, scale=scale) == score


def test_a_number_added_to_the_subject_is_a_score_and_no_more_surveys_is_heard() -> None:
    assert read_score("谢谢！", scale="1-5", subject="Re: [华锦零售官网改版] 满意度调查：首页设计 - 4") == 4
    assert declines("以后不要再发问卷了") and declines("Please unsubscribe me") and not declines("5")


@pytest.fixture
def bot(tmp_path: Path, config_file: Path) -> Iterator[Mailbot]:
    clock = {"now": SIGNED}
    with Mailbot(load(config_file, env={}), clock=lambda: clock["now"]) as bot:
        bot.test_clock = clock  # type: ignore[attr-defined]
        yield bot


def at(bot: Mailbot, moment: dt.datetime) -> None:
    bot.test_clock["now"] = moment  # type: ignore[attr-defined]


def dated(raw: bytes, when: dt.datetime) -> bytes:
    return raw.replace(b"Date: Thu, 05 Mar 2026 09:00:00 +0800", f"Date: {email.utils.format_datetime(when)}".encode())


def outbox(bot: Mailbot, kind: str) -> list[email.message.EmailMessage]:
    rows = bot.store.rows("SELECT raw FROM outbox WHERE kind = ? AND status != 'suppressed' ORDER BY id", [kind])
    return [email.message_from_bytes(r["raw"], policy=email.policy.default) for r in rows]  # type: ignore[misc]


def signed_off(bot: Mailbot) -> email.message.EmailMessage:
    bot.ingest([RawItem("s.eml", dated(mail(CLIENT, "首页设计确认通过，可以进入下一阶段。", message_id="<so@huajin.example>"), SIGNED))])
    milestones = bot.plan(now=SIGNED, project_key="huajin-web")["projects"][0]["milestones"]
    assert [m["status"] for m in milestones][:1] == ["done"]
    at(bot, SIGNED + dt.timedelta(minutes=1))
    bot.tick(SIGNED + dt.timedelta(minutes=1))
    (survey,) = outbox(bot, "survey")
    return survey


def test_a_sign_off_brings_one_survey_to_the_client_and_a_reply_is_a_score_and_feedback_not_a_change(bot: Mailbot) -> None:
    survey = signed_off(bot)
    assert survey["To"].addresses[0].addr_spec == CLIENT and "满意度调查" in survey["Subject"]
    text = survey.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "1–5" in text and "http" not in text  # by reply, no link for a scanner to click
    quoted = "\n".join("> " + line for line in text.splitlines())
    answer = mail(CLIENT, f"4分，希望沟通再及时一些，能否每周五发一次进度？\n\n{quoted}", subject="回复：" + survey["Subject"],
                  message_id="<a1@huajin.example>", in_reply_to=survey["Message-ID"])
    at(bot, SIGNED + dt.timedelta(hours=3))
    bot.ingest([RawItem("a1.eml", dated(answer, SIGNED + dt.timedelta(hours=3)))])
    project = bot.plan(now=SIGNED + dt.timedelta(hours=3), project_key="huajin-web")["projects"][0]
    (answered,) = project["surveys"]
    assert (answered["status"], answered["score"]) == ("answered", 4) and "沟通" in answered["comment"]
    assert any("沟通" in f["text"] for f in project["feedback"])
    assert project["change_requests"] == [] and outbox(bot, "ack") == []
    bot.tick(SIGNED + dt.timedelta(days=1))
    assert len(outbox(bot, "survey")) == 1  # asked once


def test_a_low_score_alerts_the_team_at_once_threaded_to_the_answer(bot: Mailbot) -> None:
    survey = signed_off(bot)
    answer = mail(CLIENT, "2分。上线一再推迟，沟通也不及时，很失望。", subject="回复：" + survey["Subject"], message_id="<a2@huajin.example>",
                  in_reply_to=survey["Message-ID"])
    bot.ingest([RawItem("a2.eml", dated(answer, SIGNED + dt.timedelta(hours=3)))])
    (alert,) = [a for a in outbox(bot, "alert")]
    assert alert["In-Reply-To"] == "<a2@huajin.example>" and TEAM in str(alert["To"]) and CLIENT not in str(alert["To"])
    assert "满意度评分为 2" in alert.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_one_reminder_after_three_working_days_and_none_to_who_declined(bot: Mailbot) -> None:
    signed_off(bot)
    for day in range(1, 12):
        moment = SIGNED + dt.timedelta(days=day)
        at(bot, moment)
        bot.tick(moment)
    surveys = outbox(bot, "survey")
    assert len(surveys) == 2 and surveys[1]["Subject"].count("提醒") == 1  # the survey and one reminder, never a second
    assert surveys[1]["In-Reply-To"] == surveys[0]["Message-ID"]
    no_more = mail(CLIENT, "以后不要再发问卷了，谢谢。", subject="回复：" + surveys[0]["Subject"], message_id="<n1@huajin.example>",
                   in_reply_to=surveys[0]["Message-ID"])
    bot.ingest([RawItem("n1.eml", dated(no_more, SIGNED + dt.timedelta(days=12)))])
    assert bot.store.bookkeeping.fact("survey_declined:huajin-web:li.wei@huajin.example") == "<n1@huajin.example>"


def test_the_weekly_digest_shows_survey_results_and_the_response_rate(bot: Mailbot) -> None:
    survey = signed_off(bot)
    answer = mail(CLIENT, "5", subject="回复：" + survey["Subject"], message_id="<a5@huajin.example>", in_reply_to=survey["Message-ID"])
    bot.ingest([RawItem("a5.eml", dated(answer, SIGNED + dt.timedelta(hours=2)))])
    monday = SIGNED + dt.timedelta(days=7)
    text = bot.render_digest(bot.settings.project("huajin-web"), monday).text
    assert "【满意度调查】" in text and "收到 1 份回复（回复率 100%），平均 5 分（满分 5）" in text
