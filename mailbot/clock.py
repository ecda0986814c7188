"""The one source of "now": a `Clock` is passed in everywhere; only this function reads the time.

The service takes a clock for its decisions (the demo and the benchmarks run mailbot at moments
they choose), and the outbox a wall clock for its send claims, which are about live processes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The real time, aware, in UTC."""
    return dt.datetime.now(dt.timezone.utc)
