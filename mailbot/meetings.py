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
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from mailbot import compose, outbox, trust
from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, ChangeStatus, MeetingStatus, MilestoneStatus
from mailbot.store import Store, iso
from mailbot.store.records import Counter, Meeting, Milestone
from parsing import usercache
from parsing.model import Address, Email, Finding
from scheduling import ical, slots
from scheduling.calendar import CalendarError, Interval, WorkCalendar, keep_tables

logger = logging.getLogger(__name__)

REVIEW_WORDS = ("评审", "审核", "验收", "review", "walkthrough", "sign-off", "signoff")
LOCAL = "%Y-%m-%dT%H:%M"


def work_calendar(settings: Settings) -> WorkCalendar:
    """The team's calendar; its holiday tables kept in the user's cache between runs."""
    keep_tables(usercache.private("holidays"))
    c = settings.calendar
    return WorkCalendar(
        timezone=settings.team.timezone,
        country=c.country,
        extra_holidays={day: "" for day in c.holidays},
        extra_working_days=frozenset(c.working_days),
        hours=c.hours,
        language=c.language,
    )


def _invite_key(invite: ical.Invite) -> str:
    return f"invite:{invite.uid}:{invite.sequence}"


def _unguessable() -> str:
    """A random part for a UID: a calendar reply must not be forgeable by guessing it (RFC 5545
    asks only for uniqueness; a REPLY to a UID nobody was sent proves nothing)."""
    return secrets.token_hex(8)


