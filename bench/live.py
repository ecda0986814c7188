"""Latency and restart time of `mailbot run` against a real Dovecot and SMTP relay. Prints figures; not a test.

    python bench/live.py [--messages 50] [--preload 10000] [--gap 0.3]

Uses the live-test harness (tests/live/servers.py: a private Dovecot on 127.0.0.1 and an
aiosmtpd relay that hands mail to it over LMTP) and `mailbot -v run` as a real process
(tests/live/service.py). Everything is torn down at the end.

1. Latency, N change requests (default 50). mailbot runs against a fresh Dovecot and waits in
   IDLE. The client (li.wei@huajin.example) sends one change request in Chinese at a time
   through the SMTP relay, each with its own Message-ID and its own text (so each becomes a new
   CR and gets its own acknowledgement); the next one goes out `--gap` seconds after the
   previous acknowledgement reached the client's INBOX, so every message finds mailbot idling
   (no overlap, no batching: the latency of one message on a quiet service). The clock starts
   when the relay accepted the message (sendmail returned: the relay answers 250 only after
   Dovecot's LMTP took it). Three times per message:
     plan    the mailbot log line `message folder=INBOX uid=… message_id=<that id> …
             outcome=processed`; its timestamp (ms) is taken right after the plan transaction
             committed. More precise than polling SQLite (no 10 ms grain, no reader competing
             for the 2 CPUs or the database).
     relay   the relay handed the acknowledgement (In-Reply-To = that id) to Dovecot: mailbot's
             SMTP send is done.
     inbox   the acknowledgement is visible in the client's INBOX: a persistent IMAP connection
             as the client, NOOP every 10 ms (Dovecot re-scans the Maildir on NOOP: no IDLE
             delay on this side), then the In-Reply-To of any new message.
   Median, p95 (nearest rank) and max of each. Targets: p95 plan < 2 s, p95 inbox < 5 s.
   mailbot's side includes one IDLE notification from Dovecot (~0.5 s: Dovecot batches them).
2. Ready time on a mailbox of `--preload` (default 10,000) processed messages: the messages are
   written straight into the project's Maildir (harness preload), `mailbot run --once` processes
   them all (its time and throughput are printed). For some seconds after that, Dovecot takes
   some 0.4 s over each session's SELECT, whoever makes it, bringing its index up to the 10,000
   flag changes: a plain IMAP client makes mailbot's SELECT and SEARCH until one is quick (the
   times are printed), so that what follows measures mailbot. Then `mailbot -v run` is started 3 times;
   for each: process start → first log line `connected to` (Python start-up, imports,
   configuration, plan, IMAP login) and → `ready, 0 new message(s)`. Median of the 3.
   Target: ready < 2 s. No body fetch on restart is checked two ways: no `message folder=` log
   line, and Dovecot's own logout line for each session (fetch_body_count / fetch_hdr_count in
   its default imap_logout_format).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import math
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the live harness

from live.servers import CLIENT, DOVECOT, PROJECT, Dovecot, LiveConfig, SmtpRelay, live_env, live_toml, message, messages  # noqa: E402
from live.service import MailbotProcess, mailbot  # noqa: E402

LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")


def log_time(line: str) -> float:
    """The epoch seconds of a log line (logging's asctime: local time, milliseconds)."""
    match = LOG_TIME.match(line)
    if not match:
        raise ValueError(f"no timestamp in log line {line!r}")
    return dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()


def summary(values: Sequence[float]) -> str:
    ordered = sorted(v for v in values if not math.isnan(v))
    if not ordered:
        return "(no data)"
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    lost = f", {len(values) - len(ordered)} not seen" if len(values) > len(ordered) else ""
    return f"median {statistics.median(ordered):6.3f} s   p95 {p95:6.3f} s   max {ordered[-1]:6.3f} s   (n={len(ordered)}{lost})"


def write_config(folder: Path, dovecot: Dovecot, relay: SmtpRelay, **env: str) -> LiveConfig:
    path = folder / "mailbot.toml"
    path.write_text(live_toml(dovecot, relay), encoding="utf-8")
    return LiveConfig(path, {**live_env(dovecot), **{f"MAILBOT_{k.upper()}": v for k, v in env.items()}})


def change_request(n: int, tag: str) -> tuple[str, bytes]:
    message_id = f"<bench-{tag}-{n}@huajin.example>"
    raw = message(
        sender=CLIENT,
        to=PROJECT,
        subject=f"首页调整 {n}",
        body=f"陈经理好，\n\n能否在首页增加第{n}个促销专区？\n\n李伟",
        message_id=message_id,
    )
    return message_id, raw


class RelayClock:
    """Records when the relay handed each message to Dovecot, by (recipient, In-Reply-To)."""

    def __init__(self, dovecot: Dovecot) -> None:
        self.seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        original = dovecot.deliver

        def deliver(to, raw, *, mail_from="sender@outside.example"):  # type: ignore[no-untyped-def]
            original(to, raw, mail_from=mail_from)
            done = time.time()
            headers = email.message_from_bytes(raw, policy=email.policy.compat32)
            reply_to = str(headers.get("In-Reply-To") or "").strip()
            with self._lock:
                for rcpt in [to] if isinstance(to, str) else list(to):
                    self.seen.setdefault((rcpt.lower(), reply_to), done)

        dovecot.deliver = deliver  # type: ignore[method-assign]  # the relay calls dovecot.deliver

    def wait_for(self, rcpt: str, in_reply_to: str, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                done = self.seen.get((rcpt.lower(), in_reply_to))
            if done is not None:
                return done
            time.sleep(0.005)
        return None


class InboxWatcher:
    """A logged-in IMAP connection as the client; waits for a message with a given In-Reply-To."""

    def __init__(self, dovecot: Dovecot, user: str) -> None:
        self.client = dovecot.imap(user)
        self.client.select_folder("INBOX")
        uids = self.client.search("ALL")
        self.exists = len(uids)
        self.last_uid = max(uids, default=0)
        self.found: dict[str, float] = {}

    def wait_for(self, in_reply_to: str, timeout: float, interval: float = 0.01) -> float | None:
        deadline = time.monotonic() + timeout
        while in_reply_to not in self.found and time.monotonic() < deadline:
            _, responses = self.client.noop()
            now = time.time()
            exists = max((int(r[0]) for r in responses if len(r) >= 2 and r[1] == b"EXISTS"), default=self.exists)
            if exists > self.exists:
                uids = [uid for uid in self.client.search(["UID", f"{self.last_uid + 1}:*"]) if uid > self.last_uid]
                data = self.client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (IN-REPLY-TO)]"]) if uids else {}
                self.last_uid = max(uids, default=self.last_uid)
                for item in data.values():
                    header = next((v for k, v in item.items() if k.startswith(b"BODY[HEADER")), b"")
                    value = email.message_from_bytes(header, policy=email.policy.compat32).get("In-Reply-To")
                    if value:
                        self.found.setdefault(str(value).strip(), now)
                self.exists = exists
            else:
                time.sleep(interval)
        return self.found.get(in_reply_to)

    def close(self) -> None:
        try:
            self.client.logout()
        except Exception:  # noqa: BLE001
            pass


# --- 1. latency ----------------------------------------------------------------------------


def bench_latency(dovecot: Dovecot, relay: SmtpRelay, folder: Path, count: int, gap: float, settle: float = 2.0) -> None:
    print(f"\n== 1. latency: {count} change requests, one at a time, next sent {gap} s after the previous ack reached the client")
    clock = RelayClock(dovecot)
    cfg = write_config(folder, dovecot, relay, outbox_per_address_per_hour="1000", outbox_answer_since="2020-01-01")
    started = time.time()
    bot = MailbotProcess(cfg)
    inbox: InboxWatcher | None = None
    plan_s: list[float] = []
    relay_s: list[float] = []
    inbox_s: list[float] = []
    missing: list[str] = []
    try:
        bot.wait_for(r"ready, 0 new message", timeout=30)
        print(f"mailbot ready {time.time() - started:.2f} s after start (empty mailbox)")
        # Let the start-up housekeeping (tick, digest, outbox flush) finish and mailbot enter IDLE:
        # mail that lands before its last SEARCH is missed until the next tick (see README).
        time.sleep(settle)
        inbox = InboxWatcher(dovecot, CLIENT)
        tag = str(int(time.time()))
        for n in range(1, count + 1):
            message_id, raw = change_request(n, tag)
            relay.send(CLIENT, PROJECT, raw)
            accepted = time.time()
            arrived = inbox.wait_for(message_id, timeout=30)
            lines = [x for x in list(bot.lines) if f"message_id={message_id} " in x]  # there by now, unless it was missed
            processed = [x for x in lines if "outcome=processed" in x]
            plan_s.append(log_time(processed[0]) - accepted if processed else math.nan)
            if not processed:
                missing.append(f"{message_id}: not processed within 30 s ({lines[-1] if lines else 'no log line'})")
            inbox_s.append(arrived - accepted if arrived is not None else math.nan)
            if arrived is None:
                missing.append(f"{message_id}: no acknowledgement in the client's INBOX within 30 s")
            # The client can see the ack a moment before the relay's LMTP session has closed.
            sent = clock.wait_for(CLIENT, message_id, timeout=2 if arrived is not None else 0)
            relay_s.append(sent - accepted if sent is not None else math.nan)
            time.sleep(gap)
    finally:
        if inbox is not None:
            inbox.close()
        status = bot.stop()
    if plan_s:
        print(f"first message (mailbot loads the parsing chain on first use): plan {plan_s[0]:.3f} s, inbox {inbox_s[0]:.3f} s")
    for label, rows in (("all messages", slice(None)), ("messages 2..N", slice(1, None))):
        print(f"{label}:")
        print(f"  accepted by the relay → in the plan (log line):        {summary(plan_s[rows])}")
        print(f"  accepted by the relay → ack handed to Dovecot by relay: {summary(relay_s[rows])}")
        print(f"  accepted by the relay → ack in the client's INBOX:      {summary(inbox_s[rows])}")
    print(f"targets: p95 plan < 2 s, p95 inbox < 5 s;  mailbot exit status {status}")
    for problem in missing:
        print("PROBLEM:", problem)


# --- 2. ready time on a big processed mailbox ----------------------------------------------


def logout_lines(dovecot: Dovecot, since: int) -> list[str]:
    text = dovecot.log_file.read_text(encoding="utf-8", errors="replace")[since:]
    return [line for line in text.splitlines() if f"imap({PROJECT})" in line and "Disconnected" in line]


def bench_ready(dovecot: Dovecot, relay: SmtpRelay, folder: Path, count: int, runs: int = 3) -> None:
    print(f"\n== 2. ready time on a mailbox of {count:,} processed messages")
    began = time.perf_counter()
    dovecot.preload(PROJECT, messages(count))
    print(f"preload {count:,} messages into {PROJECT} INBOX: {time.perf_counter() - began:.1f} s")
    cfg = write_config(folder, dovecot, relay)
    began = time.perf_counter()
    result = mailbot(cfg, "run", "--once", timeout=3600)
    took = time.perf_counter() - began
    handled = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no output)"
    print(f"`mailbot run --once` over {count:,} messages: {took:.1f} s, {count / took:.0f} messages/s  [{handled}; exit {result.returncode}]")
    if result.returncode != 0:
        print(result.stderr[-3000:])
        return
    sent = [e for e in relay.envelopes if PROJECT not in e.rcpt_tos]
    print(f"mail sent by that run: {len(sent)} (old mail is read into the plan, never answered)")
    db = folder / "mailbot.db"
    print(f"plan database: {db.stat().st_size / 2**20:.1f} MB")

    # What the server pays for the bulk run's 10,000 flag changes, apart from mailbot: sessions
    # of a plain IMAP client as the project, making mailbot's SELECT and SEARCH, until one is quick.
    server: list[float] = []
    while len(server) < 5 and (not server or server[-1] > 0.05):
        client = dovecot.imap(PROJECT)
        began = time.perf_counter()
        client.select_folder("INBOX")
        client.search(["UID", f"{count + 1}:*", "UNKEYWORD", "$MailbotProcessed"])
        server.append(time.perf_counter() - began)
        client.logout()
    print("Dovecot after that run, a plain IMAP client's SELECT + SEARCH: " + ", ".join(f"{s:.3f} s" for s in server)
          + " (its index catching up with the flag changes; then mailbot's restarts)")

    to_connected: list[float] = []
    to_ready: list[float] = []
    for run in range(1, runs + 1):
        log_size = dovecot.log_file.stat().st_size if dovecot.log_file.exists() else 0
        started = time.time()
        bot = MailbotProcess(cfg)
        try:
            ready = bot.wait_for(r"ready, \d+ new message", timeout=60)[0]
            connected = bot.wait_for(r"connected to ", timeout=1)[0]
            time.sleep(0.2)  # let it reach IDLE: any fetch would show up now
            bodies = [line for line in list(bot.lines) if "message folder=" in line]
        finally:
            status = bot.stop()
        time.sleep(0.1)  # Dovecot writes its logout line
        c, r = log_time(connected) - started, log_time(ready) - started
        to_connected.append(c)
        to_ready.append(r)
        sessions = logout_lines(dovecot, log_size)
        fetches = "; ".join(re.sub(r"^.*Disconnected: ", "", s) for s in sessions) or "(no logout line in Dovecot's log)"
        print(
            f"run {run}: start → 'connected to' {c:.3f} s, → ready {r:.3f} s "
            f"(connected → ready {r - c:.3f} s); {ready.split(': ', 1)[-1]!r}; "
            f"'message folder=' lines: {len(bodies)}; exit {status}"
        )
        print(f"       Dovecot: {fetches}")
    print(f"median: start → 'connected to' {statistics.median(to_connected):.3f} s, start → ready {statistics.median(to_ready):.3f} s  (target: ready < 2 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50, help="change requests for the latency run")
    parser.add_argument("--preload", type=int, default=10_000, help="processed messages for the ready-time run")
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between an ack's arrival and the next message")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--skip-ready", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    dovecot = Dovecot()
    try:
        dovecot.start()
        print(f"Dovecot {subprocess.run([DOVECOT, '--version'], capture_output=True, text=True).stdout.strip()} in {dovecot.root}")
        with SmtpRelay(dovecot) as relay:
            if not args.skip_latency:
                with tempfile.TemporaryDirectory(prefix="mailbot-bench-") as folder:
                    bench_latency(dovecot, relay, Path(folder), args.messages, args.gap)
                dovecot.reset()
                relay.clear()
            if not args.skip_ready:
                with tempfile.TemporaryDirectory(prefix="mailbot-bench-") as folder:
                    bench_ready(dovecot, relay, Path(folder), args.preload)
    finally:
        dovecot.close()
    print(f"\nwhole bench: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
