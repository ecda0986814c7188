"""Findings → plan: one applier per finding kind, registered by kind.

`apply(store, project, extraction, message_key, now)` runs inside the message's transaction. It
stores every finding, hands each to the applier of its kind, then lets the message's reports of
work done and received close what they name (`closing`). Appliers write the plan through the
store and say what mail the message calls for as `Decision`s; the service carries those out in
the same transaction. Adding a kind means adding an applier here, nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mailbot.config import Project
from mailbot.lifecycle import OPEN_CHANGES, Cause, ChangeStatus, MilestoneStatus
from mailbot.plan import closing
from mailbot.store import Store, iso
from mailbot.store.items import FindingRow
from mailbot.store.records import Milestone
from parsing.model import Email, Extraction, Finding, Kind, Party

LOCAL = "%Y-%m-%dT%H:%M"


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


Decision = AckDecision | ProposalDecision


@dataclass
class Context:
    """One message being applied to one project."""

    store: Store
    project: Project
    extraction: Extraction
    message_key: str
    at: str  # when it was said: the message's Date (UTC ISO), else the clock
    who: str  # the sender's address
    decisions: list[Decision] = field(default_factory=list)

    @property
    def email(self) -> Email:
        return self.extraction.email

    @property
    def party(self) -> Party:
        return self.extraction.party

    @property
    def cause(self) -> Cause:
        return Cause.message(self.email.message_id)


@dataclass(frozen=True, slots=True)
class Applied:
    """What `apply` wrote: the finding ids (in the extraction's order) and what to send."""

    finding_ids: tuple[int, ...]
    decisions: tuple[Decision, ...]

    @property
    def acks(self) -> tuple[AckDecision, ...]:
        return tuple(d for d in self.decisions if isinstance(d, AckDecision))


Applier = Callable[[Context, Finding, int], None]
APPLIERS: dict[Kind, Applier] = {}


def applies_to(kind: Kind) -> Callable[[Applier], Applier]:
    """Register the decorated function as the applier of `kind`."""

    def register(function: Applier) -> Applier:
        if kind in APPLIERS:
            raise ValueError(f"two appliers for {kind}")
        APPLIERS[kind] = function
        return function

    return register


def apply(store: Store, project: Project, extraction: Extraction, message_key: str, now: dt.datetime) -> Applied:
    """Write the extraction's findings into the plan of `project` (inside the caller's transaction)."""
    email = extraction.email
    who = email.sender.address if email.sender else ""
    ctx = Context(store, project, extraction, message_key, iso(email.date) if email.date else iso(now), who)
    if email.sender:
        store.projects.remember_contact(who, email.sender.name, str(extraction.party), ctx.at)
    finding_ids = []
    for finding in extraction.findings:
        finding_id = store.findings.add(_row(project.key, message_key, finding))
        finding_ids.append(finding_id)
        APPLIERS[finding.kind](ctx, finding, finding_id)
    closing.close_reported(ctx.store, project.key, extraction, ctx.cause, ctx.at)
    return Applied(tuple(finding_ids), tuple(ctx.decisions))


def _row(project_key: str, message_key: str, finding: Finding) -> FindingRow:
    return FindingRow(
        message_key=message_key,
        project_key=project_key,
        kind=str(finding.kind),
        text=finding.text,
        by=str(finding.by) if finding.by else None,
        due=_day(finding.due),
        due_text=finding.due_text,
        sentiment=finding.sentiment,
        score=finding.score,
        start=finding.start.strftime(LOCAL) if finding.start else None,
    )


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- the appliers -------------------------------------------------------------------------------


@applies_to(Kind.COMMITMENT)
@applies_to(Kind.REQUEST)
def _item(ctx: Context, finding: Finding, finding_id: int) -> None:
    ctx.store.items.add(
        project_key=ctx.project.key,
        kind=str(finding.kind),
        text=finding.text,
        by=str(finding.by) if finding.by else None,
        who=ctx.who,
        due=_day(finding.due),
        due_text=finding.due_text,
        message_id=ctx.email.message_id,
        finding_id=finding_id,
        at=ctx.at,
    )


@applies_to(Kind.CHANGE_REQUEST)
def _change_request(ctx: Context, finding: Finding, finding_id: int) -> None:
    if _known_change(ctx.store, ctx.project.key, finding.text):
        return  # said again (a resend, a forward, a robot echoing it): one CR, one ack
    change = ctx.store.changes.add(
        project_key=ctx.project.key, text=finding.text, who=ctx.who, message_id=ctx.email.message_id, finding_id=finding_id, at=ctx.at
    )
    if ctx.party is Party.CLIENT:
        ctx.decisions.append(AckDecision(ctx.project.key, change.number, finding.text))


@applies_to(Kind.APPROVAL)
def _approval(ctx: Context, finding: Finding, finding_id: int) -> None:
    milestone = signed_off_milestone(ctx.store, ctx.project.key, finding.text, ctx.email.subject)
    ctx.store.reactions.add_approval(
        project_key=ctx.project.key, text=finding.text, who=ctx.who, message_id=ctx.email.message_id, finding_id=finding_id,
        milestone_id=milestone.id if milestone else None, at=ctx.at,
    )
    if milestone and milestone.status != MilestoneStatus.DONE and ctx.party is Party.CLIENT:
        ctx.store.milestones.set_status(milestone, MilestoneStatus.DONE, ctx.cause, ctx.at, done_by=ctx.email.message_id)


@applies_to(Kind.FEEDBACK)
def _feedback(ctx: Context, finding: Finding, finding_id: int) -> None:
    milestone = named_milestone(ctx.store, ctx.project.key, [finding.text])
    ctx.store.reactions.add_feedback(
        project_key=ctx.project.key, text=finding.text, sentiment=finding.sentiment, who=ctx.who, message_id=ctx.email.message_id,
        finding_id=finding_id, milestone_id=milestone.id if milestone else None, at=ctx.at,
    )


@applies_to(Kind.RISK)
def _risk(ctx: Context, finding: Finding, finding_id: int) -> None:
    ctx.store.reactions.add_risk(project_key=ctx.project.key, text=finding.text, who=ctx.who, message_id=ctx.email.message_id,
                                 finding_id=finding_id, at=ctx.at)


@applies_to(Kind.MEETING)
def _meeting(ctx: Context, finding: Finding, finding_id: int) -> None:
    ctx.store.meetings.add(
        {
            "project_key": ctx.project.key,
            "finding_id": finding_id,
            "message_id": ctx.email.message_id,
            "title": finding.text,
            "start": finding.start.strftime(LOCAL) if finding.start else None,
            "status": "proposed",
            "kind": "proposed",
            "created_at": ctx.at,
        },
        ctx.cause,
        ctx.at,
    )
    if ctx.party is Party.CLIENT and finding.start is not None:
        ctx.decisions.append(ProposalDecision(ctx.project.key, finding, finding_id))


@applies_to(Kind.SURVEY_RESPONSE)
def _survey_response(ctx: Context, finding: Finding, finding_id: int) -> None:
    ctx.store.reactions.answer_survey(
        project_key=ctx.project.key, address=ctx.who, score=finding.score, comment=finding.text, message_id=ctx.email.message_id,
        cause=ctx.cause, at=ctx.at,
    )


# -- helpers ------------------------------------------------------------------------------------


def _known_change(store: Store, project_key: str, text: str) -> bool:
    """An open change request of the project with the same words (spacing and case aside)."""
    key = _normalise(text)
    return any(_normalise(c.text) == key for c in store.changes.of_project(project_key, OPEN_CHANGES | {ChangeStatus.NEEDS_INFO}))


def _normalise(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def named_milestone(store: Store, project_key: str, texts: Iterable[str | None]) -> Milestone | None:
    """The milestone whose name appears in one of `texts` (the longest name wins)."""
    milestones = store.milestones.of_project(project_key, include_dropped=False)
    for text in texts:
        if not text:
            continue
        named = [m for m in milestones if m.name and m.name.lower() in text.lower()]
        if named:
            return max(named, key=lambda m: len(m.name))
    return None


_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
_ABOUT_DATES = re.compile(r"时间|日期|节点|顺延|推迟|延期|提前|\b(dates?|deadline|schedule|postpone|delay|move[sd]?|slip)\b", re.I)


def signed_off_milestone(store: Store, project_key: str, text: str, subject: str) -> Milestone | None:
    """The milestone an approval signs off: named in a clause of the approval that is not about
    dates ("上线时间不变" accepts a schedule, not the launch), else named by the subject when the
    subject is not about dates either ("Approved, go ahead" under "Re: 首页设计 v2")."""
    for clause in [*_CLAUSE.split(text), subject]:
        milestone = named_milestone(store, project_key, [clause])
        if milestone and not _ABOUT_DATES.search(clause):
            return milestone
    return None
