"""`mailbot demo`: the whole pipeline on the bundled sample mailbox, in a folder of its own.

The sample (mailbot/sample/) is one project's mail over five weeks, Chinese and English, from
both sides. The demo copies its configuration into a fresh folder and replays the mail as if it
arrived live (`replay`): each message is read at its own Date, the scheduler ticks every Monday
and after every message, acknowledgements and invitations go out when they would have. It ends
at the first digest moment after the last message, so the output is the same on every run,
whatever today's date, and it leaves the plan and the outbox Maildir in the folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from mailbot import config
from mailbot.replay import SimulatedClock, date_of, replay
from mailbot.service import IngestReport, Mailbot
from mailbot.sources import read_sources
from scheduling import cadence

SAMPLE = Path(__file__).resolve().parent / "sample"


@dataclass(frozen=True)
class DemoResult:
    directory: Path
    maildir: Path
    report: IngestReport
    now: dt.datetime
    snapshot: dict[str, Any]
    outgoing: tuple[tuple[Path, str], ...]

    @property
    def summary(self) -> str:
        r = self.report
        return (
            f"Read {len(r.outcomes)} sample messages: {r.count('processed')} processed, {r.count('ignored')} ignored "
            f"(auto-replies and the like), {len(r.errors)} failed. Scheduler run as of {self.now:%Y-%m-%d %H:%M %Z}."
        )


def sample_messages() -> list[Path]:
    return sorted(SAMPLE.glob("*.eml"))


def run_demo(directory: Path | None = None) -> DemoResult:
    directory = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="mailbot-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / "mailbot.toml"
    if not config_file.exists():
        shutil.copyfile(SAMPLE / "mailbot.toml", config_file)
    settings = config.load(config_file, env={})
    now = _demo_now(settings)
    items = list(read_sources([str(p) for p in sample_messages()]))
    first = min((d for d in (date_of(i) for i in items) if d is not None), default=now)
    clock = SimulatedClock(first - dt.timedelta(days=1))
    with Mailbot(settings, clock=clock) as bot:  # the demo lives in March 2026, whatever today is
        report = replay(bot, clock, items, now)
        snapshot = bot.plan(now=now)
        outgoing = tuple((Path(row.maildir_file or ""), row.subject or "") for row in bot.store.outbox.written())
    return DemoResult(directory, settings.outbox.maildir, report, now, snapshot, outgoing)


def _demo_now(settings: config.Settings) -> dt.datetime:
    """The first digest moment after the newest sample message."""
    parser = BytesHeaderParser(policy=default)
    dates = []
    for path in sample_messages():
        value = parser.parsebytes(path.read_bytes()).get("Date")
        if value:
            dates.append(parsedate_to_datetime(str(value)))
    newest = max(dates)
    schedule = settings.projects[0].digest if settings.projects else config.DigestSchedule()
    return cadence.last_due(schedule.weekday, schedule.time, settings.team.zone, newest + dt.timedelta(days=7))
