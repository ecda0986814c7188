"""Meetings learnt from mail: a proposal, its counter-proposals, its acceptance, its invitation
and its replies are one meeting (proposed → agreed → invited → held / cancelled).

- A meeting finding in the thread of a meeting the plan holds (or naming a milestone's review)
  is about that meeting: the same time again from the other side agrees it, a new time is a
  counter-proposal, no time is talk about it.
- A yes from the other side ("周四下午三点可以", "Thursday 3pm works", "好的" in reply to the
  proposal) agrees the proposal; agreed meetings are invited at the next tick.
- A time proposed for an invited meeting (a milestone's review, or a meeting mailbot already
  invited to) waits as a proposal that replaces it; agreed, it moves the meeting (an iMIP
  update with the same UID) and the proposal is merged into it. A client's proposal with a
  time is answered at once, as before: mailbot invites for it, or for the nearest free slot.
- "明天的会取消吧" / "let's cancel Thursday's call" cancels the meeting of its thread (or the
  next one it names): a CANCEL goes out when it was invited.
"""

from __future__ import annotations

import datetime as dt

from mailbot.lifecycle import MeetingStatus, MilestoneStatus
from mailbot.plan import milestones
from mailbot.plan.context import CancelMeeting, Context, MoveMeeting, ProposalDecision
from mailbot.plan.text import REVIEW, sentence_of, terms
from mailbot.store.records import Meeting
from parsing.model import Finding, Party, SignalKind

LOCAL = "%Y-%m-%dT%H:%M"
_LIVE = (MeetingStatus.PROPOSED, MeetingStatus.AGREED, MeetingStatus.INVITED)


def apply_meeting(ctx: Context, finding: Finding, finding_id: int) -> None:
    start = finding.start.strftime(LOCAL) if finding.start else None
    meeting = _about(ctx, finding.text)
    here = ctx.store.meetings.of_message(ctx.project.key, ctx.message_id)
    if meeting is None and here and (start is None or any(m.start == start for m in here)):
        # "腾讯会议或者来我们公司都可以" after the proposal it belongs to; the English of a bilingual mail
        _source(ctx, next((m for m in here if m.start == start), here[-1]), finding.text, finding_id)
        return
    if meeting is None:
        review = _review(ctx, sentence_of(ctx.extraction.body, finding.text))  # "Happy to walk you through them – would Thursday…"
        if review is not None and start is not None:
            if review.status == MeetingStatus.HELD:
                _new_review(ctx, review, finding, finding_id, start)
            else:
                _propose_for(ctx, review, start, finding, finding_id)
            return
        _new(ctx, finding, finding_id, start)
        return
    _source(ctx, meeting, finding.text, finding_id)
    if start is None:
        return
    if meeting.start == start:
        if meeting.proposed_by != str(ctx.party):
            agree(ctx, meeting)
        return
    if meeting.status == MeetingStatus.INVITED or meeting.replaces is not None:
        target = ctx.store.meetings.get(meeting.replaces) if meeting.replaces else meeting
        _propose_for(ctx, target, start, finding, finding_id)
        return
    ctx.store.meetings.change(meeting.id, {"start": start, "end": None, "proposed_by": str(ctx.party), "updated_at": ctx.at})
    if meeting.status == MeetingStatus.AGREED:
        ctx.store.meetings.set_status(meeting.id, MeetingStatus.PROPOSED, ctx.cause, ctx.at)


def new_day(ctx: Context, finding: Finding, finding_id: int) -> None:
    """An ask to move a meeting to another day ("Can we move the design review to Thursday the
    9th, same time?"): the meeting of the thread (or the review it names) at that day, at its
    own time unless another is given."""
    if finding.due is None:
        return
    meeting = _about(ctx, finding.text) or _review(ctx, finding.text)
    if meeting is None or not meeting.start:
        return
    start = finding.start.strftime(LOCAL) if finding.start else f"{finding.due.isoformat()}T{meeting.start[11:16]}"
    moved = Finding(finding.kind, finding.text, by=finding.by, due=finding.due, start=dt.datetime.fromisoformat(start))
    if meeting.status == MeetingStatus.INVITED or meeting.replaces is not None:
        target = ctx.store.meetings.get(meeting.replaces) if meeting.replaces else meeting
        _propose_for(ctx, target, start, moved, finding_id)
    else:
        apply_meeting(ctx, moved, finding_id)


