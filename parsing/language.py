"""Language of a message's new text: "zh", "en" or "mixed", by script proportions.

Counts Han characters (CJK ideographs, extension A and compatibility ideographs) against
Latin letters. One Han character carries about as much as a short English word, so Latin
letters are weighed per word: the share of Han is `han / (han + latin_words * 2)`, roughly the
share of the reader's effort spent on Chinese. Then:

- share >= 0.7 → "zh"   (Chinese with product names, URLs or code words in it)
- share <= 0.3 → "en"   (English with a Chinese name or term in it), unless there are at
  least 20 Han characters: a whole Chinese sentence or two inside English is "mixed"
- otherwise     → "mixed"

Text without either script (empty, digits, emoji) is "en": mailbot's English rules are the
fallback for everything that is not Chinese, and an empty body has no findings anyway.
Fast: one regular-expression pass each, no model, no dictionary.
"""

from __future__ import annotations

from parsing import patterns as rx

_HAN = rx.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LATIN_WORD = rx.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
_URL_OR_ADDRESS = rx.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w.-]+")  # anchored: linear on long runs

ZH_SHARE = 0.7
EN_SHARE = 0.3
SUBSTANTIAL_HAN = 20


def detect_language(text: str) -> str:
    """Return "zh", "en" or "mixed" for `text` (see the module docstring)."""
    share = han_share(text)
    if share is None:
        return "en"
    if share <= EN_SHARE:
        return "mixed" if len(_HAN.findall(text)) >= SUBSTANTIAL_HAN else "en"
    if share >= ZH_SHARE:
        return "zh"
    return "mixed"


def han_share(text: str) -> float | None:
    """Han characters / (Han + 2 × Latin words), or None when there is neither."""
    text = _URL_OR_ADDRESS.sub(" ", text)
    han = len(_HAN.findall(text))
    words = len(_LATIN_WORD.findall(text))
    if han + words == 0:
        return None
    return han / (han + 2 * words)
