"""Milestones learnt from mail: which one a sentence names, sign-offs and go-live notices, and a
project that is finished.

A milestone is named by its name (spacing and case aside), or by a word of its name that no
other milestone of the project has ("UAT" for 开发完成及UAT验收, "wireframes" for Discovery &
wireframes). A clause about dates ("上线时间不变", "push go-live to the 26th") names the
milestone whose dates it talks about, but it signs nothing off.
"""

from __future__ import annotations

import datetime as dt
import re

from mailbot.config import Project
from mailbot.lifecycle import Cause, MilestoneStatus, ProjectStatus
from mailbot.plan.text import GO_LIVE, GO_LIVE_SUBJECT, Cue, cue, moves_dates, normal, terms
from mailbot.store import Store
from mailbot.store.records import Milestone
from parsing import patterns as rx
from parsing.model import Extraction

_CLAUSE = rx.compile(r"[，,。；;！!？?\n]")
# Words too common in milestone names to name one on their own.
_GENERIC = {
    "设计", "完成", "确认", "阶段", "交付", "项目", "一期", "二期", "版本", "计定", "成及", "design", "phase", "delivery", "review",
    "final", "complete", "completion", "project", "milestone", "sign-off", "signoff", "stage", "release", "first", "second",
    "定稿", "终稿",
}
# What a go-live milestone is called.
_LAUNCH_NAME = cue(r"上线|发布|投产|go[- ]?live|launch|live|release", re.I)


def _distinctive(milestone: Milestone, others: list[Milestone]) -> set[str]:
    mine = terms(milestone.name) - _GENERIC
    theirs: set[str] = set()
    for other in others:
        if other.id != milestone.id:
            theirs |= terms(other.name)
    return mine - theirs


def named(store: Store, project_key: str, text: str | None) -> Milestone | None:
    """The milestone `text` names: by its whole name (the longest wins), else by a word of its
    own; None when it names none, or several equally."""
    if not text:
        return None
    milestones = store.milestones.of_project(project_key, include_dropped=False)
    flat = normal(text)
    whole = [m for m in milestones if normal(m.name) and normal(m.name) in flat]
    if whole:
        return max(whole, key=lambda m: len(m.name))
    hits = named_all(store, project_key, text)
    if hits:
        return hits[0] if len(hits) == 1 else None
    return _by_concept(milestones, text)


# What milestones are about, in both languages: "the launch" names 正式上线, "UAT" 开发完成及UAT验收.
_CONCEPTS = tuple(cue(p, re.I) for p in (
    r"上线|投产|go[- ]?live|\blaunch",
    r"UAT|验收|acceptance",
    r"原型|prototype|wireframe",
    r"KV|主视觉|key visual",
    r"创意|concept|creative",
    r"视觉|\bUI\b|visual|mock-?ups?",
    r"需求|requirements|\bPRD\b",
))


def _by_concept(milestones: list[Milestone], text: str) -> Milestone | None:
    """The one milestone about what `text` talks of, in the other language."""
    found: set[int] = set()
    for concept in _CONCEPTS:
        if concept.search(text):
            found |= {m.id for m in milestones if concept.search(m.name)}
    return next((m for m in milestones if m.id in found), None) if len(found) == 1 else None


def named_all(store: Store, project_key: str, text: str) -> list[Milestone]:
    """Every milestone `text` names, by name or by a word of its own."""
    milestones = store.milestones.of_project(project_key, include_dropped=False)
    flat, found = normal(text), terms(text)
    return [m for m in milestones if (normal(m.name) and normal(m.name) in flat) or _distinctive(m, milestones) & found]


def by_name(milestone: Milestone, text: str) -> bool:
    """Whether `text` names the milestone by its whole name (not only by a word of it)."""
    return bool(normal(milestone.name)) and normal(milestone.name) in normal(text)


def named_in_clauses(store: Store, project_key: str, text: str, *, about_dates: bool, saying: Cue | None = None) -> Milestone | None:
    """The milestone a clause of `text` names, taking only clauses about dates (`about_dates`)
    or only clauses that are not, and of those only the ones `saying` finds something in."""
    for clause in _CLAUSE.split(text):
        if moves_dates(clause) != about_dates or (saying is not None and not saying.search(clause)):
            continue
        milestone = named(store, project_key, clause)
        if milestone is not None:
            return milestone
    return None


def is_launch(milestone: Milestone) -> bool:
    return _LAUNCH_NAME.search(milestone.name) is not None


def launch_notice(store: Store, project: Project, extraction: Extraction) -> Milestone | None:
    """The go-live milestone the studio's notice of going live is about: a clause that says the
    project (or its go-live milestone) is live ("麦穗坊会员小程序正式上线了", "the Lakeshore customer
    portal is live"), or a new message whose subject says so ("【上线通知】…今日正式上线"). A beta
    released, a banner gone live, a plan to go live are none."""
    launches = [m for m in store.milestones.of_project(project.key, include_dropped=False) if is_launch(m)]
    if not launches:
        return None
    subject = extraction.email.subject or ""
    own = terms(project.name) | terms(project.tag)
    clauses = list(extraction.completions) + [f.text for f in extraction.findings]
    for clause in clauses:
        if not GO_LIVE.search(clause) or _NOT_LIVE.search(clause):
            continue
        milestone = named(store, project.key, clause)
        if milestone is not None and is_launch(milestone):
            return milestone
        if len(terms(clause) & own) >= 2 and len(launches) == 1:
            return launches[0]
    if not extraction.email.in_reply_to and not _REPLY.match(subject) and GO_LIVE_SUBJECT.search(subject) and not _NOT_LIVE.search(subject):
        return named(store, project.key, subject) if named(store, project.key, subject) in launches else launches[-1]
    return None


