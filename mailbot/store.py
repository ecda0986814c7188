"""The SQLite plan: this module owns the whole schema and its migrations.

Every table is created or altered only by a named migration in `MIGRATIONS` (sqlite-utils 4
records applied migrations in `_sqlite_migrations`); `SCHEMA_VERSION` is their count.
`open_store` applies pending migrations, turns on WAL and foreign keys, and is the one way in.

Conventions in the tables: instants are ISO 8601 strings in UTC (`...+00:00`); days are
`YYYY-MM-DD`; meeting times are local wall times in the team's zone (`YYYY-MM-DDTHH:MM`), as
the contract prints them. Raw messages are kept verbatim (BLOB) before anything else happens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from mailbot.errors import StoreError

MIGRATIONS = Migrations("mailbot")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.table("projects").create({"key": str, "name": str, "language": str, "created_at": str}, pk="key")
    db.table("contacts").create(
        {"address": str, "name": str, "party": str, "first_seen": str},
        pk="address",
    )
    db.table("project_contacts").create(
        {"project_key": str, "address": str, "role": str},
        pk=("project_key", "address"),
        foreign_keys=[("project_key", "projects", "key"), ("address", "contacts", "address")],
    )
    db.table("messages").create(
        {
            "id": int,
            "key": str,  # Message-ID, or "sha256:<hex>" of the raw bytes when there is none
            "message_id": str,
            "content_hash": str,
            "raw": bytes,
            "source": str,  # where it came from: a file path, "imap:INBOX/UIDVALIDITY/UID"
            "received_at": str,
            "date": str,
            "subject": str,
            "sender": str,
            "party": str,
            "project_key": str,
            "category": str,
            "language": str,
            "body": str,
            "thread_ids": str,  # JSON list, nearest first
            "state": str,  # new | processed | ignored | failed
            "reason": str,  # why it was ignored or failed, in words
            "answerable": int,  # 0 for mail older than mailbot's first start: read, never answered
            "processed_at": str,
        },
        pk="id",
        not_null={"key", "raw", "state", "content_hash"},
        defaults={"state": "new", "answerable": 1},
    )
    db.table("messages").create_index(["key"], unique=True)
    db.table("messages").create_index(["message_id"])
    db.table("messages").create_index(["content_hash"])
    db.table("messages").create_index(["state"])
    db.table("findings").create(
        {
            "id": int,
            "message_key": str,
            "project_key": str,
            "kind": str,
            "text": str,
            "by": str,
            "due": str,
            "due_text": str,
            "sentiment": str,
            "score": int,
            "start": str,
        },
        pk="id",
    )
    db.table("findings").create_index(["message_key"])
    item = {
        "id": int,
        "project_key": str,
        "finding_id": int,
        "message_id": str,
        "text": str,
        "by": str,
        "who": str,  # the address of the person who said it
        "due": str,
        "due_text": str,
        "status": str,
        "created_at": str,
        "updated_at": str,
    }
    for table in ("commitments", "requests"):
        db.table(table).create(item, pk="id", foreign_keys=[("project_key", "projects", "key")])
        db.table(table).create_index(["project_key", "status"])
    db.table("change_requests").create(
        {
            "id": int,
            "project_key": str,
            "number": int,
            "finding_id": int,
            "message_id": str,
            "text": str,
            "who": str,
            "status": str,  # received → acknowledged → assessed → accepted/rejected/needs_info → applied
            "received_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("change_requests").create_index(["project_key", "number"], unique=True)
    db.table("milestones").create(
        {
            "id": int,
            "project_key": str,
            "name": str,
            "due": str,
            "status": str,  # planned → review_scheduled → approved | moved | dropped
            "source": str,  # config | plan
            "approved_at": str,
            "approval_message_id": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("milestones").create_index(["project_key", "name"], unique=True)
    db.table("meetings").create(
        {
            "id": int,
            "project_key": str,
            "milestone_id": int,
            "title": str,
            "start": str,
            "end": str,
            "uid": str,
            "sequence": int,
            "status": str,  # proposed → invited → held | cancelled
            "message_id": str,
            "finding_id": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("meeting_attendees").create(
        {"meeting_id": int, "address": str, "name": str, "role": str, "partstat": str, "updated_at": str},
        pk=("meeting_id", "address"),
        foreign_keys=[("meeting_id", "meetings", "id")],
    )
    db.table("feedback").create(
        {
            "id": int,
            "project_key": str,
            "finding_id": int,
            "message_id": str,
            "text": str,
            "sentiment": str,
            "who": str,
            "milestone_id": int,
            "at": str,
        },
        pk="id",
    )
    db.table("approvals").create(
        {"id": int, "project_key": str, "finding_id": int, "message_id": str, "text": str, "who": str, "milestone_id": int, "at": str},
        pk="id",
    )
    db.table("risks").create(
        {"id": int, "project_key": str, "finding_id": int, "message_id": str, "text": str, "who": str, "status": str, "at": str},
        pk="id",
    )
    db.table("surveys").create(
        {
            "id": int,
            "project_key": str,
            "milestone_id": int,
            "address": str,
            "status": str,  # sent → answered | expired
            "sent_at": str,
            "score": int,
            "comment": str,
            "message_id": str,  # the answer's Message-ID
            "answered_at": str,
        },
        pk="id",
    )
    db.table("outbox").create(
        {
            "id": int,
            "project_key": str,
            "kind": str,  # ack | digest | invite | reminder | survey
            "dedupe_key": str,  # one message per decision: "ack:<project>:CR-2", "digest:<project>:2026-03-09"
            "message_id": str,
            "in_reply_to": str,
            "recipients": str,  # JSON list of addresses
            "subject": str,
            "raw": bytes,
            "status": str,  # queued → sending → sent | stored (no SMTP configured) | failed (retrying)
            "attempts": int,
            "last_error": str,
            "maildir_file": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        not_null={"dedupe_key", "raw", "status"},
        defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["dedupe_key"], unique=True)
    db.table("outbox").create_index(["message_id"])
    db.table("outbox").create_index(["status"])
    db.table("digests").create(
        {"id": int, "project_key": str, "period_start": str, "period_end": str, "outbox_id": int, "report": str, "created_at": str},
        pk="id",
    )
    db.table("digests").create_index(["project_key", "period_start"], unique=True)
    db.table("history").create(
        {
            "id": int,
            "project_key": str,
            "item": str,  # table name
            "item_id": int,
            "field": str,
            "old": str,
            "new": str,
            "reason": str,  # e.g. "CR-3", "configuration", a message id
            "at": str,
        },
        pk="id",
    )
    db.table("history").create_index(["item", "item_id"])


@MIGRATIONS()
def m002_service(db: Database) -> None:
    """The live service: folder checkpoints, facts about this installation, outbox retries."""
    db.table("folders").create(
        {"account": str, "folder": str, "uidvalidity": int, "last_uid": int, "updated_at": str},
        pk=("account", "folder"),
    )
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("outbox").add_column("next_attempt_at", str)
    db.table("outbox").add_column("reason", str)  # why it was not sent (suppressed by the rate limit…)
    db.table("outbox").add_column("copied_at", str)  # when a copy went to the IMAP Sent folder


@MIGRATIONS()
def m003_meetings(db: Database) -> None:
    """Scheduling: what kind of meeting, its series rule, the due date a review was placed for,
    and attendees' counter-proposals."""
    db.table("meetings").add_column("kind", str)  # review | status | proposed
    db.table("meetings").add_column("rrule", str)
    db.table("meetings").add_column("for_due", str)
    db.table("meetings").add_column("updated_at", str)
    db.table("meetings").create_index(["uid"])
    db.table("meeting_counters").create(
        {"id": int, "meeting_id": int, "address": str, "start": str, "end": str, "comment": str, "message_id": str, "at": str},
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
    )


