"""The schema of the plan: every table is created or altered only by a named migration here.

sqlite-utils 4 records applied migrations in `_sqlite_migrations`; `SCHEMA_VERSION` is their
count. Migrations are history: an applied one is never edited, a change is a new one.

Conventions in the tables: instants are ISO 8601 strings in UTC (`...+00:00`); days are
`YYYY-MM-DD`; meeting times are local wall times in the team's zone (`YYYY-MM-DDTHH:MM`), as
the contract prints them. Raw messages are kept verbatim (BLOB) before anything else happens.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from mailbot.store import core

MIGRATIONS = Migrations("mailbot")


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    db.table("projects").create({"key": str, "name": str, "language": str, "created_at": str}, pk="key")
    db.table("contacts").create(
        {"address": str, "name": str, "party": str, "first_seen": str},
        pk="address",
    )
    db.table("project_contacts").create(
        {"project_key": str, "address": str, "role": str},
        pk=("project_key", "address"),
        foreign_keys=[("project_key", "projects", "key"), ("address", "contacts", "address")],
    )
    db.table("messages").create(
        {
            "id": int,
            "key": str,  # Message-ID, or "sha256:<hex>" of the raw bytes when there is none
            "message_id": str,
            "content_hash": str,
            "raw": bytes,
            "source": str,  # where it came from: a file path, "imap:INBOX/UIDVALIDITY/UID"
            "received_at": str,
            "date": str,
            "subject": str,
            "sender": str,
            "party": str,
            "project_key": str,
            "category": str,
            "language": str,
            "body": str,
            "thread_ids": str,  # JSON list, nearest first
            "state": str,  # new | processed | ignored | failed
            "reason": str,  # why it was ignored or failed, in words
            "answerable": int,  # 0 for mail older than mailbot's first start: read, never answered
            "processed_at": str,
        },
        pk="id",
        not_null={"key", "raw", "state", "content_hash"},
        defaults={"state": "new", "answerable": 1},
    )
    db.table("messages").create_index(["key"], unique=True)
    db.table("messages").create_index(["message_id"])
    db.table("messages").create_index(["content_hash"])
    db.table("messages").create_index(["state"])
    db.table("findings").create(
        {
            "id": int,
            "message_key": str,
            "project_key": str,
            "kind": str,
            "text": str,
            "by": str,
            "due": str,
            "due_text": str,
            "sentiment": str,
            "score": int,
            "start": str,
        },
        pk="id",
    )
    db.table("findings").create_index(["message_key"])
    item = {
        "id": int,
        "project_key": str,
        "finding_id": int,
        "message_id": str,
        "text": str,
        "by": str,
        "who": str,  # the address of the person who said it
        "due": str,
        "due_text": str,
        "status": str,
        "created_at": str,
        "updated_at": str,
    }
    for table in ("commitments", "requests"):
        db.table(table).create(item, pk="id", foreign_keys=[("project_key", "projects", "key")])
        db.table(table).create_index(["project_key", "status"])
    db.table("change_requests").create(
        {
            "id": int,
            "project_key": str,
            "number": int,
            "finding_id": int,
            "message_id": str,
            "text": str,
            "who": str,
            "status": str,  # received → acknowledged → assessed → accepted/rejected/needs_info → applied
            "received_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("change_requests").create_index(["project_key", "number"], unique=True)
    db.table("milestones").create(
        {
            "id": int,
            "project_key": str,
            "name": str,
            "due": str,
            "status": str,  # planned → review_scheduled → approved | moved | dropped
            "source": str,  # config | plan
            "approved_at": str,
            "approval_message_id": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("milestones").create_index(["project_key", "name"], unique=True)
    db.table("meetings").create(
        {
            "id": int,
            "project_key": str,
            "milestone_id": int,
            "title": str,
            "start": str,
            "end": str,
            "uid": str,
            "sequence": int,
            "status": str,  # proposed → invited → held | cancelled
            "message_id": str,
            "finding_id": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("project_key", "projects", "key")],
    )
    db.table("meeting_attendees").create(
        {"meeting_id": int, "address": str, "name": str, "role": str, "partstat": str, "updated_at": str},
        pk=("meeting_id", "address"),
        foreign_keys=[("meeting_id", "meetings", "id")],
    )
    db.table("feedback").create(
        {
            "id": int,
            "project_key": str,
            "finding_id": int,
            "message_id": str,
            "text": str,
            "sentiment": str,
            "who": str,
            "milestone_id": int,
            "at": str,
        },
        pk="id",
    )
    db.table("approvals").create(
        {"id": int, "project_key": str, "finding_id": int, "message_id": str, "text": str, "who": str, "milestone_id": int, "at": str},
        pk="id",
    )
    db.table("risks").create(
        {"id": int, "project_key": str, "finding_id": int, "message_id": str, "text": str, "who": str, "status": str, "at": str},
        pk="id",
    )
    db.table("surveys").create(
        {
            "id": int,
            "project_key": str,
            "milestone_id": int,
            "address": str,
            "status": str,  # sent → answered | expired
            "sent_at": str,
            "score": int,
            "comment": str,
            "message_id": str,  # the answer's Message-ID
            "answered_at": str,
        },
        pk="id",
    )
    db.table("outbox").create(
        {
            "id": int,
            "project_key": str,
            "kind": str,  # ack | digest | invite | reminder | survey
            "dedupe_key": str,  # one message per decision: "ack:<project>:CR-2", "digest:<project>:2026-03-09"
            "message_id": str,
            "in_reply_to": str,
            "recipients": str,  # JSON list of addresses
            "subject": str,
            "raw": bytes,
            "status": str,  # queued → sending → sent | stored (no SMTP configured) | failed (retrying)
            "attempts": int,
            "last_error": str,
            "maildir_file": str,
            "created_at": str,
            "sent_at": str,
        },
        pk="id",
        not_null={"dedupe_key", "raw", "status"},
        defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["dedupe_key"], unique=True)
    db.table("outbox").create_index(["message_id"])
    db.table("outbox").create_index(["status"])
    db.table("digests").create(
        {"id": int, "project_key": str, "period_start": str, "period_end": str, "outbox_id": int, "report": str, "created_at": str},
        pk="id",
    )
    db.table("digests").create_index(["project_key", "period_start"], unique=True)
    db.table("history").create(
        {
            "id": int,
            "project_key": str,
            "item": str,  # table name
            "item_id": int,
            "field": str,
            "old": str,
            "new": str,
            "reason": str,  # e.g. "CR-3", "configuration", a message id
            "at": str,
        },
        pk="id",
    )
    db.table("history").create_index(["item", "item_id"])


@MIGRATIONS()
def m002_service(db: Database) -> None:
    """The live service: folder checkpoints, facts about this installation, outbox retries."""
    db.table("folders").create(
        {"account": str, "folder": str, "uidvalidity": int, "last_uid": int, "updated_at": str},
        pk=("account", "folder"),
    )
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("outbox").add_column("next_attempt_at", str)
    db.table("outbox").add_column("reason", str)  # why it was not sent (suppressed by the rate limit…)
    db.table("outbox").add_column("copied_at", str)  # when a copy went to the IMAP Sent folder


@MIGRATIONS()
def m003_meetings(db: Database) -> None:
    """Scheduling: what kind of meeting, its series rule, the due date a review was placed for,
    and attendees' counter-proposals."""
    db.table("meetings").add_column("kind", str)  # review | status | proposed
    db.table("meetings").add_column("rrule", str)
    db.table("meetings").add_column("for_due", str)
    db.table("meetings").add_column("updated_at", str)
    db.table("meetings").create_index(["uid"])
    db.table("meeting_counters").create(
        {"id": int, "meeting_id": int, "address": str, "start": str, "end": str, "comment": str, "message_id": str, "at": str},
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
    )


