import sqlite3
from pathlib import Path

import pytest

from mailbot.errors import StoreError
from mailbot.store import MIGRATIONS, SCHEMA_VERSION, message_key, open_store


def test_open_creates_every_table_in_wal_mode(tmp_path: Path) -> None:
    with open_store(tmp_path / "plan.db") as store:
        tables = set(store.db.table_names())
        assert {
            "projects", "contacts", "messages", "findings", "items", "change_requests",
            "milestones", "meetings", "meeting_attendees", "feedback", "approvals", "risks", "surveys",
            "outbox", "digests", "history",
        } <= tables
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert MIGRATIONS.pending(store.db) == []
        assert store.schema_version == SCHEMA_VERSION >= 1


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    open_store(tmp_path / "plan.db").close()
    with open_store(tmp_path / "plan.db") as store:
        assert MIGRATIONS.pending(store.db) == []
        assert store.db["_sqlite_migrations"].count == SCHEMA_VERSION


def test_change_request_numbers_are_unique_per_project(tmp_path: Path) -> None:
    with open_store(tmp_path / "plan.db") as store:
        store.db["projects"].insert({"key": "p", "name": "P", "language": "en"})
        store.db["change_requests"].insert({"project_key": "p", "number": 1, "text": "a", "status": "received"})
        with pytest.raises(sqlite3.IntegrityError):
            store.db["change_requests"].insert({"project_key": "p", "number": 1, "text": "b", "status": "received"})


def test_transaction_rolls_back_everything_on_error(tmp_path: Path) -> None:
    with open_store(tmp_path / "plan.db") as store:
        store.db["projects"].insert({"key": "p", "name": "P", "language": "en"})
        with pytest.raises(StoreError):
            with store.transaction():
                store.reactions.add_risk(project_key="p", text="late", who=None, message_id=None, finding_id=None, at="2026-03-01T00:00:00+00:00")
                store.projects.link("p", "nobody@x.example", "stakeholder")  # no such contact: a foreign key fails
        assert store.db["risks"].count == 0


def test_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match="cannot open"):
        open_store(tmp_path / "dir.db")


def test_message_key_prefers_message_id_then_hash() -> None:
    assert message_key("<a@b>", b"x") == "<a@b>"
    assert message_key(None, b"x") == message_key("", b"x")
    assert message_key(None, b"x").startswith("sha256:")
    assert message_key(None, b"x") != message_key(None, b"y")


def test_message_key_without_message_id_survives_a_rewritten_body() -> None:
    headers = ("a@b.example", "p@s.example", "", "Mon, 9 Mar 2026 10:00:00 +0800", "hi")
    assert message_key(None, b"body", headers) == message_key(None, b"body [scanned: clean]", headers)
    assert message_key(None, b"body", headers).startswith("headers:")
    assert message_key(None, b"body", headers) != message_key(None, b"body", headers[:4] + ("other",))


def test_a_plan_of_the_previous_schema_is_migrated_with_its_bytes_and_its_term_index(tmp_path: Path) -> None:
    """A plan written before m012 (raw bytes inside `messages`) and before the term index was
    filled: opening it moves every message's bytes to `message_raw` and indexes its open items."""
    from sqlite_utils import Database

    path = tmp_path / "plan.db"
    old = sqlite3.connect(path)
    MIGRATIONS.apply(Database(old), stop_before="m012_raw_apart")
    old.execute("INSERT INTO projects (key, name, language) VALUES ('p', 'P', 'zh')")
    old.execute("INSERT INTO messages (key, message_id, content_hash, raw, state, project_key) "
                "VALUES ('<a@x>', '<a@x>', 'h', ?, 'processed', 'p')", [b"From: a@x\r\n\r\nbody"])
    old.execute("INSERT INTO items (project_key, kind, number, text, status) VALUES ('p', 'commitment', 1, '我们周五前提交首页设计稿', 'open')")
    old.execute("INSERT INTO items (project_key, kind, number, text, status) VALUES ('p', 'commitment', 2, '物料清单已经发给您了', 'done')")
    old.commit()
    old.close()
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        message = store.messages.by_key("<a@x>")
        assert message is not None and store.messages.raw(message.id)[0] == b"From: a@x\r\n\r\nbody"
        assert "raw" not in {column.name for column in store.db["messages"].columns}
        assert "text" in {column.name for column in store.db["outbox"].columns}  # m013: what was queued before has none
        assert [i.number for i in store.items.candidates("p", {"首页", "设计"})] == [1]  # the open one, found by its terms
        assert store.items.candidates("p", {"物料", "清单"}) == []  # a closed item is no candidate


