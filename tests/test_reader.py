"""Reading a message in a worker process with a deadline (mailbot/reader.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.config import load
from mailbot.reader import Reader, TooSlow
from mailbot.service import Mailbot
from mailbot.sources import RawItem
from parsing import ParseError
from parsing.pipeline import Context

MAIL = (b"From: Li Wei <li.wei@huajin.example>\r\nTo: project@studio.example\r\nSubject: hi\r\nMessage-ID: <r1@huajin.example>\r\n"
        b"Date: Thu, 05 Mar 2026 09:00:00 +0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "能否在首页增加一个门店查询页？\r\n".encode() * 2000)


@pytest.fixture(scope="module")
def reader() -> Iterator[Reader]:
    reader = Reader(Context(team_domains=("studio.example",), timezone="Asia/Shanghai"), isolate=True)
    reader.warm_up()
    yield reader
    reader.close()


def test_a_message_read_in_the_worker_is_the_same_as_read_here(reader: Reader) -> None:
    here = Reader(reader.context).read(MAIL)
    assert reader.read(MAIL) == here
    with pytest.raises(ParseError):
        reader.read(b"\x00\x01 not mail at all")


def test_the_worker_brings_the_whole_messages_terms_the_plan_would_work_out_itself(reader: Reader) -> None:
    import dataclasses

    from mailbot.terms import Extracted, whole_terms
    from parsing.mime import read_email
    from parsing.pipeline import extract_email

    mail = MAIL.replace(b"Subject: hi", "Subject: 门店查询页 / store finder".encode())
    read = reader.read(mail)
    plain = extract_email(read_email(mail), reader.context)
    assert isinstance(read, Extracted) and not isinstance(plain, Extracted)
    assert read.whole_terms == whole_terms(plain) and {"门店", "store", "finder"} <= read.whole_terms
    trimmed = dataclasses.replace(read, findings=())  # as the echo check does: the terms stay with it
    assert isinstance(trimmed, Extracted) and whole_terms(trimmed) == read.whole_terms


def test_a_message_past_the_deadline_is_not_read_and_the_next_one_is(reader: Reader) -> None:
    slow = Reader(reader.context, isolate=True, deadline=0.001)
    slow.warm_up()
    started = time.monotonic()
    with pytest.raises(TooSlow):
        slow.read(MAIL)
    assert time.monotonic() - started < 1.0  # the worker is killed, not waited for
    slow.deadline = 30
    assert slow.read(MAIL).findings  # a fresh worker reads the next one
    slow.close()


def test_the_service_keeps_a_message_too_slow_to_read_and_never_reads_it_again(config_file: Path) -> None:
    with Mailbot(load(config_file, env={}), isolate=True) as bot:
        bot.reader.deadline = 0.001
        (outcome,) = bot.ingest([RawItem("slow.eml", MAIL)]).outcomes
        assert outcome.state == "failed" and "too slow to read" in (outcome.reason or "")
        kept = bot.store.one("SELECT r.raw, m.state FROM messages m JOIN message_raw r ON r.message = m.id WHERE m.key = '<r1@huajin.example>'")
        assert kept["raw"] == MAIL and kept["state"] == "failed"
        assert [r["kind"] for r in bot.store.rows("SELECT kind FROM review")] == ["unread"]
        bot.reader.deadline = 30
        (again,) = bot.ingest([RawItem("slow.eml", MAIL)]).outcomes
        assert again.state == "failed" and "not read again" in (again.reason or "")