@dataclass
class Scheduler:
    """Meeting decisions for one moment (`now`), inside the caller's transaction on `store`."""

    store: Store
    settings: Settings
    now: dt.datetime
    quiet: bool = False  # decide, but send nothing (mail older than mailbot's first start)

    def __post_init__(self) -> None:
        self.calendar = work_calendar(self.settings)
        self.zone: ZoneInfo = self.settings.team.zone
        self.domain = self.settings.team.address.rpartition("@")[2]
        self.organizer = ical.Party(self.settings.team.address, self.settings.team.name)
        self.stamp = iso(self.now)
        self.cause = Cause.clock(self.stamp)

    # -- reviews ------------------------------------------------------------------------------

    def schedule_reviews(self, project: Project) -> int:
        """Invite, move or cancel the review of every milestone of `project`; returns mails queued."""
        queued = 0
        today = self.now.astimezone(self.zone).date()
        for milestone in self.store.milestones.of_project(project.key):
            meeting = self.store.meetings.review_of(milestone.id)
            active = meeting if meeting is not None and meeting.status == MeetingStatus.INVITED else None
            if meeting is not None and meeting.status == MeetingStatus.HELD and meeting.for_due == milestone.due:
                continue  # reviewed already for this date
            if meeting is not None and meeting.status in (MeetingStatus.PROPOSED, MeetingStatus.AGREED):
                continue  # a new review is being arranged in mail; agreed, it is invited with the other agreed meetings
            if milestone.status == MilestoneStatus.DROPPED:
                if active is not None:
                    queued += self._cancel(project, active, reason="dropped")
                continue
            if milestone.status == MilestoneStatus.DONE or milestone.due < today.isoformat():
                continue
            if active is not None and active.for_due == milestone.due:
                continue
            due = dt.date.fromisoformat(milestone.due)
            attendees = self._stakeholders(project)
            if not attendees:
                continue
            try:
                slot = slots.review_slot(
                    due,
                    calendar=self.calendar,
                    busy=self._busy(attendees, exclude=meeting.id if meeting else None),
                    earliest=self.now,
                    duration=dt.timedelta(minutes=self.settings.calendar.review_minutes),
                    days_before=self.settings.calendar.review_days_before,
                    at=self.settings.calendar.review_time,
                )
            except CalendarError as exc:
                logger.warning("%s: no review slot for %s: %s", project.key, milestone.name, exc)
                continue
            if active is not None:
                queued += self._move(project, active, slot, for_due=milestone.due)
            else:
                queued += self._invite(project, kind="review", title=_review_title(project, milestone.name), slot=slot, attendees=attendees,
                                       milestone=milestone)
            self.store.milestones.set_status(milestone, MilestoneStatus.REVIEW_SCHEDULED, self.cause, self.stamp)
        return queued

    # -- the status meeting -------------------------------------------------------------------

    def schedule_status_meeting(self, project: Project) -> int:
        config = project.status_meeting
        existing = self.store.meetings.of_project(project.key, status=MeetingStatus.INVITED, kind="status")
        if config is None:
            return sum(self._cancel(project, meeting, reason="no longer configured") for meeting in existing)
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
            uid=ical.status_meeting_uid(f"{project.key}-{_unguessable()}", self.domain),
        )

    # -- meetings agreed in mail ----------------------------------------------------------------

    def invite_agreed(self, project: Project) -> int:
        """Invite every stakeholder to the meetings both sides agreed in mail and that are still ahead."""
        queued = 0
        duration = dt.timedelta(minutes=self.settings.calendar.review_minutes)
        for meeting in self.store.meetings.of_project(project.key, status=MeetingStatus.AGREED):
            if not meeting.start:
                continue
            start = self._local(meeting.start)
            if start <= self.now:
                continue
            end = self._local(meeting.end) if meeting.end else start + duration
            attendees = self._stakeholders(project)
            milestone = self.store.milestones.get(meeting.milestone_id) if meeting.kind == "review" and meeting.milestone_id else None
            title = _review_title(project, milestone.name) if milestone is not None else meeting_title(project)
            if attendees:
                queued += self._invite(project, kind=meeting.kind or "proposed", title=title,
                                       slot=Interval(start, end), attendees=attendees, proposal=meeting, milestone=milestone)
        return queued

    def mark_held(self, project: Project) -> None:
        """Meetings whose time is over were held (a series is never over)."""
        over = [meeting.id for status in (MeetingStatus.INVITED, MeetingStatus.AGREED)
                for meeting in self.store.meetings.of_project(project.key, status=status)
                if not meeting.rrule and meeting.start and self._local(meeting.end or meeting.start) < self.now]
        self.store.meetings.set_status_many(over, MeetingStatus.HELD, self.cause, self.stamp)

    def move_meeting(self, project: Project, meeting_id: int, start: str, cause: Cause) -> int:
        """Move a meeting to a time agreed in mail (an update, same UID, higher SEQUENCE)."""
        meeting = self.store.meetings.get(meeting_id)
        if meeting.start == start:
            return 0
        begin = self._local(start)
        length = (self._local(meeting.end) - self._local(meeting.start)) if meeting.start and meeting.end else \
            dt.timedelta(minutes=self.settings.calendar.review_minutes)
        if meeting.status != MeetingStatus.INVITED:
            self.store.meetings.record_move(meeting, start, cause, self.stamp)
            self.store.meetings.change(meeting.id, {"start": start, "end": (begin + length).strftime(LOCAL), "updated_at": self.stamp})
            return 0
        return self._move(project, meeting, Interval(begin, begin + length), for_due=meeting.for_due, cause=cause)

    def cancel_meeting(self, project: Project, meeting_id: int, cause: Cause) -> int:
        meeting = self.store.meetings.get(meeting_id)
        if meeting.status != MeetingStatus.INVITED:
            return 0
        return self._cancel(project, meeting, reason=cause.note or "called off in mail", cause=cause)

    # -- proposals in mail --------------------------------------------------------------------

    def answer_proposal(self, project: Project, email: Email, finding: Finding, finding_id: int) -> int:
        """Turn a client's proposed meeting (recorded by the plan) into an invitation."""
        if finding.start is None:
            return 0
        proposal = self.store.meetings.by_finding(finding_id)
        if proposal is None:
            return 0
        attendees = self._stakeholders(project)  # invitations go to the project's stakeholders, never to whoever asked
        proposed = finding.start.replace(tzinfo=self.zone)
        if proposed < self.now:
            return 0  # read late (or old mail): the moment has passed, nothing to invite to
        duration = dt.timedelta(minutes=self.settings.calendar.review_minutes)
        review = self._named_review(project, [finding.text, email.subject])
        try:
            slot, accepted = slots.accept_or_propose(
                proposed,
                calendar=self.calendar,
                busy=self._busy(attendees, exclude=review.id if review else None),
                duration=duration,
                earliest=self.now,
            )
        except CalendarError as exc:
            logger.warning("%s: cannot place the proposed meeting: %s", project.key, exc)
            return 0
        context = {"proposed": proposed if not accepted else None}
        if review is not None:
            self.store.meetings.delete(proposal.id)  # the proposal is the review, moved
            return self._move(project, review, slot, for_due=review.for_due, context=context, cause=Cause.message(email.message_id))
        return self._invite(project, kind="proposed", title=meeting_title(project), slot=slot, attendees=attendees, proposal=proposal,
                            context=context)

    def _named_review(self, project: Project, texts: Iterable[str]) -> Meeting | None:
        """The active review of the milestone a proposal is about (by name, or the only one)."""
        joined = " ".join(t for t in texts if t).lower()
        if not any(word in joined for word in REVIEW_WORDS):
            return None
        reviews = self.store.meetings.invited_reviews(project.key)
        named = [meeting for meeting, name in reviews if name.lower() in joined]
        chosen = named or [meeting for meeting, _ in reviews[:1]]
        return chosen[0] if chosen else None

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
            meeting = self.store.meetings.by_uid(reply.uid)
            if meeting is None:
                return None, f"calendar {reply.method} for a meeting mailbot does not know ({reply.uid})", 0
            project = next((p for p in projects if p.key == meeting.project_key), None)
            address = reply.address or (sender or "")
            refused = self._not_theirs(email, meeting, project, address)
            if refused:
                return meeting.project_key, f"calendar {reply.method} for {address} not applied: {refused}", 0
            if reply.method == "COUNTER":
                self.store.meetings.add_counter(
                    Counter(
                        meeting_id=meeting.id,
                        address=address,
                        start=reply.proposed.start.astimezone(self.zone).strftime(LOCAL) if reply.proposed else None,
                        end=reply.proposed.end.astimezone(self.zone).strftime(LOCAL) if reply.proposed else None,
                        comment=reply.comment,
                        message_id=email.message_id,
                        at=self.stamp,
                    )
                )
                return meeting.project_key, f"calendar COUNTER from {address} for {meeting.title}: recorded for the team", 0
            outdated = self._outdated(reply, meeting)
            if outdated:
                # RFC 5546 3.2.3: an answer to an earlier version (the meeting has moved since)
                # says nothing about the current one; the attendee's answer stays open.
                return meeting.project_key, f"calendar REPLY from {address} for an earlier version of {meeting.title} ({outdated}): not applied", 0
            self.store.meetings.set_answer(meeting.id, address, reply.partstat, self.stamp)
            queued = 0
            if reply.partstat == "DECLINED" and project is not None:
                person = project.stakeholder(address)
                if person is not None and person.party == "client":
                    queued = self._alert_decline(project, meeting, person.name or address, address, reply.comment)
            return meeting.project_key, f"calendar REPLY: {address} {reply.partstat} {meeting.title}", queued
        return None, "calendar reply without a reply in it", 0

    def _not_theirs(self, email: Email, meeting: Meeting, project: Project | None, address: str) -> str:
        """Why a calendar answer for `address` cannot be taken as theirs, or "": only the attendee
        answers for themselves, from their own trusted address, for a meeting they were invited to."""
        sender = (email.sender.address if email.sender else "").lower()
        if address.lower() != sender:
            return f"sent by {sender or 'nobody'}, not by the attendee"
        if not any(a.address.lower() == sender for a in self.store.meetings.attendees(meeting.id)):
            return "not an attendee of this meeting"
        verdict = trust.judge(self.settings, self.store, project, email)
        return "" if verdict.trusted else verdict.reason

    def _outdated(self, reply: ical.Reply, meeting: Meeting) -> str:
        """Why `reply` answers an earlier version of `meeting`, or "" when it answers this one.
        Without a SEQUENCE in the reply, the DTSTART it echoes (if any) tells."""
        if reply.sequence is not None:
            return f"SEQUENCE {reply.sequence} < {meeting.sequence}" if reply.sequence < meeting.sequence else ""
        if isinstance(reply.start, dt.datetime) and meeting.start:
            echoed = reply.start.astimezone(self.zone).strftime(LOCAL)
            return f"it answers {echoed}, the meeting is at {meeting.start}" if echoed != meeting.start else ""
        return ""

    def _alert_decline(self, project: Project, meeting: Meeting, name: str, address: str, comment: str) -> int:
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
        key = f"alert:decline:{meeting.uid}:{meeting.sequence}:{address}"
        queued = outbox.queue(self.store, project_key=project.key, kind="alert", dedupe_key=key, message=message, now=self.now,
                              cause=Cause.plan(meeting.ref, f"{address} declined"), per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return int(queued is not None)

    # -- sending ------------------------------------------------------------------------------

    def _invite(
        self,
        project: Project,
        *,
        kind: str,
        title: str,
        slot: Interval,
        attendees: Sequence[ical.Attendee],
        milestone: Milestone | None = None,
        proposal: Meeting | None = None,
        rrule: str = "",
        exdates: tuple[dt.datetime, ...] = (),
        rdates: tuple[dt.datetime, ...] = (),
        uid: str | None = None,
        context: dict[str, Any] | None = None,
    ) -> int:
        values: dict[str, Any] = {
            "project_key": project.key,
            "milestone_id": milestone.id if milestone else None,
            "title": title,
            "start": slot.start.astimezone(self.zone).strftime(LOCAL),
            "end": slot.end.astimezone(self.zone).strftime(LOCAL),
            "sequence": 0,
            "kind": kind,
            "rrule": rrule or None,
            "for_due": milestone.due if milestone else None,
            "updated_at": self.stamp,
        }
        if proposal is not None:
            meeting_id = proposal.id
            self.store.meetings.change(meeting_id, values)
        else:
            meeting_id = self.store.meetings.add({**values, "status": str(MeetingStatus.AGREED), "created_at": self.stamp}, self.cause, self.stamp)
        uid = uid or (proposal.uid if proposal is not None else None)  # a second try after the limit held it back: the same event
        if uid is None and kind == "review" and milestone is not None and proposal is None:
            uid = ical.review_uid(project.key, f"{milestone.id}-{_unguessable()}", self.domain)  # one arranged in mail is its own
        meeting = self.store.meetings.change(meeting_id, {"uid": uid or f"meeting-{project.key}-{meeting_id}-{_unguessable()}@{self.domain}"})
        for attendee in attendees:
            self.store.meetings.invite_attendee(meeting_id, attendee.address, attendee.name, attendee.role, self.stamp)
        invite = ical.Invite(
            uid=meeting.uid or "",
            sequence=0,
            organizer=self.organizer,
            attendees=tuple(attendees),
            summary=title,
            start=slot.start.astimezone(self.zone),
            end=slot.end.astimezone(self.zone),
            dtstamp=self.now,
            description=self._agenda_text(project, milestone),
            location=project.location,
            url=project.meeting_url,
            rrule=rrule,
            exdates=exdates,
            rdates=rdates,
        )
        sent = self._send(project, invite, meeting, action="new", context=context)
        if not outbox.held_back(self.store, _invite_key(invite)):  # an invitation held back invites nobody
            self.store.meetings.set_status(meeting_id, MeetingStatus.INVITED, self.cause, self.stamp)
        return sent

    def _move(
        self,
        project: Project,
        meeting: Meeting,
        slot: Interval,
        *,
        for_due: str | None,
        context: dict[str, Any] | None = None,
        cause: Cause | None = None,
    ) -> int:
        old = self._invite_of(meeting)
        invite = old.moved(slot.start.astimezone(self.zone), slot.end.astimezone(self.zone), dtstamp=self.now)
        start = slot.start.astimezone(self.zone).strftime(LOCAL)
        self.store.meetings.record_move(meeting, start, cause or self.cause, self.stamp)
        moved = self.store.meetings.change(
            meeting.id,
            {"start": start, "end": slot.end.astimezone(self.zone).strftime(LOCAL), "sequence": invite.sequence, "for_due": for_due,
             "updated_at": self.stamp},
        )
        self.store.meetings.reset_answers(meeting.id)
        return self._send(project, invite, moved, action="moved", previous=meeting, context=context)

    def _cancel(self, project: Project, meeting: Meeting, *, reason: str, cause: Cause | None = None) -> int:
        invite = self._invite_of(meeting).cancelled(dtstamp=self.now)
        cancelled = self.store.meetings.set_status(meeting.id, MeetingStatus.CANCELLED, cause or Cause.clock(self.stamp, reason), self.stamp,
                                                   {"sequence": invite.sequence})
        return self._send(project, invite, cancelled, action="cancelled")

    def feed_event(self, project: Project, meeting: Meeting) -> ical.Invite:
        """A meeting as the calendar feed shows it: as invited, or, agreed in mail and never
        invited (it was already past), with the project's stakeholders and a composed title."""
        if meeting.uid and self.store.meetings.attendees(meeting.id):
            return self._invite_of(meeting)
        start = self._local(meeting.start or "")
        end = self._local(meeting.end) if meeting.end else start + dt.timedelta(minutes=self.settings.calendar.review_minutes)
        return ical.Invite(
            uid=meeting.uid or f"meeting-{project.key}-{meeting.id}@{self.domain}",
            sequence=meeting.sequence,
            organizer=self.organizer,
            attendees=tuple(self._stakeholders(project)) or (ical.Attendee(self.settings.team.address, self.settings.team.name),),
            summary=meeting_title(project),
            start=start,
            end=end,
            dtstamp=self.now,
        )

    def _invite_of(self, meeting: Meeting) -> ical.Invite:
        """The invitation as last sent, rebuilt from the plan."""
        attendees = tuple(
            ical.Attendee(a.address, a.name or "", a.role or "REQ-PARTICIPANT") for a in self.store.meetings.attendees(meeting.id)
        )
        location, url, description = self._where_and_what(meeting)
        return ical.Invite(
            uid=meeting.uid or "",
            sequence=meeting.sequence,
            organizer=self.organizer,
            attendees=attendees,
            summary=meeting.title or "",
            start=self._local(meeting.start or ""),
            end=self._local(meeting.end or ""),
            dtstamp=self.now,
            rrule=meeting.rrule or "",
            location=location,
            url=url,
            description=description,
        )

    def _where_and_what(self, meeting: Meeting) -> tuple[str, str, str]:
        """LOCATION, URL and DESCRIPTION of a meeting of a configured project, as first sent."""
        project = next((p for p in self.settings.projects if p.key == meeting.project_key), None)
        if project is None:
            return "", "", ""
        return project.location, project.meeting_url, self._agenda_text(project, self._milestone_of(meeting))

    def _send(
        self,
        project: Project,
        invite: ical.Invite,
        meeting: Meeting,
        *,
        action: str,
        previous: Meeting | None = None,
        context: dict[str, Any] | None = None,
    ) -> int:
        if self.quiet:
            return 0
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
                "zones": self._zones(project, invite, meeting),
                "location": invite.location or project.location,
                "meeting_url": invite.url or project.meeting_url,
                "agenda": self._agenda(project, self._milestone_of(meeting)),
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
        key = _invite_key(invite)
        queued = outbox.queue(self.store, project_key=project.key, kind="invite", dedupe_key=key, message=message, now=self.now,
                              cause=Cause.plan(meeting.ref, action), per_address_per_hour=self.settings.outbox.per_address_per_hour)
        if queued is None or outbox.held_back(self.store, key):
            return 0
        self.store.sources.add(project_key=project.key, item="meetings", item_id=meeting.id, message_id=message.message_id,
                               text=meeting.title, role="invite", at=self.stamp)
        return 1

    # -- helpers ------------------------------------------------------------------------------

    def _zones(self, project: Project, invite: ical.Invite, meeting: Meeting) -> list[dict[str, Any]]:
        """The meeting's time in the team's zone, then in each other zone an attendee reads
        mail in (a stakeholder's `timezone`): "10:00 北京时间 / 20:00 CST Chicago"."""
        start, end = self._local(meeting.start or ""), self._local(meeting.end or "")
        wanted = [self.settings.team.timezone]
        invited = {a.address.lower() for a in invite.attendees}
        wanted += [s.timezone for s in project.stakeholders if s.timezone and s.address.lower() in invited]
        zones = []
        for name in dict.fromkeys(wanted):
            zone = ZoneInfo(name)
            local_start, local_end = start.astimezone(zone), end.astimezone(zone)
            zones.append({"label": zone_label(name, local_start, project.language), "start": local_start, "end": local_end,
                          "team": name == self.settings.team.timezone})
        return zones

    def _milestone_of(self, meeting: Meeting) -> Milestone | None:
        return self.store.milestones.get(meeting.milestone_id) if meeting.milestone_id is not None else None

    def _agenda(self, project: Project, milestone: Milestone | None) -> list[str]:
        """What the meeting is for, from the plan: the milestone and its deliverables, the open
        items and change requests that touch it."""
        if milestone is None:
            return []
        zh = project.language == "zh"
        lines = [f"评审「{milestone.name}」（{milestone.due}截止）" if zh else f"Review of {milestone.name} (due {milestone.due})"]
        for item in self.store.items.open(project.key):
            if item.milestone_id == milestone.id:
                lines.append(("待办：" if zh else "Open: ") + item.text[:120])
        waiting = [ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED, ChangeStatus.ASSESSED, ChangeStatus.ACCEPTED]
        for change in self.store.changes.of_project(project.key, waiting):
            if change.milestone_id == milestone.id:
                lines.append(f"{change.number}：{change.text[:120]}" if zh else f"{change.number}: {change.text[:120]}")
        return lines[:12]

    def _agenda_text(self, project: Project, milestone: Milestone | None) -> str:
        """The .ics DESCRIPTION: the agenda, then the video link for clients that ignore URL."""
        lines = self._agenda(project, milestone) or [_description(project, milestone)]
        if project.meeting_url:
            lines.append(("会议链接：" if project.language == "zh" else "Join: ") + project.meeting_url)
        return "\n".join(lines)

    def _meeting_context(self, meeting: Meeting) -> dict[str, Any]:
        return {"title": meeting.title, "start": self._local(meeting.start or ""), "end": self._local(meeting.end or ""), "uid": meeting.uid}

    def _local(self, text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(text).replace(tzinfo=self.zone)

    def _stakeholders(self, project: Project, also: Iterable[Address | None] = ()) -> list[ical.Attendee]:
        attendees = {s.address: ical.Attendee(s.address, s.name) for s in project.stakeholders}
        for person in also:
            if person is not None and person.address not in attendees and person.address != self.settings.team.address:
                attendees[person.address] = ical.Attendee(person.address, person.name)
        return list(attendees.values())

    def _busy(self, attendees: Sequence[ical.Attendee], exclude: int | None) -> list[Interval]:
        """mailbot's other meetings with any of the same people (series expanded a year ahead)."""
        busy = []
        for meeting in self.store.meetings.busy([a.address for a in attendees]):
            if meeting.meeting_id == exclude:
                continue
            first = Interval(self._local(meeting.start), self._local(meeting.end))
            busy.append(first)
            if meeting.rrule:
                busy.extend(_expand(first, meeting.rrule, self.now))
        return busy


def _expand(first: Interval, rrule: str, now: dt.datetime) -> list[Interval]:
    """The occurrences of a weekly series within a year of `now` (for busy times)."""
    rule = rrulestr(rrule, dtstart=first.start)
    length = first.end - first.start
    horizon = now + dt.timedelta(days=366)
    return [Interval(start, start + length) for start in rule.between(first.start, horizon, inc=False)]


def meeting_title(project: Project) -> str:
    """The title of a meeting agreed in mail, composed from the plan: never a sender's words."""
    return f"{project.name} 项目会议" if project.language == "zh" else f"{project.name}: project meeting"


def _review_title(project: Project, milestone: str) -> str:
    return f"{milestone} 评审会（{project.name}）" if project.language == "zh" else f"{milestone} review ({project.name})"


# names people know a zone by; other zones by their city ("America/Chicago": Chicago)
_ZONE_NAMES = {"Asia/Shanghai": ("北京时间", "Beijing time"), "Asia/Taipei": ("台北时间", "Taipei time"),
               "Asia/Hong_Kong": ("香港时间", "Hong Kong time"), "Asia/Tokyo": ("东京时间", "Tokyo time"),
               "Europe/London": ("伦敦时间", "London time")}


def zone_label(name: str, moment: dt.datetime, language: str) -> str:
    """How a zone is written beside a time: "北京时间", "CST Chicago", "CET Berlin"."""
    known = _ZONE_NAMES.get(name)
    if known:
        return known[0] if language == "zh" else known[1]
    city = name.rpartition("/")[2].replace("_", " ")
    abbreviation = moment.strftime("%Z")
    return f"{abbreviation} {city}" if abbreviation and not abbreviation.startswith(("+", "-")) else city


def _description(project: Project, milestone: Milestone | None) -> str:
    if milestone is None:
        return project.name
    if project.language == "zh":
        return f"{project.name}：里程碑「{milestone.name}」（{milestone.due}）评审"
    return f"{project.name}: review of the milestone {milestone.name} due {milestone.due}"


def export(store: Store, settings: Settings, projects: Project | Sequence[Project], now: dt.datetime) -> bytes:
    """The projects' meetings (agreed, invited or held: every meeting both sides agreed) and
    milestone dates as one subscribable .ics feed, named after the project when there is one."""
    chosen = [projects] if isinstance(projects, Project) else list(projects)
    scheduler = Scheduler(store, settings, now)
    events: list[ical.Invite | ical.MilestoneDate] = []
    for project in chosen:
        agreed = [m for m in store.meetings.of_project(project.key)
                  if m.status in (MeetingStatus.AGREED, MeetingStatus.INVITED, MeetingStatus.HELD) and m.start]
        for meeting in sorted(agreed, key=lambda m: m.start or ""):
            events.append(scheduler.feed_event(project, meeting))
        for milestone in store.milestones.of_project(project.key, include_dropped=False):
            events.append(
                ical.MilestoneDate(
                    uid=ical.milestone_uid(project.key, milestone.id, scheduler.domain),
                    summary=f"{milestone.name}（{project.name}）" if project.language == "zh" else f"{milestone.name} ({project.name})",
                    day=dt.date.fromisoformat(milestone.due),
                )
            )
    name = chosen[0].name if len(chosen) == 1 else "mailbot"
    return ical.export_ics(events, name, dtstamp=now, timezone=settings.team.timezone)
