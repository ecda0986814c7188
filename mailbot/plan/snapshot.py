"""Plan → JSON: CONTRACT.md's `plan --json` object (with a few extra keys)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

from mailbot.config import Settings
from mailbot.lifecycle import ItemStatus, MeetingStatus, MessageState
from mailbot.store import Store
from mailbot.store.links import Cited
from mailbot.store.records import Attendee, Counter, Item, Meeting, StoredMessage


def snapshot(store: Store, *, today: dt.date, project_key: str | None = None,
             configured: list[str] | None = None) -> dict[str, Any]:
    """The plan as `plan --json` gives it. `configured`: the project keys of the configuration;
    a project in the store under another key (a key renamed, a project removed) is listed under
    "unconfigured" with what it holds, never shown as a project of its own."""
    stored = store.projects.keys()
    keys = [project_key] if project_key else [k for k in stored if configured is None or k in configured]
    others = [k for k in stored if configured is not None and k not in configured and not project_key]
    ignored, failed = store.messages.in_state(MessageState.IGNORED), store.messages.in_state(MessageState.FAILED)
    return {
        "projects": [_project(store, key, today) for key in keys],
        "unconfigured": [{"key": key, "items": len(store.items.of_project(key)) + len(store.changes.of_project(key))}
                         for key in others],
        "unassigned": store.messages.unassigned_count(),
        "ignored": [_ignored(m) for m in ignored],
        "failed": [{"message_id": m.key, "source": m.source, "reason": m.reason} for m in failed],
        # every message that made no plan, with who, what, when and why (CONTRACT: plan --json)
        "messages": {
            "unassigned": [_listed(m) for m in store.messages.unassigned()],
            "ignored": [_listed(m) for m in ignored],
            "failed": [_listed(m) for m in failed],
        },
    }


def _listed(message: StoredMessage) -> dict[str, Any]:
    return {"message_id": message.message_id or message.key, "from": message.sender, "subject": message.subject,
            "date": message.date, "reason": message.reason, "source": message.source}


def _ignored(message: StoredMessage) -> dict[str, Any]:
    return {"message_id": message.key, "subject": message.subject, "sender": message.sender, "reason": message.reason, "source": message.source}


def _project(store: Store, key: str, today: dt.date) -> dict[str, Any]:
    project = store.projects.get(key)
    if project is None:
        return {"key": key, "name": None, "missing": True}
    meetings = store.meetings.of_project(key)  # by id: a milestone's review is its latest
    reviews = {m.milestone_id: m for m in meetings if m.kind == "review" and m.milestone_id is not None}
    milestones = []
    for milestone in store.milestones.of_project(key):
        review = reviews.get(milestone.id)
        milestones.append(
            {
                "id": milestone.ref,
                "name": milestone.name,
                "due": milestone.due,
                "status": milestone.status,
                "review": _review(review) if review is not None and review.status != MeetingStatus.CANCELLED else None,
            }
        )
    items = store.items.of_project(key)  # read once, each table in one statement: the JSON of a large plan is megabytes
    changes = store.changes.of_project(key)
    item_sources = store.sources.cited_of_many("items", [i.id for i in items])
    change_sources = store.sources.cited_of_many("change_requests", [c.id for c in changes])
    meeting_ids = [m.id for m in meetings]
    meeting_sources = store.sources.cited_of_many("meetings", meeting_ids)
    attendees = store.meetings.attendees_of_many(meeting_ids)
    counters = store.meetings.counters_of_many(meeting_ids)
    return {
        "key": project.key,
        "name": project.name,
        "language": project.language,
        "status": project.status,
        "milestones": milestones,
        "commitments": [_item(i, today, item_sources.get(i.id, [])) for i in items if i.kind == "commitment"],
        "requests": [_item(i, today, item_sources.get(i.id, [])) for i in items if i.kind == "request"],
        "change_requests": [
            {"id": c.ref, "number": c.ref, "text": c.text, "who": c.who, "status": c.status, "origin": c.origin,
             "received_at": c.received_at, "message_id": c.message_id, "sources": _sources(change_sources.get(c.id, []))}
            for c in changes
        ],
        "approvals": [{"text": a.text, "who": a.who, "at": a.at, "message_id": a.message_id} for a in store.reactions.approvals(key)],
        "feedback": [
            {"text": f.text, "sentiment": f.sentiment, "who": f.who, "at": f.at, "message_id": f.message_id} for f in store.reactions.feedback(key)
        ],
        "meetings": [_meeting(m, meeting_sources[m.id], attendees[m.id], counters[m.id]) for m in meetings],
        "risks": [{"text": r.text, "who": r.who, "status": r.status, "at": r.at, "message_id": r.message_id} for r in store.reactions.risks(key)],
        "surveys": [
            {"address": s.address, "status": s.status, "score": s.score, "comment": s.comment, "sent_at": s.sent_at,
             "answered_at": s.answered_at, "message_id": s.message_id}
            for s in store.reactions.surveys(key)
        ],
        "messages": store.messages.count(key),
        # what mailbot did not act on and the team should look at: strangers' mail, pairs it was unsure of
        "review": [{"kind": r.kind, "item": r.item, "message_id": r.message_id, "text": r.text, "reason": r.reason, "at": r.created_at}
                   for r in store.review.pending(key)],
    }


def _review(meeting: Meeting) -> dict[str, Any]:
    return {"title": meeting.title, "start": meeting.start, "end": meeting.end, "uid": meeting.uid, "sequence": meeting.sequence,
            "status": meeting.status}


def _sources(sources: list[Cited]) -> list[dict[str, Any]]:
    """Where a thing is stated ("says who?"): each message and its words."""
    return [{"message_id": message_id, "text": text, "role": role} for message_id, text, role in sources]


def _item(item: Item, today: dt.date, sources: list[Cited]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.ref,
        "text": item.text,
        "by": item.by,
        "who": item.who,
        "due": item.due,
        "due_text": item.due_text,
        "status": item.status,
        "message_id": item.message_id,
        "sources": _sources(sources),
    }
    if item.status == ItemStatus.OPEN and item.due and item.due < today.isoformat():
        out["overdue"] = True
    return out


def _meeting(meeting: Meeting, sources: list[Cited], attendees: list[Attendee], counters: list[Counter]) -> dict[str, Any]:
    return {
        "id": meeting.ref,
        "kind": meeting.kind,
        "title": meeting.title,
        "start": meeting.start,
        "end": meeting.end,
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "status": meeting.status,
        "rrule": meeting.rrule,
        "message_id": meeting.message_id,
        "sources": _sources(sources),
        "attendees": [{"address": a.address, "name": a.name, "partstat": a.partstat} for a in attendees],
        "counters": [
            {k: v for k, v in asdict(c).items() if k in ("address", "start", "end", "comment", "message_id")} for c in counters
        ],
    }


def plan_as_of(store: Store, settings: Settings, now: dt.datetime, project_key: str | None = None) -> dict[str, Any]:
    """`plan --json` at `now`, for every configured project or one (ConfigError for a key the
    configuration does not know)."""
    if project_key is not None:
        settings.project(project_key)  # raises ConfigError naming the known keys
    return snapshot(store, today=now.astimezone(settings.team.zone).date(), project_key=project_key,
                    configured=[p.key for p in settings.projects])


def dumps(snapshot_: dict[str, Any], *, indent: int | None = None) -> str:
    """The snapshot as JSON: by default one compact line, through the stdlib's C encoder; an
    `indent` (for a person at a terminal) selects its pure-Python one, several times slower on
    a large plan."""
    if indent is not None:
        return json.dumps(snapshot_, ensure_ascii=False, indent=indent)
    return json.dumps(snapshot_, ensure_ascii=False, separators=(",", ":"))
