"""What ties the plan to its mail: sources of plan things, the team's review list, recurring lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mailbot.store.core import Core
from mailbot.store.records import ReviewEntry, Source


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

    def of(self, item: str, item_id: int) -> list[Source]:
        return self.core.records(Source, "SELECT item, item_id, message_id, text, role, at FROM sources WHERE item = ? AND item_id = ? ORDER BY id",
                                 [item, item_id])

    def of_many(self, item: str, item_ids: Iterable[int]) -> dict[int, list[Source]]:
        ids = list(item_ids)
        found: dict[int, list[Source]] = {i: [] for i in ids}
        if not ids:
            return found
        marks = ", ".join("?" * len(ids))
        for source in self.core.records(
            Source, f"SELECT item, item_id, message_id, text, role, at FROM sources WHERE item = ? AND item_id IN ({marks}) ORDER BY id", [item, *ids]
        ):
            found[source.item_id].append(source)
        return found

    def things_in(self, item: str, message_ids: Sequence[str]) -> list[int]:
        """The ids of the `item` things stated in any of `message_ids` (a thread), newest first."""
        if not message_ids:
            return []
        marks = ", ".join("?" * len(message_ids))
        rows = self.core.fetch(
            f"SELECT item_id, MAX(id) AS last FROM sources WHERE item = ? AND message_id IN ({marks}) GROUP BY item_id ORDER BY last DESC",
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

    def pending(self, project_key: str) -> list[ReviewEntry]:
        return self.core.records(
            ReviewEntry,
            "SELECT id, project_key, kind, item, item_id, message_id, text, confidence, reason, status, created_at FROM review "
            "WHERE project_key = ? AND status = 'pending' ORDER BY id",
            [project_key],
        )


class RecurringLines:
    """How often each line stood in a sender's mail (scope: the address, and the domain)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def count(self, scope: str, digests: dict[str, bool], message_key: str) -> dict[str, tuple[int, int]]:
        """Count one message's distinct lines (digest → whether it stood at the foot) once, and
        return each line's (messages, at the foot) counts after this message."""
        out: dict[str, tuple[int, int]] = {}
        for digest, tail in digests.items():
            row = self.core.fetch_one("SELECT messages, tail, last_message FROM recurring_lines WHERE scope = ? AND digest = ?", [scope, digest])
            if row is None:
                self.core.execute(
                    "INSERT INTO recurring_lines (scope, digest, messages, tail, last_message) VALUES (?, ?, 1, ?, ?)",
                    [scope, digest, int(tail), message_key],
                )
                out[digest] = (1, int(tail))
            elif row["last_message"] == message_key:
                out[digest] = (int(row["messages"]), int(row["tail"]))  # the same message again: counted once
            else:
                messages, tails = int(row["messages"]) + 1, int(row["tail"]) + int(tail)
                self.core.execute(
                    "UPDATE recurring_lines SET messages = ?, tail = ?, last_message = ? WHERE scope = ? AND digest = ?",
                    [messages, tails, message_key, scope, digest],
                )
                out[digest] = (messages, tails)
        return out
