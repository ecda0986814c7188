"""`mailbot run` against a real Dovecot (IMAP IDLE) and a real SMTP relay, as a real process."""

from __future__ import annotations

import email
import random
import time
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from live.servers import CLIENT, PROJECT, ROBOT, Dovecot, LiveConfig, SmtpRelay, live_env, live_toml, message
from live.service import MailbotProcess, mailbot, outbox_rows, plan

ROBOT_PROJECT = """
[[projects]]
key = "robot"
name = "Robot Inc"
language = "en"
client_domains = ["robot.example"]
"""


def config(tmp_path: Path, dovecot: Dovecot, relay: SmtpRelay, *, extra: str = "", imap_security: str = "none", **env: str) -> LiveConfig:
    path = tmp_path / "mailbot.toml"
    path.write_text(live_toml(dovecot, relay, extra=extra, imap_security=imap_security), encoding="utf-8")
    return LiveConfig(path, {**live_env(dovecot), **{f"MAILBOT_{k.upper()}": v for k, v in env.items()}})


def change_request(n: int, *, sender: str = CLIENT, date: object = None) -> bytes:
    return message(
        sender=sender,
        subject=f"首页调整 {n}",
        body=f"陈经理好，\n\n能否在首页增加第{n}个促销专区？\n\n李伟",
        message_id=f"<cr-{n}@huajin.example>",
        date=date,  # type: ignore[arg-type]
    )


def mailbot_mail(dovecot: Dovecot, user: str, kind: str) -> list[EmailMessage]:
    found = [email.message_from_bytes(raw, policy=default) for raw in dovecot.fetch_all(user)]
    return [m for m in found if m["X-Mailbot"] == kind]  # type: ignore[misc]


