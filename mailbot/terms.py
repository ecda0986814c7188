"""Content terms: what the plan compares to tell whether two texts name the same piece of work.

Terms are English words that carry meaning and Chinese character pairs (runs of two CJK
characters that hold no function character), so "首页设计稿" and "首页的设计稿" share 首页, 设计
and 计稿 without a dictionary. Written by hand: a segmenter's words matter less here than
stable overlapping units, and both languages must give the same kind of unit.

Its own module, outside `mailbot.plan`, because the store indexes items by their terms
(`items.candidates`): `TERMS_VERSION` changes whenever `terms` gives other terms for the same
text, and a store whose index was built by another version rebuilds it when it opens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields

from parsing import patterns as rx
from parsing.hanzi import simplified
from parsing.model import Extraction

TERMS_VERSION = 2  # 2: open items only


class Cue:
    """A pattern of the plan's words, written in Simplified Chinese and English, that reads
    Traditional Chinese and Cantonese too: the text is matched in Simplified characters, which
    have the same length, so the spans found are spans of what was written."""

    __slots__ = ("_flags", "_source", "pattern")
    pattern: re.Pattern[str]  # compiled on first use (`__getattr__`), a plain slot from then on

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source, self._flags = pattern, flags

    def __getattr__(self, name: str) -> re.Pattern[str]:
        """Called only while `pattern` is unset: a process that never reads a message (a `tick`,
        `plan`) does not compile the plan's hundred-odd word lists (some 40 ms)."""
        if name != "pattern":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self.pattern = rx.compile(self._source, self._flags)
        return self.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.search(simplified(text), pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(simplified(text), pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(simplified(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(simplified(text))

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        """`text` with what the pattern finds replaced; the rest stays as written."""
        plain, out, last = simplified(text), [], 0
        for found in self.pattern.finditer(plain):
            out.append(text[last:found.start()])
            out.append(repl(found) if callable(repl) else found.expand(repl))
            last = found.end()
        out.append(text[last:])
        return "".join(out)


def cue(pattern: str, flags: int = 0) -> Cue:
    return Cue(pattern, flags)

_FUNCTION_CHARS = set("我们你您他她它的了在将已经给请查之天周月号日年再也都就和与及把被这那个一下吗呢吧啊哦是有要可以好")
_STOP_WORDS = {
    "the", "a", "an", "and", "or", "to", "of", "for", "on", "in", "at", "by", "with", "from", "is", "are", "be", "been", "was",
    "were", "will", "we", "i", "you", "your", "our", "it", "its", "this", "that", "these", "those", "have", "has", "had", "just",
    "now", "all", "send", "sent", "share", "shared", "attached", "here", "please", "find", "new", "revised", "updated", "update",
    "tomorrow", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week", "next", "end",
    "ll", "ve", "re", "can", "could", "would", "should", "may", "might", "let", "know", "us", "me", "my", "they", "them", "their",
    "do", "does", "did", "done", "get", "got", "so", "if", "as", "not", "no", "yes", "ok", "okay", "thanks", "thank", "hi",
    "hello", "also", "still", "any", "some", "more", "up", "out", "over", "then", "there", "what", "when", "which", "who",
    "how", "too", "very", "much", "about", "before", "after", "into", "again", "one", "two", "ready", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "am", "pm", "morning", "afternoon", "asap", "soon", "time", "day", "days",
    "don", "won", "isn", "aren", "didn", "doesn", "wasn", "weren", "haven", "hasn", "couldn", "wouldn", "shouldn", "let's",
}
# Days and deadlines in Chinese ("2月13日前", "下周二之前", "月底前", "本周内"): when, not what. Cut
# out, so that "…前提供" shares no "前提" with every other dated ask.
_ZH_WHEN = cue(r"(?:\d{1,4}\s*[年月日号]\s*)+(?:之?前|以前|以内|之内|内|底|初|中)?|(?:[上下本这]个?)?(?:周|星期|礼拜)[一二三四五六日天]?(?:之?前|以前|内)?|"
                      r"(?:月|年)(?:底|初|中)(?:之?前|以前)?|(?:今|明|后|昨)[天日晚早]|本周内|这周内|最晚|尽快")
_LATIN_WORD = rx.compile(r"[a-z0-9][a-z0-9'-]+")
_CJK_RUN = rx.compile(r"[\u3400-\u9fff]+")


def terms(text: str) -> set[str]:
    """The content terms of `text` (a new set: the caller may change it). Those of a clause or
    an item are remembered: the plan compares the same item texts with every message that might
    speak of them (it was a third of applying a message); a whole mail is not kept."""
    return set(_remembered(text) if len(text) <= REMEMBERED else _terms(text))


REMEMBERED = 1_000  # characters: texts up to this long have their terms remembered


def _terms(text: str) -> frozenset[str]:
    text = simplified(text)
    lowered = text.casefold()
    words = (w.replace("’", "'").split("'")[0].strip("-") for w in _LATIN_WORD.findall(lowered))  # "I'll" is "i", "Dana's" "dana"
    found = {w for w in words if w not in _STOP_WORDS and not w.isdigit()}
    found.discard("")
    for run in _CJK_RUN.findall(_ZH_WHEN.sub(" ", text)):
        found.update(run[i:i + 2] for i in range(len(run) - 1) if not (set(run[i:i + 2]) & _FUNCTION_CHARS))
    return frozenset(found)


_remembered = functools.lru_cache(maxsize=16_384)(_terms)


# -- a whole message's terms, worked out where it is read --------------------------------------

MAX_CONTEXT = 200_000  # characters of a message's whole text (the history it quotes) the plan reads


@dataclass(frozen=True, slots=True)
class Extracted(Extraction):
    """An extraction with the terms of the whole message beside it, worked out by the reading
    workers (`mailbot.reader`), several at once, rather than by the one process that applies
    messages to the plan, where they were about a tenth of its time in a profile (the history a
    reply quotes is the longest text the plan reads). Pickles with the extraction; `dataclasses.replace` keeps it."""

    whole_terms: frozenset[str] = frozenset()  # `whole_terms` of subject, new text and quoted history


def extracted(extraction: Extraction) -> Extracted:
    """`extraction` with its whole message's terms."""
    values = {f.name: getattr(extraction, f.name) for f in fields(Extraction)}
    return Extracted(**values, whole_terms=whole_terms(extraction))


def whole_terms(extraction: Extraction) -> frozenset[str]:
    """The terms of a message's subject, new text and whole text (the history it quotes, up to
    MAX_CONTEXT characters); the reader's if it worked them out."""
    if isinstance(extraction, Extracted):
        return extraction.whole_terms
    email = extraction.email
    return _terms("\n".join([email.subject or "", extraction.body, email.text[:MAX_CONTEXT]]))
