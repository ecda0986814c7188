"""The IMAP edge: one small `Mailbox` interface, its imapclient adapter, and a fake for tests.

Everything the watcher needs from a mailbox is here: connect and select a folder (learning its
UIDVALIDITY), list unmarked UIDs above a checkpoint, fetch one message's bytes and arrival time, wait
for news (IDLE where the server has it, a poll of at most 30 s where it does not), mark a
message processed (a keyword, or a move to a folder; never a deletion, never \\Seen, since people
read the project mailbox too) and append a copy of sent mail.

imapclient is blocking: the service calls these methods from a worker thread. Every socket wait
is bounded (`Timeouts`: imapclient's own default is to wait forever). imapclient and socket
errors are translated here into `MailboxError` (or its `LoginError`), with a message that names
the host and what to check; the password never appears in one.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError
from imapclient.exceptions import LoginError as ImapLoginError

from mailbot.config import Imap, Timeouts
from mailbot.errors import MailboxError

logger = logging.getLogger(__name__)

T = TypeVar("T")

PROCESSED = b"$MailbotProcessed"  # the keyword on mail mailbot has applied to the plan
Uid = int


class LoginError(MailboxError):
    """The server refused the credentials (check user and MAILBOT_IMAP_PASSWORD)."""


class CapabilityError(MailboxError):
    """The server lacks something mailbot needs."""


@dataclass(frozen=True, slots=True)
class Fetched:
    uid: Uid
    raw: bytes
    arrived: dt.datetime | None  # INTERNALDATE


class Mailbox(Protocol):
    """What the watcher needs from a mailbox. All methods may raise `MailboxError`."""

    def connect(self) -> None: ...

    def select(self, folder: str) -> int:
        """Select `folder`; returns its UIDVALIDITY."""
        ...

    def pending(self, after: Uid) -> list[Uid]:
        """UIDs above `after` in the selected folder without the processed mark, ascending."""
        ...

    def fetch(self, uid: Uid) -> Fetched | None:
        """The message's bytes and arrival time, without setting \\Seen; None if it is gone."""
        ...

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        """Block until the folder may have news, `timeout` passes or `stop` is set.

        Returns True when the server said something changed. Raises `MailboxError` when the
        connection turns out to be dead (the watchdog's job).
        """
        ...

    def mark_processed(self, uid: Uid) -> None: ...

    def append(self, folder: str, raw: bytes) -> None: ...

    def close(self) -> None: ...


