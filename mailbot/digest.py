"""The weekly digest: what the plan says about one project for one week, ready for `templates/`.

Sections (DESIGN.md): done, in progress, next steps with dates, overdue, open change requests,
risks, recent feedback, and the milestones. Items are commitments and requests (owed by us or
by the client) and milestones.

- done: commitments/requests marked done, milestones approved, change requests applied, in the period;
- overdue: open items whose due day is before today;
- next: open items and unapproved milestones due today or later, soonest first;
- in progress: open items with no due day;
- change requests: every one not yet applied or rejected;
- risks: every open risk; feedback: what was said in the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mailbot.lifecycle import ChangeStatus, ItemStatus, MilestoneStatus, RiskStatus
from mailbot.store import Store, iso
from mailbot.store.records import Item
from scheduling.cadence import Period

PENDING_CHANGES = [s for s in ChangeStatus if s not in (ChangeStatus.APPLIED, ChangeStatus.REJECTED)]


def build(store: Store, project_key: str, period: Period, today: dt.date, zone: ZoneInfo) -> dict[str, Any]:
    """The digest's template context (without team/recipient), JSON-serialisable.

    Instants in the plan are UTC; the period is whole local days in `zone`.
    """
    start, end, now = period.start.isoformat(), period.end.isoformat(), today.isoformat()
    since = iso(dt.datetime.combine(period.start, dt.time(), tzinfo=zone))
    until = iso(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone))
    names = store.projects.names()

    def name(address: str | None) -> str:
        return names.get(address or "", "") or (address or "")

    def item(row: Item) -> dict[str, Any]:
        # `who` is the person who owes the item: the one who promised a commitment; for a
        # request only the owing side is known (the person in `asked_by` asked for it).
        return {
            "kind": row.kind,
            "text": row.text,
            "by": row.by,
            "who": name(row.who) if row.kind == "commitment" else "",
            "asked_by": name(row.who) if row.kind == "request" else "",
            "due": row.due,
            "status": "overdue" if row.status == ItemStatus.OPEN and row.due and row.due < now else row.status,
        }

    open_items = [item(i) for kind in ("commitment", "request") for i in store.items.open(project_key) if i.kind == kind]
    milestones = store.milestones.of_project(project_key, include_dropped=False)
    done = [item(i) for kind in ("commitment", "request") for i in store.items.closed_between(project_key, ItemStatus.DONE, since, until)
            if i.kind == kind]
    done += [
        {"kind": "milestone", "text": m.name, "by": "us", "who": "", "due": m.due, "status": "approved"}
        for m in milestones
        if m.status == MilestoneStatus.DONE and m.done_at and since <= m.done_at < until
    ]
    upcoming = [i for i in open_items if i["due"] and i["due"] >= now]
    upcoming += [
        {"kind": "milestone", "text": m.name, "by": "us", "who": "", "due": m.due, "status": m.status}
        for m in milestones
        if m.status != MilestoneStatus.DONE and m.due >= now
    ]
    change_requests = [
        {"number": c.ref, "text": c.text, "status": c.status, "received": _local_day(c.received_at or "", zone)}
        for c in store.changes.of_project(project_key, PENDING_CHANGES)
    ]
    risks = [
        {"text": r.text, "who": name(r.who), "date": _local_day(r.at or "", zone)}
        for r in store.reactions.risks(project_key, status=RiskStatus.OPEN)
    ]
    feedback = [
        {"text": f.text, "sentiment": f.sentiment, "who": name(f.who), "date": _local_day(f.at or "", zone)}
        for f in store.reactions.feedback(project_key, since, until)
    ]
    return {
        "period": {"start": start, "end": end},
        "done": done,
        "in_progress": [i for i in open_items if not i["due"]],
        "next": sorted(upcoming, key=lambda i: i["due"]),
        "overdue": sorted((i for i in open_items if i["status"] == "overdue"), key=lambda i: i["due"]),
        "milestones": [{"name": m.name, "due": m.due, "status": _milestone_status(m.status)} for m in milestones],
        "change_requests": change_requests,
        "risks": risks,
        "feedback": feedback,
    }


def _milestone_status(status: str) -> str:
    """How the templates have always named a signed-off milestone."""
    return "approved" if status == MilestoneStatus.DONE else status


def _local_day(instant: str, zone: ZoneInfo) -> str:
    return dt.datetime.fromisoformat(instant).astimezone(zone).date().isoformat()
