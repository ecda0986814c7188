"""Who may change a project: the trust model, in one place (ARCHITECTURE.md, "Trust").

Every message's sender has one standing toward the project it was routed to:

- **team**: the From domain is one of `team.domains` *and* that is proven. With `team.trust =
  "dmarc"` (the default) the proof is the `Authentication-Results` header (RFC 8601) of the
  receiving server named `team.trusted_authserv_id`: `dmarc=pass`, or `dkim=pass` for a domain
  aligned with From. With `team.trust = "domain"` (closed networks, replayed mail) the From
  domain suffices. Either way, any `Authentication-Results` that says dmarc, dkim or spf
  *failed* for a team From makes it a forgery: a stranger, and the team is alerted. (A header
  that says "pass" is believed only from the trusted server, and only the topmost one in its
  name: the server prepends its own, so one further down was written before the trusted hop, by
  the sender. One that says "fail" can only lower trust, so it is believed from anyone.)
- **member** of the project: one of its configured stakeholders, an address of its client
  domains, or someone the team or a member brought into its threads (To/Cc of their mail).
- **stranger**: anyone else, the client of another project included.

What each may do: the team and members write the plan; a stranger's mail is kept, routed and
listed for the team's review, and changes nothing and is answered by nothing. A `[tag]` in a
subject routes only among the projects the sender belongs to (`routes_to`).

`authres` (the Authentication-Results parser of the dkimpy family) reads the header; the rest is
a handful of rules specific to mailbot.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from enum import StrEnum

import authres

from mailbot.config import Project, Settings
from mailbot.store import Store
from parsing.model import Email

logger = logging.getLogger(__name__)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class Standing(StrEnum):
    TEAM = "team"
    MEMBER = "member"
    STRANGER = "stranger"


@dataclass(frozen=True, slots=True)
class Verdict:
    standing: Standing
    reason: str = ""  # why, for the log and the review list
    forged: bool = False  # a team From that failed authentication: the team is alerted

    @property
    def trusted(self) -> bool:
        return self.standing is not Standing.STRANGER


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower()


def _within(domain: str, domains: tuple[str, ...]) -> bool:
    return bool(domain) and any(domain == d.lower() or domain.endswith("." + d.lower()) for d in domains)


def is_team_domain(settings: Settings, address: str | None) -> bool:
    return _within(_domain(address), settings.team.domains)


# A receiving server writes the same results for the same sender again and again, and parsing
# one took 1.4 ms (authres parses by hand, character by character): remember the latest.
_parsed = functools.lru_cache(maxsize=1024)(authres.AuthenticationResultsHeader.parse_value)


def authentication(email: Email, trusted_id: str) -> tuple[set[str], set[str]]:
    """(passes, failures) the message's Authentication-Results report for its From domain:
    passes only from the server named `trusted_id` ("dmarc", "dkim"); failures from any
    ("dmarc", "dkim", "spf")."""
    sender = _domain(email.sender.address if email.sender else None)
    passes: set[str] = set()
    failures: set[str] = set()
    trusted_seen = False
    for name, value in email.headers:
        if name != "authentication-results":
            continue
        try:
            header = _parsed(value)
        except Exception:  # noqa: BLE001 - authres raises its own SyntaxError and others on garbage; a bad header proves nothing
            continue
        from_trusted = bool(trusted_id) and str(header.authserv_id).lower() == trusted_id.lower()
        if from_trusted and trusted_seen:
            continue  # the trusted server prepends its header: one further down was there before it, written by the sender
        trusted_seen = trusted_seen or from_trusted
        for result in header.results:
            method, verdict = str(result.method).lower(), str(result.result).lower()
            about = {str(p.value).lower().strip("<>").rpartition("@")[2] for p in result.properties
                     if (p.type, p.name) in (("header", "from"), ("header", "d"), ("header", "i"), ("smtp", "mailfrom"))}
            aligned = not about or any(d == sender or sender.endswith("." + d) or d.endswith("." + sender) for d in about)
            if verdict in ("fail", "permerror") and method in ("dmarc", "dkim", "spf") and aligned:
                failures.add(method)
            if verdict == "pass" and method in ("dmarc", "dkim") and aligned and from_trusted:
                passes.add(method)
    return passes, failures


def judge(settings: Settings, store: Store, project: Project | None, email: Email) -> Verdict:
    """The standing of `email`'s sender toward `project` (None: no project yet)."""
    address = (email.sender.address if email.sender else "").lower()
    if not address:
        return Verdict(Standing.STRANGER, "no sender")
    person = project.stakeholder(address) if project is not None else None
    if is_team_domain(settings, address) or (person is not None and person.party == "us"):  # the team, or who writes for it
        passes, failures = authentication(email, settings.team.trusted_authserv_id)
        if failures:
            return Verdict(Standing.STRANGER, f"team address failed {', '.join(sorted(failures))}", forged=True)
        if settings.team.trust == "domain" or passes:
            return Verdict(Standing.TEAM, "team domain" if settings.team.trust == "domain" else f"team, {' and '.join(sorted(passes))} pass")
        return Verdict(Standing.STRANGER, "team address not proven (no trusted Authentication-Results pass)")
    if project is not None and belongs(store, project, address):
        return Verdict(Standing.MEMBER, "member of the project")
    return Verdict(Standing.STRANGER, "not a member of the project" if project is not None else "no project")


def belongs(store: Store, project: Project, address: str) -> bool:
    """A stakeholder, an address of the client's domains, or someone brought into the project."""
    address = address.lower()
    if project.stakeholder(address) is not None or _within(_domain(address), project.client_domains):
        return True
    return store.projects.linked(project.key, address)


def admit_recipients(store: Store, settings: Settings, project: Project, email: Email) -> None:
    """People the team or a member writes to about the project belong to it from now on (an
    accountant CC'd by the client's PM may answer). mailbot's own address is never one."""
    for person in email.recipients:
        address = person.address.lower()
        if address and address != settings.team.address.lower() and not is_team_domain(settings, address) \
                and not belongs(store, project, address):
            store.projects.remember_contact(address, person.name, "", (email.date or _EPOCH).isoformat())
            store.projects.link(project.key, address, "cc")


def may_route(settings: Settings, store: Store, project: Project, email: Email) -> bool:
    """Whether a `[tag]` in the subject may send this message to `project`: only a sender who
    belongs to it (or the team) may address a project by its tag."""
    address = email.sender.address if email.sender else None
    return is_team_domain(settings, address) or belongs(store, project, address or "")
