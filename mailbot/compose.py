"""Outgoing mail: render `templates/` (Jinja2, zh and en, text and HTML) into RFC 5322 messages.

Each outgoing message is one multipart/alternative with a text/plain and a text/html part, both
UTF-8. A template pair is `<name>.<lang>.txt` and `<name>.<lang>.html`; the text template sets
the subject with ``{% set subject %}…{% endset %}``. Every message carries the loop-safety
headers of RFC 3834 (`Auto-Submitted`), `X-Auto-Response-Suppress: All` (Exchange) and our own
`X-Mailbot` header, so that mailbot and other robots can recognise it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

import templates as templates_package
from mailbot.outgoing import MESSAGE_ID, Mailbox, Outgoing, Part
from parsing import patterns as rx
from parsing import usercache

TEMPLATE_DIR = Path(templates_package.__file__).resolve().parent
LOOP_HEADER = "X-Mailbot"

_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PARTY = {"zh": {"us": "我方", "client": "客户"}, "en": {"us": "us", "client": "client"}}
_SENTIMENT = {
    "zh": {"positive": "正面", "negative": "负面", "mixed": "褒贬参半"},
    "en": {"positive": "positive", "negative": "negative", "mixed": "mixed"},
}
_STATUS = {
    "zh": {
        "open": "进行中",
        "done": "已完成",
        "overdue": "已逾期",
        "cancelled": "已取消",
        "received": "已收到",
        "acknowledged": "已确认收到",
        "assessed": "已评估",
        "accepted": "已接受",
        "rejected": "未采纳",
        "needs_info": "待补充信息",
        "applied": "已实施",
        "planned": "计划中",
        "review_scheduled": "已安排评审",
        "approved": "已验收",
        "moved": "已调整",
        "dropped": "已取消",
    },
    "en": {
        "open": "open",
        "done": "done",
        "overdue": "overdue",
        "cancelled": "cancelled",
        "received": "received",
        "acknowledged": "acknowledged",
        "assessed": "assessed",
        "accepted": "accepted",
        "rejected": "rejected",
        "needs_info": "needs information",
        "applied": "applied",
        "planned": "planned",
        "review_scheduled": "review scheduled",
        "approved": "approved",
        "moved": "moved",
        "dropped": "dropped",
    },
}


def format_day(day: dt.date | str | None, lang: str, today: dt.date | str | None = None) -> str:
    """3月13日（周五） / Fri 13 Mar; with the year when it is not `today`'s (2027年1月5日（周二） /
    Tue 5 Jan 2027); empty for no date."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if isinstance(today, str) and today:
        today = dt.date.fromisoformat(today[:10])
    other_year = isinstance(today, dt.date) and today.year != day.year
    weekday = _WEEKDAYS[lang][day.weekday()]
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日（{weekday}）" if other_year else f"{day.month}月{day.day}日（{weekday}）"
    return f"{weekday} {day.day} {_MONTHS_EN[day.month - 1]}" + (f" {day.year}" if other_year else "")


def script(text: str | None) -> str:
    """The language a text is written in, for marking rows of the other one: "zh" when it has
    Chinese characters, else "en"."""
    return "zh" if text and any("\u4e00" <= c <= "\u9fff" for c in text) else "en"


