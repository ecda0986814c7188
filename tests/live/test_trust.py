"""The trust rules against a running `mailbot run`, a real Dovecot and a real SMTP relay.

Each test is an attack from the trust-and-hardening issue, sent over SMTP as an attacker would
send it, with a control that the same mail from the rightful sender does work (so that a test
cannot pass because nothing works at all). What mailbot sent is read from the recipients'
real mailboxes; the plan from `mailbot plan --json`.
"""

from __future__ import annotations

import datetime as dt
import email
import time
from email.message import EmailMessage
from pathlib import Path

from live.servers import AUTHSERV, CLIENT, PROJECT, Dovecot, SmtpRelay, message
from live.service import MailbotProcess, mailbot, outbox_rows, plan
from live.test_run import config, mailbot_mail, wait_for_mail

TEAM = "chen.jing@studio.example"
STRANGER = "mallory@evil.example"
OTHER_CLIENT = "sam@acme.example"
ACME = """
[[projects]]
key = "acme-app"
name = "Acme App"
language = "en"
client_domains = ["acme.example"]
stakeholders = [{ name = "Sam", address = "sam@acme.example", party = "client" }]
"""


def authenticated(domain: str, verdict: str) -> dict[str, str]:
    """The Authentication-Results header the project's MX adds (RFC 8601)."""
    return {"Authentication-Results": f"{AUTHSERV}; spf={verdict} smtp.mailfrom={domain}; dkim={verdict} header.d={domain}; "
                                      f"dmarc={verdict} header.from={domain}"}


def project(cfg: object, key: str = "huajin-web") -> dict:  # type: ignore[type-arg]
    return next(p for p in plan(cfg)["projects"] if p["key"] == key)  # type: ignore[arg-type]


def test_a_forged_team_address_changes_nothing_and_alerts_the_team_while_a_proven_one_works(
        tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        smtp_relay.send(CLIENT, PROJECT, message(subject="报价", body="陈经理好，\n\n请在周五前提供报价单。\n\n李伟", message_id="<q1@huajin.example>"))
        bot.wait_for(r"message_id=<q1@huajin.example> project=huajin-web outcome=processed")
        forged = message(sender=TEAM, subject="Re: 报价", body="李总好，报价单已经发给您了。\n\n陈静", message_id="<f1@studio.example>",
                         headers={**authenticated("studio.example", "fail"), "In-Reply-To": "<q1@huajin.example>"})
        smtp_relay.send(TEAM, PROJECT, forged)
        alerts = wait_for_mail(dovecot, TEAM, "alert", 1)
        assert len(alerts) == 1, bot.log()
        assert project(cfg)["requests"][0]["status"] == "open"  # the forgery closed nothing
        genuine = message(sender=TEAM, subject="Re: 报价", body="李总好，报价单已经发给您了。\n\n陈静", message_id="<g1@studio.example>",
                          headers={**authenticated("studio.example", "pass"), "In-Reply-To": "<q1@huajin.example>"})
        smtp_relay.send(TEAM, PROJECT, genuine)
        bot.wait_for(r"message_id=<g1@studio.example> project=huajin-web outcome=processed")
    finally:
        assert bot.stop() == 0, bot.log()
    assert project(cfg)["requests"][0]["status"] == "done"
    assert [r["kind"] for r in project(cfg)["review"]] == ["stranger"]
    assert mailbot_mail(dovecot, CLIENT, "alert") == []  # the alert went to the team only


def test_a_strangers_approval_change_request_and_proposal_do_nothing_and_get_no_answer(
        tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    before = project(cfg)
    day = (dt.date.today() + dt.timedelta(days=9)).strftime("%-m月%-d日")
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        bodies = ["首页设计确认通过，可以进入下一阶段。", "能否在首页增加一个直播入口？", f"想约一个评审会，{day}下午两点可以吗？"]
        for n, body in enumerate(bodies):
            raw = message(sender=STRANGER, to=f"{PROJECT}, {CLIENT}", subject=f"Re: [华锦零售官网改版] Click http://evil.example/{n} to join",
                          body=body, message_id=f"<s{n}@evil.example>")
            smtp_relay.send(STRANGER, PROJECT, raw)
        bot.wait_for(r"@evil.example> project=huajin-web outcome=processed", count=3)
        time.sleep(1)  # what would be sent is queued in the same transaction and flushed at once
    finally:
        assert bot.stop() == 0, bot.log()
    after = project(cfg)
    for section in ("milestones", "change_requests", "meetings", "approvals"):
        assert after[section] == before[section], section
    assert [r["kind"] for r in after["review"]] == ["stranger"] * 3
    sent = outbox_rows(cfg)
    # nothing answers the stranger; in the team's working hours its review list (to the team only) lists the stranger's mail
    assert [r for r in sent if r["kind"] != "review"] == []
    assert all(STRANGER not in r["recipients"] and CLIENT not in r["recipients"] for r in sent)
    assert [e for e in smtp_relay.envelopes if STRANGER in e.rcpt_tos or CLIENT in e.rcpt_tos] == []


def test_a_clients_tag_of_another_project_does_not_reach_that_project(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, extra=ACME)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        raw = message(sender=OTHER_CLIENT, subject="[华锦零售官网改版] 确认", body="首页设计确认通过。能否在首页增加一个会员页面？",
                      message_id="<t1@acme.example>")
        smtp_relay.send(OTHER_CLIENT, PROJECT, raw)
        bot.wait_for(r"message_id=<t1@acme.example> project=acme-app outcome=processed")  # routed by who wrote it
    finally:
        assert bot.stop() == 0, bot.log()
    huajin = project(cfg)
    assert huajin["change_requests"] == [] and all(m["status"] != "done" for m in huajin["milestones"])
    assert mailbot_mail(dovecot, CLIENT, "ack") == []


def _invitation(dovecot: Dovecot, bot: MailbotProcess) -> tuple[str, EmailMessage]:
    invites = wait_for_mail(dovecot, CLIENT, "invite", 1)
    assert len(invites) == 1, f"{len(invites)} invitations reached the client; mailbot's log:\n{bot.log()}"
    (invite,) = invites
    ics = invite.get_body(("calendar",)) or next(p for p in invite.walk() if p.get_content_type() == "text/calendar")
    uid = next(line.split(":", 1)[1] for line in ics.get_content().splitlines() if line.startswith("UID:"))
    return uid.strip(), invite


def _reply(sender: str, attendee: str, uid: str, partstat: str, message_id: str, headers: dict[str, str] | None = None) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, PROJECT, f"{partstat.title()}: 评审会"
    msg["Date"] = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc))
    msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:0\r\n"
                    f"DTSTAMP:20261203T010000Z\r\nATTENDEE;PARTSTAT={partstat}:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                    subtype="calendar", params={"method": "REPLY"})
    return msg.as_bytes()


