"""Processes sharing one store: `ingest` three times at once over the same 300 messages (in
different orders) beside a `tick`: every message processed once, every change request
numbered once and acknowledged once, no process dies, no traceback. And one `run` per store."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.runlock import Held, RunLock

MESSAGES = 300


def _message(n: int) -> bytes:
    return (
        f"From: Client {n} <client{n}@huajin.example>\r\nTo: project@studio.example\r\nSubject: 首页调整 {n}\r\n"
        f"Date: Thu, 05 Mar 2026 09:{n % 60:02d}:00 +0800\r\nMessage-ID: <cc-{n}@huajin.example>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"陈经理好，\r\n\r\n能否在首页增加第{n}个促销专区？\r\n\r\n客户{n}\r\n"
    ).encode("utf-8")


@pytest.mark.timeout(600)
def test_three_processes_on_one_store_lose_nothing_and_double_nothing(tmp_path: Path, config_file: Path) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    for n in range(1, MESSAGES + 1):
        (mail / f"{n:03d}.eml").write_bytes(_message(n))
    names = sorted(p.name for p in mail.iterdir())
    orders = [names, list(reversed(names)), random.Random(7).sample(names, len(names))]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    command = [sys.executable, "-m", "mailbot"]
    config = ["--config", str(config_file)]
    logs = [(tmp_path / f"out{n}.txt", tmp_path / f"err{n}.txt") for n in range(4)]
    runs = [[*command, "ingest", *config, *(str(mail / n) for n in order)] for order in orders]
    runs.append([*command, "tick", *config, "--now", "2026-03-05T10:00"])
    procs = []
    for args, (out, err) in zip(runs, logs, strict=True):
        with open(out, "wb") as o, open(err, "wb") as e:
            procs.append(subprocess.Popen(args, stdout=o, stderr=e, env=env))
    for proc, (_, err) in zip(procs, logs, strict=True):
        code = proc.wait(timeout=580)
        text = err.read_text(encoding="utf-8", errors="replace")
        assert code == 0 and "Traceback" not in text, text[-2000:]
    db = sqlite3.connect(config_file.parent / "mailbot.db")
    states = db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall()
    assert states == [("processed", MESSAGES)]
    numbers = [n for (n,) in db.execute("SELECT number FROM change_requests WHERE project_key = 'huajin-web' ORDER BY number")]
    assert numbers == list(range(1, MESSAGES + 1))  # each message's change once, numbered once
    acks = db.execute("SELECT COUNT(*), COUNT(DISTINCT dedupe_key) FROM outbox WHERE kind = 'ack'").fetchone()
    assert acks == (MESSAGES, MESSAGES)  # acknowledged once each


def test_one_run_per_store(tmp_path: Path) -> None:
    store = tmp_path / "mailbot.db"
    with RunLock(store):
        with pytest.raises(Held) as held:
            with RunLock(store):
                pass
        assert f"pid {os.getpid()}" in str(held.value)
    with RunLock(store):  # released with its holder
        pass


def test_a_second_run_says_who_holds_the_store_and_exits_2(tmp_path: Path, config_file: Path) -> None:
    config = config_file.read_text(encoding="utf-8") + '\n[imap]\nhost = "127.0.0.1"\nport = 1\nuser = "project@studio.example"\nsecurity = "none"\n'
    path = tmp_path / "run.toml"
    path.write_text(config, encoding="utf-8")
    with RunLock(config_file.parent / "mailbot.db"):
        done = subprocess.run([sys.executable, "-m", "mailbot", "run", "--config", str(path), "--once"], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "MAILBOT_IMAP_PASSWORD": "x"})
    assert done.returncode == 2 and "holds" in done.stderr and f"pid {os.getpid()}" in done.stderr
