"""Lifecycles: the moves each allows, the history every move leaves, and errors on reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mailbot.errors import StoreError
from mailbot.lifecycle import (
    CHANGE,
    ITEM,
    LIFECYCLES,
    MEETING,
    MILESTONE,
    OUTBOX,
    Cause,
    ChangeStatus,
    ItemStatus,
    LifecycleError,
    MeetingStatus,
)
from mailbot.store import Store, open_store

AT = "2026-03-10T02:00:00+00:00"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "plan.db")
    store.projects.save("p", "P", "en", AT)
    yield store
    store.close()


def test_every_lifecycle_names_only_its_own_states_and_each_state_has_a_row() -> None:
    for lifecycle in LIFECYCLES:
        assert set(lifecycle.moves) == set(lifecycle.states), lifecycle.name
        for old, new in lifecycle.edges():
            assert isinstance(old, lifecycle.states) and isinstance(new, lifecycle.states)
        assert lifecycle.initial in lifecycle.states


@pytest.mark.parametrize(
    ("lifecycle", "old", "new", "allowed"),
    [
        (ITEM, "open", "done", True),
        (ITEM, "done", "withdrawn", False),  # reopen first
        (CHANGE, "received", "acknowledged", True),
        (CHANGE, "applied", "received", False),  # what was done to the plan is not undone by mail
        (CHANGE, "acknowledged", "applied", False),  # nothing is applied before it is accepted
        (MILESTONE, "done", "review_scheduled", False),
        (MEETING, "held", "cancelled", False),
        (OUTBOX, "sent", "queued", False),
        (OUTBOX, "queued", "cancelled", True),
    ],
)
def test_transitions_allowed_and_refused(lifecycle: object, old: str, new: str, allowed: bool) -> None:
    if allowed:
        assert lifecycle.check(old, new) == new  # type: ignore[attr-defined]
    else:
        with pytest.raises(LifecycleError, match=f"cannot go from {old} to {new}"):
            lifecycle.check(old, new)  # type: ignore[attr-defined]


def test_a_move_is_written_to_the_history_with_its_cause_and_a_refused_one_changes_nothing(store: Store) -> None:
    with store.transaction():
        item_id = store.items.add(project_key="p", kind="commitment", text="send the logo", by="us", who="a@s.example", due=None,
                                  due_text=None, message_id="<m1@x>", finding_id=None, at=AT)
    item = store.items.get(item_id)
    assert item is not None and item.ref == "C1" and item.status == ItemStatus.OPEN
    assert store.items.set_status(item, ItemStatus.DONE, Cause.message("<m2@x>", "delivered"), AT)
    assert not store.items.set_status(item, ItemStatus.DONE, Cause.message("<m3@x>"), AT)  # already there: no move
    with pytest.raises(LifecycleError):
        store.items.set_status(item, ItemStatus.WITHDRAWN, Cause.message("<m4@x>"), AT)
    history = [(h.old, h.new, h.cause, h.reason, h.note) for h in store.history("items", item_id)]
    assert history == [(None, "open", "message", "<m1@x>", None), ("open", "done", "message", "<m2@x>", "delivered")]


def test_change_requests_are_numbered_per_project_and_start_received(store: Store) -> None:
    store.projects.save("q", "Q", "zh", AT)
    numbers = [
        store.changes.add(project_key=key, text=f"change {n}", who=None, message_id=None, finding_id=None, at=AT).ref
        for n, key in enumerate(("p", "p", "q"))
    ]
    assert numbers == ["CR-1", "CR-2", "CR-1"]
    assert {c.status for c in store.changes.of_project("p")} == {ChangeStatus.RECEIVED}


def test_a_broken_database_is_a_store_error_on_reads_too(store: Store, tmp_path: Path) -> None:
    store.conn.execute("DROP TABLE items")
    with pytest.raises(StoreError, match="no such table"):
        store.items.of_project("p")
    with pytest.raises(StoreError):
        store.transition("nowhere", ITEM, 1, ItemStatus.DONE, Cause.message("<x>"), AT)


def test_a_rolled_back_transaction_leaves_no_history(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.items.add(project_key="p", kind="request", text="x", by="client", who=None, due=None, due_text=None,
                        message_id=None, finding_id=None, at=AT)
        store.conn.execute("INSERT INTO projects (key, name, language) VALUES ('p', 'again', 'en')")
    assert store.items.of_project("p") == [] and store.history("items", 1) == []


def test_what_a_message_may_decide_is_every_undecided_change_and_those_accepted_within_the_horizon(store: Store) -> None:
    old, recent, pending = (store.changes.add(project_key="p", text=f"change {n}", who=None, message_id=None, finding_id=None, at=AT)
                            for n in range(3))
    store.changes.set_status(old, ChangeStatus.ACCEPTED, Cause.message("<yes1@x>"), "2025-01-10T02:00:00+00:00")
    store.changes.set_status(recent, ChangeStatus.ACCEPTED, Cause.message("<yes2@x>"), "2025-09-10T02:00:00+00:00")
    undecided = {ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED}
    assert [c.ref for c in store.changes.decidable("p", undecided, accepted_since="2025-06-01T00:00:00+00:00")] == [recent.ref, pending.ref]
    assert [c.ref for c in store.changes.decidable("p", undecided, accepted_since="2024-06-01T00:00:00+00:00")] == [old.ref, recent.ref,
                                                                                                                     pending.ref]


def test_a_messages_meetings_and_the_live_ones_are_read_without_the_rest_of_the_project(store: Store) -> None:
    store.projects.save("q", "Q", "zh", AT)
    for n, (project, status, message) in enumerate([("p", "agreed", "<a@x>"), ("p", "proposed", "<b@x>"), ("p", "cancelled", "<b@x>"),
                                                    ("q", "proposed", "<b@x>"), ("p", "invited", None)]):
        store.meetings.add({"project_key": project, "kind": "meeting", "title": f"meeting {n}", "status": status, "message_id": message},
                           Cause.message(message or "<clock>"), AT)
    assert [m.title for m in store.meetings.of_message("p", "<b@x>")] == ["meeting 1", "meeting 2"]
    assert store.meetings.of_message("p", None) == []  # a message without a Message-ID states none of the scheduler's
    live = store.meetings.live("p", (MeetingStatus.PROPOSED, MeetingStatus.AGREED, MeetingStatus.INVITED))
    assert [m.title for m in live] == ["meeting 0", "meeting 1", "meeting 4"]
