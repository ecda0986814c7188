"""The outbox table: outgoing messages from the decision to queue them to their delivery."""

from __future__ import annotations

import json
from typing import Any

from mailbot.lifecycle import OUTBOX, Cause, OutboxStatus
from mailbot.store.core import Core
from mailbot.store.records import OutboxRow

_ROW = (
    "id, project_key, kind, dedupe_key, message_id, in_reply_to, recipients AS recipients_json, subject, raw, status, attempts, "
    "last_error, maildir_file, created_at, sent_at, next_attempt_at, reason, claimed_by, claimed_at, in_doubt"
)

_ROW_BUT_RAW = _ROW.replace(" raw,", " X'' AS raw,")  # for lookups that read a message's bytes only when they need them


class OutboxTable:
    def __init__(self, core: Core) -> None:
        self.core = core

    def has(self, dedupe_key: str) -> bool:
        return self.core.fetch_one("SELECT 1 FROM outbox WHERE dedupe_key = ?", [dedupe_key]) is not None

    def by_dedupe_key(self, dedupe_key: str) -> OutboxRow | None:
        return self.core.record(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE dedupe_key = ?", [dedupe_key])

    def get(self, row_id: int) -> OutboxRow | None:
        return self.core.record(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE id = ?", [row_id])

    def text_of(self, row_id: int) -> str | None:
        """The plain text of what was sent, as `parsing.mime.read_email` reads it; None for a
        message queued before mailbot kept it (schema 13)."""
        value = self.core.scalar("SELECT text FROM outbox WHERE id = ?", [row_id])
        return None if value is None else str(value)

    def raw_of(self, row_id: int) -> bytes:
        value = self.core.scalar("SELECT raw FROM outbox WHERE id = ?", [row_id])
        return bytes(value) if value is not None else b""

    def sent_to_since(self, address: str, since: str, at_most: int) -> int:
        """How many messages (not held back by the limit) were queued to `address` since `since`,
        counted up to `at_most` (what a limit needs to know, at a cost that does not grow)."""
        return int(
            self.core.scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM outbox_recipients r JOIN outbox o ON o.id = r.outbox_id "
                "WHERE r.address = ? AND r.created_at >= ? AND o.status != ? LIMIT ?)",
                [address.lower(), since, str(OutboxStatus.SUPPRESSED), at_most],
            )
        )

    def add(
        self,
        *,
        project_key: str | None,
        kind: str,
        dedupe_key: str,
        message_id: str,
        in_reply_to: str | None,
        recipients: list[str],
        subject: str,
        raw: bytes,
        text: str,
        status: OutboxStatus,
        reason: str | None,
        cause: Cause,
        at: str,
    ) -> int:
        row_id = self.core.insert(
            "outbox",
            {
                "project_key": project_key,
                "kind": kind,
                "dedupe_key": dedupe_key,
                "message_id": message_id,
                "in_reply_to": in_reply_to,
                "recipients": json.dumps(recipients),
                "subject": subject,
                "raw": raw,
                "text": text,
                "status": str(status),
                "reason": reason,
                "attempts": 0,
                "created_at": at,
            },
        )
        self.core.conn.executemany("INSERT OR IGNORE INTO outbox_recipients (address, created_at, outbox_id) VALUES (?, ?, ?)",
                                   [(address.lower(), at, row_id) for address in recipients])
        self.core.record_history(project_key, "outbox", row_id, "status", None, status, cause, at)
        return row_id

    def due(self, now: str) -> list[OutboxRow]:
        """Rows to write and send at `now`: queued, failed and due for a retry, or being sent."""
        return self.core.records(
            OutboxRow,
            f"SELECT {_ROW} FROM outbox WHERE (status IN (?, ?) AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) OR status = ? ORDER BY id",
            [str(OutboxStatus.QUEUED), str(OutboxStatus.FAILED), now, str(OutboxStatus.SENDING)],
        )

    def set_file(self, row_id: int, path: str) -> None:
        self.core.update("outbox", row_id, {"maildir_file": path})

    def claim(self, row: OutboxRow, claimant: str, at: str) -> bool:
        """Take the row for sending, atomically: False when another process changed it first.
        Taking over an interrupted send (`sending`) marks it in doubt."""
        with self.core.transaction():
            cursor = self.core.execute(
                "UPDATE outbox SET status = ?, claimed_by = ?, claimed_at = ?, "
                "in_doubt = CASE WHEN status = ? THEN 1 ELSE in_doubt END "
                "WHERE id = ? AND status = ? AND claimed_by IS ?",
                [str(OutboxStatus.SENDING), claimant, at, str(OutboxStatus.SENDING), row.id, row.status, row.claimed_by],
            )
            if cursor.rowcount != 1:
                return False
            OUTBOX.check(row.status, OutboxStatus.SENDING)
            self.core.record_history(row.project_key, "outbox", row.id, "status", row.status, OutboxStatus.SENDING, Cause.clock(at, claimant), at)
            return True

    def finish(self, row: OutboxRow, status: OutboxStatus, cause: Cause, at: str, **values: Any) -> None:
        """Record the outcome of a delivery attempt (`sent`, `stored`, `failed`)."""
        self.core.transition("outbox", OUTBOX, row.id, status, cause, at, values or None)

    def cancel(self, dedupe_key: str, reason: str, cause: Cause, at: str) -> bool:
        """Withdraw a message that has not gone out yet; False when it is gone or never was."""
        row = self.by_dedupe_key(dedupe_key)
        if row is None or not OUTBOX.allows(OutboxStatus(row.status), OutboxStatus.CANCELLED):
            return False
        return self.core.transition("outbox", OUTBOX, row.id, OutboxStatus.CANCELLED, cause, at, {"reason": reason})

    def counts(self) -> dict[str, int]:
        """How many outgoing messages are in each status (`mailbot status`)."""
        return {str(r["status"]): int(r["n"]) for r in self.core.fetch("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")}

    def next_retry(self) -> str | None:
        value = self.core.scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE status = ?", [str(OutboxStatus.FAILED)])
        return str(value) if value else None

    def sent_not_copied(self) -> list[OutboxRow]:
        return self.core.records(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE status = ? AND copied_at IS NULL ORDER BY id", [str(OutboxStatus.SENT)])

    def release(self, row_id: int, *, message_id: str, raw: bytes, text: str, cause: Cause, at: str) -> bool:
        """A message held back by the per-address limit goes out after all, as written now."""
        return self.core.transition("outbox", OUTBOX, row_id, OutboxStatus.QUEUED, cause, at,
                                    {"message_id": message_id, "raw": raw, "text": text, "reason": None})

    def mark_copied(self, row_id: int, at: str) -> None:
        self.core.update("outbox", row_id, {"copied_at": at})

    def written(self) -> list[OutboxRow]:
        """Every message with a Maildir copy, in the order they were queued."""
        return self.core.records(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE maildir_file IS NOT NULL ORDER BY id")

    def by_message_id(self, message_id: str) -> OutboxRow | None:
        return self.core.record(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE message_id = ?", [message_id])

    def kind_of(self, message_id: str) -> str | None:
        """What mailbot sent as `message_id` (ack, digest, invite, survey …), if it sent it."""
        value = self.core.scalar("SELECT kind FROM outbox WHERE message_id = ?", [message_id])
        return str(value) if value is not None else None

    def answered_by(self, message_ids: tuple[str, ...], address: str | None, since: str, until: str, limit: int = 20) -> list[OutboxRow]:
        """What mailbot sent that a message may be quoting: the messages it names among its
        Message-IDs, and the latest ones queued for its sender from `since` to `until`; at most
        `limit`. Without their bytes (`raw` is empty): `raw_of` reads those of a row not seen before."""
        ids = list(message_ids[:limit])
        marks = ", ".join("?" for _ in ids) or "NULL"
        return self.core.records(
            OutboxRow,
            f"SELECT {_ROW_BUT_RAW} FROM outbox WHERE status != ? AND (message_id IN ({marks}) OR id IN (SELECT outbox_id FROM outbox_recipients "
            "WHERE address = ? AND created_at >= ? AND created_at <= ? ORDER BY created_at DESC LIMIT ?)) ORDER BY id DESC LIMIT ?",  # by index
            [str(OutboxStatus.SUPPRESSED), *ids, (address or "").lower(), since, until, limit, limit],
        )

    def created_with_prefix(self, prefix: str) -> list[str]:
        """When each message whose dedupe key starts with `prefix` was queued (held-back ones aside)."""
        rows = self.core.fetch("SELECT created_at FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? AND status != ? ORDER BY id",
                               [prefix, prefix + "\U0010ffff", str(OutboxStatus.SUPPRESSED)])  # the prefix as a range of the unique index
        return [str(row["created_at"]) for row in rows]

    def count_kind_since(self, project_key: str, kind: str, since: str) -> int:
        return int(self.core.scalar("SELECT COUNT(*) FROM outbox WHERE project_key = ? AND kind = ? AND created_at >= ?",
                                    [project_key, kind, since]))

    def subjects_since(self, project_key: str, kind: str, since: str, limit: int) -> list[tuple[str, str]]:
        """(subject, created_at) of the project's first `limit` messages of `kind` queued since `since`."""
        rows = self.core.tuples("SELECT subject, created_at FROM outbox WHERE project_key = ? AND kind = ? AND created_at >= ? ORDER BY id LIMIT ?",
                                [project_key, kind, since, limit])
        return [(str(subject or ""), str(created_at)) for subject, created_at in rows]

    def of_kind(self, kind: str) -> list[OutboxRow]:
        return self.core.records(OutboxRow, f"SELECT {_ROW} FROM outbox WHERE kind = ? ORDER BY id", [kind])
