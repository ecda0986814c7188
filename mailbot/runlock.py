"""One `mailbot run` per store: a second one says who holds the store and stops.

The lock is `fcntl.flock` on a file beside the store (`mailbot.db.run.lock`): the kernel drops
it when the holder exits, however it exits (SIGKILL included), so a stale lock cannot outlive
its process. The file says who holds it (pid, host, since) for the message of the second one.
`ingest`, `tick` and `digest --send` take no run lock: they share the store through SQLite's
own locking (`BEGIN IMMEDIATE`, a 30 s busy timeout) beside a running `run`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from pathlib import Path
from types import TracebackType


class Held(Exception):
    """Another process runs on this store."""


class RunLock:
    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".run.lock")
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 512).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise Held(f"another 'mailbot run' holds {self.path} ({holder}); one run per store") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M:%S} UTC".encode())
        os.fsync(fd)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
