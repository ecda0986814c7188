"""Boilerplate is never an item: lines that recur across a sender's messages.

Banners, event notices and disclaimers in signatures ("【XX集团年度客户大会6月8日举行，欢迎莅
临】", "Join us at Summit 2026, June 8–10") escape signature removal often enough that the plan
defends itself: each message's distinct lines are counted per sender address and per sender
domain, and a line is boilerplate once it stood in MIN_MESSAGES of them, or in MIN_AT_FOOT of
them at the foot of the message. A finding inside such a line makes no item; items made from
it before it was recognised are dropped (the cause is the message that made it recurring).
The same request chased twice in the same words is not boilerplate: lines are counted only
when they are long enough to be a banner and were written, not quoted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from mailbot.plan.text import normal

MIN_LENGTH = 8  # letters and digits: shorter lines ("谢谢", "Best,") carry no finding anyway
MIN_MESSAGES = 3  # anywhere in the message
MIN_AT_FOOT = 2  # in the last FOOT_LINES lines of the message
FOOT_LINES = 6


@dataclass(frozen=True, slots=True)
class Lines:
    """One message's countable lines: digest → (the line, at the foot?)."""

    lines: dict[str, tuple[str, bool]]

    @classmethod
    def of(cls, body: str) -> Lines:
        raw = [line.strip() for line in body.splitlines() if line.strip()]
        found: dict[str, tuple[str, bool]] = {}
        for index, line in enumerate(raw):
            key = normal(line)
            if len(key) < MIN_LENGTH:
                continue
            digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
            at_foot = index >= len(raw) - FOOT_LINES
            old = found.get(digest)
            found[digest] = (line, at_foot or (old[1] if old else False))
        return cls(found)

    def digests(self) -> dict[str, bool]:
        return {digest: at_foot for digest, (_, at_foot) in self.lines.items()}


def recurring(counts: Iterable[tuple[int, int]]) -> bool:
    """Whether a line with these (messages, at the foot) counts, one per scope, is boilerplate."""
    return any(messages >= MIN_MESSAGES or tail >= MIN_AT_FOOT for messages, tail in counts)


def inside(text: str, line: str) -> bool:
    """Whether a finding's text lies within a line (spacing and punctuation aside)."""
    a, b = normal(text), normal(line)
    return bool(a) and a in b