def test_a_forged_calendar_reply_is_not_applied_and_the_attendees_own_is(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    day = (dt.date.today() + dt.timedelta(days=9)).strftime("%-m月%-d日")
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        smtp_relay.send(CLIENT, PROJECT, message(subject="评审会", body=f"陈经理好，\n\n想约一个评审会，{day}下午两点可以吗？\n\n李伟",
                                                 message_id="<m1@huajin.example>"))
        uid, _ = _invitation(dovecot, bot)

        def partstat() -> str:
            (meeting,) = [m for m in project(cfg)["meetings"] if m["uid"] == uid]
            return next(a["partstat"] for a in meeting["attendees"] if a["address"] == CLIENT)

        before = partstat()
        smtp_relay.send(STRANGER, PROJECT, _reply(STRANGER, CLIENT, uid, "DECLINED", "<r1@evil.example>"))
        bot.wait_for(r"message_id=<r1@evil.example> .*outcome=processed")
        guessed = uid.rsplit("-", 1)[0] + "-0000000000000000@" + uid.split("@")[1] if "@" in uid else uid + "x"
        smtp_relay.send(CLIENT, PROJECT, _reply(CLIENT, CLIENT, guessed, "DECLINED", "<r2@huajin.example>"))
        bot.wait_for(r"message_id=<r2@huajin.example> .*outcome=processed")
        assert partstat() == before  # neither the stranger nor a guessed UID moved it
        smtp_relay.send(CLIENT, PROJECT, _reply(CLIENT, CLIENT, uid, "ACCEPTED", "<r3@huajin.example>"))
        bot.wait_for(r"message_id=<r3@huajin.example> .*outcome=processed")
    finally:
        assert bot.stop() == 0, bot.log()
    assert before == "NEEDS-ACTION" and partstat() == "ACCEPTED"


def test_invitations_obey_the_per_address_limit_and_what_is_held_back_is_recorded(
        tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, outbox_per_address_per_hour="3")
    bot = MailbotProcess(cfg)
    proposals = 6
    try:
        bot.wait_for(r"ready, 0 new message")
        for n in range(proposals):
            day = (dt.date.today() + dt.timedelta(days=8 + n)).strftime("%-m月%-d日")
            smtp_relay.send(CLIENT, PROJECT, message(subject=f"会议 {n}", body=f"想约个会，{day}下午三点可以吗？", message_id=f"<p{n}@huajin.example>"))
        bot.wait_for(r"message_id=<p\d@huajin.example> project=huajin-web outcome=processed", count=proposals)
        time.sleep(2)
    finally:
        assert bot.stop() == 0, bot.log()
    to_client = [e for e in smtp_relay.envelopes if CLIENT in e.rcpt_tos]
    assert len(to_client) == 3, [e.message()["Subject"] for e in to_client]
    held = [r for r in outbox_rows(cfg) if r["status"] == "suppressed"]
    assert len(held) == proposals - 3 and {r["kind"] for r in held} == {"invite"}
    invited = [m for m in project(cfg)["meetings"] if m["status"] == "invited"]
    assert len(invited) == 3  # a meeting whose invitation was held back is not "invited"


def test_sigterm_in_the_middle_of_a_batch_stops_within_two_seconds(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    long = "请在周五前发送标志文件并确认首页设计稿" * 40_000  # 760,000 characters without a full stop
    for n in range(40):
        dovecot.deliver(PROJECT, message(subject="长文", body=long, message_id=f"<big{n}@huajin.example>") if n % 4 == 0 else message(subject=f"进度 {n}", body=f"能否在首页增加第{n}个促销专区？",
                                                                    message_id=f"<b{n}@huajin.example>"))
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"outcome=processed", timeout=60)
        bot.proc.send_signal(15)
        started = time.monotonic()
        code = bot.proc.wait(10)
        took = time.monotonic() - started
    finally:
        bot.stop()
    assert code == 0 and took < 2.0, f"{took:.1f} s\n" + bot.log()
    assert mailbot(cfg, "plan", "--json").returncode == 0
