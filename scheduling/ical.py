"""The iCalendar wire format of mailbot's meetings: iMIP (RFC 5545, 5546, 6047).

Writing (`to_ics`, `calendar_part`): one VCALENDAR with METHOD:REQUEST or METHOD:CANCEL and
one VEVENT, the same UID for the life of a meeting and a SEQUENCE that rises with every
change, DTSTART/DTEND with a TZID and the VTIMEZONE that defines it, the ORGANIZER (the
project's own address) and every ATTENDEE with CN, ROLE, PARTSTAT=NEEDS-ACTION and RSVP=TRUE.
That is what makes Outlook, Google Calendar, Apple Calendar, DingTalk and Feishu show the
invitation with Accept / Decline buttons and move or remove the meeting later.

Two rules clients enforce silently:

- METHOD must be present and equal in the VCALENDAR and in the MIME type
  (``text/calendar; method=REQUEST; charset=UTF-8``): without it, or with PUBLISH, clients
  show an event to import, not an invitation to answer. `calendar_part` gives both together.
- A cancellation is METHOD:CANCEL with the same UID, a higher SEQUENCE and STATUS:CANCELLED.
  A REQUEST carrying STATUS:CANCELLED is ignored by most clients.

How the MIME part is placed (mailbot/compose builds the message): the text/calendar part goes
inside the multipart/alternative, after text/plain and text/html (Outlook and Gmail look for it
there); an ``invite.ics`` attachment (application/ics) with the same bytes is optional.

Reading (`read_calendar`, `read_reply`): REPLY and COUNTER from real clients, tolerating
lower- or upper-case ``mailto:``, a missing SEQUENCE (0), several VEVENTs (RECURRENCE-ID
instances), Outlook's Windows zone names ("China Standard Time", "(UTC+08:00) Beijing, …"),
Google's UTC times and floating times (read in the zone given). Anything that is not
iCalendar at all raises `CalendarError`; nothing else escapes.

`export_ics` writes the project's subscribable feed: METHOD:PUBLISH (a feed, not an
invitation), its meetings and its milestone dates as all-day events.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from parsing import patterns as rx
from scheduling.calendar import CalendarError, Interval

__all__ = [
    "Attendee",
    "CalendarError",
    "CalendarInfo",
    "EventInfo",
    "Invite",
    "MimeCalendar",
    "MilestoneDate",
    "Party",
    "Reply",
    "calendar_part",
    "export_ics",
    "milestone_uid",
    "read_calendar",
    "read_reply",
    "review_uid",
    "status_meeting_uid",
    "to_ics",
]

PRODID = "-//mailbot//mailbot//EN"

Method = Literal["REQUEST", "CANCEL"]
Role = Literal["REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT", "CHAIR"]
PartStat = Literal["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]
ReplyMethod = Literal["REPLY", "COUNTER"]

ROLES: tuple[str, ...] = ("REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT", "CHAIR")
PARTSTATS: tuple[str, ...] = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED")
_UTC = dt.timezone.utc


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    """A calendar user: an e-mail address and a display name (CN)."""

    address: str
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _clean_address(self.address))


@dataclass(frozen=True, slots=True)
class Attendee:
    """An ATTENDEE: address, name (CN), ROLE, PARTSTAT and RSVP."""

    address: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"
    partstat: str = "NEEDS-ACTION"
    rsvp: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "address", _clean_address(self.address))
        object.__setattr__(self, "role", self.role.upper())
        object.__setattr__(self, "partstat", self.partstat.upper())


@dataclass(frozen=True, slots=True)
class Invite:
    """One meeting as sent: a REQUEST (new or changed) or a CANCEL.

    `uid` never changes for the life of the meeting (`review_uid` derives it); `sequence`
    starts at 0 and rises with every change that is sent (`moved`, `updated`, `cancelled` do
    it). `start`/`end` are aware, normally in the team zone (a ZoneInfo: written with its TZID
    and VTIMEZONE; other zones are written in UTC). `dtstamp` is when this version was made
    (passed in: no clock here). `rrule` is an RFC 5545 RECUR value for a series, e.g.
    ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=10``; `exdates` are dropped occurrences (their
    start times) and `rdates` moved ones. `status` follows the method: CONFIRMED or CANCELLED.
    """

    uid: str
    sequence: int
    organizer: Party
    attendees: tuple[Attendee, ...]
    summary: str
    start: dt.datetime
    end: dt.datetime
    dtstamp: dt.datetime
    method: Method = "REQUEST"
    description: str = ""
    location: str = ""
    url: str = ""  # the meeting's video link: URL, and in the description for clients that ignore URL
    rrule: str = ""
    exdates: tuple[dt.datetime, ...] = ()
    rdates: tuple[dt.datetime, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in ("REQUEST", "CANCEL"):
            raise CalendarError(f"an invitation's method is REQUEST or CANCEL, not {self.method!r} (PUBLISH is for export_ics)")
        if not self.uid or any(c in self.uid for c in "\r\n"):
            raise CalendarError(f"bad UID {self.uid!r}")
        if self.sequence < 0:
            raise CalendarError(f"SEQUENCE must be >= 0, not {self.sequence}")
        if not self.attendees:
            raise CalendarError(f"invitation {self.uid} has no attendees: iMIP needs at least one")
        object.__setattr__(self, "attendees", tuple(self.attendees))
        Interval(self.start, self.end)  # aware, ordered
        if self.dtstamp.tzinfo is None:
            raise CalendarError("dtstamp must be an aware datetime")
        if self.rrule:
            try:
                icalendar.vRecur.from_ical(self.rrule)
            except (ValueError, TypeError) as exc:
                raise CalendarError(f"bad RRULE {self.rrule!r}: {exc}") from exc

    @property
    def status(self) -> str:
        return "CANCELLED" if self.method == "CANCEL" else "CONFIRMED"

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    def updated(self, *, dtstamp: dt.datetime, **changes: object) -> Invite:
        """The next version (SEQUENCE + 1) with `changes` (summary, attendees, …) applied."""
        if "uid" in changes or "sequence" in changes:
            raise CalendarError("an update keeps the UID and raises SEQUENCE by itself")
        return replace(self, sequence=self.sequence + 1, dtstamp=dtstamp, **changes)  # type: ignore[arg-type]

    def moved(self, start: dt.datetime, end: dt.datetime, *, dtstamp: dt.datetime) -> Invite:
        """The same meeting at a new time: same UID, SEQUENCE + 1, METHOD:REQUEST."""
        return self.updated(dtstamp=dtstamp, start=start, end=end, method="REQUEST")

    def cancelled(self, *, dtstamp: dt.datetime) -> Invite:
        """The cancellation: same UID, SEQUENCE + 1, METHOD:CANCEL, STATUS:CANCELLED."""
        return self.updated(dtstamp=dtstamp, method="CANCEL")


@dataclass(frozen=True, slots=True)
class MilestoneDate:
    """A milestone's due date, exported as an all-day event in the project's feed."""

    uid: str
    summary: str
    day: dt.date
    description: str = ""
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class MimeCalendar:
    """The text/calendar MIME part of an invitation: the bytes and the Content-Type parameters."""

    data: bytes
    method: str
    maintype: str = "text"
    subtype: str = "calendar"
    params: tuple[tuple[str, str], ...] = ()
    filename: str = "invite.ics"

    @property
    def content_type(self) -> str:
        """The full header value, e.g. ``text/calendar; method=REQUEST; charset=UTF-8``."""
        return "; ".join([f"{self.maintype}/{self.subtype}", *(f"{k}={v}" for k, v in self.params)])


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What was read off one VEVENT (times aware; `end` from DTEND or DTSTART + DURATION)."""

    uid: str
    sequence: int
    summary: str
    start: dt.datetime | dt.date | None
    end: dt.datetime | dt.date | None
    recurrence_id: dt.datetime | dt.date | None
    status: str
    organizer: Party | None
    attendees: tuple[Attendee, ...]
    comment: str
    dtstamp: dt.datetime | None
    sequence_given: bool = True  # False: no SEQUENCE property (`sequence` is then 0)


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    """What was read off an iCalendar text: its METHOD (upper-case, or None) and its events."""

    method: str | None
    prodid: str
    events: tuple[EventInfo, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """An attendee's answer to one of our invitations (METHOD:REPLY), or their counter-proposal
    (METHOD:COUNTER, with `proposed` times and usually a `comment`)."""

    method: ReplyMethod
    uid: str
    sequence: int | None  # None: the reply carries no SEQUENCE (some clients leave it out)
    attendee: Attendee
    recurrence_id: dt.datetime | dt.date | None = None
    proposed: Interval | None = None
    comment: str = ""
    dtstamp: dt.datetime | None = None
    start: dt.datetime | dt.date | None = None  # the DTSTART the reply echoes, if any

    @property
    def partstat(self) -> str:
        return self.attendee.partstat

    @property
    def address(self) -> str:
        return self.attendee.address


# --- identifiers ----------------------------------------------------------------------------


def review_uid(project: str, milestone: object, domain: str) -> str:
    """``review-<project>-<milestone>@<domain>``: the stable UID of a milestone's review."""
    return f"review-{_uid_part(project)}-{_uid_part(str(milestone))}@{_uid_domain(domain)}"


def status_meeting_uid(project: str, domain: str) -> str:
    """``status-<project>@<domain>``: the stable UID of a project's status-meeting series."""
    return f"status-{_uid_part(project)}@{_uid_domain(domain)}"


def milestone_uid(project: str, milestone: object, domain: str) -> str:
    """``milestone-<project>-<milestone>@<domain>``: a milestone's all-day event in the feed."""
    return f"milestone-{_uid_part(project)}-{_uid_part(str(milestone))}@{_uid_domain(domain)}"


def _uid_part(text: str) -> str:
    part = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-")
    if not part or part != text.strip():
        # Non-ASCII keys (项目A) stay distinct: append their code points' hex.
        part = (part + "-" if part else "") + text.strip().encode("utf-8").hex()[:32]
    return part


def _uid_domain(domain: str) -> str:
    domain = domain.strip().lstrip("@").lower()
    if not re.fullmatch(r"[a-z0-9.-]+", domain or "-"):
        raise CalendarError(f"bad UID domain {domain!r}: give the team's mail domain, e.g. 'studio.example'")
    return domain


# --- writing --------------------------------------------------------------------------------


def to_ics(invite: Invite, *, prodid: str = PRODID) -> bytes:
    """The VCALENDAR of `invite` (UTF-8, CRLF line ends, lines folded at 75 octets)."""
    cal = _new_calendar(prodid, invite.method)
    cal.add_component(_event(invite, with_attendees=True))
    _add_timezones(cal, [invite])
    return bytes(cal.to_ical())


def calendar_part(invite: Invite, *, prodid: str = PRODID) -> MimeCalendar:
    """`to_ics` plus its Content-Type: ``text/calendar; method=<METHOD>; charset=UTF-8``,
    METHOD being the same in both places."""
    return MimeCalendar(
        data=to_ics(invite, prodid=prodid),
        method=invite.method,
        params=(("method", invite.method), ("charset", "UTF-8")),
        filename="cancel.ics" if invite.method == "CANCEL" else "invite.ics",
    )


def export_ics(
    events: Sequence[Invite | MilestoneDate],
    name: str,
    *,
    dtstamp: dt.datetime,
    timezone: str = "",
    prodid: str = PRODID,
) -> bytes:
    """One subscribable calendar (METHOD:PUBLISH) called `name`: the meetings (without
    attendees, who get their own invitations; cancelled meetings are left out, so that they
    disappear from subscribers' calendars) and the milestones as all-day, free-time events.
    `dtstamp` stamps the milestone events; `timezone` (IANA) is announced as X-WR-TIMEZONE."""
    if dtstamp.tzinfo is None:
        raise CalendarError("dtstamp must be an aware datetime")
    cal = _new_calendar(prodid, "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if timezone:
        cal.add("x-wr-timezone", timezone)
    meetings: list[Invite] = []
    for item in events:
        if isinstance(item, Invite):
            if item.method == "CANCEL":
                continue
            meetings.append(item)
            cal.add_component(_event(item, with_attendees=False))
        else:
            cal.add_component(_milestone_event(item, dtstamp))
    _add_timezones(cal, meetings)
    return bytes(cal.to_ical())


def _new_calendar(prodid: str, method: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _event(invite: Invite, *, with_attendees: bool) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.dtstamp.astimezone(_UTC))
    event.add("dtstart", _wire_time(invite.start))
    event.add("dtend", _wire_time(invite.end))
    event.add("summary", invite.summary)
    if invite.description:
        event.add("description", invite.description)
    if invite.location:
        event.add("location", invite.location)
    if invite.url:
        event.add("url", invite.url)
    event.add("organizer", _address(invite.organizer.address, invite.organizer.name))
    if with_attendees:
        for attendee in invite.attendees:
            event.add("attendee", _attendee(attendee), encode=False)
    event.add("status", invite.status)
    event.add("transp", "OPAQUE")
    if invite.rrule:
        event.add("rrule", icalendar.vRecur.from_ical(invite.rrule))
    for moment in invite.exdates:
        event.add("exdate", _wire_time(moment))
    for moment in invite.rdates:
        event.add("rdate", _wire_time(moment))
    return event


def _milestone_event(milestone: MilestoneDate, dtstamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", milestone.uid)
    event.add("sequence", milestone.sequence)
    event.add("dtstamp", dtstamp.astimezone(_UTC))
    event.add("dtstart", milestone.day)
    event.add("dtend", milestone.day + dt.timedelta(days=1))
    event.add("summary", milestone.summary)
    if milestone.description:
        event.add("description", milestone.description)
    event.add("transp", "TRANSPARENT")
    return event


def _address(address: str, name: str) -> icalendar.vCalAddress:
    value = icalendar.vCalAddress(f"mailto:{address}")
    # A parameter value cannot hold a double quote or a line break; clients differ on RFC 6868's
    # ^' escapes, so write plain text they all read.
    name = re.sub(r"[\r\n\t]+", " ", name).replace('"', "'").strip()
    if name:
        value.params["CN"] = name
    return value


def _attendee(attendee: Attendee) -> icalendar.vCalAddress:
    value = _address(attendee.address, attendee.name)
    value.params["CUTYPE"] = "INDIVIDUAL"
    value.params["ROLE"] = attendee.role
    value.params["PARTSTAT"] = attendee.partstat
    value.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
    return value


def _wire_time(moment: dt.datetime) -> dt.datetime:
    """A ZoneInfo time stays in its zone (written with TZID); anything else goes out in UTC."""
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key not in ("UTC", "Etc/UTC"):
        return moment
    return moment.astimezone(_UTC)


def _add_timezones(cal: icalendar.Calendar, invites: Sequence[Invite]) -> None:
    """A VTIMEZONE for every zone the invitations use, covering a year before the first through
    two after the last (ten for a recurring one), in whole years: each is computed once per
    process (icalendar derives one from the zone's transitions in about 40 ms)."""
    if not invites:
        return
    first = dt.date(min(i.start for i in invites).year - 1, 1, 1)
    last = dt.date(max(i.end for i in invites).year + (10 if any(i.rrule for i in invites) else 2), 12, 31)
    at = len(cal.timezones)
    for tzid in sorted(cal.get_missing_tzids()):
        timezone = _vtimezone(tzid, first, last)
        if timezone is not None:
            cal.subcomponents.insert(at, timezone)  # before the events that name it
            at += 1


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> icalendar.Timezone | None:
    try:
        return icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
    except ValueError:
        return None  # a zone icalendar does not know: the TZID stands alone, as add_missing_timezones leaves it


# --- reading --------------------------------------------------------------------------------


def read_calendar(ics: bytes | str, *, zone: str = "UTC") -> CalendarInfo:
    """Read any iCalendar text (the first VCALENDAR when there are several concatenated; bare
    VEVENTs without a VCALENDAR are read too, with no METHOD).

    Times with a TZID are read in that zone (a VTIMEZONE in the text, an IANA name, a Windows
    name such as "China Standard Time", or "(UTC+08:00) …"); floating times and unknown TZIDs
    are read in `zone`. Raises `CalendarError` when the text is not iCalendar at all.
    """
    text = _text(ics)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
        if not calendars and _unclosed(text):  # truncated: close what was opened and try once more
            calendars = icalendar.Calendar.from_ical(text.rstrip("\r\n") + "".join(f"\r\nEND:{n}" for n in _unclosed(text)) + "\r\n", multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError … on garbage
        raise CalendarError(f"not an iCalendar text: {_short(exc)}") from exc
    try:
        fallback = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CalendarError(f"unknown time zone {zone!r}") from exc
    vcalendars = [c for c in calendars if c.name == "VCALENDAR"]
    bare_events = [c for c in calendars if c.name == "VEVENT"]
    if not vcalendars and not bare_events:
        if not calendars:
            raise CalendarError("not an iCalendar text: no BEGIN:VCALENDAR … END:VCALENDAR found")
        found = ", ".join(sorted({c.name for c in calendars}))
        raise CalendarError(f"no VCALENDAR and no VEVENT to read (found {found})")
    try:
        if not vcalendars:  # a bare VEVENT, as some tools export: no METHOD, so never an iMIP message
            return CalendarInfo(method=None, prodid="", events=tuple(_event_info(ev, fallback) for ev in bare_events))
        cal = vcalendars[0]
        method = _str(cal.get("method")).strip().upper() or None
        events = tuple(_event_info(ev, fallback) for ev in cal.walk("VEVENT"))
        return CalendarInfo(method=method, prodid=_str(cal.get("prodid")), events=events)
    except CalendarError:
        raise
    except Exception as exc:  # a value no reader above expected: still only CalendarError out
        raise CalendarError(f"unreadable iCalendar value: {_short(exc)}") from exc


def _unclosed(text: str) -> list[str]:
    """The components opened and never closed, innermost first."""
    stack: list[str] = []
    for line in text.splitlines():
        key, _, name = line.strip().partition(":")
        if key.upper() == "BEGIN" and name.strip():
            stack.append(name.strip().upper())
        elif key.upper() == "END" and stack and stack[-1] == name.strip().upper():
            stack.pop()
    return stack[::-1]


def read_reply(
    ics: bytes | str,
    *,
    sender: str | None = None,
    mime_method: str | None = None,
    zone: str = "UTC",
) -> Reply | None:
    """The REPLY or COUNTER in `ics`, or None when it is anything else (REQUEST, CANCEL,
    PUBLISH, no METHOD …).

    The VCALENDAR's METHOD wins over the MIME ``method=`` parameter; `mime_method` is used
    only when the VCALENDAR has none. With several attendees, the one whose address is
    `sender` (the From of the mail) is taken, else the one who answered. With several
    VEVENTs, the master event (no RECURRENCE-ID) is taken, else the first. Raises
    `CalendarError` when the text is not iCalendar or the reply has no UID or no ATTENDEE.
    """
    info = read_calendar(ics, zone=zone)
    method = info.method or (mime_method or "").strip().upper() or None
    if method not in ("REPLY", "COUNTER"):
        return None
    if not info.events:
        raise CalendarError(f"METHOD:{method} without a VEVENT")
    masters = [e for e in info.events if e.recurrence_id is None]
    event = (masters or list(info.events))[0]
    if not event.uid:
        raise CalendarError(f"METHOD:{method} without a UID: cannot tell which meeting it answers")
    attendee = _replying_attendee(event.attendees, sender)
    if attendee is None:
        raise CalendarError(f"METHOD:{method} for {event.uid} without an ATTENDEE: cannot tell who answered")
    proposed = None
    if method == "COUNTER" and isinstance(event.start, dt.datetime) and isinstance(event.end, dt.datetime):
        try:
            proposed = Interval(event.start, event.end)
        except CalendarError:
            proposed = None
    return Reply(
        method="COUNTER" if method == "COUNTER" else "REPLY",
        uid=event.uid,
        sequence=event.sequence if event.sequence_given else None,
        attendee=attendee,
        recurrence_id=event.recurrence_id,
        proposed=proposed,
        comment=event.comment,
        dtstamp=event.dtstamp,
        start=event.start,
    )


def _replying_attendee(attendees: Sequence[Attendee], sender: str | None) -> Attendee | None:
    if not attendees:
        return None
    if sender:
        wanted = _clean_address(sender)
        for attendee in attendees:
            if attendee.address == wanted:
                return attendee
    if len(attendees) == 1:
        return attendees[0]
    answered = [a for a in attendees if a.partstat != "NEEDS-ACTION"]
    return (answered or list(attendees))[0]


def _event_info(event: icalendar.Component, zone: ZoneInfo) -> EventInfo:
    start = _when(event.get("dtstart"), zone)
    end = _when(event.get("dtend"), zone)
    if end is None and start is not None:
        duration = _decoded(event.get("duration"))
        if isinstance(duration, dt.timedelta):
            end = start + duration
    organizer = event.get("organizer")
    return EventInfo(
        uid=_str(event.get("uid")).strip(),
        sequence=_int(event.get("sequence")),
        summary=_str(event.get("summary")),
        start=start,
        end=end,
        recurrence_id=_when(event.get("recurrence-id"), zone),
        status=_str(event.get("status")).strip().upper(),
        organizer=_party(organizer) if organizer is not None else None,
        attendees=tuple(a for a in (_read_attendee(v) for v in _as_list(event.get("attendee"))) if a is not None),
        comment="\n".join(_str(c) for c in _as_list(event.get("comment"))).strip(),
        dtstamp=_aware_or_none(_when(event.get("dtstamp"), _UTC_ZONE)),
        sequence_given=event.get("sequence") is not None,
    )


_UTC_ZONE = ZoneInfo("UTC")


def _read_attendee(value: object) -> Attendee | None:
    address = _address_of(value)
    if not address:
        return None
    params = getattr(value, "params", {}) or {}
    partstat = str(params.get("PARTSTAT", "NEEDS-ACTION")).strip().upper() or "NEEDS-ACTION"
    role = str(params.get("ROLE", "REQ-PARTICIPANT")).strip().upper() or "REQ-PARTICIPANT"
    rsvp = str(params.get("RSVP", "FALSE")).strip().upper() == "TRUE"
    return Attendee(address=address, name=str(params.get("CN", "")).strip().strip('"'), role=role, partstat=partstat, rsvp=rsvp)


def _party(value: object) -> Party | None:
    address = _address_of(value)
    if not address:
        return None
    params = getattr(value, "params", {}) or {}
    return Party(address=address, name=str(params.get("CN", "")).strip().strip('"'))


_MAILTO = rx.compile(r"mailto:\s*([^\s\"<>;:,]+@[^\s\"<>;:,]+)", re.IGNORECASE)
_BARE = rx.compile(r"(?<![^\s\"<>;:,])([^\s\"<>;:,]+@[^\s\"<>;:,]+)")  # from a run's start only: linear


def _address_of(value: object) -> str:
    """The e-mail address of an ORGANIZER/ATTENDEE: its mailto: value, else its EMAIL parameter
    (RFC 7986; CalDAV servers write principal URLs as the value), else any address in the value,
    else a CN that is an address (Outlook's ``CN=a@b.example:invalid:nomail``)."""
    params = getattr(value, "params", {}) or {}
    text = _str(value)
    for found in (_MAILTO.findall(text), _BARE.findall(str(params.get("EMAIL", ""))), _BARE.findall(text),
                  _BARE.findall(str(params.get("CN", "")))):
        if found:
            return _clean_address(found[-1])
    return ""


def _clean_address(address: str) -> str:
    address = address.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:]
    address = address.strip().strip("<>").lower()
    if "@" not in address:
        raise CalendarError(f"not an e-mail address: {address!r}")
    return address


_UTC_OFFSET = rx.compile(r"\(?(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\)?", re.IGNORECASE)


def _resolve_tzid(tzid: str) -> dt.tzinfo | None:
    """A zone for a TZID icalendar could not place: IANA, Windows name, '(UTC+08:00) …'."""
    name = tzid.strip().strip('"')
    for candidate in (name, WINDOWS_TO_OLSON.get(name), WINDOWS_TO_OLSON.get(f"{name} Standard Time")):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                pass
    if re.fullmatch(r"\(?(UTC|GMT)\)?", name, re.IGNORECASE) or name.startswith(("(UTC) ", "(GMT) ")):
        return _UTC
    match = _UTC_OFFSET.match(name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        offset = dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        if offset <= dt.timedelta(hours=14):
            return dt.timezone(sign * offset)
    return None


def _when(prop: object, zone: dt.tzinfo) -> dt.datetime | dt.date | None:
    value = _decoded(prop)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            params = getattr(prop, "params", {}) or {}
            tzid = params.get("TZID")
            resolved = _resolve_tzid(str(tzid)) if tzid else None
            return value.replace(tzinfo=resolved or zone)
        return value
    if isinstance(value, dt.date):
        return value
    return None


def _decoded(prop: object) -> object:
    if prop is None:
        return None
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    try:
        return getattr(prop, "dt", None)
    except Exception:  # icalendar's BrokenCalendarProperty (a value it kept but could not read)
        return None


def _aware_or_none(value: object) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) and value.tzinfo is not None else None


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _int(value: object) -> int:
    try:
        return max(0, int(_str(value).strip()))
    except ValueError:
        return 0


def _text(ics: bytes | str) -> str:
    if isinstance(ics, str):
        return ics.lstrip("\ufeff")
    if not isinstance(ics, (bytes, bytearray)):
        raise CalendarError(f"expected iCalendar bytes or text, got {type(ics).__name__}")
    data = bytes(ics)
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _short(exc: BaseException) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return message[:200]

