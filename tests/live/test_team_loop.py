"""The team's loop against a running `mailbot run`, a real Dovecot and a real SMTP relay:
commands by mail (accepted, forged, redelivered, undone) and reminders by `mailbot tick`."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path

from live.servers import CLIENT, PROJECT, Dovecot, SmtpRelay, message
from live.service import MailbotProcess, mailbot, plan
from live.test_run import change_request, config, mailbot_mail, wait_for_mail
from live.test_trust import TEAM, authenticated

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def project(cfg: object) -> dict:  # type: ignore[type-arg]
    return plan(cfg)["projects"][0]  # type: ignore[arg-type, no-any-return]


def command(body: str, message_id: str, answering: str, *, verdict: str = "pass") -> bytes:
    return message(sender=TEAM, subject="回复：首页调整 1", body=body, message_id=message_id,
                   headers={**authenticated("studio.example", verdict), "In-Reply-To": answering, "References": answering})


def test_a_command_is_obeyed_once_answered_once_undone_and_a_forged_one_refused(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        smtp_relay.send(CLIENT, PROJECT, change_request(1))
        (ack,) = wait_for_mail(dovecot, CLIENT, "ack", 1)
        ack_id = str(ack["Message-ID"])

        forged = command("CR-1 接受", "<f1@studio.example>", ack_id, verdict="fail")
        smtp_relay.send(TEAM, PROJECT, forged)
        assert len(wait_for_mail(dovecot, TEAM, "alert", 1)) == 1, bot.log()
        assert project(cfg)["change_requests"][0]["status"] == "acknowledged"

        accept = command("好的\n\nCR-1 接受\nC99 完成\n\n陈静", "<k1@studio.example>", ack_id)
        smtp_relay.send(TEAM, PROJECT, accept)
        (answer,) = wait_for_mail(dovecot, TEAM, "command", 1)
        assert answer["In-Reply-To"] == "<k1@studio.example>"
        text = answer.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "已接受" in text and "本项目中没有这一项" in text
        assert project(cfg)["change_requests"][0]["status"] == "accepted"

        dovecot.deliver(PROJECT, accept)  # the same mail redelivered
        bot.wait_for(r"message_id=<k1@studio.example> .*outcome=duplicate")

        smtp_relay.send(TEAM, PROJECT, command("undo", "<k2@studio.example>", ack_id))
        assert len(wait_for_mail(dovecot, TEAM, "command", 2)) == 2, bot.log()
    finally:
        assert bot.stop() == 0, bot.log()
    assert project(cfg)["change_requests"][0]["status"] == "acknowledged"  # undone
    assert len(mailbot_mail(dovecot, TEAM, "command")) == 2  # one answer per command mail, the redelivery none
    assert mailbot_mail(dovecot, CLIENT, "command") == [] and mailbot_mail(dovecot, CLIENT, "alert") == []


def _ingest(cfg: object, tmp_path: Path, name: str, raw: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    result = mailbot(cfg, "ingest", str(path))  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr


def _tick(cfg: object, day: dt.date) -> str:
    moment = dt.datetime.combine(day, dt.time(9, 30), tzinfo=SHANGHAI).isoformat()
    result = mailbot(cfg, "tick", "--now", moment)  # type: ignore[arg-type]
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_promise_due_after_a_holiday_is_reminded_on_the_working_day_before_it(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    promise = message(sender=TEAM, to=f"{CLIENT}, {PROJECT}", subject="首页设计", body="李总好，我们会在10月8日前提交首页设计稿。",
                      date=dt.datetime(2026, 9, 20, 10, 0, tzinfo=SHANGHAI), message_id="<p1@studio.example>",
                      headers=authenticated("studio.example", "pass"))
    _ingest(cfg, tmp_path, "p1.eml", promise)
    for day in (dt.date(2026, 9, 29), dt.date(2026, 10, 2), dt.date(2026, 10, 7)):  # too early, and the National Day holiday
        assert "reminders:" not in _tick(cfg, day)
    assert "reminders:huajin-web:1" in _tick(cfg, dt.date(2026, 9, 30))  # the last working day before the holiday
    (reminder,) = wait_for_mail(dovecot, TEAM, "reminder", 1)
    assert reminder["In-Reply-To"] == "<p1@studio.example>" and "首页设计稿" in reminder.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "reminders:huajin-web:1" in _tick(cfg, dt.date(2026, 10, 8))  # and on the day
    assert len(wait_for_mail(dovecot, TEAM, "reminder", 2)) == 2
    assert mailbot_mail(dovecot, CLIENT, "reminder") == []


def test_a_client_is_reminded_at_most_weekly_and_three_times(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    owed = message(sender=CLIENT, subject="门店数据", body="陈经理好，我们10月12日前提供门店数据。",
                   date=dt.datetime(2026, 9, 20, 10, 0, tzinfo=SHANGHAI), message_id="<o1@huajin.example>")
    _ingest(cfg, tmp_path, "o1.eml", owed)
    days = [dt.date(2026, 10, d) for d in (12, 13, 14, 16, 20, 21, 27)] + [dt.date(2026, 11, d) for d in (3, 10)]
    sent_on = [day for day in days if "reminders:huajin-web:1" in _tick(cfg, day)]
    assert sent_on == [dt.date(2026, 10, 13), dt.date(2026, 10, 20), dt.date(2026, 10, 27)]
    reminders = wait_for_mail(dovecot, CLIENT, "reminder", 3)
    assert len(reminders) == 3 and all(r["In-Reply-To"] == "<o1@huajin.example>" for r in reminders)
    assert email.utils.parseaddr(str(reminders[0]["To"]))[1] == CLIENT