def _add(ctx: Context, finding: Finding, finding_id: int, start: str | None, kind: str = "proposed", **more: object) -> None:
    """A meeting proposed by this message."""
    values = {"project_key": ctx.project.key, "finding_id": finding_id, "message_id": ctx.message_id, "title": finding.text,
              "start": start, "status": str(MeetingStatus.PROPOSED), "kind": kind, "proposed_by": str(ctx.party),
              "created_at": ctx.at}
    ctx.store.meetings.add(values | more, ctx.cause, ctx.at)


def _new(ctx: Context, finding: Finding, finding_id: int, start: str | None) -> None:
    _add(ctx, finding, finding_id, start)
    if ctx.party is Party.CLIENT and finding.start is not None:
        ctx.decisions.append(ProposalDecision(ctx.project.key, finding, finding_id))


def _new_review(ctx: Context, held: Meeting, finding: Finding, finding_id: int, start: str) -> None:
    """The milestone's review came and went without a sign-off, and mail now proposes one: a new
    review of the same milestone, proposed (agreed, it is invited at the next tick)."""
    _add(ctx, finding, finding_id, start, kind="review", milestone_id=held.milestone_id)


def _propose_for(ctx: Context, meeting: Meeting, start: str, finding: Finding, finding_id: int) -> None:
    """A new time for a meeting that is invited already: a client's moves it at once (mailbot
    answers proposals); the studio's waits for the client's yes."""
    if ctx.party is Party.CLIENT and finding.start is not None:
        ctx.decisions.append(MoveMeeting(ctx.project.key, meeting.id, start))
        _source(ctx, meeting, finding.text, finding_id)
        return
    pending = [m for m in ctx.store.meetings.of_project(ctx.project.key, status=MeetingStatus.PROPOSED) if m.replaces == meeting.id]
    for old in pending:
        ctx.store.meetings.merge_into(old.id, meeting.id)
    _add(ctx, finding, finding_id, start, replaces=meeting.id, milestone_id=meeting.milestone_id)


def agree(ctx: Context, meeting: Meeting) -> None:
    """Both sides agree the meeting's time: a proposal to move an invited meeting moves it; any
    other is agreed and invited at the next tick."""
    if meeting.replaces is not None and meeting.start:
        target = ctx.store.meetings.get(meeting.replaces)
        ctx.store.meetings.merge_into(meeting.id, target.id)
        if target.status == MeetingStatus.INVITED:
            ctx.decisions.append(MoveMeeting(ctx.project.key, target.id, meeting.start))
        else:
            ctx.store.meetings.change(target.id, {"start": meeting.start, "updated_at": ctx.at})
        return
    if meeting.status == MeetingStatus.PROPOSED and meeting.start:
        ctx.store.meetings.set_status(meeting.id, MeetingStatus.AGREED, ctx.cause, ctx.at)


def by_signals(ctx: Context) -> None:
    """A yes to a proposal of the other side, and meetings called off."""
    for signal in ctx.extraction.signals:
        if signal.kind is SignalKind.AGREED:
            _yes(ctx, signal.start.strftime(LOCAL) if signal.start else None, signal.text)
        elif signal.kind is SignalKind.CANCELLED:
            _cancel(ctx, signal.text)


