"""The weekly digest: what the plan says about one project, as of one moment, for the client.

The digest is mailbot's face to the client, so it shows what the client should see and nothing
a careful PM would be embarrassed to send:

- the week is Monday to Sunday of the week before the run (`cadence.digest_period`), for the
  scheduled digest and for `mailbot digest` alike;
- everything is read as of `now` from the history: an item made later is not there, one closed
  later is still open, a milestone moved later still has its old date;
- items said only in mail between the team (`internal`) are never shown;
- overdue: open items whose due day has passed; done: items closed (done), milestones signed
  off and changes decided in the week; next: open items and milestones still to come; in
  progress: open items with no day;
- what mail has been silent about for a while is not put before the client as fact: an item
  overdue for more than three weeks, or an undated one not mentioned for four, with no word in
  mail since, goes under `unconfirmed` (for the team, not in the client's text). Mail rarely
  leaves real overdue work unmentioned for weeks; such an item was more often settled where
  mailbot could not read it (a call, a chat, an attachment without words) than forgotten, and a
  PM checks before telling the client it is late;
- changes to the plan in the week, each with its reason ("内页设计 4月17日 → 4月24日（CR-1）");
- change requests not yet applied, rejected or withdrawn; open risks; feedback of the week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from mailbot import compose
from mailbot.config import Project, Settings
from mailbot.lifecycle import ChangeStatus, ItemStatus, MilestoneStatus, RiskStatus
from mailbot.store import Store, iso
from mailbot.store.records import Item
from scheduling import cadence
from scheduling.cadence import Period

PENDING_CHANGES = {s for s in ChangeStatus} - {ChangeStatus.APPLIED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN}


def period(settings: Settings, now: dt.datetime) -> Period:
    """The week a digest made at `now` reports on: Monday to Sunday of the week before."""
    return cadence.digest_period(now.astimezone(settings.team.zone).date())


def context(store: Store, settings: Settings, project: Project, now: dt.datetime) -> dict[str, Any]:
    """The client digest's template context as of `now` (the week before `now`'s)."""
    quiet = settings.digest
    found = build(store, project.key, period(settings, now), now, settings.team.zone,
                  quiet_overdue=dt.timedelta(days=quiet.quiet_overdue_days), quiet_undated=dt.timedelta(days=quiet.quiet_undated_days))
    return {**compose.base_context(settings.team, project), **found}


def render(store: Store, settings: Settings, project: Project, now: dt.datetime) -> compose.Rendered:
    return compose.render("digest", project.language, context(store, settings, project, now))


def build(store: Store, project_key: str, period: Period, now: dt.datetime, zone: ZoneInfo, *,
          quiet_overdue: dt.timedelta = dt.timedelta(days=21), quiet_undated: dt.timedelta = dt.timedelta(days=28)) -> dict[str, Any]:
    """The digest's template context (without team/recipient), JSON-serialisable. An open item
    mail has been silent about for `quiet_overdue` past its due day (`quiet_undated` since it
    was last said, when it has none) is listed as `unconfirmed`, for the team."""
    today = now.astimezone(zone).date()
    at = iso(now)
    since = iso(dt.datetime.combine(period.start, dt.time(), tzinfo=zone))
    until = min(iso(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)), at)
    names = store.projects.names()

    def name(address: str | None) -> str:
        return names.get(address or "", "") or (address or "")

    # The plan as it stood at `at`, read from what it can show (the items open now, those that
    # changed after `at`, those closed in the week) and never from the whole history: the rows
    # are the state at `at` but for the things changed since, read back from their own history.
    closed_in_week = _moved(store, "items", ItemStatus.DONE, since, until)
    changed = set(store.changed_since("items", at, project_key))
    things = {i.id: i for i in store.items.open(project_key)}
    things.update((i.id, i) for i in store.items.get_many(changed | closed_in_week) if i.project_key == project_key)
    status: dict[int, str | None] = {}
    for item in things.values():
        state = store.value_at("items", item.id, "status", at) if item.id in changed else item.status
        if state is not None:  # None: stated after `at`
            status[item.id] = state
    visible = sorted((i for i in things.values() if i.id in status and not i.internal), key=lambda i: i.id)

    def due_of(item: Item) -> str | None:
        if item.id not in changed:
            return item.due
        moves = [h for h in store.history("items", item.id) if h.field == "due"]
        before = [h for h in moves if (h.at or "") <= at]
        return before[-1].new if before else (moves[0].old if moves else item.due)

    def row(item: Item, state: str) -> dict[str, Any]:
        due = due_of(item)
        return {
            "id": item.ref,
            "kind": item.kind,
            "text": item.text,
            "by": item.by,
            "who": name(item.who) if item.kind == "commitment" else "",
            "asked_by": name(item.who) if item.kind == "request" else "",
            "due": due,
            "status": "overdue" if state == ItemStatus.OPEN and due and due < today.isoformat() else state,
        }

    said = _last_said(store, [i for i in visible if status[i.id] == ItemStatus.OPEN], at)
    open_items: list[dict[str, Any]] = []
    unconfirmed: list[dict[str, Any]] = []
    for item in visible:
        if status[item.id] != ItemStatus.OPEN:
            continue
        shown = row(item, ItemStatus.OPEN)
        quiet_since = max(filter(None, [said.get(item.id), shown["due"]]), default="")
        limit = quiet_overdue if shown["due"] else quiet_undated
        (open_items if quiet_since >= (today - limit).isoformat() else unconfirmed).append(shown)
    done = [row(i, ItemStatus.DONE) for i in visible if i.id in closed_in_week]

    milestone_status = store.values_at("milestones", "status", at)
    milestone_due = store.values_at("milestones", "due", at)
    signed = _moved(store, "milestones", MilestoneStatus.DONE, since, until)
    milestones: list[dict[str, Any]] = []
    for m in store.milestones.of_project(project_key):
        state = milestone_status.get(m.id, m.status)
        if state == MilestoneStatus.DROPPED:
            continue
        first_due = _first_milestone_due(store, m.id, m.due)
        due: str = milestone_due.get(m.id) or first_due
        planned = (m.config_due or first_due)[:10]
        actual = _local_day(m.done_at, zone) if state == MilestoneStatus.DONE and m.done_at and m.done_at <= at else None
        milestones.append({"id": m.ref, "name": m.name, "due": due, "status": state, "planned": planned, "actual": actual,
                           "late": (actual or due)[:10] > planned})
        if m.id in signed:
            done.append({"id": m.ref, "kind": "milestone", "text": m.name, "by": "us", "who": "", "due": due, "status": "approved"})
    upcoming = [i for i in open_items if i["due"] and i["due"] >= today.isoformat()]
    upcoming += [{"id": m["id"], "kind": "milestone", "text": m["name"], "by": "us", "who": "", "due": m["due"], "status": m["status"]}
                 for m in milestones if m["status"] != MilestoneStatus.DONE and str(m["due"]) >= today.isoformat()]

    changes_since = set(store.changed_since("change_requests", at, project_key))
    changes = {c.id: c for c in store.changes.of_project(project_key, PENDING_CHANGES)}
    changes.update((c.id, c) for c in store.changes.get_many(changes_since) if c.project_key == project_key)
    change_status = {i: store.value_at("change_requests", i, "status", at) if i in changes_since else c.status for i, c in changes.items()}
    change_requests = [
        {"id": c.ref, "number": c.ref, "text": c.text, "status": change_status[c.id], "received": _local_day(c.received_at or at, zone)}
        for c in sorted(changes.values(), key=lambda c: c.number) if change_status[c.id] in PENDING_CHANGES
    ]
    risks = [
        {"text": r.text, "who": name(r.who), "date": _local_day(r.at or "", zone)}
        for r in store.reactions.risks(project_key, status=RiskStatus.OPEN) if (r.at or "") <= at
    ]
    feedback = [
        {"text": f.text, "sentiment": f.sentiment, "who": name(f.who), "date": _local_day(f.at or "", zone)}
        for f in store.reactions.feedback(project_key, since, until)
    ]
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "today": today.isoformat(),
        "done": done,
        "in_progress": [i for i in open_items if not i["due"]],
        "next": sorted(upcoming, key=lambda i: i["due"]),
        "overdue": sorted((i for i in open_items if i["status"] == "overdue"), key=lambda i: i["due"]),
        "unconfirmed": sorted(unconfirmed, key=lambda i: i["due"] or ""),
        "milestones": [{**m, "status": "approved" if m["status"] == MilestoneStatus.DONE else m["status"]} for m in milestones],
        "timeline": timeline(milestones, today),
        "plan_changes": _plan_changes(store, project_key, since, until),
        "change_requests": change_requests,
        "risks": risks,
        "feedback": feedback,
        "surveys": survey_results(store, project_key, until=at),
    }


def timeline(milestones: list[dict[str, Any]], today: dt.date | None = None) -> dict[str, Any]:
    """Weeks (Mondays) from the first to the last date, and per milestone the weeks of its
    planned, current and actual dates, late or not: what the HTML timeline table draws (the
    digest's and the summary's). `today` adds the week of today, marked."""
    dates = [dt.date.fromisoformat(d) for m in milestones for d in (m["planned"], m["actual"] or m["due"]) if d]
    if today is not None and dates:
        dates.append(today)
    if not dates:
        return {"weeks": [], "rows": [], "today": None}
    first = min(dates) - dt.timedelta(days=min(dates).weekday())
    weeks: list[str] = []
    week = first
    while week <= max(dates) and len(weeks) < 60:
        weeks.append(week.isoformat())
        week += dt.timedelta(days=7)

    def column(value: str | None) -> int | None:
        if not value:
            return None
        return min((dt.date.fromisoformat(value[:10]) - first).days // 7, len(weeks) - 1)

    rows = [{"name": m["name"], "planned": column(m["planned"]), "actual": column(m["actual"]), "open": m["actual"] is None,
             "due": column(m["due"]), "late": bool(m.get("late"))} for m in milestones]
    return {"weeks": weeks, "rows": rows, "today": column(today.isoformat()) if today is not None else None}


def _tidy(value: float) -> float | int:
    """4.0 as 4, 4.25 as 4.3."""
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def survey_results(store: Store, project_key: str, *, until: str) -> dict[str, Any]:
    """Survey answers so far: each score, the average per scale and the response rate."""
    sent = [s for s in store.reactions.surveys(project_key) if s.sent_at and s.sent_at <= until]
    answered = [s for s in sent if s.score is not None and s.answered_at and s.answered_at <= until]
    scales = {s.scale or "1-5" for s in answered}
    return {
        "sent": len(sent),
        "answered": len(answered),
        "rate": round(len(answered) / len(sent), 2) if sent else None,
        "average": _tidy(sum(s.score or 0 for s in answered) / len(answered)) if answered and len(scales) == 1 else None,
        "scale": scales.pop() if len(scales) == 1 else None,
        "scores": [{"about": s.about, "score": s.score, "scale": s.scale or "1-5", "date": (s.answered_at or "")[:10]} for s in answered],
    }


def _last_said(store: Store, items: list[Item], at: str) -> dict[int, str]:
    """The local day each item was last stated, restated, chased or moved in mail, up to `at`."""
    sources = store.sources.of_many("items", [i.id for i in items])
    last: dict[int, str] = {}
    for item in items:
        moments = [s.at for s in sources.get(item.id, []) if s.at and s.at <= at] + [item.created_at or ""]
        last[item.id] = max(moments)[:10]
    return last


def _moved(store: Store, item: str, to: str, since: str, until: str) -> set[int]:
    """The things of `item` that moved to `to` in [since, until) and are still there: read from
    the week's history and each one's own, never the whole history."""
    return {i for i in store.moved_in(item, "status", str(to), since, until)
            if store.value_at(item, i, "status", until) == to and store.value_at(item, i, "status", since) != to}


def _first_milestone_due(store: Store, milestone_id: int, due: str) -> str:
    moves = [h for h in store.history("milestones", milestone_id) if h.field == "due"]
    return (moves[0].old or due) if moves else due


def _plan_changes(store: Store, project_key: str, since: str, until: str) -> list[dict[str, Any]]:
    """Milestones whose date moved in the week, with the reason (the change that moved them)."""
    changes = []
    for milestone in store.milestones.of_project(project_key):
        for move in store.history("milestones", milestone.id):
            if move.field == "due" and since <= (move.at or "") < until:
                changes.append({"name": milestone.name, "old": move.old, "new": move.new,
                                "reason": move.reason if move.cause != "config" else ""})
    return changes


def _local_day(instant: str, zone: ZoneInfo) -> str:
    return dt.datetime.fromisoformat(instant).astimezone(zone).date().isoformat()
