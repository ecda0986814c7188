"""Change requests follow a process (the seeds' 需求变更: confirm the need, assess, agree with the
client, update the plan).

- Only a client's ask to change scope, requirements or schedule is a change request of the
  client's (`origin = client`, received → acknowledged by mail → …). The studio's own proposal
  ("我们建议把验收改到下周三", "could we move the beta to the 29th?") is a change of ours
  (`origin = us`) that starts `assessed` and waits for the client's yes. The studio announcing
  its own new date ("the copy deck will now be ready on the 12th instead of the 5th") is a slip
  of its commitment, and a risk, never a change request. A suggestion inside a survey answer is
  feedback. A change said again is the same change.
- Replies decide: in the change's thread (its own message, mailbot's acknowledgement, any later
  message about it) or naming it, the side that decides says yes (an approval, "没问题", "go
  ahead": accepted), no ("超出合同范围", "we can't accept that": rejected), or the side that
  asked takes it back ("这个需求撤回", "not worth it": withdrawn). The studio's reply with the
  cost or time it takes, and no decision, is the assessment.
- An accepted change that moves a milestone is applied at once: the milestone's date moves
  (its review meeting follows at the next tick, same UID, higher SEQUENCE), the history says
  which change moved it, and the change is `applied`.
- Nothing already decided is acknowledged as new: a queued acknowledgement of a change decided
  before it went out is withdrawn.
"""

from __future__ import annotations

import datetime as dt
import re

from mailbot.lifecycle import UNDECIDED_CHANGES, Cause, ChangeStatus, MilestoneStatus
from mailbot.plan import milestones
from mailbot.plan.context import HORIZON, AckDecision, CancelAck, Context
from mailbot.plan.text import (
    ASKS_ASSESS,
    ASKS_MORE,
    IMPACT,
    KEEPS,
    POLISH,
    RESCHEDULE,
    REVIEW,
    SCOPE,
    cue,
    delivers,
    moves_dates,
    numbers,
    similarity,
    terms,
)
from mailbot.store import Store, iso
from mailbot.store.records import ChangeRequest, Milestone
from parsing.model import Finding, Kind, Party, SignalKind

# The studio asking the client to agree, rather than announcing or asking anything else.
_PROPOSES = cue(
    r"建议|提议|我们想|想(?:把|将)|申请|能否|可否|是否可以|可不可以|\b(?:propose|suggest|recommend|could we|can we|would it be (?:ok|possible|alright)|"
    r"would you (?:be ok|agree|accept)|how about|we'd like to (?:move|push|shift)|request)\b",
    re.I,
)
_MEETING_WORDS = cue(r"会议|开会|开个会|评审会|例会|沟通会|电话会|视频会|启动会|复盘会|碰头会|周会|见面|(?:这个|那个|的)会(?=[，。？！?!\s]|$)|"
                            r"\b(?:meeting|call|review session|walkthrough|catch-?up|sync|presentation)\b", re.I)
# Markers before the new date of a move ("改到4月24日", "to the 26th").
_TO_DATE = cue(r"到|至|为|成|→|->|\bto\b|\buntil\b|\btill\b|\bfor\b", re.I)
# Who asked for it, in minutes the studio writes ("陈总在会上提出希望…", "Bob asked whether…").
_ASKED = cue(r"提出|希望|要求|想要|想加|问(?:能不能|是否|可不可以)|\b(?:asked|wants|would like|requested|raised)\b", re.I)
# An ask or a wish, rather than a report.
_ASKS = cue(r"能否|能不能|可否|可不可以|是否可以|可以|希望|想|要|需要|请|麻烦|建议|帮|吧|[？?]|"
                   r"\b(?:could|can|would|will|please|want|wants|wanted|like|need|needs|should|must|let's|suggest|propose|how about|"
                   r"wonder\w*|possible|ask(?:ed|s)?|request\w*)\b", re.I)
