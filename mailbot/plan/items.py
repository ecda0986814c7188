"""Commitments and requests: one item per real-world thing.

A new promise or ask becomes an item unless it is something the plan already holds:

- a line that restates a milestone ("需求与原型确认：3月6日", "Go-live: 19 June") is that
  milestone, not a task;
- the same thing said again (in the minutes and in the mail, chased, restated) is the item it
  restates, with one more source;
- a promise that answers an ask of the same side ("原型能不能2月25日前先给我们看一下？" →
  "原型我们2月24日前发给您") is that item, owed by the promiser, due on the promised date;
- a new date for the same thing ("we'll have them to you on Tuesday 3 March instead of this
  Friday") is that item with the new due; the old one stays in its history.

"Name：task" lines of minutes belong to that person's side, whoever sent the minutes (the
stakeholder list knows the party: `people.People`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from mailbot.lifecycle import UNDECIDED_CHANGES, Cause, ItemStatus
from mailbot.plan import changes, milestones
from mailbot.plan.closing import common_terms as closing_common
from mailbot.plan.context import Context
from mailbot.plan.text import (
    ACTION_TERMS,
    ARRANGEMENT,
    ASKS_ASSESS,
    ASKS_DECISION,
    ASKS_MORE,
    ASKS_SCORE,
    AVAILABILITY,
    CHASE,
    CHOICE,
    CONDITION,
    DONT,
    FOLLOWS,
    IMPACT,
    PICK,
    RESCHEDULE,
    REVIEW,
    STANDING,
    VAGUE_ASK,
    cue,
    delivers,
    moves_dates,
    sentence_of,
    similarity,
    terms,
)
from mailbot.store.records import Item
from parsing import patterns as rx
from parsing.model import Finding, Kind, Party, SignalKind


@dataclass(frozen=True, slots=True)
class Match:
    item: Item
    role: str  # restated | answered | rescheduled
    score: float


def apply_item(ctx: Context, finding: Finding, finding_id: int, *, reschedule: bool = False) -> None:
    """Record a commitment or request: as a new item, or as what it restates."""
    text = finding.text
    by = str(finding.by) if finding.by else None
    who = ctx.who
    owner = ctx.people.owner_of(text) or ctx.people.owner_of(_line_of(ctx.extraction.body, text))
    if owner is not None:
        by, who = owner.party, owner.address or ""
    if text.rstrip().endswith((":", "：")) or changes.studio_proposal(ctx, finding, finding_id) \
            or _part_of_something(ctx, finding, finding_id) or _a_decision(ctx, text):
        return  # a heading, a proposal, part of a meeting or a change, a decision: no task
    if finding.kind is Kind.COMMITMENT and owner is None and not delivers(text):
        return  # courtesy, context, a meeting's agenda: nothing a PM tracks
    if finding.kind is Kind.COMMITMENT and finding.due is None and (ARRANGEMENT.search(sentence_of(ctx.extraction.body, text))
                                                                     or FOLLOWS.search(text) or CONDITION.search(text)):
        return  # "…由我方负责部署", "上线计划我们同步调整", "后面有调整我们会更新版本号": who does what, what follows, what if
    if finding.kind is Kind.REQUEST and (DONT.match(text.strip().lower().removeprefix("please ")) or DONT.search(text[:4])
                                         or (not finding.due and (VAGUE_ASK.search(text) or STANDING.search(text) or PICK.search(text)
                                                                  or _nothing_named(text)))):
        return  # "please don't …", "请勿外传", "please keep an eye on it", "on all invoices", "Option B pls", "please do it"
    if finding.kind is Kind.COMMITMENT and finding.due is None and _about_a_change(ctx, text):
        return  # "快闪店物料我们可以做，但属于新增范围，需要单独报价": the studio's answer to the change, part of it
    if finding.kind is Kind.REQUEST and ctx.party is Party.CLIENT and ASKS_MORE.search(text) and not finding.due:
        changes.apply_change(ctx, Finding(Kind.CHANGE_REQUEST, text, by=finding.by, due=finding.due, due_text=finding.due_text),
                             finding_id)
        return
    milestone = milestones.restated(ctx.store, ctx.project.key, text, finding.due)
    if milestone is not None:
        ctx.store.sources.add(project_key=ctx.project.key, item="milestones", item_id=milestone.id, message_id=ctx.message_id,
                              text=text, role="restated", at=ctx.at, finding_id=finding_id)
        return
    match = same_item(ctx, finding, by, reschedule=reschedule)
    if match is not None:
        _merge(ctx, match, finding, finding_id)
        return
    item_id = ctx.store.items.add(
        project_key=ctx.project.key,
        kind=str(finding.kind),
        text=text,
        by=by,
        who=who,
        due=finding.due.isoformat() if finding.due else None,
        due_text=finding.due_text,
        message_id=ctx.message_id,
        finding_id=finding_id,
        at=ctx.at,
        internal=ctx.internal,
    )
    subject = ctx.email.subject or ""
    named = milestones.named(ctx.store, ctx.project.key, text) or (  # the minutes of a milestone's review: its work
        milestones.named(ctx.store, ctx.project.key, subject) if REVIEW.search(subject) and not moves_dates(subject) else None)
    if named is not None:
        item = ctx.store.items.get(item_id)
        if item is not None:
            ctx.store.items.set_milestone(item, named.id)


def _about_a_change(ctx: Context, text: str) -> bool:
    """An undated word of the studio's on an undecided change of the client's, in its thread."""
    if ctx.party is not Party.US:
        return False
    thread = set(ctx.in_thread("change_requests"))
    wanted = terms(text) - ACTION_TERMS
    for change in ctx.store.changes.of_project(ctx.project.key, UNDECIDED_CHANGES):
        if change.origin == "client" and change.id in thread and len(wanted & terms(change.text)) >= 2:
            ctx.store.sources.add(project_key=ctx.project.key, item="change_requests", item_id=change.id, message_id=ctx.message_id,
                                  text=text, role="discussed", at=ctx.at)
            return True
    return False


_ASKING = cue(r"请|麻烦|帮忙|一下|\b(?:please|pls|kindly|okay|ok|do|it|ask|this|that|go|ahead|thanks)\b", re.I)
_LINK = rx.compile(r"https?://\S+|www\.\S+")


def _nothing_named(text: str) -> bool:
    """An ask that names nothing to deliver once its asking words and links are gone ("okay,
    please do it.", "please ask.", a bare link to a document)."""
    return _LINK.match(text.strip()) is not None or not (terms(_ASKING.sub(" ", _LINK.sub(" ", text))) - ACTION_TERMS)


def _line_of(body: str, text: str) -> str:
    """The line of `body` that holds `text` (where minutes put the owner's name before it)."""
    head = text[:20]
    for line in body.splitlines():
        if head and head in line:
            return line
    return ""


def _a_decision(ctx: Context, text: str) -> bool:
    """A "promise" that is a decision about something else ("we'll park it for phase 2", "这个需求
    撤回"): the closing and change rules read it; it is no task."""
    decided = ctx.extraction.signalled(SignalKind.WITHDRAWN) + ctx.extraction.signalled(SignalKind.REFUSED)
    if any(clause in text or text in clause for clause in decided) or CHOICE.search(text):
        return True  # … and "we'll launch with the claim version" is a choice made, not work to do
    return any(text.strip() == clause.strip() for clause in ctx.extraction.signalled(SignalKind.AGREED))  # "Yes please to …"


def _part_of_something(ctx: Context, finding: Finding, finding_id: int) -> bool:
    """An ask that belongs to something else of the same message or thread: whether a proposed
    time suits ("陈总方便吗？") goes with the meeting, an ask to assess ("麻烦评估一下影响大不大")
    with the change, an ask for a score with the survey. None of them is a task of its own."""
    if finding.kind is not Kind.REQUEST:
        return False
    text = finding.text
    if ASKS_SCORE.search(text):
        return True
    if AVAILABILITY.search(text) and not finding.due:
        meeting = next((f for f in ctx.extraction.findings if f.kind is Kind.MEETING), None)
        if meeting is not None or ctx.in_thread("meetings"):
            return True
    if ASKS_ASSESS.search(text) and not finding.due:  # a dated ask to assess is a deadline the team must meet
        stated = [c for c in ctx.store.changes.of_project(ctx.project.key) if c.message_id == ctx.message_id]
        thread = ctx.in_thread("change_requests")
        target = stated[-1].id if stated else (thread[0] if thread else None)
        if target is not None:
            ctx.store.sources.add(project_key=ctx.project.key, item="change_requests", item_id=target, message_id=ctx.message_id,
                                  text=text, role="assess", at=ctx.at, finding_id=finding_id)
            return True
    if ctx.party is Party.US and not finding.due and ASKS_DECISION.search(text):
        # "Let us know how you'd like to proceed", "麻烦王蕾、Claire确认是否接受": the question the estimate or
        # the proposal of this message puts; its answer decides the change
        proposing = any(f.kind is Kind.CHANGE_REQUEST for f in ctx.extraction.findings)
        if proposing or (ctx.in_thread("change_requests") and IMPACT.search(ctx.extraction.body)):
            return True
    return False


def reschedule_matching(ctx: Context, finding: Finding, finding_id: int) -> bool:
    """A slip said as a risk ("现在需要顺延到5月12日"): the promise of ours it moves gets the new
    date; nothing is made when none matches."""
    from mailbot.plan.changes import new_date

    due = new_date(finding.text, ctx, finding.due)
    if due is None:
        return False
    moved = Finding(Kind.COMMITMENT, finding.text, by=ctx.party, due=dt.date.fromisoformat(due), due_text=finding.due_text)
    match = same_item(ctx, moved, str(ctx.party), reschedule=True)
    if match is None:
        return False
    _merge(ctx, Match(match.item, "rescheduled", match.score), moved, finding_id)
    return True


def same_item(ctx: Context, finding: Finding, by: str | None, *, reschedule: bool = False) -> Match | None:
    """The open item of side `by` that `finding` says again, answers or reschedules, if any."""
    text = finding.text
    common = closing_common(ctx)
    wanted = terms(text) - common
    subject = terms(ctx.email.subject or "") - common
    thread = set(ctx.in_thread("items"))
    parent = set(ctx.replies_to("items"))
    slipping = any(f.kind is Kind.RISK for f in ctx.extraction.findings) and finding.due is not None
    moving = reschedule or slipping or RESCHEDULE.search(text) is not None
    open_items = [i for i in ctx.open_items() if i.by == by]
    sources = ctx.store.sources.of_many("items", [i.id for i in open_items])
    best: Match | None = None
    for item in open_items:
        texts = [item.text] + [s.text or "" for s in sources.get(item.id, []) if s.role != "closed"]
        sim = max(similarity(text, t) for t in texts)
        shared = max(len(wanted & (terms(t) - common)) for t in texts)
        near = item.id in thread or ctx.quotes(item.text)
        role = "rescheduled" if moving and _due(finding) != item.due else "restated"
        score = 0.0
        if finding.kind is Kind.COMMITMENT and item.kind == "request" and (item.id in parent or near) \
                and (shared >= 1 or (item.id in parent and len(wanted) <= 3
                                     and _only(item, parent, [i for i in open_items if i.kind == "request"]))):
            score, role = 0.45 + shared / 10 + sim / 2, "answered"  # the promise that answers the ask, with its own date
        elif sim >= 0.6 or (shared >= 3 and sim >= 0.35):
            score = sim + 0.5
        elif near and shared >= 2:
            score = 0.5 + shared / 10
        elif shared >= 1 and _due(finding) and _due(finding) == item.due:
            score = 0.45  # the same day and a word in common: the same thing said again
        elif finding.kind is Kind.REQUEST and CHASE.search(text) and max(len(wanted & (terms(t) - ACTION_TERMS)) for t in texts) >= 1:
            score = 0.42  # "any news on the brochure photos?" chases the promise to send them
        elif moving and (near or item.message_id == ctx.message_id) and (shared >= 1 or _only(item, thread, open_items)):
            score, role = 0.4 + shared / 10, "rescheduled"
        elif (reschedule or RESCHEDULE.search(text)) and max(len(subject & terms(t)) for t in texts) >= 1:
            score, role = 0.35, "rescheduled"  # "Wireframes – small delay": "we'll have them to you on the 3rd instead"
        if score and _dates_clash(finding, item, moving, role):
            score = 0.0
        if score and (best is None or score > best.score):
            best = Match(item, role, score)
    return best


def _only(item: Item, ids: set[int], open_items: list[Item]) -> bool:
    """`item` is the only open item of its side among `ids` (the thread's, or the parent's)."""
    return [i.id for i in open_items if i.id in ids] == [item.id]


def _due(finding: Finding) -> str | None:
    return finding.due.isoformat() if finding.due else None


def _dates_clash(finding: Finding, item: Item, moving: bool, role: str) -> bool:
    """Two dated promises of different dates are two things, unless one moves the other or
    answers it with its own date."""
    due = _due(finding)
    return bool(due and item.due and due != item.due and not moving and role == "restated"
                and similarity(finding.text, item.text) < 0.8)


def _merge(ctx: Context, match: Match, finding: Finding, finding_id: int) -> None:
    item = match.item
    ctx.store.sources.add(project_key=ctx.project.key, item="items", item_id=item.id, message_id=ctx.message_id, text=finding.text,
                          role=match.role, at=ctx.at, finding_id=finding_id)
    due = _due(finding)
    if due and due != item.due and (match.role in ("answered", "rescheduled") or item.due is None or _later(ctx, item)):
        ctx.store.items.reschedule(item, due, finding.due_text, ctx.cause, ctx.at)


def _later(ctx: Context, item: Item) -> bool:
    """The new statement is later than the item's last word on its date."""
    return (item.updated_at or "") <= ctx.at


def covered_by(ctx: Context, milestone_id: int, due: str) -> None:
    """A milestone signed off covers the open items of the studio's work for it: those that name
    it and fall due by its date."""
    milestone = ctx.store.milestones.get(milestone_id)
    if milestone is None:
        return
    for item in ctx.store.items.open(ctx.project.key, by="us"):  # the client's own deliverables are not covered by its sign-off
        named = item.milestone_id == milestone.id or milestones.named(ctx.store, ctx.project.key, item.text) == milestone
        if (named and (item.due is None or item.due <= due)) or item.due == milestone.due:  # or due with it: part of it
            ctx.store.items.set_status(item, ItemStatus.DONE, Cause.message(ctx.message_id, f"covered by {milestone.ref}"), ctx.at)
