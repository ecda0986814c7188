"""Commands by mail: the proven team tells mailbot what to do, and is answered once.

Which mail carries commands (`addressed_to_mailbot`): mail from the team, in reply to a message
mailbot sent or with the project's tag in its subject, whose new text holds at least one command
line (`parsing.commands`). Who may command is the trust model's: only a TEAM verdict (proven by
the trusted server's Authentication-Results, or `trust = "domain"`). A team address that is not
proven gets nothing done and the PM is alerted; the client's "CR-3 accepted" is the client
accepting, which the plan reads as it reads all their mail.

Each command is carried out inside the message's transaction, with `Cause.command` naming the
mail, so the history says who decided and `undo` can put back exactly what one mail changed.
A mail is obeyed once: the commands table remembers its Message-ID (and the message key makes
a redelivered copy a duplicate before it gets here). The answer lists, in the sender's
language, what changed, what was already so, and the lines not understood with the forms that
would have been.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from mailbot.config import Project, Settings, Stakeholder
from mailbot.lifecycle import (
    Cause,
    CauseKind,
    ChangeStatus,
    ItemStatus,
    LifecycleError,
    MilestoneStatus,
    ProjectStatus,
)
from mailbot.plan import milestones as milestone_rules
from mailbot.plan.changes import apply_move
from mailbot.plan.routing import tagged
from mailbot.store import Store, iso
from mailbot.store.records import ChangeRequest, Item, Milestone
from parsing.commands import Command, Verb, read_commands
from parsing.model import Extraction

UNDO_HOURS = 24
# Which history columns `undo` may put back, per table: everything a command changes.
_UNDOABLE = {"items": {"status", "due", "by", "who"}, "change_requests": {"status", "new_due", "milestone_id"}, "milestones": {"status", "due"},
             "projects": {"status"}}


@dataclass(frozen=True, slots=True)
class Result:
    """What came of one command line, for the answer and the commands table."""

    command: Command
    outcome: str  # done | unchanged | refused | unclear
    target: str | None = None  # the item's id and words: "C12 首页设计稿"
    old: str | None = None
    new: str | None = None
    reason: str | None = None  # why it was refused or unchanged

    @property
    def verb(self) -> str:
        return str(self.command.verb)


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    decided: list[int] = field(default_factory=list)  # change requests accepted or rejected: the client is told

    @property
    def changed(self) -> bool:
        return any(r.outcome == "done" for r in self.results)


def commands_in(extraction: Extraction, *, reference: dt.datetime | None) -> list[Command]:
    return read_commands(extraction.body, reference=reference)


def addressed_to_mailbot(store: Store, project: Project, extraction: Extraction) -> bool:
    """A reply to mailbot's own mail, or a mail with the project's tag in its subject."""
    email = extraction.email
    return any(store.outbox.kind_of(ref) is not None for ref in email.thread_ids[:20]) or tagged(email.subject, project)


class Executor:
    """Carries out one mail's commands on one project (inside the caller's transaction)."""

    def __init__(self, store: Store, settings: Settings, project: Project, message_id: str, sender: str, now: dt.datetime, *,
                 thread: tuple[str, ...] = (), assign: Callable[[str, str], str | None] | None = None) -> None:
        self.thread = thread  # the Message-IDs the mail answers: a digest draft to hold
        self.report = Report()
        self.assign = assign  # (message reference, project key) → why not, or None when assigned
        self.store = store
        self.settings = settings
        self.project = project
        self.message_id = message_id
        self.sender = sender
        self.now = now
        self.at = iso(now)

    def run(self, commands: list[Command]) -> Report:
        report = self.report
        if self.store.commands.seen(self.message_id):
            return report  # obeyed already
        for command in commands:
            try:
                result = self._one(command)
            except LifecycleError as exc:
                result = Result(command, "refused", command.id, reason=str(exc))
            report.results.append(result)
            self.store.commands.add(project_key=self.project.key, message_id=self.message_id, sender=self.sender, line=command.line,
                                    verb=str(command.verb), target=command.id, result=result.outcome,
                                    detail=result.reason or result.new, at=self.at)
        return report

    @property
    def cause(self) -> Cause:
        return Cause(CauseKind.COMMAND, self.message_id, f"by {self.sender}")

    def _one(self, command: Command) -> Result:
        verb = command.verb
        if verb is Verb.UNCLEAR:
            return Result(command, "unclear", command.id)
        if verb is Verb.UNDO:
            return self._undo(command)
        if verb is Verb.CLOSE_PROJECT:
            moved = self.store.projects.set_status(self.project.key, ProjectStatus.FINISHED, self.cause, self.at)
            return Result(command, "done" if moved else "unchanged", self.project.name, new=str(ProjectStatus.FINISHED))
        if verb in (Verb.PAUSE_REMINDERS, Verb.RESUME_REMINDERS):
            until = (self.now + dt.timedelta(days=command.days)).date().isoformat() if command.days else "indefinitely"
            value = until if verb is Verb.PAUSE_REMINDERS else ""
            self.store.bookkeeping.set(f"reminders_paused_until:{self.project.key}", value)
            return Result(command, "done", self.project.name, new=value or None)
        if verb is Verb.HOLD:
            return self._hold(command)
        if verb is Verb.ASSIGN:
            if self.assign is None or not command.note or not command.project:
                return Result(command, "refused", reason="not_available")
            if command.project not in {p.key for p in self.settings.projects}:
                return Result(command, "refused", command.project, reason="no_such_project")
            why = self.assign(command.note, command.project)
            return Result(command, "refused", command.note, reason=why) if why else Result(command, "done", command.note, new=command.project)
        ref = command.id or ""
        if ref.startswith("CR-"):
            change = self.store.changes.by_number(self.project.key, int(ref[3:]))
            return self._change(command, change) if change else Result(command, "refused", ref, reason="no_such_item")
        if ref.startswith("MT"):
            return Result(command, "refused", ref, reason="not_available")
        if ref.startswith("M"):
            milestone = next((m for m in self.store.milestones.of_project(self.project.key) if m.number == int(ref[1:])), None)
            return self._milestone(command, milestone) if milestone else Result(command, "refused", ref, reason="no_such_item")
        kind = "commitment" if ref.startswith("C") else "request"
        item = self.store.items.by_number(self.project.key, kind, int(ref[1:]))
        return self._item(command, item) if item else Result(command, "refused", ref, reason="no_such_item")

    def _item(self, command: Command, item: Item) -> Result:
        target = f"{item.ref} {item.text}"
        status = {Verb.DONE: ItemStatus.DONE, Verb.REOPEN: ItemStatus.OPEN, Verb.DROP: ItemStatus.DROPPED}.get(command.verb)
        if status is not None:
            moved = self.store.items.set_status(item, status, self.cause, self.at)
            return Result(command, "done" if moved else "unchanged", target, item.status, str(status))
        if command.verb is Verb.DUE and command.date is not None:
            due = command.date.isoformat()
            if due == item.due:
                return Result(command, "unchanged", target, item.due, due)
            self.store.items.reschedule(item, due, command.line, self.cause, self.at)
            return Result(command, "done", target, item.due, due)
        if command.verb is Verb.OWNER and command.owner:
            person = self._person(command.owner)
            side = person.party if person is not None and person.party in ("us", "client") else item.by
            who = person.address if person is not None else command.owner
            self.store.items.set_owner(item, side or "us", self.cause, self.at)
            if who != item.who:
                self.store.items.set_who(item, who, self.cause, self.at)
            return Result(command, "done", target, item.who, person.name if person is not None and person.name else command.owner)
        return Result(command, "refused", target, reason="not_for_this_kind")

    def _change(self, command: Command, change: ChangeRequest) -> Result:
        target = f"{change.ref} {change.text}"
        status = {Verb.ASSESS: ChangeStatus.ASSESSED, Verb.ACCEPT: ChangeStatus.ACCEPTED, Verb.REJECT: ChangeStatus.REJECTED,
                  Verb.WITHDRAW: ChangeStatus.WITHDRAWN}.get(command.verb)
        if status is None:
            return Result(command, "refused", target, reason="not_for_this_kind")
        old = change.status
        moved = self.store.changes.set_status(change, status, Cause(CauseKind.COMMAND, self.message_id, command.note or command.line), self.at)
        if moved and status is ChangeStatus.ACCEPTED:
            self._apply_accepted(change, command)
        if moved and status in (ChangeStatus.ACCEPTED, ChangeStatus.REJECTED) and change.origin == "client":
            self.report.decided.append(change.id)
        fresh = self.store.changes.get(change.id) or change
        return Result(command, "done" if moved else "unchanged", target, old, fresh.status)

    def _apply_accepted(self, change: ChangeRequest, command: Command) -> None:
        """An accepted change that moves a milestone (its own target, or a date the command
        gives) moves it now; the review follows at the next tick."""
        fresh = self.store.changes.get(change.id) or change
        milestone = self.store.milestones.get(fresh.milestone_id) if fresh.milestone_id else None
        if milestone is None and command.date is not None:
            milestone = milestone_rules.named(self.store, self.project.key, command.line)
        due = command.date.isoformat() if command.date is not None else fresh.new_due
        if milestone is None or due is None or milestone.status == MilestoneStatus.DONE:
            return
        apply_move(self.store, fresh, milestone, due, self.cause, self.cause, self.at)

    def _milestone(self, command: Command, milestone: Milestone) -> Result:
        target = f"{milestone.ref} {milestone.name}"
        if command.verb in (Verb.SIGNOFF, Verb.DONE):
            moved = milestone_rules.sign_off(self.store, milestone, self.cause, self.at)
            return Result(command, "done" if moved else "unchanged", target, milestone.status, str(MilestoneStatus.DONE))
        if command.verb is Verb.DUE and command.date is not None:
            due = command.date.isoformat()
            if due == milestone.due:
                return Result(command, "unchanged", target, milestone.due, due)
            self.store.milestones.move(milestone, due, self.cause, self.at)
            if milestone.status != MilestoneStatus.DONE:
                self.store.milestones.set_status(milestone, MilestoneStatus.MOVED, self.cause, self.at)
            return Result(command, "done", target, milestone.due, due)
        if command.verb is Verb.DROP:
            moved = self.store.milestones.set_status(milestone, MilestoneStatus.DROPPED, self.cause, self.at)
            return Result(command, "done" if moved else "unchanged", target, milestone.status, str(MilestoneStatus.DROPPED))
        return Result(command, "refused", target, reason="not_for_this_kind")

    def _hold(self, command: Command) -> Result:
        """'hold' in answer to a digest draft: that digest is not sent."""
        for ref in self.thread[:20]:
            row = self.store.outbox.by_message_id(ref)
            if row is not None and row.kind == "draft" and row.project_key == self.project.key:
                period = row.dedupe_key.rpartition(":")[2]
                self.store.bookkeeping.set(f"digest_hold:{self.project.key}:{period}", self.message_id)
                return Result(command, "done", period, new="held")
        return Result(command, "refused", reason="nothing_to_hold")

    def _undo(self, command: Command) -> Result:
        since = iso(self.now - dt.timedelta(hours=UNDO_HOURS))
        last = self.store.commands.last_mail(self.sender, since, before=self.message_id)
        if last is None:
            return Result(command, "refused", reason="nothing_to_undo")
        undone = 0
        for row in self.store.commands.changes_of(last):
            table, column = row["item"], row["field"]
            if column not in _UNDOABLE.get(table, set()):
                continue
            self.store.put_back(table, int(row["item_id"]), column, row["old"], row["new"], row["project_key"],
                                     Cause(CauseKind.COMMAND, self.message_id, f"undo of {last}"), self.at)
            undone += 1
        self.store.commands.mark_undone(last, self.message_id)
        return Result(command, "done" if undone else "unchanged", last, new=str(undone))

    def _person(self, name: str) -> Stakeholder | None:
        wanted = name.casefold().replace(" ", "")
        for person in self.project.stakeholders:
            if (person.name or "").casefold().replace(" ", "") == wanted or person.address.casefold() == name.casefold():
                return person
        return None
