"""Alerts to the team within the minute: what a client said that the team should hear now.

Per message, in the transaction that applied it, every cause is collected (negative or mixed
feedback, a new risk, a survey score at or below the threshold) and one alert goes to the team
stakeholders, in the team's language, threaded to that message: several causes arriving
together are one mail. From the clock (`Mailbot.tick`): a client's change request waiting for
assessment longer than `[alerts] assess_within_hours`, and an item of ours overdue (the day
after its due; the owner was reminded the day before and on the day). One alert per cause
(a dedupe key per message, change request or item), and at most `PER_PROJECT_PER_HOUR` alerts
per project in an hour, on top of the outbox's per-address limit. A declined or countered
review meeting has its own alert (`Scheduler`), and the review list lists all of these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mailbot import compose, outbox
from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, ChangeStatus
from mailbot.store import Store, iso
from parsing.model import Email, Extraction, Kind

PER_PROJECT_PER_HOUR = 10


@dataclass(frozen=True, slots=True)
class Concern:
    kind: str  # feedback | risk | score | cr_waiting | overdue
    text: str
    ref: str = ""  # CR-3, C12
    detail: str = ""  # the sentiment, the score, the due date


def of_message(extraction: Extraction, *, score: int | None = None, threshold: int | None = None) -> list[Concern]:
    """What in this message the team should hear about now."""
    concerns = [Concern("feedback", f.text, detail=f.sentiment or "") for f in extraction.findings
                if f.kind is Kind.FEEDBACK and f.sentiment in ("negative", "mixed")]
    concerns += [Concern("risk", f.text) for f in extraction.findings if f.kind is Kind.RISK]
    if score is not None and threshold is not None and score <= threshold:
        concerns.append(Concern("score", extraction.body.strip()[:300], detail=str(score)))
    return concerns


def send(store: Store, settings: Settings, project: Project, concerns: list[Concern], *, key: str, now: dt.datetime,
         about: Email | None = None) -> int:
    """One alert with every concern, to the team, threaded to `about`; once per `key`."""
    if not concerns or store.outbox.has(key):
        return 0
    if store.outbox.count_kind_since(project.key, "alert", iso(now - dt.timedelta(hours=1))) >= PER_PROJECT_PER_HOUR:
        return 0
    team = compose.team_people(settings.team, project)
    sender = about.sender if about is not None else None
    rendered = compose.render("concern", settings.team.language, {
        **compose.base_context(settings.team, project),
        "concerns": [{"kind": c.kind, "text": c.text, "ref": c.ref, "detail": c.detail} for c in concerns],
        "who": {"name": sender.name if sender else "", "address": sender.address if sender else ""},
        "message": {"subject": about.subject if about is not None else ""},
    })
    message = compose.build_message(rendered=rendered, sender=compose.team_person(settings.team), to=team, kind="alert", reply=False,
                                    now=now, in_reply_to=about.message_id if about is not None else None,
                                    references=about.references if about is not None else ())
    row = outbox.queue(store, project_key=project.key, kind="alert", dedupe_key=key, message=message, now=now,
                       cause=Cause.clock(iso(now), ", ".join(sorted({c.kind for c in concerns}))),
                       per_address_per_hour=settings.outbox.per_address_per_hour)
    return int(row is not None and not outbox.held_back(store, key))


RECENT_DAYS = 7  # an item overdue longer than this when the clock first sees it is the review list's, not an alert's


def from_the_clock(store: Store, settings: Settings, project: Project, now: dt.datetime, today: dt.date, since: dt.datetime) -> int:
    """Change requests waiting too long for assessment, and our overdue items: one alert each.
    Only what became late since mailbot began answering (`since`) and in the last week: a first
    start on years of mail alerts nobody of old news."""
    queued = 0
    waited = iso(now - dt.timedelta(hours=settings.alerts.assess_within_hours))
    fresh = max(since.astimezone(settings.team.zone).date(), today - dt.timedelta(days=RECENT_DAYS)).isoformat()
    for change in store.changes.of_project(project.key, [ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED]):
        if change.origin == "client" and change.received_at and iso(since) <= change.received_at <= waited:
            concern = Concern("cr_waiting", change.text, change.ref, detail=str(settings.alerts.assess_within_hours))
            queued += send(store, settings, project, [concern], key=f"alert:cr-waiting:{project.key}:{change.ref}", now=now)
    for item in store.items.open(project.key, by="us") if settings.alerts.overdue else []:
        if item.kind == "commitment" and item.due and fresh <= item.due[:10] < today.isoformat() and not item.internal:
            concern = Concern("overdue", item.text, item.ref, detail=item.due[:10])
            queued += send(store, settings, project, [concern], key=f"alert:overdue:{project.key}:{item.ref}:{item.due[:10]}", now=now)
    return queued
