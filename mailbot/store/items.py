"""What the mail said, as plan items: findings, commitments and requests, change requests,
approvals, feedback, risks and survey answers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from mailbot.lifecycle import CHANGE, ITEM, SURVEY, Cause, ChangeStatus, ItemStatus, RiskStatus, SurveyStatus
from mailbot.store.core import Core
from mailbot.store.records import Approval, ChangeRequest, Feedback, Item, Risk, Survey
from mailbot.terms import TERMS_VERSION, terms

_ITEM = "id, project_key, kind, number, text, by, who, due, due_text, status, message_id, finding_id, created_at, updated_at, internal, milestone_id"
_CR = ("id, project_key, number, text, who, status, message_id, finding_id, received_at, updated_at, origin, milestone_id, new_due, "
       "decided_by, decided_at")


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A finding as stored, beside the plan item it made (if any)."""

    message_key: str
    project_key: str
    kind: str
    text: str
    by: str | None
    due: str | None
    due_text: str | None
    sentiment: str | None
    score: int | None
    start: str | None


def index_terms(core: Core, project_key: str, item_id: int, found: Iterable[str]) -> None:
    """Index item `item_id` under `found` (m009's `item_terms`), while it is open: the index
    holds open items only, so what a reply can close is looked up among them alone."""
    core.conn.executemany("INSERT OR IGNORE INTO item_terms (project_key, term, item_id) SELECT ?, ?, ? "
                          "WHERE EXISTS (SELECT 1 FROM items WHERE id = ? AND status = 'open')",
                          [(project_key, term, item_id, item_id) for term in sorted(set(found))])


class Findings:
    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, finding: FindingRow) -> int:
        return self.core.insert(
            "findings",
            {
                "message_key": finding.message_key,
                "project_key": finding.project_key,
                "kind": finding.kind,
                "text": finding.text,
                "by": finding.by,
                "due": finding.due,
                "due_text": finding.due_text,
                "sentiment": finding.sentiment,
                "score": finding.score,
                "start": finding.start,
            },
        )

    def count(self) -> int:
        return int(self.core.scalar("SELECT COUNT(*) FROM findings"))


