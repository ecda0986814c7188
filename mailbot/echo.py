"""Loop safety: mailbot's own words coming back without the '>' that would mark them quoted.

RFC 3834 robots say what they are, and `parsing.classify` ignores them. Others do not: a
ticket system that answers "We received your message" and pastes the message below, a phone
client that quotes without '>', a forward. The quote stripper cannot know that those lines are
quoted, so mailbot would read its own acknowledgement ("已登记为 CR-3：…") as the client's words
and answer it again.

So, before a message's findings are applied, mailbot looks up what it sent that the message may
be quoting: the outbox messages named by its In-Reply-To/References, and the latest ones sent to
its sender in the last few days. Their text is split into lines, normalised (NFKC, case,
spacing, leading quote marks), and

- every finding, completion, receipt and signal whose text lies inside that text is dropped:
  mailbot's template words are never a client's words;
- a message that arrives within `MACHINE_SECONDS` of mailbot's message and repeats most of it is
  machine-made: no person reads and answers that fast. It is ignored as an automatic reply is.

Hand-written: this is a comparison against mailbot's own outbox, not a general problem a
library solves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from dataclasses import dataclass

from mailbot.outbox import plain_text
from mailbot.store import Store, iso
from mailbot.store.records import OutboxRow
from parsing import patterns as rx
from parsing.model import Email, Extraction

MACHINE_SECONDS = 90  # a reply this soon after mailbot's message, repeating most of it, is a robot's
MACHINE_SHARE = 0.6  # … "most": this share of mailbot's lines
LOOK_BACK = dt.timedelta(days=3)  # what mailbot sent the sender this recently may come back unmarked
CLOCK_SLACK = dt.timedelta(hours=1)  # … and sent no later than the message, give or take clocks that disagree
MIN_LINE = 4  # characters: shorter lines ("Hi", "谢谢") prove nothing

_QUOTE_MARKS = rx.compile(r"^[\s>|]+")
_SPACE = rx.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Echo:
    """What of mailbot's own mail a message repeats."""

    own_text: str = ""  # normalised text of mailbot's messages it may quote, one per line
    machine_made: str | None = None  # why the whole message is a robot's echo, when it is

    def is_ours(self, text: str) -> bool:
        norm = _normalise(text)
        return len(norm) >= MIN_LINE and norm in self.own_text


def recognise(store: Store, email: Email, body: str, received: dt.datetime | None) -> Echo:
    """Look up what mailbot sent that `email` may be quoting and how much of it `body` repeats."""
    sender = email.sender.address if email.sender else None
    arrived = received or email.date
    # Only what was sent before the message was written can be in it: mail read from a backlog
    # (`ingest` of last year's mail) never quotes the acknowledgements queued while reading it.
    moment = arrived or dt.datetime.now(dt.timezone.utc)
    rows = store.outbox.answered_by(email.thread_ids, sender, iso(moment - LOOK_BACK), iso(moment + CLOCK_SLACK))
    if not rows:
        return Echo()
    own: list[str] = []
    machine: str | None = None
    lines = {line for line in map(_normalise, body.splitlines()) if len(line) >= MIN_LINE}
    for row in rows:
        ours = _lines_of(store, row)
        own.append(" ".join(ours))
        if machine is None and ours and arrived is not None:
            repeated = sum(1 for line in ours if line in lines) / len(ours)
            after = _seconds_after(row, arrived)
            if repeated >= MACHINE_SHARE and after is not None and 0 <= after <= MACHINE_SECONDS:
                machine = f"machine-made: repeats mailbot's {row.kind} {row.message_id} {after:.0f} s after it was sent"
    return Echo("\n".join(own), machine)


def without_own_words(extraction: Extraction, echo: Echo) -> Extraction:
    """`extraction` without the findings and answers that are mailbot's own words."""
    if not echo.own_text:
        return extraction
    findings = tuple(f for f in extraction.findings if not echo.is_ours(f.text))
    completions = tuple(t for t in extraction.completions if not echo.is_ours(t))
    receipts = tuple(t for t in extraction.receipts if not echo.is_ours(t))
    signals = tuple(s for s in extraction.signals if not echo.is_ours(s.text))
    dropped = len(extraction.findings) - len(findings)
    notes = extraction.notes + ((f"{dropped} finding(s) in mailbot's own words, quoted without '>', were not read",) if dropped else ())
    return dataclasses.replace(extraction, findings=findings, completions=completions, receipts=receipts, signals=signals, notes=notes)


def _lines_of(store: Store, row: OutboxRow) -> list[str]:
    """The normalised lines of what mailbot sent, worth comparing; read once per message sent
    (an outbox message never changes once queued, and every reply in its thread or from its
    recipients asks for it again: parsing it each time made a bulk import quadratic)."""
    key = (row.message_id or "", row.id, row.created_at or "")  # mailbot's Message-IDs are unique: time, process, randomness
    cached = _LINES.get(key)
    if cached is None:
        text = store.outbox.text_of(row.id)  # kept when it was queued
        if text is None:  # queued before mailbot kept the text (schema 13): read from the bytes sent
            text = plain_text(store.outbox.raw_of(row.id))
        cached = [line for line in map(_normalise, text.splitlines()) if len(line) >= MIN_LINE]
        if len(_LINES) >= _LINES_KEPT:
            _LINES.pop(next(iter(_LINES)))  # the oldest: mail quotes what was sent lately
        _LINES[key] = cached
    return cached


_LINES: dict[tuple[str, int, str], list[str]] = {}  # (Message-ID, row, queued at) → its lines
_LINES_KEPT = 2_000


def _seconds_after(row: OutboxRow, arrived: dt.datetime) -> float | None:
    sent = row.sent_at or row.created_at
    try:
        moment = dt.datetime.fromisoformat(sent)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    if arrived.tzinfo is None:
        arrived = arrived.replace(tzinfo=dt.timezone.utc)
    return (arrived - moment).total_seconds()


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _QUOTE_MARKS.sub("", text)).strip()
