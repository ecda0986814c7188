"""Every lifecycle of the plan in one place: its states, the moves it allows, and their causes.

Each status is a `StrEnum` (the strings are what the tables and `plan --json` hold). A
`Lifecycle` is the table of allowed transitions of one kind of thing; the store's one
`transition` function asks it before moving anything and writes the move to `history` with
its `Cause`, so every line of the plan can answer "since when, and says who?". A move the
table does not allow raises `LifecycleError`; moving a thing to the state it is in is no move.

The diagrams of ARCHITECTURE.md are drawn from these tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from mailbot.errors import MailbotError


class LifecycleError(MailbotError):
    """A transition its lifecycle does not allow (a bug, or a command that makes no sense)."""


class CauseKind(StrEnum):
    MESSAGE = "message"  # a message said so (ref: its Message-ID)
    COMMAND = "command"  # a person told mailbot (ref: the command, or the mail that carried it)
    CLOCK = "clock"  # time passed (ref: the moment)
    CONFIG = "config"  # the configuration changed (ref: "configuration")
    PLAN = "plan"  # a consequence of another change of the plan (ref: e.g. "CR-3", "M2")


@dataclass(frozen=True, slots=True)
class Cause:
    """Why something changed: what kind of cause, which one, and a few words."""

    kind: CauseKind
    ref: str
    note: str = ""

    @classmethod
    def message(cls, message_id: str | None, note: str = "") -> Cause:
        return cls(CauseKind.MESSAGE, message_id or "", note)

    @classmethod
    def clock(cls, moment: str, note: str = "") -> Cause:
        return cls(CauseKind.CLOCK, moment, note)

    @classmethod
    def config(cls, note: str = "") -> Cause:
        return cls(CauseKind.CONFIG, "configuration", note)

    @classmethod
    def plan(cls, ref: str, note: str = "") -> Cause:
        return cls(CauseKind.PLAN, ref, note)

    @property
    def reason(self) -> str:
        """The one-word reference the history's `reason` column has always held."""
        return self.ref


S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class Lifecycle(Generic[S]):
    """The allowed moves of one kind of thing: `moves[state]` is where it may go from there."""

    name: str
    states: type[S]
    initial: S
    moves: Mapping[S, frozenset[S]]

    def allows(self, old: S, new: S) -> bool:
        return old == new or new in self.moves.get(old, frozenset())

    def check(self, old: str, new: str) -> S:
        """The new state, or `LifecycleError` naming the move that is not allowed."""
        try:
            before, after = self.states(old), self.states(new)
        except ValueError as exc:
            raise LifecycleError(f"{self.name}: unknown state in {old!r} → {new!r}") from exc
        if not self.allows(before, after):
            allowed = ", ".join(sorted(self.moves.get(before, frozenset()))) or "nothing"
            raise LifecycleError(f"{self.name}: cannot go from {before} to {after} (from {before}: {allowed})")
        return after

    def edges(self) -> list[tuple[S, S]]:
        return [(old, new) for old, targets in self.moves.items() for new in sorted(targets)]


def _moves(table: Mapping[S, set[S]]) -> dict[S, frozenset[S]]:
    return {state: frozenset(targets) for state, targets in table.items()}


# -- commitments and requests -------------------------------------------------------------------


class ItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"  # delivered, received, approved, answered, covered by a sign-off or the end
    SUPERSEDED = "superseded"  # replaced by another item (the thing it was is now that one)
    WITHDRAWN = "withdrawn"  # the side that asked or promised says it is no longer needed
    DROPPED = "dropped"  # not a task after all (boilerplate, or the team said so)


ITEM = Lifecycle(
    "item",
    ItemStatus,
    ItemStatus.OPEN,
    _moves(
        {
            ItemStatus.OPEN: {ItemStatus.DONE, ItemStatus.SUPERSEDED, ItemStatus.WITHDRAWN, ItemStatus.DROPPED},
            ItemStatus.DONE: {ItemStatus.OPEN},
            ItemStatus.SUPERSEDED: {ItemStatus.OPEN},
            ItemStatus.WITHDRAWN: {ItemStatus.OPEN},
            ItemStatus.DROPPED: {ItemStatus.OPEN},
        }
    ),
)


