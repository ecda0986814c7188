"""Configuration → plan: projects, stakeholders and milestones agree with `[[projects]]`.

Idempotent. A milestone whose configured date changed moves to it (the old date stays in the
history); a date agreed in mail since (a change request applied) is kept while the configuration
says what it said before: the configuration is where a plan starts, the mail where it goes. One
that left the configuration is dropped (its review is cancelled at the next tick); one that
comes back is planned again.
"""

from __future__ import annotations

import datetime as dt

from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, MilestoneStatus
from mailbot.store import Store, iso, open_store


def open_plan(settings: Settings, now: dt.datetime) -> Store:
    """The configuration's plan, open and up to date with the configuration (what every command
    does first; `mailbot plan` does nothing else before it reads)."""
    store = open_store(settings.store_path)
    prepare(store, settings, now)
    return store


def prepare(store: Store, settings: Settings, now: dt.datetime) -> dt.datetime:
    """Bring an open plan up to date with the configuration; returns when mailbot first ran on it."""
    sync_projects(store, settings, now)
    return dt.datetime.fromisoformat(store.bookkeeping.remember_once("first_started_at", iso(now)))


def sync_projects(store: Store, settings: Settings, now: dt.datetime) -> None:
    """Upsert projects, stakeholders and milestones from the configuration."""
    stamp = iso(now)
    with store.transaction():
        for project in settings.projects:
            store.projects.save(project.key, project.name, project.language, stamp)
            for person in project.stakeholders:
                store.projects.remember_contact(person.address, person.name, person.party, stamp)
                store.projects.link(project.key, person.address, "stakeholder")
            _sync_milestones(store, project, stamp)


def _sync_milestones(store: Store, project: Project, stamp: str) -> None:
    cause = Cause.config()
    configured = {m.name: m.due.isoformat() for m in project.milestones}
    existing = {m.name: m for m in store.milestones.of_project(project.key)}
    for name, due in configured.items():
        milestone = existing.get(name)
        if milestone is None:
            store.milestones.add(project.key, name, due, "config", stamp)
            continue
        changed = (milestone.config_due or milestone.due) != due
        if changed and milestone.due != due:
            store.milestones.move(milestone, due, cause, stamp)
        elif changed:
            store.milestones.set_config_due(milestone, due)
        if milestone.status == MilestoneStatus.DROPPED or (milestone.status == MilestoneStatus.MOVED and changed):
            store.milestones.set_status(milestone, MilestoneStatus.PLANNED, cause, stamp)
    for name, milestone in existing.items():
        if name not in configured and milestone.source == "config" and milestone.status != MilestoneStatus.DROPPED:
            store.milestones.set_status(milestone, MilestoneStatus.DROPPED, cause, stamp)
