"""Findings → plan: one applier per finding kind, registered by kind.

`apply(store, settings, project, extraction, message_key, now)` runs inside the message's
transaction, in this order:

1. the message's lines are counted per sender (`boilerplate`): a finding inside a line that
   recurs across their mail makes nothing, and items made from it before are dropped;
2. every finding is stored and handed to the applier of its kind (`items`, `changes`,
   `meetings`, and the small ones here); appliers write the plan through the store and say
   what mail the message calls for as `Decision`s, which the service carries out in the same
   transaction;
3. what the message says about what was said before (`closing`, `changes`, `meetings`):
   work delivered or received, sign-offs, answers, withdrawals, yes and no to changes and
   meetings.

Adding a kind means adding an applier, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, ItemStatus, MeetingStatus, MilestoneStatus
from mailbot.plan import boilerplate, changes, closing, items, meetings, milestones
from mailbot.plan.context import HORIZON, AckDecision, CancelAck, CancelMeeting, Context, Decision, MoveMeeting, ProposalDecision
from mailbot.plan.people import internal, people_of
from mailbot.plan.text import APPROVES, CONDITION, RESCHEDULE, SIGN_OFF_SUBJECT, delivers, moves_dates, terms
from mailbot.store import Store, iso
from mailbot.store.items import FindingRow
from parsing.model import Extraction, Finding, Kind, Party

LOCAL = "%Y-%m-%dT%H:%M"

__all__ = ["APPLIERS", "AckDecision", "Applied", "CancelAck", "CancelMeeting", "Decision", "MoveMeeting", "ProposalDecision", "apply",
           "applies_to"]


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


def apply(store: Store, settings: Settings, project: Project, extraction: Extraction, message_key: str, now: dt.datetime) -> Applied:
    """Write what the message says into the plan of `project` (inside the caller's transaction)."""
    email = extraction.email
    when = email.date or now
    contacts = store.projects.contacts()
    ctx = Context(
        store=store,
        settings=settings,
        project=project,
        extraction=extraction,
        message_key=message_key,
        when=when,
        at=iso(when),
        who=email.sender.address if email.sender else "",
        internal=internal(email, settings),
        people=people_of(settings, project, contacts),
    )
    named = {c.address: c.name for c in contacts}
    for person in ([email.sender] if email.sender else []) + list(email.recipients):
        if person.address in named and (named[person.address] or not person.name):
            continue  # known, and remembering would change nothing: a name learnt later fills only an empty one
        party = ctx.people.party_of(person.address) or ("us" if person.address == ctx.who and extraction.party is Party.US else "")
        store.projects.remember_contact(person.address, person.name, party, ctx.at)
        named[person.address] = named.get(person.address) or person.name
    _count_lines(ctx)
    finding_ids = []
    for finding in _joined(extraction.findings):
        finding_id = store.findings.add(_row(project.key, message_key, finding))
        finding_ids.append(finding_id)
        if any(boilerplate.inside(finding.text, line) for line in ctx.boilerplate):
            continue  # a banner, a disclaimer: never an item
        APPLIERS[finding.kind](ctx, finding, finding_id)
    closing.close_by_signals(ctx)
    meetings.by_signals(ctx)
    return Applied(tuple(finding_ids), tuple(ctx.decisions))


def _joined(findings: tuple[Finding, ...]) -> list[Finding]:
    """A promise cut in two ("运维手册和后台操作手册，| 我们6月19日前提交"): a bare thing with no
    date, then a dated clause of the same kind that names no thing of its own, are one."""
    out: list[Finding] = []
    for finding in findings:
        previous = out[-1] if out else None
        if previous is not None and previous.kind is finding.kind and finding.kind in (Kind.COMMITMENT, Kind.REQUEST) \
                and previous.due is None and finding.due is not None and len(terms(finding.text)) <= 2 and not delivers(previous.text):
            out[-1] = replace(finding, text=f"{previous.text}，{finding.text}")
            continue
        out.append(finding)
    return out


def _row(project_key: str, message_key: str, finding: Finding) -> FindingRow:
    return FindingRow(
        message_key=message_key,
        project_key=project_key,
        kind=str(finding.kind),
        text=finding.text,
        by=str(finding.by) if finding.by else None,
        due=finding.due.isoformat() if finding.due else None,
        due_text=finding.due_text,
        sentiment=finding.sentiment,
        score=finding.score,
        start=finding.start.strftime(LOCAL) if finding.start else None,
    )


def _count_lines(ctx: Context) -> None:
    """Count this message's lines per sender and domain; note those that now recur, and drop
    the open items made from them before."""
    if not ctx.who:
        return
    lines = boilerplate.Lines.of(ctx.extraction.body)
    if not lines.lines:
        return
    scopes = [ctx.who, "@" + ctx.who.rpartition("@")[2]]
    counted = [ctx.store.recurring.count(scope, lines.digests(), ctx.message_key) for scope in scopes]
    for digest, (line, _) in lines.lines.items():
        if boilerplate.recurring(c[digest] for c in counted):
            ctx.boilerplate.append(line)
    if not ctx.boilerplate:
        return
    cause = Cause.message(ctx.message_id, "a line that recurs in the sender's mail")
    for item in ctx.open_items(about="\n".join(ctx.boilerplate)):  # an item stating one of these lines shares its terms
        if any(boilerplate.inside(item.text, line) for line in ctx.boilerplate):
            ctx.store.items.set_status(item, ItemStatus.DROPPED, cause, ctx.at)
    # proposals pile up over the years (400 open at 45,000 messages); one older than the horizon is no candidate, as items
    for meeting in ctx.store.meetings.of_project(ctx.project.key, status=MeetingStatus.PROPOSED, since=iso(ctx.when - HORIZON)):
        if meeting.title and any(boilerplate.inside(meeting.title, line) for line in ctx.boilerplate):
            ctx.store.meetings.set_status(meeting.id, MeetingStatus.CANCELLED, cause, ctx.at)


# -- the appliers -------------------------------------------------------------------------------


@applies_to(Kind.COMMITMENT)
@applies_to(Kind.REQUEST)
def _item(ctx: Context, finding: Finding, finding_id: int) -> None:
    items.apply_item(ctx, finding, finding_id)


@applies_to(Kind.CHANGE_REQUEST)
def _change_request(ctx: Context, finding: Finding, finding_id: int) -> None:
    changes.apply_change(ctx, finding, finding_id)


@applies_to(Kind.MEETING)
def _meeting(ctx: Context, finding: Finding, finding_id: int) -> None:
    meetings.apply_meeting(ctx, finding, finding_id)


@applies_to(Kind.APPROVAL)
def _approval(ctx: Context, finding: Finding, finding_id: int) -> None:
    """A yes: to a change it names or answers; from the client, the sign-off of the milestone
    its words (or, when it names nothing, the subject) name; and it closes the ask for it."""
    text = finding.text
    if changes.studio_proposal(ctx, finding, finding_id):
        return  # "我们建议把UI定稿节点顺延到4月17日" is a proposal, whatever it sounds like
    # the clause that approves names what is signed off: "设计稿我们确认通过，…开发那边可以全面铺开了" signs off the design
    signs = None if moves_dates(text) else milestones.named_in_clauses(ctx.store, ctx.project.key, text, about_dates=False,
                                                                         saying=APPROVES)
    # a sign-off decides only the changes to what it signs off ("首页设计确认通过" takes the homepage's new colour with it)
    decided = changes.decide(ctx, text, Kind.APPROVAL, about=signs) or (signs is None and changes.agreed_schedule(ctx, text))
    milestone = None
    if not moves_dates(text):
        milestone = signs
        if decided and milestone is not None and not milestones.by_name(milestone, text):
            milestone = None  # "门店查询页就按你们的方案做，和内页一起设计": a yes to a change, no sign-off of 内页设计
        subject = ctx.email.subject or ""
        if milestone is None and not decided and not moves_dates(subject) and SIGN_OFF_SUBJECT.search(subject):
            milestone = milestones.named(ctx.store, ctx.project.key, subject)
    ctx.store.reactions.add_approval(
        project_key=ctx.project.key, text=text, who=ctx.who, message_id=ctx.message_id, finding_id=finding_id,
        milestone_id=milestone.id if milestone else None, at=ctx.at,
    )
    closing.signed_off(ctx, text)
    closing.close(ctx, text, owed_by=ctx.party, status=ItemStatus.DONE, why="approved", least=0.9)
    closing.close(ctx, text, owed_by=ctx.other, status=ItemStatus.DONE, why="accepted", least=0.8)  # the work it approves
    if ctx.party is Party.CLIENT and milestone is not None and milestone.status != MilestoneStatus.DONE:
        milestones.sign_off(ctx.store, milestone, ctx.cause, ctx.at)
        items.covered_by(ctx, milestone.id, milestone.due)


@applies_to(Kind.FEEDBACK)
def _feedback(ctx: Context, finding: Finding, finding_id: int) -> None:
    """An opinion; a glad one on work of the other side ("the darker teal and the phone number in
    the footer are exactly what we wanted") says that work arrived."""
    milestone = milestones.named(ctx.store, ctx.project.key, finding.text)
    if finding.sentiment == "positive":
        closing.close(ctx, finding.text, owed_by=ctx.other, status=ItemStatus.DONE, why="accepted", least=0.8)
    ctx.store.reactions.add_feedback(
        project_key=ctx.project.key, text=finding.text, sentiment=finding.sentiment, who=ctx.who, message_id=ctx.message_id,
        finding_id=finding_id, milestone_id=milestone.id if milestone else None, at=ctx.at,
    )


@applies_to(Kind.RISK)
def _risk(ctx: Context, finding: Finding, finding_id: int) -> None:
    """A risk; the studio's proposal to move a milestone said as one is that proposal, and the
    studio's own slip ("现在需要顺延到5月12日") moves the promise it names as well."""
    if changes.studio_proposal(ctx, finding, finding_id):
        return
    if ctx.party is Party.US and RESCHEDULE.search(finding.text) and not CONDITION.search(finding.text):
        items.reschedule_matching(ctx, finding, finding_id)
    ctx.store.reactions.add_risk(project_key=ctx.project.key, text=finding.text, who=ctx.who, message_id=ctx.message_id,
                                 finding_id=finding_id, at=ctx.at)


@applies_to(Kind.SURVEY_RESPONSE)
def _survey_response(ctx: Context, finding: Finding, finding_id: int) -> None:
    ctx.store.reactions.answer_survey(
        project_key=ctx.project.key, address=ctx.who, score=finding.score, comment=finding.text, message_id=ctx.message_id,
        cause=ctx.cause, at=ctx.at,
    )
