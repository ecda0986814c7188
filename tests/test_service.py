"""Processing messages into the plan: raw first, one transaction each, nothing lost."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem

CR = (
    b"From: Sam Lee <sam@acme.example>\r\nTo: project@studio.example\r\nSubject: Beta scope\r\n"
    b"Date: Thu, 05 Mar 2026 09:00:00 -0500\r\nMessage-ID: <%s@acme.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hi team,\r\n\r\nCan we add a login page to the beta?\r\n\r\nThanks,\r\nSam\r\n"
)
OUTSIDER = b"From: a@elsewhere.example\r\nTo: project@studio.example\r\nSubject: hello\r\nMessage-ID: <o@x>\r\n\r\nJust saying hello.\r\n"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512


@pytest.fixture
def bot(config_file: Path) -> Iterator[Mailbot]:
    with Mailbot(load(config_file, env={})) as bot:
        yield bot


def test_broken_message_is_kept_and_reported_and_the_batch_goes_on(bot: Mailbot) -> None:
    report = bot.ingest([RawItem("broken.msg", OLE2), RawItem("cr.eml", CR % b"1"), RawItem("gone.eml", b"", error="no such file or folder")])
    assert [o.state for o in report.outcomes] == ["failed", "processed", "unreadable"]
    assert "Outlook .msg" in (report.outcomes[0].reason or "")
    kept = bot.store.one("SELECT r.raw, m.state, m.reason FROM messages m JOIN message_raw r ON r.message = m.id WHERE m.source = 'broken.msg'")
    assert kept["raw"] == OLE2 and kept["state"] == "failed" and "Outlook" in kept["reason"]
    assert bot.plan(now=_now())["failed"][0]["source"] == "broken.msg"


def test_raw_bytes_are_stored_verbatim_and_findings_keep_their_message(bot: Mailbot) -> None:
    raw = CR % b"2"
    (outcome,) = bot.ingest([RawItem("cr.eml", raw)]).outcomes
    assert (outcome.state, outcome.project_key, outcome.queued) == ("processed", "acme-app", 1)
    assert bot.store.one("SELECT r.raw FROM message_raw r JOIN messages m ON m.id = r.message WHERE m.key = '<2@acme.example>'")["raw"] == raw
    (cr,) = bot.plan(now=_now(), project_key="acme-app")["projects"][0]["change_requests"]
    assert (cr["number"], cr["message_id"], cr["status"]) == ("CR-1", "<2@acme.example>", "acknowledged")
    assert cr["text"] == "Can we add a login page to the beta?"


def test_mail_of_no_project_is_kept_as_unassigned(bot: Mailbot) -> None:
    (outcome,) = bot.ingest([RawItem("o.eml", OUTSIDER)]).outcomes
    assert outcome.state == "processed" and outcome.project_key is None and outcome.reason
    assert bot.plan(now=_now())["unassigned"] == 1


def test_old_mail_is_read_but_never_answered(bot: Mailbot) -> None:
    since = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    (outcome,) = bot.ingest([RawItem("cr.eml", CR % b"3")], answer_since=since).outcomes
    assert outcome.state == "processed" and outcome.findings == 1 and outcome.queued == 0
    assert bot.store.db["outbox"].count == 0


def test_a_message_interrupted_before_processing_is_processed_on_the_next_run(bot: Mailbot) -> None:
    raw = CR % b"4"
    bot.store.messages.keep_raw(key="<4@acme.example>", message_id="<4@acme.example>", content_hash="h", raw=raw, source="cr.eml",
                                received_at="2026-03-05T14:00:00+00:00")  # stored, then the process died
    assert bot.store.one("SELECT state FROM messages")["state"] == "new"
    (outcome,) = bot.ingest([RawItem("cr.eml", raw)]).outcomes
    assert outcome.state == "processed"
    assert bot.store.db["messages"].count == 1


def _now() -> dt.datetime:
    return dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc)


NO_ID = b"From: Sam Lee <sam@acme.example>\r\nTo: project@studio.example\r\nSubject: Beta\r\nDate: Thu, 05 Mar 2026 09:00:00 -0500\r\n\r\nCan we add a login page to the beta?\r\n"


def test_the_same_message_seen_twice_is_applied_once(bot: Mailbot) -> None:
    rewritten = NO_ID + b"\r\n-- \r\nScanned by MailGuard: no virus found\r\n"
    outcomes = bot.ingest([RawItem("INBOX/1", CR % b"9"), RawItem("Archive/7", CR % b"9"), RawItem("a", NO_ID), RawItem("b", rewritten)]).outcomes
    assert [o.state for o in outcomes] == ["processed", "duplicate", "processed", "duplicate"]
    assert bot.store.db["messages"].count == 2


def test_a_display_name_that_decodes_to_a_line_break_still_gets_its_change_request_acknowledged(bot: Mailbot) -> None:
    name = base64.b64encode("李伟\r\nBcc: all@attacker.example \u202e".encode()).decode()
    raw = (f"From: =?utf-8?b?{name}?= <li.wei@huajin.example>\r\nTo: project@studio.example\r\nSubject: =?utf-8?b?"
           + base64.b64encode("首页\u200b\r\n".encode()).decode()
           + "?=\r\nDate: Thu, 05 Mar 2026 09:00:00 +0800\r\nMessage-ID: <crlf@huajin.example>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n" + "能否在首页增加一个门店查询页？").encode()
    (outcome,) = bot.ingest([RawItem("crlf.eml", raw)]).outcomes
    assert outcome.state == "processed" and outcome.queued == 1
    (ack,) = bot.store.rows("SELECT raw FROM outbox WHERE kind = 'ack'")
    head = ack["raw"].split(b"\r\n\r\n")[0].split(b"\n\n")[0]
    assert not any(line.lower().startswith(b"bcc") for line in head.splitlines())
    parsed = email.message_from_bytes(ack["raw"], policy=email.policy.default)
    assert parsed["To"].addresses[0].addr_spec == "li.wei@huajin.example" and "\u202e" not in str(parsed["To"])
    assert "\u200b" not in parsed["Subject"]