def test_records_are_built_by_column_name_whatever_the_order_and_a_missing_column_is_named(tmp_path: Path) -> None:
    from mailbot.store.records import Source

    store = open_store(tmp_path / "plan.db")
    try:
        in_order = store.records(Source, "SELECT 'items' AS item, 7 AS item_id, '<m@x>' AS message_id, '周五前发' AS text, "
                                          "'stated' AS role, NULL AS at")
        shuffled = store.records(Source, "SELECT NULL AS at, 'stated' AS role, 99 AS extra, '周五前发' AS text, "
                                          "'<m@x>' AS message_id, 7 AS item_id, 'items' AS item")
        assert in_order == shuffled == [Source(item="items", item_id=7, message_id="<m@x>", text="周五前发", role="stated", at=None)]
        assert store.record(Source, "SELECT * FROM (SELECT 'x' AS item, 1 AS item_id, NULL AS message_id, NULL AS text, "
                                    "'ack' AS role, NULL AS at) WHERE 0") is None
        with pytest.raises(KeyError, match="Source: the query has no column role"):
            store.records(Source, "SELECT 'x' AS item, 1 AS item_id, NULL AS message_id, NULL AS text, NULL AS at")
    finally:
        store.close()


def test_many_rows_move_in_one_transition_with_a_history_row_each_or_none_move(tmp_path: Path) -> None:
    from mailbot.lifecycle import Cause, LifecycleError, MeetingStatus

    store = open_store(tmp_path / "plan.db")
    try:
        cause, at = Cause.clock("2026-03-28T00:00:00+00:00"), "2026-03-28T00:00:00+00:00"
        with store.transaction():
            ids = [store.meetings.add({"project_key": None, "kind": "review", "status": status, "title": f"m{n}",
                                       "start": "2026-03-27T10:00", "created_at": at}, cause, at)
                   for n, status in enumerate(["invited", "agreed", "held", "proposed"])]
        invited, agreed, held, proposed = ids
        with pytest.raises(LifecycleError):  # proposed → held is no move: nothing moves
            store.meetings.set_status_many(ids, MeetingStatus.HELD, cause, at)
        assert [store.meetings.get(i).status for i in ids] == ["invited", "agreed", "held", "proposed"]
        with pytest.raises(StoreError, match="no rows \\[999\\] in meetings"):
            store.meetings.set_status_many([invited, 999], MeetingStatus.HELD, cause, at)
        assert store.meetings.set_status_many([agreed, invited, held], MeetingStatus.HELD, cause, at) == 2
        assert [store.meetings.get(i).status for i in ids] == ["held", "held", "held", "proposed"]
        moved = store.rows("SELECT item_id, old, new, cause, at FROM history WHERE item = 'meetings' AND field = 'status' "
                           "AND new = 'held' AND old IS NOT NULL ORDER BY id")  # not the rows' creation
        assert moved == [{"item_id": invited, "old": "invited", "new": "held", "cause": "clock", "at": at},
                         {"item_id": agreed, "old": "agreed", "new": "held", "cause": "clock", "at": at}]
        assert store.one("SELECT updated_at FROM meetings WHERE id = ?", [invited])["updated_at"] == at
    finally:
        store.close()