def wait_for_mail(dovecot: Dovecot, user: str, kind: str, count: int, timeout: float = 20.0) -> list[EmailMessage]:
    deadline = time.monotonic() + timeout
    while True:
        found = mailbot_mail(dovecot, user, kind)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_change_request_reaches_the_plan_through_idle_and_the_ack_reaches_the_client(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        smtp_relay.send(CLIENT, PROJECT, change_request(1))
        acks = wait_for_mail(dovecot, CLIENT, "ack", 1)
        assert len(acks) == 1, bot.log()
        (ack,) = acks
        assert ack["In-Reply-To"] == "<cr-1@huajin.example>"
        assert "<cr-1@huajin.example>" in str(ack["References"])
        assert "[CR-1]" in str(ack["Subject"]) and "[华锦零售官网改版]" in str(ack["Subject"])
        assert ack["Auto-Submitted"] == "auto-replied" and ack["X-Auto-Response-Suppress"] == "All"
        assert ack.get_body(("plain",)) is not None and ack.get_body(("html",)) is not None
        bot.wait_for(r"uid=1 message_id=<cr-1@huajin.example> project=huajin-web outcome=processed")
    finally:
        assert bot.stop() == 0, bot.log()
    (cr,) = plan(cfg)["projects"][0]["change_requests"]
    assert (cr["number"], cr["status"], cr["message_id"]) == ("CR-1", "acknowledged", "<cr-1@huajin.example>")
    with dovecot.imap(PROJECT) as imap:  # marked processed with our keyword, never \Seen
        imap.select_folder("INBOX", readonly=True)
        flags = imap.get_flags(imap.search("ALL"))
    assert [set(f) for f in flags.values()] == [{b"$MailbotProcessed"}]


@pytest.mark.parametrize("hard", [False, True], ids=["restart", "crash"])
def test_dovecot_restarted_while_idling_nothing_is_lost(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay, hard: bool) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        dovecot.restart(hard=hard)
        dovecot.deliver(PROJECT, change_request(2))  # arrives while mailbot is reconnecting
        bot.wait_for(r"ready, ", count=2, timeout=30)
        dovecot.deliver(PROJECT, change_request(3))
        acks = wait_for_mail(dovecot, CLIENT, "ack", 2)
        assert len(acks) == 2, bot.log()
        assert sorted(str(a["In-Reply-To"]) for a in acks) == ["<cr-2@huajin.example>", "<cr-3@huajin.example>"]
    finally:
        assert bot.stop() == 0, bot.log()
    assert [c["number"] for c in plan(cfg)["projects"][0]["change_requests"]] == ["CR-1", "CR-2"]


def test_smtp_down_while_mail_is_due_is_queued_and_delivered_when_it_is_back(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, timeouts_retry="1")
    smtp_relay.stop()
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        dovecot.deliver(PROJECT, change_request(4))
        bot.wait_for(r"outbox: 0 sent, \d+ failed")
        assert mailbot_mail(dovecot, CLIENT, "ack") == []
        # What a failed send leaves on record only grows: the status itself moves on as the retry
        # (every second here) claims the row again, so reading it was a race (1 run in 6).
        acks = [row for row in outbox_rows(cfg) if row["kind"] == "ack"]
        assert acks and all(row["attempts"] >= 1 and row["last_error"] and row["sent_at"] is None for row in acks), acks
        smtp_relay.start()
        (ack,) = wait_for_mail(dovecot, CLIENT, "ack", 1, timeout=30)
        assert ack["In-Reply-To"] == "<cr-4@huajin.example>"
    finally:
        assert bot.stop() == 0, bot.log()
    assert [row["status"] for row in outbox_rows(cfg) if row["kind"] == "ack"] == ["sent"]


def test_sigkill_at_random_points_applies_every_message_once_and_repeats_at_most_the_send_in_flight(
    tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay
) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, outbox_answer_since="2020-01-01", outbox_per_address_per_hour="100")
    for n in range(1, 51):
        dovecot.deliver(PROJECT, change_request(n))
    rng = random.Random(20261121)
    kills = 4
    for _ in range(kills):
        bot = MailbotProcess(cfg)
        time.sleep(rng.uniform(1.5, 4.0))  # start-up takes ~1.5 s: kill before, during and after work
        bot.kill()
    finished = mailbot(cfg, "run", "--once")
    assert finished.returncode == 0, finished.stderr
    crs = plan(cfg)["projects"][0]["change_requests"]
    assert sorted(c["message_id"] for c in crs) == sorted(f"<cr-{n}@huajin.example>" for n in range(1, 51))
    assert [c["number"] for c in crs] == [f"CR-{n}" for n in range(1, 51)]
    acks = wait_for_mail(dovecot, CLIENT, "ack", 50)
    copies: dict[str, set[str]] = {}
    for ack in acks:
        copies.setdefault(str(ack["In-Reply-To"]), set()).add(str(ack["Message-ID"]))
    assert sorted(copies) == sorted(f"<cr-{n}@huajin.example>" for n in range(1, 51)), "an acknowledgement was lost"
    assert all(len(ids) == 1 for ids in copies.values()), "a change request was answered twice"
    # SMTP cannot tell whether a message whose "250 OK" never arrived was taken (RFC 1047):
    # only a send a kill interrupted may arrive twice, as the same message, and it is on record.
    in_doubt = {row["in_reply_to"] for row in outbox_rows(cfg) if row["kind"] == "ack" and row["in_doubt"]}
    repeated = {reply_to for reply_to in copies if sum(str(a["In-Reply-To"]) == reply_to for a in acks) > 1}
    assert repeated <= in_doubt and len(in_doubt) <= kills
    assert len(acks) - 50 <= len(in_doubt)
    assert len([e for e in smtp_relay.envelopes if e.message()["X-Mailbot"] == "ack"]) == len(acks)


