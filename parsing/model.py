"""The values that flow out of `parsing`: frozen dataclasses, no behaviour beyond small helpers.

Everything here is pure data so that `mailbot` (the only package with I/O) can store it,
print it as JSON and compare it in tests without knowing how it was produced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Party(StrEnum):
    """Which side of the project a person is on."""

    US = "us"
    CLIENT = "client"


class Category(StrEnum):
    """What kind of message this is, for deciding whether mailbot may act on it or answer it."""

    NORMAL = "normal"
    AUTO_REPLY = "auto_reply"  # out-of-office, RFC 3834 auto-replies
    BULK = "bulk"  # mailing lists, newsletters
    BOUNCE = "bounce"  # delivery status notifications
    CALENDAR_REPLY = "calendar_reply"  # iTIP METHOD:REPLY / COUNTER
    OWN = "own"  # mail mailbot sent itself


class Kind(StrEnum):
    """The kinds of finding of CONTRACT.md `extract --json`."""

    COMMITMENT = "commitment"
    REQUEST = "request"
    CHANGE_REQUEST = "change_request"
    FEEDBACK = "feedback"
    APPROVAL = "approval"
    MEETING = "meeting"
    RISK = "risk"
    SURVEY_RESPONSE = "survey_response"


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: display name (decoded) and address (lower-cased)."""

    name: str
    address: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment's metadata; its bytes are not decoded unless someone asks."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class CalendarPart:
    """A text/calendar part, as text, with the METHOD of its VCALENDAR (or MIME) if any."""

    method: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Email:
    """A decoded message. `text` is the whole plain text (from HTML when there is no text part)."""

    message_id: str | None
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: dt.datetime | None  # aware; None when the message has no usable Date
    in_reply_to: str | None
    references: tuple[str, ...]
    text: str
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()
    calendars: tuple[CalendarPart, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()  # selected headers, names lower-cased
    defects: tuple[str, ...] = ()  # what was wrong and repaired, in words

    def header(self, name: str) -> str | None:
        """The first value of a header kept in `headers`, or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers, nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += [ref for ref in reversed(self.references) if ref not in ids]
        return tuple(ids)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in text and resolved against a reference moment.

    `date` is the resolved day (the deadline day for "before X" forms); `time` the time of
    day when one is given. `vague` marks expressions that name a period but no day
    (5月中旬, mid-June): they keep their text but resolve to no date.
    """

    text: str
    start: int  # character offsets into the text it was found in
    end: int
    date: dt.date | None
    time: dt.time | None = None
    end_date: dt.date | None = None  # for ranges
    vague: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing said in a message: see CONTRACT.md `findings[]`."""

    kind: Kind
    text: str
    by: Party | None = None
    due: dt.date | None = None
    due_text: str | None = None
    sentiment: str | None = None  # feedback: positive | negative | mixed
    score: int | None = None  # survey_response
    start: dt.datetime | None = None  # meeting: naive local wall time in the team's zone

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "kind": str(self.kind),
            "text": self.text,
            "by": str(self.by) if self.by else None,
            "due": self.due.isoformat() if self.due else None,
            "due_text": self.due_text,
        }
        if self.sentiment is not None:
            out["sentiment"] = self.sentiment
        if self.score is not None:
            out["score"] = self.score
        if self.kind is Kind.MEETING:
            out["start"] = self.start.strftime("%Y-%m-%dT%H:%M") if self.start else None
        return out


class SignalKind(StrEnum):
    """What a clause that is no finding of its own says about earlier ones."""

    WITHDRAWN = "withdrawn"  # an earlier ask or change no longer wanted: "这个不用了", "no need for it anymore"
    REFUSED = "refused"  # a proposal or change turned down: "超出合同范围", "we can't accept that"
    CANCELLED = "cancelled"  # a meeting called off: "明天的会取消吧"
    AGREED = "agreed"  # yes to what was put forward: "没问题", "可以接受", "sounds good"


@dataclass(frozen=True, slots=True)
class Signal:
    """A clause that answers something said before: the plan decides what it answers."""

    kind: SignalKind
    text: str
    start: dt.datetime | None = None  # AGREED to a slot ("周四下午3点可以"): naive local wall time


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything `parsing` learns from one message, ready to be applied to the plan."""

    email: Email
    body: str  # the newly written text only
    language: str  # zh | en | mixed
    party: Party
    category: Category
    findings: tuple[Finding, ...] = field(default=())
    notes: tuple[str, ...] = ()  # e.g. "quote removal left nothing; raw text kept"
    completions: tuple[str, ...] = ()  # clauses reporting work done: "首页设计稿已经发给您了"
    receipts: tuple[str, ...] = ()  # clauses acknowledging the other side's work: "素材收到了"
    signals: tuple[Signal, ...] = ()  # clauses withdrawing, refusing, cancelling or agreeing

    def signalled(self, kind: SignalKind) -> tuple[str, ...]:
        return tuple(s.text for s in self.signals if s.kind is kind)
