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

from mailbot.store import Store, iso
from scheduling.cadence import Period

DONE_CR = ("applied", "rejected")


def build(store: Store, project_key: str, period: Period, today: dt.date, zone: ZoneInfo) -> dict[str, Any]:
    """The digest's template context (without team/recipient), JSON-serialisable.

    Instants in the plan are UTC; the period is whole local days in `zone`.
    """
    start, end, now = period.start.isoformat(), period.end.isoformat(), today.isoformat()
    since = iso(dt.datetime.combine(period.start, dt.time(), tzinfo=zone))
    until = iso(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone))
    names = {row["address"]: row["name"] for row in store.rows("SELECT address, name FROM contacts")}

    def name(address: str | None) -> str:
        return names.get(address or "", "") or (address or "")

    def item(row: dict[str, Any], kind: str) -> dict[str, Any]:
        # `who` is the person who owes the item: the one who promised a commitment; for a
        # request only the owing side is known (the person in `asked_by` asked for it).
        return {
            "kind": kind,
            "text": row["text"],
            "by": row.get("by"),
            "who": name(row.get("who")) if kind == "commitment" else "",
            "asked_by": name(row.get("who")) if kind == "request" else "",
            "due": row.get("due"),
            "status": "overdue" if row["status"] == "open" and row.get("due") and row["due"] < now else row["status"],
        }

    open_items = [
        item(row, kind)
        for kind, table in (("commitment", "commitments"), ("request", "requests"))
        for row in store.rows(f"SELECT * FROM {table} WHERE project_key = ? AND status = 'open' ORDER BY id", [project_key])
    ]
    milestones = store.rows("SELECT name, due, status, approved_at FROM milestones WHERE project_key = ? AND status != 'dropped' ORDER BY due", [project_key])
    done = [
        item(row, kind)
        for kind, table in (("commitment", "commitments"), ("request", "requests"))
        for row in store.rows(
            f"SELECT * FROM {table} WHERE project_key = ? AND status = 'done' AND updated_at >= ? AND updated_at < ?",
            [project_key, since, until],
        )
    ]
    done += [
        {"kind": "milestone", "text": m["name"], "by": "us", "who": "", "due": m["due"], "status": "approved"}
        for m in milestones
        if m["status"] == "approved" and m["approved_at"] and since <= m["approved_at"] < until
    ]
    upcoming = [i for i in open_items if i["due"] and i["due"] >= now]
    upcoming += [
        {"kind": "milestone", "text": m["name"], "by": "us", "who": "", "due": m["due"], "status": m["status"]}
        for m in milestones
        if m["status"] != "approved" and m["due"] >= now
    ]
    change_requests = [
        {"number": f"CR-{row['number']}", "text": row["text"], "status": row["status"], "received": _local_day(row["received_at"], zone)}
        for row in store.rows(
            "SELECT number, text, status, received_at FROM change_requests WHERE project_key = ? AND status NOT IN (?, ?) ORDER BY number",
            [project_key, *DONE_CR],
        )
    ]
    risks = [
        {"text": row["text"], "who": name(row["who"]), "date": _local_day(row["at"], zone)}
        for row in store.rows("SELECT text, who, at FROM risks WHERE project_key = ? AND status = 'open' ORDER BY at", [project_key])
    ]
    feedback = [
        {"text": row["text"], "sentiment": row["sentiment"], "who": name(row["who"]), "date": _local_day(row["at"], zone)}
        for row in store.rows(
            "SELECT text, sentiment, who, at FROM feedback WHERE project_key = ? AND at >= ? AND at < ? ORDER BY at",
            [project_key, since, until],
        )
    ]
    return {
        "period": {"start": start, "end": end},
        "done": done,
        "in_progress": [i for i in open_items if not i["due"]],
        "next": sorted(upcoming, key=lambda i: i["due"]),
        "overdue": sorted((i for i in open_items if i["status"] == "overdue"), key=lambda i: i["due"]),
        "milestones": [{"name": m["name"], "due": m["due"], "status": m["status"]} for m in milestones],
        "change_requests": change_requests,
        "risks": risks,
        "feedback": feedback,
    }


def _local_day(instant: str, zone: ZoneInfo) -> str:
    return dt.datetime.fromisoformat(instant).astimezone(zone).date().isoformat()