# Replacing what is there with something else ("banner换成618大促素材", "swap the hero for a video").
_REPLACES = cue(r"换成|换掉|替换|改版|改成|改为|改用|\b(?:replace|replacing|swap|switch (?:to|over)|change (?:[\w-]+ ){0,4}(?:to|into))\b", re.I)
# What the project builds, named in an ask ("could the portal text customers…", "小程序能不能…").
_PRODUCT = cue(r"小程序|系统|平台|网站|官网|后台|\b(?:portal|app|site|website|platform|system|dashboard|mini-?program|tool)\b", re.I)
# The figures of an assessment: money, days, weeks.
_FIGURES = cue(r"(?<![\d,.])\d[\d,.]*\s*(?:万|元|块|人天|个?工作日|天|周|个?星期|小时|\b(?:k|(?:working |business |man[- ]|person[- ])?(?:days?|weeks?|hours?)|sprints?)\b)|[£$€¥￥]\s?\d|"
                      r"\b(?:rmb|cny|usd|eur|gbp|hkd|sgd)\s?\d|(?<![\d,.])\d[\d,.]*\s?(?:rmb|cny|usd|eur|gbp|hkd|sgd)\b", re.I)
_NO_IMPACT = cue(r"不影响|没有影响|无影响|不额外(?:收费|收取)|不另收费|免费|\b(?:no (?:impact|effect) on|no extra (?:cost|charge)|"
                        r"at no (?:extra |additional )?(?:cost|charge)|free of charge|doesn't affect|does not affect|won't affect)\b", re.I)
FRAGMENT = 0  # a change naming this many things or fewer, once its asking words are gone, says none of its own ("能不能加上？")


def apply_change(ctx: Context, finding: Finding, finding_id: int) -> None:
    """A change-request finding: a new change, one said again, a withdrawal or refusal of one,
    a slip, a studio proposal, feedback on work delivered."""
    text = finding.text
    if text.rstrip().endswith((":", "：")):
        return  # a heading ("有一处要调整：", "Change of plan on my side:"): what follows it says the change
    if _answers_survey(ctx) or (POLISH.search(text) and not SCOPE.search(text) and not moves_dates(text)):
        ctx.store.reactions.add_feedback(project_key=ctx.project.key, text=text, sentiment="mixed", who=ctx.who,
                                         message_id=ctx.message_id, finding_id=finding_id, milestone_id=None, at=ctx.at)
        return
    for kind in (SignalKind.WITHDRAWN, SignalKind.REFUSED):
        if any(similarity(text, s) >= 0.5 or s in text for s in ctx.extraction.signalled(kind)):
            decide(ctx, text, kind)
            return
    known = _same_change(ctx, text)
    if known is not None:
        _restated(ctx, known, text, finding_id)
        return
    milestone = _target(ctx, text)
    if (_MEETING_WORDS.search(text) or REVIEW.search(text)) and milestone is None:
        from mailbot.plan import meetings  # moving a meeting is no change to the plan

        meetings.new_day(ctx, finding, finding_id)
        return
    if milestone is None and RESCHEDULE.search(text) and not _PROPOSES.search(text) and new_date(text, ctx, finding.due):
        slip(ctx, text, finding, finding_id)  # "the copy will now be ready on the 12th instead of the 5th"
        return
    if ctx.party is Party.US:
        if _asked_by_client(ctx, text) and is_change(text):
            _record(ctx, text, finding, finding_id, origin="client", milestone=milestone, acknowledge=False)
        elif milestone is not None or _PROPOSES.search(text):
            propose(ctx, text, finding, finding_id, milestone)
        return  # anything else the studio says is no change of its own
    if not is_change(text) and milestone is None:
        if _ASKS.search(text) and delivers(text):  # "please include a rough timeline in the kick-off deck": a task
            from mailbot.plan import items

            items.apply_item(ctx, Finding(Kind.REQUEST, text, by=finding.by, due=finding.due, due_text=finding.due_text), finding_id)
        return
    _record(ctx, text, finding, finding_id, origin="client", milestone=milestone, acknowledge=not ctx.internal)


def is_change(text: str) -> bool:
    """Whether a client's clause asks to change scope, requirements or schedule: something added
    or replaced, a new version, an integration, a date moved, or what such a change would cost.
    An ask about anything else ("please include a rough timeline in the kick-off deck") is a
    task; a statement ("No need to wait until the 13th", "周末两天新增会员一万两千多人") is neither."""
    if not _ASKS.search(text):
        return False
    return bool(SCOPE.search(text) or ASKS_MORE.search(text) or ASKS_ASSESS.search(text) or _REPLACES.search(text)
                or _PRODUCT.search(text) or moves_dates(text))


