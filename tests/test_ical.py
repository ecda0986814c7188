"""The iMIP wire format: invitations clients show with Accept / Decline, and replies read back.

Every generated calendar is checked with icalendar and with an independent parser (vobject).
"""

import datetime as dt
import email
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from parsing.mime import read_email
from scheduling.ical import (
    Attendee,
    CalendarError,
    Invite,
    MilestoneDate,
    Party,
    calendar_part,
    export_ics,
    milestone_uid,
    read_calendar,
    read_reply,
    review_uid,
    status_meeting_uid,
    to_ics,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROJECT = Party("project@studio.example", "华锦零售官网改版")
STAMP = dt.datetime(2026, 3, 20, 8, 0, tzinfo=dt.timezone.utc)


def make_invite(**changes: object) -> Invite:
    values: dict[str, object] = dict(
        uid=review_uid("huajin-web", 3, "studio.example"),
        sequence=0,
        organizer=PROJECT,
        attendees=(
            Attendee("li.wei@huajin.example", "李伟"),
            Attendee("chen.jing@studio.example", "Chen, Jing", role="OPT-PARTICIPANT"),
        ),
        summary="评审：首页设计",
        description="首页设计评审。\nAgenda: colours, layout; sign-off.",
        location="会议室 A / Zoom",
        start=dt.datetime(2026, 3, 27, 10, 0, tzinfo=SHANGHAI),
        end=dt.datetime(2026, 3, 27, 11, 0, tzinfo=SHANGHAI),
        dtstamp=STAMP,
    )
    values.update(changes)
    return Invite(**values)  # type: ignore[arg-type]


def unfolded(ics: bytes) -> str:
    return ics.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def lines(ics: bytes, name: str) -> list[str]:
    """The unfolded `name` lines of the VCALENDAR and its VEVENTs (not of its VTIMEZONE)."""
    found, inside_tz = [], False
    for line in unfolded(ics).split("\r\n"):
        inside_tz = (inside_tz or line == "BEGIN:VTIMEZONE") and line != "END:VTIMEZONE"
        if not inside_tz and re.match(rf"{name}[;:]", line):
            found.append(line)
    return found


# --- writing: every property, two parsers --------------------------------------------------------


def check_invite(ics: bytes, invite: Invite) -> None:
    """Everything a client needs, read with icalendar and with vobject."""
    assert ics.endswith(b"\r\n") and b"\r\n" in ics and b"\n" not in ics.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))

    # icalendar
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    assert str(cal["METHOD"]) == invite.method
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == invite.uid
    assert int(event["SEQUENCE"]) == invite.sequence
    assert event.decoded("DTSTAMP") == invite.dtstamp
    assert event.decoded("DTSTART") == invite.start and event.decoded("DTEND") == invite.end
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(event["ORGANIZER"]).lower() == f"mailto:{invite.organizer.address}"
    assert event["ORGANIZER"].params["CN"] == invite.organizer.name
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert [str(a).lower() for a in attendees] == [f"mailto:{a.address}" for a in invite.attendees]
    for written, wanted in zip(attendees, invite.attendees):
        assert written.params["CN"] == wanted.name
        assert written.params["ROLE"] == wanted.role
        assert written.params["PARTSTAT"] == "NEEDS-ACTION"
        assert written.params["RSVP"] == "TRUE"
    assert str(event["SUMMARY"]) == invite.summary
    assert str(event["DESCRIPTION"]) == invite.description
    assert str(event["STATUS"]) == invite.status

    # vobject, independently
    vcal = vobject.readOne(ics.decode("utf-8"))
    assert vcal.method.value == invite.method
    assert vcal.version.value == "2.0"
    vevent = vcal.vevent
    assert vevent.uid.value == invite.uid
    assert int(vevent.sequence.value) == invite.sequence
    assert vevent.dtstamp.value == invite.dtstamp
    assert vevent.dtstart.value == invite.start and vevent.dtend.value == invite.end
    raw = vobject.readOne(ics.decode("utf-8"), transform=False)  # parameters as written
    assert raw.vevent.dtstart.params["TZID"] == ["Asia/Shanghai"]
    assert raw.vevent.dtend.params["TZID"] == ["Asia/Shanghai"]
    assert raw.vtimezone.tzid.value == "Asia/Shanghai"
    assert vevent.organizer.value.lower() == f"mailto:{invite.organizer.address}"
    assert vevent.organizer.params["CN"] == [invite.organizer.name]
    for written, wanted in zip(vevent.attendee_list, invite.attendees, strict=True):
        assert written.value.lower() == f"mailto:{wanted.address}"
        assert written.params["CN"] == [wanted.name]
        assert written.params["ROLE"] == [wanted.role]
        assert written.params["PARTSTAT"] == ["NEEDS-ACTION"]
        assert written.params["RSVP"] == ["TRUE"]
    assert vevent.summary.value == invite.summary
    assert vevent.description.value == invite.description
    assert vevent.status.value == invite.status


