"""The score in a reply to mailbot's one-question satisfaction survey.

    "5"  "五分"  "4分，希望沟通再及时一些"  "9/10"  "非常满意"  "I'd give it 8 - the launch slipped"
    "⭐⭐⭐⭐"  "Re: 满意度调查 - 4" (the subject)  "４分" (full width)  "4 stars"

The reply is known to answer a survey of a known scale (1–5, or 0–10), so this reader can be
stricter and bolder than the general findings: a number standing alone is the score, a word of
satisfaction is one on the 1–5 scale, and everything that is a number of something else is
taken out first: phone numbers, dates, times, money, versions, decimals, ticket numbers,
quantities ("改了5个页面", "5 pages", "3 bugs"). A number outside the scale, two different
scores, or none: no score (`None`), never a guess. Quoted history is the caller's to remove
(the extraction's new text), and so is mailbot's own survey text quoted without '>'.

Hand-written: a reader for mailbot's own question, in two languages.
"""

from __future__ import annotations

import re
import unicodedata

from parsing import patterns as rx
from parsing.hanzi import simplified

SCALES = {"1-5": (1, 5), "0-10": (0, 10)}

_UNIT = (r"个|页|处|次|条|项|人|位|天|日|周|星期|月|年|小时|分钟|秒|元|块|万|千|百|%|％|号|楼|层|版|张|份|件|台|点|"
         r"pages?|bugs?|issues?|items?|days?|weeks?|months?|years?|hours?|minutes?|mins?|people|persons?|screens?|times?|"
         r"files?|errors?|changes?|tickets?|rounds?|revisions?|emails?|mails?|calls?|meetings?|percent|am|pm|th|st|nd|rd")
_NOT_SCORES = [
    rx.compile(r"(?:\+?\d[\d\s\-()]{6,}\d)"),  # phone numbers, long ids
    rx.compile(r"\d{2,4}\s*[年/.\-]\s*\d{1,2}\s*(?:[月/.\-]\s*\d{1,2}\s*日?)?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}\s*[/.]\s*\d{1,2}(?=\D|$)(?!\s*分)"),
    rx.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I),
    rx.compile(r"\d{1,2}\s*[:：]\s*\d{2}"),  # times
    rx.compile(r"[¥￥$€£]\s*[\d,]+(?:\.\d+)?|(?<![\d,.])[\d,]+(?:\.\d+)?\s*(?:rmb|cny|usd|eur|元|块钱|块)", re.I),  # money
    rx.compile(r"\bv(?:er(?:sion)?)?\.?\s*\d+(?:\.\d+)*|(?<![\d.])\d+\.\d+(?:\.\d+)*"),  # versions, decimals (4.5 is no whole score)
    rx.compile(r"(?:#|no\.?\s*|编号|单号|工单)\s*\d+", re.I),  # ticket and order numbers
    rx.compile(r"(?:第\s*)?(?<!\d)\d+\s*(?:" + _UNIT + r")(?![a-z])", re.I),  # quantities
    rx.compile(r"第\s*\d+"),
]
_FRACTION = rx.compile(r"(?<![\d.])(\d{1,2})\s*(?:/|out of|of|分之)\s*(\d{1,2})(?![\d.])", re.I)
_POINTS = rx.compile(r"(?<![\d.])(\d{1,2})\s*(?:分(?!钟|之)|points?\b|pts?\b|stars?\b|星)", re.I)
_CN_POINTS = rx.compile(r"([零〇一二两三四五六七八九十]{1,3})\s*(?:分(?!钟|之)|星)")
_GIVE = rx.compile(r"(?:give (?:it|you|us|them)?\s*(?:a|an)?|rate (?:it|you|us|this)?\s*(?:a|an|as)?|score(?: is)?|rating(?: is)?|"
                   r"评分|打分|打|给|评)\s*[:：]?\s*(\d{1,2})(?![\d.])", re.I)
