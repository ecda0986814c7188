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

import collections
import datetime as dt
import logging
import multiprocessing
import multiprocessing.connection
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterable
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, TypeVar

from parsing import ParseError, patterns

if TYPE_CHECKING:
    from parsing.model import Extraction
    from parsing.pipeline import Context

logger = logging.getLogger(__name__)

DEADLINE = 2.0  # seconds of reading one message may take
TOO_SLOW = "too slow to read"  # the start of the reason of a message that was not read in time


T = TypeVar("T")


class TooSlow(Exception):
    """The message took longer than the deadline to read."""


def read(raw: bytes, context: Context, received: dt.datetime | None) -> Extraction:
    """The message read, with its whole text's terms (`mailbot.terms.Extracted`): the plan needs
    them, and a worker has the time that the process applying messages lacks."""
    from mailbot.terms import extracted
    from parsing.mime import read_email
    from parsing.pipeline import extract_email

    return extracted(extract_email(read_email(raw, fallback_date=received), context))


def _serve(connection: multiprocessing.connection.Connection, context: Context) -> None:
    """The worker: read messages from the pipe until it closes.

    A thread of its own takes messages off the pipe as they come, so that the caller's `send`
    never waits on this worker's reading: `read_ahead` queues several messages in each pipe, and
    a big message sent to a worker busy answering with a big reading (more than the pipe holds
    each way) would otherwise leave each side waiting for the other to read."""
    read(b"From: a@example.com\r\nSubject: x\r\n\r\nPlease reply tomorrow.\r\n", context, None)  # load the parsing chain once
    connection.send(("ready", None))
    patterns.save()  # a worker leaves by os._exit, without atexit: it keeps what it compiled as it goes
    inbox: queue.SimpleQueue[tuple[bytes, dt.datetime | None] | None] = queue.SimpleQueue()

    def receive() -> None:
        while True:
            try:
                inbox.put(connection.recv())
            except (EOFError, OSError):
                inbox.put(None)
                return

    threading.Thread(target=receive, name="mailbot-reader-inbox", daemon=True).start()
    while (what := inbox.get()) is not None:
        raw, received = what
        try:
            connection.send(("ok", read(raw, context, received)))
        except ParseError as exc:
            connection.send(("parse", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller, which keeps the message as failed
            connection.send(("error", f"{type(exc).__name__}: {exc}"))
        patterns.save()  # after the answer: nothing when the message needed no new pattern


class _Worker:
    """One reading process over a pipe: started on first use, killed when it overruns."""

    def __init__(self, mp: Any, context: Context) -> None:
        self._mp, self.context = mp, context
        self.process: BaseProcess | None = None
        self.connection: multiprocessing.connection.Connection | None = None

    def ready(self) -> multiprocessing.connection.Connection:
        if self.connection is not None and self.process is not None and self.process.is_alive():
            return self.connection
        self.kill()
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
        self.process, self.connection = process, ours
        return ours

    def answer(self, timeout: float) -> Extraction | Exception:
        """The next answer of the worker, or TooSlow (the worker killed) after `timeout`."""
        assert self.connection is not None
        if not self.connection.poll(max(timeout, 0.0)):
            self.kill()
            return TooSlow(f"{TOO_SLOW}: more than {timeout:g} s")
        kind, value = self.connection.recv()
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "parse":
            return ParseError(value)
        return RuntimeError(value)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            self.process.join(timeout=2)
            if self.process.is_alive():
                self.process.kill()
        self.process, self.connection = None, None

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        if self.connection is not None:
            self.connection.close()
        self.process, self.connection = None, None


class Reader:
    def __init__(self, context: Context, *, isolate: bool = False, deadline: float = DEADLINE, workers: int = 1) -> None:
        """`workers`: how many processes `read_ahead` keeps busy (bulk import); `read` uses one."""
        self.context = context
        self.isolate = isolate
        self.deadline = deadline
        self._mp: Any = multiprocessing.get_context("forkserver")
        self._workers = [_Worker(self._mp, context) for _ in range(max(1, workers))]

    def read(self, raw: bytes, received: dt.datetime | None = None) -> Extraction:
        """The message read; `ParseError` for what is not mail, `TooSlow` past the deadline."""
        if not self.isolate:
            return read(raw, self.context, received)
        worker = self._workers[0]
        worker.ready().send((raw, received))
        answer = worker.answer(self.deadline)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def read_ahead(self, items: Iterable[T], raw: Callable[[T], tuple[bytes, dt.datetime | None] | None],
                   depth: int = 8) -> Generator[tuple[T, Extraction | Exception | None], None, None]:
        """Each item with its reading, in the order given, read by all the workers at once (up to
        `depth` messages in each worker's pipe). `raw(item)` gives what to read, or None for an
        item with nothing to read (its reading is None). A reading that fails is its exception;
        one past the deadline is TooSlow, its worker killed and the messages queued behind it
        read again by a fresh one. Reading is pure, so reading ahead changes nothing of what
        is read: only when. Without `isolate`, items are read here, one by one."""
        if not self.isolate:
            for item in items:
                what = raw(item)
                yield item, (None if what is None else self._caught(what))
            return
        count = len(self._workers)
        pending: collections.deque[tuple[T, tuple[bytes, dt.datetime | None] | None, int]] = collections.deque()
        queued = [0] * count  # messages in each worker's pipe
        since = [0.0] * count  # when each worker's oldest message reached the front of its queue
        turn = 0
        source = iter(items)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < count * depth:
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    what = raw(item)
                    if what is None:
                        pending.append((item, None, -1))
                        continue
                    index = turn % count
                    turn += 1
                    if queued[index] == 0:
                        since[index] = time.monotonic()
                    self._workers[index].ready().send(what)
                    queued[index] += 1
                    pending.append((item, what, index))
                if not pending:
                    return
                item, what, index = pending.popleft()
                if what is None:
                    yield item, None
                    continue
                worker = self._workers[index]
                answer = worker.answer(self.deadline - (time.monotonic() - since[index]))
                queued[index] -= 1
                since[index] = time.monotonic()
                if isinstance(answer, TooSlow) and queued[index]:
                    # the worker is gone with the messages behind this one: a fresh one reads them again
                    behind = [entry for entry in pending if entry[2] == index]
                    connection = worker.ready()
                    for _item, again, _index in behind:
                        connection.send(again)
                    since[index] = time.monotonic()
                yield item, answer
        finally:  # left before the end (Ctrl-C, an error in the caller): answers still in a pipe would be read as the next message's
            for index, waiting in enumerate(queued):
                if waiting:
                    self._workers[index].kill()

    def _caught(self, what: tuple[bytes, dt.datetime | None]) -> Extraction | Exception:
        try:
            return self.read(*what)
        except Exception as exc:  # noqa: BLE001 - the caller keeps the message as failed with the reason
            return exc

    async def read_async(self, raw: bytes, received: dt.datetime | None = None) -> Extraction:
        """`read` off the event loop."""
        import asyncio  # here: the one-off commands that read no mail (`tick`, `digest`) need no event loop

        return await asyncio.to_thread(self.read, raw, received)

    def warm_up(self) -> None:
        if self.isolate:
            self._workers[0].ready()
        else:
            read(b"From: a@example.com\r\nSubject: x\r\n\r\nPlease reply tomorrow.\r\n", self.context, None)

    def close(self) -> None:
        for worker in self._workers:
            worker.close()