def test_request_carries_everything_a_client_needs() -> None:
    invite = make_invite()
    ics = to_ics(invite)
    check_invite(ics, invite)
    assert lines(ics, "METHOD") == ["METHOD:REQUEST"]
    assert lines(ics, "STATUS") == ["STATUS:CONFIRMED"]
    assert lines(ics, "ORGANIZER") == ["ORGANIZER;CN=华锦零售官网改版:mailto:project@studio.example"]
    assert 'CN="Chen, Jing"' in lines(ics, "ATTENDEE")[1]
    assert lines(ics, "LOCATION") == ["LOCATION:会议室 A / Zoom"]


def test_names_with_quotes_and_line_breaks_stay_readable() -> None:
    invite = make_invite(attendees=(Attendee("a@client.example", 'Wei "David" Li\r\n(Huajin)'),))
    ics = to_ics(invite)
    assert 'CN="Wei \'David\' Li (Huajin)"' in lines(ics, "ATTENDEE")[0]
    assert vobject.readOne(ics.decode()).vevent.attendee.params["CN"] == ["Wei 'David' Li (Huajin)"]
    assert read_calendar(ics).events[0].attendees[0].name == "Wei 'David' Li (Huajin)"


def test_organizer_is_the_project_address_passed_in() -> None:
    invite = make_invite(organizer=Party("Mailto:Project+Acme@Studio.Example", "Acme app"))
    cal = icalendar.Calendar.from_ical(to_ics(invite))
    assert str(cal.walk("VEVENT")[0]["ORGANIZER"]) == "mailto:project+acme@studio.example"


def test_update_after_a_move_keeps_the_uid_and_raises_the_sequence() -> None:
    first = make_invite()
    later = dt.datetime(2026, 3, 21, 8, 0, tzinfo=dt.timezone.utc)
    moved = first.moved(
        dt.datetime(2026, 4, 2, 14, 0, tzinfo=SHANGHAI), dt.datetime(2026, 4, 2, 15, 0, tzinfo=SHANGHAI), dtstamp=later
    )
    assert moved.uid == first.uid and moved.sequence == first.sequence + 1 and moved.method == "REQUEST"
    ics = to_ics(moved)
    check_invite(ics, moved)
    assert lines(ics, "SEQUENCE") == ["SEQUENCE:1"]
    assert lines(ics, "DTSTART") == ["DTSTART;TZID=Asia/Shanghai:20260402T140000"]
    assert lines(ics, "DTSTAMP") == ["DTSTAMP:20260321T080000Z"]
    again = moved.updated(dtstamp=later, summary="评审：首页设计（第二轮）")
    assert (again.uid, again.sequence) == (first.uid, 2)
    with pytest.raises(CalendarError, match="keeps the UID"):
        moved.updated(dtstamp=later, sequence=7)


