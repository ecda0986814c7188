"""`mailbot demo` end to end: the plan it builds and the mail it writes, read back from disk."""

from __future__ import annotations

import email
import json
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.demo import DemoResult, run_demo, sample_messages


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


def _read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[return-value]


def _sample_headers() -> dict[str, EmailMessage]:
    return {str(m["Message-ID"]): m for m in (_read(p) for p in sample_messages())}


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


def test_plan_holds_every_kind_of_item(demo: DemoResult) -> None:
    (project,) = demo.snapshot["projects"]
    assert project["key"] == "huajin-web"
    assert demo.snapshot["unassigned"] == 0
    crs = project["change_requests"]
    assert [c["number"] for c in crs] == [f"CR-{n}" for n in range(1, len(crs) + 1)] and len(crs) >= 2
    assert all(c["message_id"] and c["text"] for c in crs)
    commitments = project["commitments"]
    assert any(c["by"] == "us" and c["due"] for c in commitments)
    assert project["requests"] and all(r["by"] in ("us", "client") for r in project["requests"])
    assert project["approvals"]
    assert any(m["status"] == "done" for m in project["milestones"])
    assert {f["sentiment"] for f in project["feedback"]} & {"positive", "mixed", "negative"}
    assert project["risks"]
    assert project["meetings"]


def test_the_sample_project_has_exactly_the_changes_a_reader_finds(demo: DemoResult) -> None:
    # The sample mail asks for three changes: a store-locator page, a deep blue main colour,
    # go-live at the end of May. The reasons given around them ("官网最好保持一致") and the
    # studio keeping a date ("Go-live on 15 May stays as it is") are neither changes nor sign-offs.
    (project,) = demo.snapshot["projects"]
    texts = [c["text"] for c in project["change_requests"]]
    assert len(texts) == 3, texts
    assert "store-locator" in texts[0] and "深蓝色" in texts[1] and "5月底" in texts[2]
    assert len({c["message_id"] for c in project["change_requests"]}) == 3  # one acknowledgement per message
    assert not any("stays as it is" in a["text"] for a in project["approvals"])


def test_work_delivered_in_the_sample_closes_what_was_promised_and_asked(demo: DemoResult) -> None:
    # 10-homepage-draft.eml delivers the draft promised in the kickoff thread; in
    # 03-re-kickoff-wang-fang.eml the client has uploaded the VI manual and logo files asked
    # for; 09-re-staging-is-up.eml reports "Staging is up" and thanks Emily for the GA export.
    (project,) = demo.snapshot["projects"]
    done = [c["text"] for c in project["commitments"] + project["requests"] if c["status"] == "done"]
    assert any("首页设计初稿" in t for t in done) and any("VI手册" in t for t in done), done
    assert any("staging server" in t for t in done) and any("GA export" in t for t in done), done
    assert len(done) == 4  # nothing else was delivered in the sample


def test_every_change_request_from_the_client_is_acknowledged_in_its_thread(demo: DemoResult) -> None:
    (project,) = demo.snapshot["projects"]
    samples = _sample_headers()
    acks = [_read(p) for p, _ in demo.outgoing if _read(p)["X-Mailbot"] == "ack"]
    client_crs = [c for c in project["change_requests"] if "huajin.example" in (c["who"] or "")]
    assert len(acks) == len(client_crs) >= 1
    for cr, ack in zip(client_crs, acks, strict=True):
        original = samples[cr["message_id"]]
        assert ack["In-Reply-To"] == cr["message_id"]
        assert cr["message_id"] in str(ack["References"]).split()
        assert ack["From"].addresses[0].addr_spec == "project@studio.example"
        assert [a.addr_spec for a in ack["To"].addresses] == [original["From"].addresses[0].addr_spec]
        assert ack["Auto-Submitted"] == "auto-replied"
        assert ack["X-Auto-Response-Suppress"] == "All"
        assert cr["number"] in str(ack["Subject"])
        _assert_both_parts(ack, must_contain=cr["number"])
        assert cr["status"] == "acknowledged"


def test_weekly_digest_goes_to_the_stakeholders(demo: DemoResult) -> None:
    digests = [_read(p) for p, _ in demo.outgoing if _read(p)["X-Mailbot"] == "digest"]
    assert len(digests) == 1
    digest = digests[0]
    assert digest["Auto-Submitted"] == "auto-generated"
    assert "华锦零售官网改版" in str(digest["Subject"])
    recipients = {a.addr_spec for a in digest["To"].addresses}
    assert {"li.wei@huajin.example", "chen.jing@studio.example"} <= recipients
    text = _assert_both_parts(digest, must_contain="CR-1")
    for milestone in ("首页设计", "上线"):
        assert milestone in text


def _assert_both_parts(message: EmailMessage, must_contain: str) -> str:
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    assert must_contain in text and must_contain in markup
    assert "<html" in markup.lower() and "{{" not in text and "{%" not in markup
    return text


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