def _record(ctx: Context, text: str, finding: Finding, finding_id: int, *, origin: str, milestone: Milestone | None,
            acknowledge: bool) -> None:
    if len(terms(_ASKS.sub(" ", SCOPE.sub(" ", text)))) <= FRAGMENT:
        previous = _stated_here(ctx)
        if previous is not None:  # "能不能加上？" after the change it asks about
            _restated(ctx, previous, text, finding_id)
        return
    new_due = new_date(text, ctx, finding.due) if milestone is not None else None
    known = _same_change(ctx, text, milestone, new_due)
    if known is not None:
        _restated(ctx, known, text, finding_id)
        return
    change = ctx.store.changes.add(project_key=ctx.project.key, text=text, who=ctx.who, message_id=ctx.message_id, finding_id=finding_id,
                                   at=ctx.at, origin=origin, milestone_id=milestone.id if milestone else None, new_due=new_due)
    if acknowledge:
        ctx.decisions.append(AckDecision(ctx.project.key, change.number, text))


def _restated(ctx: Context, change: ChangeRequest, text: str, finding_id: int) -> None:
    ctx.store.sources.add(project_key=ctx.project.key, item="change_requests", item_id=change.id, message_id=ctx.message_id,
                          text=text, role="restated", at=ctx.at, finding_id=finding_id)


def propose(ctx: Context, text: str, finding: Finding, finding_id: int, milestone: Milestone | None) -> None:
    """The studio's own proposal: a change of ours, assessed, waiting for the client's yes."""
    new_due = new_date(text, ctx, finding.due) if milestone is not None else None
    known = _same_change(ctx, text, milestone, new_due)
    if known is not None:
        _restated(ctx, known, text, finding_id)
        return
    ctx.store.changes.add(project_key=ctx.project.key, text=text, who=ctx.who, message_id=ctx.message_id, finding_id=finding_id,
                          at=ctx.at, origin="us", status=ChangeStatus.ASSESSED, milestone_id=milestone.id if milestone else None,
                          new_due=new_due)


def studio_proposal(ctx: Context, finding: Finding, finding_id: int) -> bool:
    """A finding of another kind (an approval, a risk, a commitment) that is really the studio
    proposing to move a milestone ("我们建议把UAT节点从5月22日顺延到5月29日"): recorded as a
    proposal of ours; True when it was one."""
    text = finding.text
    if ctx.party is not Party.US or not _PROPOSES.search(text) or not RESCHEDULE.search(text):
        return False
    milestone = _target(ctx, text)
    if milestone is None:
        return False
    propose(ctx, text, finding, finding_id, milestone)
    return True


def _target(ctx: Context, text: str) -> Milestone | None:
    """The milestone a change moves: named in a clause about dates, else named anywhere when
    the change is about dates."""
    return milestones.named_in_clauses(ctx.store, ctx.project.key, text, about_dates=True) or (
        milestones.named(ctx.store, ctx.project.key, text) if moves_dates(text) else None)


def _asked_by_client(ctx: Context, text: str) -> bool:
    """Minutes the studio writes, reporting a client's ask ("陈总在会上提出希望增加电子礼品卡功能")."""
    if not _ASKED.search(text):
        return False
    for person in ctx.project.stakeholders:
        if person.party == "client" and any(name in text for name in _short_names(person.name)):
            return True
    return False


def _short_names(name: str) -> set[str]:
    if not name:
        return set()
    if re.fullmatch(r"[\u3400-\u9fff]{2,4}", name):
        return {name, name[0] + "总", name[0] + "经理", name[0] + "工", name[1:]}
    return {name, name.split()[0]}


def _stated_here(ctx: Context) -> ChangeRequest | None:
    """The last change this very message stated."""
    for change in reversed(ctx.store.changes.of_project(ctx.project.key)):
        if change.message_id == ctx.message_id:
            return change
    return None


def slip(ctx: Context, text: str, finding: Finding, finding_id: int) -> None:
    """A side announces a new date of its own: the commitment it names moves (or is made), and
    the slip is a risk."""
    from mailbot.plan import items  # the item rules: which open promise this is

    due = new_date(text, ctx, finding.due)
    commitment = Finding(Kind.COMMITMENT, text, by=ctx.party, due=dt.date.fromisoformat(due) if due else finding.due,
                         due_text=finding.due_text)
    if not items.reschedule_matching(ctx, commitment, finding_id):
        items.apply_item(ctx, commitment, finding_id, reschedule=True)
    ctx.store.reactions.add_risk(project_key=ctx.project.key, text=text, who=ctx.who, message_id=ctx.message_id, finding_id=finding_id,
                                 at=ctx.at)


