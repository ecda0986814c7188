"""`mailbot run` as a real process for the live tests: start, wait for log lines, stop or kill."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from live.servers import LiveConfig


class MailbotProcess:
    """`python -m mailbot -v run` on a live configuration, its stderr collected line by line."""

    def __init__(self, config: LiveConfig, *args: str) -> None:
        self.config = config
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
        env.update(config.env)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mailbot", "-v", "run", "--config", str(config.path), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=config.path.parent,
        )
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            with self._lock:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 20.0, count: int = 1) -> list[str]:
        """Wait until `count` log lines match `pattern`; fail with the log if they do not."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = [line for line in self.lines if regex.search(line)]
            if len(found) >= count:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {count} log line(s) matching {pattern!r} within {timeout} s; log:\n" + self.log())

    def log(self) -> str:
        with self._lock:
            return "\n".join(self.lines[-60:])

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as systemd stops it; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        finally:
            self._close()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        self._close()

    def _close(self) -> None:
        self._reader.join(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


def mailbot(config: LiveConfig, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run one mailbot command to completion against the live configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env.update(config.env)
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args, "--config", str(config.path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.path.parent,
        timeout=timeout,
    )


def plan(config: LiveConfig) -> dict[str, Any]:
    result = mailbot(config, "plan", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def outbox_rows(config: LiveConfig) -> list[dict[str, Any]]:
    import sqlite3

    db = sqlite3.connect(Path(config.path.parent / "mailbot.db"))
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT id, kind, dedupe_key, status, message_id, in_reply_to, in_doubt, recipients, attempts, last_error, sent_at "
                                                 "FROM outbox ORDER BY id")]
    finally:
        db.close()
