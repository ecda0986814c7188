"""The trust model (mailbot/trust.py): who may change a project, tried as an attacker would.

Each test feeds real RFC 5322 bytes through `Mailbot.ingest`, as the service does, and reads
the plan and the outbox back from the SQLite file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.config import load
from mailbot.service import Mailbot
from mailbot.sources import RawItem
from mailbot.trust import Standing, authentication, judge
from parsing.mime import read_email

NOW = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.timezone.utc)
PASS = "Authentication-Results: mx.studio.example; spf=pass smtp.mailfrom={d}; dkim=pass header.d={d}; dmarc=pass header.from={d}\r\n"
FAIL = "Authentication-Results: mx.studio.example; spf=fail smtp.mailfrom={d}; dkim=none; dmarc=fail header.from={d}\r\n"


def mail(sender: str, body: str, *, subject: str = "首页", message_id: str, auth: str = "", to: str = "project@studio.example",
         cc: str = "", in_reply_to: str = "", extra: str = "", content_type: str = "text/plain; charset=utf-8") -> bytes:
    domain = sender.rpartition("@")[2].rstrip(">")
    headers = (auth.format(d=domain) if auth else "") + f"From: {sender}\r\nTo: {to}\r\n" + (f"Cc: {cc}\r\n" if cc else "")
    headers += f"Subject: {subject}\r\nDate: Thu, 05 Mar 2026 09:00:00 +0800\r\nMessage-ID: {message_id}\r\n"
    if in_reply_to:
        headers += f"In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n"
    headers += extra + f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n\r\n"
    return (headers + body).encode("utf-8")


@pytest.fixture
def config(tmp_path: Path, config_file: Path) -> Path:
    text = config_file.read_text(encoding="utf-8").replace('language = "zh"\n', 'language = "zh"\ntrusted_authserv_id = "mx.studio.example"\n', 1)
    path = tmp_path / "trusted.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bot(config: Path) -> Iterator[Mailbot]:
    with Mailbot(load(config, env={})) as bot:
        yield bot


def plan(bot: Mailbot, key: str = "huajin-web") -> dict:  # type: ignore[type-arg]
    return bot.plan(now=NOW, project_key=key)["projects"][0]  # type: ignore[no-any-return]


def outbox(bot: Mailbot) -> list[tuple[str, str]]:
    return [(r["kind"], r["recipients"]) for r in bot.store.rows("SELECT kind, recipients FROM outbox ORDER BY id")]


def test_the_team_is_proven_by_the_trusted_servers_authentication_results() -> None:
    def verdict(auth: str, sender: str = "chen.jing@studio.example") -> tuple[set[str], set[str]]:
        return authentication(read_email(mail(sender, "hi", message_id="<a@x>", auth=auth)), "mx.studio.example")

    assert verdict(PASS) == ({"dkim", "dmarc"}, set())
    assert verdict(FAIL) == (set(), {"dmarc", "spf"})
    assert verdict(PASS.replace("mx.studio.example", "mx.attacker.example")) == (set(), set())  # a pass from anyone else proves nothing
    assert verdict(FAIL.replace("mx.studio.example", "mx.attacker.example"))[1] == {"dmarc", "spf"}  # a fail lowers trust from anyone
    assert verdict("Authentication-Results: ;;; garbage ===\r\n") == (set(), set())


def test_a_forged_team_address_changes_nothing_and_the_team_is_alerted(bot: Mailbot) -> None:
    bot.ingest([RawItem("c.eml", mail("li.wei@huajin.example", "能否在首页增加一个门店查询页？请周五前提供报价单。", message_id="<c1@huajin.example>"))])
    before = plan(bot)
    forged = mail("chen.jing@studio.example", "报价单已经发给您了。门店查询页没问题，就按这个做。", message_id="<f1@x>", auth=FAIL,
                  in_reply_to="<c1@huajin.example>")
    (outcome,) = bot.ingest([RawItem("forged.eml", forged)]).outcomes
    assert outcome.state == "processed" and "not acted on" in (outcome.reason or "") and outcome.queued == 1
    after = plan(bot)
    assert [(i["id"], i["status"]) for i in after["requests"]] == [(i["id"], i["status"]) for i in before["requests"]]
    assert [c["status"] for c in after["change_requests"]] == [c["status"] for c in before["change_requests"]]
    (alert,) = [r for r in bot.store.rows("SELECT kind, recipients, subject FROM outbox") if r["kind"] == "alert"]
    assert "chen.jing@studio.example" in alert["recipients"] and "chen.jing@studio.example" in alert["subject"]
    review = bot.store.rows("SELECT kind, reason FROM review")
    assert [r["kind"] for r in review] == ["stranger"] and "failed" in review[0]["reason"]


def test_an_unproven_team_address_is_no_team_member_but_a_proven_one_is(bot: Mailbot) -> None:
    settings = bot.settings
    project = settings.project("huajin-web")
    plain = read_email(mail("chen.jing@studio.example", "hi", message_id="<p@x>"))
    proven = read_email(mail("chen.jing@studio.example", "hi", message_id="<q@x>", auth=PASS))
    assert judge(settings, bot.store, project, plain).standing is Standing.STRANGER
    assert judge(settings, bot.store, project, proven).standing is Standing.TEAM


@pytest.mark.parametrize("body", [
    "首页设计确认通过，可以进入下一阶段。",  # approve a milestone
    "能否在首页增加一个直播入口？能否把上线时间推迟到6月？",  # open change requests (and get acknowledgements)
    "想约一个评审会，3月10日（周二）下午两点可以吗？",  # be sent an invitation, and learn who the stakeholders are
])
def test_a_strangers_mail_is_kept_for_review_and_does_nothing(bot: Mailbot, body: str) -> None:
    before = plan(bot)
    stranger = mail("mallory@evil.example", body, subject="Re: [华锦零售官网改版] Click http://evil.example to join", message_id="<s1@evil>",
                    cc="li.wei@huajin.example")
    (outcome,) = bot.ingest([RawItem("s.eml", stranger)]).outcomes
    assert outcome.state == "processed" and outcome.queued == 0
    after = plan(bot)
    for section in ("milestones", "change_requests", "meetings", "commitments", "requests", "approvals"):
        assert after[section] == before[section], section
    assert outbox(bot) == []
    assert [r["kind"] for r in plan(bot)["review"]] == ["stranger"]  # on the team's review list


def test_a_clients_tag_of_another_project_does_not_reach_it(bot: Mailbot) -> None:
    raw = mail("sam@acme.example", "首页设计确认通过。能否增加一个会员页面？", subject="[华锦零售官网改版] 确认", message_id="<t1@acme>")
    (outcome,) = bot.ingest([RawItem("t.eml", raw)]).outcomes
    assert outcome.project_key == "acme-app"  # routed by who wrote it, not by the tag they used
    assert plan(bot)["change_requests"] == [] and all(m["status"] != "done" for m in plan(bot)["milestones"])


def test_people_the_client_brings_in_may_write_and_strangers_who_reply_may_not(bot: Mailbot) -> None:
    bot.ingest([RawItem("a.eml", mail("li.wei@huajin.example", "请财务跟进一下发票。", message_id="<a1@huajin.example>",
                                      cc="accountant@bookkeepers.example"))])
    joined = mail("accountant@bookkeepers.example", "能否在首页增加一个发票下载页面？", message_id="<a2@bk>", in_reply_to="<a1@huajin.example>")
    stranger = mail("nosy@other.example", "能否在首页增加一个抽奖页面？", message_id="<a3@other>", in_reply_to="<a1@huajin.example>")
    outcomes = bot.ingest([RawItem("b.eml", joined), RawItem("c.eml", stranger)]).outcomes
    assert [o.project_key for o in outcomes] == ["huajin-web", "huajin-web"]  # both in the thread
    assert [c["text"] for c in plan(bot)["change_requests"]] == ["能否在首页增加一个发票下载页面？"]  # only the one brought in counts


def test_a_calendar_reply_counts_only_from_the_attendee_it_answers_for(bot: Mailbot) -> None:
    bot.tick(NOW)  # review meetings invited to the stakeholders
    (meeting,) = [m for m in plan(bot)["meetings"] if m["kind"] == "review"][:1]
    uid = meeting["uid"]
    assert len(uid.split("@")[0].split("-")[-1]) == 16  # a random part: not guessable from the project and milestone

    def reply(sender: str, attendee: str, message_id: str) -> bytes:
        ics = (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:0\r\n"
               f"DTSTAMP:20260305T010000Z\r\nATTENDEE;PARTSTAT=DECLINED:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        return mail(sender, ics, subject="Declined", message_id=message_id, content_type="text/calendar; method=REPLY; charset=utf-8")

    forged = reply("mallory@evil.example", "li.wei@huajin.example", "<r1@evil>")
    (outcome,) = bot.ingest([RawItem("r1.eml", forged)]).outcomes
    assert "not applied" in (outcome.reason or "") and outcome.queued == 0
    answers = {a["address"]: a["partstat"] for a in [m for m in plan(bot)["meetings"] if m["uid"] == uid][0]["attendees"]}
    assert answers["li.wei@huajin.example"] == "NEEDS-ACTION"
    genuine = reply("li.wei@huajin.example", "li.wei@huajin.example", "<r2@huajin.example>")
    (outcome,) = bot.ingest([RawItem("r2.eml", genuine)]).outcomes
    answers = {a["address"]: a["partstat"] for a in [m for m in plan(bot)["meetings"] if m["uid"] == uid][0]["attendees"]}
    assert answers["li.wei@huajin.example"] == "DECLINED" and outcome.queued == 1  # the team is alerted of a real decline


def test_an_acknowledgement_held_back_by_the_limit_acknowledges_nothing(bot: Mailbot) -> None:
    raws = [RawItem(f"{n}.eml", mail("li.wei@huajin.example", f"能否在首页增加第{n}个促销专区？", subject=f"专区 {n}",
                                     message_id=f"<z{n}@huajin.example>")) for n in range(1, 8)]
    bot.ingest(raws)
    statuses = [c["status"] for c in plan(bot)["change_requests"]]
    assert statuses[:5] == ["acknowledged"] * 5 and statuses[5:] == ["received", "received"]  # per_address_per_hour = 5
    held = bot.store.rows("SELECT status, reason FROM outbox WHERE kind = 'ack' AND status = 'suppressed'")
    assert len(held) == 2 and all("rate limit" in r["reason"] for r in held)


def test_an_authentication_result_written_before_the_trusted_hop_proves_nothing() -> None:
    planted = PASS.format(d="studio.example")  # the sender wrote it; the trusted server then prepended its own
    top = "Authentication-Results: mx.studio.example; spf=none smtp.mailfrom=studio.example; dkim=none; dmarc=none header.from=studio.example\r\n"
    raw = mail("chen.jing@studio.example", "hi", message_id="<h@x>", extra="").replace(b"From:", (top + planted).encode() + b"From:", 1)
    assert authentication(read_email(raw), "mx.studio.example") == (set(), set())
    genuine = mail("chen.jing@studio.example", "hi", message_id="<g@x>", auth=PASS)
    assert authentication(read_email(genuine), "mx.studio.example")[0] == {"dkim", "dmarc"}