def test_cancel_is_method_cancel_with_a_higher_sequence() -> None:
    """Regression: a cancellation sent as METHOD:REQUEST + STATUS:CANCELLED is ignored by
    clients; it must be METHOD:CANCEL (VCALENDAR and MIME) with the same UID, SEQUENCE + 1."""
    invite = make_invite(sequence=2)
    cancel = invite.cancelled(dtstamp=dt.datetime(2026, 3, 22, tzinfo=dt.timezone.utc))
    ics = to_ics(cancel)
    check_invite(ics, cancel)
    assert lines(ics, "METHOD") == ["METHOD:CANCEL"]
    assert lines(ics, "STATUS") == ["STATUS:CANCELLED"]
    assert lines(ics, "SEQUENCE") == ["SEQUENCE:3"]
    assert lines(ics, "UID") == [f"UID:{invite.uid}"]
    part = calendar_part(cancel)
    assert part.content_type == "text/calendar; method=CANCEL; charset=UTF-8"
    # STATUS follows METHOD: there is no way to write a REQUEST that says CANCELLED.
    assert make_invite().status == "CONFIRMED"


def test_mime_method_matches_the_vcalendar_method() -> None:
    """Regression: no Accept/Decline buttons when METHOD is missing (or PUBLISH) in either place."""
    invite = make_invite()
    part = calendar_part(invite)
    assert part.content_type == "text/calendar; method=REQUEST; charset=UTF-8"
    assert dict(part.params)["method"] == "REQUEST" and lines(part.data, "METHOD") == ["METHOD:REQUEST"]
    for method in ("PUBLISH", "", "REPLY"):
        with pytest.raises(CalendarError, match="REQUEST or CANCEL"):
            make_invite(method=method)


