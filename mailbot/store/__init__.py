"""The SQLite plan: the one data-access layer. Nothing outside this package writes SQL.

`open_store(path)` opens (creating and migrating) the file and returns a `Store`; its
repositories hold every statement and hand out dataclasses (`records`):

    store.messages     raw messages and what processing learnt      (messages)
    store.bookkeeping  facts, IMAP checkpoints, digests sent          (meta, folders, digests)
    store.projects     projects and the people on them                (projects, contacts, project_contacts)
    store.milestones   milestones                                     (milestones)
    store.findings     every finding as extracted                     (findings)
    store.items        commitments and requests                       (items)
    store.changes      change requests                                (change_requests)
    store.reactions    approvals, feedback, risks, survey answers     (approvals, feedback, risks, surveys)
    store.meetings     meetings, answers, counter-proposals           (meetings, meeting_attendees, meeting_counters)
    store.outbox       outgoing mail                                  (outbox)
    store.sources      where each plan thing is stated                (sources)
    store.review       what mailbot was unsure of, for the team       (review)
    store.recurring    lines that recur across a sender's mail        (recurring_lines)

`store.transaction()` groups writes; every status change goes through `Core.transition`, which
asks the thing's lifecycle (`mailbot.lifecycle`) and writes the history. The schema lives in
`schema.py`, one named migration per change.
"""

from __future__ import annotations

import fcntl
import functools
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.errors import StoreError
from mailbot.store.core import SCHEMA_VERSION, Core, applied_migrations, autocommit, connect, content_hash, iso, message_key
from mailbot.store.items import ChangeRequests, Findings, Items, Reactions
from mailbot.store.links import CommandLog, RecurringLines, ReviewList, Sources
from mailbot.store.meetings import Meetings
from mailbot.store.messages import Bookkeeping, Messages
from mailbot.store.outbox import OutboxTable
from mailbot.store.projects import Milestones, Projects

if TYPE_CHECKING:
    from sqlite_utils import Database


class Store(Core):
    """The open plan database. Use `transaction()` for every multi-row write."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self.messages = Messages(self)
        self.bookkeeping = Bookkeeping(self)
        self.projects = Projects(self)
        self.milestones = Milestones(self)
        self.findings = Findings(self)
        self.items = Items(self)
        self.changes = ChangeRequests(self)
        self.reactions = Reactions(self)
        self.meetings = Meetings(self)
        self.outbox = OutboxTable(self)
        self.sources = Sources(self)
        self.review = ReviewList(self)
        self.recurring = RecurringLines(self)
        self.commands = CommandLog(self)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return applied_migrations(self.conn)

    @functools.cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection: for looking inside by hand and in tests (loaded
        on first use: a command that only reads the plan does not pay for its import)."""
        from sqlite_utils import Database

        return Database(self.conn)


def open_store(path: Path | str) -> Store:
    """Open (creating if needed) the plan at `path`, in WAL mode, migrated to the latest schema."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Creating the file, turning WAL on and migrating are done by one process at a time:
        # sqlite-utils migrates in deferred transactions, which fail at once (not after the busy
        # timeout) when another process upgrades to a writer at the same moment.
        with open(path.with_name(path.name + ".open.lock"), "a+b") as guard:
            fcntl.flock(guard.fileno(), fcntl.LOCK_EX)
            try:
                conn = connect(path)
                if applied_migrations(conn) < SCHEMA_VERSION:  # sqlite-utils is loaded only to migrate
                    from sqlite_utils import Database

                    from mailbot.store.schema import MIGRATIONS

                    MIGRATIONS.apply(Database(conn))
                autocommit(conn)
                store = Store(conn, path)
                store.items.reindex_terms()  # built by another reading of terms, or never: build it
            finally:
                fcntl.flock(guard.fileno(), fcntl.LOCK_UN)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the plan database {path}: {exc}") from exc
    return store




def __getattr__(name: str) -> object:
    if name == "MIGRATIONS":  # the migrations themselves, with sqlite-utils: loaded when asked for
        from mailbot.store.schema import MIGRATIONS

        return MIGRATIONS
    raise AttributeError(f"module 'mailbot.store' has no attribute {name!r}")


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError", "content_hash", "iso", "message_key", "open_store"]
