"""The team in the loop: reminders that keep promises, and the team's daily review list.

Both go out on working days only (the project calendar: China's holidays and make-up working
days, the team's zone), at `[reminders] time`, through the outbox and its per-address limit,
once each (a dedupe key per item and day, or per project and day), and never while the project's
reminders are paused by command ("pause reminders 2 weeks").

- **Our promises**: the owner of one of our open commitments (the team member who made it, else
  the team) is reminded `before_due_working_days` working days before its due and on the due
  day; a due that falls on a day off is reminded on the working day before it.
- **What the client owes**: one polite reminder to the person who owes it, one working day after
  the due, then at most one a week and three in all; per project (`client_reminders`) or for all
  (`[reminders] clients`). Items mail has been silent about for `quiet_overdue_days` are left to
  the team, as in the digest.
- Every reminder answers the mail that carried the item (In-Reply-To, References, "Re:" its
  subject) and quotes the item's own words.
- **The review list** (`[reminders] review_list`): one short internal mail a day to the team
  stakeholders: what is new since the last list, what mailbot was unsure of (possible closures
  and change requests, strangers, messages it could not read or place), what falls due in the
  next two working days, each line with its id and the command that settles it. Nothing to say:
  no mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mailbot import compose, outbox
from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, ChangeStatus
from mailbot.meetings import work_calendar
from mailbot.store import Store, iso
from mailbot.store.records import Item
from scheduling.calendar import WorkCalendar

CLIENT_REMINDERS_MAX = 3  # polite reminders of one item in all
DUE_SOON_WORKING_DAYS = 2  # the review list's horizon


@dataclass(frozen=True, slots=True)
class Reminder:
    item: Item
    when: str  # before | today | overdue


class TeamLoop:
    """What is due at `now` for the team's loop; each method queues and returns how many."""

    def __init__(self, store: Store, settings: Settings, now: dt.datetime, calendar: WorkCalendar | None = None) -> None:
        self.store = store
        self.settings = settings
        self.now = now
        self.calendar = calendar or work_calendar(settings)
        local = now.astimezone(settings.team.zone)
        self.today = local.date()
        self.open = self.calendar.is_working_day(self.today) and local.time() >= settings.reminders.time

    def paused(self, project: Project) -> bool:
        until = self.store.bookkeeping.fact(f"reminders_paused_until:{project.key}") or ""
        return until == "indefinitely" or (bool(until) and until >= self.today.isoformat())

    # -- reminders ------------------------------------------------------------------------------

    def reminders_due(self, project: Project) -> list[Reminder]:
        if not self.open or self.paused(project):
            return []
        due_list: list[Reminder] = []
        before = self.settings.reminders.before_due_working_days
        clients = project.client_reminders if project.client_reminders is not None else self.settings.reminders.clients
        quiet = dt.timedelta(days=self.settings.digest.quiet_overdue_days)
        for item in self.store.items.open(project.key):
            if not item.due or item.kind != "commitment" and item.kind != "request":
                continue
            due = dt.date.fromisoformat(item.due[:10])
            if item.by == "us":
                on_day = due if self.calendar.is_working_day(due) else self.calendar.working_days_before(due, 1)
                if before and self.today == self.calendar.working_days_before(on_day, before):
                    due_list.append(Reminder(item, "before"))
                elif self.today == on_day:
                    due_list.append(Reminder(item, "today"))
            elif item.by == "client" and clients and not item.internal:
                first = self.calendar.add_working_days(due, 1)
                if first <= self.today <= due + quiet:
                    due_list.append(Reminder(item, "overdue"))
        return due_list

    def send_reminders(self, project: Project) -> int:
        queued = 0
        for reminder in self.reminders_due(project):
            queued += self._remind(project, reminder)
        return queued

    def _remind(self, project: Project, reminder: Reminder) -> int:
        item = reminder.item
        if reminder.when == "overdue":
            sent = self.store.outbox.created_with_prefix(f"reminder:{project.key}:{item.ref}:")
            if len(sent) >= CLIENT_REMINDERS_MAX or any(row >= iso(self.now - dt.timedelta(days=6)) for row in sent):  # a week: same weekday
                return 0
            people = self._client_owner(project, item)
        else:
            people = self._team_owner(project, item)
        key = f"reminder:{project.key}:{item.ref}:{self.today.isoformat()}"
        if not people or outbox.settled(self.store, key):
            return 0  # no one to remind, or reminded at an earlier tick today: not composed again
        origin = self.store.messages.by_message_id(item.message_id) if item.message_id else None
        language = project.language
        rendered = compose.render("reminder", language, {
            **compose.base_context(self.settings.team, project),
            "recipient": {"name": people[0].name, "address": people[0].address},
            "item": {"id": item.ref, "text": item.text, "due": item.due[:10] if item.due else None, "by": item.by},
            "when": reminder.when,
            "original": {"subject": origin.subject if origin is not None else ""},
            "today": self.today,
        })
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=people, kind="reminder",
                                        reply=False, now=self.now, in_reply_to=item.message_id,
                                        references=[item.message_id] if item.message_id else [])
        row = outbox.queue(self.store, project_key=project.key, kind="reminder", dedupe_key=key, message=message, now=self.now,
                           cause=Cause.clock(iso(self.now), f"{item.ref} due {item.due}"),
                           per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return int(row is not None and not outbox.held_back(self.store, key))

    def _team_owner(self, project: Project, item: Item) -> list[compose.Person]:
        person = project.stakeholder(item.who or "")
        if person is not None and person.party == "us":
            return [compose.Person(person.name, person.address)]
        if item.who and "@" in item.who and item.who.rpartition("@")[2] in self.settings.team.domains:
            return [compose.Person("", item.who)]
        return compose.team_people(self.settings.team, project)

    def _client_owner(self, project: Project, item: Item) -> list[compose.Person]:
        person = project.stakeholder(item.who or "")
        if person is not None and person.party == "client":
            return [compose.Person(person.name, person.address)]
        if item.who and "@" in item.who and item.who.rpartition("@")[2] in project.client_domains:
            return [compose.Person("", item.who)]
        return []  # nobody to ask: the team sees it on the review list

    # -- the review list ------------------------------------------------------------------------

    def review_list(self, project: Project) -> dict[str, list[dict[str, str]]]:
        """What the team's review list would say today, by section."""
        since = self.store.bookkeeping.fact(f"review_list_at:{project.key}") or iso(self.now - dt.timedelta(days=1))
        horizon = self.calendar.add_working_days(self.today, DUE_SOON_WORKING_DAYS).isoformat()
        open_items = self.store.items.open(project.key)
        new = [{"id": i.ref, "text": i.text, "by": i.by or "", "due": (i.due or "")[:10]}
               for i in open_items if (i.created_at or "") >= since]
        new += [{"id": c.ref, "text": c.text, "by": "client", "due": ""}
                for c in self.store.changes.of_project(project.key, [ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED])
                if (c.received_at or "") >= since]
        unsure = [{"id": self._ref(e.item, e.item_id), "kind": e.kind, "text": e.text or "", "reason": e.reason or "", "message_id": e.message_id or ""}
                  for e in self.store.review.pending(project.key, limit=20)]
        unassigned = [{"message_id": m.message_id or "", "subject": m.subject or "", "sender": m.sender or "", "reason": m.reason or ""}
                      for m in self.store.messages.unassigned(since=since, limit=10)]
        alerted = [{"subject": subject, "at": at} for subject, at in self.store.outbox.subjects_since(project.key, "alert", since, limit=10)]
        soon = [{"id": i.ref, "text": i.text, "by": i.by or "", "due": (i.due or "")[:10]}
                for i in open_items if i.due and self.today.isoformat() <= i.due[:10] <= horizon]
        return {"new": new, "unsure": unsure, "unassigned": unassigned, "soon": soon, "alerted": alerted}

    def send_review_list(self, project: Project) -> int:
        if not self.open or not self.settings.reminders.review_list:
            return 0
        key = f"review:{project.key}:{self.today.isoformat()}"
        if self.store.outbox.has(key):
            return 0
        sections = self.review_list(project)
        self.store.bookkeeping.set(f"review_list_at:{project.key}", iso(self.now))
        if not any(sections.values()):
            return 0
        rendered = compose.render("review", project.language, {**compose.base_context(self.settings.team, project), **sections,
                                                               "day": self.today, "today": self.today})
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=compose.team_people(self.settings.team, project),
                                        kind="review", reply=False, now=self.now)
        row = outbox.queue(self.store, project_key=project.key, kind="review", dedupe_key=key, message=message, now=self.now,
                           cause=Cause.clock(iso(self.now), "the team's review list"),
                           per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return int(row is not None)

    def _ref(self, table: str, row_id: int) -> str:
        if table == "items":
            item = self.store.items.get(row_id)
            return item.ref if item is not None else ""
        if table == "change_requests":
            change = self.store.changes.get(row_id)
            return change.ref if change is not None else ""
        return ""
