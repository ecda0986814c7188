"""The watcher's loop driven through the shipped FakeMailbox (the live tests use Dovecot)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.config import load
from mailbot.errors import MailboxError
from mailbot.imap import FakeMailbox
from mailbot.service import Mailbot
from mailbot.watch import Backoff, Watcher

CR = (
    "From: 李伟 <li.wei@huajin.example>\r\nTo: project@studio.example\r\nSubject: 首页\r\n"
    "Date: Mon, 09 Mar 2026 10:00:00 +0800\r\nMessage-ID: <w{n}@huajin.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n陈经理好，能否在首页增加第{n}个活动专区？\r\n"
)


def cr(n: int) -> bytes:
    return CR.format(n=n).encode()


@pytest.fixture
def bot(config_file: Path) -> Iterator[Mailbot]:
    with Mailbot(load(config_file, env={})) as bot:
        yield bot


def watcher(bot: Mailbot, box: FakeMailbox) -> Watcher:
    return Watcher(bot=bot, mailbox=box, account="project@fake", backoff=Backoff(first=0.01, maximum=0.02))


def test_once_processes_marks_and_checkpoints(bot: Mailbot) -> None:
    box = FakeMailbox(uidvalidity=7)
    for n in range(3):
        box.deliver(cr(n))
    w = watcher(bot, box)
    asyncio.run(w.run(once=True))
    assert [o.state for o in w.outcomes] == ["processed"] * 3
    assert box.processed == {1, 2, 3}
    assert bot.store.one("SELECT uidvalidity, last_uid FROM folders") == {"uidvalidity": 7, "last_uid": 3}
    acks = bot.store.rows("SELECT status FROM outbox WHERE kind = 'ack'")
    assert [a["status"] for a in acks] == ["stored"] * 3  # one per change request, sent (kept) at once


def test_restart_fetches_nothing_already_handled(bot: Mailbot) -> None:
    box = FakeMailbox()
    for n in range(5):
        box.deliver(cr(n))
    asyncio.run(watcher(bot, box).run(once=True))
    box.fetches = 0
    box.processed.clear()  # even if someone removed the keywords, the checkpoint holds
    again = watcher(bot, box)
    asyncio.run(again.run(once=True))
    assert box.fetches == 0 and again.outcomes == []


def test_uidvalidity_change_rereads_unmarked_mail_only_once(bot: Mailbot) -> None:
    box = FakeMailbox(uidvalidity=1)
    box.deliver(cr(1))
    asyncio.run(watcher(bot, box).run(once=True))
    box.uidvalidity = 2
    box.processed.clear()
    w = watcher(bot, box)
    asyncio.run(w.run(once=True))
    assert [o.state for o in w.outcomes] == ["duplicate"]
    assert bot.store.db["change_requests"].count == 1
    assert bot.store.db["outbox"].count_where("kind = 'ack'") == 1


def test_a_dropped_connection_is_retried_and_nothing_is_lost(bot: Mailbot) -> None:
    box = FakeMailbox()
    for n in range(4):
        box.deliver(cr(n))
    box.fail_next = 2  # refused once, then dropped during the first call
    w = watcher(bot, box)
    asyncio.run(w.run(once=True))
    assert box.connects >= 2
    assert sorted(o.message_id for o in w.outcomes) == [f"<w{n}@huajin.example>" for n in range(4)]


def test_once_gives_up_after_repeated_failures(bot: Mailbot) -> None:
    box = FakeMailbox(fail_next=10)
    with pytest.raises(MailboxError):
        asyncio.run(watcher(bot, box).run(once=True))


def test_new_mail_while_waiting_is_processed_and_stop_is_graceful(bot: Mailbot) -> None:
    box = FakeMailbox()
    w = watcher(bot, box)

    async def scenario() -> None:
        task = asyncio.create_task(w.run())
        for _ in range(200):
            if w.state.value == "waiting":
                break
            await asyncio.sleep(0.01)
        box.deliver(cr(42))
        for _ in range(300):
            if w.outcomes:
                break
            await asyncio.sleep(0.01)
        w.stop.set()
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    assert [o.message_id for o in w.outcomes] == ["<w42@huajin.example>"]
    assert w.state.value == "stopped"
    assert bot.store.one("SELECT status FROM outbox WHERE kind = 'ack'")["status"] == "stored"


def test_backoff_grows_with_jitter_and_resets() -> None:
    backoff = Backoff(first=1, maximum=8)
    delays = [backoff.next_delay() for _ in range(6)]
    assert all(0 <= d <= cap for d, cap in zip(delays, [1, 2, 4, 8, 8, 8], strict=True))
    backoff.reset()
    assert backoff.attempts == 0


def test_a_backlog_is_read_in_batches_with_the_plan_one_by_one_reading_leaves(bot: Mailbot, config_file: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A first start on a full mailbox goes through the bulk path (batches committed together),
    marks and checkpoints every message, and ends with the plan the same mail read one message
    at a time leaves; new mail after the backlog goes one by one again."""
    from mailbot import watch

    monkeypatch.setattr(watch, "BACKLOG", 4)
    monkeypatch.setattr(watch, "BACKFILL_BATCH", 5)
    box = FakeMailbox(uidvalidity=3)
    for n in range(12):
        box.deliver(cr(n))
    w = watcher(bot, box)
    asyncio.run(w.run(once=True))
    assert [o.state for o in w.outcomes] == ["processed"] * 12
    assert box.processed == set(range(1, 13))
    assert bot.store.one("SELECT uidvalidity, last_uid FROM folders") == {"uidvalidity": 3, "last_uid": 12}
    other = config_file.parent / "one-by-one"
    other.mkdir()
    (other / "mailbot.toml").write_text(config_file.read_text(encoding="utf-8"), encoding="utf-8")
    with Mailbot(load(other / "mailbot.toml", env={})) as single:
        single_box = FakeMailbox(uidvalidity=3)
        for n in range(12):
            single_box.deliver(cr(n))
        asyncio.run(watcher(single, single_box).run(once=True))
        keep = "SELECT number, text, status FROM change_requests ORDER BY id"
        assert bot.store.rows(keep) == single.store.rows(keep) and len(bot.store.rows(keep)) == 12
        acks = "SELECT kind, subject, status FROM outbox ORDER BY id"
        assert bot.store.rows(acks) == single.store.rows(acks)
