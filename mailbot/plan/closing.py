"""Items close when later mail shows them closed.

What closes an open commitment or request, and how sure mailbot must be:

- work reported done by the side that owes it ("报价单已经发到您邮箱了", "Done, the DNS record
  is in place", "Attached is the revised plan"), or received by the other side ("素材都收到了",
  "Thanks for the GA export"): done;
- a sign-off ("Looks good, approved") by the side asked for it ("Please sign off the wireframes
  by Tuesday"): done;
- an answer: a reply from the asked side, in the thread of an ask for a decision or an answer
  ("Could you confirm by Wednesday whether we should go ahead?", "陈总方便吗？"), that says
  something (a yes, a no, a promise, a report): done;
- the side that wanted it saying it is no longer needed ("这个不用了", "no need for that
  anymore"): withdrawn;
- a milestone signed off covers the open items of its work (`items.covered_by`).

Matching goes by thread first (the reply answers the message that stated the item, or quotes
the item), then by content (shared terms, in both languages, the subject included). A close
needs a confidence of at least CLOSE: two shared terms, or one with the thread, or the thread
alone when the item is the only one of its side in the message answered. Below that and at
least UNSURE, nothing is closed and the pair goes to the team's review list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.lifecycle import Cause, ItemStatus
from mailbot.plan import changes, milestones
from mailbot.plan.context import Context
from mailbot.plan.text import ACTION_TERMS, ASKS_ANSWER, ASKS_SIGN_OFF, DELIVERABLE, cue, sentence_of, terms
from mailbot.store.records import Item, Source
from parsing.model import Kind, Party, SignalKind

CLOSE = 0.7
UNSURE = 0.5
_SUBJECT_PREFIX = cue(r"^\s*(?:(?:re|fw|fwd|aw|sv|回复|答复|转发)\s*[:：]\s*)+", re.I)


@dataclass(frozen=True, slots=True)
class Candidate:
    item: Item
    confidence: float
    shared: int


def close_by_signals(ctx: Context) -> None:
    """Everything this message says about items said before."""
    extraction = ctx.extraction
    for clause in extraction.completions:
        close(ctx, clause, owed_by=ctx.party, status=ItemStatus.DONE, why="delivered", wider=sentence_of(extraction.body, clause))
    launch = milestones.launch_notice(ctx.store, ctx.project, extraction)  # either side may announce it
    if launch is not None:
        milestones.sign_off(ctx.store, launch, ctx.cause, ctx.at)
    if ctx.party is Party.CLIENT:
        signed = milestones.signed_in_subject(ctx.store, ctx.project.key, extraction)
        if signed is not None and milestones.sign_off(ctx.store, signed, ctx.cause, ctx.at):
            from mailbot.plan import items  # the item rules use the closing rules

            items.covered_by(ctx, signed.id, signed.due)
    for clause in extraction.receipts:
        close(ctx, clause, owed_by=ctx.other, status=ItemStatus.DONE, why="received")  # a bare "收到" acknowledges the mail
    said: set[str] = set()
    for clause in extraction.signalled(SignalKind.WITHDRAWN):
        # the clause says what it takes back ("报价也不用做了"), else its sentence does ("赵敏之前提的首页直播入口…，不用加了"), once
        for text in ([clause] if terms(clause) - _WITHDRAWING else []) + [sentence_of(extraction.body, clause)]:
            if text in said:
                continue
            said.add(text)
            if changes.withdraw(ctx, text) or close(ctx, text, owed_by=None, status=ItemStatus.WITHDRAWN, why="no longer needed",
                                                     least=0.75):
                break
    opinions_given(ctx)
    changes.assess(ctx)
    for signal in extraction.signals:
        if signal.kind is SignalKind.REFUSED:
            changes.decide(ctx, signal.text, SignalKind.REFUSED)
        elif signal.kind is SignalKind.AGREED and signal.start is None:
            if not changes.decide(ctx, signal.text, SignalKind.AGREED):
                changes.agreed_schedule(ctx, sentence_of(extraction.body, signal.text))
    answered(ctx)


_WITHDRAWING = {"不用", "用了", "不要", "要了", "撤回", "需要", "不需", "需求", "这个", "取消", "need", "needed", "longer", "anymore", "drop",
                "withdraw", "cancel"}


def close(ctx: Context, clause: str, *, owed_by: Party | None, status: ItemStatus, why: str, kinds: tuple[str, ...] = (),
          least: float = CLOSE, wider: str = "") -> Item | None:
    """Close the open item `clause` reports on, if mailbot is sure enough; returns it. A clause
    that names nothing ("见附件") is read with `wider`, its sentence ("项目时间表已按 Claire 的要求放在
    deck 最后一页，见附件"), when that names something."""
    best = _best(ctx, clause, owed_by, kinds, generic=why == "delivered")
    if best is None and wider and wider != clause and not terms(clause) - ACTION_TERMS:
        best = _best(ctx, wider, owed_by, kinds)
    if best is None:
        return None
    if best.confidence >= least:
        _close(ctx, best.item, status, clause, why)
        return best.item
    if best.confidence >= UNSURE:
        ctx.store.review.add(project_key=ctx.project.key, kind="close", item="items", item_id=best.item.id, message_id=ctx.message_id,
                             text=clause, confidence=best.confidence, reason=f"{why}? {best.item.ref} {best.item.text[:80]}", at=ctx.at)
    return None


def _close(ctx: Context, item: Item, status: ItemStatus, clause: str, why: str) -> None:
    ctx.store.items.set_status(item, status, Cause.message(ctx.message_id, why), ctx.at)
    ctx.store.sources.add(project_key=ctx.project.key, item="items", item_id=item.id, message_id=ctx.message_id, text=clause,
                          role="closed", at=ctx.at)


def _best(ctx: Context, clause: str, owed_by: Party | None, kinds: tuple[str, ...], *, generic: bool = False) -> Candidate | None:
    common = common_terms(ctx) | ACTION_TERMS
    wanted = terms(clause) - common
    subject = terms(_SUBJECT_PREFIX.sub("", ctx.email.subject or "")) - common
    thread = set(ctx.in_thread("items"))
    parent = set(ctx.replies_to("items"))
    items = [i for i in ctx.open_items(owed_by)
             if (i.message_id or "") != (ctx.message_id or "") and (not kinds or i.kind in kinds)]
    sources = ctx.store.sources.of_many("items", [i.id for i in items])
    in_parent = [i for i in items if i.id in parent]
    best: Candidate | None = None
    for item in items:
        texts = [item.text] + [s.text or "" for s in sources.get(item.id, []) if s.role != "closed"]
        known = set().union(*(terms(t) for t in texts)) - common
        shared = len(wanted & known)
        by_subject = len(subject & known)
        near = item.id in thread or ctx.quotes(item.text)
        if shared >= 2:
            confidence = 0.9 if near else 0.8
        elif shared == 1 and near:
            confidence = 0.8
        elif shared == 1 and _unique(wanted & known, item, items, sources, common) and len(wanted) <= 10:
            confidence = 0.75  # the one open item that names this thing ("Wireframes are ready!")
        elif by_subject >= 2 and near and wanted:
            confidence = 0.75  # "已修改" in reply, the subject naming the work (never a bare "收到")
        elif generic and by_subject >= 1 and _unique(subject & known, item, items, sources, common) \
                and (by_subject >= 2 or not (ctx.email.in_reply_to or _SUBJECT_PREFIX.match(ctx.email.subject or ""))):
            confidence = 0.75  # "附件是效果图" in a mail whose subject names the one piece of work ("首页视觉风格稿（A/B两版）")
        elif generic and item.id in parent and len(in_parent) == 1 and not terms(clause):
            confidence = 0.7  # a bare "已发送" / "Done." in reply to the one thing asked
        elif shared == 1 or near or by_subject >= 2:
            confidence = 0.5
        else:
            continue
        candidate = Candidate(item, confidence, shared + by_subject)
        if best is None or (candidate.confidence, candidate.shared, item.created_at or "") > (best.confidence, best.shared, best.item.created_at or ""):
            best = candidate
    return best


def _unique(shared: set[str], item: Item, items: list[Item], sources: dict[int, list[Source]], common: set[str]) -> bool:
    """The shared term names no other open item of that side."""
    for other in items:
        if other.id == item.id:
            continue
        texts = [other.text] + [s.text or "" for s in sources.get(other.id, []) if s.role != "closed"]
        if shared & set().union(*(terms(t) for t in texts)):
            return False
    return True


def common_terms(ctx: Context) -> set[str]:
    """Terms too common in this project's items to tell them apart ("小程序" in a mini-program
    project): those in more than a fifth of its items, once it has ten (counted by the store
    as items are added)."""
    return ctx.store.items.common_terms(ctx.project.key)


_OPINION = cue(r"意见|反馈|审核|批注|\b(?:feedback|comments?|review notes|thoughts|mark-?ups?)\b", re.I)


def opinions_given(ctx: Context) -> None:
    """A promise to give feedback ("孙倩会在4月10日前给出审核意见") is kept by the mail of that side,
    in its thread, that gives it: changes asked for, opinions on the work."""
    if not any(f.kind in (Kind.FEEDBACK, Kind.CHANGE_REQUEST) for f in ctx.extraction.findings):
        return
    thread = set(ctx.in_thread("items"))
    for item in ctx.open_items(ctx.party):
        if item.kind == "commitment" and _OPINION.search(item.text) and (item.id in thread or ctx.quotes(item.text)) \
                and (item.message_id or "") != (ctx.message_id or ""):
            _close(ctx, item, ItemStatus.DONE, _first_sentence(ctx.extraction.body), "feedback given")


def answered(ctx: Context) -> None:
    """Asks for an answer or a decision, made of the writer's side in the message this one
    answers, are answered by it when it says anything at all."""
    extraction = ctx.extraction
    if len(extraction.body.strip()) < 8:
        return  # nothing said
    parent = set(ctx.replies_to("items"))
    thread = set(ctx.in_thread("items"))
    spoken = set(ctx.store.sources.things_in("items", [ctx.message_id or ""]))  # what this message said of them already
    for item in ctx.open_items(ctx.party):
        if item.kind != "request" or item.id in spoken:
            continue
        if not (item.id in parent or (item.id in thread and ctx.quotes(item.text))):
            continue
        if ASKS_SIGN_OFF.search(item.text):
            continue  # a sign-off is given, not answered: an approval closes it (`signed_off`)
        if ASKS_ANSWER.search(item.text) or ((item.due is None or _question(item.text)) and not DELIVERABLE.search(item.text)):
            _close(ctx, item, ItemStatus.DONE, _first_sentence(extraction.body), "answered")


def signed_off(ctx: Context, text: str) -> None:
    """A sign-off closes the ask for it (and the promise to give it) of the side that signs."""
    parent = set(ctx.replies_to("items"))
    thread = set(ctx.in_thread("items"))
    said = terms(text + " " + (ctx.email.subject or "")) - ACTION_TERMS
    for item in ctx.open_items(ctx.party):
        if (item.message_id or "") == (ctx.message_id or "") or not ASKS_SIGN_OFF.search(item.text):
            continue
        shared = len(said & (terms(item.text) - ACTION_TERMS))
        if item.id in parent or shared >= 2 or (shared >= 1 and (item.id in thread or ctx.quotes(item.text))):
            _close(ctx, item, ItemStatus.DONE, text, "signed off")


def _first_sentence(body: str) -> str:
    for line in body.splitlines():
        line = line.strip()
        if len(line) > 6 and not line.endswith(("：", ":", "，", ",")):
            return line[:120]
    return body.strip()[:120]


def _question(text: str) -> bool:
    return text.rstrip().endswith(("?", "？")) or "吗" in text[-4:]
