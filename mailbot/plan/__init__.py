"""The plan: what the mail says, kept as typed lifecycles in the store.

    sync.py       configuration → plan (projects, stakeholders, milestones)
    routing.py    which project a message belongs to
    appliers.py   one applier per finding kind, registered by kind; the decisions they take
    closing.py    what later mail shows delivered or received closes what it names
    snapshot.py   plan → the contract's JSON
"""

from mailbot.plan.appliers import AckDecision, Applied, Decision, ProposalDecision, apply
from mailbot.plan.routing import Route, route
from mailbot.plan.snapshot import dumps, snapshot
from mailbot.plan.sync import sync_projects

__all__ = ["AckDecision", "Applied", "Decision", "ProposalDecision", "Route", "apply", "dumps", "route", "snapshot", "sync_projects"]
