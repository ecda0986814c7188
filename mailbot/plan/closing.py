"""Closing what later mail shows closed.

A clause that reports work as done ("首页设计初稿已经发给您了", "I've uploaded the new build")
closes the one open promise of the writer's side, or request made of it, that shares the most
content terms with it (runs of two Chinese characters, English words; at least MIN_SHARED; ties
go to the latest). One that acknowledges the other side's work ("素材收到了", "Thanks for the GA
export") does the same for that side. Nothing is closed on a guess: a report that shares too
little with every open item closes none.
"""

from __future__ import annotations

import re

from mailbot.lifecycle import Cause, ItemStatus
from mailbot.store import Store
from mailbot.store.records import Item
from parsing.model import Extraction, Party

MIN_SHARED = 2
_FUNCTION_CHARS = set("我们你您他她它的了会在将已经给发请查收前后之内天周月号日年再也都就和与及把被这那个一下")
_STOP_WORDS = {
    "the", "a", "an", "and", "or", "to", "of", "for", "on", "in", "at", "by", "with", "from", "is", "are", "be", "been",
    "will", "we", "i", "you", "your", "our", "it", "this", "that", "these", "have", "has", "just", "now", "all",
    "send", "sent", "share", "shared", "attached", "here", "please", "find", "new", "revised", "updated", "update",
    "tomorrow", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "week", "next", "end", "ll", "ve",
}
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9'-]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def terms(text: str) -> set[str]:
    """The content terms of `text`: English words that carry meaning, Chinese character pairs."""
    lowered = text.casefold()
    found = {w for w in _LATIN_WORD.findall(lowered) if w not in _STOP_WORDS}
    for run in _CJK_RUN.findall(text):
        found.update(run[i:i + 2] for i in range(len(run) - 1) if not (set(run[i:i + 2]) & _FUNCTION_CHARS))
    return found


def close_reported(store: Store, project_key: str, extraction: Extraction, cause: Cause, at: str) -> None:
    """Close what the message reports delivered (by the writer's side) or received (from the other)."""
    other = Party.US if extraction.party is Party.CLIENT else Party.CLIENT
    for clause in extraction.completions:
        _close_best(store, project_key, extraction.party, clause, cause, at)
    for clause in extraction.receipts:
        _close_best(store, project_key, other, clause, cause, at)


def _close_best(store: Store, project_key: str, party: Party, clause: str, cause: Cause, at: str) -> None:
    wanted = terms(clause)
    best: tuple[int, str, Item] | None = None
    for item in store.items.open(project_key, by=str(party)):
        if (item.message_id or "") == (cause.ref or ""):
            continue  # a message does not close what it says itself
        shared = len(wanted & terms(item.text))
        if shared >= MIN_SHARED and (best is None or (shared, item.created_at or "") > best[:2]):
            best = (shared, item.created_at or "", item)
    if best is not None:
        store.items.set_status(best[2], ItemStatus.DONE, cause, at)
