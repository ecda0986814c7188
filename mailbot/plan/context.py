"""One message being applied to one project: everything an applier may ask about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause
from mailbot.plan.people import People
from mailbot.plan.text import normal, terms
from mailbot.store import Store, iso
from mailbot.store.records import Item
from mailbot.terms import MAX_CONTEXT, whole_terms
from parsing.model import Email, Extraction, Finding, Party

# An open item stated and due this long before a message is no candidate for what it says,
# unless the message answers the mail that stated it: what mail can close stays bounded as
# the plan grows (items that old and still open are the lifecycles' to settle: reminders,
# the review list, sign-offs).
HORIZON = dt.timedelta(days=180)


@dataclass(frozen=True, slots=True)
class AckDecision:
    """A change request that should be acknowledged to the client who sent it."""

    project_key: str
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class ProposalDecision:
    """A time a client proposed for a meeting: mailbot invites for it (or the nearest free slot)."""

    project_key: str
    finding: Finding
    finding_id: int


@dataclass(frozen=True, slots=True)
class CancelAck:
    """A change request decided before its acknowledgement went out: the acknowledgement is withdrawn."""

    project_key: str
    number: int


@dataclass(frozen=True, slots=True)
class MoveMeeting:
    """An agreed new time for an invited meeting: the scheduler sends the update."""

    project_key: str
    meeting_id: int
    start: str  # local wall time, YYYY-MM-DDTHH:MM


@dataclass(frozen=True, slots=True)
class CancelMeeting:
    """An invited meeting called off: the scheduler sends the CANCEL."""

    project_key: str
    meeting_id: int


Decision = AckDecision | ProposalDecision | CancelAck | MoveMeeting | CancelMeeting


@dataclass
class Context:
    """One message being applied to one project."""

    store: Store
    settings: Settings
    project: Project
    extraction: Extraction
    message_key: str
    when: dt.datetime  # when it was said: the message's Date, else the clock
    at: str  # the same, as the tables hold it (UTC ISO)
    who: str  # the sender's address
    internal: bool  # between the team only
    people: People
    decisions: list[Decision] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)  # lines of this message that recur across the sender's mail
    decided: set[int] = field(default_factory=set)  # change requests this message has decided already
    deciding: list[str] = field(default_factory=list)  # the clauses that decided them: one clause decides one change
    _whole: str = ""
    _said: set[str] | None = None
    _stated: dict[tuple[str, tuple[str, ...]], list[int]] = field(default_factory=dict)

    @property
    def email(self) -> Email:
        return self.extraction.email

    @property
    def party(self) -> Party:
        return self.extraction.party

    @property
    def other(self) -> Party:
        return Party.US if self.party is Party.CLIENT else Party.CLIENT

    @property
    def message_id(self) -> str | None:
        return self.email.message_id

    @property
    def cause(self) -> Cause:
        return Cause.message(self.email.message_id)

    @property
    def thread(self) -> tuple[str, ...]:
        """The messages this one answers, nearest first."""
        return self.email.thread_ids

    def quotes(self, text: str) -> bool:
        """Whether this message holds `text` (in its quoted history or restated)."""
        if not self._whole:
            self._whole = normal(self.email.text[:MAX_CONTEXT]) or " "
        key = normal(text)[:60]
        return len(key) >= 6 and key in self._whole

    def open_items(self, by: str | Party | None = None, *, about: str | None = None) -> list[Item]:
        """The open items of the project (of side `by`) this message can speak of, by id: those
        stated in its thread or in it, and those that share a term with anything it holds (its
        subject, its new text and what was read in it, the history it quotes) and were stated or fall due within
        HORIZON. Found through the store's term index: the cost follows the message, not the
        plan. Asked afresh each time, since applying a message opens and closes items. With
        `about` (a part of the message), only those sharing a term with that part, and the thread's."""
        if self._said is None:
            extraction = self.extraction
            clauses = [f.text for f in extraction.findings] + list(extraction.completions) + list(extraction.receipts) \
                + [s.text for s in extraction.signals]
            said = set(whole_terms(extraction)).union(*(terms(clause) for clause in clauses))
            self._said = said - self.store.items.common_terms(self.project.key)
        wanted = self._said if about is None else self._said & terms(about)
        ids = set(self.in_thread("items")) | set(self.store.sources.things_in("items", [self.message_id or ""]))
        return self.store.items.candidates(self.project.key, wanted, by=str(by) if by is not None else None, ids=ids,
                                           since=iso(self.when - HORIZON))

    def in_thread(self, item: str) -> list[int]:
        """The `item` things stated in the messages this one answers, nearest first."""
        return self._stated_in(item, self.thread)

    def replies_to(self, item: str) -> list[int]:
        """The `item` things stated in the message this one directly answers."""
        parent = self.email.in_reply_to
        return self._stated_in(item, (parent,)) if parent else []

    def _stated_in(self, item: str, message_ids: tuple[str, ...]) -> list[int]:
        """`sources.things_in`, asked once per message: while it is applied, the sources it writes
        are this message's own, so what earlier messages stated stays as it was (the appliers
        ask the same of the thread some eight times a message). Not for meetings, whose sources
        move to the meeting a proposal is merged into (`Meetings.merge_into`)."""
        if item == "meetings" or self.message_id in message_ids:
            return self.store.sources.things_in(item, list(message_ids))
        key = (item, message_ids)
        if key not in self._stated:
            self._stated[key] = self.store.sources.things_in(item, list(message_ids))
        return list(self._stated[key])
