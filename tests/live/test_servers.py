"""The live-test harness itself: real Dovecot and the SMTP relay behave as the watcher's tests assume."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import imaplib
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage

import aiosmtplib
import imapclient
import pytest

from live import servers
from live.servers import CLIENT, PROJECT, ROBOT, Dovecot, HarnessError, LiveConfig, SmtpRelay, message, messages
from mailbot import config


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def test_relay_hands_mail_for_dovecot_users_to_their_inbox(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    raw = message(subject="首页设计稿", to=PROJECT)
    smtp_relay.send(CLIENT, [PROJECT, "chen.jing@studio.example", "someone@elsewhere.example"], raw)

    (envelope,) = smtp_relay.envelopes
    assert envelope.mail_from == CLIENT
    assert envelope.rcpt_tos == (PROJECT, "chen.jing@studio.example", "someone@elsewhere.example")
    assert envelope.delivered == (PROJECT, "chen.jing@studio.example")  # the outside address goes nowhere
    assert envelope.message()["Subject"] == "首页设计稿"
    for user in (PROJECT, "chen.jing@studio.example"):
        (got,) = dovecot.fetch_all(user)
        assert parse(got)["Subject"] == "首页设计稿"
        assert parse(got)["Return-Path"] == f"<{CLIENT}>"


def test_idle_on_the_real_server_reports_a_delivery(dovecot: Dovecot) -> None:
    # How fast is measured by bench/live.py; a test only holds that it is reported at all.
    with dovecot.imap(PROJECT) as client:
        client.select_folder("INBOX")
        client.idle()
        dovecot.deliver(PROJECT, message())
        responses = client.idle_check(timeout=15)
        client.idle_done()
    assert (1, b"EXISTS") in responses


def test_restart_keeps_mail_uids_and_ports(dovecot: Dovecot) -> None:
    dovecot.deliver(PROJECT, message(subject="before restart"))
    ports = (dovecot.imap_port, dovecot.imaps_port, dovecot.lmtp_port)
    with dovecot.imap(PROJECT) as before:
        validity = before.select_folder("INBOX")[b"UIDVALIDITY"]
    client = dovecot.imap(PROJECT)
    client.select_folder("INBOX")

    started = time.monotonic()
    dovecot.restart()
    graceful = time.monotonic() - started
    with pytest.raises((imaplib.IMAP4.abort, OSError)):  # the old connection got BYE
        client.noop()
    client.shutdown()  # imaplib leaves the socket open after abort (a ResourceWarning, an error here)
    started = time.monotonic()
    dovecot.restart(hard=True)
    hard = time.monotonic() - started
    print(f"\nDovecot restart: graceful {graceful:.2f} s, hard (SIGKILL) {hard:.2f} s")

    assert (dovecot.imap_port, dovecot.imaps_port, dovecot.lmtp_port) == ports
    dovecot.deliver(PROJECT, message(subject="after restart"))
    with dovecot.imap(PROJECT) as after:
        assert after.select_folder("INBOX")[b"UIDVALIDITY"] == validity
        assert after.search("ALL") == [1, 2]
    assert [parse(raw)["Subject"] for raw in dovecot.fetch_all(PROJECT)] == ["before restart", "after restart"]


def test_stopped_server_refuses_connections(dovecot: Dovecot) -> None:
    dovecot.kill()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((dovecot.host, dovecot.imap_port), timeout=1)
    dovecot.start()  # the fixture would also do it; here it shows start() after kill() works
    assert dovecot.count(PROJECT) == 0


def test_reset_empties_mailboxes_and_moves_uidvalidity_on(dovecot: Dovecot) -> None:
    dovecot.deliver(PROJECT, message())
    with dovecot.imap(PROJECT) as client:
        first = client.select_folder("INBOX")[b"UIDVALIDITY"]
    dovecot.reset()
    dovecot.deliver(PROJECT, message())
    with dovecot.imap(PROJECT) as client:
        second = client.select_folder("INBOX")
    assert second[b"EXISTS"] == 1
    assert second[b"UIDVALIDITY"] != first


def test_ssl_and_starttls_with_the_private_ca(dovecot: Dovecot) -> None:
    assert dovecot.tls is not None
    with dovecot.imap(PROJECT, security="ssl") as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    with dovecot.imap(PROJECT, security="starttls") as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    # The way mailbot builds it from `cafile`:
    context = ssl.create_default_context(cafile=str(dovecot.tls.ca_file))
    with imapclient.IMAPClient(dovecot.host, dovecot.imaps_port, ssl=True, ssl_context=context, timeout=5) as client:
        client.login(PROJECT, dovecot.password(PROJECT))
    # Without the CA the certificate is refused: the test CA really is private.
    with pytest.raises(ssl.SSLCertVerificationError):
        imapclient.IMAPClient(dovecot.host, dovecot.imaps_port, ssl=True, ssl_context=ssl.create_default_context(), timeout=5)


def test_wrong_password_fails_fast_and_the_right_one_works_at_once(dovecot: Dovecot) -> None:
    started = time.monotonic()
    with pytest.raises(imapclient.exceptions.LoginError):
        dovecot.imap(PROJECT, password="wrong")
    wrong = time.monotonic() - started
    started = time.monotonic()
    dovecot.imap(PROJECT).logout()
    right = time.monotonic() - started
    print(f"\nlogin: wrong password refused after {wrong:.2f} s, right one accepted after {right:.3f} s")
    assert wrong < 1.0
    assert right < 0.3


def test_preload_ten_thousand_messages(dovecot: Dovecot) -> None:
    batch = list(messages(10_000))
    started = time.monotonic()
    assert dovecot.preload(CLIENT, batch) == 10_000
    elapsed = time.monotonic() - started
    print(f"\npreload: 10,000 messages into a Maildir and indexed by Dovecot in {elapsed:.2f} s")
    with dovecot.imap(CLIENT) as client:
        info = client.select_folder("INBOX", readonly=True)
        assert info[b"EXISTS"] == 10_000
        data = client.fetch([1, 10_000], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "INTERNALDATE", "FLAGS"])
    assert b"<old-0@huajin.example>" in data[1][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]
    assert b"<old-9999@huajin.example>" in data[10_000][b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]
    assert imapclient.SEEN in data[1][b"FLAGS"]
    assert data[1][b"INTERNALDATE"].replace(tzinfo=None) == batch[0][1].astimezone().replace(tzinfo=None)
    assert elapsed < 30  # ~2.5 s on an idle 2-CPU machine; far more when other test runs share it


def test_append_gives_uid_and_internaldate(dovecot: Dovecot) -> None:
    date = dt.datetime(2025, 11, 3, 10, 30, tzinfo=dt.timezone.utc)
    assert dovecot.append(PROJECT, "INBOX", message(subject="old"), date) == 1
    assert dovecot.append(PROJECT, "Archive/2025", message(subject="archived"), date, flags=[imapclient.SEEN]) == 1
    assert [parse(raw)["Subject"] for raw in dovecot.fetch_all(PROJECT, "Archive/2025")] == ["archived"]
    with dovecot.imap(PROJECT) as client:
        client.select_folder("INBOX", readonly=True)
        stamp = client.fetch([1], ["INTERNALDATE"])[1][b"INTERNALDATE"]
    assert stamp == date.astimezone().replace(tzinfo=None)  # imapclient: naive local time


def test_relay_stops_and_starts_on_the_same_port(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    port = smtp_relay.port
    connected = smtplib.SMTP(smtp_relay.host, port, local_hostname="client.test", timeout=5)
    smtp_relay.stop()
    with pytest.raises(smtplib.SMTPServerDisconnected):  # an open connection is dropped, as in a crash
        connected.noop()
    connected.close()
    with pytest.raises(ConnectionRefusedError):
        smtp_relay.send(PROJECT, CLIENT, message(sender=PROJECT, to=CLIENT))
    smtp_relay.start()
    assert smtp_relay.port == port
    smtp_relay.send(PROJECT, CLIENT, message(sender=PROJECT, to=CLIENT))
    assert len(smtp_relay.envelopes) == 1
    assert dovecot.count(CLIENT) == 1


def test_relay_answers_451_while_dovecot_is_down(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    dovecot.kill()
    with pytest.raises(smtplib.SMTPDataError) as failed:
        smtp_relay.send(PROJECT, CLIENT, message(sender=PROJECT, to=CLIENT))
    assert failed.value.smtp_code == 451
    assert smtp_relay.envelopes == []


def test_relay_rejections(smtp_relay: SmtpRelay) -> None:
    smtp_relay.rejections["gone@huajin.example"] = "550 5.1.1 no such user"
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp_relay.send(PROJECT, "gone@huajin.example", message(sender=PROJECT, to="gone@huajin.example"))


def _aiosmtplib_send(relay: SmtpRelay, *, password: str, **kwargs: object) -> None:
    msg = parse(message(sender=PROJECT, to=CLIENT, subject="via aiosmtplib"))
    context = relay.dovecot.client_context()

    async def send() -> None:
        try:
            await aiosmtplib.send(msg, hostname=relay.host, port=relay.port, username=PROJECT, password=password, tls_context=context, timeout=5, **kwargs)  # type: ignore[arg-type]
        finally:
            # a TLS transport closes over a few loop turns; closing the loop at once leaves its
            # socket to the garbage collector (an unclosed-socket warning in a later test)
            await asyncio.sleep(0.05)

    asyncio.run(send())


@pytest.mark.relay(security="starttls", auth=True)
def test_relay_with_starttls_and_auth(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    _aiosmtplib_send(smtp_relay, password=dovecot.password(PROJECT), start_tls=True)
    with pytest.raises(aiosmtplib.SMTPAuthenticationError):
        _aiosmtplib_send(smtp_relay, password="wrong", start_tls=True)
    with pytest.raises(smtplib.SMTPRecipientsRefused):  # no AUTH at all
        with smtplib.SMTP(smtp_relay.host, smtp_relay.port, local_hostname="client.test", timeout=5) as plain:
            plain.sendmail(PROJECT, [CLIENT], message(sender=PROJECT, to=CLIENT))
    (envelope,) = smtp_relay.envelopes
    assert envelope.authenticated_as == PROJECT
    assert [parse(raw)["Subject"] for raw in dovecot.fetch_all(CLIENT)] == ["via aiosmtplib"]


@pytest.mark.relay(security="ssl", auth=True)
def test_relay_with_implicit_tls(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    _aiosmtplib_send(smtp_relay, password=dovecot.password(PROJECT), use_tls=True)
    assert dovecot.wait_for_count(CLIENT, 1) == 1


def test_autoresponder_answers_everything_without_auto_submitted(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    robot = smtp_relay.add_autoresponder(ROBOT)
    original = message(sender=PROJECT, to=ROBOT, subject="周报", message_id="<digest-1@studio.example>")
    smtp_relay.send(PROJECT, ROBOT, original)
    dovecot.wait_for_count(PROJECT, 1)

    assert dovecot.count(ROBOT) == 1  # the robot's own mailbox has the original
    (reply,) = [parse(raw) for raw in dovecot.fetch_all(PROJECT)]
    assert reply["From"] == ROBOT
    assert reply["Subject"] == "Re: 周报"
    assert reply["In-Reply-To"] == "<digest-1@studio.example>"
    assert reply["Auto-Submitted"] is None
    assert [to for to, _ in robot.replies] == [PROJECT]


def test_autoresponder_limit_stops_a_runaway_loop(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    robot = smtp_relay.add_autoresponder(ROBOT, limit=2)
    for i in range(3):
        smtp_relay.send(PROJECT, ROBOT, message(sender=PROJECT, to=ROBOT, subject=f"n{i}"))
    dovecot.wait_for_count(PROJECT, 2)
    deadline = time.monotonic() + 2
    while robot.suppressed < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (len(robot.replies), robot.suppressed) == (2, 1)


def test_live_config_loads_and_points_at_the_servers(live_config: LiveConfig, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    settings = config.load(live_config.path, env=live_config.env)
    assert settings.imap is not None and settings.smtp is not None
    assert (settings.imap.host, settings.imap.port, settings.imap.security) == ("127.0.0.1", dovecot.imap_port, "none")
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == ("127.0.0.1", smtp_relay.port, "none")
    assert settings.imap.password == dovecot.password(PROJECT)
    dovecot.imap(settings.imap.user, password=settings.imap.password).logout()


def test_tls_live_toml_loads(tmp_path, dovecot: Dovecot) -> None:  # noqa: ANN001 - pytest's tmp_path
    relay = SmtpRelay(dovecot, security="ssl")
    path = tmp_path / "mailbot.toml"
    path.write_text(servers.live_toml(dovecot, relay, imap_security="ssl"), encoding="utf-8")
    settings = config.load(path, env={})
    assert settings.imap is not None and settings.smtp is not None
    assert (settings.imap.port, settings.imap.cafile) == (dovecot.imaps_port, dovecot.tls.ca_file)  # type: ignore[union-attr]
    assert (settings.smtp.security, settings.smtp.cafile) == ("ssl", dovecot.tls.ca_file)  # type: ignore[union-attr]


def test_missing_dovecot_names_the_setup_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers, "DOVECOT", "/nonexistent/dovecot")
    with pytest.raises(HarnessError, match="scripts/ci-system-deps.sh"):
        Dovecot()
