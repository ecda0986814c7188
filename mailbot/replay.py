"""Replaying a mailbox as if it arrived live: the demo and the plan benchmark run mailbot this way.

Messages are fed in the order of their Date, the clock standing at each message's Date when it
is processed; between messages the scheduler ticks at every weekly digest moment that passes
and after every message, and the outbox is flushed, so acknowledgements, invitations and digests
carry the moments they would have had. Nothing here is a shortcut: it is `Mailbot.ingest`,
`tick` and `flush` driven by a clock that is told what time it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime

from mailbot.service import IngestReport, Mailbot
from mailbot.sources import RawItem
from scheduling import cadence

STEP = dt.timedelta(minutes=1)  # a message is read a minute after it was sent
_HEADERS = BytesHeaderParser(policy=compat32)


@dataclass
class SimulatedClock:
    """A clock that says what it is told."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now


def date_of(item: RawItem) -> dt.datetime | None:
    """The message's Date header (aware), else when the file was written."""
    try:
        value = _HEADERS.parsebytes(item.raw).get("Date")
        moment = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment or item.received


def replay(bot: Mailbot, clock: SimulatedClock, items: Iterable[RawItem], until: dt.datetime) -> IngestReport:
    """Feed `items` to `bot` in date order at their own moments, then let time run to `until`."""
    report = IngestReport()
    dated = sorted(((date_of(item), n, item) for n, item in enumerate(items)), key=lambda t: (t[0] or until, t[1]))
    for moment, _, item in dated:
        when = moment or clock.now
        run_until(bot, clock, when)
        clock.now = max(clock.now, when + STEP)
        report.outcomes.extend(bot.ingest([item]).outcomes)
        bot.tick(clock.now)
        bot.flush(clock.now)
    run_until(bot, clock, until)
    clock.now = max(clock.now, until)
    bot.tick(clock.now)
    bot.flush(clock.now)
    return report


def run_until(bot: Mailbot, clock: SimulatedClock, until: dt.datetime) -> None:
    """Tick (and flush) at every weekly digest moment of any project between the clock and `until`."""
    zone = bot.settings.team.zone
    schedules = {(p.digest.weekday, p.digest.time) for p in bot.settings.projects if p.digest.enabled}
    while True:
        moments = [cadence.last_due(weekday, at, zone, clock.now + dt.timedelta(days=7)) for weekday, at in schedules]
        upcoming = sorted(m for m in moments if clock.now < m <= until)
        if not upcoming:
            return
        clock.now = upcoming[0]
        bot.tick(clock.now)
        bot.flush(clock.now)
