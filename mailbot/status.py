"""What the service is doing, for `mailbot status` and a health check.

`mailbot run` leaves word of itself in the store as it goes (`record` on every change of state,
`heartbeat` from its loop, at most every HEARTBEAT_EVERY seconds): its state, since when, its
process, whether the IMAP server offered IDLE. `report` reads that back with what the store
knows (the last message that came in, the outbox by status, the next retry, the next digests)
and whether a `run` holds the store's run lock right now. Healthy means: a run holds the lock,
its heartbeat is fresh (STALE seconds), and it is not stuck connecting. Outbox failures are
warnings, not ill health: restarting the service does not bring an SMTP server back.

The times written here are the machine's wall clock, never a `--now`: they are about a live
process, like the outbox's claims.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
from pathlib import Path
from typing import Any

from mailbot.config import DigestSchedule, Settings
from mailbot.lifecycle import OutboxStatus
from mailbot.store import Store
from scheduling.cadence import last_due

HEARTBEAT_EVERY = 10.0  # seconds: how often the loop's heartbeat is written at most
STALE = 180.0  # seconds without a heartbeat after which a running service is not healthy
_last_beat: dict[str, float] = {}


def _wall() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def record(store: Store, state: str, *, idle: bool | None = None) -> None:
    """The service moved to `state` (connecting, catching up, waiting, processing, stopping,
    stopped)."""
    now = _wall().isoformat(timespec="seconds")
    with store.transaction():
        store.bookkeeping.set("service.state", state)
        store.bookkeeping.set("service.since", now)
        store.bookkeeping.set("service.heartbeat", now)
        store.bookkeeping.set("service.process", f"pid {os.getpid()} on {socket.gethostname()}")
        if idle is not None:
            store.bookkeeping.set("service.idle", "yes" if idle else "no")
    _last_beat[str(id(store))] = _wall().timestamp()


def heartbeat(store: Store) -> None:
    """The loop is alive; written at most every HEARTBEAT_EVERY seconds."""
    now = _wall()
    key = str(id(store))
    if now.timestamp() - _last_beat.get(key, 0.0) < HEARTBEAT_EVERY:
        return
    with store.transaction():
        store.bookkeeping.set("service.heartbeat", now.isoformat(timespec="seconds"))
    _last_beat[key] = now.timestamp()


def lock_holder(store_path: Path) -> str | None:
    """Who holds the run lock of the store at `store_path`, or None when no `run` does."""
    path = store_path.with_name(store_path.name + ".run.lock")
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 512).decode("utf-8", "replace").strip() or "another process"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def report(store: Store, settings: Settings, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything `mailbot status --json` prints; `healthy` and `problems` decide the exit."""
    wall = now or _wall()
    fact = store.bookkeeping.fact
    holder = lock_holder(settings.store_path)
    state = fact("service.state")
    beat = fact("service.heartbeat")
    age = (wall - dt.datetime.fromisoformat(beat)).total_seconds() if beat else None
    counts = store.outbox.counts()
    problems: list[str] = []
    if holder is None:
        problems.append("no 'mailbot run' holds the store")
    elif age is None or age > STALE:
        problems.append(f"the service's last heartbeat is {'missing' if age is None else f'{age:.0f} s old'} (limit {STALE:.0f} s)")
    elif state == "connecting" and age is not None and _since(fact("service.since"), wall) > STALE:
        problems.append("the service has been connecting to the IMAP server for over 3 minutes")
    warnings = []
    if counts.get(str(OutboxStatus.FAILED)):
        warnings.append(f"{counts[str(OutboxStatus.FAILED)]} outgoing message(s) failed and wait for a retry")
    retry = store.outbox.next_retry()
    return {
        "healthy": not problems,
        "problems": problems,
        "warnings": warnings,
        "service": {"running": holder is not None, "holder": holder, "state": state, "since": fact("service.since"),
                    "heartbeat": beat, "heartbeat_age_s": round(age) if age is not None else None,
                    "process": fact("service.process")},
        "imap": {"configured": settings.imap is not None,
                 "connected": holder is not None and state in ("catching up", "waiting", "processing"),
                 "idle": {"yes": True, "no": False}.get(fact("service.idle") or "")},
        "last_message": store.messages.last_received(),
        "outbox": {"queued": counts.get(str(OutboxStatus.QUEUED), 0) + counts.get(str(OutboxStatus.SENDING), 0),
                   "failed": counts.get(str(OutboxStatus.FAILED), 0), "sent": counts.get(str(OutboxStatus.SENT), 0),
                   "next_retry": retry},
        "next_digests": {project.key: _next_digest(project.digest, settings, wall)
                         for project in settings.projects if project.digest.enabled},
    }


def _since(at: str | None, wall: dt.datetime) -> float:
    return (wall - dt.datetime.fromisoformat(at)).total_seconds() if at else 0.0


def _next_digest(digest: DigestSchedule, settings: Settings, wall: dt.datetime) -> str:
    moment = last_due(digest.weekday, digest.time, settings.team.zone, wall) + dt.timedelta(days=7)
    return moment.isoformat(timespec="minutes")
