"""The persistent outbox: queue in the plan's transaction, then keep a Maildir copy and send.

`queue()` is called inside the transaction that decided to send (so a message is queued if and
only if its cause is recorded) and is idempotent through `dedupe_key`: deciding the same thing
twice queues one message. It also applies the loop-safety rate limit: at most
`outbox.per_address_per_hour` messages to any one address; a message over the limit is kept with
status `suppressed` and the reason, never sent.

`flush()` runs after commit: it writes each queued message into the outbox Maildir under a name
derived from its row id (a crash between the write and the status update rewrites the same file
rather than adding a second one) and hands it to SMTP when `[smtp]` is configured; without SMTP
the Maildir copy is the delivery (`status = stored`). A failed send stays queued (`failed`) and
is retried with exponential backoff and jitter (`next_attempt_at`).

Delivery guarantee. Before the SMTP transaction a row is claimed (`status = sending`,
`claimed_by = host:pid`, committed); the moment the server has accepted the message it becomes
`sent`. The claim is atomic, so two processes flushing the same store (the service and a
`mailbot digest --send`) never both send a row. A crash can lose nothing: a claim whose process
is gone (or that is older than `CLAIM_TTL`) is taken over and the message sent again. SMTP has no
way to ask whether the server took a message whose "250 OK" never arrived (RFC 1047), so that
one message is *in doubt*: it is sent again byte for byte, with the same Message-ID (mail
programs and Gmail fold copies with one Message-ID together), marked `in_doubt = 1` and logged.
A crash therefore repeats at most the one message that was in flight, never any other, and
never a new decision: that is the whole of what a client of SMTP can promise.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mailbot.clock import Clock, system_clock
from mailbot.config import Settings, Smtp, Timeouts
from mailbot.errors import DeliveryError
from mailbot.lifecycle import Cause, OutboxStatus
from mailbot.outgoing import Outgoing
from mailbot.store import Store, iso
from mailbot.store.records import OutboxRow
from parsing import ParseError
from parsing.mime import read_email

logger = logging.getLogger(__name__)

RETRY_MAX = 3600.0  # the retry delay (timeouts.retry at first) doubles up to this
CLAIM_TTL = dt.timedelta(minutes=10)  # a send claim this old is abandoned whoever holds it

# The rows this process is sending right now: its own older claims are left over from an
# exception or a cancellation and may be taken over.
_in_flight: set[int] = set()


def settled(store: Store, dedupe_key: str) -> bool:
    """Whether `queue` would do nothing with a message under `dedupe_key`: one was queued and
    not held back by the rate limit. A caller asks before composing what is costly to compose
    (a digest every tick of its week)."""
    row = store.outbox.by_dedupe_key(dedupe_key)
    return row is not None and row.status != OutboxStatus.SUPPRESSED


def held_back(store: Store, dedupe_key: str) -> bool:
    """Whether the message queued under `dedupe_key` was held back by the per-address limit: the
    caller must not record it as sent (an acknowledgement suppressed acknowledges nothing)."""
    row = store.outbox.by_dedupe_key(dedupe_key)
    return row is not None and row.status == OutboxStatus.SUPPRESSED


def queue(
    store: Store,
    *,
    project_key: str | None,
    kind: str,
    dedupe_key: str,
    message: Outgoing,
    now: dt.datetime,
    cause: Cause,
    per_address_per_hour: int | None = None,
) -> int | None:
    """Queue `message` unless one with the same `dedupe_key` exists; returns the new row id.

    With `per_address_per_hour`, a message to an address that already had that many messages
    in the hour before `now` is stored as `suppressed` instead (and still returns its id; ask
    `held_back` before recording it as sent).
    """
    recipients = message.recipients
    since = iso(now - dt.timedelta(hours=1))
    busy = [a for a in recipients if store.outbox.sent_to_since(a, since, per_address_per_hour) >= per_address_per_hour] if per_address_per_hour else []
    existing = store.outbox.by_dedupe_key(dedupe_key)
    if existing is not None:
        if existing.status != OutboxStatus.SUPPRESSED or busy:
            return None  # queued before; or held back, and still over the limit
        store.outbox.release(existing.id, message_id=message.message_id, raw=bytes(message), text=message.text, cause=cause, at=iso(now))
        return existing.id
    status, reason = OutboxStatus.QUEUED, None
    if busy:
        status = OutboxStatus.SUPPRESSED
        reason = f"rate limit: {per_address_per_hour} messages in the last hour to {', '.join(busy)}"
        logger.warning("outbox: %s not sent: %s", dedupe_key, reason)
    return store.outbox.add(
        project_key=project_key,
        kind=kind,
        dedupe_key=dedupe_key,
        message_id=message.message_id,
        in_reply_to=message.in_reply_to,
        recipients=recipients,
        subject=message.subject,
        raw=bytes(message),
        text=message.text,
        status=status,
        reason=reason,
        cause=cause,
        at=iso(now),
    )


@dataclass
class FlushReport:
    sent: int = 0
    stored: int = 0
    failed: int = 0
    in_doubt: int = 0  # interrupted sends taken over and sent again
    files: tuple[Path, ...] = ()


def maildir_file(maildir: Path, row_id: int, created_at: str) -> Path:
    """The Maildir `new/` file of outbox row `row_id` (a stable, unique name)."""
    stamp = int(dt.datetime.fromisoformat(created_at).timestamp())
    return maildir / "new" / f"{stamp}.M{row_id}.mailbot"


def plain_text(raw: bytes) -> str:
    """The text of a message mailbot sends, read as a reply quoting it will be compared with it
    (`mailbot.echo`): once, when it is queued."""
    try:
        return read_email(raw).text
    except ParseError:
        return ""


def write_maildir(maildir: Path, row_id: int, created_at: str, raw: bytes) -> Path:
    """Write the message to `new/` through `tmp/` (a name of this process's own there, so two
    processes writing the same row cannot trip over each other; the rename is atomic)."""
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    target = maildir_file(maildir, row_id, created_at)
    tmp = maildir / "tmp" / f"{target.name}.{_claimant().replace(':', '.')}"
    with open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def flush(store: Store, settings: Settings, now: dt.datetime | None = None, clock: Clock = system_clock) -> FlushReport:
    """`flush_async` for synchronous callers (the CLI). Without SMTP nothing waits on a network,
    and no event loop is started (nor asyncio imported: a `tick` from cron starts faster)."""
    if settings.smtp is None:
        return _keep(store, settings, now or clock(), clock)
    import asyncio

    async def run() -> FlushReport:
        report = await flush_async(store, settings, now, clock)
        if report.sent or report.failed:
            await asyncio.sleep(0.05)  # let TLS transports finish closing before the loop does
        return report

    return asyncio.run(run())


async def flush_async(store: Store, settings: Settings, now: dt.datetime | None = None, clock: Clock = system_clock) -> FlushReport:
    """Write every message due at `now` (default: `clock()`) to the Maildir and send it when
    SMTP is configured. `clock` stamps and ages send claims: claims are about processes, so it
    is the wall clock, never a `--now` a caller gave (a `tick --now …` must not take over a live
    send); tests give their own."""
    now = now or clock()
    smtp = settings.smtp
    if smtp is None:
        return _keep(store, settings, now, clock)
    report = FlushReport()
    files = []
    for row in store.outbox.due(iso(now)):
        if row.status == OutboxStatus.SENDING and not _abandoned(row, clock()):
            continue  # another process is sending it right now
        if not store.outbox.claim(row, _claimant(), iso(clock())):
            continue
        files.append(_maildir_copy(store, settings, row))
        if row.status == OutboxStatus.SENDING:
            logger.warning(
                "outbox %s: the send by %s was interrupted; sending it again with the same Message-ID (the server may have taken the first one)",
                row.id,
                row.claimed_by,
            )
            report.in_doubt += 1
        attempts = row.attempts + 1
        sending = store.outbox.get(row.id)
        assert sending is not None
        _in_flight.add(row.id)
        try:
            await send(smtp, settings.team.address, row.recipients, row.raw, settings.timeouts)
        except DeliveryError as exc:
            delay = min(settings.timeouts.retry * 2 ** (attempts - 1), RETRY_MAX) * random.uniform(0.8, 1.2)
            store.outbox.finish(
                sending,
                OutboxStatus.FAILED,
                Cause.clock(iso(now), str(exc)),
                iso(now),
                attempts=attempts,
                last_error=str(exc),
                next_attempt_at=iso(now + dt.timedelta(seconds=delay)),
            )
            logger.warning("outbox %s: %s (attempt %d; next try in %.0f s)", row.id, exc, attempts, delay)
            report.failed += 1
        else:
            store.outbox.finish(sending, OutboxStatus.SENT, Cause.clock(iso(now)), iso(now), attempts=attempts, sent_at=iso(clock()), last_error=None)
            report.sent += 1
        finally:
            _in_flight.discard(row.id)
    report.files = tuple(files)
    return report


def _keep(store: Store, settings: Settings, now: dt.datetime, clock: Clock) -> FlushReport:
    """Without SMTP the Maildir copy is the delivery: every due message is written there, in one
    commit for the whole batch (not two a message). A file is named by its row, so a process that
    dies before the commit leaves rows the next flush writes again, over the same files."""
    report = FlushReport()
    files = []
    with store.transaction():
        for row in store.outbox.due(iso(now)):
            if row.status == OutboxStatus.SENDING and not _abandoned(row, clock()):
                continue  # another process is sending it right now
            files.append(_maildir_copy(store, settings, row))
            store.outbox.finish(row, OutboxStatus.STORED, Cause.clock(iso(now), "no SMTP configured: the Maildir copy is the delivery"), iso(now))
            report.stored += 1
    report.files = tuple(files)
    return report


def _maildir_copy(store: Store, settings: Settings, row: OutboxRow) -> Path:
    """The row's file in the outbox Maildir, written unless it is there already."""
    path = Path(row.maildir_file) if row.maildir_file else None
    if path is None or not path.exists():
        path = write_maildir(settings.outbox.maildir, row.id, row.created_at, row.raw)
        store.outbox.set_file(row.id, str(path))
    return path


