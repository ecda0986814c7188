"""Meetings in the plan: milestone reviews, the status meeting, client proposals, replies.

The pure work (working days, slots, the iCalendar wire format) is `scheduling`'s; this module
reads and writes the plan and decides what to send, inside the caller's transaction, queueing
each invitation with `outbox.queue` keyed by UID and SEQUENCE (``invite:<uid>:<sequence>``), so
deciding the same thing twice sends it once.

- Review of a milestone: placed `calendar.review_days_before` working days before its due date
  at `calendar.review_time`, in working hours, never on a day off (make-up working days are
  working days), clear of mailbot's other meetings with the same people; sent as a REQUEST to
  every stakeholder. When the milestone's date changes the review moves (same UID, SEQUENCE+1);
  when the milestone is dropped the review is cancelled (METHOD:CANCEL).
- A meeting a client proposes in mail ("下周二下午3点开个评审会？") becomes the meeting when that
  time is free and inside working hours; otherwise mailbot invites for the nearest free slot
  and says so. A proposal that names a milestone with a review moves that review.
- The status meeting of a project (`status_meeting` in `[[projects]]`): one series (RRULE, with
  holidays moved or dropped, EXDATE/RDATE), sent once.
- Replies (METHOD:REPLY) set the attendee's PARTSTAT; COUNTER is recorded for the team; a
  client stakeholder declining alerts the team by mail.

Rule of thumb for the invitation's recipients: every stakeholder of the project (the client
side as required participants, the team as well), plus the person who proposed it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from sqlite_utils import Database

from mailbot import compose, outbox
from mailbot.config import Project, Settings
from mailbot.store import iso
from parsing.model import Email, Extraction, Finding, Kind, Party
from scheduling import ical, slots
from scheduling.calendar import CalendarError, Interval, WorkCalendar

logger = logging.getLogger(__name__)

REVIEW_WORDS = ("评审", "审核", "验收", "review", "walkthrough", "sign-off", "signoff")
LOCAL = "%Y-%m-%dT%H:%M"


def work_calendar(settings: Settings) -> WorkCalendar:
    c = settings.calendar
    return WorkCalendar(
        timezone=settings.team.timezone,
        country=c.country,
        extra_holidays=frozenset(c.holidays),
        extra_working_days=frozenset(c.working_days),
        hours=c.hours,
        language=c.language,
    )


@dataclass
class Scheduler:
    """Meeting decisions for one moment (`now`), inside one transaction on `db`."""

    db: Database
    settings: Settings
    now: dt.datetime

    def __post_init__(self) -> None:
        self.calendar = work_calendar(self.settings)
        self.zone: ZoneInfo = self.settings.team.zone
        self.domain = self.settings.team.address.rpartition("@")[2]
        self.organizer = ical.Party(self.settings.team.address, self.settings.team.name)

    # -- reviews ------------------------------------------------------------------------------

    def schedule_reviews(self, project: Project) -> int:
        """Invite, move or cancel the review of every milestone of `project`; returns mails queued."""
        queued = 0
        today = self.now.astimezone(self.zone).date()
        rows = list(self.db["milestones"].rows_where("project_key = ?", [project.key], order_by="due"))
        for milestone in rows:
            meeting = self._review_of(milestone["id"])
            active = meeting is not None and meeting["status"] == "invited"
            if milestone["status"] == "dropped":
                if active:
                    queued += self._cancel(project, meeting, reason="dropped")
                continue
            if milestone["status"] == "approved" or milestone["due"] < today.isoformat():
                continue
            if active and meeting["for_due"] == milestone["due"]:
                continue
            due = dt.date.fromisoformat(milestone["due"])
            attendees = self._stakeholders(project)
            if not attendees:
                continue
            try:
                slot = slots.review_slot(
                    due,
                    calendar=self.calendar,
                    busy=self._busy(attendees, exclude=meeting["id"] if meeting else None),
                    earliest=self.now,
                    duration=dt.timedelta(minutes=self.settings.calendar.review_minutes),
                    days_before=self.settings.calendar.review_days_before,
                    at=self.settings.calendar.review_time,
                )
            except CalendarError as exc:
                logger.warning("%s: no review slot for %s: %s", project.key, milestone["name"], exc)
                continue
            title = _review_title(project, milestone["name"])
            if active:
                queued += self._move(project, meeting, slot, for_due=milestone["due"])
            else:
                queued += self._invite(project, kind="review", title=title, slot=slot, attendees=attendees, milestone=milestone)
            self.db["milestones"].update(milestone["id"], {"status": "review_scheduled", "updated_at": iso(self.now)})
        return queued

    def _review_of(self, milestone_id: int) -> dict[str, Any] | None:
        rows = list(self.db["meetings"].rows_where("milestone_id = ? AND kind = 'review'", [milestone_id], order_by="id desc", limit=1))
        return rows[0] if rows else None

    # -- the status meeting -------------------------------------------------------------------

    def schedule_status_meeting(self, project: Project) -> int:
        config = project.status_meeting
        existing = list(self.db["meetings"].rows_where("project_key = ? AND kind = 'status' AND status = 'invited'", [project.key]))
        if config is None:
            return sum(self._cancel(project, row, reason="no longer configured") for row in existing)
        if existing:
            return 0
        attendees = self._stakeholders(project)
        if not attendees:
            return 0
        start = self.now.astimezone(self.zone).date() + dt.timedelta(days=1)
        plan = slots.series(
            start,
            config.weekday,
            config.time,
            calendar=self.calendar,
            every_weeks=config.every_weeks,  # type: ignore[arg-type]
            duration=dt.timedelta(minutes=config.minutes),
            until=start + dt.timedelta(weeks=config.weeks),
        )
        title = "项目例会" if project.language == "zh" else "Status meeting"
        return self._invite(
            project,
            kind="status",
            title=f"{project.name} {title}",
            slot=plan.first,
            attendees=attendees,
            rrule=plan.rrule,
            exdates=plan.exdates,
            rdates=plan.rdates,
            uid=ical.status_meeting_uid(project.key, self.domain),
        )

    # -- proposals in mail --------------------------------------------------------------------

    def answer_proposal(self, project: Project, extraction: Extraction, finding: Finding, finding_id: int) -> int:
        """Turn a client's proposed meeting (recorded by `plan.apply`) into an invitation."""
        if finding.start is None:
            return 0
        row = next(iter(self.db["meetings"].rows_where("finding_id = ?", [finding_id])), None)
        if row is None:
            return 0
        email = extraction.email
        attendees = self._stakeholders(project, also=[email.sender] if email.sender else [])
        proposed = finding.start.replace(tzinfo=self.zone)
        if proposed < self.now:
            return 0  # read late (or old mail): the moment has passed, nothing to invite to
        duration = dt.timedelta(minutes=self.settings.calendar.review_minutes)
        review = self._named_review(project, [finding.text, email.subject])
        try:
            slot, accepted = slots.accept_or_propose(
                proposed,
                calendar=self.calendar,
                busy=self._busy(attendees, exclude=review["id"] if review else None),
                duration=duration,
                earliest=self.now,
            )
        except CalendarError as exc:
            logger.warning("%s: cannot place the proposed meeting: %s", project.key, exc)
            return 0
        context = {"proposed": proposed if not accepted else None}
        if review is not None:
            self.db["meetings"].update(row["id"], {"status": "merged", "updated_at": iso(self.now)})
            return self._move(project, review, slot, for_due=review["for_due"], context=context)
        title = email.subject or finding.text
        return self._invite(project, kind="proposed", title=title, slot=slot, attendees=attendees, row=row, context=context)

    def _named_review(self, project: Project, texts: Iterable[str]) -> dict[str, Any] | None:
        """The active review of the milestone a proposal is about (by name, or the only one)."""
        joined = " ".join(t for t in texts if t).lower()
        if not any(word in joined for word in REVIEW_WORDS):
            return None
        reviews = list(
            self.db.query(
                "SELECT meetings.*, milestones.name AS milestone_name FROM meetings JOIN milestones ON milestones.id = meetings.milestone_id "
                "WHERE meetings.project_key = ? AND meetings.kind = 'review' AND meetings.status = 'invited' ORDER BY meetings.start",
                [project.key],
            )
        )
        named = [r for r in reviews if r["milestone_name"].lower() in joined]
        chosen = named or (reviews[:1] if len(reviews) >= 1 else [])
        if not chosen:
            return None
        chosen[0].pop("milestone_name", None)
        return chosen[0]

    # -- replies ------------------------------------------------------------------------------

    def apply_reply(self, email: Email, projects: Sequence[Project]) -> tuple[str | None, str, int]:
        """Record a REPLY or COUNTER; returns (project key, what happened, mails queued)."""
        sender = email.sender.address if email.sender else None
        for part in email.calendars:
            try:
                reply = ical.read_reply(part.text, sender=sender, mime_method=part.method, zone=self.settings.team.timezone)
            except ical.CalendarError as exc:
                return None, f"calendar reply that cannot be read: {exc}", 0
            if reply is None:
                continue
            meeting = next(iter(self.db["meetings"].rows_where("uid = ?", [reply.uid], order_by="id desc", limit=1)), None)
            if meeting is None:
                return None, f"calendar {reply.method} for a meeting mailbot does not know ({reply.uid})", 0
            project = next((p for p in projects if p.key == meeting["project_key"]), None)
            address = reply.address or (sender or "")
            if reply.method == "COUNTER":
                self.db["meeting_counters"].insert(
                    {
                        "meeting_id": meeting["id"],
                        "address": address,
                        "start": reply.proposed.start.astimezone(self.zone).strftime(LOCAL) if reply.proposed else None,
                        "end": reply.proposed.end.astimezone(self.zone).strftime(LOCAL) if reply.proposed else None,
                        "comment": reply.comment,
                        "message_id": email.message_id,
                        "at": iso(self.now),
                    }
                )
                return meeting["project_key"], f"calendar COUNTER from {address} for {meeting['title']}: recorded for the team", 0
            outdated = self._outdated(reply, meeting)
            if outdated:
                # RFC 5546 3.2.3: an answer to an earlier version (the meeting has moved since)
                # says nothing about the current one; the attendee's answer stays open.
                return meeting["project_key"], f"calendar REPLY from {address} for an earlier version of {meeting['title']} ({outdated}): not applied", 0
            self.db["meeting_attendees"].upsert(
                {"meeting_id": meeting["id"], "address": address, "partstat": reply.partstat, "updated_at": iso(self.now)},
                pk=("meeting_id", "address"),
            )
            queued = 0
            if reply.partstat == "DECLINED" and project is not None:
                person = project.stakeholder(address)
                if person is not None and person.party == "client":
                    queued = self._alert_decline(project, meeting, person.name or address, address, reply.comment)
            return meeting["project_key"], f"calendar REPLY: {address} {reply.partstat} {meeting['title']}", queued
        return None, "calendar reply without a reply in it", 0

    def _outdated(self, reply: ical.Reply, meeting: dict[str, Any]) -> str:
        """Why `reply` answers an earlier version of `meeting`, or "" when it answers this one.
        Without a SEQUENCE in the reply, the DTSTART it echoes (if any) tells."""
        if reply.sequence is not None:
            return f"SEQUENCE {reply.sequence} < {meeting['sequence']}" if reply.sequence < meeting["sequence"] else ""
        if isinstance(reply.start, dt.datetime) and meeting["start"]:
            echoed = reply.start.astimezone(self.zone).strftime(LOCAL)
            return f"it answers {echoed}, the meeting is at {meeting['start']}" if echoed != meeting["start"] else ""
        return ""

    def _alert_decline(self, project: Project, meeting: dict[str, Any], name: str, address: str, comment: str) -> int:
        team = [compose.Person(s.name, s.address) for s in project.stakeholders if s.party == "us"]
        if not team:
            team = [compose.team_person(self.settings.team)]
        rendered = compose.render(
            "alert",
            project.language,
            {
                **compose.base_context(self.settings.team, project),
                "who": {"name": name, "address": address},
                "meeting": self._meeting_context(meeting),
                "comment": comment,
            },
        )
        message = compose.build_message(
            rendered=rendered,
            sender=compose.team_person(self.settings.team),
            to=team,
            kind="alert",
            reply=False,
            now=self.now,
        )
        key = f"alert:decline:{meeting['uid']}:{meeting['sequence']}:{address}"
        return int(outbox.queue(self.db, project_key=project.key, kind="alert", dedupe_key=key, message=message, now=self.now) is not None)

    # -- sending ------------------------------------------------------------------------------

    def _invite(
        self,
        project: Project,
        *,
        kind: str,
        title: str,
        slot: Interval,
        attendees: Sequence[ical.Attendee],
        milestone: dict[str, Any] | None = None,
        row: dict[str, Any] | None = None,
        rrule: str = "",
        exdates: tuple[dt.datetime, ...] = (),
        rdates: tuple[dt.datetime, ...] = (),
        uid: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> int:
        values = {
            "project_key": project.key,
            "milestone_id": milestone["id"] if milestone else None,
            "title": title,
            "start": slot.start.astimezone(self.zone).strftime(LOCAL),
            "end": slot.end.astimezone(self.zone).strftime(LOCAL),
            "sequence": 0,
            "status": "invited",
            "kind": kind,
            "rrule": rrule or None,
            "for_due": milestone["due"] if milestone else None,
            "updated_at": iso(self.now),
        }
        if row is not None:
            meeting_id = row["id"]
            self.db["meetings"].update(meeting_id, values)
        else:
            table = self.db["meetings"]
            table.insert({**values, "created_at": iso(self.now)})
            meeting_id = int(table.last_pk)
        if kind == "review" and milestone is not None:
            uid = ical.review_uid(project.key, milestone["id"], self.domain)
        uid = uid or f"meeting-{project.key}-{meeting_id}@{self.domain}"
        self.db["meetings"].update(meeting_id, {"uid": uid})
        for attendee in attendees:
            self.db["meeting_attendees"].upsert(
                {"meeting_id": meeting_id, "address": attendee.address, "name": attendee.name, "role": attendee.role, "partstat": "NEEDS-ACTION", "updated_at": iso(self.now)},
                pk=("meeting_id", "address"),
            )
        invite = ical.Invite(
            uid=uid,
            sequence=0,
            organizer=self.organizer,
            attendees=tuple(attendees),
            summary=title,
            start=slot.start.astimezone(self.zone),
            end=slot.end.astimezone(self.zone),
            dtstamp=self.now,
            description=_description(project, milestone),
            rrule=rrule,
            exdates=exdates,
            rdates=rdates,
        )
        meeting = self.db["meetings"].get(meeting_id)
        return self._send(project, invite, meeting, action="new", context=context)

    def _move(self, project: Project, meeting: dict[str, Any], slot: Interval, *, for_due: str | None, context: dict[str, Any] | None = None) -> int:
        old = self._invite_of(meeting)
        invite = old.moved(slot.start.astimezone(self.zone), slot.end.astimezone(self.zone), dtstamp=self.now)
        self.db["meetings"].update(
            meeting["id"],
            {
                "start": slot.start.astimezone(self.zone).strftime(LOCAL),
                "end": slot.end.astimezone(self.zone).strftime(LOCAL),
                "sequence": invite.sequence,
                "for_due": for_due,
                "updated_at": iso(self.now),
            },
        )
        self.db["history"].insert(
            {"project_key": project.key, "item": "meetings", "item_id": meeting["id"], "field": "start", "old": meeting["start"], "new": slot.start.astimezone(self.zone).strftime(LOCAL), "reason": "moved", "at": iso(self.now)}
        )
        self.db.execute("UPDATE meeting_attendees SET partstat = 'NEEDS-ACTION' WHERE meeting_id = ?", [meeting["id"]])
        return self._send(project, invite, self.db["meetings"].get(meeting["id"]), action="moved", previous=meeting, context=context)

    def _cancel(self, project: Project, meeting: dict[str, Any], *, reason: str) -> int:
        invite = self._invite_of(meeting).cancelled(dtstamp=self.now)
        self.db["meetings"].update(meeting["id"], {"status": "cancelled", "sequence": invite.sequence, "updated_at": iso(self.now)})
        return self._send(project, invite, self.db["meetings"].get(meeting["id"]), action="cancelled")

    def _invite_of(self, meeting: dict[str, Any]) -> ical.Invite:
        """The invitation as last sent, rebuilt from the plan."""
        attendees = tuple(
            ical.Attendee(r["address"], r["name"] or "", r["role"] or "REQ-PARTICIPANT")
            for r in self.db["meeting_attendees"].rows_where("meeting_id = ?", [meeting["id"]], order_by="rowid")
        )
        return ical.Invite(
            uid=meeting["uid"],
            sequence=meeting["sequence"],
            organizer=self.organizer,
            attendees=attendees,
            summary=meeting["title"],
            start=self._local(meeting["start"]),
            end=self._local(meeting["end"]),
            dtstamp=self.now,
            rrule=meeting["rrule"] or "",
        )

    def _send(
        self,
        project: Project,
        invite: ical.Invite,
        meeting: dict[str, Any],
        *,
        action: str,
        previous: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
    ) -> int:
        part = ical.calendar_part(invite)
        rendered = compose.render(
            "invite",
            project.language,
            {
                **compose.base_context(self.settings.team, project),
                "action": action,
                "meeting": self._meeting_context(meeting),
                "previous": self._meeting_context(previous) if previous else None,
                "proposed": (context or {}).get("proposed"),
                "recurring": bool(invite.rrule),
            },
        )
        message = compose.build_message(
            rendered=rendered,
            sender=compose.team_person(self.settings.team),
            to=[compose.Person(a.name, a.address) for a in invite.attendees],
            kind="invite" if invite.method == "REQUEST" else "cancel",
            reply=False,
            now=self.now,
            calendar=(part.data.decode("utf-8"), invite.method),
        )
        key = f"invite:{invite.uid}:{invite.sequence}"
        return int(outbox.queue(self.db, project_key=project.key, kind="invite", dedupe_key=key, message=message, now=self.now) is not None)

    # -- helpers ------------------------------------------------------------------------------

    def _meeting_context(self, meeting: dict[str, Any]) -> dict[str, Any]:
        return {"title": meeting["title"], "start": self._local(meeting["start"]), "end": self._local(meeting["end"]), "uid": meeting["uid"]}

    def _local(self, text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=self.zone)

    def _stakeholders(self, project: Project, also: Iterable[Any] = ()) -> list[ical.Attendee]:
        attendees = {s.address: ical.Attendee(s.address, s.name) for s in project.stakeholders}
        for person in also:
            if person is not None and person.address not in attendees and person.address != self.settings.team.address:
                attendees[person.address] = ical.Attendee(person.address, person.name)
        return list(attendees.values())

    def _busy(self, attendees: Sequence[ical.Attendee], exclude: int | None) -> list[Interval]:
        """mailbot's other meetings with any of the same people (series expanded a year ahead)."""
        addresses = [a.address for a in attendees]
        if not addresses:
            return []
        marks = ", ".join("?" * len(addresses))
        rows = self.db.query(
            f"SELECT DISTINCT m.id, m.start, m.end, m.rrule FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id "
            f"WHERE m.status = 'invited' AND a.address IN ({marks})",
            addresses,
        )
        busy = []
        for row in rows:
            if row["id"] == exclude or not row["start"]:
                continue
            first = Interval(self._local(row["start"]), self._local(row["end"]))
            busy.append(first)
            if row["rrule"]:
                busy.extend(_expand(first, row["rrule"], self.now))
        return busy


def _expand(first: Interval, rrule: str, now: dt.datetime) -> list[Interval]:
    """The occurrences of a weekly series within a year of `now` (for busy times)."""
    rule = rrulestr(rrule, dtstart=first.start)
    length = first.end - first.start
    horizon = now + dt.timedelta(days=366)
    return [Interval(start, start + length) for start in rule.between(first.start, horizon, inc=False)]


def _review_title(project: Project, milestone: str) -> str:
    return f"{milestone} 评审会（{project.name}）" if project.language == "zh" else f"{milestone} review ({project.name})"


def _description(project: Project, milestone: dict[str, Any] | None) -> str:
    if milestone is None:
        return project.name
    if project.language == "zh":
        return f"{project.name}：里程碑「{milestone['name']}」（{milestone['due']}）评审"
    return f"{project.name}: review of the milestone {milestone['name']} due {milestone['due']}"


def client_proposals(extraction: Extraction, finding_ids: Sequence[int]) -> list[tuple[Finding, int]]:
    """The meeting findings with a time that a client proposed, with their finding ids."""
    if extraction.party is not Party.CLIENT:
        return []
    return [(f, fid) for f, fid in zip(extraction.findings, finding_ids, strict=True) if f.kind is Kind.MEETING and f.start is not None]


def export(db: Database, settings: Settings, project: Project, now: dt.datetime) -> bytes:
    """The project's meetings and milestone dates as one subscribable .ics feed."""
    scheduler = Scheduler(db, settings, now)
    events: list[ical.Invite | ical.MilestoneDate] = []
    for row in db["meetings"].rows_where("project_key = ? AND status = 'invited' AND uid IS NOT NULL", [project.key], order_by="start"):
        events.append(scheduler._invite_of(row))
    for row in db["milestones"].rows_where("project_key = ? AND status != 'dropped'", [project.key], order_by="due"):
        events.append(
            ical.MilestoneDate(
                uid=ical.milestone_uid(project.key, row["id"], scheduler.domain),
                summary=f"{row['name']}（{project.name}）" if project.language == "zh" else f"{row['name']} ({project.name})",
                day=dt.date.fromisoformat(row["due"]),
            )
        )
    return ical.export_ics(events, project.name, dtstamp=now, timezone=settings.team.timezone)