# -- change requests -----------------------------------------------------------------------------


class ChangeStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"  # impact on scope, dates, cost known (a change the studio proposes starts here)
    NEEDS_INFO = "needs_info"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    APPLIED = "applied"  # the plan was updated: milestones moved, invitations updated


_UNDECIDED = {ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED, ChangeStatus.ASSESSED, ChangeStatus.NEEDS_INFO}
_DECISIONS = {ChangeStatus.ACCEPTED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN}

CHANGE = Lifecycle(
    "change request",
    ChangeStatus,
    ChangeStatus.RECEIVED,
    _moves(
        {
            ChangeStatus.RECEIVED: {ChangeStatus.ACKNOWLEDGED, ChangeStatus.ASSESSED, ChangeStatus.NEEDS_INFO} | _DECISIONS,
            ChangeStatus.ACKNOWLEDGED: {ChangeStatus.ASSESSED, ChangeStatus.NEEDS_INFO} | _DECISIONS,
            ChangeStatus.NEEDS_INFO: {ChangeStatus.ACKNOWLEDGED, ChangeStatus.ASSESSED} | _DECISIONS,
            ChangeStatus.ASSESSED: {ChangeStatus.NEEDS_INFO} | _DECISIONS,
            ChangeStatus.ACCEPTED: {ChangeStatus.APPLIED, ChangeStatus.WITHDRAWN, ChangeStatus.REJECTED},
            ChangeStatus.REJECTED: {ChangeStatus.ACCEPTED, ChangeStatus.ASSESSED},
            ChangeStatus.WITHDRAWN: {ChangeStatus.RECEIVED},
            ChangeStatus.APPLIED: set(),
        }
    ),
)

OPEN_CHANGES = frozenset(_UNDECIDED | {ChangeStatus.ACCEPTED})  # still asks something of someone
UNDECIDED_CHANGES = frozenset(_UNDECIDED)


# -- milestones ----------------------------------------------------------------------------------


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    REVIEW_SCHEDULED = "review_scheduled"
    MOVED = "moved"  # its date changed; the review follows at the next tick
    DONE = "done"  # signed off by the client, or gone live
    DROPPED = "dropped"  # no longer in the plan


MILESTONE = Lifecycle(
    "milestone",
    MilestoneStatus,
    MilestoneStatus.PLANNED,
    _moves(
        {
            MilestoneStatus.PLANNED: {MilestoneStatus.REVIEW_SCHEDULED, MilestoneStatus.MOVED, MilestoneStatus.DONE, MilestoneStatus.DROPPED},
            MilestoneStatus.REVIEW_SCHEDULED: {MilestoneStatus.MOVED, MilestoneStatus.DONE, MilestoneStatus.DROPPED, MilestoneStatus.PLANNED},
            MilestoneStatus.MOVED: {MilestoneStatus.REVIEW_SCHEDULED, MilestoneStatus.PLANNED, MilestoneStatus.DONE, MilestoneStatus.DROPPED},
            MilestoneStatus.DONE: {MilestoneStatus.PLANNED},
            MilestoneStatus.DROPPED: {MilestoneStatus.PLANNED},
        }
    ),
)


# -- meetings ------------------------------------------------------------------------------------


class MeetingStatus(StrEnum):
    PROPOSED = "proposed"  # someone suggested it; no time agreed yet
    AGREED = "agreed"  # both sides agreed a time
    INVITED = "invited"  # mailbot sent the invitation (UID, SEQUENCE)
    HELD = "held"  # its time has passed
    CANCELLED = "cancelled"