def test_calendar_part_survives_a_real_message() -> None:
    """Placed as compose will place it, the part reads back with METHOD in both places."""
    part = calendar_part(make_invite())
    msg = EmailMessage()
    msg["From"] = "project@studio.example"
    msg["To"] = "li.wei@huajin.example"
    msg["Subject"] = "邀请：评审：首页设计"
    msg.set_content("文本")
    msg.add_alternative("<p>HTML</p>", subtype="html")
    msg.add_alternative(part.data, maintype=part.maintype, subtype=part.subtype, params=dict(part.params))
    raw = msg.as_bytes()
    reparsed = email.message_from_bytes(raw, policy=default_policy)
    calendar = next(p for p in reparsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    parts = read_email(raw).calendars
    assert len(parts) == 1 and parts[0].method == "REQUEST"
    assert read_calendar(parts[0].text).events[0].summary == "评审：首页设计"


def test_generated_invite_reads_back() -> None:
    invite = make_invite()
    info = read_calendar(to_ics(invite))
    assert info.method == "REQUEST" and info.prodid == "-//mailbot//mailbot//EN"
    (event,) = info.events
    assert (event.uid, event.sequence, event.start, event.end) == (invite.uid, 0, invite.start, invite.end)
    assert event.organizer == PROJECT
    assert event.attendees == invite.attendees
    assert event.status == "CONFIRMED" and event.dtstamp == STAMP


def test_times_not_in_an_iana_zone_go_out_in_utc() -> None:
    plus8 = dt.timezone(dt.timedelta(hours=8))
    invite = make_invite(start=dt.datetime(2026, 3, 27, 10, tzinfo=plus8), end=dt.datetime(2026, 3, 27, 11, tzinfo=plus8))
    ics = to_ics(invite)
    assert lines(ics, "DTSTART") == ["DTSTART:20260327T020000Z"]
    assert b"VTIMEZONE" not in ics
    assert vobject.readOne(ics.decode()).vevent.dtstart.value == invite.start


def test_recurring_status_meeting() -> None:
    start = dt.datetime(2026, 9, 17, 10, tzinfo=SHANGHAI)
    invite = make_invite(
        uid=status_meeting_uid("huajin-web", "studio.example"),
        summary="项目周会",
        start=start,
        end=start + dt.timedelta(hours=1),
        rrule="FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;COUNT=6",
        exdates=(dt.datetime(2026, 10, 1, 10, tzinfo=SHANGHAI),),
    )
    ics = to_ics(invite)
    check_invite(ics, invite)
    assert lines(ics, "RRULE") == ["RRULE:FREQ=WEEKLY;COUNT=6;INTERVAL=1;BYDAY=TH"]
    assert lines(ics, "EXDATE") == ["EXDATE;TZID=Asia/Shanghai:20261001T100000"]
    vevent = vobject.readOne(ics.decode()).vevent
    dates = [d.date() for d in vevent.getrruleset()]
    assert dt.date(2026, 10, 1) not in dates and len(dates) == 5
    with pytest.raises(CalendarError, match="RRULE"):
        make_invite(rrule="FREQ=SOMETIMES")


def test_invite_validation() -> None:
    with pytest.raises(CalendarError, match="no attendees"):
        make_invite(attendees=())
    with pytest.raises(CalendarError, match="no time zone"):
        make_invite(start=dt.datetime(2026, 3, 27, 10), end=dt.datetime(2026, 3, 27, 11))
    with pytest.raises(CalendarError, match="before it starts"):
        make_invite(end=dt.datetime(2026, 3, 27, 9, tzinfo=SHANGHAI))
    with pytest.raises(CalendarError, match="e-mail address"):
        Attendee("nobody")


def test_uids_are_stable_and_safe() -> None:
    assert review_uid("huajin-web", 3, "studio.example") == "review-huajin-web-3@studio.example"
    assert review_uid("huajin-web", 3, "@Studio.Example") == "review-huajin-web-3@studio.example"
    assert status_meeting_uid("acme-app", "studio.example") == "status-acme-app@studio.example"
    assert milestone_uid("acme-app", "beta", "studio.example") == "milestone-acme-app-beta@studio.example"
    a, b = review_uid("项目甲", 1, "studio.example"), review_uid("项目乙", 1, "studio.example")
    assert a != b and a.isascii() and b.isascii()
    assert review_uid("a b", 1, "x.example") != review_uid("a-b", 1, "x.example")
    with pytest.raises(CalendarError, match="domain"):
        review_uid("p", 1, "not a domain")


# --- the project feed ---------------------------------------------------------------------------------


def test_export_feed_is_publish_with_meetings_and_all_day_milestones() -> None:
    meeting = make_invite()
    gone = make_invite(uid=review_uid("huajin-web", 4, "studio.example")).cancelled(dtstamp=STAMP)
    milestone = MilestoneDate(milestone_uid("huajin-web", 3, "studio.example"), "里程碑：首页设计", dt.date(2026, 3, 31))
    ics = export_ics([meeting, gone, milestone], "华锦零售官网改版", dtstamp=STAMP, timezone="Asia/Shanghai")
    assert lines(ics, "METHOD") == ["METHOD:PUBLISH"]
    assert lines(ics, "X-WR-CALNAME") == ["X-WR-CALNAME:华锦零售官网改版"]
    assert not lines(ics, "ATTENDEE")
    assert lines(ics, "DTSTART;VALUE=DATE") == ["DTSTART;VALUE=DATE:20260331"]
    assert lines(ics, "DTEND;VALUE=DATE") == ["DTEND;VALUE=DATE:20260401"]
    uids = [line.split(":", 1)[1] for line in lines(ics, "UID")]
    assert uids == [meeting.uid, milestone.uid]  # the cancelled meeting is left out
    vcal = vobject.readOne(ics.decode())
    assert vcal.method.value == "PUBLISH"
    assert [e.summary.value for e in vcal.vevent_list] == ["评审：首页设计", "里程碑：首页设计"]
    assert vcal.vevent_list[1].dtstart.value == dt.date(2026, 3, 31)
    cal = icalendar.Calendar.from_ical(ics)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_export_of_milestones_only() -> None:
    milestone = MilestoneDate("m-1@studio.example", "Beta", dt.date(2026, 4, 20))
    ics = export_ics([milestone], "Acme app", dtstamp=STAMP)
    assert b"VTIMEZONE" not in ics and lines(ics, "DTSTAMP") == ["DTSTAMP:20260320T080000Z"]
    assert vobject.readOne(ics.decode()).vevent.transp.value == "TRANSPARENT"


# --- reading replies -----------------------------------------------------------------------------------


def ics(*body: str, method: str | None = "REPLY") -> str:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"] + ([f"METHOD:{method}"] if method else [])
    return "\r\n".join([*head, *body, "END:VCALENDAR", ""])


def vevent(*props: str) -> list[str]:
    return ["BEGIN:VEVENT", *props, "END:VEVENT"]


UID = "review-huajin-web-3@studio.example"


def test_reply_accepted() -> None:
    reply = read_reply(ics(*vevent(f"UID:{UID}", "SEQUENCE:1", "DTSTAMP:20260321T020000Z",
                                   "ATTENDEE;CN=李伟;PARTSTAT=ACCEPTED:mailto:li.wei@huajin.example")))
    assert reply is not None
    assert (reply.method, reply.uid, reply.sequence, reply.address, reply.partstat) == (
        "REPLY", UID, 1, "li.wei@huajin.example", "ACCEPTED")
    assert reply.attendee.name == "李伟"
    assert reply.dtstamp == dt.datetime(2026, 3, 21, 2, tzinfo=ZoneInfo("UTC"))


@pytest.mark.parametrize("partstat", ["ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED", "NEEDS-ACTION"])
def test_every_partstat(partstat: str) -> None:
    reply = read_reply(ics(*vevent(f"UID:{UID}", f"ATTENDEE;PARTSTAT={partstat.lower()}:MAILTO:Li.Wei@Huajin.Example")))
    assert reply is not None and reply.partstat == partstat and reply.address == "li.wei@huajin.example"


def test_reply_quirks_missing_sequence_and_outlook_zone_names() -> None:
    text = ics(*vevent(f"UID:{UID}", "DTSTART;TZID=China Standard Time:20260327T100000",
                       "ATTENDEE;PARTSTAT=DECLINED:mailto:li.wei@huajin.example"))
    reply = read_reply(text.encode("utf-8"))
    assert reply is not None and reply.sequence is None and reply.partstat == "DECLINED"
    assert reply.start == dt.datetime(2026, 3, 27, 10, tzinfo=SHANGHAI)
    start = read_calendar(text).events[0].start
    assert start == dt.datetime(2026, 3, 27, 10, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "tzid",
    ['"(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi"', "China Standard Time", "Asia/Shanghai", '"Asia/Shanghai"'],
)
def test_zone_names_real_clients_write(tzid: str) -> None:
    text = ics(*vevent(f"UID:{UID}", f"DTSTART;TZID={tzid}:20260327T100000", "DTEND;TZID=" + tzid + ":20260327T110000",
                       "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example"), method="COUNTER")
    reply = read_reply(text)
    assert reply is not None and reply.proposed is not None
    assert reply.proposed.start == dt.datetime(2026, 3, 27, 2, tzinfo=dt.timezone.utc)
    assert reply.proposed.duration == dt.timedelta(hours=1)


def test_unknown_and_floating_times_are_read_in_the_zone_given() -> None:
    text = ics(*vevent(f"UID:{UID}", "DTSTART;TZID=Nowhere Standard Time:20260327T100000",
                       "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example"))
    assert read_calendar(text, zone="Asia/Shanghai").events[0].start == dt.datetime(2026, 3, 27, 10, tzinfo=SHANGHAI)
    floating = ics(*vevent(f"UID:{UID}", "DTSTART:20260327T100000", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example"))
    assert read_calendar(floating).events[0].start == dt.datetime(2026, 3, 27, 10, tzinfo=ZoneInfo("UTC"))


def test_counter_has_the_proposed_time_and_comment() -> None:
    text = ics(*vevent(f"UID:{UID}", "SEQUENCE:0", "DTSTART:20260331T070000Z", "DURATION:PT90M",
                       "COMMENT:周二下午更方便", "ATTENDEE;PARTSTAT=TENTATIVE:mailto:li.wei@huajin.example"),
               method="COUNTER")
    reply = read_reply(text, mime_method="REPLY")  # the VCALENDAR's METHOD wins
    assert reply is not None and reply.method == "COUNTER" and reply.partstat == "TENTATIVE"
    assert reply.proposed is not None
    assert reply.proposed.start == dt.datetime(2026, 3, 31, 7, tzinfo=dt.timezone.utc)
    assert reply.proposed.end == dt.datetime(2026, 3, 31, 8, 30, tzinfo=dt.timezone.utc)
    assert reply.comment == "周二下午更方便"


def test_mime_method_is_used_only_when_the_vcalendar_has_none() -> None:
    body = vevent(f"UID:{UID}", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example")
    reply = read_reply(ics(*body, method=None), mime_method="reply")
    assert reply is not None and reply.method == "REPLY"
    assert read_reply(ics(*body, method=None)) is None
    assert read_reply(ics(*body, method="REQUEST"), mime_method="REPLY") is None


def test_several_vevents_take_the_master_and_the_sender() -> None:
    text = ics(
        *vevent(f"UID:{UID}", "RECURRENCE-ID;TZID=Asia/Shanghai:20260402T100000",
                "ATTENDEE;PARTSTAT=DECLINED:mailto:li.wei@huajin.example"),
        *vevent(f"UID:{UID}", "SEQUENCE:2", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:li.wei@huajin.example"),
    )
    reply = read_reply(text)
    assert reply is not None and reply.partstat == "ACCEPTED" and reply.sequence == 2 and reply.recurrence_id is None
    only_instance = ics(*vevent(f"UID:{UID}", "RECURRENCE-ID;TZID=Asia/Shanghai:20260402T100000",
                                "ATTENDEE;PARTSTAT=DECLINED:mailto:li.wei@huajin.example"))
    reply = read_reply(only_instance)
    assert reply is not None and reply.recurrence_id == dt.datetime(2026, 4, 2, 10, tzinfo=SHANGHAI)
    two = ics(*vevent(f"UID:{UID}", "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:x@b.example",
                      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:y@b.example"))
    assert read_reply(two).address == "y@b.example"  # type: ignore[union-attr]
    assert read_reply(two, sender="X@B.example").address == "x@b.example"  # type: ignore[union-attr]


def test_not_a_reply_is_none() -> None:
    assert read_reply(to_ics(make_invite())) is None
    assert read_reply(to_ics(make_invite().cancelled(dtstamp=STAMP))) is None
    assert read_reply(export_ics([make_invite()], "feed", dtstamp=STAMP)) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "not an iCalendar"),
        (b"garbage", "not an iCalendar"),
        (b"\xff\xfe\x00", "not an iCalendar"),
        ("BEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\n", "no VCALENDAR and no VEVENT"),
        (ics("BEGIN:VEVENT", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example", "END:VEVENT"), "without a UID"),
        (ics(*vevent(f"UID:{UID}")), "without an ATTENDEE"),
        (ics(), "without a VEVENT"),
    ],
)
def test_bad_input_is_a_calendar_error(text: bytes | str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        read_reply(text)


def test_broken_values_are_tolerated() -> None:
    text = ics(*vevent(f"UID:{UID}", "SEQUENCE:many", "DTSTART:2026bad", "DTSTAMP:never",
                       "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example"), method="COUNTER")
    reply = read_reply(text)
    assert reply is not None and reply.sequence == 0 and reply.proposed is None and reply.dtstamp is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400),
                 st.lists(st.sampled_from([
                     "BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "METHOD:REPLY", "METHOD:COUNTER",
                     f"UID:{UID}", "SEQUENCE:x", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.example", "ATTENDEE:",
                     "DTSTART;TZID=Nowhere:2026", "DTSTART:20260101T000000Z", "DTEND:20250101", "DURATION:P",
                     "RECURRENCE-ID:x", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "TZID:x", "COMMENT:é",
                 ]), max_size=20).map("\r\n".join)))
def test_never_raises_anything_but_calendar_error(text: bytes | str) -> None:
    try:
        result = read_reply(text)
    except CalendarError:
        return
    assert result is None or result.method in ("REPLY", "COUNTER")
