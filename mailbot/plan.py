"""Applying what a message says to the plan, and reading the plan back.

`sync_projects` makes the plan agree with the `[[projects]]` configuration (projects,
stakeholders, milestones; a milestone whose date changed keeps its old date in `history`).
`route` finds a message's project: by its thread first (In-Reply-To/References of messages the
plan already holds, mailbot's own outgoing mail included), then by a `[project]` subject tag,
then by who is on it (stakeholder addresses weigh more than client domains). `apply` writes an
`Extraction`'s findings as plan items; the caller runs it inside the message's transaction, and
it returns the outgoing mail it decided on, which the caller queues in that same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from mailbot.config import Project, Settings
from mailbot.store import Store, iso, now_utc
from parsing.model import Email, Extraction, Finding, Kind, Party

OPEN_CR = ("received", "acknowledged", "assessed", "accepted", "needs_info")


# -- configuration → plan ---------------------------------------------------------------------


def sync_projects(store: Store, settings: Settings) -> None:
    """Upsert projects, stakeholders and milestones from the configuration (idempotent)."""
    stamp = now_utc()
    with store.transaction() as db:
        for project in settings.projects:
            if db["projects"].count_where("key = ?", [project.key]):
                db["projects"].update(project.key, {"name": project.name, "language": project.language})
            else:
                db["projects"].insert({"key": project.key, "name": project.name, "language": project.language, "created_at": stamp})
            for person in project.stakeholders:
                _remember_contact(db, person.address, person.name, person.party, stamp)
                db["project_contacts"].upsert(
                    {"project_key": project.key, "address": person.address, "role": "stakeholder"},
                    pk=("project_key", "address"),
                )
            _sync_milestones(db, project, stamp)


def _sync_milestones(db: Database, project: Project, stamp: str) -> None:
    configured = {m.name: m.due.isoformat() for m in project.milestones}
    existing = {row["name"]: row for row in db["milestones"].rows_where("project_key = ?", [project.key])}
    for name, due in configured.items():
        row = existing.get(name)
        if row is None:
            db["milestones"].insert(
                {"project_key": project.key, "name": name, "due": due, "status": "planned", "source": "config", "updated_at": stamp}
            )
        elif row["due"] != due or row["status"] == "dropped":
            status = "planned" if row["status"] in ("dropped", "moved") else row["status"]
            db["milestones"].update(row["id"], {"due": due, "status": status, "updated_at": stamp})
            _history(db, project.key, "milestones", row["id"], "due", row["due"], due, "configuration", stamp)
    for name, row in existing.items():
        if name not in configured and row["source"] == "config" and row["status"] != "dropped":
            db["milestones"].update(row["id"], {"status": "dropped", "updated_at": stamp})
            _history(db, project.key, "milestones", row["id"], "status", row["status"], "dropped", "configuration", stamp)


def _remember_contact(db: Database, address: str, name: str, party: str, stamp: str) -> None:
    row = db.execute("SELECT name FROM contacts WHERE address = ?", [address]).fetchone()
    if row is None:
        db["contacts"].insert({"address": address, "name": name, "party": party, "first_seen": stamp})
    elif name and not row[0]:
        db["contacts"].update(address, {"name": name})


def _history(db: Database, project_key: str, item: str, item_id: int, field: str, old: Any, new: Any, reason: str, stamp: str) -> None:
    db["history"].insert(
        {"project_key": project_key, "item": item, "item_id": item_id, "field": field, "old": old, "new": new, "reason": reason, "at": stamp}
    )


# -- routing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    project_key: str | None
    how: str  # thread | subject | participants | none | ambiguous


def route(db: Database, settings: Settings, email: Email) -> Route:
    """Which project a message belongs to, and how that was decided."""
    for ref in email.thread_ids:
        row = db.execute(
            "SELECT project_key FROM messages WHERE message_id = ? AND project_key IS NOT NULL "
            "UNION ALL SELECT project_key FROM outbox WHERE message_id = ? AND project_key IS NOT NULL LIMIT 1",
            [ref, ref],
        ).fetchone()
        if row:
            return Route(row[0], "thread")
    tagged = [p.key for p in settings.projects if _tagged(email.subject, p)]
    if len(tagged) == 1:
        return Route(tagged[0], "subject")
    scores = {p.key: _participant_score(p, email, settings) for p in settings.projects}
    best = max(scores.values(), default=0)
    if best == 0:
        return Route(None, "none")
    winners = [key for key, score in scores.items() if score == best]
    if len(winners) > 1:
        return Route(None, "ambiguous")
    return Route(winners[0], "participants")


def _tagged(subject: str, project: Project) -> bool:
    tags = re.findall(r"[\[【]([^\]】]+)[\]】]", subject)
    return any(tag.strip() in (project.key, project.name, project.tag) for tag in tags)


def _participant_score(project: Project, email: Email, settings: Settings) -> int:
    people = [a for a in ((email.sender,) if email.sender else ()) + email.recipients if a.address != settings.team.address]
    score = 0
    for person in people:
        if project.stakeholder(person.address):
            score += 2
        elif person.domain in project.client_domains or any(person.domain.endswith("." + d) for d in project.client_domains):
            score += 1
    return score


# -- findings → plan --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AckDecision:
    """A change request that should be acknowledged to the client who sent it."""

    project_key: str
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Applied:
    """What `apply` wrote: the finding ids (in the extraction's order) and the acks decided."""

    finding_ids: tuple[int, ...]
    acks: tuple[AckDecision, ...]


def apply(db: Database, project: Project, extraction: Extraction, message_key: str) -> Applied:
    """Write the extraction's findings into the plan of `project`."""
    email = extraction.email
    who = email.sender.address if email.sender else ""
    at = iso(email.date) if email.date else now_utc()
    if email.sender:
        _remember_contact(db, who, email.sender.name, str(extraction.party), at)
    acks = []
    finding_ids = []
    for finding in extraction.findings:
        finding_id = _insert_finding(db, project.key, message_key, finding)
        finding_ids.append(finding_id)
        common = {"project_key": project.key, "finding_id": finding_id, "message_id": email.message_id, "text": finding.text}
        if finding.kind in (Kind.COMMITMENT, Kind.REQUEST):
            table = "commitments" if finding.kind is Kind.COMMITMENT else "requests"
            db[table].insert(
                {
                    **common,
                    "by": str(finding.by) if finding.by else None,
                    "who": who,
                    "due": _day(finding.due),
                    "due_text": finding.due_text,
                    "status": "open",
                    "created_at": at,
                    "updated_at": at,
                }
            )
        elif finding.kind is Kind.CHANGE_REQUEST:
            if _known_change_request(db, project.key, finding.text):
                continue  # said again (a resend, a forward, a robot echoing it): one CR, one ack
            number = _next_cr_number(db, project.key)
            db["change_requests"].insert({**common, "number": number, "who": who, "status": "received", "received_at": at, "updated_at": at})
            if extraction.party is Party.CLIENT:
                acks.append(AckDecision(project.key, number, finding.text))
        elif finding.kind is Kind.APPROVAL:
            milestone = _signed_off_milestone(db, project.key, finding.text, email.subject)
            db["approvals"].insert({**common, "who": who, "milestone_id": milestone["id"] if milestone else None, "at": at})
            if milestone and milestone["status"] != "approved" and extraction.party is Party.CLIENT:
                db["milestones"].update(
                    milestone["id"], {"status": "approved", "approved_at": at, "approval_message_id": email.message_id, "updated_at": at}
                )
                _history(db, project.key, "milestones", milestone["id"], "status", milestone["status"], "approved", email.message_id or "", at)
        elif finding.kind is Kind.FEEDBACK:
            milestone = _named_milestone(db, project.key, [finding.text])
            db["feedback"].insert(
                {**common, "sentiment": finding.sentiment, "who": who, "milestone_id": milestone["id"] if milestone else None, "at": at}
            )
        elif finding.kind is Kind.RISK:
            db["risks"].insert({**common, "who": who, "status": "open", "at": at})
        elif finding.kind is Kind.MEETING:
            db["meetings"].insert(
                {
                    "project_key": project.key,
                    "finding_id": finding_id,
                    "message_id": email.message_id,
                    "title": finding.text,
                    "start": finding.start.strftime("%Y-%m-%dT%H:%M") if finding.start else None,
                    "status": "proposed",
                    "kind": "proposed",
                    "sequence": 0,
                    "created_at": at,
                }
            )
        elif finding.kind is Kind.SURVEY_RESPONSE:
            _answer_survey(db, project.key, who, finding, email.message_id, at)
    for clause in extraction.completions:  # our own work delivered
        _close_delivered(db, project.key, extraction.party, clause, email.message_id, at)
    other = Party.US if extraction.party is Party.CLIENT else Party.CLIENT
    for clause in extraction.receipts:  # the other side's work received
        _close_delivered(db, project.key, other, clause, email.message_id, at)
    return Applied(tuple(finding_ids), tuple(acks))


# Closing what was delivered. A clause that reports work as done ("首页设计初稿已经发给您了",
# "I've uploaded the new build") closes the one open promise of the writer's side, or request
# made of it, that shares the most content terms with it (runs of two Chinese characters,
# English words; at least MIN_SHARED; ties go to the latest). One that acknowledges the other
# side's work ("素材收到了", "Thanks for the GA export") does the same for that side. Nothing is
# closed on a guess: a report that shares too little with every open item closes none.
MIN_SHARED = 2
_FUNCTION_CHARS = set("我们你您他她它的了会在将已经给发请查收前后之内天周月号日年再也都就和与及把被这那个一下")
_STOP_WORDS = {
    "the", "a", "an", "and", "or", "to", "of", "for", "on", "in", "at", "by", "with", "from", "is", "are", "be", "been",
    "will", "we", "i", "you", "your", "our", "it", "this", "that", "these", "have", "has", "just", "now", "all",
    "send", "sent", "share", "shared", "attached", "here", "please", "find", "new", "revised", "updated", "update",
    "tomorrow", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "week", "next", "end", "ll", "ve",
}
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9'-]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def _terms(text: str) -> set[str]:
    lowered = text.casefold()
    terms = {w for w in _LATIN_WORD.findall(lowered) if w not in _STOP_WORDS}
    for run in _CJK_RUN.findall(text):
        terms.update(run[i:i + 2] for i in range(len(run) - 1) if not (set(run[i:i + 2]) & _FUNCTION_CHARS))
    return terms


def _close_delivered(db: Database, project_key: str, party: Party, clause: str, message_id: str | None, at: str) -> None:
    terms = _terms(clause)
    best: tuple[int, str, str, int] | None = None  # shared terms, created_at, table, id
    for table in ("commitments", "requests"):
        for row in db.execute(
            f"SELECT id, text, created_at FROM {table} WHERE project_key = ? AND status = 'open' AND by = ? "
            "AND COALESCE(message_id, '') != COALESCE(?, '')",
            [project_key, str(party), message_id],
        ).fetchall():
            shared = len(terms & _terms(row[1]))
            candidate = (shared, row[2] or "", table, row[0])
            if shared >= MIN_SHARED and (best is None or candidate[:2] > best[:2]):
                best = candidate
    if best is None:
        return
    _, _, table, item_id = best
    db[table].update(item_id, {"status": "done", "updated_at": at})
    _history(db, project_key, table, item_id, "status", "open", "done", message_id or "", at)


def _insert_finding(db: Database, project_key: str, message_key: str, finding: Finding) -> int:
    table = db["findings"]
    table.insert(
        {
            "message_key": message_key,
            "project_key": project_key,
            "kind": str(finding.kind),
            "text": finding.text,
            "by": str(finding.by) if finding.by else None,
            "due": _day(finding.due),
            "due_text": finding.due_text,
            "sentiment": finding.sentiment,
            "score": finding.score,
            "start": finding.start.strftime("%Y-%m-%dT%H:%M") if finding.start else None,
        }
    )
    return int(table.last_pk)


def _known_change_request(db: Database, project_key: str, text: str) -> bool:
    """An open change request of the project with the same words (spacing and case aside)."""
    key = _normalise(text)
    rows = db.execute(
        f"SELECT text FROM change_requests WHERE project_key = ? AND status IN ({', '.join('?' * len(OPEN_CR))})",
        [project_key, *OPEN_CR],
    ).fetchall()
    return any(_normalise(row[0]) == key for row in rows)


def _normalise(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _next_cr_number(db: Database, project_key: str) -> int:
    row = db.execute("SELECT COALESCE(MAX(number), 0) FROM change_requests WHERE project_key = ?", [project_key]).fetchone()
    return int(row[0]) + 1


def _named_milestone(db: Database, project_key: str, texts: Iterable[str | None]) -> dict[str, Any] | None:
    """The milestone whose name appears in one of `texts` (the longest name wins)."""
    rows = list(db["milestones"].rows_where("project_key = ? AND status != 'dropped'", [project_key]))
    for text in texts:
        if not text:
            continue
        named = [row for row in rows if row["name"] and row["name"].lower() in text.lower()]
        if named:
            return max(named, key=lambda row: len(row["name"]))
    return None


_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
_ABOUT_DATES = re.compile(r"时间|日期|节点|顺延|推迟|延期|提前|\b(dates?|deadline|schedule|postpone|delay|move[sd]?|slip)\b", re.I)


def _signed_off_milestone(db: Database, project_key: str, text: str, subject: str) -> dict[str, Any] | None:
    """The milestone an approval signs off: named in a clause of the approval that is not about
    dates ("上线时间不变" accepts a schedule, not the launch), else named by the subject when the
    subject is not about dates either ("Approved, go ahead" under "Re: 首页设计 v2")."""
    for clause in [*_CLAUSE.split(text), subject]:
        milestone = _named_milestone(db, project_key, [clause])
        if milestone and not _ABOUT_DATES.search(clause):
            return milestone
    return None


def _answer_survey(db: Database, project_key: str, who: str, finding: Finding, message_id: str | None, at: str) -> None:
    row = db.execute(
        "SELECT id FROM surveys WHERE project_key = ? AND address = ? AND status = 'sent' ORDER BY sent_at DESC LIMIT 1",
        [project_key, who],
    ).fetchone()
    values = {"status": "answered", "score": finding.score, "comment": finding.text, "message_id": message_id, "answered_at": at}
    if row:
        db["surveys"].update(row[0], values)
    else:
        db["surveys"].insert({"project_key": project_key, "address": who, **values})


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- plan → JSON ------------------------------------------------------------------------------


def snapshot(store: Store, settings: Settings, *, today: dt.date, project_key: str | None = None) -> dict[str, Any]:
    """The plan as CONTRACT.md's `plan --json` object (with a few extra keys)."""
    keys = [project_key] if project_key else [row["key"] for row in store.rows("SELECT key FROM projects ORDER BY created_at, key")]
    projects = [_project_snapshot(store, key, today) for key in keys]
    unassigned = store.one("SELECT COUNT(*) AS n FROM messages WHERE project_key IS NULL AND state = 'processed'")
    ignored = store.rows(
        "SELECT key AS message_id, subject, sender, reason, source FROM messages WHERE state = 'ignored' ORDER BY id"
    )
    failed = store.rows("SELECT key AS message_id, source, reason FROM messages WHERE state = 'failed' ORDER BY id")
    return {"projects": projects, "unassigned": unassigned["n"] if unassigned else 0, "ignored": ignored, "failed": failed}


def _project_snapshot(store: Store, key: str, today: dt.date) -> dict[str, Any]:
    project = store.one("SELECT key, name, language FROM projects WHERE key = ?", [key])
    if project is None:
        return {"key": key, "name": None, "missing": True}
    milestones = []
    for row in store.rows("SELECT * FROM milestones WHERE project_key = ? ORDER BY due, id", [key]):
        review = store.one(
            "SELECT title, start, end, uid, sequence, status FROM meetings WHERE milestone_id = ? AND kind = 'review' AND status != 'cancelled' ORDER BY id DESC",
            [row["id"]],
        )
        milestones.append({"name": row["name"], "due": row["due"], "status": row["status"], "review": review})

    def items(table: str) -> list[dict[str, Any]]:
        rows = store.rows(f"SELECT text, by, who, due, due_text, status, message_id FROM {table} WHERE project_key = ? ORDER BY id", [key])
        for row in rows:
            if row["status"] == "open" and row["due"] and row["due"] < today.isoformat():
                row["overdue"] = True
        return rows

    meetings = []
    for row in store.rows(
        "SELECT id, kind, title, start, end, uid, sequence, status, rrule, message_id FROM meetings WHERE project_key = ? AND status != 'merged' ORDER BY id",
        [key],
    ):
        meeting_id = row.pop("id")
        attendees = store.rows("SELECT address, name, partstat FROM meeting_attendees WHERE meeting_id = ? ORDER BY rowid", [meeting_id])
        counters = store.rows("SELECT address, start, end, comment, message_id FROM meeting_counters WHERE meeting_id = ? ORDER BY id", [meeting_id])
        meetings.append({**row, "attendees": attendees, "counters": counters})
    return {
        "key": project["key"],
        "name": project["name"],
        "language": project["language"],
        "milestones": milestones,
        "commitments": items("commitments"),
        "requests": items("requests"),
        "change_requests": [
            {**row, "number": f"CR-{row['number']}"}
            for row in store.rows(
                "SELECT number, text, who, status, received_at, message_id FROM change_requests WHERE project_key = ? ORDER BY number", [key]
            )
        ],
        "approvals": store.rows("SELECT text, who, at, message_id FROM approvals WHERE project_key = ? ORDER BY id", [key]),
        "feedback": store.rows("SELECT text, sentiment, who, at, message_id FROM feedback WHERE project_key = ? ORDER BY id", [key]),
        "meetings": meetings,
        "risks": store.rows("SELECT text, who, status, at, message_id FROM risks WHERE project_key = ? ORDER BY id", [key]),
        "surveys": store.rows("SELECT address, status, score, comment, sent_at, answered_at, message_id FROM surveys WHERE project_key = ? ORDER BY id", [key]),
        "messages": store.one("SELECT COUNT(*) AS n FROM messages WHERE project_key = ?", [key])["n"],  # type: ignore[index]
    }


def dumps(snapshot_: dict[str, Any]) -> str:
    return json.dumps(snapshot_, ensure_ascii=False, indent=2)