@MIGRATIONS()
def m004_outbox_claims(db: Database) -> None:
    """Outbox delivery: who is sending a row right now, and whether a send was interrupted
    after the server may already have taken it (see mailbot.outbox)."""
    db.table("outbox").add_column("claimed_by", str)  # host:pid of the sending process
    db.table("outbox").add_column("claimed_at", str)
    db.table("outbox").add_column("in_doubt", int, not_null_default=0)




@MIGRATIONS()
def m005_lifecycles(db: Database) -> None:
    """The plan as typed lifecycles: commitments and requests become one `items` table with
    short numbers per project and kind (C12, R4); milestones (M2) and meetings (MT5) are
    numbered too; every history row says what kind of cause moved it; milestones signed off
    are `done`; projects have a status; a meeting proposal merged into a review is no meeting."""
    db.execute(
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            project_key TEXT NOT NULL REFERENCES projects(key),
            kind TEXT NOT NULL,            -- commitment | request
            number INTEGER NOT NULL,       -- per project and kind: C1, C2 … / R1, R2 …
            finding_id INTEGER,
            message_id TEXT,
            text TEXT NOT NULL,
            by TEXT,                       -- the side that owes it: us | client
            who TEXT,                      -- the address of the person who said it
            due TEXT,
            due_text TEXT,
            status TEXT NOT NULL,
            created_at TEXT,
            updated_at TEXT
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX idx_items_number ON items (project_key, kind, number)")
    db.execute("CREATE INDEX idx_items_status ON items (project_key, status)")
    db.execute("CREATE INDEX idx_items_message ON items (message_id)")
    db.table("history").add_column("cause", str)  # message | command | clock | config | plan
    db.table("history").add_column("note", str)
    db.execute("UPDATE history SET cause = CASE WHEN reason = 'configuration' THEN 'config' WHEN reason LIKE '<%' THEN 'message' ELSE 'plan' END")
    numbers: dict[tuple[str, str], int] = {}
    for table, kind in (("commitments", "commitment"), ("requests", "request")):
        for row in list(db.query(f"SELECT * FROM {table} ORDER BY id")):
            key = (row["project_key"], kind)
            numbers[key] = numbers.get(key, 0) + 1
            cursor = db.execute(
                "INSERT INTO items (project_key, kind, number, finding_id, message_id, text, by, who, due, due_text, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row["project_key"], kind, numbers[key], row["finding_id"], row["message_id"], row["text"] or "", row["by"], row["who"],
                 row["due"], row["due_text"], row["status"] or "open", row["created_at"], row["updated_at"]],
            )
            db.execute("UPDATE history SET item = 'items', item_id = ? WHERE item = ? AND item_id = ?", [cursor.lastrowid, table, row["id"]])
        db.execute(f"DROP TABLE {table}")
    db.table("milestones").add_column("number", int)
    db.table("milestones").add_column("done_at", str)
    db.table("milestones").add_column("done_by", str)  # the Message-ID (or command) that signed it off
    db.execute("UPDATE milestones SET status = 'done', done_at = approved_at, done_by = approval_message_id WHERE status = 'approved'")
    db.execute(
        "UPDATE milestones SET number = (SELECT COUNT(*) FROM milestones AS m WHERE m.project_key = milestones.project_key AND m.id <= milestones.id)"
    )
    db.execute("CREATE UNIQUE INDEX idx_milestones_number ON milestones (project_key, number)")
    db.execute("DELETE FROM meetings WHERE status = 'merged'")
    db.table("meetings").add_column("number", int)
    db.execute("UPDATE meetings SET number = (SELECT COUNT(*) FROM meetings AS m WHERE m.project_key = meetings.project_key AND m.id <= meetings.id)")
    db.table("projects").add_column("status", str, not_null_default="active")
    db.table("projects").add_column("finished_at", str)
    db.table("projects").add_column("finished_by", str)


