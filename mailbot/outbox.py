"""The persistent outbox: queue in the plan's transaction, then keep a Maildir copy and send.

`queue()` is called inside the transaction that decided to send (so a message is queued if and
only if its cause is recorded) and is idempotent through `dedupe_key`: deciding the same thing
twice queues one message. `flush()` runs after commit: it writes each queued message into the
outbox Maildir under a name derived from its row id (so a crash between the write and the status
update rewrites the same file rather than adding a second one) and hands it to SMTP when
`[smtp]` is configured; without SMTP the Maildir copy is the delivery (`status = stored`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import aiosmtplib
from sqlite_utils import Database

from mailbot.config import Settings, Smtp, Timeouts
from mailbot.errors import DeliveryError
from mailbot.store import Store, now_utc

logger = logging.getLogger(__name__)


def queue(db: Database, *, project_key: str | None, kind: str, dedupe_key: str, message: EmailMessage) -> int | None:
    """Queue `message` unless one with the same `dedupe_key` exists; returns the new row id."""
    existing = db.execute("SELECT id FROM outbox WHERE dedupe_key = ?", [dedupe_key]).fetchone()
    if existing:
        return None
    recipients = [addr.lower() for _, addr in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
    table = db["outbox"]
    table.insert(
        {
            "project_key": project_key,
            "kind": kind,
            "dedupe_key": dedupe_key,
            "message_id": str(message["Message-ID"]),
            "in_reply_to": str(message["In-Reply-To"] or "") or None,
            "recipients": json.dumps(recipients),
            "subject": str(message["Subject"]),
            "raw": bytes(message),
            "status": "queued",
            "attempts": 0,
            "created_at": now_utc(),
        }
    )
    return table.last_pk


@dataclass
class FlushReport:
    sent: int = 0
    stored: int = 0
    failed: int = 0
    files: tuple[Path, ...] = ()


def maildir_file(maildir: Path, row_id: int, created_at: str) -> Path:
    """The Maildir `new/` file of outbox row `row_id` (a stable, unique name)."""
    stamp = int(dt.datetime.fromisoformat(created_at).timestamp())
    return maildir / "new" / f"{stamp}.M{row_id}.mailbot"


def write_maildir(maildir: Path, row_id: int, created_at: str, raw: bytes) -> Path:
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    target = maildir_file(maildir, row_id, created_at)
    tmp = maildir / "tmp" / target.name
    with open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def flush(store: Store, settings: Settings) -> FlushReport:
    """Write every queued message to the Maildir and send it when SMTP is configured."""
    report = FlushReport()
    files = []
    rows = store.rows("SELECT id, raw, recipients, created_at, maildir_file, attempts FROM outbox WHERE status IN ('queued', 'failed') ORDER BY id")
    for row in rows:
        path = Path(row["maildir_file"]) if row["maildir_file"] else None
        if path is None or not path.exists():
            path = write_maildir(settings.outbox.maildir, row["id"], row["created_at"], row["raw"])
            store.db["outbox"].update(row["id"], {"maildir_file": str(path)})
        files.append(path)
        if settings.smtp is None:
            store.db["outbox"].update(row["id"], {"status": "stored"})
            report.stored += 1
            continue
        try:
            send(settings.smtp, settings.team.address, json.loads(row["recipients"]), row["raw"], settings.timeouts)
        except DeliveryError as exc:
            store.db["outbox"].update(row["id"], {"status": "failed", "attempts": row["attempts"] + 1, "last_error": str(exc)})
            logger.warning("outbox %s: %s (kept queued)", row["id"], exc)
            report.failed += 1
        else:
            store.db["outbox"].update(row["id"], {"status": "sent", "attempts": row["attempts"] + 1, "sent_at": now_utc(), "last_error": None})
            report.sent += 1
    report.files = tuple(files)
    return report


def send(smtp: Smtp, sender: str, recipients: Sequence[str], raw: bytes, timeouts: Timeouts) -> None:
    """Hand one message to the SMTP server; any failure becomes `DeliveryError`."""
    try:
        asyncio.run(_send(smtp, sender, list(recipients), raw, timeouts.smtp))
    except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {type(exc).__name__}: {exc}") from exc


async def _send(smtp: Smtp, sender: str, recipients: list[str], raw: bytes, timeout: float) -> None:
    context = ssl.create_default_context(cafile=str(smtp.cafile) if smtp.cafile else None)
    client = aiosmtplib.SMTP(
        hostname=smtp.host,
        port=smtp.port,
        use_tls=smtp.security == "ssl",
        start_tls=True if smtp.security == "starttls" else False,
        tls_context=context if smtp.security != "none" else None,
        timeout=timeout,
    )
    async with client:
        if smtp.user and smtp.password:
            await client.login(smtp.user, smtp.password)
        await client.sendmail(sender, recipients, raw)
