"""Stored messages: raw bytes first, then what processing learnt; and the service's bookkeeping
(folder checkpoints, facts about this installation)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mailbot.errors import StoreError
from mailbot.lifecycle import MessageState
from mailbot.store.core import Core
from mailbot.store.records import StoredMessage

_COLUMNS = "id, key, message_id, state, project_key, source, subject, sender, date, reason"


@dataclass(frozen=True, slots=True)
class Processed:
    """What processing one message learnt, written on its row in the message's transaction."""

    message_id: str | None
    date: str | None
    subject: str
    sender: str | None
    party: str
    project_key: str | None
    category: str
    language: str
    body: str
    thread_ids: tuple[str, ...]
    state: MessageState
    reason: str | None
    answerable: bool
    processed_at: str


class Messages:
    def __init__(self, core: Core) -> None:
        self.core = core

    def by_key(self, key: str) -> StoredMessage | None:
        return self.core.record(StoredMessage, f"SELECT {_COLUMNS} FROM messages WHERE key = ?", [key])

    def keep_raw(self, *, key: str, message_id: str | None, content_hash: str, raw: bytes, source: str, received_at: str) -> StoredMessage:
        """Keep the bytes (once per key); returns the stored row, new or as it already was."""
        with self.core.transaction():
            known = self.by_key(key)
            if known is not None:
                return known
            row_id = self.core.insert(
                "messages",
                {
                    "key": key,
                    "message_id": message_id,
                    "content_hash": content_hash,
                    "source": source,
                    "received_at": received_at,
                    "state": str(MessageState.NEW),
                },
            )
            self.core.insert("message_raw", {"message": row_id, "raw": raw})
        return StoredMessage(id=row_id, key=key, message_id=message_id, state=str(MessageState.NEW), project_key=None, source=source,
                             subject=None, sender=None, date=None, reason=None)

    def raw(self, row_id: int) -> tuple[bytes, str | None]:
        """A kept message's bytes, and when it was received (UTC ISO, None when unknown)."""
        row = self.core.fetch_one("SELECT r.raw, m.received_at FROM message_raw r JOIN messages m ON m.id = r.message WHERE r.message = ?",
                                  [row_id])
        if row is None:
            raise StoreError(f"{self.core.path}: no bytes kept for message {row_id}")
        return bytes(row["raw"]), row["received_at"]

    def mark_failed(self, row_id: int, reason: str, at: str) -> None:
        self.core.update("messages", row_id, {"state": str(MessageState.FAILED), "reason": reason, "processed_at": at})

    def record(self, row_id: int, done: Processed) -> None:
        self.core.update(
            "messages",
            row_id,
            {
                "message_id": done.message_id,
                "date": done.date,
                "subject": done.subject,
                "sender": done.sender,
                "party": done.party,
                "project_key": done.project_key,
                "category": done.category,
                "language": done.language,
                "body": done.body,
                "thread_ids": json.dumps(list(done.thread_ids)),
                "state": str(done.state),
                "reason": done.reason,
                "answerable": int(done.answerable),
                "processed_at": done.processed_at,
            },
        )

    def project_of(self, message_id: str) -> str | None:
        """The project of a message the plan holds, received or sent by mailbot."""
        value = self.core.scalar(
            "SELECT project_key FROM messages WHERE message_id = ? AND project_key IS NOT NULL "
            "UNION ALL SELECT project_key FROM outbox WHERE message_id = ? AND project_key IS NOT NULL LIMIT 1",
            [message_id, message_id],
        )
        return str(value) if value is not None else None

    def count(self, project_key: str | None = None) -> int:
        if project_key is None:
            return int(self.core.scalar("SELECT COUNT(*) FROM messages"))
        return int(self.core.scalar("SELECT COUNT(*) FROM messages WHERE project_key = ?", [project_key]))

    def count_before(self, project_key: str, at: str) -> int:
        """How many messages of the project are dated before `at`."""
        return int(self.core.scalar("SELECT COUNT(*) FROM messages WHERE project_key = ? AND date < ?", [project_key, at]))

    def unassigned_count(self) -> int:
        return int(self.core.scalar("SELECT COUNT(*) FROM messages WHERE project_key IS NULL AND state = ?", [str(MessageState.PROCESSED)]))

    def in_state(self, state: MessageState) -> list[StoredMessage]:
        return self.core.records(StoredMessage, f"SELECT {_COLUMNS} FROM messages WHERE state = ? ORDER BY id", [str(state)])

    def by_message_id(self, message_id: str) -> StoredMessage | None:
        return self.core.record(StoredMessage, f"SELECT {_COLUMNS} FROM messages WHERE message_id = ? ORDER BY id LIMIT 1", [message_id])

    def last_received(self) -> dict[str, str | None] | None:
        """The message that came in last: its Message-ID, subject, sender and arrival."""
        row = self.core.fetch_one("SELECT message_id, key, subject, sender, received_at FROM messages "
                                  "ORDER BY received_at DESC, id DESC LIMIT 1")
        if row is None:
            return None
        return {"message_id": row["message_id"] or row["key"], "subject": row["subject"], "from": row["sender"],
                "received_at": row["received_at"]}

    def unassigned(self, since: str = "", limit: int = -1) -> list[StoredMessage]:
        """Messages read that belong to no project, oldest first: those dated `since` or later
        when given, the first `limit` (all by default)."""
        if since:
            return self.core.records(StoredMessage, f"SELECT {_COLUMNS} FROM messages WHERE project_key IS NULL AND state = ? AND date >= ? "
                                     "ORDER BY id LIMIT ?", [str(MessageState.PROCESSED), since, limit])
        return self.core.records(StoredMessage, f"SELECT {_COLUMNS} FROM messages WHERE project_key IS NULL AND state = ? ORDER BY id LIMIT ?",
                                 [str(MessageState.PROCESSED), limit])


class Bookkeeping:
    """Facts about this installation (`meta`) and the IMAP checkpoints (`folders`)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def fact(self, key: str) -> str | None:
        value = self.core.scalar("SELECT value FROM meta WHERE key = ?", [key])
        return str(value) if value is not None else None

    def set(self, key: str, value: str) -> None:
        self.core.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    def remember_once(self, key: str, value: str) -> str:
        """The fact `key`, set to `value` if it was not known yet."""
        with self.core.transaction():
            known = self.fact(key)
            if known is not None:
                return known
            self.core.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, value])
            return value

    def checkpoint(self, account: str, folder: str) -> tuple[int, int] | None:
        row = self.core.fetch_one("SELECT uidvalidity, last_uid FROM folders WHERE account = ? AND folder = ?", [account, folder])
        return (int(row["uidvalidity"]), int(row["last_uid"])) if row is not None else None

    def save_checkpoint(self, account: str, folder: str, uidvalidity: int, uid: int, at: str) -> None:
        self.core.execute(
            "INSERT INTO folders (account, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
            "updated_at = excluded.updated_at",
            [account, folder, uidvalidity, uid, at],
        )

    def add_digest(self, *, project_key: str, period_start: str, period_end: str, outbox_id: int, report: dict[str, Any], at: str) -> None:
        self.core.insert(
            "digests",
            {
                "project_key": project_key,
                "period_start": period_start,
                "period_end": period_end,
                "outbox_id": outbox_id,
                "report": json.dumps(report, ensure_ascii=False, default=str),
                "created_at": at,
            },
        )