def _claimant() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _abandoned(row: OutboxRow, wall: dt.datetime) -> bool:
    """Whether a `sending` row's claim is left over from a process that no longer sends it."""
    if not row.claimed_at or dt.datetime.fromisoformat(row.claimed_at) < wall - CLAIM_TTL:
        return True
    host, _, pid = (row.claimed_by or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's claim: only its age can tell
    if int(pid) == os.getpid():
        return row.id not in _in_flight
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False


def next_attempt(store: Store) -> dt.datetime | None:
    """When the earliest failed message is due for another try."""
    at = store.outbox.next_retry()
    return dt.datetime.fromisoformat(at) if at else None


async def send(smtp: Smtp, sender: str, recipients: Sequence[str], raw: bytes, timeouts: Timeouts) -> None:
    """Hand one message to the SMTP server; any failure becomes `DeliveryError`."""
    import asyncio  # here, with the SMTP client and TLS: only a process that sends pays for them
    import ssl

    import aiosmtplib

    context = ssl.create_default_context(cafile=str(smtp.cafile) if smtp.cafile else None)
    client = aiosmtplib.SMTP(
        hostname=smtp.host,
        port=smtp.port,
        use_tls=smtp.security == "ssl",
        start_tls=smtp.security == "starttls",
        tls_context=context if smtp.security != "none" else None,
        timeout=timeouts.smtp,
    )
    try:
        async with client:
            if smtp.user and smtp.password:
                if not client.esmtp_extensions:
                    await client.ehlo()  # after STARTTLS the extensions are only known after EHLO again
                if client.supports_extension("auth"):
                    await client.login(smtp.user, smtp.password)
            await client.sendmail(sender, list(recipients), raw)
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: login as {smtp.user!r} refused; check smtp.user and MAILBOT_SMTP_PASSWORD") from exc
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {type(exc).__name__}: {exc}") from exc