def new_date(text: str, ctx: Context, due: dt.date | None) -> str | None:
    """The date a move goes to: the one after "到/to", or before "instead of", else the last."""
    from parsing.dates import find_times  # here: commands that only read the plan don't compile its patterns

    reference = ctx.when.astimezone(ctx.settings.team.zone)
    times = [t for t in find_times(text, reference=reference, language=ctx.extraction.language) if t.date]
    if not times:
        return due.isoformat() if due else None
    instead = re.search(r"instead of|rather than|而不是|代替", text, re.I)
    if instead:
        before = [t for t in times if t.end <= instead.start()]
        if before:
            return _day(before[-1].date)
    for expression in times:
        lead = text[max(0, expression.start - 6):expression.start + 1]  # the expression may hold its 到 ("到4月17日")
        if _TO_DATE.search(lead):
            return _day(expression.end_date or expression.date)
    last = times[-1]
    return _day(last.end_date or last.date)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _answers_survey(ctx: Context) -> bool:
    """A reply to a satisfaction survey (or one that scores the work): its asks are feedback."""
    if any(f.kind is Kind.SURVEY_RESPONSE for f in ctx.extraction.findings):
        return True
    return any(ctx.store.outbox.kind_of(ref) == "survey" for ref in ctx.thread)


def _same_change(ctx: Context, text: str, milestone: Milestone | None = None, new_due: str | None = None) -> ChangeRequest | None:
    """A change of the project (not turned down) that this text says again: in the same words,
    or the same move of the same milestone (a bilingual mail says it twice)."""
    changes = [c for c in ctx.store.changes.of_project(ctx.project.key) if c.status not in (ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN)]
    sources = ctx.store.sources.of_many("change_requests", [c.id for c in changes])  # one statement, not one a change
    for change in changes:
        if milestone is not None and new_due and change.milestone_id == milestone.id and change.new_due == new_due:
            return change
        texts = [change.text] + [s.text or "" for s in sources[change.id]]
        if any(similarity(text, t) >= 0.75 and numbers(text) == numbers(t) for t in texts):
            return change  # the same words; "第3个专区" and "第4个专区" are two changes
    return None


# -- deciding -----------------------------------------------------------------------------------


_DECIDED_ROLES = {str(status) for status in (ChangeStatus.ACCEPTED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN, ChangeStatus.APPLIED)}


def _candidates(ctx: Context, clause: str) -> list[ChangeRequest]:
    """The changes a clause may decide, best first: those it names (shared terms), then, for a
    clause that names nothing, the one change of the thread it answers."""
    open_changes = ctx.store.changes.decidable(ctx.project.key, UNDECIDED_CHANGES, accepted_since=iso(ctx.when - HORIZON))
    if not open_changes:
        return []
    parent = set(ctx.replies_to("change_requests"))  # once: in the comprehension it was a statement per open change
    answered = [c for c in open_changes if c.id in parent]
    thread = ctx.in_thread("change_requests")
    sources = ctx.store.sources.of_many("change_requests", [c.id for c in open_changes])
    wanted = terms(clause)
    scored = []
    for change in open_changes:
        # what names the change: its words and restatements, never the words that decided it
        # ("没问题，可以做" accepted CR-1 and named it for every later bare yes, in any thread)
        known = set().union(*(terms(t) for t in [change.text] + [s.text or "" for s in sources.get(change.id, []) if s.role not in _DECIDED_ROLES]))
        shared = len(wanted & known)
        near = change.id in thread
        if shared >= 2 or (shared >= 1 and near):
            scored.append((shared + (2 if near else 0), change))
    if scored:
        return [c for _, c in sorted(scored, key=lambda pair: -pair[0])]
    if len(answered) == 1:
        return answered  # the reply to the message that stated or assessed the change answers it, in any language
    generic = len(wanted) <= 2  # a bare yes or no ("没问题", "I'd rather not") answers what it replies to
    in_thread = [c for c in open_changes if c.id in thread]
    if generic and in_thread:
        nearest = min(in_thread, key=lambda c: thread.index(c.id))
        return [nearest]
    return []


