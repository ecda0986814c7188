"""The open plan database: one connection, transactions, errors mapped, and the one transition.

The connection runs in autocommit mode; `Store.transaction()` is the only way to group writes
(`BEGIN IMMEDIATE` outermost, so two processes sharing the file queue for the write lock at the
start instead of failing half-way; savepoints inside). Every SQLite error, on reads as on
writes, becomes `StoreError` naming the file. Repositories (`store.messages`, `store.items` …)
hold the statements; nothing outside this package writes SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mailbot.errors import StoreError
from mailbot.lifecycle import Cause, Lifecycle
from mailbot.store.records import HistoryEntry, row_builder

if TYPE_CHECKING:
    from enum import StrEnum

R = TypeVar("R")
Params = Sequence[Any]

# The tables whose rows move through a lifecycle, and the column stamped when they do.
_STAMPED = {"items": "updated_at", "change_requests": "updated_at", "milestones": "updated_at", "meetings": "updated_at"}


_HISTORY_INSERT = "INSERT INTO history (project_key, item, item_id, field, old, new, cause, reason, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _history_row(project_key: str | None, item: str, item_id: int, field: str, old: Any, new: Any, cause: Cause,
                 at: str) -> tuple[Any, ...]:
    """One history row, for `_HISTORY_INSERT`: what changed, from what to what, why and when."""
    return (project_key, item, item_id, field, None if old is None else str(old), None if new is None else str(new),
            str(cause.kind), cause.reason, cause.note or None, at)


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


class Core:
    """Connection, transactions and statement helpers shared by the repositories."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all; nested blocks are savepoints."""
        depth = self._depth
        try:
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT s{depth}")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot start a transaction: {exc}") from exc
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            self._rollback(depth)
            raise
        self._depth = depth
        try:
            self.conn.execute("COMMIT" if depth == 0 else f"RELEASE SAVEPOINT s{depth}")
        except sqlite3.Error as exc:
            self._rollback(depth)
            raise StoreError(f"{self.path}: {exc}") from exc

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """`transaction()` for a batch of many messages (bulk import): one commit for all, and
        `synchronous=NORMAL` while it lasts. In WAL mode that is still crash-safe (a crash loses
        at most the batch, which the import then reads again; the file is never corrupted); only
        a power cut may lose the last batches. Back to FULL after it."""
        if self._depth:
            with self.transaction():
                yield
            return
        self.conn.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.transaction():
                yield
        finally:
            self.conn.execute("PRAGMA synchronous = FULL")

    def _rollback(self, depth: int) -> None:
        if not self.conn.in_transaction:
            return  # the error already ended it
        try:
            if depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT s{depth}")
                self.conn.execute(f"RELEASE SAVEPOINT s{depth}")
        except sqlite3.Error:
            pass  # the original error is the one worth reporting

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # -- statements -----------------------------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = sqlite3.Row
            return cursor.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def fetch(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        try:
            return list(self.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = self.fetch(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.fetch_one(sql, params)
        return row[0] if row is not None else None

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Plain rows, for a caller that unpacks them at once (no `sqlite3.Row` per row)."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc

    def records(self, cls: type[R], sql: str, params: Params = ()) -> list[R]:
        try:
            cursor = self.conn.execute(sql, params)  # plain tuples: `row_builder` picks the fields by index
            rows = cursor.fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        build = row_builder(cls, tuple(column[0] for column in cursor.description))
        return [build(row) for row in rows]

    def grouped(self, cls: type[R], sql: str, ids: Iterable[int], key: str, params: Sequence[Any] = ()) -> dict[int, list[R]]:
        """`records` of many things in one statement, by the id in attribute `key`; every id is
        there, with [] when it has none. `sql` takes `params`, then the ids as a JSON list
        (`IN (SELECT value FROM json_each(?))`: no limit on how many)."""
        found: dict[int, list[R]] = {i: [] for i in ids}
        if found:
            for record in self.records(cls, sql, [*params, json.dumps(sorted(found))]):
                found[getattr(record, key)].append(record)
        return found

    def record(self, cls: type[R], sql: str, params: Params = ()) -> R | None:
        found = self.records(cls, sql, params)
        return found[0] if found else None

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Rows as dicts: for tests and for looking inside by hand, not for mailbot's code."""
        return [dict(row) for row in self.fetch(sql, params)]

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row; returns its id. `table` is one of ours, never user input."""
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cursor = self.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
        return int(cursor.lastrowid or 0)

    def update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        assignments = ", ".join(f"{column} = ?" for column in values)
        self.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*values.values(), row_id])

    # -- history and transitions ----------------------------------------------------------------

    def record_history(
        self, project_key: str | None, item: str, item_id: int, field: str, old: Any, new: Any, cause: Cause, at: str
    ) -> None:
        self.execute(_HISTORY_INSERT, _history_row(project_key, item, item_id, field, old, new, cause, at))

    def transition(
        self,
        table: str,
        lifecycle: Lifecycle[Any],
        row_id: int,
        to: StrEnum | str,
        cause: Cause,
        at: str,
        extra: dict[str, Any] | None = None,
    ) -> bool:
        """Move row `row_id` of `table` to state `to` if its lifecycle allows it (else
        `LifecycleError`), with `extra` columns set alongside, and write the move to the
        history with its cause. Returns False when it was already in that state."""
        row = self.fetch_one(f"SELECT project_key, status FROM {table} WHERE id = ?", [row_id])
        if row is None:
            raise StoreError(f"{self.path}: no row {row_id} in {table}")
        old = row["status"]
        new = lifecycle.check(old, str(to))
        if old == new:
            if extra:
                self.update(table, row_id, extra)
            return False
        values: dict[str, Any] = {"status": str(new), **(extra or {})}
        if table in _STAMPED:
            values.setdefault(_STAMPED[table], at)
        self.update(table, row_id, values)
        self.record_history(row["project_key"], table, row_id, "status", old, new, cause, at)
        return True

    def transition_many(self, table: str, lifecycle: Lifecycle[Any], row_ids: Iterable[int], to: StrEnum | str, cause: Cause,
                        at: str) -> int:
        """`transition` of many rows to one state, in three statements (a first tick after a long
        import marks a thousand past meetings held). Every row is checked before any moves; the
        rows already in `to` are left as they are. Returns how many moved."""
        wanted = sorted(set(row_ids))
        if not wanted:
            return 0
        rows = self.fetch(f"SELECT id, project_key, status FROM {table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                          [json.dumps(wanted)])
        if len(rows) != len(wanted):
            missing = sorted(set(wanted) - {int(r["id"]) for r in rows})
            raise StoreError(f"{self.path}: no rows {missing} in {table}")
        new = str(to)
        moving = [row for row in rows if lifecycle.check(row["status"], new) != row["status"]]
        stamp = f", {_STAMPED[table]} = ?" if table in _STAMPED else ""
        try:
            self.conn.executemany(f"UPDATE {table} SET status = ?{stamp} WHERE id = ?",
                                  [(new, *([at] if stamp else []), row["id"]) for row in moving])
            self.conn.executemany(_HISTORY_INSERT, [_history_row(row["project_key"], table, row["id"], "status", row["status"], new, cause, at)
                                                    for row in moving])
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        return len(moving)

    def put_back(self, table: str, row_id: int, column: str, old: str | None, now: str | None, project_key: str | None, cause: Cause,
                 at: str) -> None:
        """Undo one change the history holds: `column` of the row goes back to `old` (lifecycles
        aside: an undo may go where no forward move may), written to the history as a change
        of its own. `table` and `column` come from the history, which only the store writes."""
        if table == "projects":
            self.execute("UPDATE projects SET status = ?, finished_at = NULL, finished_by = NULL WHERE key = ?", [old, project_key])
        else:
            self.update(table, row_id, {column: old})
        self.record_history(project_key, table, row_id, column, now, old, cause, at)

    def values_at(self, item: str, field: str, at: str) -> dict[int, str | None]:
        """Each `item` thing's `field` as the history has it at `at`: the last change not after it.
        Things created after `at` are absent."""
        rows = self.fetch(
            "SELECT item_id, new FROM history WHERE item = ? AND field = ? AND at <= ? ORDER BY at, id", [item, field, at]
        )
        return {int(row["item_id"]): row["new"] for row in rows}

    def changed_since(self, item: str, at: str, project_key: str) -> list[int]:
        """The `item` things of a project changed after `at` (their rows are newer than the plan at `at`)."""
        rows = self.fetch("SELECT DISTINCT item_id FROM history WHERE at > ? AND +item = ? AND +project_key = ? ORDER BY item_id",
                          [at, item, project_key])  # by time (history_at)
        return [int(row["item_id"]) for row in rows]

    def moved_in(self, item: str, field: str, new: str, since: str, until: str) -> list[int]:
        """The `item` things whose `field` changed to `new` after `since` and by `until`, by id."""
        rows = self.fetch("SELECT DISTINCT item_id FROM history WHERE item = ? AND field = ? AND at > ? AND at <= ? AND new = ? "
                          "ORDER BY item_id", [item, field, since, until, new])
        return [int(row["item_id"]) for row in rows]

    def last_moved(self, item: str, field: str, new: str, ids: Iterable[int]) -> dict[int, str]:
        """When each of the `item` things `ids` last had its `field` changed to `new` (its history's
        latest such row), by id; one statement for all of them. Ids that never did are left out."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.fetch("SELECT item_id, at FROM history WHERE id IN (SELECT MAX(id) FROM history WHERE item = ? "
                          "AND item_id IN (SELECT value FROM json_each(?)) AND field = ? AND new = ? GROUP BY item_id)",
                          [item, json.dumps(wanted), field, new])
        return {int(row["item_id"]): str(row["at"]) for row in rows}

    def value_at(self, item: str, item_id: int, field: str, at: str) -> str | None:
        """One thing's `field` as the history has it at `at` (None before it existed)."""
        value = self.scalar("SELECT new FROM history WHERE item = ? AND item_id = ? AND +field = ? AND +at <= ? "  # by thing, not by field
                            "ORDER BY at DESC, id DESC LIMIT 1", [item, item_id, field, at])
        return None if value is None else str(value)

    def history(self, item: str, item_id: int) -> list[HistoryEntry]:
        return self.records(
            HistoryEntry,
            "SELECT item, item_id, field, old, new, cause, reason, note, at FROM history WHERE item = ? AND item_id = ? ORDER BY id",
            [item, item_id],
        )


SCHEMA_VERSION = 13  # the migrations in schema.py; it checks this when it is imported


def connect(path: Path) -> sqlite3.Connection:
    """Open the file in WAL mode with foreign keys on, waiting (not failing) for other writers."""
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA cache_size = -32768")  # 32 MiB of pages (the default is 2): a large plan's indexes stay in memory
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    return conn


def applied_migrations(conn: sqlite3.Connection) -> int:
    """How many of mailbot's migrations this file has had (sqlite-utils' `_sqlite_migrations`)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone() is None:
        return 0
    return int(conn.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE migration_set = 'mailbot'").fetchone()[0])


def autocommit(conn: sqlite3.Connection) -> None:
    """From here on no statement opens a transaction behind our back (after the migrations,
    which sqlite-utils runs in transactions of its own)."""
    conn.commit()
    conn.isolation_level = None
