"""The plan: what the mail says, kept as typed lifecycles in the store.

    sync.py       configuration → plan (projects, stakeholders, milestones)
    routing.py    which project a message belongs to
    context.py    one message applied to one project; the decisions (mail to send) it leads to
    appliers.py   one applier per finding kind, registered by kind
    items.py      commitments and requests: one item per real-world thing
    changes.py    the change-request process: received, assessed, decided, applied
    meetings.py   proposal, counter-proposal, agreement, cancellation: one meeting
    milestones.py which milestone a sentence names; sign-offs, go-live, a finished project
    closing.py    what later mail shows done, answered or withdrawn closes what it names
    boilerplate.py  lines that recur in a sender's mail are never items
    people.py     who is who: "Name：task" owners, mail between the team only
    text.py       terms and overlap, the words of schedules, asks and impact
    snapshot.py   plan → the contract's JSON
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from mailbot.plan.snapshot import dumps, snapshot  # light, and bound here: the function, not its module, is mailbot.plan.snapshot
from mailbot.plan.sync import sync_projects

if TYPE_CHECKING:
    from mailbot.plan.appliers import AckDecision, Applied, CancelAck, CancelMeeting, Decision, MoveMeeting, ProposalDecision, apply
    from mailbot.plan.routing import Route, route

# Loaded on first use: `mailbot plan` reads the plan with snapshot.py and sync.py alone, without
# the appliers and the patterns they compile.
_WHERE = {"AckDecision": "appliers", "Applied": "appliers", "CancelAck": "appliers", "CancelMeeting": "appliers", "Decision": "appliers",
          "MoveMeeting": "appliers", "ProposalDecision": "appliers", "apply": "appliers", "Route": "routing", "route": "routing"}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(f"mailbot.plan.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'mailbot.plan' has no attribute {name!r}")

__all__ = ["AckDecision", "Applied", "CancelAck", "CancelMeeting", "Decision", "MoveMeeting", "ProposalDecision", "Route", "apply", "dumps",
           "route", "snapshot", "sync_projects"]
