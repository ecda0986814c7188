"""Bytes in, `Extraction` out: the parsing chain of DESIGN.md in one function.

mime → category → quotes (new text) → language → findings (dates inside). Pure: the only
clock is the message's own Date (or the fallback moment the caller passes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from parsing.classify import categorize
from parsing.findings import read_text
from parsing.language import detect_language
from parsing.mime import read_email
from parsing.model import Category, Email, Extraction, Finding, Party, Signal
from parsing.quotes import new_text


@dataclass(frozen=True, slots=True)
class Context:
    """What parsing needs to know about the team reading the mail."""

    team_domains: tuple[str, ...] = ()
    timezone: str = "UTC"
    own_addresses: tuple[str, ...] = ()  # mailbot's own address(es): their mail is Category.OWN
    # (address, IANA zone) of people who write from another zone: their bare times are theirs
    writer_zones: tuple[tuple[str, str], ...] = ()
    # addresses outside the team's domains that write for the team (a sub-contractor)
    team_addresses: tuple[str, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def zone_of(self, address: str | None) -> ZoneInfo | None:
        wanted = (address or "").lower()
        for known, zone in self.writer_zones:
            if known.lower() == wanted:
                return ZoneInfo(zone)
        return None

    def party_of(self, address: str | None) -> Party:
        if (address or "").lower() in (a.lower() for a in self.team_addresses):
            return Party.US
        domain = (address or "").rpartition("@")[2].lower()
        return Party.US if domain and _in_domains(domain, self.team_domains) else Party.CLIENT


def _in_domains(domain: str, domains: tuple[str, ...]) -> bool:
    """True for the domain itself and its subdomains (mail.studio.example is studio.example)."""
    return any(domain == d or domain.endswith("." + d) for d in (d.lower() for d in domains))


def extract(raw: bytes, context: Context, *, received: dt.datetime | None = None) -> Extraction:
    """Parse one raw message and find what it says.

    `received` is the arrival moment to use when the message has no usable Date.
    Raises `parsing.errors.ParseError` for a message that cannot be read at all.
    """
    email = read_email(raw, fallback_date=received)
    return extract_email(email, context)


# Bounded work per message: what is read of it, whatever its size (the raw bytes are kept whole).
TEXT_LIMIT = 12_000  # characters of newly written text read for findings (a long real mail is ~5,000)
MAIL_TEXT_LIMIT = 100_000  # characters of the whole text, quoted history included, looked at for the new text
MAIL_LINE_LIMIT = 4_000  # … and lines of it
FINDINGS_LIMIT = 80  # findings kept of one message (real mail has a few; minutes a few dozen)


def extract_email(email: Email, context: Context) -> Extraction:
    category = categorize(email, own_addresses=context.own_addresses)
    cut: list[str] = []
    text = email.text[:MAIL_TEXT_LIMIT]
    lines_end = -1
    for _ in range(MAIL_LINE_LIMIT):
        lines_end = text.find("\n", lines_end + 1)
        if lines_end < 0:
            break
    if lines_end >= 0:
        text = text[:lines_end]
    if len(text) < len(email.text):
        email = replace(email, text=text)
        cut.append(f"only the first {len(text):,} characters ({MAIL_LINE_LIMIT:,} lines at most) of the text were read")
    body, notes = new_text(email)
    if len(body) > TEXT_LIMIT:
        body = body[:TEXT_LIMIT]
        cut.append(f"only the first {TEXT_LIMIT:,} characters of the new text were read for findings")
    notes = list(notes) + cut
    language = detect_language(body)
    party = context.party_of(email.sender.address if email.sender else None)
    findings: tuple[Finding, ...] = ()
    completions: tuple[str, ...] = ()
    receipts: tuple[str, ...] = ()
    signals: tuple[Signal, ...] = ()
    if category is Category.NORMAL and body.strip():
        # No Date and no arrival time: relative dates cannot be resolved (parsing has no clock).
        reference = email.date.astimezone(context.zone) if email.date else None
        writer = context.zone_of(email.sender.address if email.sender else None)
        tail = body[-40:]
        at = email.text.find(tail) if tail else -1
        history = email.text[at + len(tail):] if at >= 0 else ""  # what was cut under the new text: the quote
        reading = read_text(body, language=language, reference=reference, party=party, writer_zone=writer,
                            history=history)
        findings, completions, receipts = tuple(reading.findings), tuple(reading.completions), tuple(reading.receipts)
        signals = tuple(reading.signals)
        if len(findings) > FINDINGS_LIMIT:
            notes.append(f"{len(findings):,} findings; only the first {FINDINGS_LIMIT} were kept")
            findings, completions, receipts = findings[:FINDINGS_LIMIT], completions[:FINDINGS_LIMIT], receipts[:FINDINGS_LIMIT]
            signals = signals[:FINDINGS_LIMIT]
    return Extraction(
        email=email,
        body=body,
        language=language,
        party=party,
        category=category,
        findings=findings,
        notes=tuple(notes),
        completions=completions,
        receipts=receipts,
        signals=signals,
    )
