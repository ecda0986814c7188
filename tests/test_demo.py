"""`mailbot demo` end to end: the plan it builds and the mail it writes, read back from disk.

The sample is five weeks of one project (mailbot/sample/). The demo replays it as if it
arrived live and stops on Monday 6 April 2026, 09:00. What a careful PM keeps from those mails,
and so what these tests expect, is written out below item by item, with the mail that says so.
"""

from __future__ import annotations

import email
import json
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.demo import DemoResult, run_demo, sample_messages
from mailbot.outbox import plain_text
from mailbot.store import open_store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def project(demo: DemoResult) -> dict[str, Any]:
    (project,) = demo.snapshot["projects"]
    return project  # type: ignore[no-any-return]


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[return-value]


def _sample_headers() -> dict[str, EmailMessage]:
    return {str(m["Message-ID"]): m for m in (_read(p) for p in sample_messages())}


def _outgoing(demo: DemoResult, kind: str) -> list[EmailMessage]:
    return [m for m in (_read(p) for p, _ in demo.outgoing) if m["X-Mailbot"] == kind]


def _open(project: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["text"]: i for i in project["commitments"] + project["requests"] if i["status"] == "open"}


def test_sample_mailbox_is_big_and_bilingual() -> None:
    messages = list(_sample_headers().values())
    assert len(messages) >= 12
    senders = {str(m["From"]) for m in messages}
    assert any("huajin.example" in s for s in senders) and any("studio.example" in s for s in senders)


def test_every_message_is_processed_or_ignored_with_a_reason(demo: DemoResult) -> None:
    assert demo.report.errors == []
    states = [o.state for o in demo.report.outcomes]
    assert states.count("processed") >= 12
    ignored = [o for o in demo.report.outcomes if o.state == "ignored"]
    assert ignored and all(o.reason for o in ignored)
    assert [m["reason"] for m in demo.snapshot["ignored"]] == [o.reason for o in ignored]


def test_what_is_open_at_the_end_and_why(project: dict[str, Any]) -> None:
    open_items = _open(project)
    expected = {
        # 07: the studio promises a quote for the store-locator work once the client confirms; the
        # client confirms and asks for it in 08 ("补充报价麻烦尽快发我一下"); no quote has gone out.
        "we'll send a quote for the additional work separately once you confirm.": ("us", None),
        # 07: the studio will update the schedule after the confirmation; 08 confirms, no new schedule went round.
        "I'll then update the schedule and send it round.": ("us", None),
        # 11: the client's marketing will provide the banner images by Thursday 19 March; none came.
        "首页banner用的活动图我们市场部周四前提供。": ("client", "2026-03-19"),
        # 12 (minutes, a line owned by 王芳, the client) restated as an ask in the same mail; nothing since.
        "王芳：本周五前确认门店数据字段，并提供门店清单（Excel）。": ("client", "2026-03-20"),
        # 04 asks for the product feed spec by Monday 9 March; 13: the ERP vendor now says 27 March.
        "Could you send us the product feed spec (fields, format, update frequency) by Monday?": ("client", "2026-03-27"),
        # 18: the client wants the impact of moving go-live assessed by Friday 3 April; no answer yet.
        "麻烦评估一下对整体排期和费用有没有影响，本周五前给我们一个回复。": ("us", "2026-04-03"),
    }
    assert {text: (i["by"], i["due"]) for text, i in open_items.items()} == expected
    overdue = sorted(i["due"] for i in open_items.values() if i.get("overdue"))
    assert overdue == ["2026-03-19", "2026-03-20", "2026-03-27", "2026-04-03"]


def test_work_delivered_received_or_answered_in_the_sample_is_closed(project: dict[str, Any]) -> None:
    done = {i["text"] for i in project["commitments"] + project["requests"] if i["status"] == "done"}
    closed_by = {
        "我们会在下周五之前提交首页设计初稿。",  # 10: 首页设计初稿已经完成
        "I'll have the staging server up by Thursday and will send the URL and login separately.",  # 09: Staging is up
        "烦请贵司本周内提供以下资料：品牌VI手册、Logo源文件（AI或SVG格式）、现有官网的后台账号。",  # 03: uploaded
        "另外麻烦把项目排期表发我们一下，我们内部要走立项报备，最好是Excel版的。",  # 06: 项目排期表见附件
        "Could you confirm by Wednesday whether we should go ahead on this basis?",  # 08: 就按你们的方案做
        "麻烦各位在本周五前确认一下用哪套方案，我们好推进内页设计。",  # 16: 配色用方案A
        "张强：3月24日前提交首页设计稿V2。",  # 15: V2 修改完成
    }
    assert closed_by <= done, closed_by - done
    ga = next(i for i in project["requests"] if "Google Analytics" in i["text"])
    assert (ga["status"], ga["due"]) == ("done", "2026-03-06")  # asked in 04, promised for 'tomorrow' in 05, thanked for in 09


def test_change_requests_follow_their_process(demo: DemoResult, project: dict[str, Any]) -> None:
    changes = {c["id"]: (c["status"], c["origin"]) for c in project["change_requests"]}
    assert changes == {
        "CR-1": ("applied", "client"),  # 05 asks; 07 assesses; 08 accepts, and the inner pages move to 24 April
        "CR-2": ("accepted", "client"),  # 11 asks for deep blue; the minutes of 12 take it on; V2 is signed off in 16
        "CR-3": ("acknowledged", "client"),  # 18 asks to move go-live; nobody has decided yet
    }
    acks = _outgoing(demo, "ack")
    assert [a["Subject"].rsplit(" ", 1)[-1] for a in acks] == ["[CR-1]", "[CR-2]", "[CR-3]"]
    samples = _sample_headers()
    for change, ack in zip(project["change_requests"], acks, strict=True):
        original = samples[change["message_id"]]
        assert ack["In-Reply-To"] == change["message_id"]  # each acknowledged when it came, in its thread
        assert ack["Date"].datetime - original["Date"].datetime < dt_minutes(5)
        assert [a.addr_spec for a in ack["To"].addresses] == [original["From"].addresses[0].addr_spec]
        assert ack["Auto-Submitted"] == "auto-replied" and ack["X-Auto-Response-Suppress"] == "All"
        _assert_both_parts(ack, must_contain=change["id"])