MEETING = Lifecycle(
    "meeting",
    MeetingStatus,
    MeetingStatus.PROPOSED,
    _moves(
        {
            MeetingStatus.PROPOSED: {MeetingStatus.AGREED, MeetingStatus.INVITED, MeetingStatus.CANCELLED},
            MeetingStatus.AGREED: {MeetingStatus.INVITED, MeetingStatus.PROPOSED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
            MeetingStatus.INVITED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
            MeetingStatus.HELD: set(),
            MeetingStatus.CANCELLED: {MeetingStatus.PROPOSED, MeetingStatus.AGREED, MeetingStatus.INVITED},
        }
    ),
)


# -- surveys, risks, projects --------------------------------------------------------------------


class SurveyStatus(StrEnum):
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"


SURVEY = Lifecycle(
    "survey",
    SurveyStatus,
    SurveyStatus.SENT,
    _moves({SurveyStatus.SENT: {SurveyStatus.ANSWERED, SurveyStatus.EXPIRED}, SurveyStatus.EXPIRED: {SurveyStatus.ANSWERED}, SurveyStatus.ANSWERED: set()}),
)


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"


RISK = Lifecycle(
    "risk",
    RiskStatus,
    RiskStatus.OPEN,
    _moves(
        {
            RiskStatus.OPEN: {RiskStatus.MITIGATED, RiskStatus.CLOSED},
            RiskStatus.MITIGATED: {RiskStatus.OPEN, RiskStatus.CLOSED},
            RiskStatus.CLOSED: {RiskStatus.OPEN},
        }
    ),
)


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"  # the last milestone signed off, or closed by the team: digests stop


PROJECT = Lifecycle(
    "project",
    ProjectStatus,
    ProjectStatus.ACTIVE,
    _moves({ProjectStatus.ACTIVE: {ProjectStatus.FINISHED}, ProjectStatus.FINISHED: {ProjectStatus.ACTIVE}}),
)


# -- outgoing mail -------------------------------------------------------------------------------


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by one process for the SMTP transaction
    SENT = "sent"
    STORED = "stored"  # no SMTP configured: the Maildir copy is the delivery
    FAILED = "failed"  # the last try failed; retried with backoff
    SUPPRESSED = "suppressed"  # the per-address limit held it back; never sent
    CANCELLED = "cancelled"  # its cause was overtaken before it went out (a change already decided)


OUTBOX = Lifecycle(
    "outgoing message",
    OutboxStatus,
    OutboxStatus.QUEUED,
    _moves(
        {
            OutboxStatus.QUEUED: {OutboxStatus.SENDING, OutboxStatus.STORED, OutboxStatus.CANCELLED},
            OutboxStatus.SENDING: {OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.STORED},
            OutboxStatus.FAILED: {OutboxStatus.SENDING, OutboxStatus.STORED, OutboxStatus.CANCELLED},
            OutboxStatus.SENT: set(),
            OutboxStatus.STORED: set(),
            OutboxStatus.SUPPRESSED: {OutboxStatus.QUEUED},  # released once the per-address limit allows it
            OutboxStatus.CANCELLED: set(),
        }
    ),
)


class MessageState(StrEnum):
    """A stored message: not a lifecycle of the plan, but the service's bookkeeping."""

    NEW = "new"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


LIFECYCLES: tuple[Lifecycle[ItemStatus] | Lifecycle[ChangeStatus] | Lifecycle[MilestoneStatus] | Lifecycle[MeetingStatus]
                  | Lifecycle[SurveyStatus] | Lifecycle[RiskStatus] | Lifecycle[ProjectStatus] | Lifecycle[OutboxStatus], ...] = (
    ITEM, CHANGE, MILESTONE, MEETING, SURVEY, RISK, PROJECT, OUTBOX,
)


def diagram(lifecycle: Lifecycle[Any]) -> str:
    """The lifecycle as a Mermaid state diagram (ARCHITECTURE.md holds one per lifecycle; a test
    keeps them equal to these tables)."""
    lines = ["stateDiagram-v2", f"    [*] --> {lifecycle.initial}"]
    lines += [f"    {old} --> {new}" for old, new in lifecycle.edges()]
    return "\n".join(lines)