@dataclass
class ImapMailbox:
    """`Mailbox` over imapclient, for one account of `[imap]`."""

    settings: Imap
    timeouts: Timeouts
    _client: IMAPClient | None = field(default=None, init=False, repr=False)
    _folder: str | None = field(default=None, init=False)
    _can_idle: bool = field(default=False, init=False)
    _keywords_ok: bool = field(default=True, init=False)

    @property
    def can_idle(self) -> bool:
        """Whether the server offered IDLE on the last connection (else mailbot polls)."""
        return self._can_idle

    def _create_client(self) -> IMAPClient:
        """The one seam for tests that want another client (cf. TestableIMAPClient)."""
        s = self.settings
        context = ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None)
        return IMAPClient(
            s.host,
            port=s.port,
            ssl=s.security == "ssl",
            ssl_context=context if s.security == "ssl" else None,
            timeout=SocketTimeout(connect=self.timeouts.connect, read=self.timeouts.read),
        )

    @property
    def where(self) -> str:
        return f"IMAP {self.settings.host}:{self.settings.port} ({self.settings.security})"

    def connect(self) -> None:
        self.close()
        s = self.settings
        try:
            client = self._create_client()
            if s.security == "starttls":
                client.starttls(ssl.create_default_context(cafile=str(s.cafile) if s.cafile else None))
            client.login(s.user, s.password)
        except ImapLoginError as exc:
            raise LoginError(f"{self.where}: login as {s.user!r} refused; check imap.user and MAILBOT_IMAP_PASSWORD") from exc
        except ssl.SSLCertVerificationError as exc:
            raise MailboxError(f"{self.where}: certificate not trusted ({exc.verify_message}); set imap.cafile for a private CA") from exc
        except (OSError, IMAPClientError) as exc:
            raise MailboxError(f"{self.where}: cannot connect: {_describe(exc)}") from exc
        self._client = client
        self._can_idle = client.has_capability("IDLE")
        logger.info("connected to %s as %s (IDLE %s)", self.where, s.user, "yes" if self._can_idle else "no: polling")

    def _require(self) -> IMAPClient:
        if self._client is None:
            raise MailboxError(f"{self.where}: not connected")
        return self._client

    def select(self, folder: str) -> int:
        client = self._require()
        info = self._call(lambda: client.select_folder(folder))
        self._folder = folder
        flags = info.get(b"PERMANENTFLAGS", ())
        self._keywords_ok = b"\\*" in flags or PROCESSED in flags
        if self.settings.processed == "move" and not self._call(lambda: client.folder_exists(self.settings.processed_folder)):
            self._call(lambda: client.create_folder(self.settings.processed_folder))
        return int(info[b"UIDVALIDITY"])

    def pending(self, after: Uid) -> list[Uid]:
        client = self._require()
        criteria = ["UID", f"{after + 1}:*"]
        if self._keywords_ok:
            criteria += ["UNKEYWORD", PROCESSED.decode()]
        uids = self._call(lambda: client.search(criteria))
        return sorted(uid for uid in uids if uid > after)  # "n:*" always matches the last message

    def fetch(self, uid: Uid) -> Fetched | None:
        client = self._require()
        data = self._call(lambda: client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]))
        item = data.get(uid)
        if not item or b"BODY[]" not in item:
            return None
        arrived = item.get(b"INTERNALDATE")
        if isinstance(arrived, dt.datetime) and arrived.tzinfo is None:
            arrived = arrived.astimezone()  # imapclient normalises to local naive time
        return Fetched(uid=uid, raw=item[b"BODY[]"], arrived=arrived)

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        client = self._require()
        if not self._can_idle:
            return self._poll(min(timeout, self.timeouts.poll), stop)
        if self._pop_pending_news():
            return True  # mail arrived during the last command; IDLE would not report it again
        deadline = time.monotonic() + timeout
        self._call(client.idle)
        news = False
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                started = time.monotonic()
                responses = self._call(lambda: client.idle_check(timeout=1.0))
                if any(_is_news(r) for r in responses):
                    news = True
                    break
                if not responses and time.monotonic() - started < 0.5:
                    # Readable but nothing to read: the server closed the connection.
                    self._drop()
                    raise MailboxError(f"{self.where}: connection closed by the server")
        finally:
            if self._client is not None:
                self._call(client.idle_done)  # also the watchdog: a dead link fails here
        return news

    def _pop_pending_news(self) -> bool:
        """True if the server announced new mail (EXISTS/RECENT) alongside an earlier command.

        Dovecot, for one, reports mail that arrived while a SEARCH ran together with the SEARCH
        response; imaplib files such untagged responses away and IDLE does not repeat them, so
        without this look the message would wait for the next tick (found by bench/live.py)."""
        client = self._client
        pending = getattr(getattr(client, "_imap", None), "untagged_responses", None)
        if not isinstance(pending, dict):
            return False
        found = False
        for key in ("EXISTS", "RECENT"):
            if pending.pop(key, None):
                found = True
        return found

    def _poll(self, timeout: float, stop: threading.Event) -> bool:
        stop.wait(timeout)
        client = self._require()
        self._call(client.noop)
        return True

    def mark_processed(self, uid: Uid) -> None:
        client = self._require()
        if self.settings.processed == "move" and client.has_capability("MOVE"):
            self._call(lambda: client.move([uid], self.settings.processed_folder))
        elif self._keywords_ok:
            self._call(lambda: client.add_flags([uid], [PROCESSED], silent=True))

    def append(self, folder: str, raw: bytes) -> None:
        client = self._require()
        self._call(lambda: client.append(folder, raw, flags=(b"\\Seen",)))

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - a dead link cannot log out; shut the socket instead
            try:
                client.shutdown()
            except Exception:  # noqa: BLE001
                pass

    def _call(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except (OSError, IMAPClientError) as exc:
            self._drop()
            raise MailboxError(f"{self.where}: {_describe(exc)}") from exc

    def _drop(self) -> None:
        """Forget a broken connection without talking to the server again."""
        broken, self._client = self._client, None
        if broken is not None:
            try:
                broken.shutdown()
            except Exception:  # noqa: BLE001 - already broken
                pass


def _is_news(response: Sequence[object]) -> bool:
    return len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


@dataclass
class FakeMailbox:
    """An in-memory `Mailbox` for unit tests of the watcher (shipped, like httpx's MockTransport).

    `messages` maps UID to raw bytes; `deliver()` adds one and wakes a waiting watcher;
    `fail_next` makes the next call raise `MailboxError`, as a dropped connection would.
    """

    uidvalidity: int = 1
    messages: dict[Uid, bytes] = field(default_factory=dict)
    processed: set[Uid] = field(default_factory=set)
    appended: list[tuple[str, bytes]] = field(default_factory=list)
    fail_next: int = 0
    fetches: int = 0
    connects: int = 0
    _news: threading.Event = field(default_factory=threading.Event)
    _connected: bool = False

    def deliver(self, raw: bytes) -> Uid:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = raw
        self._news.set()
        return uid

    def _check(self) -> None:
        if self.fail_next:
            self.fail_next -= 1
            self._connected = False
            raise MailboxError("fake: connection dropped")
        if not self._connected:
            raise MailboxError("fake: not connected")

    def connect(self) -> None:
        self.connects += 1
        if self.fail_next:
            self.fail_next -= 1
            raise MailboxError("fake: connection refused")
        self._connected = True

    def select(self, folder: str) -> int:
        self._check()
        return self.uidvalidity

    def pending(self, after: Uid) -> list[Uid]:
        self._check()
        return sorted(uid for uid in self.messages if uid > after and uid not in self.processed)

    def fetch(self, uid: Uid) -> Fetched | None:
        self._check()
        self.fetches += 1
        raw = self.messages.get(uid)
        return Fetched(uid, raw, None) if raw is not None else None

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        self._check()
        deadline = time.monotonic() + timeout
        while not stop.is_set() and time.monotonic() < deadline:
            if self._news.wait(0.01):
                self._news.clear()
                return True
        return False

    def mark_processed(self, uid: Uid) -> None:
        self._check()
        self.processed.add(uid)

    def append(self, folder: str, raw: bytes) -> None:
        self._check()
        self.appended.append((folder, raw))

    def close(self) -> None:
        self._connected = False
