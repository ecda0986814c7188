"""Reading a message (parsing it into an `Extraction`) with a deadline, in a worker process.

Parsing is pure and bounded by design (capped sizes, linear patterns), but one hostile message
must never stall the service even where a bound was missed: the service reads every message in
a worker process and waits at most `deadline` seconds. A message that takes longer is not read
(`TooSlow`): the caller keeps it raw, marks it failed with the reason and never reads it again.
The worker is killed and a fresh one started for the next message; the event loop never waits
on parsing, so signals are handled at once.

`Reader(isolate=False)` parses in the calling process (tests, `extract`, the demo): the same
function, no deadline.

Why by hand: `concurrent.futures.ProcessPoolExecutor` cannot kill a worker that overruns (its
`cancel` does nothing once a call runs), and killing the pool's processes from outside breaks
the pool; a single worker over a pipe, restarted when it overruns, is the whole need.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import multiprocessing
import multiprocessing.connection
import time
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from parsing import ParseError

if TYPE_CHECKING:
    from parsing.model import Extraction
    from parsing.pipeline import Context

logger = logging.getLogger(__name__)

DEADLINE = 2.0  # seconds of reading one message may take
TOO_SLOW = "too slow to read"  # the start of the reason of a message that was not read in time


class TooSlow(Exception):
    """The message took longer than the deadline to read."""


def read(raw: bytes, context: Context, received: dt.datetime | None) -> Extraction:
    from parsing.mime import read_email
    from parsing.pipeline import extract_email

    return extract_email(read_email(raw, fallback_date=received), context)


def _serve(connection: multiprocessing.connection.Connection, context: Context) -> None:
    """The worker: read messages from the pipe until it closes."""
    read(b"From: a@example.com\r\nSubject: x\r\n\r\nPlease reply tomorrow.\r\n", context, None)  # load the parsing chain once
    connection.send(("ready", None))
    while True:
        try:
            raw, received = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", read(raw, context, received)))
        except ParseError as exc:
            connection.send(("parse", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller, which keeps the message as failed
            connection.send(("error", f"{type(exc).__name__}: {exc}"))


class Reader:
    def __init__(self, context: Context, *, isolate: bool = False, deadline: float = DEADLINE) -> None:
        self.context = context
        self.isolate = isolate
        self.deadline = deadline
        self._mp: Any = multiprocessing.get_context("forkserver")
        self._process: BaseProcess | None = None
        self._connection: multiprocessing.connection.Connection | None = None

    def read(self, raw: bytes, received: dt.datetime | None = None) -> Extraction:
        """The message read; `ParseError` for what is not mail, `TooSlow` past the deadline."""
        if not self.isolate:
            return read(raw, self.context, received)
        connection = self._worker()
        connection.send((raw, received))
        if not connection.poll(self.deadline):
            self._kill()
            raise TooSlow(f"{TOO_SLOW}: more than {self.deadline:g} s")
        kind, value = connection.recv()
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "parse":
            raise ParseError(value)
        raise RuntimeError(value)

    async def read_async(self, raw: bytes, received: dt.datetime | None = None) -> Extraction:
        """`read` off the event loop."""
        return await asyncio.to_thread(self.read, raw, received)

    def warm_up(self) -> None:
        if self.isolate:
            self._worker()
        else:
            read(b"From: a@example.com\r\nSubject: x\r\n\r\nPlease reply tomorrow.\r\n", self.context, None)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
        self._process, self._connection = None, None

    def _worker(self) -> multiprocessing.connection.Connection:
        if self._connection is not None and self._process is not None and self._process.is_alive():
            return self._connection
        self._kill()
        pipe: tuple[multiprocessing.connection.Connection, multiprocessing.connection.Connection] = self._mp.Pipe()
        ours, theirs = pipe
        process: Any = self._mp.Process(target=_serve, args=(theirs, self.context), daemon=True, name="mailbot-reader")
        process.start()
        theirs.close()
        started = time.monotonic()
        if not ours.poll(120):  # loading the parsing chain: a second, not minutes
            process.kill()
            raise RuntimeError("the reading worker did not start")
        ours.recv()
        logger.debug("reader: worker %s ready in %.1f s", process.pid, time.monotonic() - started)
        self._process, self._connection = process, ours
        return ours

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        if self._connection is not None:
            self._connection.close()
        self._process, self._connection = None, None
