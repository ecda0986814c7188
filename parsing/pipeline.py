"""Bytes in, `Extraction` out: the parsing chain of DESIGN.md in one function.

mime → category → quotes (new text) → language → findings (dates inside). Pure: the only
clock is the message's own Date (or the fallback moment the caller passes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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


def extract_email(email: Email, context: Context) -> Extraction:
    category = categorize(email, own_addresses=context.own_addresses)
    body, notes = new_text(email)
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
        reading = read_text(body, language=language, reference=reference, party=party, writer_zone=writer)
        findings, completions, receipts = tuple(reading.findings), tuple(reading.completions), tuple(reading.receipts)
        signals = tuple(reading.signals)
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
