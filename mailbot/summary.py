"""The project summary (项目总结): what was planned, what happened, and what the client thought.

Built from the plan and its history, as of a moment (`now`):

- milestones planned (the configured date, else the first one mail gave) against delivered
  (the day it was signed off), with the slip in working days;
- change requests with their decision and what they moved;
- promises kept on time per side (兑现率): of the items with a due date that were done, how
  many were done by that date;
- the open items left;
- feedback by theme (communication, schedule, quality, design, scope, other) and sentiment;
- survey scores over time and the response rate.

`mailbot summary` prints it (text, or `--json`) and `--send`s it: the team's version, and a
shorter one for the client with their final survey to come. The timeline is an HTML table
(one row per milestone, one column per week, planned ◇ and actual ● cells), which Gmail,
Outlook and Apple Mail all draw; SVG they do not. When the last milestone is signed off the
next tick sends both versions once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mailbot import compose, outbox
from mailbot.config import Project, Settings
from mailbot.digest import survey_results, timeline
from mailbot.lifecycle import Cause, ChangeStatus, ItemStatus, MilestoneStatus
from mailbot.meetings import work_calendar
from mailbot.store import Store, iso
from parsing import patterns as rx

THEMES = {
    "communication": rx.compile(r"沟通|回复|响应|联系|反馈|communicat|respon|update|reply|contact", re.I),
    "schedule": rx.compile(r"进度|延期|推迟|时间|准时|按时|上线|deadline|schedule|late|delay|slip|on time|launch", re.I),
    "quality": rx.compile(r"质量|bug|问题|错误|稳定|quality|bugs?|error|stable|crash", re.I),
    "design": rx.compile(r"设计|视觉|页面|界面|风格|design|visual|layout|look", re.I),
    "scope": rx.compile(r"需求|范围|功能|变更|scope|feature|requirement|change", re.I),
}


def build(store: Store, settings: Settings, project: Project, now: dt.datetime) -> dict[str, Any]:
    """The summary of `project` as of `now`, as plain data (the JSON of `summary --json`)."""
    calendar = work_calendar(settings)
    zone = settings.team.zone
    record = store.projects.get(project.key)

    def day(moment: str | None) -> str | None:
        return dt.datetime.fromisoformat(moment).astimezone(zone).date().isoformat() if moment else None

    def slip(planned: str | None, actual: str | None) -> int | None:
        if not planned or not actual:
            return None
        a, b = dt.date.fromisoformat(planned[:10]), dt.date.fromisoformat(actual[:10])
        if a == b:
            return 0
        days = calendar.count_working_days(min(a, b) + dt.timedelta(days=1), max(a, b))
        return days if b > a else -days

    milestones = []
    for m in store.milestones.of_project(project.key):
        if m.status == MilestoneStatus.DROPPED:
            continue
        planned = m.config_due or _first_due(store, m.id) or m.due
        actual = day(m.done_at) if m.status == MilestoneStatus.DONE else None
        milestones.append({"id": m.ref, "name": m.name, "planned": planned[:10], "due": m.due[:10], "actual": actual,
                           "status": str(m.status), "slip_working_days": slip(planned, actual)})

    changes = []
    for c in store.changes.of_project(project.key):
        moved = store.milestones.get(c.milestone_id) if c.milestone_id else None
        changes.append({"id": c.ref, "text": c.text, "status": c.status, "origin": c.origin,
                        "moves": {"milestone": moved.name, "to": c.new_due} if moved is not None and c.new_due else None})

    kept: dict[str, dict[str, int]] = {}
    open_items = []
    items = store.items.of_project(project.key)
    done = store.last_moved("items", "status", ItemStatus.DONE, (i.id for i in items if i.status == ItemStatus.DONE and i.due))
    for item in items:
        side = item.by or "us"
        if item.status == ItemStatus.OPEN:
            open_items.append({"id": item.ref, "text": item.text, "by": side, "due": (item.due or "")[:10] or None})
        if item.status != ItemStatus.DONE or not item.due:
            continue
        done_at = done.get(item.id)
        tally = kept.setdefault(side, {"done": 0, "on_time": 0})
        tally["done"] += 1
        tally["on_time"] += int(bool(done_at) and (day(done_at) or "") <= item.due[:10])
    promises = {side: {**t, "rate": round(t["on_time"] / t["done"], 2) if t["done"] else None} for side, t in kept.items()}

    themes: dict[str, dict[str, int]] = {}
    for f in store.reactions.feedback(project.key):
        theme = next((name for name, pattern in THEMES.items() if pattern.search(f.text)), "other")
        bucket = themes.setdefault(theme, {"positive": 0, "negative": 0, "mixed": 0})
        bucket[f.sentiment if f.sentiment in bucket else "mixed"] += 1

    decided = [c for c in changes if c["status"] in (ChangeStatus.ACCEPTED, ChangeStatus.APPLIED, ChangeStatus.REJECTED)]
    return {
        "project": {"key": project.key, "name": project.name, "status": record.status if record else "active",
                    "finished_at": day(record.finished_at) if record else None},
        "as_of": now.astimezone(zone).date().isoformat(),
        "milestones": milestones,
        "timeline": timeline([{**m, "late": int(m["slip_working_days"] or 0) > 0} for m in milestones]),
        "change_requests": changes,
        "change_requests_decided": len(decided),
        "promises": promises,
        "open_items": open_items,
        "feedback": themes,
        "surveys": survey_results(store, project.key, until=iso(now)),
    }


def _first_due(store: Store, milestone_id: int) -> str | None:
    moves = [h for h in store.history("milestones", milestone_id) if h.field == "due"]
    return moves[0].old if moves and moves[0].old else None


def render(store: Store, settings: Settings, project: Project, now: dt.datetime, *, audience: str = "team") -> compose.Rendered:
    return _render(build(store, settings, project, now), settings, project, now, audience)


def _render(data: dict[str, Any], settings: Settings, project: Project, now: dt.datetime, audience: str) -> compose.Rendered:
    language = project.language
    base = compose.base_context(settings.team, project)
    return compose.render("summary", language, {**base, **data, "project": {**base["project"], **data["project"]}, "audience": audience,
                                                 "today": now.astimezone(settings.team.zone).date()})


def send(store: Store, settings: Settings, project: Project, now: dt.datetime) -> int:
    """The team's summary and the client's, once each."""
    queued = 0
    team = compose.team_people(settings.team, project)
    clients = [compose.Person(s.name, s.address) for s in project.stakeholders if s.party == "client"]
    data: dict[str, Any] | None = None  # built once for both audiences
    for audience, people in (("team", team), ("client", clients)):
        key = f"summary:{project.key}:{audience}"
        if not people or store.outbox.has(key):
            continue
        data = data or build(store, settings, project, now)
        rendered = _render(data, settings, project, now, audience)
        message = compose.build_message(rendered=rendered, sender=compose.team_person(settings.team), to=people, kind="summary",
                                        reply=False, now=now)
        row = outbox.queue(store, project_key=project.key, kind="summary", dedupe_key=key, message=message, now=now,
                           cause=Cause.clock(iso(now), f"project summary for the {audience}"),
                           per_address_per_hour=settings.outbox.per_address_per_hour)
        queued += int(row is not None)
    return queued