@MIGRATIONS()
def m006_sources_and_decisions(db: Database) -> None:
    """What ties the plan to its mail: every place an item, change request, meeting or
    milestone is stated (`sources`, mailbot's own acknowledgements and invitations among them),
    the change-request process (origin, the milestone and date it moves, who decided), the
    pairs mailbot was unsure of (`review`), and lines that recur across a sender's mail
    (`recurring_lines`: banners, disclaimers)."""
    db.execute(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            project_key TEXT,
            item TEXT NOT NULL,          -- items | change_requests | meetings | milestones
            item_id INTEGER NOT NULL,
            message_id TEXT,             -- the message (received, or sent by mailbot) that says it
            finding_id INTEGER,
            text TEXT,
            role TEXT NOT NULL,          -- stated | restated | answered | rescheduled | closed | ack | invite …
            at TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_sources_item ON sources (item, item_id)")
    db.execute("CREATE INDEX idx_sources_message ON sources (message_id)")
    for table, text in (("items", "text"), ("change_requests", "text"), ("meetings", "title")):
        db.execute(
            f"INSERT INTO sources (project_key, item, item_id, message_id, finding_id, text, role, at) "
            f"SELECT project_key, '{table}', id, message_id, finding_id, {text}, 'stated', COALESCE(updated_at, created_at) "
            f"FROM {table} WHERE message_id IS NOT NULL"
            if table != "change_requests" else
            "INSERT INTO sources (project_key, item, item_id, message_id, finding_id, text, role, at) "
            "SELECT project_key, 'change_requests', id, message_id, finding_id, text, 'stated', received_at FROM change_requests WHERE message_id IS NOT NULL"
        )
    db.table("items").add_column("internal", int, not_null_default=0)  # said in mail between the team only
    db.table("items").add_column("milestone_id", int)
    db.table("change_requests").add_column("origin", str, not_null_default="client")  # client | us (the studio proposes)
    db.table("change_requests").add_column("milestone_id", int)  # the milestone it moves, if any
    db.table("change_requests").add_column("new_due", str)  # the date it moves it to
    db.table("change_requests").add_column("decided_by", str)  # the Message-ID (or command) that decided it
    db.table("change_requests").add_column("decided_at", str)
    db.table("milestones").add_column("config_due", str)  # the date the configuration last gave; mail may move `due`
    db.execute("UPDATE milestones SET config_due = due WHERE source = 'config'")
    db.table("meetings").add_column("proposed_by", str)  # us | client: who put the current time forward
    db.table("meetings").add_column("replaces", int)  # a new time proposed for this (invited) meeting
    db.execute(
        """
        CREATE TABLE review (
            id INTEGER PRIMARY KEY,
            project_key TEXT,
            kind TEXT NOT NULL,          -- close | merge | decide: what mailbot was unsure of
            item TEXT NOT NULL,
            item_id INTEGER NOT NULL,
            message_id TEXT,
            text TEXT,
            confidence REAL,
            reason TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            created_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_review_project ON review (project_key, status)")
    db.execute(
        """
        CREATE TABLE recurring_lines (
            scope TEXT NOT NULL,         -- a sender's address, or their domain
            digest TEXT NOT NULL,        -- SHA-256 of the line, spacing and case aside
            messages INTEGER NOT NULL,   -- in how many of their messages it stood
            tail INTEGER NOT NULL,       -- … at the foot of the message
            last_message TEXT,
            PRIMARY KEY (scope, digest)
        )
        """
    )


@MIGRATIONS()
def m007_commands(db: Database) -> None:
    """Commands the team gave by mail: one row per command line, with what came of it, so that a
    redelivered mail is not obeyed twice and `undo` knows the sender's last command mail."""
    db.execute(
        """
        CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            project_key TEXT,
            message_id TEXT NOT NULL,    -- the mail that carried it (its changes are in history by this cause)
            sender TEXT NOT NULL,
            line TEXT NOT NULL,          -- as written
            verb TEXT NOT NULL,
            target TEXT,                 -- C12, CR-3, M2 …
            result TEXT NOT NULL,        -- done | unchanged | refused | unclear
            detail TEXT,
            undone_by TEXT,              -- the Message-ID of the undo
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX commands_sender ON commands (sender, at)")
    db.execute("CREATE INDEX commands_message ON commands (message_id)")
    db.execute("CREATE INDEX items_number ON items (project_key, kind, number)")  # C12 → the item, on a store of 10,000


@MIGRATIONS()
def m008_surveys_sent(db: Database) -> None:
    """Surveys mailbot sends: the survey mail (answers find it by thread), its one reminder, and
    what it asks about (a milestone, or the project's close)."""
    db.table("surveys").add_column("survey_message_id", str)
    db.table("surveys").add_column("reminded_at", str)
    db.table("surveys").add_column("about", str)  # "M2", or "project"
    db.table("surveys").add_column("scale", str)


@MIGRATIONS()
def m009_item_terms(db: Database) -> None:
    """The index that keeps a reply's cost flat as the plan grows: the open items a clause can
    close are found by the terms they share with it, not by reading every open item; and the
    terms too common to tell a project's items apart are counted as items are added. Filled
    (and refilled whenever `mailbot.terms.TERMS_VERSION` changes) by `Store.index_terms`."""
    db.execute(
        """
        CREATE TABLE item_terms (
            project_key TEXT NOT NULL,
            term TEXT NOT NULL,          -- mailbot.terms.terms of the item's text and of every source but its closing
            item_id INTEGER NOT NULL,
            PRIMARY KEY (project_key, term, item_id)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE TABLE project_terms (
            project_key TEXT NOT NULL,
            term TEXT NOT NULL,          -- '' counts the project's items
            items INTEGER NOT NULL,      -- how many of the project's items state it in their text
            PRIMARY KEY (project_key, term)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX project_terms_common ON project_terms (project_key, items)")
    db.execute("CREATE INDEX messages_project ON messages (project_key, state)")


@MIGRATIONS()
def m010_indexes_for_reads(db: Database) -> None:
    """An index for every lookup on the way of a message, a tick or a digest, so that each
    costs what it finds, not what the plan holds (`tests/test_scale.py` looks at their query
    plans); and the outbox's recipients in a table of their own, so that "what did we send this
    address lately" is a range, not a LIKE over every message ever sent."""
    for statement in (
        "CREATE INDEX meetings_milestone ON meetings (milestone_id, kind)",
        "CREATE INDEX meetings_project ON meetings (project_key, status)",
        "CREATE INDEX meeting_counters_meeting ON meeting_counters (meeting_id)",
        "CREATE INDEX meeting_attendees_address ON meeting_attendees (address, meeting_id)",
        "CREATE INDEX meetings_status ON meetings (status, start)",
        "CREATE INDEX surveys_message ON surveys (survey_message_id)",
        "CREATE INDEX surveys_project ON surveys (project_key, address)",
        "CREATE INDEX review_item ON review (item, item_id)",
        "CREATE INDEX risks_project ON risks (project_key, status)",
        "CREATE INDEX feedback_project ON feedback (project_key, at)",
        "CREATE INDEX approvals_project ON approvals (project_key)",
        "CREATE INDEX outbox_project ON outbox (project_key, kind, created_at)",
        "CREATE INDEX outbox_kind ON outbox (kind)",
        "CREATE INDEX history_field ON history (item, field, at)",  # what moved in a digest's week
        "CREATE INDEX history_at ON history (at)",  # did anything change after a moment
        "CREATE INDEX messages_date ON messages (project_key, date)",
        """
        CREATE TABLE outbox_recipients (
            address TEXT NOT NULL,       -- lower case, as the outbox row lists it
            created_at TEXT NOT NULL,    -- the outbox row's
            outbox_id INTEGER NOT NULL,
            PRIMARY KEY (address, created_at, outbox_id)
        ) WITHOUT ROWID
        """,
        "INSERT OR IGNORE INTO outbox_recipients (address, created_at, outbox_id) "
        "SELECT j.value, o.created_at, o.id FROM outbox o, json_each(o.recipients) j WHERE o.created_at IS NOT NULL",
    ):
        db.execute(statement)


@MIGRATIONS()
def m011_item_terms_by_item(db: Database) -> None:
    """The term index holds open items only: an item that closes leaves it, by its id."""
    db.execute("CREATE INDEX item_terms_item ON item_terms (item_id)")


@MIGRATIONS()
def m012_raw_apart(db: Database) -> None:
    """The raw bytes of each message in a table of their own: in `messages` they sat mid-row, so
    reading a message's state, project or subject walked the overflow pages of its bytes (a
    message with a 20 MB attachment: 5,000 pages for every look at its row)."""
    db.execute(
        """
        CREATE TABLE message_raw (
            message INTEGER PRIMARY KEY REFERENCES messages (id),
            raw BLOB NOT NULL            -- the bytes as received, kept before anything else happens
        )
        """
    )
    db.execute("INSERT INTO message_raw (message, raw) SELECT id, raw FROM messages")
    db.execute("ALTER TABLE messages DROP COLUMN raw")



@MIGRATIONS()
def m013_outbox_text(db: Database) -> None:
    """The plain text of each message mailbot sends, kept when it is queued: a reply that quotes
    mailbot is checked against it (`mailbot.echo`), and parsing the sent bytes again for that
    was a sixth of applying a message in a bulk import. NULL for what was queued before."""
    db.execute("ALTER TABLE outbox ADD COLUMN text TEXT")

SCHEMA_VERSION = len(MIGRATIONS._migrations)
if SCHEMA_VERSION != core.SCHEMA_VERSION:  # core's count decides whether a plan needs migrating
    raise RuntimeError(f"mailbot.store.core.SCHEMA_VERSION is {core.SCHEMA_VERSION}; schema.py has {SCHEMA_VERSION} migrations")
