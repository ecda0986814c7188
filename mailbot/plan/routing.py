"""Which project a message belongs to: its thread first, then a `[tag]` in the subject, then
who is on it (stakeholder addresses weigh more than client domains)."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot import trust
from mailbot.config import Project, Settings
from mailbot.store import Store
from parsing import patterns as rx
from parsing.model import Email


@dataclass(frozen=True, slots=True)
class Route:
    project_key: str | None
    how: str  # thread | subject | participants | none | ambiguous | calendar


def route(store: Store, settings: Settings, email: Email) -> Route:
    """Which project a message belongs to, and how that was decided."""
    for ref in email.thread_ids:
        project_key = store.messages.project_of(ref)
        if project_key is not None:
            return Route(project_key, "thread")
    # a [tag] names a project only for someone who belongs to it: a client cannot write into another client's project
    by_tag = [p.key for p in settings.projects if tagged(email.subject, p) and trust.may_route(settings, store, p, email)]
    if len(by_tag) == 1:
        return Route(by_tag[0], "subject")
    scores = {p.key: _participant_score(p, email, settings) for p in settings.projects}
    best = max(scores.values(), default=0)
    if best == 0:
        return Route(None, "none")
    winners = [key for key, score in scores.items() if score == best]
    if len(winners) > 1:
        return Route(None, "ambiguous")
    return Route(winners[0], "participants")


_TAG = rx.compile(r"[\[【]([^\[【\]】]{1,100})[\]】]")  # bounded: "[[[[…" must not rescan the subject from every bracket


def tagged(subject: str, project: Project) -> bool:
    return any(tag.strip() in (project.key, project.name, project.tag) for tag in _TAG.findall(subject))


def _participant_score(project: Project, email: Email, settings: Settings) -> int:
    people = [a for a in ((email.sender,) if email.sender else ()) + email.recipients if a.address != settings.team.address]
    score = 0
    for person in people:
        if project.stakeholder(person.address):
            score += 2
        elif person.domain in project.client_domains or any(person.domain.endswith("." + d) for d in project.client_domains):
            score += 1
    return score