_ALONE = rx.compile(r"^\W*(\d{1,2})\W*$")
_STARS = rx.compile(r"[⭐★]+")
_WORDS = [  # 1–5 only; the stronger and the negated forms first
    (rx.compile(r"非常不满意|很不满意|极不满意|very (?:dis|un)satisfied|terrible|awful|very poor|extremely (?:dis|un)satisfied", re.I), 1),
    (rx.compile(r"不太满意|不满意|不够满意|(?:dis|un)satisfied|not satisfied|poor|disappointed|失望", re.I), 2),
    (rx.compile(r"非常满意|很满意|特别满意|十分满意|超级满意|very satisfied|extremely satisfied|excellent|outstanding|perfect|非常好|很棒|太棒了", re.I), 5),
    (rx.compile(r"比较满意|还算满意|满意|satisfied|\bgood\b|很好|不错", re.I), 4),
    (rx.compile(r"一般般|一般|还行|还可以|马马虎虎|\bokay\b|\bok\b|average|so-so|fine|neutral|中规中矩", re.I), 3),
]
_DECLINE = rx.compile(r"不要再发|不用再发|别再发|不需要(?:再)?(?:调查|问卷)|请勿(?:再)?发送|退订|no more (?:surveys|questionnaires)|"
                      r"stop sending|unsubscribe|don'?t send (?:me )?(?:any more|more|these)|opt out", re.I)
_SUBJECT_NUMBER = rx.compile(r"(?:[-–—:：]\s*|\s)(\d{1,2})\s*(?:分|/\s*\d{1,2})?\s*$")


def declines(text: str) -> bool:
    """Whether the reply asks for no more surveys."""
    return _DECLINE.search(simplified(unicodedata.normalize("NFKC", text))) is not None


def read_score(text: str, *, scale: str = "1-5", subject: str = "") -> int | None:
    """The score `text` (the reply's new text) gives on `scale`, else the one its subject adds."""
    low, high = SCALES.get(scale, SCALES["1-5"])
    scores = _scores(_plain(text), low, high)
    if len(scores) == 1:
        return scores.pop()
    if scores:
        return None  # two different scores: no guess
    found = _SUBJECT_NUMBER.search(_plain(subject))
    value = int(found.group(1)) if found else None
    return value if value is not None and low <= value <= high else None


def _plain(text: str) -> str:
    return simplified(unicodedata.normalize("NFKC", text))


def _scores(text: str, low: int, high: int) -> set[int]:
    found: set[int] = set()
    out_of_scale = False

    def add(value: int | None) -> None:
        nonlocal out_of_scale
        if value is None:
            return
        if low <= value <= high:
            found.add(value)
        else:
            out_of_scale = True

    for match in _FRACTION.finditer(text):
        if int(match.group(2)) == high:
            add(int(match.group(1)))
        else:
            out_of_scale = True
    text = _FRACTION.sub(" ", text)
    for match in _POINTS.finditer(text):
        add(int(match.group(1)))
    for match in _CN_POINTS.finditer(text):
        from parsing.dates import cn_number  # here: the service's scheduler reads surveys without compiling date patterns

        add(cn_number(match.group(1)))
    for match in _GIVE.finditer(text):
        add(int(match.group(1)))
    rest = _POINTS.sub(" ", _CN_POINTS.sub(" ", _GIVE.sub(" ", text)))
    for pattern in _NOT_SCORES:
        rest = pattern.sub(" ", rest)
    for line in rest.splitlines():
        alone = _ALONE.match(line)
        if alone:
            add(int(alone.group(1)))
    if high == 5:
        stars = [len(m.group(0)) for m in _STARS.finditer(text)]
        for count in stars:
            add(count)
        if not found and not out_of_scale:
            for pattern, value in _WORDS:
                if pattern.search(text):
                    add(value)
                    break
    if out_of_scale and not found:
        return set()
    return found