def decide(ctx: Context, clause: str, kind: SignalKind | Kind, *, about: Milestone | None = None) -> bool:
    """What `clause` (an approval, a yes, a no, a withdrawal) decides about a change; True when
    it decided one. Keeping a date ("Go-live on 15 May stays as it is") refuses only a change
    that would move that milestone."""
    if kind is not SignalKind.WITHDRAWN and any(clause in used or used in clause for used in ctx.deciding):
        return True  # "KV定稿提前到3月31日没问题" as a yes and as an approval: one decision (one may take back several)
    keeps = kind is SignalKind.REFUSED and KEEPS.search(clause) is not None
    kept = milestones.named(ctx.store, ctx.project.key, clause) if keeps else None
    for change in _candidates(ctx, clause):
        if change.id in ctx.decided:
            continue
        if about is not None and change.milestone_id != about.id and milestones.named(ctx.store, ctx.project.key, change.text) != about:
            continue  # a sign-off of one milestone is no yes to a change of something else
        if keeps and (change.milestone_id is None or (kept is not None and kept.id != change.milestone_id)):
            continue
        status = _decision(ctx, change, kind)
        if status is None:
            continue
        ctx.decided.add(change.id)
        ctx.deciding.append(clause)
        _move(ctx, change, status, clause)
        return True
    return False


def _decision(ctx: Context, change: ChangeRequest, kind: SignalKind | Kind) -> ChangeStatus | None:
    """Who may decide what: the side that asked withdraws; the other side accepts or refuses.
    For a client's change the studio's yes accepts it too (it does the work), unless its reply
    is the assessment it asks the client to confirm."""
    asked_by_us = change.origin == "us"
    ours = ctx.party is Party.US
    mine = ours == asked_by_us  # the writer's side asked for this change
    if kind is SignalKind.WITHDRAWN:
        return ChangeStatus.WITHDRAWN if mine else None
    if kind is SignalKind.REFUSED:
        if change.status == ChangeStatus.ACCEPTED:
            return None
        return ChangeStatus.WITHDRAWN if mine else ChangeStatus.REJECTED
    # a yes: an approval, "没问题", "go ahead"
    if change.status == ChangeStatus.ACCEPTED:
        return None
    if change.origin == "us":
        return None if ours else ChangeStatus.ACCEPTED  # the client's yes to the studio's proposal
    if ours:  # the studio's yes to the client's change: accepted, unless it is the estimate to confirm
        if IMPACT.search(" ".join(_clauses(ctx))) and _asks_client(ctx):
            return ChangeStatus.ASSESSED if change.status != ChangeStatus.ASSESSED else None
        return ChangeStatus.ACCEPTED
    return ChangeStatus.ACCEPTED if change.status == ChangeStatus.ASSESSED else None  # the client agrees to the estimate


def _clauses(ctx: Context) -> list[str]:
    return [f.text for f in ctx.extraction.findings] + list(ctx.extraction.signalled(SignalKind.AGREED))


def _asks_client(ctx: Context) -> bool:
    return any(f.kind is Kind.REQUEST for f in ctx.extraction.findings)


def assess(ctx: Context) -> None:
    """The studio's reply in a client change's thread that names its cost or time, and decides
    nothing, is the change's assessment."""
    body = ctx.extraction.body
    if ctx.party is not Party.US or not IMPACT.search(body) or not (_FIGURES.search(body) or _NO_IMPACT.search(body)):
        return  # "生日券的功能我们评估一下" promises an assessment; one names what it costs, or that it costs nothing
    if ctx.extraction.signalled(SignalKind.AGREED) and not _asks_client(ctx):
        return  # "about half a day … happy to include it at no extra cost": the studio's yes, not a question (`decide`)
    thread = ctx.in_thread("change_requests")
    for change in ctx.store.changes.of_project(ctx.project.key, (ChangeStatus.RECEIVED, ChangeStatus.ACKNOWLEDGED, ChangeStatus.NEEDS_INFO)):
        if change.origin == "client" and change.id not in ctx.decided and change.id in thread:
            ctx.store.changes.set_status(change, ChangeStatus.ASSESSED, ctx.cause, ctx.at)
            ctx.store.sources.add(project_key=ctx.project.key, item="change_requests", item_id=change.id, message_id=ctx.message_id,
                                  text=ctx.extraction.body[:200], role="assessed", at=ctx.at)
            ctx.decided.add(change.id)


