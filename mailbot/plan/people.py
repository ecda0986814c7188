"""Who is who: the side of a person named in a line of minutes ("王芳：本周五前确认门店数据字段",
"Dana: confirm the SSO provider by Friday", "我方：3月13日前提交两版首页"), and who was on a
message.

People are named as minutes name them: a full name, an English first name, a Chinese surname
with a title (陈总, 王经理, 刘工, 孙老师), or the side itself (我方, 贵方, the agency, the client).
A name that fits several people of different sides names nobody.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mailbot.config import Project, Settings, Stakeholder
from mailbot.store.records import Contact
from parsing import patterns as rx
from parsing.model import Email

_TITLES = ("总", "经理", "总监", "工", "老师", "主管", "助理", "博士", "律师", "老板", "姐", "哥", "老")
_US = rx.compile(r"^(?:我方|我司|我们|乙方|本方|agency|studio|team|us|our side|we)$", re.I)
_THEM = rx.compile(r"^(?:贵方|贵司|甲方|客户|客户方|client|customer)$", re.I)
_LEAD = rx.compile(r"^\s*(?:[-*•·]\s*|\d{1,2}[.)、]\s*)?(?P<name>[^\s:：，,。]{1,20}(?: [A-Z][a-z]+)?)\s*[:：]\s*(?P<rest>\S.*)$", re.S)


_KNOWN: dict[tuple[str, tuple[str, ...], Project, tuple[Contact, ...]], People] = {}


@dataclass(frozen=True, slots=True)
class Owner:
    """A person (or a side) named as the owner of a line."""

    party: str  # us | client
    address: str | None  # the person's address, when a person was named
    rest: str  # the line after the name


def people_of(settings: Settings, project: Project, contacts: Sequence[Contact]) -> People:
    """`People(...)`, built again only when the project's contacts change (every message asks)."""
    key = (settings.team.name, settings.team.domains, project, tuple(contacts))
    known = _KNOWN.get(key)
    if known is None:
        if len(_KNOWN) >= 64:
            _KNOWN.clear()
        known = _KNOWN[key] = People(settings, project, contacts)
    return known


class People:
    """The people of one project, and the team's own name, for naming owners."""

    def __init__(self, settings: Settings, project: Project, contacts: Sequence[Contact] = ()) -> None:
        self.project = project
        self.team_domains = tuple(d.lower() for d in settings.team.domains)
        self.team_names = {settings.team.name.casefold()} | {d.split(".")[0] for d in settings.team.domains}
        self._by_name: dict[str, set[tuple[str, str]]] = {}
        known = {p.address for p in project.stakeholders}
        people = list(project.stakeholders) + [
            Stakeholder(c.name or "", c.address, party) for c in contacts
            if c.address not in known and c.name and (party := self.party_of(c.address) or "")
        ]
        for person in people:
            for name in _names_of(person):
                self._by_name.setdefault(name.casefold(), set()).add((person.party, person.address))

    def owner_of(self, text: str) -> Owner | None:
        """The owner a line names before a colon, or None when it names nobody we know."""
        match = _LEAD.match(text)
        if match is None:
            return None
        name, rest = match["name"].strip(), match["rest"]
        if _US.match(name) or name.casefold() in self.team_names:
            return Owner("us", None, rest)
        if _THEM.match(name):
            return Owner("client", None, rest)
        found = self._by_name.get(name.casefold(), set())
        parties = {party for party, _ in found}
        if len(parties) != 1:
            return None
        party = next(iter(parties))
        address = next(iter(found))[1] if len(found) == 1 else None
        return Owner(party, address, rest)

    def party_of(self, address: str) -> str | None:
        """The side of an address: a stakeholder's, else by its domain (the team's, a client's)."""
        person = self.project.stakeholder(address)
        if person is not None:
            return person.party
        domain = address.rpartition("@")[2].lower()
        if any(domain == d or domain.endswith("." + d) for d in self.team_domains):
            return "us"
        if any(domain == d or domain.endswith("." + d) for d in self.project.client_domains):
            return "client"
        return None


def _names_of(person: Stakeholder) -> set[str]:
    """The ways minutes name a person: full name, first name, surname + title, given name."""
    names = {person.name} if person.name else set()
    local = person.address.partition("@")[0]
    names.add(local)
    if not person.name:
        return names
    if re.fullmatch(r"[\u3400-\u9fff]{2,4}", person.name):
        surname, given = person.name[0], person.name[1:]
        names.update(surname + title for title in _TITLES)
        names.add(given)
        names.add("小" + surname)
        names.add("老" + surname)
    else:
        parts = person.name.split()
        names.add(parts[0])
        if len(parts) > 1:
            names.add(parts[-1])
    return names


def internal(email: Email, settings: Settings) -> bool:
    """Mail between the team only: everyone on it is at a team domain (or is the project address)."""
    everyone = ([email.sender] if email.sender else []) + list(email.recipients)
    domains = tuple(d.lower() for d in settings.team.domains)

    def ours(address: str) -> bool:
        domain = address.rpartition("@")[2].lower()
        return address == settings.team.address or any(domain == d or domain.endswith("." + d) for d in domains)

    return bool(everyone) and all(ours(a.address) for a in everyone)