def format_month_day(day: dt.date | str, lang: str, with_month: bool = True) -> str:
    """3月16日 / 16 Mar (or just 16, for the first day of a range within one month)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    if lang == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]}" if with_month else str(day.day)


_NO_LINE_START = set("。，、；：？！）」』”’…,.;:?!)")
_TOKENS = rx.compile(r"\s+|[A-Za-z0-9\u00C0-\u024F@._%+/:#&'-]+|.", re.S)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str | None, cols: int, indent: str = "    ") -> str:
    """Hard-wrap `text` at about `cols` display columns (CJK characters count two).

    Latin words are never split, lines may break between any two CJK characters, and a line
    never starts with closing punctuation. Continuation lines start with `indent`, which
    counts towards their width. Linear in the text: each token's width is measured once.
    """
    text = " ".join((text or "").split())
    if len(text) * 2 <= cols or (len(text) <= cols and text.isascii()):
        return text  # fits on one line whatever its characters' widths
    lines: list[str] = []
    line: list[str] = []
    used = 0  # display columns of `line`
    for token in _TOKENS.findall(text):
        if token.isspace():
            token = " "
        width = _width(token)
        if line and used + (len(indent) if lines else 0) + width > cols and token != " " and token[0] not in _NO_LINE_START:
            lines.append("".join(line).rstrip())
            line, used = [], 0
        if line or token != " ":
            line.append(token)
            used += width
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return ("\n" + indent).join(lines)


_REPLY_PREFIX = rx.compile(r"^\s*(re|回复|答复|aw|sv)\s*[:：]", re.I)


def reply_subject(subject: str | None, tag: str | None = None, project_tag: str | None = None) -> str:
    """"Re: " + subject unless it is already a reply, + " [tag]" unless the tag is there.

    `project_tag` goes in front of the subject, "[华锦官网]", unless the subject already names it
    in square or 【】 brackets: replies find their project by it even when threading is lost.
    """
    text = " ".join((subject or "").split())
    reply = _REPLY_PREFIX.match(text)
    head, rest = (text[: reply.end()], text[reply.end() :].strip()) if reply else ("Re:", text)
    parts = [head]
    if project_tag and f"[{project_tag}]" not in text and f"【{project_tag}】" not in text:
        parts.append(f"[{project_tag}]")
    parts.append(rest)
    if tag and tag not in text:
        parts.append(f"[{tag}]")
    return " ".join(part for part in parts if part)


_OVERRIDES: list[Path] = []  # `[templates] dir`: one process serves one configuration


def use_templates(directory: Path | None) -> None:
    """Look for each template first in `directory` (`[templates] dir`), then among the bundled
    ones: a file there replaces the bundled file of the same name, and only that one."""
    _OVERRIDES[:] = [directory] if directory is not None else []


_COMPILED: list[Path] = []  # where compiled templates are kept between runs
# Compiled templates depend on Jinja2's version and on the options `_environment` gives it,
# which are not part of the bytecode cache's key: both name the folder they are kept in.
_COMPILED_FORMAT = f"templates-{jinja2.__version__}-1"  # bump the last number when those options change


def keep_compiled(directory: Path | None) -> None:
    """Keep compiled templates in `directory`, so that a command that sends mail does not
    compile every template again (about 10 ms each). Jinja2 checks each against its source, so
    an edited template is compiled afresh."""
    _COMPILED[:] = [directory] if directory is not None else []


def configure(templates_dir: Path | None) -> None:
    """Templates from `[templates] dir` first; compiled ones kept in the user's cache
    (`parsing.usercache`): they depend on the code, not on a plan, so a new store starts warm."""
    use_templates(templates_dir)
    cache = usercache.directory()
    keep_compiled(cache / _COMPILED_FORMAT if cache is not None else None)


def environment(lang: str, html: bool) -> jinja2.Environment:
    """One Jinja2 environment per language, part and template folder, with mailbot's filters."""
    return _environment(lang, html, tuple(_OVERRIDES), _COMPILED[0] if _COMPILED else None)


def _bytecode_cache(directory: Path) -> jinja2.BytecodeCache | None:
    # Jinja2 loads what it finds there with marshal: only from a folder of this user's own
    if not usercache.own(directory):
        return None  # compile every time, as without a cache
    return jinja2.FileSystemBytecodeCache(str(directory))