def withdraw(ctx: Context, clause: str) -> bool:
    return decide(ctx, clause, SignalKind.WITHDRAWN)


def _move(ctx: Context, change: ChangeRequest, status: ChangeStatus, clause: str) -> None:
    ctx.store.changes.set_status(change, status, ctx.cause, ctx.at)
    ctx.store.sources.add(project_key=ctx.project.key, item="change_requests", item_id=change.id, message_id=ctx.message_id,
                          text=clause, role=str(status), at=ctx.at)
    if status is not ChangeStatus.ASSESSED and status is not ChangeStatus.NEEDS_INFO:
        ctx.decisions.append(CancelAck(ctx.project.key, change.number))
    if status is ChangeStatus.ACCEPTED:
        fresh = ctx.store.changes.get(change.id)
        if fresh is not None:
            apply_accepted(ctx, fresh, clause)


def apply_accepted(ctx: Context, change: ChangeRequest, clause: str) -> None:
    """An accepted change that moves a milestone moves it now: the change is applied."""
    milestone = ctx.store.milestones.get(change.milestone_id) if change.milestone_id else None
    if milestone is None and moves_dates(clause):
        milestone = milestones.named(ctx.store, ctx.project.key, clause)
    due = new_date(clause, ctx, None) if milestone is not None and RESCHEDULE.search(clause) else None
    due = due or change.new_due
    if milestone is None or due is None or milestone.status == MilestoneStatus.DONE:
        return
    apply_move(ctx.store, change, milestone, due, Cause.plan(change.ref, f"{change.ref} accepted in {ctx.message_id}"), ctx.cause, ctx.at)


def apply_move(store: Store, change: ChangeRequest, milestone: Milestone, due: str, moved_by: Cause, cause: Cause, at: str) -> None:
    """An accepted change moves its milestone to `due` (the review follows at the next tick) and is applied."""
    store.changes.set_target(change, milestone.id, due)
    if due != milestone.due:
        store.milestones.move(milestone, due, moved_by, at)
        store.milestones.set_status(milestone, MilestoneStatus.MOVED, moved_by, at)
    store.changes.set_status(store.changes.get(change.id) or change, ChangeStatus.APPLIED, cause, at)


_ACCEPTS = cue(r"可以接受|接受|同意|没问题|可以|\b(?:ok|okay|fine|agree[ds]?|accept(?:ed|able)?|approved?|go ahead|works)\b", re.I)


def agreed_schedule(ctx: Context, clause: str) -> bool:
    """A yes that states the schedule it agrees to ("内页节点顺延到4月24日我们可以接受") with no
    change on record to decide: the agreed move is recorded as a change, accepted and applied."""
    if _PROPOSES.search(clause) or not _ACCEPTS.search(clause) or not (RESCHEDULE.search(clause) or ctx.thread):
        return False
    milestone = milestones.named_in_clauses(ctx.store, ctx.project.key, clause, about_dates=True) or (
        milestones.named(ctx.store, ctx.project.key, clause) if ctx.thread else None)
    if milestone is None or milestone.status == MilestoneStatus.DONE:
        return False
    due = new_date(clause, ctx, None)
    if due is None or due == milestone.due:
        return False
    if any(c.milestone_id == milestone.id for c in (ctx.store.changes.get(i) for i in ctx.decided) if c is not None):
        return False  # the move this message accepted already
    for decided in ctx.decided:  # the schedule of a change this message accepted ("门店查询页就按你们的方案做 … 内页节点顺延到4月24日")
        change = ctx.store.changes.get(decided)
        if change is not None and change.status == ChangeStatus.ACCEPTED and change.milestone_id is None:
            ctx.store.changes.set_target(change, milestone.id, due)
            apply_accepted(ctx, ctx.store.changes.get(change.id) or change, clause)
            return True
    origin = "client" if ctx.party is Party.US else "us"  # the writer agrees to what the other side put forward
    change = ctx.store.changes.add(project_key=ctx.project.key, text=clause, who=ctx.who, message_id=ctx.message_id, finding_id=None,
                                   at=ctx.at, origin=origin, status=ChangeStatus.ASSESSED, milestone_id=milestone.id, new_due=due)
    ctx.decided.add(change.id)
    ctx.store.changes.set_status(change, ChangeStatus.ACCEPTED, ctx.cause, ctx.at)
    apply_accepted(ctx, ctx.store.changes.get(change.id) or change, clause)
    return True
