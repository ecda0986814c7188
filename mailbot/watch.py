"""`mailbot run`: watch a mailbox, process what arrives, send what is due, for months.

One `Watcher` per mailbox folder, driven by asyncio; the blocking IMAP calls run in a worker
thread (`asyncio.to_thread`), everything that touches the plan stays on the event loop's
thread (SQLite connections are not shared between threads).

The loop, with its states::

    CONNECTING ──► CATCHING_UP ──► WAITING ◄──► PROCESSING
        ▲               │              │
        └── backoff ◄───┴── MailboxError (dead link, server restart, network cut)
    any state ── SIGTERM/SIGINT ──► STOPPING (finish the message in hand, flush) ──► STOPPED

- Checkpoint: UIDVALIDITY and the last UID handled, per account and folder (`folders` table).
  A restart asks only for unmarked UIDs above it, so a mailbox of 10,000 handled messages costs
  no body fetch. When UIDVALIDITY changes (or on first contact) mailbot asks for every message
  without its processed mark; messages it already holds are recognised by Message-ID and not
  applied twice.
- A message is applied to the plan (one transaction) before it is marked processed on the
  server and before the checkpoint moves; a crash in between only means it is fetched again
  and recognised as known.
- Waiting: IDLE where the server has it, re-issued at least every `tick_every` seconds (far
  under the 29 minutes after which servers drop it), which doubles as the watchdog: a dead
  connection fails on IDLE DONE or NOOP. Without IDLE, a NOOP poll every `timeouts.poll`
  (at most 30 s).
- Reconnection: exponential backoff with full jitter, from 1 s up to `BACKOFF_MAX`.
- Housekeeping after every batch and every `tick_every` seconds: the scheduler's `tick`, the
  outbox flush (SMTP retries with their own backoff), and copies of sent mail to the
  configured Sent folder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from mailbot import status
from mailbot.errors import MailboxError
from mailbot.imap import ImapMailbox, LoginError, Mailbox
from mailbot.outbox import next_attempt
from mailbot.service import Mailbot, Outcome
from mailbot.sources import RawItem
from mailbot.store import iso

logger = logging.getLogger(__name__)

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
ONCE_ATTEMPTS = 3  # `run --once` gives up after this many failed connections
BACKLOG = 50  # more new messages than this at once (a first start, a long stop): bulk, in batches
BACKFILL_BATCH = 200  # messages of a backlog read ahead and committed together


class State(enum.Enum):
    CONNECTING = "connecting"
    CATCHING_UP = "catching up"
    WAITING = "waiting"
    PROCESSING = "processing"
    STOPPING = "stopping"
    STOPPED = "stopped"


@dataclass
class Backoff:
    """Exponential backoff with full jitter (AWS architecture blog's "full jitter")."""

    first: float = BACKOFF_FIRST
    maximum: float = BACKOFF_MAX
    attempts: int = 0

    def next_delay(self) -> float:
        self.attempts += 1
        return random.uniform(0, min(self.maximum, self.first * 2 ** (self.attempts - 1)))

    def reset(self) -> None:
        self.attempts = 0


@dataclass
class Watcher:
    bot: Mailbot
    mailbox: Mailbox
    account: str  # "user@host", the checkpoint's key
    folder: str = "INBOX"
    tick_every: float = 60.0
    stop: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], dt.datetime] | None = None  # default: the bot's clock
    state: State = State.STOPPED
    backoff: Backoff = field(default_factory=Backoff)
    outcomes: list[Outcome] = field(default_factory=list)  # what this run handled, in order
    _next_tick: dt.datetime | None = None
    _warm: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = self.bot.clock

    def now(self) -> dt.datetime:
        assert self.clock is not None
        return self.clock()

    def _enter(self, state: State) -> None:
        """Move to `state` and leave word of it in the store, for `mailbot status`: on a change
        of state (one small write), else only the heartbeat, at most every few seconds."""
        if state is self.state and state in (State.PROCESSING, State.WAITING):
            status.heartbeat(self.bot.store)
            return
        self.state = state
        status.record(self.bot.store, state.value, idle=getattr(self.mailbox, "can_idle", None))

    async def run(self, *, once: bool = False) -> None:
        """Watch until `stop` is set (or, with `once`, until the folder has been handled)."""
        failures = 0
        team = self.bot.settings.team
        if team.trust != "domain" and not team.trusted_authserv_id:
            logger.warning("team commands by mail are disabled, and no team mail counts as the team's: [team] trusted_authserv_id "
                           "is not set, so no Authentication-Results can prove a team sender (set it to your receiving server's "
                           "authserv-id, or trust = \"domain\" on a closed network)")
        self._warm = asyncio.create_task(asyncio.to_thread(self.bot.warm_up))
        try:
            while not self.stop.is_set():
                try:
                    await self._session(once)
                    if once:
                        return
                except LoginError:
                    raise
                except MailboxError as exc:
                    failures += 1
                    if once and failures >= ONCE_ATTEMPTS:
                        raise
                    delay = self.backoff.next_delay()
                    logger.warning("%s: %s; reconnecting in %.1f s", self.account, exc, delay)
                    self.mailbox.close()
                    await asyncio.to_thread(self.stop.wait, delay)
        finally:
            if self._warm is not None and not self._warm.done():
                self._warm.cancel()  # stopped before any mail came: nothing waits for it
            self._enter(State.STOPPING)
            await self._housekeeping(force_tick=False)
            self.mailbox.close()
            self._enter(State.STOPPED)

    async def _session(self, once: bool) -> None:
        self._enter(State.CONNECTING)
        await asyncio.to_thread(self.mailbox.connect)
        uidvalidity = await asyncio.to_thread(self.mailbox.select, self.folder)
        self.backoff.reset()
        self._enter(State.CATCHING_UP)
        checkpoint = self._checkpoint()
        after = 0
        if checkpoint is not None and checkpoint[0] == uidvalidity:
            after = checkpoint[1]
        elif checkpoint is not None:
            logger.warning("%s/%s: UIDVALIDITY changed (%s → %s): re-reading unmarked mail", self.account, self.folder, checkpoint[0], uidvalidity)
        uids = await asyncio.to_thread(self.mailbox.pending, after)
        logger.info("%s/%s: ready, %d new message(s)", self.account, self.folder, len(uids))
        await self._process(uids, uidvalidity)
        await self._housekeeping(force_tick=True)
        while not self.stop.is_set():
            # Mail that arrived while we were busy: handle it before waiting for more.
            last = self._checkpoint()
            uids = await asyncio.to_thread(self.mailbox.pending, last[1] if last and last[0] == uidvalidity else 0)
            if uids:
                await self._process(uids, uidvalidity)
                await self._housekeeping(force_tick=True)  # what the new mail made due (a survey after a sign-off) goes now
                continue
            if once:
                break
            self._enter(State.WAITING)
            await asyncio.to_thread(self.mailbox.wait, self._wait_seconds(), self.stop)
            await self._housekeeping(force_tick=False)

    async def _process(self, uids: list[int], uidvalidity: int) -> None:
        while len(uids) > BACKLOG and not self.stop.is_set():  # a first start on a full mailbox: bulk, as `mailbot ingest`
            uids = await self._process_batch(uids[:BACKFILL_BATCH], uidvalidity) + uids[BACKFILL_BATCH:]
        for uid in uids:
            if self.stop.is_set():
                return  # the message in hand was finished; the rest waits for the next start
            self._enter(State.PROCESSING)
            if self._warm is not None:
                await self._warm  # the parsing chain, loading since start-up
            fetched = await asyncio.to_thread(self.mailbox.fetch, uid)
            if fetched is not None:
                item = RawItem(source=f"imap:{self.folder}/{uidvalidity}/{uid}", raw=fetched.raw, received=fetched.arrived)
                outcome = await self.bot.ingest_one_async(item)  # read in a worker with a deadline; the loop stays free
                self.outcomes.append(outcome)
                logger.info(
                    "message folder=%s uid=%s message_id=%s project=%s outcome=%s%s",
                    self.folder,
                    uid,
                    outcome.message_id,
                    outcome.project_key,
                    outcome.state,
                    f" reason={outcome.reason!r}" if outcome.reason else "",
                )
                await asyncio.to_thread(self.mailbox.mark_processed, uid)
            self._save_checkpoint(uidvalidity, uid)
            if outcome_queued(self.outcomes):
                await self._flush()

    async def _process_batch(self, uids: list[int], uidvalidity: int) -> list[int]:
        """A backlog's messages read ahead and committed together (`Mailbot.ingest`), then
        marked and the checkpoint moved: a crash before the commit reads them all again, one
        after it finds them known. Returns the UIDs it did not get to (none unless stopped). The
        batch is applied on the loop's thread, so a stop is handled once it is done."""
        self._enter(State.PROCESSING)
        if self._warm is not None:
            await self._warm
        fetched: list[tuple[int, RawItem]] = []
        for uid in uids:
            if self.stop.is_set():
                break
            got = await asyncio.to_thread(self.mailbox.fetch, uid)
            fetched.append((uid, RawItem(source=f"imap:{self.folder}/{uidvalidity}/{uid}", raw=got.raw, received=got.arrived)
                            if got is not None else RawItem(source=f"imap:{self.folder}/{uidvalidity}/{uid}", raw=b"", error="gone")))
        # on the loop's thread, which owns the plan's connection: a stop waits for this batch (a second or two)
        report = self.bot.ingest([item for _, item in fetched if not item.error])
        self.outcomes.extend(report.outcomes)
        for uid, item in fetched:
            if not item.error:
                await asyncio.to_thread(self.mailbox.mark_processed, uid)
        if fetched:
            self._save_checkpoint(uidvalidity, fetched[-1][0])
        status.heartbeat(self.bot.store)  # a long backlog is work, not a hang: `mailbot status` stays healthy
        logger.info("%s/%s: %d message(s) of the backlog read in one batch", self.account, self.folder, len(report.outcomes))
        if outcome_queued(self.outcomes) or any(o.queued for o in report.outcomes):
            await self._flush()
        return uids[len(fetched):]

    async def _housekeeping(self, *, force_tick: bool) -> None:
        status.heartbeat(self.bot.store)
        now = self.now()
        if force_tick or self._next_tick is None or now >= self._next_tick:
            queued = self.bot.tick(now)
            if queued:
                logger.info("tick %s: queued %s", now.isoformat(timespec="seconds"), ", ".join(queued))
            self._next_tick = now + dt.timedelta(seconds=self.tick_every)
        await self._flush()

    async def _flush(self) -> None:
        report = await self.bot.flush_async(self.now())
        if report.sent or report.failed:
            logger.info("outbox: %d sent, %d failed (kept for retry)", report.sent, report.failed)
        await self._copy_to_sent()

    async def _copy_to_sent(self) -> None:
        imap = self.bot.settings.imap
        if imap is None or not imap.sent_folder:
            return
        for row in self.bot.store.outbox.sent_not_copied():
            try:
                await asyncio.to_thread(self.mailbox.append, imap.sent_folder, row.raw)
            except MailboxError as exc:
                logger.warning("copy to %s failed (will retry): %s", imap.sent_folder, exc)
                return
            self.bot.store.outbox.mark_copied(row.id, iso(self.now()))

    def _wait_seconds(self) -> float:
        """Until the next tick or the next outbox retry, whichever is first (IDLE is re-issued)."""
        now = self.now()
        waits = [self.tick_every, self.bot.settings.timeouts.idle]
        for moment in (self._next_tick, next_attempt(self.bot.store)):
            if moment is not None:
                waits.append((moment - now).total_seconds())
        return max(1.0, min(waits))

    def _checkpoint(self) -> tuple[int, int] | None:
        return self.bot.store.bookkeeping.checkpoint(self.account, self.folder)

    def _save_checkpoint(self, uidvalidity: int, uid: int) -> None:
        self.bot.store.bookkeeping.save_checkpoint(self.account, self.folder, uidvalidity, uid, iso(self.now()))


def outcome_queued(outcomes: list[Outcome]) -> bool:
    """True when the last message handled queued mail (send it at once, not after the batch)."""
    return bool(outcomes) and outcomes[-1].queued > 0


def watcher_for(bot: Mailbot, stop: threading.Event | None = None) -> Watcher:
    """The watcher of the configured `[imap]` account."""
    imap = bot.settings.imap
    if imap is None:
        raise MailboxError("no [imap] section in the configuration: nothing to watch (use 'mailbot ingest' for files)")
    return Watcher(
        bot=bot,
        mailbox=ImapMailbox(imap, bot.settings.timeouts),
        account=f"{imap.user}@{imap.host}",
        folder=imap.folder,
        stop=stop or threading.Event(),
    )