def test_an_autoresponder_that_answers_everything_gets_at_most_one_message(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    robot = smtp_relay.add_autoresponder(ROBOT, body="Thanks for your mail!\n\nCan we add a login page?\n")
    cfg = config(tmp_path, dovecot, smtp_relay, extra=ROBOT_PROJECT)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        dovecot.deliver(PROJECT, message(sender=ROBOT, subject="Login", body="Hello,\n\nCan we add a login page?\n", message_id="<robot-1@robot.example>"))
        bot.wait_for(r"project=robot outcome=processed", count=2, timeout=30)  # its request and the robot's answer
        time.sleep(2)
    finally:
        assert bot.stop() == 0, bot.log()
    to_robot = [e for e in smtp_relay.envelopes if ROBOT in e.rcpt_tos]
    assert len(to_robot) == 1 and len(robot.replies) == 1


def test_years_of_old_mail_on_first_start_send_nothing(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    import datetime as dt

    old = dt.datetime(2024, 5, 6, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    dovecot.preload(PROJECT, [(change_request(n, date=old + dt.timedelta(days=3 * n)), old + dt.timedelta(days=3 * n)) for n in range(1, 201)])
    cfg = config(tmp_path, dovecot, smtp_relay)
    result = mailbot(cfg, "run", "--once", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "200 messages handled" in result.stdout
    assert smtp_relay.envelopes == []
    crs = plan(cfg)["projects"][0]["change_requests"]
    assert len(crs) == 200 and {c["status"] for c in crs} == {"received"}  # read into the plan, never answered


@pytest.mark.relay(security="starttls", auth=True)
def test_tls_with_a_private_ca_and_smtp_auth(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, imap_security="ssl", outbox_answer_since="2020-01-01")
    dovecot.deliver(PROJECT, change_request(5))
    result = mailbot(cfg, "run", "--once")
    assert result.returncode == 0, result.stderr
    acks = [e for e in smtp_relay.envelopes if e.message()["X-Mailbot"] == "ack"]
    assert len(acks) == 1, result.stderr
    (envelope,) = acks
    assert envelope.authenticated_as == PROJECT and envelope.rcpt_tos == (CLIENT,)
    assert "project-pw" not in result.stderr + result.stdout  # secrets are never logged


def test_processed_mail_moved_and_sent_mail_copied_to_the_sent_folder(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay, outbox_answer_since="2020-01-01", imap_processed="move", imap_sent_folder="Sent")
    dovecot.deliver(PROJECT, change_request(6))
    result = mailbot(cfg, "run", "--once")
    assert result.returncode == 0, result.stderr
    assert dovecot.count(PROJECT, "INBOX") == 0
    assert dovecot.count(PROJECT, "mailbot/processed") == 1  # moved, never deleted
    sent = [email.message_from_bytes(raw, policy=default) for raw in dovecot.fetch_all(PROJECT, "Sent")]
    assert "<cr-6@huajin.example>" in [str(m["In-Reply-To"]) for m in sent]


def test_mail_arriving_during_a_search_is_not_left_until_the_next_tick(dovecot: Dovecot) -> None:
    """Regression (bench/live.py): Dovecot announces mail that arrived while a SEARCH ran with the
    SEARCH response; IDLE does not repeat it, so `wait` must look at what is already pending."""
    import threading

    from mailbot.config import Imap, Timeouts
    from mailbot.imap import ImapMailbox

    box = ImapMailbox(Imap(host=dovecot.host, port=dovecot.imap_port, security="none", user=PROJECT, password=dovecot.password(PROJECT)), Timeouts())
    box.connect()
    try:
        box.select("INBOX")
        assert box.pending(0) == []
        dovecot.deliver(PROJECT, change_request(7))
        time.sleep(0.2)
        with dovecot.imap(PROJECT) as other:  # make sure the server has seen it
            other.select_folder("INBOX", readonly=True)
        box._call(box._client.noop)  # a command during which the server announces the new mail
        started = time.monotonic()
        assert box.wait(10, threading.Event()) is True
        assert time.monotonic() - started < 1.0
        assert box.pending(0) == [1]
    finally:
        box.close()


def test_status_is_healthy_while_the_service_watches_and_not_after_it_stops(tmp_path: Path, dovecot: Dovecot,
                                                                            smtp_relay: SmtpRelay) -> None:
    import json

    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        dovecot.deliver(PROJECT, change_request(7))
        (ack,) = wait_for_mail(dovecot, CLIENT, "ack", 1, timeout=30)
        result = mailbot(cfg, "status", "--json")
        found = json.loads(result.stdout)
        assert result.returncode == 0, found
        assert found["healthy"] and found["service"]["running"] and found["imap"]["connected"]
        assert found["imap"]["idle"] is True  # Dovecot offers IDLE
        assert found["last_message"]["message_id"] == "<cr-7@huajin.example>"
        assert found["outbox"]["sent"] >= 1 and found["outbox"]["failed"] == 0
        assert set(found["next_digests"]) == {p["key"] for p in plan(cfg)["projects"]}
    finally:
        assert bot.stop() == 0, bot.log()
    stopped = mailbot(cfg, "status")
    assert stopped.returncode == 1 and "no 'mailbot run' holds the store" in stopped.stdout
