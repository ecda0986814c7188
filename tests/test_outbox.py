"""The outbox against a real SMTP server (aiosmtpd) on 127.0.0.1, and the Maildir copy."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import pickle
import socket
import subprocess
import sys
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from mailbot import outbox
from mailbot.compose import Person, Rendered, build_message
from mailbot.config import Outbox, Settings, Smtp, Team
from mailbot.lifecycle import Cause, OutboxStatus
from mailbot.store import Store, open_store

NOW = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.timezone.utc)


def enqueue(store: Store, **values: object) -> int | None:
    values.setdefault("now", NOW)
    values.setdefault("cause", Cause.clock("test"))
    return outbox.queue(store, **values)  # type: ignore[arg-type]


class Box:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001 - aiosmtpd's hook signature
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Box, int]]:
    box = Box()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


def settings(tmp_path: Path, smtp: Smtp | None) -> Settings:
    return Settings(
        team=Team(name="Studio", address="project@studio.example", domains=("studio.example",)),
        store_path=tmp_path / "plan.db",
        outbox=Outbox(maildir=tmp_path / "outbox"),
        smtp=smtp,
    )


def message(subject: str = "Hello") -> email.message.EmailMessage:
    return build_message(
        rendered=Rendered(subject=subject, text="hi\n", html="<html><body>hi</body></html>"),
        sender=Person("Studio", "project@studio.example"),
        to=[Person("李伟", "li.wei@huajin.example")],
        cc=[Person("", "chen.jing@studio.example")],
        kind="digest",
        reply=False,
        now=dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.timezone.utc),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "plan.db")
    yield store
    store.close()


def test_rate_limit_suppresses_and_records_the_reason(store: Store) -> None:
    now = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.timezone.utc)
    with store.transaction():
        for n in range(7):
            enqueue(store, project_key=None, kind="ack", dedupe_key=f"k{n}", message=message(), per_address_per_hour=5, now=now + dt.timedelta(minutes=n))
        later = enqueue(store, project_key=None, kind="ack", dedupe_key="k-later", message=message(), per_address_per_hour=5, now=now + dt.timedelta(minutes=61))
    statuses = [r["status"] for r in store.rows("SELECT status FROM outbox ORDER BY id")]
    assert statuses == ["queued"] * 5 + ["suppressed"] * 2 + ["queued"]
    assert later is not None
    reason = store.one("SELECT reason FROM outbox WHERE dedupe_key = 'k5'")["reason"]
    assert "5 messages in the last hour" in reason and "li.wei@huajin.example" in reason


def test_the_rate_limit_counts_an_address_literally_not_as_a_pattern(store: Store) -> None:
    """`_` and `%` are LIKE wildcards; an address holding them must count only its own mail."""
    with store.transaction():
        for n, address in enumerate(["li_wei@huajin.example", "lixwei@huajin.example", "a%b@huajin.example", "azzzb@huajin.example"]):
            store.outbox.add(project_key=None, kind="ack", dedupe_key=f"k{n}", message_id=f"<k{n}@x>", in_reply_to=None,
                             recipients=[address], subject="s", raw=b"x", text="x", status=OutboxStatus.QUEUED, reason=None,
                             cause=Cause.clock("test"), at="2026-03-09T01:00:00+00:00")
    since = "2026-03-09T00:00:00+00:00"
    assert store.outbox.sent_to_since("li_wei@huajin.example", since, 10) == 1
    assert store.outbox.sent_to_since("a%b@huajin.example", since, 10) == 1
    assert store.outbox.sent_to_since("l%@huajin.example", since, 10) == 0


def test_queue_is_idempotent_per_decision(store: Store) -> None:
    with store.transaction():
        first = enqueue(store, project_key=None, kind="digest", dedupe_key="digest:p:2026-03-02", message=message())
        again = enqueue(store, project_key=None, kind="digest", dedupe_key="digest:p:2026-03-02", message=message("other"))
    assert first is not None and again is None
    row = store.one("SELECT recipients, status, subject FROM outbox")
    assert row == {"recipients": '["li.wei@huajin.example", "chen.jing@studio.example"]', "status": "queued", "subject": "Hello"}


def test_flush_without_smtp_keeps_the_maildir_copy(store: Store, tmp_path: Path) -> None:
    with store.transaction():
        enqueue(store, project_key=None, kind="digest", dedupe_key="k1", message=message())
    report = outbox.flush(store, settings(tmp_path, None))
    assert (report.stored, report.sent) == (1, 0)
    (path,) = report.files
    assert path.parent == tmp_path / "outbox" / "new"
    assert email.message_from_bytes(path.read_bytes(), policy=default)["Subject"] == "Hello"
    assert outbox.flush(store, settings(tmp_path, None)).files == ()  # nothing twice


def test_flush_without_smtp_commits_once_and_a_flush_that_dies_part_way_leaves_no_second_copy(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.transaction():
        for n in range(3):
            enqueue(store, project_key=None, kind="digest", dedupe_key=f"k{n}", message=message(f"Hello {n}"))
    real_write = outbox.write_maildir
    written: list[int] = []

    def dies_at_the_third(maildir: Path, row_id: int, created_at: str, raw: bytes) -> Path:
        if len(written) == 2:
            raise OSError("disk gone")
        written.append(row_id)
        return real_write(maildir, row_id, created_at, raw)

    monkeypatch.setattr(outbox, "write_maildir", dies_at_the_third)
    with pytest.raises(OSError):
        outbox.flush(store, settings(tmp_path, None))
    assert [r["status"] for r in store.rows("SELECT status FROM outbox")] == ["queued"] * 3  # nothing recorded
    monkeypatch.setattr(outbox, "write_maildir", real_write)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    report = outbox.flush(store, settings(tmp_path, None))
    store.conn.set_trace_callback(None)
    assert report.stored == 3
    assert sum(s.strip().upper() == "COMMIT" for s in statements) == 1  # one commit for the batch
    files = sorted((tmp_path / "outbox" / "new").iterdir())
    assert len(files) == 3  # the two written before the failure were written again over themselves
    assert sorted(email.message_from_bytes(f.read_bytes(), policy=default)["Subject"] for f in files) == ["Hello 0", "Hello 1", "Hello 2"]


def test_flush_sends_over_smtp_to_every_recipient(store: Store, tmp_path: Path, smtp_server: tuple[Box, int]) -> None:
    box, port = smtp_server
    with store.transaction():
        enqueue(store, project_key=None, kind="digest", dedupe_key="k1", message=message())
    report = outbox.flush(store, settings(tmp_path, Smtp(host="127.0.0.1", port=port, security="none")))
    assert report.sent == 1
    ((mail_from, rcpts, data),) = box.messages
    assert mail_from == "project@studio.example"
    assert rcpts == ["li.wei@huajin.example", "chen.jing@studio.example"]
    assert email.message_from_bytes(data, policy=default)["X-Mailbot"] == "digest"
    assert store.one("SELECT status, sent_at IS NOT NULL AS stamped FROM outbox") == {"status": "sent", "stamped": 1}


def test_smtp_down_keeps_the_message_queued_and_sends_it_later(store: Store, tmp_path: Path) -> None:
    port = free_port()  # nothing listens here yet
    config = settings(tmp_path, Smtp(host="127.0.0.1", port=port, security="none"))
    with store.transaction():
        enqueue(store, project_key=None, kind="digest", dedupe_key="k1", message=message())
    now = dt.datetime.now(dt.timezone.utc)
    down = outbox.flush(store, config, now)
    assert down.failed == 1
    row = store.one("SELECT status, attempts, last_error FROM outbox")
    assert row["status"] == "failed" and row["attempts"] == 1 and "127.0.0.1" in row["last_error"]
    retry_at = outbox.next_attempt(store)
    assert retry_at is not None and now + dt.timedelta(seconds=20) < retry_at < now + dt.timedelta(seconds=40)
    box = Box()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox.flush(store, config, now + dt.timedelta(seconds=5)).sent == 0  # backing off
        assert outbox.flush(store, config, retry_at).sent == 1
    finally:
        controller.stop()
    assert len(box.messages) == 1
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 1  # the Maildir copy was not duplicated


def claim(store: Store, claimed_by: str, claimed_at: dt.datetime) -> None:
    """Leave the only outbox row as a send in progress by `claimed_by` (as a crash would)."""
    store.db.execute("UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ?", [claimed_by, claimed_at.isoformat()])
    store.db.conn.commit()


def test_a_send_interrupted_by_a_dead_process_is_sent_again_as_the_same_message_and_marked_in_doubt(
    store: Store, tmp_path: Path, smtp_server: tuple[Box, int], caplog: pytest.LogCaptureFixture
) -> None:
    box, port = smtp_server
    with store.transaction():
        enqueue(store, project_key=None, kind="digest", dedupe_key="k1", message=message())
    queued = store.one("SELECT raw, message_id FROM outbox")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    now = dt.datetime.now(dt.timezone.utc)
    claim(store, f"{socket.gethostname()}:{dead.stdout.strip()}", now)
    report = outbox.flush(store, settings(tmp_path, Smtp(host="127.0.0.1", port=port, security="none")), now)
    assert (report.sent, report.in_doubt) == (1, 1)
    ((_, _, data),) = box.messages
    assert data.replace(b"\r\n", b"\n") == queued["raw"]  # the same bytes and Message-ID, so readers fold the copies
    assert store.one("SELECT status, in_doubt, attempts FROM outbox") == {"status": "sent", "in_doubt": 1, "attempts": 1}
    assert "interrupted" in caplog.text and queued["message_id"] not in caplog.text


def test_a_send_in_progress_in_a_live_process_is_left_to_it_until_its_claim_expires(store: Store, tmp_path: Path, smtp_server: tuple[Box, int]) -> None:
    box, port = smtp_server
    config = settings(tmp_path, Smtp(host="127.0.0.1", port=port, security="none"))
    with store.transaction():
        enqueue(store, project_key=None, kind="digest", dedupe_key="k1", message=message())
    now = dt.datetime.now(dt.timezone.utc)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as alive:
        try:
            claim(store, f"{socket.gethostname()}:{alive.pid}", now)
            assert outbox.flush(store, config, now).sent == 0
            # a claim is about a process: a --now far ahead (tick --now …) does not age it
            assert outbox.flush(store, config, now + dt.timedelta(days=30)).sent == 0
            assert box.messages == [] and store.one("SELECT status FROM outbox")["status"] == "sending"
            claim(store, f"{socket.gethostname()}:{alive.pid}", now - outbox.CLAIM_TTL - dt.timedelta(seconds=1))
            assert outbox.flush(store, config, now).in_doubt == 1
        finally:
            alive.kill()
    assert len(box.messages) == 1


def test_two_processes_flushing_one_store_send_every_message_once(tmp_path: Path) -> None:
    class SlowBox(Box):
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001 - aiosmtpd's hook signature
            await asyncio.sleep(0.05)  # a server that takes its time keeps both flushers busy at once
            return await super().handle_DATA(server, session, envelope)

    box = SlowBox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = settings(tmp_path, Smtp(host="127.0.0.1", port=controller.port, security="none"))
        with open_store(config.store_path) as store, store.transaction():
            for n in range(12):
                enqueue(store, project_key=None, kind="digest", dedupe_key=f"k{n}", message=message(f"Digest {n}"))
        flusher = "import sys, pickle; from mailbot import outbox; from mailbot.store import open_store; c = pickle.loads(sys.stdin.buffer.read()); print(outbox.flush(open_store(c.store_path), c).sent)"
        procs = [subprocess.Popen([sys.executable, "-c", flusher], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        sent = []
        for proc in procs:  # both are started and waiting: hand them the configuration together
            assert proc.stdin is not None
            proc.stdin.write(pickle.dumps(config))
            proc.stdin.close()
        for proc in procs:
            with proc:
                out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
                assert proc.wait() == 0, err.decode()
                sent.append(int(out))
    finally:
        controller.stop()
    subjects = sorted(email.message_from_bytes(data, policy=default)["Subject"] for _, _, data in box.messages)
    assert subjects == sorted(f"Digest {n}" for n in range(12))
    assert sum(sent) == 12
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 12  # one Maildir copy each
    assert list((tmp_path / "outbox" / "tmp").iterdir()) == []
