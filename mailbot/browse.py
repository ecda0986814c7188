"""`mailbot browse`: the plan database, read-only, in Datasette (the optional `browse` extra).

Datasette is made for exactly this: browsing a SQLite file with facets, search and SQL in a
browser. mailbot only gives it metadata that names the tables and columns in plain words,
facets by project, status and owner, hides the tables that are for machines (migrations,
checkpoints, line counts), and adds canned queries a PM asks for: what is overdue, which
change requests wait for a decision, how the surveys scored. Datasette reads the file with
`mode=ro` (a running service may go on writing it), and no canned query here writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mailbot.config import Settings

_TABLES: dict[str, dict[str, Any]] = {
    "items": {
        "title": "Commitments and requests",
        "description": "What each side promised or was asked for, with its owner, due date and status.",
        "facets": ["project_key", "kind", "status", "by"],
        "columns": {"kind": "commitment or request", "by": "the side that owes it (us / client)",
                    "who": "the person who owes it", "due": "the day it is due", "status": "open, done, superseded, withdrawn, dropped",
                    "number": "its short id in mail (C12, R4)", "message_id": "the message that made it"},
    },
    "change_requests": {
        "title": "Change requests",
        "description": "Changes asked for (CR-n), how far each got, and who decided.",
        "facets": ["project_key", "status", "origin"],
        "columns": {"number": "CR-n", "status": "received, acknowledged, assessed, accepted, rejected, withdrawn, applied",
                    "origin": "who asked: client, or us", "new_due": "the new date an accepted change set"},
    },
    "milestones": {"title": "Milestones", "description": "Planned and actual dates of each stage.",
                   "facets": ["project_key", "status"], "columns": {"due": "planned day", "done_at": "signed off"}},
    "meetings": {"title": "Meetings", "description": "Meetings proposed, agreed, held or cancelled.",
                 "facets": ["project_key", "status", "kind"], "columns": {"start": "when (team's zone)"}},
    "feedback": {"title": "Feedback", "description": "What the client said of the work.",
                 "facets": ["project_key", "sentiment"], "columns": {"who": "who said it"}},
    "risks": {"title": "Risks", "description": "What may hurt the schedule, scope or outcome.", "facets": ["project_key", "status"]},
    "approvals": {"title": "Approvals", "description": "Sign-offs and go-aheads.", "facets": ["project_key"]},
    "surveys": {"title": "Surveys", "description": "Satisfaction surveys sent and their scores.",
                "facets": ["project_key", "status"], "columns": {"score": "on the survey's scale", "scale": "1-5 or 0-10"}},
    "messages": {"title": "Messages", "description": "Every message read, with its project, state and the reason when it made no plan.",
                 "facets": ["project_key", "state", "category", "language"],
                 "columns": {"state": "processed, ignored, failed", "reason": "why it was ignored, failed or left unassigned"}},
    "history": {"title": "History", "description": "Every change of every item, with its cause.", "facets": ["project_key", "item", "field"]},
    "outbox": {"title": "Outgoing mail", "description": "Every message mailbot sent or will send.", "facets": ["project_key", "kind", "status"]},
    "projects": {"title": "Projects", "facets": ["status"]},
}
# for machines only: raw bytes, schema bookkeeping, checkpoints
_HIDDEN = ("_sqlite_migrations", "meta", "folders", "recurring_lines", "findings", "sources", "meeting_attendees",
           "meeting_counters", "project_contacts", "contacts", "digests", "commands", "review", "message_raw", "item_terms",
           "project_terms", "outbox_recipients")


def metadata(settings: Settings, today: dt.date) -> dict[str, Any]:
    """Datasette metadata for the plan at `settings.store_path`."""
    database = settings.store_path.stem
    tables: dict[str, Any] = {name: {**spec, "sort_desc": "id"} if name != "projects" else dict(spec)
                              for name, spec in _TABLES.items()}
    tables.update({name: {"hidden": True} for name in _HIDDEN})
    return {
        "title": f"mailbot: {settings.team.name or settings.team.address}",
        "description": "The project plan mailbot keeps from the mail, read-only.",
        "databases": {database: {
            "tables": tables,
            "queries": {
                "overdue": {
                    "title": "Overdue commitments and requests",
                    "sql": "SELECT project_key, number, kind, \"by\", who, due, text FROM items "
                           "WHERE status = 'open' AND due IS NOT NULL AND due < :today ORDER BY due",
                    "params": ["today"],
                    "description": f"Open items past their due date (give today as YYYY-MM-DD, e.g. {today.isoformat()}).",
                },
                "open_change_requests": {
                    "title": "Change requests waiting for a decision",
                    "sql": "SELECT project_key, number, status, received_at, text FROM change_requests "
                           "WHERE status IN ('received', 'acknowledged', 'assessed') ORDER BY received_at",
                },
                "survey_scores": {
                    "title": "Survey scores",
                    "sql": "SELECT project_key, about, address, score, scale, answered_at, comment FROM surveys "
                           "WHERE score IS NOT NULL ORDER BY answered_at DESC",
                },
            },
        }},
    }