def _yes(ctx: Context, start: str | None, clause: str = "") -> None:
    proposals = [m for m in _in_thread(ctx) if m.status == MeetingStatus.PROPOSED and m.start and m.proposed_by != str(ctx.party)]
    if start is not None:
        exact = [m for m in proposals if m.start == start]
        same_day = [m for m in proposals if (m.start or "")[:10] == start[:10]]
        proposals = exact or (same_day if len(same_day) == 1 else [])  # "10am works" for "4pm UK / 10am CT"
    elif ctx.decided or (proposals and not {m.id for m in proposals} <= set(ctx.replies_to("meetings"))):
        return  # a bare yes agrees a proposal only in a direct answer to it that decides nothing else
    else:
        said = terms(clause) - _YES_WORDS
        proposals = [m for m in proposals if not said or said & _terms_of(ctx, m)]  # "Happy to do a case study quote" is no yes to the call
    for meeting in proposals[:1]:
        agree(ctx, meeting)
    if not proposals and start is not None:
        review = _review(ctx, ctx.email.subject or "")  # "3月4日（周三）下午2点可以" for the presentation the subject names
        if review is not None and review.start != start and review.proposed_by != str(ctx.party):
            ctx.decisions.append(MoveMeeting(ctx.project.key, review.id, start))


_YES_WORDS = {"happy", "fine", "good", "great", "works", "work", "sounds", "agreed", "agree", "sure", "perfect", "yes", "好的", "可以",
              "没问", "问题"}


def _terms_of(ctx: Context, meeting: Meeting) -> set[str]:
    texts = [meeting.title or ""] + [s.text or "" for s in ctx.store.sources.of("meetings", meeting.id)]
    return set().union(*(terms(t) for t in texts))


def _cancel(ctx: Context, clause: str) -> None:
    live = [m for m in _in_thread(ctx) if m.status in _LIVE]
    if not live:
        wanted = terms(clause)
        upcoming = [m for m in ctx.store.meetings.live(ctx.project.key, _LIVE) if m.kind != "status"
                    and len(wanted & terms(m.title or "")) >= 2]
        live = upcoming[-1:]
    for meeting in live[:1]:
        if meeting.status == MeetingStatus.INVITED:
            ctx.decisions.append(CancelMeeting(ctx.project.key, meeting.id))
        else:
            ctx.store.meetings.set_status(meeting.id, MeetingStatus.CANCELLED, ctx.cause, ctx.at)
        _source(ctx, meeting, clause, None)


def _in_thread(ctx: Context) -> list[Meeting]:
    return [m for m in (ctx.store.meetings.find(i) for i in ctx.in_thread("meetings")) if m is not None]


def _about(ctx: Context, text: str) -> Meeting | None:
    """The live meeting of this message's thread that a meeting clause is about."""
    live = [m for m in _in_thread(ctx) if m.status in _LIVE]
    if not live:
        return None
    reviews = [m for m in live if m.kind == "review"]
    wanted = terms(text)
    named = [m for m in live if len(wanted & terms(m.title or "")) >= 2]
    return (named or [m for m in live if m.kind != "review"] or reviews)[0]


def _review(ctx: Context, text: str) -> Meeting | None:
    """The review of the milestone a meeting clause is about ("UI设计评审会", "the beta review"): the one
    invited, or one held without the milestone signed off."""
    if not REVIEW.search(text + " " + (ctx.email.subject or "")):
        return None
    milestone = milestones.named(ctx.store, ctx.project.key, text) or milestones.named(ctx.store, ctx.project.key, ctx.email.subject)
    if milestone is None:
        return None
    review = ctx.store.meetings.review_of(milestone.id)
    if review is None:
        return None
    if review.status == MeetingStatus.INVITED:
        return review
    # reviewed on the calendar, but not signed off: the review mail now arranges is another one
    return review if review.status == MeetingStatus.HELD and milestone.status != MilestoneStatus.DONE else None


def _source(ctx: Context, meeting: Meeting, text: str, finding_id: int | None) -> None:
    ctx.store.sources.add(project_key=ctx.project.key, item="meetings", item_id=meeting.id, message_id=ctx.message_id, text=text,
                          role="discussed", at=ctx.at, finding_id=finding_id)


def held(now: dt.datetime, meeting: Meeting, zone: dt.tzinfo) -> bool:
    """Whether a meeting's time is over at `now`."""
    if not meeting.start:
        return False
    end = dt.datetime.fromisoformat(meeting.end or meeting.start).replace(tzinfo=zone)
    return end < now
