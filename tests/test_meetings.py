"""Review meetings, the status meeting, proposals and replies: the plan's side of scheduling.

Every invitation is read back from the queued message with two independent parsers
(icalendar and vobject) and checked for the properties real calendars need.
"""

from __future__ import annotations

import datetime as dt
import email
import json
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from mailbot import service
from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=SH)

CONFIG = """\
[team]
name = "Studio"
address = "project@studio.example"
domains = ["studio.example"]
timezone = "Asia/Shanghai"

[outbox]
maildir = "outbox"
answer_since = "2026-01-01"

[[projects]]
key = "huajin-web"
name = "华锦零售官网改版"
client_domains = ["huajin.example"]
digest = false
stakeholders = [
  { name = "李伟", address = "li.wei@huajin.example", party = "client" },
  { name = "Chen Jing", address = "chen.jing@studio.example", party = "us" },
]
milestones = [
  { name = "内页设计", due = "2026-10-09" },
  { name = "上线", due = "2026-10-13" },
]
"""


def write_config(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "mailbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def open_bot(path: Path, now: dt.datetime = NOW) -> Mailbot:
    return Mailbot(load(path, env={}), clock=lambda: now)


def outbox(bot: Mailbot, kind: str = "invite") -> list[EmailMessage]:
    rows = bot.store.rows("SELECT raw FROM outbox WHERE kind = ? ORDER BY id", [kind])
    return [email.message_from_bytes(r["raw"], policy=default) for r in rows]  # type: ignore[misc]


def calendar_of(message: EmailMessage) -> tuple[str, icalendar.Calendar, vobject.base.Component]:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    text = part.get_content()
    return part.get_param("method"), icalendar.Calendar.from_ical(text), vobject.readOne(text)


def test_each_future_milestone_gets_a_review_invitation_real_calendars_accept(config: Path) -> None:
    with open_bot(config) as bot:
        assert bot.tick(NOW) == ["meetings:huajin-web:2"]
        invites = outbox(bot)
    assert len(invites) == 2
    starts = []
    for message in invites:
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
        assert {a.addr_spec for a in message["To"].addresses} == {"li.wei@huajin.example", "chen.jing@studio.example"}
        mime_method, cal, vcal = calendar_of(message)
        assert mime_method == "REQUEST" == str(cal["METHOD"]) == vcal.method.value
        (event,) = cal.walk("VEVENT")
        assert str(event["ORGANIZER"]).lower() == "mailto:project@studio.example"
        assert message["From"].addresses[0].addr_spec == "project@studio.example"  # updates count only from the organizer
        assert event["ORGANIZER"].params["CN"] == "Studio"
        attendees = {str(a).lower().removeprefix("mailto:"): a.params for a in event.get("ATTENDEE")}
        assert set(attendees) == {"li.wei@huajin.example", "chen.jing@studio.example"}
        for params in attendees.values():
            assert params["ROLE"] == "REQ-PARTICIPANT" and params["PARTSTAT"] == "NEEDS-ACTION" and params["RSVP"] == "TRUE" and params["CN"]
        assert int(event["SEQUENCE"]) == 0 and event["UID"].startswith("review-huajin-web-") and "DTSTAMP" in event
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        assert vcal.vevent.uid.value == str(event["UID"])
        starts.append(event.decoded("DTSTART"))
    # two working days before each due date, at 10:00, skipping Golden Week (Oct 1-7 off) and
    # counting the make-up Saturday Oct 10, 2026 as a working day
    assert sorted(s.replace(tzinfo=None) for s in starts) == [dt.datetime(2026, 9, 30, 10, 0), dt.datetime(2026, 10, 10, 10, 0)]


def test_the_same_moment_twice_sends_nothing_twice(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        assert bot.tick(NOW + dt.timedelta(minutes=1)) == []
        assert len(outbox(bot)) == 2


def test_a_tick_that_fails_part_way_queues_nothing_and_the_next_one_queues_it_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tick is one transaction: the invitations queued before a failure go with it."""
    with open_bot(write_config(tmp_path, CONFIG.replace("digest = false\n", ""))) as bot:
        def broken(*_args: object) -> bool:
            raise RuntimeError("template broken")

        monkeypatch.setattr(service.cadence, "last_due", broken)  # after the invitations: when is the digest due
        with pytest.raises(RuntimeError):
            bot.tick(NOW)
        assert outbox(bot) == []
        monkeypatch.undo()
        assert bot.tick(NOW) == ["meetings:huajin-web:2"]
        assert len(outbox(bot)) == 2


def test_a_moved_milestone_moves_its_review_with_the_same_uid_and_a_higher_sequence(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        (first,) = [m for m in outbox(bot) if "上线" in str(m["Subject"])]
    write_config(config.parent, CONFIG.replace("2026-10-13", "2026-10-23"))
    with open_bot(config) as bot:
        assert bot.tick(NOW + dt.timedelta(hours=1)) == ["meetings:huajin-web:1"]
        update = outbox(bot)[-1]
        review = [m for m in bot.plan(now=NOW)["projects"][0]["milestones"] if m["name"] == "上线"][0]["review"]
    _, old_cal, _ = calendar_of(first)
    method, cal, vcal = calendar_of(update)
    (old,), (new,) = old_cal.walk("VEVENT"), cal.walk("VEVENT")
    assert method == "REQUEST" and new["UID"] == old["UID"] and int(new["SEQUENCE"]) == 1
    assert new.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 10, 21, 10, 0)
    assert int(vcal.vevent.sequence.value) == 1
    assert (review["start"], review["sequence"]) == ("2026-10-21T10:00", 1)
    assert "2026-10-21" not in str(first["Subject"]) and "时间调整" in str(update["Subject"])


def test_a_dropped_milestone_cancels_its_review_with_method_cancel(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
    write_config(config.parent, CONFIG.replace('  { name = "上线", due = "2026-10-13" },\n', ""))
    with open_bot(config) as bot:
        bot.tick(NOW + dt.timedelta(hours=1))
        cancel = outbox(bot)[-1]
    method, cal, vcal = calendar_of(cancel)
    (event,) = cal.walk("VEVENT")
    assert method == "CANCEL" == str(cal["METHOD"]) == vcal.method.value
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1 and "上线" in str(event["SUMMARY"])
    assert cancel["X-Mailbot"] == "cancel"


def reply(uid: str, partstat: str, *, method: str = "REPLY", sender: str = "li.wei@huajin.example", extra: str = "", sequence: int | None = 0) -> bytes:
    numbered = "" if sequence is None else f"SEQUENCE:{sequence}\r\n"
    ics = (
        f"BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nMETHOD:{method}\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\n{numbered}DTSTAMP:20260902T010000Z\r\n{extra}"
        f"ATTENDEE;CN=李伟;PARTSTAT={partstat}:mailto:{sender}\r\nORGANIZER;CN=Studio:mailto:project@studio.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    msg = EmailMessage()
    msg["From"] = f"李伟 <{sender}>"
    msg["To"] = "project@studio.example"
    msg["Subject"] = f"{'Accepted' if partstat == 'ACCEPTED' else 'Declined'}: 上线 评审会"
    msg["Date"] = "Wed, 02 Sep 2026 09:00:00 +0800"
    msg["Message-ID"] = f"<reply-{partstat}-{method}-{sequence}@huajin.example>"
    msg.set_content("")
    msg.add_alternative(ics, subtype="calendar", params={"method": method})
    return bytes(msg)


def review_uid(bot: Mailbot, name: str) -> str:
    (row,) = bot.store.rows("SELECT uid FROM meetings JOIN milestones ON milestones.id = meetings.milestone_id WHERE milestones.name = ?", [name])
    return row["uid"]


def test_replies_update_the_attendee_and_a_client_decline_alerts_the_team(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        uid = review_uid(bot, "上线")
        (accepted,) = bot.ingest([RawItem("accept.eml", reply(uid, "ACCEPTED"))]).outcomes
        assert accepted.state == "processed" and "ACCEPTED" in (accepted.reason or "")
        meeting = [m for m in bot.plan(now=NOW)["projects"][0]["meetings"] if m["uid"] == uid][0]
        assert {a["address"]: a["partstat"] for a in meeting["attendees"]}["li.wei@huajin.example"] == "ACCEPTED"
        assert outbox(bot, "alert") == []
        (declined,) = bot.ingest([RawItem("decline.eml", reply(uid, "DECLINED"))]).outcomes
        (alert,) = outbox(bot, "alert")
    assert declined.queued == 1
    assert [a.addr_spec for a in alert["To"].addresses] == ["chen.jing@studio.example"]  # the team only
    assert "李伟" in str(alert["Subject"]) and alert.get_body(("html",)) is not None


def test_a_late_answer_to_the_review_before_it_moved_does_not_answer_the_moved_one(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        uid = review_uid(bot, "上线")
        (first,) = bot.store.rows("SELECT start FROM meetings WHERE uid = ?", [uid])
    write_config(config.parent, CONFIG.replace("2026-10-13", "2026-10-23"))
    with open_bot(config) as bot:
        bot.tick(NOW + dt.timedelta(hours=1))  # the review moves: SEQUENCE 1
        (late,) = bot.ingest([RawItem("late.eml", reply(uid, "DECLINED", sequence=0))]).outcomes
        assert "earlier version" in (late.reason or "") and late.queued == 0
        old_start = "DTSTART;TZID=Asia/Shanghai:" + first["start"].replace("-", "").replace(":", "") + "00\r\n"
        (unnumbered,) = bot.ingest([RawItem("late2.eml", reply(uid, "TENTATIVE", sequence=None, extra=old_start))]).outcomes
        assert "earlier version" in (unnumbered.reason or "")  # no SEQUENCE: the old DTSTART it echoes tells

        def answer() -> str:
            meeting = [m for m in bot.plan(now=NOW)["projects"][0]["meetings"] if m["uid"] == uid][0]
            return {a["address"]: a["partstat"] for a in meeting["attendees"]}["li.wei@huajin.example"]

        assert answer() == "NEEDS-ACTION" and outbox(bot, "alert") == []
        (current,) = bot.ingest([RawItem("current.eml", reply(uid, "ACCEPTED", sequence=1))]).outcomes
        assert "ACCEPTED" in (current.reason or "") and answer() == "ACCEPTED"


def test_a_counter_proposal_is_recorded_for_the_team(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        uid = review_uid(bot, "内页设计")
        counter = reply(uid, "TENTATIVE", method="COUNTER", extra="DTSTART:20261008T070000Z\r\nDTEND:20261008T080000Z\r\nCOMMENT:上午有会，下午三点可以吗？\r\n")
        (outcome,) = bot.ingest([RawItem("counter.eml", counter)]).outcomes
        meeting = [m for m in bot.plan(now=NOW)["projects"][0]["meetings"] if m["uid"] == uid][0]
    assert "COUNTER" in (outcome.reason or "")
    assert meeting["counters"] == [
        {"address": "li.wei@huajin.example", "start": "2026-10-08T15:00", "end": "2026-10-08T16:00", "comment": "上午有会，下午三点可以吗？", "message_id": "<reply-TENTATIVE-COUNTER-0@huajin.example>"}
    ]


def proposal(text: str, n: int) -> bytes:
    return (
        f"From: 李伟 <li.wei@huajin.example>\r\nTo: project@studio.example\r\nSubject: 沟通\r\n"
        f"Date: Tue, 01 Sep 2026 09:00:00 +0800\r\nMessage-ID: <proposal-{n}@huajin.example>\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n陈经理好，\r\n\r\n{text}\r\n\r\n李伟\r\n"
    ).encode()


def test_a_client_proposal_at_a_free_time_becomes_the_meeting(config: Path) -> None:
    with open_bot(config) as bot:
        (outcome,) = bot.ingest([RawItem("p.eml", proposal("下周二下午3点约个电话会，聊一下内页的进度？", 1))]).outcomes
        (invite,) = outbox(bot)
    assert outcome.queued == 1
    _, cal, _ = calendar_of(invite)
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 9, 8, 15, 0)
    assert "已有其他安排" not in invite.get_body(("plain",)).get_content()


def test_a_client_proposal_at_a_taken_time_gets_the_nearest_free_slot(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)  # the review of 内页设计 is on Wed Sep 30 at 10:00
        bot.ingest([RawItem("p.eml", proposal("9月30日上午10点开个会，对一下门店数据？", 2))])
        invite = outbox(bot)[-1]
    _, cal, _ = calendar_of(invite)
    (event,) = cal.walk("VEVENT")
    start = event.decoded("DTSTART").replace(tzinfo=None)
    assert start != dt.datetime(2026, 9, 30, 10, 0) and start.date() == dt.date(2026, 9, 30)
    assert "已有其他安排" in invite.get_body(("plain",)).get_content()


def test_a_proposal_for_the_review_moves_the_review(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        uid = review_uid(bot, "内页设计")
        bot.ingest([RawItem("p.eml", proposal("内页设计的评审会能否改到9月29日下午2点？", 3))])
        update = outbox(bot)[-1]
        meetings = bot.plan(now=NOW)["projects"][0]["meetings"]
    _, cal, _ = calendar_of(update)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 9, 29, 14, 0)
    assert [m["uid"] for m in meetings].count(uid) == 1


def test_the_status_meeting_is_one_recurring_invitation(tmp_path: Path) -> None:
    text = CONFIG.replace('digest = false', 'digest = false\nstatus_meeting = { weekday = "thursday", time = "16:00", every_weeks = 2, minutes = 30 }')
    with open_bot(write_config(tmp_path, text)) as bot:
        bot.tick(NOW)
        (series,) = [m for m in outbox(bot) if "例会" in str(m["Subject"])]
        assert bot.tick(NOW + dt.timedelta(days=1)) == []
    _, cal, vcal = calendar_of(series)
    (event,) = cal.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [2] and event["RRULE"]["BYDAY"] == ["TH"]
    assert event.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 9, 3, 16, 0)
    occurrences = [o.replace(tzinfo=None) for o in vcal.vevent.getrruleset(addRDate=True)]
    assert dt.datetime(2026, 10, 1, 16, 0) not in occurrences  # National Day


def test_calendar_export_holds_meetings_and_milestones(config: Path) -> None:
    from click.testing import CliRunner

    from mailbot.cli import cli

    with open_bot(config) as bot:
        bot.tick(NOW)
    result = CliRunner().invoke(cli, ["calendar", "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 0
    cal = icalendar.Calendar.from_ical(result.output)
    assert str(cal["METHOD"]) == "PUBLISH"
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert len(summaries) == 4 and sum("评审会" in s for s in summaries) == 2
    all_day = [e for e in cal.walk("VEVENT") if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert sorted(e.decoded("DTSTART") for e in all_day) == [dt.date(2026, 10, 9), dt.date(2026, 10, 13)]
    assert json.loads(CliRunner().invoke(cli, ["plan", "--json", "--config", str(config)]).output)["projects"][0]["meetings"]


CHICAGO = CONFIG.replace('''  { name = "李伟", address = "li.wei@huajin.example", party = "client" },''',
                         '''  { name = "李伟", address = "li.wei@huajin.example", party = "client" },
  { name = "Tom Baker", address = "tom@huajin.example", party = "client", timezone = "America/Chicago" },''').replace(
    'digest = false', 'digest = false\nlocation = "华锦大厦 18楼会议室"\nmeeting_url = "https://meeting.example/huajin"')


def test_an_invitation_a_client_in_chicago_can_act_on(tmp_path: Path) -> None:
    """The time in the team's zone and the Chicago reader's, the place, the link and an agenda
    from the plan, in the text and HTML parts and in the .ics, read by two iCalendar parsers."""
    with open_bot(write_config(tmp_path, CHICAGO)) as bot:
        bot.tick(NOW)
        first = min(outbox(bot), key=lambda m: str(m["Subject"]))
    text = first.get_body(("plain",)).get_content()
    html = first.get_body(("html",)).get_content()
    # 2026-09-30 10:00 in Shanghai is 21:00 the day before in Chicago (CDT, UTC-5)
    assert "10:00–11:00（北京时间）" in text and "21:00–22:00（CDT Chicago）" in text
    assert "地点：华锦大厦 18楼会议室" in text and "会议链接：https://meeting.example/huajin" in text
    assert "议程：" in text and "评审「" in text
    assert "CDT Chicago" in html and 'href="https://meeting.example/huajin"' in html and "<li" in html
    assert "\n\n请在邮件中的日历邀请里" in text  # a blank line before the closing request
    _, cal, vcal = calendar_of(first)
    (event,) = cal.walk("VEVENT")
    assert str(event["LOCATION"]) == "华锦大厦 18楼会议室" == vcal.vevent.location.value
    assert str(event["URL"]) == "https://meeting.example/huajin" == vcal.vevent.url.value
    assert "评审「" in str(event["DESCRIPTION"]) and "https://meeting.example/huajin" in vcal.vevent.description.value


def test_an_invitation_without_a_place_or_other_zones_says_only_the_time(config: Path) -> None:
    with open_bot(config) as bot:
        bot.tick(NOW)
        text = outbox(bot)[0].get_body(("plain",)).get_content()
    assert "（北京时间）" in text and "地点" not in text and "会议链接" not in text


@pytest.mark.skipif(__import__("browser").CHROMIUM is None, reason="no Chromium here (scripts/ci-system-deps.sh installs it)")
def test_the_invitation_draws_in_a_real_browser_without_overflow(tmp_path: Path) -> None:
    from browser import draw, png_size

    with open_bot(write_config(tmp_path, CHICAGO)) as bot:
        bot.tick(NOW)
        first = min(outbox(bot), key=lambda m: str(m["Subject"]))
    html = first.get_body(("html",)).get_content()
    raw, fits = draw(html, tmp_path, width=600, height=900, name="invite")
    assert png_size(raw) == (600, 900) and len(raw) > 15_000  # drawn, with content
    assert fits, "text overflows a 600 px mail column"