def dt_minutes(n: int) -> Any:
    import datetime as dt

    return dt.timedelta(minutes=n)


def test_milestones_follow_what_was_agreed(demo: DemoResult, project: dict[str, Any]) -> None:
    milestones = {m["name"]: (m["due"], m["status"]) for m in project["milestones"]}
    assert milestones == {
        "首页设计": ("2026-03-31", "done"),  # 16: 首页设计确认通过
        "内页设计": ("2026-04-24", "review_scheduled"),  # 08: 内页节点顺延到4月24日我们可以接受 (CR-1)
        "上线": ("2026-05-15", "review_scheduled"),  # 08: 上线时间不变; CR-3 undecided
    }
    with open_store(demo.directory / "mailbot.db") as store:
        inner = next(m for m in store.milestones.of_project("huajin-web") if m.name == "内页设计")
        (move,) = [h for h in store.history("milestones", inner.id) if h.field == "due"]
        assert (move.old, move.new, move.reason) == ("2026-04-17", "2026-04-24", "CR-1")
    assert project["status"] == "active"


def test_meetings_are_one_each_from_proposal_to_invitation(project: dict[str, Any]) -> None:
    meetings = {(m["kind"], m["start"], m["status"]) for m in project["meetings"]}
    assert meetings == {
        ("proposed", "2026-03-05T10:00", "held"),  # 01 proposes the kickoff, 02 agrees: invited, held
        ("review", "2026-03-17T15:00", "held"),  # 10 proposes the homepage review for Tuesday 3pm, 11 agrees: the review moved
        ("review", "2026-04-22T10:00", "invited"),  # two working days before the inner pages' new date
        ("review", "2026-05-13T10:00", "invited"),
    }
    kickoff = next(m for m in project["meetings"] if m["kind"] == "proposed")
    assert kickoff["title"] == "华锦零售官网改版 项目会议"  # composed from the plan, not copied from a sender


def test_weekly_digests_go_every_monday_and_never_show_done_work_as_overdue(demo: DemoResult, project: dict[str, Any]) -> None:
    digests = _outgoing(demo, "digest")
    assert [d["Subject"] for d in digests] == [
        f"【华锦零售官网改版】项目周报 {week}" for week in ("3月2日–3月8日", "3月9日–3月15日", "3月16日–3月22日", "3月23日–3月29日", "3月30日–4月5日")
    ]
    last = _assert_both_parts(digests[-1], must_contain="CR-3")
    overdue_part = last.split("【已逾期，请关注】")[1].split("【本周完成】")[0]
    for item in project["commitments"] + project["requests"]:
        head = item["text"][:12]
        assert (head in overdue_part) == bool(item.get("overdue")), item["text"]
    assert "CR-1" not in last  # applied: no longer an open change
    moved_week = _assert_both_parts(digests[1], must_contain="计划调整")
    assert "内页设计：4月17日（周五） → 4月24日（周五）（CR-1）" in moved_week
    recipients = {a.addr_spec for a in digests[-1]["To"].addresses}
    assert {"li.wei@huajin.example", "chen.jing@studio.example"} <= recipients


def _assert_both_parts(message: EmailMessage, must_contain: str) -> str:
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    assert must_contain in text and must_contain in markup
    assert "<html" in markup.lower() and "{{" not in text and "{%" not in markup
    return text


def test_the_calendar_feed_holds_the_agreed_meetings_and_the_milestones(demo: DemoResult) -> None:
    result = CliRunner().invoke(cli, ["calendar", "--config", str(demo.directory / "mailbot.toml")], catch_exceptions=False)
    assert result.exit_code == 0
    import icalendar

    calendar = icalendar.Calendar.from_ical(result.output)
    events = {(str(e["SUMMARY"]), e.decoded("DTSTART").isoformat()[:16]) for e in calendar.walk("VEVENT")}
    assert ("华锦零售官网改版 项目会议", "2026-03-05T10:00") in events
    assert ("内页设计（华锦零售官网改版）", "2026-04-24") in events


def test_running_the_demo_again_in_the_same_folder_changes_nothing(demo: DemoResult) -> None:
    again = run_demo(demo.directory)
    assert again.report.count("duplicate") == len(again.report.outcomes)
    assert again.outgoing == demo.outgoing
    assert json.dumps(again.snapshot, sort_keys=True) == json.dumps(demo.snapshot, sort_keys=True)


def test_demo_command_prints_the_plan_and_the_outbox(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "d")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "华锦零售官网改版" in result.output and "CR-1" in result.output
    assert str(tmp_path / "d" / "outbox") in result.output
    assert len(list((tmp_path / "d" / "outbox" / "new").iterdir())) >= 2


def test_the_text_kept_of_each_message_sent_is_what_reading_its_bytes_gives(demo: DemoResult) -> None:
    """`Outgoing.text` takes the text from the message as built, not by parsing what was
    sent: for every kind the demo writes, the two agree."""
    with open_store(demo.directory / "mailbot.db") as store:
        rows = store.outbox.written()
        assert len({row.kind for row in rows}) >= 5  # acks, invitations, digests, reminders, surveys …
        for row in rows:
            assert store.outbox.text_of(row.id) == plain_text(store.outbox.raw_of(row.id)), row.kind