class Items:
    """Commitments and requests, numbered per project and kind (C1 …, R1 …)."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def add(
        self,
        *,
        project_key: str,
        kind: str,
        text: str,
        by: str | None,
        who: str | None,
        due: str | None,
        due_text: str | None,
        message_id: str | None,
        finding_id: int | None,
        at: str,
        internal: bool = False,
    ) -> int:
        number = int(self.core.scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM items WHERE project_key = ? AND kind = ?", [project_key, kind]))
        item_id = self.core.insert(
            "items",
            {
                "project_key": project_key,
                "kind": kind,
                "number": number,
                "text": text,
                "by": by,
                "who": who,
                "due": due,
                "due_text": due_text,
                "status": str(ITEM.initial),
                "message_id": message_id,
                "finding_id": finding_id,
                "created_at": at,
                "updated_at": at,
                "internal": int(internal),
            },
        )
        self.core.record_history(project_key, "items", item_id, "status", None, ITEM.initial, Cause.message(message_id), at)
        self.core.insert("sources", {"project_key": project_key, "item": "items", "item_id": item_id, "message_id": message_id,
                                     "finding_id": finding_id, "text": text, "role": "stated", "at": at})
        stated = terms(text)
        self.index(project_key, item_id, stated)
        self.core.conn.executemany(
            "INSERT INTO project_terms (project_key, term, items) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET items = items + 1",
            [(project_key, term) for term in sorted(stated | {""})])
        return item_id

    # -- the term index (m009): what a clause may close, at a cost that does not grow with the plan

    def index(self, project_key: str, item_id: int, found: Iterable[str]) -> None:
        """Index item `item_id` under `found`, terms of its text or of a source stating it."""
        index_terms(self.core, project_key, item_id, found)

    def candidates(self, project_key: str, wanted: Iterable[str], *, by: str | None = None, ids: Iterable[int] = (),
                   since: str | None = None) -> list[Item]:
        """The open items of `project_key` (of side `by`) that share a term with `wanted`, or whose
        id is in `ids`, by id. `since` (an instant, UTC ISO): of the items found by term, only
        those stated or due since then; an item long past is no candidate for today's mail."""
        side = " AND +by = ?" if by is not None else ""
        recent = " OR created_at >= ? OR due >= ?" if since else " OR 1"
        ids_json = json.dumps(sorted(set(ids)))
        # driven by the index (open items only) and the ids; "+" keeps SQLite from walking the project's items instead
        sql = (f"SELECT {_ITEM} FROM items WHERE id IN (SELECT item_id FROM item_terms WHERE project_key = ? AND term IN "
               f"(SELECT value FROM json_each(?)) UNION SELECT value FROM json_each(?)) AND +project_key = ? AND +status = 'open'"
               f"{side} AND (id IN (SELECT value FROM json_each(?)){recent}) ORDER BY id")
        params: list[object] = [project_key, json.dumps(sorted(set(wanted)), ensure_ascii=False), ids_json, project_key,
                                *([by] if by is not None else []), ids_json, *([since, since[:10]] if since else [])]
        return self.core.records(Item, sql, params)

    def common_terms(self, project_key: str) -> set[str]:
        """Terms too common in this project's items to tell them apart ("小程序" in a mini-program
        project): stated by more than a fifth of its items, once it has ten."""
        count = int(self.core.scalar("SELECT items FROM project_terms WHERE project_key = ? AND term = ''", [project_key]) or 0)
        if count < 10:
            return set()
        rows = self.core.fetch("SELECT term FROM project_terms WHERE project_key = ? AND items > ? AND term != ''",
                               [project_key, max(4, count // 5)])
        return {str(row["term"]) for row in rows}

    def reindex_terms(self) -> bool:
        """Build the term index again when `mailbot.terms` reads text differently from the version
        that built it (or it was never built); True when it did."""
        current = "SELECT value FROM meta WHERE key = 'terms_version'"
        if self.core.scalar(current) == str(TERMS_VERSION):
            return False
        with self.core.transaction():
            if self.core.scalar(current) == str(TERMS_VERSION):
                return False  # another process built it meanwhile
            self.core.execute("DELETE FROM item_terms")
            self.core.execute("DELETE FROM project_terms")
            counts: dict[tuple[str, str], int] = {}
            for row in self.core.fetch("SELECT project_key, text FROM items"):
                for term in terms(row["text"] or "") | {""}:
                    counts[(row["project_key"], term)] = counts.get((row["project_key"], term), 0) + 1
            self.core.conn.executemany("INSERT INTO project_terms (project_key, term, items) VALUES (?, ?, ?)",
                                       [(key, term, n) for (key, term), n in counts.items()])
            for row in self.core.fetch("SELECT s.item_id, i.project_key, s.text FROM sources s JOIN items i ON i.id = s.item_id "
                                       "WHERE s.item = 'items' AND s.role != 'closed' UNION ALL SELECT id, project_key, text FROM items"):
                self.index(row["project_key"], row["item_id"], terms(row["text"] or ""))
            self.core.execute("INSERT INTO meta (key, value) VALUES ('terms_version', ?) ON CONFLICT DO UPDATE SET value = excluded.value",
                              [str(TERMS_VERSION)])
        return True

    def get_many(self, item_ids: Iterable[int]) -> list[Item]:
        return self.core.records(Item, f"SELECT {_ITEM} FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                                 [json.dumps(sorted(set(item_ids)))])

    def get(self, item_id: int) -> Item | None:
        return self.core.record(Item, f"SELECT {_ITEM} FROM items WHERE id = ?", [item_id])

    def of_project(self, project_key: str, kind: str | None = None) -> list[Item]:
        if kind is None:
            return self.core.records(Item, f"SELECT {_ITEM} FROM items WHERE project_key = ? ORDER BY id", [project_key])
        return self.core.records(Item, f"SELECT {_ITEM} FROM items WHERE project_key = ? AND kind = ? ORDER BY id", [project_key, kind])

    def by_number(self, project_key: str, kind: str, number: int) -> Item | None:
        """The item a short id names (C12: commitment 12)."""
        return self.core.record(Item, f"SELECT {_ITEM} FROM items WHERE project_key = ? AND kind = ? AND number = ?", [project_key, kind, number])

    def open(self, project_key: str, *, by: str | None = None) -> list[Item]:
        if by is None:
            return self.core.records(Item, f"SELECT {_ITEM} FROM items WHERE project_key = ? AND status = 'open' ORDER BY id", [project_key])
        return self.core.records(
            Item, f"SELECT {_ITEM} FROM items WHERE project_key = ? AND status = 'open' AND by = ? ORDER BY id", [project_key, by]
        )

    def closed_between(self, project_key: str, status: ItemStatus, since: str, until: str) -> list[Item]:
        return self.core.records(
            Item,
            f"SELECT {_ITEM} FROM items WHERE project_key = ? AND status = ? AND updated_at >= ? AND updated_at < ? ORDER BY id",
            [project_key, str(status), since, until],
        )

    def set_status(self, item: Item, status: ItemStatus, cause: Cause, at: str) -> bool:
        moved = self.core.transition("items", ITEM, item.id, status, cause, at)
        if moved and status is not ItemStatus.OPEN:
            self.core.execute("DELETE FROM item_terms WHERE item_id = ?", [item.id])  # closed: no longer a candidate
        elif moved:  # open again (undo): a candidate again, under everything that states it
            for row in self.core.fetch("SELECT text FROM sources WHERE item = 'items' AND item_id = ? AND role != 'closed'", [item.id]):
                self.index(item.project_key, item.id, terms(row["text"] or ""))
            self.index(item.project_key, item.id, terms(item.text))
        return moved

    def reschedule(self, item: Item, due: str | None, due_text: str | None, cause: Cause, at: str) -> None:
        """A new date for the same thing: the old one stays in the history."""
        if due == item.due:
            return
        self.core.update("items", item.id, {"due": due, "due_text": due_text, "updated_at": at})
        self.core.record_history(item.project_key, "items", item.id, "due", item.due, due, cause, at)

    def set_owner(self, item: Item, by: str, cause: Cause, at: str) -> None:
        if by == item.by:
            return
        self.core.update("items", item.id, {"by": by, "updated_at": at})
        self.core.record_history(item.project_key, "items", item.id, "by", item.by, by, cause, at)

    def set_who(self, item: Item, who: str, cause: Cause, at: str) -> None:
        """The person who owes it (an address, or a name the team gave)."""
        if who == item.who:
            return
        self.core.update("items", item.id, {"who": who, "updated_at": at})
        self.core.record_history(item.project_key, "items", item.id, "who", item.who, who, cause, at)

    def set_milestone(self, item: Item, milestone_id: int | None) -> None:
        self.core.update("items", item.id, {"milestone_id": milestone_id})


class ChangeRequests:
    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, *, project_key: str, text: str, who: str | None, message_id: str | None, finding_id: int | None, at: str,
            origin: str = "client", status: ChangeStatus = ChangeStatus.RECEIVED, milestone_id: int | None = None,
            new_due: str | None = None) -> ChangeRequest:
        number = int(self.core.scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM change_requests WHERE project_key = ?", [project_key]))
        row_id = self.core.insert(
            "change_requests",
            {
                "project_key": project_key,
                "number": number,
                "finding_id": finding_id,
                "message_id": message_id,
                "text": text,
                "who": who,
                "status": str(status),
                "received_at": at,
                "updated_at": at,
                "origin": origin,
                "milestone_id": milestone_id,
                "new_due": new_due,
            },
        )
        self.core.record_history(project_key, "change_requests", row_id, "status", None, status, Cause.message(message_id), at)
        self.core.insert("sources", {"project_key": project_key, "item": "change_requests", "item_id": row_id, "message_id": message_id,
                                     "finding_id": finding_id, "text": text, "role": "stated", "at": at})
        change = self.get(row_id)
        assert change is not None
        return change

    def get(self, row_id: int) -> ChangeRequest | None:
        return self.core.record(ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE id = ?", [row_id])

    def get_many(self, ids: Iterable[int]) -> list[ChangeRequest]:
        return self.core.records(ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE id IN (SELECT value FROM json_each(?)) ORDER BY number",
                                 [json.dumps(sorted(set(ids)))])

    def by_number(self, project_key: str, number: int) -> ChangeRequest | None:
        return self.core.record(ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE project_key = ? AND number = ?", [project_key, number])

    def of_project(self, project_key: str, statuses: Iterable[ChangeStatus] | None = None) -> list[ChangeRequest]:
        if statuses is None:
            return self.core.records(ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE project_key = ? ORDER BY number", [project_key])
        wanted = [str(s) for s in statuses]
        marks = ", ".join("?" * len(wanted))
        return self.core.records(
            ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE project_key = ? AND status IN ({marks}) ORDER BY number", [project_key, *wanted]
        )

    def decidable(self, project_key: str, undecided: Iterable[ChangeStatus], accepted_since: str) -> list[ChangeRequest]:
        """The changes a message may decide: every undecided one, and those accepted since
        `accepted_since` (which may yet be withdrawn). Accepted changes pile up over a project's
        life; one accepted half a year ago is no longer what a reply speaks of."""
        wanted = [str(s) for s in undecided]
        marks = ", ".join("?" * len(wanted))
        return self.core.records(
            ChangeRequest, f"SELECT {_CR} FROM change_requests WHERE project_key = ? AND (status IN ({marks}) "
            "OR (status = ? AND decided_at >= ?)) ORDER BY number", [project_key, *wanted, str(ChangeStatus.ACCEPTED), accepted_since],
        )

    def set_status(self, change: ChangeRequest, status: ChangeStatus, cause: Cause, at: str) -> bool:
        decided = {"decided_by": cause.reason, "decided_at": at} if status in (ChangeStatus.ACCEPTED, ChangeStatus.REJECTED,
                                                                                ChangeStatus.WITHDRAWN) else None
        return self.core.transition("change_requests", CHANGE, change.id, status, cause, at, decided)

    def set_target(self, change: ChangeRequest, milestone_id: int | None, new_due: str | None) -> None:
        """The milestone the change moves, and the date it moves it to."""
        self.core.update("change_requests", change.id, {"milestone_id": milestone_id, "new_due": new_due})


_SURVEY = "id, project_key, address, status, score, comment, sent_at, answered_at, message_id, survey_message_id, reminded_at, about, scale"


class Reactions:
    """What people said about the work: approvals, feedback, risks; and survey answers."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def add_approval(self, *, project_key: str, text: str, who: str | None, message_id: str | None, finding_id: int | None,
                     milestone_id: int | None, at: str) -> int:
        return self.core.insert(
            "approvals",
            {"project_key": project_key, "finding_id": finding_id, "message_id": message_id, "text": text, "who": who,
             "milestone_id": milestone_id, "at": at},
        )

    def approvals(self, project_key: str) -> list[Approval]:
        return self.core.records(
            Approval, "SELECT id, project_key, text, who, at, message_id, milestone_id FROM approvals WHERE project_key = ? ORDER BY id", [project_key]
        )

    def add_feedback(self, *, project_key: str, text: str, sentiment: str | None, who: str | None, message_id: str | None,
                     finding_id: int | None, milestone_id: int | None, at: str) -> int:
        return self.core.insert(
            "feedback",
            {"project_key": project_key, "finding_id": finding_id, "message_id": message_id, "text": text, "sentiment": sentiment,
             "who": who, "milestone_id": milestone_id, "at": at},
        )

    def feedback(self, project_key: str, since: str | None = None, until: str | None = None) -> list[Feedback]:
        columns = "id, project_key, text, sentiment, who, at, message_id, milestone_id"
        if since is None or until is None:
            return self.core.records(Feedback, f"SELECT {columns} FROM feedback WHERE project_key = ? ORDER BY id", [project_key])
        return self.core.records(
            Feedback, f"SELECT {columns} FROM feedback WHERE project_key = ? AND at >= ? AND at < ? ORDER BY at", [project_key, since, until]
        )

    def add_risk(self, *, project_key: str, text: str, who: str | None, message_id: str | None, finding_id: int | None, at: str) -> int:
        return self.core.insert(
            "risks",
            {"project_key": project_key, "finding_id": finding_id, "message_id": message_id, "text": text, "who": who,
             "status": str(RiskStatus.OPEN), "at": at},
        )

    def risks(self, project_key: str, *, status: RiskStatus | None = None) -> list[Risk]:
        columns = "id, project_key, text, who, status, at, message_id"
        if status is None:
            return self.core.records(Risk, f"SELECT {columns} FROM risks WHERE project_key = ? ORDER BY id", [project_key])
        return self.core.records(Risk, f"SELECT {columns} FROM risks WHERE project_key = ? AND status = ? ORDER BY at", [project_key, str(status)])

    # -- surveys ----------------------------------------------------------------------------

    def survey_sent(self, *, project_key: str, address: str, about: str, milestone_id: int | None, scale: str, message_id: str,
                    cause: Cause, at: str) -> int:
        row_id = self.core.insert("surveys", {"project_key": project_key, "address": address, "about": about, "milestone_id": milestone_id,
                                              "scale": scale, "survey_message_id": message_id, "status": str(SurveyStatus.SENT), "sent_at": at})
        self.core.record_history(project_key, "surveys", row_id, "status", None, SurveyStatus.SENT, cause, at)
        return row_id

    def surveyed(self, project_key: str, about: str) -> set[str]:
        """The addresses already asked about `about` ("M2", "project")."""
        rows = self.core.fetch("SELECT address FROM surveys WHERE project_key = ? AND about = ?", [project_key, about])
        return {str(r["address"]) for r in rows}

    def survey_of_message(self, message_id: str) -> Survey | None:
        return self.core.record(Survey, f"SELECT {_SURVEY} FROM surveys WHERE survey_message_id = ?", [message_id])

    def open_survey(self, project_key: str, address: str) -> Survey | None:
        return self.core.record(Survey, f"SELECT {_SURVEY} FROM surveys WHERE project_key = ? AND address = ? AND status = ? "
                                        "ORDER BY sent_at DESC LIMIT 1", [project_key, address, str(SurveyStatus.SENT)])

    def unanswered(self, project_key: str) -> list[Survey]:
        return self.core.records(Survey, f"SELECT {_SURVEY} FROM surveys WHERE project_key = ? AND status = ? AND reminded_at IS NULL "
                                         "AND survey_message_id IS NOT NULL ORDER BY id", [project_key, str(SurveyStatus.SENT)])

    def reminded(self, survey: Survey, at: str) -> None:
        self.core.update("surveys", survey.id, {"reminded_at": at})

    def answer(self, survey: Survey, *, score: int | None, comment: str, message_id: str | None, cause: Cause, at: str) -> None:
        values = {"score": score, "comment": comment, "message_id": message_id, "answered_at": at}
        self.core.transition("surveys", SURVEY, survey.id, SurveyStatus.ANSWERED, cause, at, values)

    def surveys(self, project_key: str) -> list[Survey]:
        return self.core.records(
            Survey,
            f"SELECT {_SURVEY} FROM surveys WHERE project_key = ? ORDER BY id",
            [project_key],
        )

    def answer_survey(self, *, project_key: str, address: str, score: int | None, comment: str, message_id: str | None, cause: Cause, at: str) -> None:
        """The answer goes to the latest survey sent to `address` in the project; an answer to
        no survey is kept as one of its own."""
        values = {"score": score, "comment": comment, "message_id": message_id, "answered_at": at}
        sent = self.core.scalar(
            "SELECT id FROM surveys WHERE project_key = ? AND address = ? AND status = ? ORDER BY sent_at DESC LIMIT 1",
            [project_key, address, str(SurveyStatus.SENT)],
        )
        if sent is not None:
            self.core.transition("surveys", SURVEY, int(sent), SurveyStatus.ANSWERED, cause, at, values)
        else:
            self.core.insert("surveys", {"project_key": project_key, "address": address, "status": str(SurveyStatus.ANSWERED), **values})