_REPLY = cue(r"^\s*(?:re|fw|fwd|aw|回复|答复|转发)\s*[:：]", re.I)
# A subject the client wrote to say the work is accepted ("Re: 主片定剪 v3 — APPROVED ✅", "验收通过").
_SIGNED_SUBJECT = cue(r"\b(?:approved|signed[- ]off|accepted)\b|验收通过|确认通过|审核通过|已确认|已定稿|已通过|定稿确认", re.I)
_NOT_SIGNED = cue(r"\b(?:for (?:approval|sign-?off)|to be|pending|awaiting|request(?:ed)?|please|pls)\b|待|请|是否|吗", re.I)


def signed_in_subject(store: Store, project_key: str, extraction: Extraction) -> Milestone | None:
    """The milestone a client's subject signs off when the body says no more: the subject
    names the milestone and says it is approved, in words the client added to the thread."""
    subject = (extraction.email.subject or "").strip()
    while (prefix := _REPLY.match(subject)) is not None:
        subject = subject[prefix.end():].strip()
    found = _SIGNED_SUBJECT.search(subject)
    if found is None or _NOT_SIGNED.search(subject) or moves_dates(subject):
        return None
    milestone = named(store, project_key, subject[:found.start()] + " " + subject[found.end():])
    return milestone if milestone is not None and milestone.status != MilestoneStatus.DONE else None


_NOT_LIVE = cue(r"体验版|测试版|测试环境|预发|一旦|如果|等到|之后|以后|\b(?:beta|staging|test(?:ing)? (?:site|server|environment)|sandbox|uat|"
                       r"once|when|if|until|will|before|after)\b", re.I)


def sign_off(store: Store, milestone: Milestone, cause: Cause, at: str) -> bool:
    """The milestone is done; the project is finished when its last milestone is."""
    if milestone.status == MilestoneStatus.DONE:
        return False
    store.milestones.set_status(milestone, MilestoneStatus.DONE, cause, at, done_by=cause.reason)
    finish_if_done(store, milestone.project_key, cause, at)
    return True


def finish_if_done(store: Store, project_key: str, cause: Cause, at: str) -> None:
    milestones = store.milestones.of_project(project_key, include_dropped=False)
    if milestones and milestones[-1].status == MilestoneStatus.DONE:
        store.projects.set_status(project_key, ProjectStatus.FINISHED, cause, at)


def restated(store: Store, project_key: str, text: str, due: dt.date | None) -> Milestone | None:
    """The milestone a plan line restates ("需求与原型确认：3月6日", "上线时间改到6月12日没问题",
    "UAT（5月22日）和上线（6月5日）时间保持不变"): it names a milestone and either talks about
    dates or gives the milestone's own date (now or before)."""
    found = named_all(store, project_key, text)
    if not found:
        return None
    milestone = named(store, project_key, text) or found[0]
    by_name = normal(milestone.name) in normal(text)
    if moves_dates(text) and (by_name or len(found) > 1 or _only_schedule(text, found)):
        return milestone  # "上线时间改到6月12日没问题", "UAT（5月22日）和上线（6月5日）时间保持不变"
    if due is not None and (due.isoformat() == milestone.due or due.isoformat() in _former_dues(store, milestone)):
        return milestone
    rest = normal(text).replace(normal(milestone.name), "")
    return milestone if len(rest) <= 8 else None  # the name and a date, nothing else


_SCHEDULE_WORDS = cue(
    r"时间|日期|节点|里程碑|改到|改为|改成|顺延|推迟|延期|延后|提前|调整|不变|保持|维持|没问题|问题|可以|同意|接受|按计划|计划|"
    r"\d+\s*[月日号]|周[一二三四五六日天]|[上下本]周|[（）()：:，,。、\s]|\d+|"
    r"\b(?:date|deadline|milestone|move[ds]?|moving|to|from|on|the|is|fine|ok|okay|stays?|keep|works|for|us|we)\b",
    re.I,
)


def _only_schedule(text: str, milestones: list[Milestone]) -> bool:
    """The clause says nothing but a milestone, a date and how it moves (no other work named)."""
    rest = text
    for milestone in milestones:
        rest = rest.replace(milestone.name, " ")
        for term in terms(milestone.name) - _GENERIC:
            rest = re.sub(re.escape(term), " ", rest, flags=re.I)
    rest = _SCHEDULE_WORDS.sub(" ", rest)
    return len(terms(rest)) <= 1


def _former_dues(store: Store, milestone: Milestone) -> set[str]:
    return {h.old for h in store.history("milestones", milestone.id) if h.field == "due" and h.old}
