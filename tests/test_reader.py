"""Reading a message in a worker process with a deadline (mailbot/reader.py)."""

from __future__ import annotations

import pickle
import threading
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


def test_reading_ahead_big_messages_never_leaves_both_sides_waiting(reader: Reader) -> None:
    # Messages and readings each bigger than a pipe holds (64 KiB on Linux), several queued in each
    # worker's pipe: a worker busy sending a big reading must still take the next message off its pipe,
    # or the caller's send and the worker's send wait for each other for ever.
    big = [MAIL.replace(b"Subject: hi", f"Subject: big {i}".encode()).replace(b"<r1@", f"<big{i}@".encode()) for i in range(12)]
    assert len(big[0]) > 64 * 1024
    ahead = Reader(reader.context, isolate=True, workers=2, deadline=60)
    done: list[object] = []

    def run() -> None:
        done.extend(reading for _, reading in ahead.read_ahead(big, lambda raw: (raw, None), depth=8))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(90)
    stuck = thread.is_alive()
    for worker in ahead._workers:
        worker.kill()  # frees a stuck reading too
    assert not stuck, f"read ahead stuck after {len(done)} of {len(big)} messages"
    assert len(done) == len(big) and all(not isinstance(r, Exception) for r in done)
    assert len(pickle.dumps(done[0])) > 64 * 1024, "the readings must be bigger than a pipe holds for this to test anything"
