"""What the store hands out: one frozen dataclass per kind of row, built from the row by name.

Callers never see SQL rows or tables, only these. Days are `YYYY-MM-DD` strings, instants ISO
8601 strings in UTC, meeting times local wall times `YYYY-MM-DDTHH:MM` (the contract's forms);
statuses are the lifecycle enums' strings.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

R = TypeVar("R")


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def from_row(cls: type[R], row: sqlite3.Row) -> R:
    """The record `cls` from a row that has (at least) a column for each of its fields."""
    return cls(**{name: row[name] for name in _names(cls)})


_BUILDERS: dict[tuple[type, tuple[str, ...]], Callable[[tuple[Any, ...]], Any]] = {}  # one per query shape in the code


def row_builder(cls: type[R], columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], R]:
    """How to make `cls` from a plain row of a query with these `columns`: positionally, the
    fields picked by index once per query shape (about half the cost of `from_row` by name in
    a profile of `plan --json`, which builds tens of thousands of records)."""
    build = _BUILDERS.get((cls, columns))
    if build is None:
        fields = _names(cls)
        missing = [name for name in fields if name not in columns]
        if missing:
            raise KeyError(f"{cls.__name__}: the query has no column {', '.join(missing)}")
        at = tuple(columns.index(name) for name in fields)
        if at == tuple(range(len(columns))):
            build = _BUILDERS[cls, columns] = lambda row: cls(*row)
        else:
            (first, *_) = at  # itemgetter of one index gives the value, not a 1-tuple
            pick = operator.itemgetter(*at) if len(at) > 1 else lambda row: (row[first],)
            build = _BUILDERS[cls, columns] = lambda row: cls(*pick(row))
    return build


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message as kept: identity, state and what processing learnt about it."""

    id: int
    key: str
    message_id: str | None
    state: str
    project_key: str | None
    source: str | None
    subject: str | None
    sender: str | None
    date: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Contact:
    address: str
    name: str | None
    party: str | None


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    key: str
    name: str
    language: str
    status: str
    created_at: str | None
    finished_at: str | None


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    project_key: str
    number: int | None
    name: str
    due: str
    status: str
    source: str | None  # config | plan
    done_at: str | None
    done_by: str | None
    updated_at: str | None
    config_due: str | None  # the date the configuration gives; `due` may have moved since by agreed mail

    @property
    def ref(self) -> str:
        return f"M{self.number}"


ITEM_PREFIX = {"commitment": "C", "request": "R"}


@dataclass(frozen=True, slots=True)
class Item:
    """A commitment or a request: something one side owes the other."""

    id: int
    project_key: str
    kind: str  # commitment | request
    number: int
    text: str
    by: str | None  # the side that owes it
    who: str | None  # the address of the person who said it
    due: str | None
    due_text: str | None
    status: str
    message_id: str | None
    finding_id: int | None
    created_at: str | None
    updated_at: str | None
    internal: int  # 1: said in mail between the team only; never in the client's digest
    milestone_id: int | None

    @property
    def ref(self) -> str:
        return f"{ITEM_PREFIX[self.kind]}{self.number}"


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    id: int
    project_key: str
    number: int
    text: str
    who: str | None
    status: str
    message_id: str | None
    finding_id: int | None
    received_at: str | None
    updated_at: str | None
    origin: str  # client: the client asked; us: the studio proposes it and waits for the client's yes
    milestone_id: int | None  # the milestone it moves
    new_due: str | None  # … to this date
    decided_by: str | None
    decided_at: str | None

    @property
    def ref(self) -> str:
        return f"CR-{self.number}"


@dataclass(frozen=True, slots=True)
class Feedback:
    id: int
    project_key: str
    text: str
    sentiment: str | None
    who: str | None
    at: str | None
    message_id: str | None
    milestone_id: int | None


@dataclass(frozen=True, slots=True)
class Approval:
    id: int
    project_key: str
    text: str
    who: str | None
    at: str | None
    message_id: str | None
    milestone_id: int | None


@dataclass(frozen=True, slots=True)
class Risk:
    id: int
    project_key: str
    text: str
    who: str | None
    status: str
    at: str | None
    message_id: str | None


@dataclass(frozen=True, slots=True)
class Survey:
    id: int
    project_key: str
    address: str | None
    status: str
    score: int | None
    comment: str | None
    sent_at: str | None
    answered_at: str | None
    message_id: str | None  # the answer's
    survey_message_id: str | None = None  # the survey mail mailbot sent
    reminded_at: str | None = None
    about: str | None = None  # "M2", or "project"
    scale: str | None = None  # "1-5" or "0-10"


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    project_key: str
    number: int | None
    milestone_id: int | None
    kind: str | None  # review | status | proposed
    title: str | None
    start: str | None
    end: str | None
    uid: str | None
    sequence: int
    status: str
    rrule: str | None
    for_due: str | None  # the milestone due date a review was placed for
    message_id: str | None
    finding_id: int | None
    proposed_by: str | None  # us | client: who put its current time forward
    replaces: int | None  # a proposal to move this meeting (an invited one) to this time

    @property
    def ref(self) -> str:
        return f"MT{self.number}"


@dataclass(frozen=True, slots=True)
class Attendee:
    meeting_id: int
    address: str
    name: str | None
    role: str | None
    partstat: str | None


@dataclass(frozen=True, slots=True)
class Counter:
    meeting_id: int
    address: str
    start: str | None
    end: str | None
    comment: str | None
    message_id: str | None
    at: str | None


@dataclass(frozen=True, slots=True)
class Busy:
    """An invited meeting that occupies some of the given people (for placing another)."""

    meeting_id: int
    start: str
    end: str
    rrule: str | None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    project_key: str | None
    kind: str
    dedupe_key: str
    message_id: str | None
    in_reply_to: str | None
    recipients_json: str
    subject: str | None
    raw: bytes
    status: str
    attempts: int
    last_error: str | None
    maildir_file: str | None
    created_at: str
    sent_at: str | None
    next_attempt_at: str | None
    reason: str | None
    claimed_by: str | None
    claimed_at: str | None
    in_doubt: int

    @property
    def recipients(self) -> list[str]:
        value: Any = json.loads(self.recipients_json or "[]")
        return [str(a) for a in value]


@dataclass(frozen=True, slots=True)
class Source:
    """A place where a plan thing is stated: a message (received, or sent by mailbot) and its words."""

    item: str
    item_id: int
    message_id: str | None
    text: str | None
    role: str
    at: str | None


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """Something mailbot was unsure of, kept for the team to decide."""

    id: int
    project_key: str | None
    kind: str
    item: str
    item_id: int
    message_id: str | None
    text: str | None
    confidence: float | None
    reason: str | None
    status: str
    created_at: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    item: str
    item_id: int
    field: str
    old: str | None
    new: str | None
    cause: str | None
    reason: str | None  # the cause's reference: a Message-ID, "configuration", "CR-3" …
    note: str | None
    at: str | None