@MIGRATIONS()
def m004_outbox_claims(db: Database) -> None:
    """Outbox delivery: who is sending a row right now, and whether a send was interrupted
    after the server may already have taken it (see mailbot.outbox)."""
    db.table("outbox").add_column("claimed_by", str)  # host:pid of the sending process
    db.table("outbox").add_column("claimed_at", str)
    db.table("outbox").add_column("in_doubt", int, not_null_default=0)


SCHEMA_VERSION = len(MIGRATIONS._migrations)


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def iso(moment: dt.datetime) -> str:
    """An aware instant as the ISO string in UTC that the tables hold."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def message_key(message_id: str | None, raw: bytes, stable_headers: tuple[str, ...] = ()) -> str:
    """The identity of a stored message: its Message-ID; without one, a hash of the headers
    that survive re-delivery and rewriting by scanners (From, To, Cc, Date, Subject) when there
    are any; else a hash of its bytes."""
    if message_id and message_id.strip("<> "):
        return message_id.strip()
    if any(stable_headers):
        return "headers:" + hashlib.sha256("\x00".join(stable_headers).encode("utf-8", "replace")).hexdigest()
    return "sha256:" + content_hash(raw)


@dataclass
class Store:
    """The open plan database. Use `transaction()` for every multi-row write."""

    db: Database
    path: Path

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        try:
            with self.db.atomic():
                yield self.db
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = list(self.db.query(sql, params))
        return rows[0] if rows else None

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    @property
    def schema_version(self) -> int:
        return len(MIGRATIONS.applied(self.db))


def open_store(path: Path | str) -> Store:
    """Open (creating if needed) the plan at `path`, in WAL mode, migrated to the latest schema."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30)
        db = Database(conn)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        MIGRATIONS.apply(db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the plan database {path}: {exc}") from exc
    return Store(db=db, path=path)
