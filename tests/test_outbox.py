"""The outbox against a real SMTP server (aiosmtpd) on 127.0.0.1, and the Maildir copy."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from mailbot import outbox
from mailbot.compose import Person, Rendered, build_message
from mailbot.config import Outbox, Settings, Smtp, Team
from mailbot.store import Store, open_store


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
    with store.transaction() as db:
        for n in range(7):
            outbox.queue(db, project_key=None, kind="ack", dedupe_key=f"k{n}", message=message(), per_address_per_hour=5, now=now + dt.timedelta(minutes=n))
        later = outbox.queue(db, project_key=None, kind="ack", dedupe_key="k-later", message=message(), per_address_per_hour=5, now=now + dt.timedelta(minutes=61))
    statuses = [r["status"] for r in store.rows("SELECT status FROM outbox ORDER BY id")]
    assert statuses == ["queued"] * 5 + ["suppressed"] * 2 + ["queued"]
    assert later is not None
    reason = store.one("SELECT reason FROM outbox WHERE dedupe_key = 'k5'")["reason"]
    assert "5 messages in the last hour" in reason and "li.wei@huajin.example" in reason


def test_queue_is_idempotent_per_decision(store: Store) -> None:
    with store.transaction() as db:
        first = outbox.queue(db, project_key=None, kind="digest", dedupe_key="digest:p:2026-03-02", message=message())
        again = outbox.queue(db, project_key=None, kind="digest", dedupe_key="digest:p:2026-03-02", message=message("other"))
    assert first is not None and again is None
    row = store.one("SELECT recipients, status, subject FROM outbox")
    assert row == {"recipients": '["li.wei@huajin.example", "chen.jing@studio.example"]', "status": "queued", "subject": "Hello"}


def test_flush_without_smtp_keeps_the_maildir_copy(store: Store, tmp_path: Path) -> None:
    with store.transaction() as db:
        outbox.queue(db, project_key=None, kind="digest", dedupe_key="k1", message=message())
    report = outbox.flush(store, settings(tmp_path, None))
    assert (report.stored, report.sent) == (1, 0)
    (path,) = report.files
    assert path.parent == tmp_path / "outbox" / "new"
    assert email.message_from_bytes(path.read_bytes(), policy=default)["Subject"] == "Hello"
    assert outbox.flush(store, settings(tmp_path, None)).files == ()  # nothing twice


def test_flush_sends_over_smtp_to_every_recipient(store: Store, tmp_path: Path, smtp_server: tuple[Box, int]) -> None:
    box, port = smtp_server
    with store.transaction() as db:
        outbox.queue(db, project_key=None, kind="digest", dedupe_key="k1", message=message())
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
    with store.transaction() as db:
        outbox.queue(db, project_key=None, kind="digest", dedupe_key="k1", message=message())
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
