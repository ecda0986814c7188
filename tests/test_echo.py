"""Loop safety (mailbot/echo.py): mailbot's own words, quoted without '>', are never a client's.

A ticket system without RFC 3834 headers answers mailbot's acknowledgement at once and pastes
it below its own banner; a person forwards the acknowledgement an hour later with a line of
their own. Real bytes go through `Mailbot.ingest`; the plan and outbox are read back from SQLite.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem
from parsing.mime import read_email

START = dt.datetime(2026, 3, 5, 1, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def mail(sender: str, body: str, *, at: dt.datetime, message_id: str, subject: str = "首页", refs: str = "") -> bytes:
    head = f"From: {sender}\r\nTo: project@studio.example\r\nSubject: {subject}\r\nDate: {email.utils.format_datetime(at)}\r\n"
    head += f"Message-ID: {message_id}\r\n" + (f"In-Reply-To: {refs}\r\nReferences: {refs}\r\n" if refs else "")
    return (head + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(config_file: Path, clock: Clock) -> Iterator[Mailbot]:
    with Mailbot(load(config_file, env={}), clock=clock) as bot:
        yield bot


def change_requests(bot: Mailbot) -> list[str]:
    return [r["number"] for r in bot.store.rows("SELECT number FROM change_requests ORDER BY id")]


def acks(bot: Mailbot) -> list[Any]:
    return bot.store.rows("SELECT message_id, raw, recipients FROM outbox WHERE kind = 'ack' ORDER BY id")


@pytest.fixture
def acknowledged(bot: Mailbot, clock: Clock) -> tuple[str, str]:
    """A client's change request and mailbot's acknowledgement of it: (ack Message-ID, ack text)."""
    clock.now = START + dt.timedelta(minutes=5)
    request = mail("li.wei@huajin.example", "能否在首页增加一个门店查询页？", at=START + dt.timedelta(minutes=4), message_id="<cr1@huajin.example>")
    (outcome,) = bot.ingest([RawItem("cr.eml", request)]).outcomes
    assert outcome.state == "processed" and len(change_requests(bot)) == 1
    (ack,) = acks(bot)
    return ack["message_id"], read_email(ack["raw"]).text


def test_a_robot_echo_of_an_ack_moments_later_is_machine_made(bot: Mailbot, clock: Clock, acknowledged: tuple[str, str]) -> None:
    ack_id, ack_text = acknowledged
    clock.now += dt.timedelta(seconds=40)
    echo = mail("support@huajin.example", f"Ticket #48213 received. Our team will reply within 2 business days.\r\n\r\n{ack_text}",
                at=clock.now, message_id="<t1@tickets.huajin.example>", subject="[Ticket #48213] 回复：首页", refs=ack_id)
    (outcome,) = bot.ingest([RawItem("echo.eml", echo)]).outcomes
    assert outcome.state == "ignored" and "machine-made" in (outcome.reason or "")
    assert len(change_requests(bot)) == 1 and len(acks(bot)) == 1


def test_a_late_unmarked_quote_of_an_ack_gives_no_findings_but_the_persons_own_words_count(
        bot: Mailbot, clock: Clock, acknowledged: tuple[str, str]) -> None:
    ack_id, ack_text = acknowledged
    clock.now += dt.timedelta(hours=2)
    late = mail("li.wei@huajin.example", f"另外，能否把页脚的电话改成400热线？\r\n\r\n{ack_text}", at=clock.now,
                message_id="<cr2@huajin.example>", subject="回复：首页", refs=ack_id)
    (outcome,) = bot.ingest([RawItem("late.eml", late)]).outcomes
    assert outcome.state == "processed"
    found = bot.store.rows("SELECT kind, text FROM findings WHERE message_key = (SELECT key FROM messages WHERE message_id = ?)",
                           ["<cr2@huajin.example>"])
    assert [(f["kind"], f["text"]) for f in found] == [("change_request", "能否把页脚的电话改成400热线？")]  # nothing of the ack's words
    statuses = [r["status"] for r in bot.store.rows("SELECT status FROM change_requests ORDER BY id")]
    assert len(statuses) == 2 and statuses[0] == "acknowledged"  # "原有计划保持不变" in the ack refused nothing


def test_an_echo_without_references_is_known_by_its_text(bot: Mailbot, clock: Clock, acknowledged: tuple[str, str]) -> None:
    _, ack_text = acknowledged
    clock.now += dt.timedelta(seconds=15)
    echo = mail("li.wei@huajin.example", f"自动回复确认：\r\n{ack_text}", at=clock.now, message_id="<t2@huajin.example>",
                subject="收到：首页")
    (outcome,) = bot.ingest([RawItem("echo.eml", echo)]).outcomes
    assert outcome.state == "ignored" and "machine-made" in (outcome.reason or "")
    assert len(change_requests(bot)) == 1


def test_the_text_of_what_mailbot_sends_is_kept_and_one_queued_before_it_was_is_read_from_its_bytes(
        bot: Mailbot, clock: Clock, acknowledged: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from mailbot import echo as echo_module

    _, ack_text = acknowledged
    (row,) = bot.store.rows("SELECT text FROM outbox WHERE kind = 'ack'")
    assert row["text"] == ack_text  # kept when queued, as read_email reads the bytes

    def no_parsing(_raw: bytes) -> None:
        raise AssertionError("the kept text is there: nothing to parse")

    monkeypatch.setattr(echo_module, "_LINES", {})
    monkeypatch.setattr(echo_module, "plain_text", no_parsing)
    clock.now += dt.timedelta(seconds=15)
    first = mail("li.wei@huajin.example", f"自动回复确认：\r\n{ack_text}", at=clock.now, message_id="<t3@huajin.example>", subject="收到：首页")
    (outcome,) = bot.ingest([RawItem("echo.eml", first)]).outcomes
    assert outcome.state == "ignored" and "machine-made" in (outcome.reason or "")

    monkeypatch.undo()
    monkeypatch.setattr(echo_module, "_LINES", {})
    with bot.store.transaction():
        bot.store.execute("UPDATE outbox SET text = NULL")  # as queued before schema 13
    clock.now += dt.timedelta(seconds=5)
    second = mail("li.wei@huajin.example", f"自动回复确认：\r\n{ack_text}", at=clock.now, message_id="<t4@huajin.example>", subject="收到：首页")
    (outcome,) = bot.ingest([RawItem("echo.eml", second)]).outcomes
    assert outcome.state == "ignored" and "machine-made" in (outcome.reason or "")


def test_mail_from_a_backlog_never_quotes_what_mailbot_queued_after_it_was_written(bot: Mailbot, clock: Clock,
                                                                                   acknowledged: tuple[str, str]) -> None:
    """Reading older mail after the acknowledgement was queued (a backlog), the client's own
    words there are the client's, even where the acknowledgement quotes the same words: it did
    not exist when they were written. A robot's echo after it is still known."""
    _, ack_text = acknowledged
    assert "能否在首页增加一个门店查询页？" in ack_text
    earlier = START - dt.timedelta(days=2)
    old = mail("li.wei@huajin.example", "你好，能否在首页增加一个门店查询页？", at=earlier, message_id="<old@huajin.example>", subject="首页")
    (outcome,) = bot.ingest([RawItem("old.eml", old)]).outcomes
    assert outcome.state == "processed"
    found = bot.store.rows("SELECT kind, text FROM findings WHERE message_key = (SELECT key FROM messages WHERE message_id = ?)",
                           ["<old@huajin.example>"])
    assert ("change_request", "能否在首页增加一个门店查询页？") in [(f["kind"], f["text"]) for f in found]
    clock.now += dt.timedelta(seconds=15)
    echo = mail("li.wei@huajin.example", f"自动回复确认：\r\n{ack_text}", at=clock.now, message_id="<t9@huajin.example>", subject="收到：首页")
    (outcome,) = bot.ingest([RawItem("echo.eml", echo)]).outcomes
    assert outcome.state == "ignored" and "machine-made" in (outcome.reason or "")