@lru_cache(maxsize=None)
def _environment(lang: str, html: bool, overrides: tuple[Path, ...], compiled: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=_bytecode_cache(compiled / ("html" if html else "text")) if compiled is not None else None,
        loader=jinja2.FileSystemLoader([*overrides, TEMPLATE_DIR]),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["day"] = jinja2.pass_context(lambda ctx, value: format_day(value, lang, ctx.get("today")))
    env.filters["party"] = lambda value: _PARTY[lang].get(value or "", value or "")
    env.filters["status"] = lambda value: _STATUS[lang].get(value or "", value or "")
    env.filters["sentiment"] = lambda value: _SENTIMENT[lang].get(value or "", value or "")
    env.filters["md"] = lambda value, with_month=True: format_month_day(value, lang, with_month)
    env.filters["wrap"] = wrap
    env.filters["script"] = script
    env.filters["hm"] = lambda value: value.strftime("%H:%M") if value else ""
    env.globals["reply_subject"] = reply_subject
    return env


def base_context(team: Any, project: Any) -> dict[str, Any]:
    """What every template gets about the team (`config.Team`) and the project (`config.Project`)."""
    return {
        "team": {"name": team.name, "address": team.address},
        "project": {"key": project.key, "name": project.name, "tag": project.tag},
        "recipient": None,
    }


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(name: str, lang: str, context: Mapping[str, Any]) -> Rendered:
    """Render the text and HTML templates `name` in `lang` with `context`."""
    context = {"lang": lang, **context}
    text_template = environment(lang, False).get_template(f"{name}.{lang}.txt")
    module = text_template.make_module(dict(context))
    subject = header_text(str(getattr(module, "subject", "")))
    if not subject:
        raise ValueError(f"template {name}.{lang}.txt sets no subject")
    # The HTML part: the language's own template, else one for every language (its words come
    # from `lang`), else the text in the house layout (short internal mail).
    html_template = environment(lang, True).select_template([f"{name}.{lang}.html", f"_{name}.html", "_plain.html"])
    context = {**context, "plain_template": f"{name}.{lang}.txt"}
    return Rendered(subject=subject, text=str(module).strip() + "\n", html=html_template.render(context))


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    address: str
    timezone: str = ""  # the sender's zone: the Date header is written in it (+0800 for a team in Shanghai)


def build_message(
    *,
    rendered: Rendered,
    sender: Person,
    to: Sequence[Person],
    cc: Sequence[Person] = (),
    kind: str,
    reply: bool,
    now: dt.datetime,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
    extra_headers: Mapping[str, str] | None = None,
    calendar: tuple[str, str] | None = None,
) -> Outgoing:
    """An RFC 5322 message with both parts and the threading and loop-safety headers.

    `calendar` is an iMIP part, (iCalendar text, METHOD): it goes into the same
    multipart/alternative after the text and HTML parts, as text/calendar with the method in
    its Content-Type, where Outlook and Gmail look for it."""
    domain = sender.address.rpartition("@")[2] or "mailbot.invalid"
    if not domain.isascii():
        domain = "mailbot.invalid"
    threading: dict[str, Any] = {}
    if in_reply_to and _copyable(in_reply_to):
        refs = [r for r in references if r and r != in_reply_to and _copyable(r)]
        if len(refs) > MAX_REFERENCES - 1:  # the thread's first message and its latest ones (RFC 5322 3.6.4)
            refs = [refs[0], *refs[-(MAX_REFERENCES - 2) :]]
        threading = {"in_reply_to": in_reply_to, "references": (*refs, in_reply_to)}
    fields = [("Auto-Submitted", "auto-replied" if reply else "auto-generated"), ("X-Auto-Response-Suppress", "All"), (LOOP_HEADER, kind)]
    fields += [(name, header_text(value)) for name, value in (extra_headers or {}).items()]
    parts = [Part("plain", rendered.text), Part("html", rendered.html)]
    if calendar is not None:
        text, method = calendar
        parts.append(Part("calendar", text, (("method", method),)))
    return Outgoing(
        sender=_mailbox(sender),
        to=tuple(map(_mailbox, to)),
        cc=tuple(map(_mailbox, cc)),
        subject=header_text(rendered.subject),
        date=format_datetime(_in_zone(now, sender.timezone)),
        message_id=make_msgid(idstring=f"mailbot.{kind}", domain=domain),
        parts=tuple(parts),
        fields=tuple(fields),
        **threading,
    )


def _copyable(message_id: str) -> bool:
    """Whether a Message-ID from mail may go into In-Reply-To or References: not too long to be
    one, and nothing but visible ASCII (no space or line end that would start another header)."""
    return len(message_id) <= MAX_MSGID and MESSAGE_ID.fullmatch(message_id) is not None


def team_person(team: Any) -> Person:
    """The project mailbox itself (`config.Team`): the sender, and ORGANIZER, of all mailbot's mail."""
    return Person(team.name, team.address, getattr(team, "timezone", ""))


def _in_zone(moment: dt.datetime, zone: str) -> dt.datetime:
    """`moment` on the sender's wall clock, when it has a known zone; else as given."""
    if not zone or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment


def team_people(team: Any, project: Any) -> list[Person]:
    """Who gets mail meant for the team only: the project's stakeholders on our side, else the mailbox."""
    return [Person(s.name, s.address) for s in project.stakeholders if s.party == "us"] or [team_person(team)]


def _mailbox(person: Person) -> Mailbox:
    return Mailbox(header_text(person.name or "")[:MAX_NAME].rstrip(), header_text(person.address).replace(" ", ""))


MAX_REFERENCES = 12  # Message-IDs in an answer's References: a thread of 20,000 must not make a 300 KB header
MAX_NAME = 200  # characters of a display name: one from mail can be any length, and a header line must stay under 998
MAX_MSGID = 250  # characters: a longer "Message-ID" is not one, and is not copied into a header


def header_text(text: str) -> str:
    """`text` fit for one header line a person reads: CR, LF and other control characters, and
    the invisible format characters (bidi overrides U+202A-202E and U+2066-2069, zero-width
    U+200B-200D, BOM) that would hide or reorder what a subject or display name says, are
    dropped; runs of spaces are one."""
    kept = "".join(" " if ch in "\r\n\t" else ch for ch in text if ch in "\r\n\t" or unicodedata.category(ch) not in _INVISIBLE)
    return " ".join(kept.split())


_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
