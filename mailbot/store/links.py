"""What ties the plan to its mail: sources of plan things, the team's review list, recurring lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from mailbot.store.core import Core
from mailbot.store.items import index_terms
from mailbot.store.records import ReviewEntry, Source
from mailbot.terms import terms

Cited = tuple[str, str | None, str]  # a source as `plan --json` shows it: (message_id, text, role)


class Sources:
    """Every place a plan thing is stated, so that a reply can be tied to what it answers."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, *, project_key: str | None, item: str, item_id: int, message_id: str | None, text: str | None, role: str, at: str,
            finding_id: int | None = None) -> None:
        self.core.insert(
            "sources",
            {"project_key": project_key, "item": item, "item_id": item_id, "message_id": message_id, "finding_id": finding_id,
             "text": text, "role": role, "at": at},
        )
        if item == "items" and role != "closed" and text and project_key:
            index_terms(self.core, project_key, item_id, terms(text))  # a restatement names the item too

    def of(self, item: str, item_id: int) -> list[Source]:
        return self.core.records(Source, "SELECT item, item_id, message_id, text, role, at FROM sources WHERE item = ? AND item_id = ? ORDER BY id",
                                 [item, item_id])

    def of_many(self, item: str, item_ids: Iterable[int]) -> dict[int, list[Source]]:
        return self.core.grouped(Source, "SELECT item, item_id, message_id, text, role, at FROM sources WHERE item = ? "
                                 "AND item_id IN (SELECT value FROM json_each(?)) ORDER BY item_id, id",  # idx_sources_item's order: no sort
                                 item_ids, "item_id", [item])

    def cited_of_many(self, item: str, item_ids: Iterable[int]) -> dict[int, list[Cited]]:
        """`of_many` as (message_id, text, role) of each source that names a message, for
        `plan --json`: a large plan has tens of thousands, and building records of them was a
        third of its time."""
        found: dict[int, list[Cited]] = {i: [] for i in item_ids}
        if found:
            for item_id, message_id, text, role in self.core.tuples(
                    "SELECT item_id, message_id, text, role FROM sources WHERE item = ? AND item_id IN (SELECT value FROM json_each(?)) "
                    "AND message_id <> '' ORDER BY item_id, id", [item, json.dumps(sorted(found))]):
                found[item_id].append((message_id, text, role))
        return found

    def things_in(self, item: str, message_ids: Sequence[str]) -> list[int]:
        """The ids of the `item` things stated in any of `message_ids` (a thread), newest first."""
        if not message_ids:
            return []
        marks = ", ".join("?" * len(message_ids))
        rows = self.core.fetch(
            # "+item": look up by message (idx_sources_message), never walk every source of that kind
            f"SELECT item_id, MAX(id) AS last FROM sources WHERE +item = ? AND message_id IN ({marks}) GROUP BY item_id ORDER BY last DESC",
            [item, *message_ids],
        )
        return [int(row["item_id"]) for row in rows]


class ReviewList:
    """What mailbot was unsure of: kept, never acted on, for the team to decide."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, *, project_key: str | None, kind: str, item: str, item_id: int, message_id: str | None, text: str, confidence: float,
            reason: str, at: str) -> None:
        known = self.core.fetch_one(
            "SELECT 1 FROM review WHERE kind = ? AND item = ? AND item_id = ? AND message_id IS ? AND status = 'pending'",
            [kind, item, item_id, message_id],
        )
        if known is None:
            self.core.insert(
                "review",
                {"project_key": project_key, "kind": kind, "item": item, "item_id": item_id, "message_id": message_id, "text": text,
                 "confidence": round(confidence, 2), "reason": reason, "status": "pending", "created_at": at},
            )

    def pending(self, project_key: str, limit: int = -1) -> list[ReviewEntry]:
        """What waits for the team's review in the project, oldest first; the first `limit` (all by default)."""
        return self.core.records(
            ReviewEntry,
            "SELECT id, project_key, kind, item, item_id, message_id, text, confidence, reason, status, created_at FROM review "
            "WHERE project_key = ? AND status = 'pending' ORDER BY id LIMIT ?",
            [project_key, limit],
        )


class RecurringLines:
    """How often each line stood in a sender's mail (scope: the address, and the domain)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def count(self, scope: str, digests: dict[str, bool], message_key: str) -> dict[str, tuple[int, int]]:
        """Count one message's distinct lines (digest → whether it stood at the foot) once, and
        return each line's (messages, at the foot) counts after this message."""
        if not digests:
            return {}
        # one statement for all the lines ("WHERE true": an upsert's SELECT needs a WHERE to parse);
        # the same message again is counted once
        rows = self.core.fetch(
            "INSERT INTO recurring_lines (scope, digest, messages, tail, last_message) "
            "SELECT ?, json_extract(value, '$[0]'), 1, json_extract(value, '$[1]'), ? FROM json_each(?) WHERE true "
            "ON CONFLICT (scope, digest) DO UPDATE SET messages = messages + (last_message IS NOT excluded.last_message), "
            "tail = tail + CASE WHEN last_message IS NOT excluded.last_message THEN excluded.tail ELSE 0 END, "
            "last_message = excluded.last_message RETURNING digest, messages, tail",
            [scope, message_key, json.dumps([[digest, int(tail)] for digest, tail in digests.items()])],
        )
        return {str(row["digest"]): (int(row["messages"]), int(row["tail"])) for row in rows}


class CommandLog:
    """Commands the team gave by mail, and the history they caused (for `undo`)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, *, project_key: str | None, message_id: str, sender: str, line: str, verb: str, target: str | None, result: str,
            detail: str | None, at: str) -> None:
        self.core.insert("commands", {"project_key": project_key, "message_id": message_id, "sender": sender, "line": line, "verb": verb,
                                      "target": target, "result": result, "detail": detail, "at": at})

    def seen(self, message_id: str) -> bool:
        return self.core.fetch_one("SELECT 1 FROM commands WHERE message_id = ?", [message_id]) is not None

    def last_mail(self, sender: str, since: str, *, before: str) -> str | None:
        """The Message-ID of `sender`'s latest command mail since `since` that changed something
        and was not undone, other than `before`."""
        value = self.core.scalar(
            "SELECT message_id FROM commands WHERE sender = ? AND at >= ? AND message_id != ? AND result = 'done' AND undone_by IS NULL "
            "AND verb != 'undo' ORDER BY id DESC LIMIT 1",
            [sender, since, before],
        )
        return str(value) if value is not None else None

    def changes_of(self, message_id: str) -> list[dict[str, Any]]:
        """The history rows a command mail caused, newest first."""
        return self.core.rows(
            "SELECT id, project_key, item, item_id, field, old, new FROM history WHERE cause = 'command' AND reason = ? ORDER BY id DESC",
            [message_id],
        )

    def mark_undone(self, message_id: str, by: str) -> None:
        self.core.execute("UPDATE commands SET undone_by = ? WHERE message_id = ?", [by, message_id])
