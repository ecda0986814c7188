"""Seeded mutation fuzzer for `parsing.pipeline.extract`. Prints figures; not a test.

    python bench/fuzz.py [--count 10000] [--seed 0] [--seconds-per-message 2.0] [--out DIR] [--jobs N]
    python bench/fuzz.py --replay FILE [FILE ...] [--seconds-per-message S] [--in-process]

Each mutant is one real message (mailbot/sample/*.eml, bench/plan/dev/*/mail/*.eml and the raw
messages of ../shared/corpora, as listed by tests/corpus_files.py) with one to four mutations
applied, chosen at random from a generator seeded with "SEED/INDEX", so any mutant can be rebuilt
from its seed and index alone. The accepted outcomes of `extract(raw, CONTEXT)` are a value or
`parsing.errors.ParseError`; any other exception is a crash, and a call that runs longer than
--seconds-per-message is a hang.

Every mutant runs in a child forked from this (warmed-up) process, so a hang in C code (a
backtracking regex holds the GIL) is seen and killed: the child arms `faulthandler` to dump its
Python stack at the limit, and the parent kills it with SIGKILL a little later if it is still
there. Peak RSS is the child's own `ru_maxrss` (os.wait4), which includes what it shares with
this process at fork (the "baseline" printed beside it).

Crashing and hanging mutants are saved in --out as NAME.eml (the exact bytes given to
`extract`) and NAME.json (seed, index, base file, mutation list, outcome, traceback or stack);
at most --keep per distinct signature (the smallest ones). `--replay` takes either file.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import faulthandler
import hashlib
import json
import math
import os
import quopri
import random
import re
import resource
import selectors
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from corpus_files import raw_messages  # noqa: E402

CONTEXT_KW = {"team_domains": ("studio.example",), "timezone": "Asia/Shanghai"}


# --- limits -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Limits:
    """How big the big mutations may get. The CI test uses smaller ones."""

    max_header: int = 1 << 20  # bytes in one header line
    max_body: int = 4 << 20  # bytes of an inserted body
    max_depth: int = 5000  # levels of nested multiparts / message/rfc822
    max_mutations: int = 4


# --- the corpus --------------------------------------------------------------------------------


def corpus_files(corpora: Path = CORPORA) -> list[Path]:
    """Every seed message, sorted: the project's samples and dev mail, then the shared corpora."""
    files = sorted((ROOT / "mailbot" / "sample").glob("*.eml"))
    files += sorted(ROOT.glob("bench/plan/dev/*/mail/*.eml"))
    if corpora.is_dir():
        files += [path for _, path in raw_messages(corpora)]
    return files


def _label(path: Path) -> str:
    for base in (ROOT, CORPORA.parent):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


# --- message structure helpers ------------------------------------------------------------


def _split(raw: bytes) -> tuple[bytes, bytes, bytes]:
    """(head, separator, body) at the first blank line; no blank line: all head."""
    a, b = raw.find(b"\r\n\r\n"), raw.find(b"\n\n")
    if a != -1 and (b == -1 or a < b):
        return raw[:a], b"\r\n\r\n", raw[a + 4 :]
    if b != -1:
        return raw[:b], b"\n\n", raw[b + 2 :]
    return raw, b"", b""


def _nl(raw: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in raw[:8192] else b"\n"


def _fields(head: bytes) -> list[bytes]:
    """Header fields, each with its continuation lines, newline kept inside (not at the end)."""
    out: list[bytes] = []
    for line in head.split(b"\n"):
        if out and line[:1] in (b" ", b"\t"):
            out[-1] += b"\n" + line
        else:
            out.append(line)
    return out


def _name(field: bytes) -> bytes:
    return field.split(b":", 1)[0].strip().lower() if b":" in field else b""


def _join(fields: list[bytes]) -> bytes:
    return b"\n".join(fields)


def _boundaries(raw: bytes) -> list[bytes]:
    return [m.group(1) or m.group(2) for m in _BOUNDARY.finditer(raw) if (m.group(1) or m.group(2))]


_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"\r\n]*)"|([^;\s"]+))""", re.IGNORECASE)
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*(?:"[^"\r\n]*"|[^;\s"]*)""", re.IGNORECASE)
_EW_CHARSET = re.compile(rb"=\?([^?\s]+)\?([qQbB])\?")
_CTE = re.compile(rb"^content-transfer-encoding[ \t]*:[^\n]*", re.IGNORECASE | re.MULTILINE)


def _log_size(rng: random.Random, low: int, high: int) -> int:
    """A size spread evenly on a log scale: most are small, a few are huge."""
    high = max(high, low + 1)
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def _pos(rng: random.Random, raw: bytes) -> int:
    return rng.randint(0, len(raw))


def _body_pos(rng: random.Random, raw: bytes) -> int:
    head, sep, body = _split(raw)
    start = len(head) + len(sep)
    return rng.randint(start, len(raw))


PROSE = (
    "Hi Li Wei,\n\n请在下周三（3月18日）下午3点前把首页设计稿发给我们。"
    "Could you also send the updated sitemap by Friday 20 March 2026 5pm?\n\n"
    "On Mon, 9 Mar 2026 at 10:02, Chen Jing <chen.jing@studio.example> wrote:\n> 好的，收到。\n\n"
    "Best regards,\nChen Jing\n"
)

# Headers that keep the message a message when the body is replaced.
_CONTENT_HEADERS = (b"content-type", b"content-transfer-encoding", b"mime-version", b"content-disposition")


def _with_body(raw: bytes, ctype: bytes, body: bytes, cte: bytes | None = None) -> bytes:
    """The message with its own headers (minus Content-*) and a new single-part body."""
    head, _, _ = _split(raw)
    nl = _nl(raw)
    fields = [f for f in _fields(head) if _name(f) not in _CONTENT_HEADERS and f.strip()]
    fields += [b"MIME-Version: 1.0", b"Content-Type: " + ctype]
    if cte:
        fields.append(b"Content-Transfer-Encoding: " + cte)
    return _join(fields).replace(b"\r\n", b"\n").replace(b"\n", nl) + nl + nl + body


def _text_into(raw: bytes, rng: random.Random, text: bytes, desc: dict[str, Any]) -> bytes:
    """Put `text` (UTF-8 bytes) into the message, in one of several ways."""
    mode = rng.choice(["replace", "replace", "insert", "prose", "base64", "qp", "html", "append"])
    desc["placed"] = mode
    if mode == "insert":
        at = _body_pos(rng, raw)
        return raw[:at] + text + raw[at:]
    if mode == "append":
        return raw + text
    if mode == "prose":
        p = PROSE.encode()
        at = rng.randint(0, len(p))
        return _with_body(raw, b"text/plain; charset=utf-8", p[:at] + text + p[at:], b"8bit")
    if mode == "base64":
        return _with_body(raw, b"text/plain; charset=utf-8", base64.encodebytes(text), b"base64")
    if mode == "qp":
        return _with_body(raw, b"text/plain; charset=utf-8", quopri.encodestring(text), b"quoted-printable")
    if mode == "html":
        return _with_body(raw, b"text/html; charset=utf-8", b"<html><body><p>" + text + b"</p></body></html>", b"8bit")
    return _with_body(raw, b"text/plain; charset=utf-8", text, b"8bit")


# --- mutations: (rng, raw, limits, desc) -> raw; desc collects the parameters -------------------


def m_flip(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    if not raw:
        return raw
    n = rng.choice([1, 1, 2, 3, 8, 32, 256])
    d["count"] = n
    buf = bytearray(raw)
    for _ in range(n):
        i = rng.randrange(len(buf))
        buf[i] ^= rng.randint(1, 255)
    return bytes(buf)


def m_truncate(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    head, sep, _ = _split(raw)
    where = rng.choice(["anywhere", "anywhere", "in_head", "in_body"])
    if where == "in_head":
        at = rng.randint(0, len(head))
    elif where == "in_body":
        at = rng.randint(len(head) + len(sep), len(raw))
    else:
        at = _pos(rng, raw)
    d.update(where=where, at=at, of=len(raw))
    return raw[:at]


def m_splice(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Random bytes inserted, a range deleted, or a range repeated."""
    how = rng.choice(["insert", "delete", "repeat"])
    at = _pos(rng, raw)
    n = rng.choice([1, 4, 16, 64, 512])
    d.update(how=how, at=at, n=n)
    if how == "insert":
        return raw[:at] + rng.randbytes(n) + raw[at:]
    if how == "delete":
        return raw[:at] + raw[at + n :]
    times = rng.choice([2, 10, 100])
    d["times"] = times
    return raw[:at] + raw[at : at + n] * times + raw[at + n :]


_HEADER_NAMES = [b"From", b"Date", b"Message-ID", b"Content-Type", b"MIME-Version", b"Subject", b"To",
                 b"Content-Transfer-Encoding", b"Cc", b"Reply-To", b"In-Reply-To", b"References"]
_CONFLICTING = {
    b"from": [b"Other <other@elsewhere.example>", b"", b"<>", b"undisclosed-recipients:;", b"@@@", b"a@studio.example"],
    b"date": [b"Tue, 10 Mar 2026 09:00:00 +0800", b"yesterday", b"", b"Fri, 31 Dec 9999 23:59:59 -1200"],
    b"message-id": [b"<dup@x.example>", b"", b"no-brackets", b"<" + b"a" * 2000 + b"@x>"],
    b"content-type": [b'multipart/mixed; boundary="other-boundary"', b"text/html; charset=gb2312", b"text/plain",
                      b"message/rfc822", b"multipart/alternative", b"application/octet-stream", b"", b"/", b"text/"],
    b"mime-version": [b"1.0", b"2.0", b"", b"1.0 (garbage", b"\x00"],
    b"subject": [b"Re: Re: Re:", b"", b"=?utf-8?B?5Lit5paH?="],
    b"to": [b"a@b.example", b"", b"<", b";;;,,,"],
    b"content-transfer-encoding": [b"base64", b"quoted-printable", b"8bit", b"x-uuencode", b"binary", b"base64x"],
    b"cc": [b"c@d.example"],
    b"reply-to": [b"r@s.example"],
    b"in-reply-to": [b"<parent@x.example>"],
    b"references": [b"<a@x> <b@x>"],
}


def m_dup_header(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """A header said twice (or many times), the copy the same or conflicting."""
    head, sep, body = _split(raw)
    fields = _fields(head)
    name = rng.choice(_HEADER_NAMES)
    copies = rng.choice([1, 1, 2, 5, 100, 5000])
    same = [f for f in fields if _name(f) == name.lower()]
    if same and rng.random() < 0.5:
        extra = [rng.choice(same)] * copies
        kind = "same"
    else:
        value = rng.choice(_CONFLICTING[name.lower()])
        extra = [name + b": " + value] * copies
        kind = "conflicting"
    at = rng.randint(0, len(fields))
    d.update(header=name.decode(), copies=copies, kind=kind)
    fields[at:at] = extra
    return _join(fields) + (sep or b"\n\n") + body


def m_drop_header(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """A header (or the boundary parameter) missing, from the top or from every part."""
    name = rng.choice([b"From", b"Date", b"Message-ID", b"Content-Type", b"MIME-Version", b"boundary",
                       b"Content-Transfer-Encoding", b"Subject"])
    scope = rng.choice(["top", "everywhere"])
    d.update(header=name.decode(), scope=scope)
    if name == b"boundary":
        if scope == "top":
            return _BOUNDARY.sub(b"", raw, count=1)
        return _BOUNDARY.sub(b"", raw)
    if scope == "top":
        head, sep, body = _split(raw)
        fields = [f for f in _fields(head) if _name(f) != name.lower()]
        return _join(fields) + sep + body
    pattern = re.compile(rb"(?im)^" + re.escape(name) + rb"[ \t]*:[^\n]*\n(?:[ \t][^\n]*\n)*")
    return pattern.sub(b"", raw)


WRONG_CHARSETS = [
    "utf-16", "utf-16-le", "utf-32", "utf-7", "iso-2022-jp", "gb2312", "big5", "shift_jis", "koi8-r",
    "cp1252", "us-ascii", "x-unknown", "utf-8\x00", "", '"', "a" * 300, "base64", "rot13", "hex", "zlib",
    "bz2", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "undefined", "mbcs", "utf-8'en'",
    "utf_8_sig", "cp65001", "uu", "quopri", "charmap", "hz", "iso-2022-kr", "johab", "iso-8859-99",
    "unicode-1-1-utf-7", "ucs-2", "gb18030", "euc-jp", "utf-8*", "utf-8;", "y", "%", "*", "=?", "é",
    "utf-8\r\n", "latin1", "ebcdic-cp-us", "cp037", "utf-32-be", "iso-2022-jp-2", "mac-roman",
]


def m_charset(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Wrong charset labels: on parts, in encoded words, in an HTML meta tag."""
    label = rng.choice(WRONG_CHARSETS).encode("utf-8")
    where = rng.choice(["params", "params", "one_param", "encoded_words", "add"])
    d.update(label=label.decode("utf-8"), where=where)
    if where == "params" and _CHARSET_PARAM.search(raw):
        return _CHARSET_PARAM.sub(lambda _: b"charset=" + label, raw)
    if where == "one_param":
        found = list(_CHARSET_PARAM.finditer(raw))
        if found:
            m = rng.choice(found)
            return raw[: m.start()] + b"charset=" + label + raw[m.end() :]
    if where == "encoded_words" and _EW_CHARSET.search(raw):
        return _EW_CHARSET.sub(lambda m: b"=?" + label + b"?" + m.group(2) + b"?", raw)
    return b"Content-Type: text/plain; charset=" + label + _nl(raw) + raw


def m_boundary(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Broken or missing MIME boundaries."""
    how = rng.choice(["drop_param", "empty_param", "other_param", "rename_delimiters", "drop_close", "drop_first",
                      "drop_all_delimiters", "no_dashes", "stray_delimiter", "long", "spaces", "duplicate_param",
                      "prefix_of_lines", "close_first"])
    d["how"] = how
    found = _BOUNDARY.search(raw)
    nl = _nl(raw)
    if not found:  # single part: claim a multipart whose boundary is odd or absent
        value = {"long": b"b" * 5000, "empty_param": b"", "spaces": b"a b c"}.get(how, b"zz")
        d["claimed"] = True
        head, sep, body = _split(raw)
        fields = [f for f in _fields(head) if _name(f) != b"content-type"]
        fields.append(b'Content-Type: multipart/mixed; boundary="' + value + b'"')
        if how in ("stray_delimiter", "prefix_of_lines"):
            body = b"--" + value + nl + b"Content-Type: text/plain" + nl + nl + body
        return _join(fields) + (sep or nl + nl) + body
    value = found.group(1) if found.group(1) is not None else found.group(2)
    delim = b"--" + value
    head, tail = raw[: found.end()], raw[found.end() :]
    if how == "drop_param":
        return raw[: found.start()] + raw[found.end() :]
    if how == "empty_param":
        return raw[: found.start()] + b'boundary=""' + tail
    if how == "other_param":
        return raw[: found.start()] + b'boundary="not-' + value + b'"' + tail
    if how == "rename_delimiters":
        return head + tail.replace(delim, delim + b"X")
    if how == "drop_close":
        return head + tail.replace(delim + b"--", b"")
    if how == "drop_first":
        return head + tail.replace(delim, b"", 1)
    if how == "drop_all_delimiters":
        return head + tail.replace(delim, b"")
    if how == "no_dashes":
        return head + tail.replace(delim, value)
    if how == "stray_delimiter":
        at = rng.randint(len(head), len(raw))
        n = rng.choice([1, 10, 1000])
        d["n"] = n
        return raw[:at] + (nl + delim + nl) * n + raw[at:]
    if how == "long":
        new = value * (5000 // max(1, len(value)) + 1)
        return raw.replace(value, new)
    if how == "spaces":
        return raw.replace(value, value + b"   ")
    if how == "duplicate_param":
        return raw[: found.end()] + b'; boundary="second-' + value + b'"' + tail
    if how == "prefix_of_lines":  # a one-character boundary that every '--' line starts with
        return raw[: found.start()] + b'boundary="-"' + tail
    # close_first: the closing delimiter before any part
    return head + nl + delim + b"--" + nl + tail


def m_nest(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """The message wrapped in many levels of multipart or message/rfc822."""
    depth = _log_size(rng, 2, lim.max_depth)
    kind = rng.choice(["multipart", "multipart", "same_boundary", "unclosed", "rfc822", "alternative", "mixed_kinds"])
    d.update(depth=depth, kind=kind)
    nl = _nl(raw)
    head, sep, body = _split(raw)
    keep = [f for f in _fields(head) if _name(f) not in _CONTENT_HEADERS and f.strip()]
    inner = raw  # the whole original message becomes the innermost part (its headers as part headers)
    prefixes: list[bytes] = []
    suffixes: list[bytes] = []
    for level in range(depth):
        k = kind if kind != "mixed_kinds" else rng.choice(["multipart", "rfc822", "alternative"])
        if k == "rfc822":
            prefixes.append(b"Content-Type: message/rfc822" + nl + nl)
            suffixes.append(b"")
            continue
        b = b"b" if k == "same_boundary" else b"lvl%d" % level
        sub = b"multipart/alternative" if k == "alternative" else b"multipart/mixed"
        prefixes.append(b"Content-Type: " + sub + b'; boundary="' + b + b'"' + nl + nl + b"--" + b + nl)
        suffixes.append(b"" if k == "unclosed" else nl + b"--" + b + b"--" + nl)
    top = _join(keep).replace(b"\r\n", b"\n").replace(b"\n", nl) + nl + b"MIME-Version: 1.0" + nl
    return top + b"".join(prefixes) + inner + b"".join(reversed(suffixes))


def m_huge_header(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """One huge header line (or a field of thousands of folded lines)."""
    size = _log_size(rng, 1000, lim.max_header)
    kind = rng.choice(["subject_word", "subject_spaces", "subject_words", "subject_cjk_raw", "from_name", "to_list",
                       "references", "folded", "ct_params", "long_boundary", "date", "x_header_8bit", "received"])
    d.update(kind=kind, size=size)
    nl = _nl(raw)
    if kind == "subject_word":
        field = b"Subject: " + b"a" * size
    elif kind == "subject_spaces":
        field = b"Subject: x" + b" " * size + b"y"
    elif kind == "subject_words":
        field = b"Subject: " + b"=?utf-8?B?5Lit5paH?= " * (size // 20)
    elif kind == "subject_cjk_raw":
        field = b"Subject: " + ("中文标题" * (size // 12)).encode("utf-8")
    elif kind == "from_name":
        field = b'From: "' + b"N" * size + b'" <n@huajin.example>'
    elif kind == "to_list":
        field = b"To: " + b", ".join(b"u%d@x.example" % i for i in range(size // 16))
    elif kind == "references":
        field = b"References: " + b" ".join(b"<m%d@x.example>" % i for i in range(size // 16))
    elif kind == "folded":
        field = b"X-Folded: a" + (nl + b" b") * (size // 4)
    elif kind == "ct_params":
        field = b"Content-Type: text/plain; charset=utf-8" + b"; p=v" * (size // 5)
    elif kind == "long_boundary":
        field = b'Content-Type: multipart/mixed; boundary="' + b"B" * size + b'"'
    elif kind == "date":
        field = b"Date: Tue, 10 Mar 2026 09:00:00 +0800 " + b"(comment) " * (size // 10)
    elif kind == "x_header_8bit":
        field = b"X-Spam: " + bytes(rng.randrange(0x80, 0x100) for _ in range(min(size, 4096))) * max(1, size // 4096)
    else:
        field = b"Received: from a by b" + (b" via c" * (size // 6)) + b"; Tue, 10 Mar 2026 09:00:00 +0800"
    head, sep, body = _split(raw)
    fields = _fields(head)
    if kind in ("ct_params", "long_boundary", "date") or rng.random() < 0.5:
        name = _name(field)
        fields = [f for f in fields if _name(f) != name]
    fields.insert(rng.randint(0, len(fields)), field)
    return _join(fields) + (sep or nl + nl) + body


_CJK = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
        "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些"
        "然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
        "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见")


def _huge_text(rng: random.Random, size: int, d: dict[str, Any]) -> bytes:
    kind = rng.choice(["word_run", "digit_run", "cjk_run", "cjk_repeat", "short_lines", "long_line_words",
                       "spaces_run", "symbol_run", "quote_lines", "wrote_lines", "date_phrases", "zh_date_phrases",
                       "header_like_lines", "url", "addresses", "mixed_lines", "long_line_no_space"])
    d["kind"] = kind
    if kind == "word_run":
        return rng.choice([b"a", b"x", b"_", b"\xc3\xa9"]) * (size // 2 + 1)
    if kind == "digit_run":
        return b"1" * size
    if kind == "cjk_run":
        chars = _CJK
        return "".join(rng.choice(chars) for _ in range(min(size // 3, 4096))).encode() * max(1, size // 12288)
    if kind == "cjk_repeat":
        return ("请在下周三下午三点前把首页设计稿发给我们确认后安排上线" * (size // 78 + 1)).encode()
    if kind == "short_lines":
        line = rng.choice([b"ok\n", b"a\n", b"-\n", b"> \n", b"\n", b"1.\n", b"Hi\n", b"\xe5\xa5\xbd\n"])
        return line * (size // len(line) + 1)
    if kind == "long_line_words":
        return b"word " * (size // 5)
    if kind == "spaces_run":
        return b"x" + b" " * size + b"y\n"
    if kind == "symbol_run":
        return rng.choice([b"=", b">", b"-", b"*", b"~", b"_", b".", b"<", b"\xe3\x80\x82", b"!", b"/"]) * size
    if kind == "quote_lines":
        return b"> quoted text line\n" * (size // 19)
    if kind == "wrote_lines":
        return b"On Mon, 9 Mar 2026, Bob <b@x.example> wrote:\n" * (size // 46)
    if kind == "date_phrases":
        return b"by Friday 20 March 2026 5pm, " * (size // 29)
    if kind == "zh_date_phrases":
        return ("3月18日下午3点前" * (size // 22)).encode()
    if kind == "header_like_lines":
        return "From: a@b.example\nSent: Monday\n发件人：张三\n".encode() * (size // 40)
    if kind == "url":
        return b"https://x.example/" + b"a/" * (size // 2)
    if kind == "addresses":
        return b"a@b.example " * (size // 12)
    if kind == "mixed_lines":
        return "第一行 first line 3/18 3pm\n".encode() * (size // 30)
    return b"Hello" + b"," * size  # long_line_no_space


def m_huge_body(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """A huge body: long runs, CJK without punctuation, thousands of lines, very long lines."""
    size = _log_size(rng, 1000, lim.max_body)
    d["size"] = size
    text = _huge_text(rng, size, d)[: max(size, 1)]
    return _text_into(raw, rng, text, d)


def m_nul(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    n = rng.choice([1, 2, 5, 20])
    where = rng.choice(["anywhere", "body", "headers"])
    run = rng.choice([1, 1, 3, 100, 10000])
    d.update(inserts=n, run=run, where=where)
    head, sep, _ = _split(raw)
    for _ in range(n):
        if where == "body":
            at = _body_pos(rng, raw)
        elif where == "headers":
            at = rng.randint(0, len(head))
        else:
            at = _pos(rng, raw)
        raw = raw[:at] + b"\x00" * run + raw[at:]
    return raw


_BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
         "\u200f", "\u061c"]
_ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad", "\u034f"]


def m_unicode_controls(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Bidi and zero-width characters: in the body, the subject, the sender's name; a few or a run."""
    pool = rng.choice([_BIDI, _ZERO_WIDTH, _BIDI + _ZERO_WIDTH])
    run = rng.choice([1, 1, 5, 1000, 100000])
    where = rng.choice(["body", "body", "subject", "from_name", "between_chars"])
    d.update(run=run, where=where)
    chars = "".join(rng.choice(pool) for _ in range(min(run, 64)))
    chars = (chars * (run // len(chars) + 1))[:run]
    data = chars.encode("utf-8")
    if where == "between_chars":  # a control between every character of a short text
        text = PROSE[: rng.randint(20, len(PROSE))]
        return _text_into(raw, rng, chars[0].join(text).encode("utf-8"), d)
    if where == "body":
        return _text_into(raw, rng, data + PROSE.encode() + data, d)
    head, sep, body = _split(raw)
    fields = _fields(head)
    if where == "subject":
        fields = [f for f in fields if _name(f) != b"subject"] + [b"Subject: " + data + "发票 invoice".encode() + data]
    else:
        fields = [f for f in fields if _name(f) != b"from"] + [b'From: "' + data + b'Li Wei" <li.wei@huajin.example>']
    return _join(fields) + (sep or b"\n\n") + body


def m_encoding_garbage(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Random base64 or quoted-printable garbage as a part's body, or a false transfer-encoding label."""
    kind = rng.choice(["base64", "base64", "qp", "qp", "relabel"])
    size = _log_size(rng, 10, max(11, lim.max_body // 8))
    d.update(kind=kind, size=size)
    if kind == "relabel":
        label = rng.choice([b"base64", b"quoted-printable", b"7bit", b"8bit", b"binary", b"x-uuencode", b"base64x", b"",
                            b"quoted-printable; foo", b"BASE64 "])
        d["label"] = label.decode()
        if _CTE.search(raw):
            return _CTE.sub(lambda _: b"Content-Transfer-Encoding: " + label, raw)
        head, sep, body = _split(raw)
        return head + _nl(raw) + b"Content-Transfer-Encoding: " + label + (sep or b"\n\n") + body
    if kind == "base64":
        alphabet = rng.choice([b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
                               b"ABCD=\r\n!@#", b"=", b"A", b"AAA=\n", b"\x80\xff=", b"-_"])
        data = bytes(rng.choice(alphabet) for _ in range(min(size, 8192)))
        data = data * max(1, size // 8192)
        return _with_body(raw, rng.choice([b"text/plain; charset=utf-8", b"text/html", b"text/plain; charset=gb2312"]),
                          data, b"base64")
    pieces = [b"=ZZ", b"=\r\n", b"=\n", b"=", b"=00", b"=0D=0A", b"=E4=B8", b"abc", b" ", b"=3D", b"=\xff", b"_"]
    data = b"".join(rng.choice(pieces) for _ in range(min(size // 2 + 1, 8192))) * max(1, size // 16384)
    return _with_body(raw, rng.choice([b"text/plain; charset=utf-8", b"text/html; charset=utf-8"]), data,
                      b"quoted-printable")


_INJECT = ["Evil\r\nBcc: victim@x.example", "Name\nX-Injected: 1", "\r\n\r\nbody injection", "a\rb",
           '"quoted" <spoof@evil.example>', "Li Wei <li.wei@huajin.example>\r\n", "\x00", "中文\r\n名字",
           "a,b@c.example, d", "\r\n" * 100, "Chen Jing\r\n <chen.jing@studio.example>"]


def _encoded_word(rng: random.Random, text: str, d: dict[str, Any]) -> bytes:
    charset = rng.choice([b"utf-8", b"UTF-8", b"gb2312", b"x-unknown", b"utf-8*en", b"iso-8859-1", b"utf-16"])
    enc = rng.choice([b"B", b"Q", b"b", b"q"])
    data = text.encode("utf-8")
    if enc in (b"B", b"b"):
        payload = base64.b64encode(data)
    else:
        payload = b"".join(bytes([c]) if chr(c).isalnum() else b"=%02X" % c for c in data)
    d.setdefault("words", []).append(f"{charset.decode()}?{enc.decode()}")
    return b"=?" + charset + b"?" + enc + b"?" + payload + b"?="


def m_encoded_words(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Encoded words that decode to CR/LF (header injection), NUL or address syntax, in names and subjects."""
    target = rng.choice([b"From", b"From", b"To", b"Cc", b"Reply-To", b"Subject", b"filename"])
    text = rng.choice(_INJECT)
    form = rng.choice(["whole", "split", "many", "malformed"])
    d.update(target=target.decode(), text=text, form=form)
    if form == "whole":
        word = _encoded_word(rng, text, d)
    elif form == "split":
        half = len(text) // 2
        word = _encoded_word(rng, text[:half], d) + b" " + _encoded_word(rng, text[half:], d)
    elif form == "many":
        n = rng.choice([10, 1000, 20000])
        d["n"] = n
        word = b" ".join([_encoded_word(rng, text, d)] * n)
        d["words"] = d["words"][:1]
    else:
        word = rng.choice([b"=?utf-8?B?@@@@?=", b"=?utf-8?Q?=ZZ=0?=", b"=?utf-8?B?", b"=??B?AAAA?=", b"=?utf-8?X?abc?=",
                           b"=?utf-8?B?" + base64.b64encode(text.encode()) + b"=?utf-8?Q?a?="])
    head, sep, body = _split(raw)
    fields = _fields(head)
    if target == b"filename":
        part = (b"Content-Type: application/pdf; name=\"" + word + b"\"\nContent-Disposition: attachment; "
                b"filename*=utf-8''a%0D%0Ab%00.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n")
        return _with_body(raw, b'multipart/mixed; boundary="fz"', b"--fz\nContent-Type: text/plain\n\nhi\n--fz\n" + part
                          + b"--fz--\n")
    if target == b"Subject":
        value = word + b" tail"
    else:
        value = word + b" <" + rng.choice([b"li.wei@huajin.example", b"x@studio.example", b"", b"a@b"]) + b">"
    fields = [f for f in fields if _name(f) != target.lower()]
    fields.insert(rng.randint(0, len(fields)), target + b": " + value)
    return _join(fields) + (sep or b"\n\n") + body


def newline_variant(raw: bytes, how: str) -> bytes:
    """`raw` with its line ends rewritten one way (tests/test_mime_fuzz.py uses it too)."""
    if how == "crlf_to_lf":
        return raw.replace(b"\r\n", b"\n")
    if how == "lf_to_crlf":
        return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if how == "lf_to_cr":
        return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if how == "drop_cr":
        return raw.replace(b"\r", b"")
    if how == "drop_lf":
        return raw.replace(b"\n", b"")
    return raw.replace(b"\n", b"\n\n")  # double


def m_newlines(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    how = rng.choice(["crlf_to_lf", "lf_to_crlf", "lf_to_cr", "drop_cr", "drop_lf", "double", "mixed", "cr_at"])
    d["how"] = how
    if how not in ("mixed", "cr_at"):
        return newline_variant(raw, how)
    if how == "mixed":
        lines = raw.replace(b"\r\n", b"\n").split(b"\n")
        return b"".join(line + rng.choice([b"\n", b"\r\n", b"\r", b"\n\r"]) for line in lines)
    at = _pos(rng, raw)
    return raw[:at] + rng.choice([b"\r", b"\n", b"\r\n", b"\n\n", b"\r\r"]) + raw[at:]


EXTREME_DATES = [
    b"Fri, 31 Dec 9999 23:59:59 -1200", b"Fri, 31 Dec 9999 20:00:00 +0000", b"Mon, 1 Jan 0001 00:00:00 +1400",
    b"Sat, 1 Jan 1 00:00:00 +0000", b"Thu, 1 Jan 1970 00:00:00 +9999", b"Thu, 1 Jan 1970 00:00:00 -9999",
    b"31 Feb 2026 10:00 +0800", b"Mon, 32 Jan 2026 25:61:61 +0800", b"", b"0", b"99999999999999999999",
    b"Tue, 3 Mar 2026 09:00:00 GMT+8", b"2026-03-03T09:00:00Z", b"Mon, 1 Jan 10000 00:00:00 +0000",
    b"Tue, 10 Mar 2026 09:00:00 +0800 (CST)", b"Tue, 10 Mar 2026 09:00:00", b"Tue, 10 Mar 2026 09:00:00 -0000",
    b"Tue, 10 Mar 99 09:00:00 +0800", b"Tue, 10 Mar -5 09:00:00 +0800", b"Tue, 10 Mar 2026 24:00:00 +0800",
]
EXTREME_PHRASES = [
    "9999999999年1月1日前", "in 99999999999 days", "by 31/02/2026", "2026-02-30 10:00", "25:61", "第10000000周",
    "下" * 1000 + "周五", "99999 years later", "Q9 2026", "12/13/99999", "周八", "明天后天大后天" * 50, "3000 PM",
    "at 9am GMT+99", "at 9am UTC-2500", "next " * 500 + "Friday", "in 10**100 weeks", "9999年12月31日23点59分",
    "0年0月0日", "within 1e308 hours", "by day 4294967296", "3月18日" + "至3月19日" * 200, "12.31.9999 23:59",
    "下午25点", "in -5 days", "−3 hours from now", "T+99999", "0点0分0秒", "99:99", "by 2026-03-18T25:00:00+99:00",
    "星期" + "一二三四五六日" * 100, "before the 0th", "1/1/0001", "31.12.9999 at 23:59", "next week " * 300,
]


def m_dates(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Extreme and impossible dates: in the Date header, and as phrases in the body."""
    where = rng.choice(["header", "body", "both"])
    d["where"] = where
    if where in ("header", "both"):
        value = rng.choice(EXTREME_DATES)
        d["date"] = value.decode()
        head, sep, body = _split(raw)
        fields = [f for f in _fields(head) if _name(f) != b"date"]
        fields.insert(rng.randint(0, len(fields)), b"Date: " + value)
        raw = _join(fields) + (sep or b"\n\n") + body
    if where in ("body", "both"):
        phrases = [rng.choice(EXTREME_PHRASES) for _ in range(rng.randint(1, 4))]
        d["phrases"] = [p if len(p) < 60 else p[:40] + f"...({len(p)} chars)" for p in phrases]
        text = "Please send it " + ", ".join(phrases) + ". 请在" + phrases[0] + "之前回复。\n"
        raw = _text_into(raw, rng, text.encode("utf-8"), d)
    return raw


def m_html(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """A hostile HTML-only body: deep nesting, unclosed comments or scripts, entities, huge attributes."""
    n = _log_size(rng, 10, max(11, lim.max_body // 16))
    kind = rng.choice(["blockquotes", "divs", "unclosed_comment", "unclosed_script", "entities", "huge_attr", "table",
                       "pre", "cdata", "broken_tags"])
    d.update(kind=kind, n=n)
    if kind == "blockquotes":
        html = b"<blockquote>" * n + b"quoted" + b"</blockquote>" * n
    elif kind == "divs":
        html = b"<div>" * n + b"x" + b"</div>" * (n // 2)
    elif kind == "unclosed_comment":
        html = b"<p>hi</p><!--" + b"a" * n
    elif kind == "unclosed_script":
        html = b"<p>hi</p><script>" + b"x<" * n
    elif kind == "entities":
        html = b"<p>" + b"&#x1F600;&nbsp;&#0;&#x110000;&bogus;&" * n + b"</p>"
    elif kind == "huge_attr":
        html = b'<p title="' + b"a" * (n * 10) + b'">x</p><img alt="' + b"\xe4\xb8\xad" * n + b'">'
    elif kind == "table":
        html = b"<table>" + b"<tr>" + b"<td>c</td>" * n + b"</tr></table>"
    elif kind == "pre":
        html = b"<pre>" + b"line\n" * n + b"</pre>"
    elif kind == "cdata":
        html = b"<![CDATA[" + b"x" * n
    else:
        html = b"<p" * n + b">" + b"</" * n
    return _with_body(raw, b"text/html; charset=utf-8", html, b"8bit")


def m_preamble(rng: random.Random, raw: bytes, lim: Limits, d: dict[str, Any]) -> bytes:
    """Something before the headers: an mbox From line, a BOM, blank lines, a forward banner."""
    prefix = rng.choice([b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n", b"\xef\xbb\xbf", b"\n\n\n", b"   ",
                         b"---- Original ----\n", b">From a@b\n", b"From \n", b"\x00\n", b"From" + b" " * 5000 + b"\n"])
    d["prefix"] = prefix[:60].decode("latin-1")
    return prefix + raw


MUTATIONS: dict[str, tuple[Callable[[random.Random, bytes, Limits, dict[str, Any]], bytes], float]] = {
    "flip": (m_flip, 10),
    "truncate": (m_truncate, 8),
    "splice": (m_splice, 6),
    "dup_header": (m_dup_header, 8),
    "drop_header": (m_drop_header, 8),
    "charset": (m_charset, 8),
    "boundary": (m_boundary, 8),
    "nest": (m_nest, 4),
    "huge_header": (m_huge_header, 4),
    "huge_body": (m_huge_body, 5),
    "nul": (m_nul, 5),
    "unicode_controls": (m_unicode_controls, 5),
    "encoding_garbage": (m_encoding_garbage, 6),
    "encoded_words": (m_encoded_words, 6),
    "newlines": (m_newlines, 5),
    "dates": (m_dates, 6),
    "html": (m_html, 4),
    "preamble": (m_preamble, 2),
}


@dataclasses.dataclass
class Mutant:
    seed: str
    index: int
    base: str  # label of the base file
    base_sha256: str
    mutations: list[dict[str, Any]]
    raw: bytes

    @property
    def name(self) -> str:
        return f"{self.index:06d}"

    def describe(self) -> str:
        return " + ".join(_short(m) for m in self.mutations)


def _short(m: dict[str, Any]) -> str:
    args = ", ".join(f"{k}={v!r}" if not isinstance(v, str) or len(v) < 40 else f"{k}={v[:37]!r}..."
                     for k, v in m.items() if k != "op")
    return f"{m['op']}({args})"


def make_mutant(seed: str, index: int, files: list[Path], limits: Limits = Limits(),
                cache: dict[Path, bytes] | None = None) -> Mutant:
    """Mutant number `index` of run `seed`: deterministic for the same file list."""
    rng = random.Random(f"{seed}/{index}")
    path = files[rng.randrange(len(files))]
    if cache is not None and path in cache:
        raw = cache[path]
    else:
        raw = path.read_bytes()
        if cache is not None:
            cache[path] = raw
    sha = hashlib.sha256(raw).hexdigest()
    names = list(MUTATIONS)
    weights = [MUTATIONS[n][1] for n in names]
    count = min(limits.max_mutations, rng.choice([1, 1, 1, 2, 2, 3, 4]))
    done: list[dict[str, Any]] = []
    for name in rng.choices(names, weights, k=count):
        desc: dict[str, Any] = {"op": name}
        raw = MUTATIONS[name][0](rng, raw, limits, desc)
        done.append(desc)
    return Mutant(seed, index, _label(path), sha, done, raw)


# --- running one mutant in a child --------------------------------------------------------------

_CONTEXT: Any = None


def warm_up() -> None:
    """Import the pipeline and build its zh and en parts once, so that forked children share them."""
    global _CONTEXT
    from parsing.pipeline import Context, extract

    _CONTEXT = Context(**CONTEXT_KW)
    for sample in sorted((ROOT / "mailbot" / "sample").glob("*.eml"))[:6]:
        try:
            extract(sample.read_bytes(), _CONTEXT)
        except Exception:  # noqa: BLE001 - warming up only
            pass
    zh = "From: a@huajin.example\nDate: Tue, 10 Mar 2026 09:00:00 +0800\nSubject: x\n\n请在3月18日前发给我们。\n"
    en = "From: a@huajin.example\nDate: Tue, 10 Mar 2026 09:00:00 +0800\nSubject: x\n\nPlease send it by Friday 5pm.\n"
    mixed = zh + "Please send the sitemap by Friday. 谢谢！请尽快回复我们好吗各位同事朋友们大家好\n"
    for text in (zh, en, mixed):
        extract(text.encode(), _CONTEXT)


def _frame(entry: traceback.FrameSummary | tuple[str, int, str]) -> str:
    filename, lineno, name = (entry.filename, entry.lineno, entry.name) if isinstance(
        entry, traceback.FrameSummary) else entry
    return f"{_short_path(filename)}:{lineno} in {name}"


def _short_path(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    try:
        return str(Path(filename).resolve().relative_to(ROOT))
    except ValueError:
        pass
    if "/lib/python" in filename:
        return "stdlib/" + filename.split("/lib/python", 1)[1].split("/", 1)[-1]
    return filename


def _is_project(filename: str) -> bool:
    return any(f"/{p}/" in filename for p in ("parsing", "mailbot", "scheduling")) and "site-packages" not in filename


def _child(raw: bytes, limit: float, trace_fd: int, result_fd: int, memory_mb: int) -> None:
    """In the forked child: run extract once, write a JSON outcome, exit without cleanup."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)  # parsing logs warnings for damaged mail; keep the report readable
        if memory_mb:
            soft = _vm_size() + memory_mb * (1 << 20)
            resource.setrlimit(resource.RLIMIT_AS, (soft, soft))
        trace = os.fdopen(trace_fd, "w", closefd=False)
        faulthandler.enable(file=trace)
        faulthandler.dump_traceback_later(limit, exit=True, file=trace)
        out = _run_one(raw)
        faulthandler.cancel_dump_traceback_later()
        os.write(result_fd, json.dumps(out).encode())
    except BaseException:  # noqa: BLE001 - never let the child return into the parent's code
        try:
            os.write(result_fd, json.dumps({"status": "harness_error", "traceback": traceback.format_exc()}).encode())
        except BaseException:  # noqa: BLE001
            pass
    finally:
        os._exit(0)


def _run_one(raw: bytes) -> dict[str, Any]:
    from parsing.errors import ParseError
    from parsing.pipeline import extract

    start = time.perf_counter()
    try:
        extract(raw, _CONTEXT)
        status, info = "ok", {}
    except ParseError as exc:
        status, info = "parse_error", {"message": str(exc)[:300]}
    except BaseException as exc:  # noqa: BLE001 - everything else is what we are looking for
        tb = traceback.extract_tb(exc.__traceback__)
        project = [f for f in tb if _is_project(f.filename)]
        status = "crash"
        info = {
            "exc_type": type(exc).__name__,
            "message": str(exc)[:500],
            "frame": _frame(tb[-1]) if tb else "?",
            "project_frame": _frame(project[-1]) if project else "?",
            "traceback": "".join(traceback.format_exception(exc))[-6000:],
        }
    return {"status": status, "elapsed": time.perf_counter() - start, **info}


def _proc_status(field: str) -> int | None:
    """A size field of /proc/self/status ("VmSize", "VmRSS") in bytes; None off Linux."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _vm_size() -> int:
    return _proc_status("VmSize") or 0


def rss_now() -> int:
    """This process's current RSS in bytes (Linux), else its peak."""
    return _proc_status("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_STACK_LINE = re.compile(r'^\s*File "([^"]+)", line (\d+) in (\S+)', re.MULTILINE)


def _hang_info(dump: str) -> dict[str, Any]:
    """Innermost frame (and innermost project frame) of a faulthandler dump, most recent call first."""
    first_thread = dump.split("\n\n", 1)[0] if dump else ""
    frames = [(f, int(n), fn) for f, n, fn in _STACK_LINE.findall(first_thread)]
    project = [f for f in frames if _is_project(f[0])]
    return {
        "exc_type": "Hang",
        "frame": _frame(frames[0]) if frames else "? (no stack dumped)",
        "project_frame": _frame(project[0]) if project else "?",
        "traceback": dump[-6000:],
    }


@dataclasses.dataclass
class _Job:
    key: Any
    raw: bytes
    pid: int
    result_fd: int
    trace_path: str
    started: float
    deadline: float
    baseline: int
    data: bytes = b""
    eof: bool = False


class Runner:
    """Runs raw messages in forked children, `jobs` at a time, each with a time limit."""

    def __init__(self, limit: float, jobs: int = 1, memory_mb: int = 4096, grace: float = 1.0):
        self.limit, self.jobs, self.memory_mb, self.grace = limit, max(1, jobs), memory_mb, grace
        self.tmp = tempfile.TemporaryDirectory(prefix="mailbot-fuzz-")

    def close(self) -> None:
        self.tmp.cleanup()

    def run(self, items: Any, on_result: Callable[[Any, bytes, dict[str, Any]], None]) -> None:
        """items: iterable of (key, raw). Calls on_result(key, raw, outcome) as each one ends."""
        sel = selectors.DefaultSelector()
        running: dict[int, _Job] = {}
        it = iter(items)
        exhausted = False
        slot = 0
        try:
            while running or not exhausted:
                while not exhausted and len(running) < self.jobs:
                    try:
                        key, raw = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    slot += 1
                    job = self._start(key, raw, slot)
                    running[job.result_fd] = job
                    sel.register(job.result_fd, selectors.EVENT_READ, job)
                if not running:
                    break
                now = time.monotonic()
                timeout = max(0.0, min(j.deadline for j in running.values()) - now)
                for sk, _ in sel.select(timeout):
                    job = sk.data
                    chunk = os.read(job.result_fd, 1 << 16)
                    if chunk:
                        job.data += chunk
                    else:
                        job.eof = True
                now = time.monotonic()
                for fd, job in list(running.items()):
                    if job.eof or now >= job.deadline:
                        sel.unregister(fd)
                        del running[fd]
                        on_result(job.key, job.raw, self._finish(job, killed=not job.eof))
        finally:
            for job in running.values():
                self._kill(job.pid)
            sel.close()

    def _start(self, key: Any, raw: bytes, slot: int) -> _Job:
        trace_path = os.path.join(self.tmp.name, f"stack-{slot % 64}.txt")
        trace_fd = os.open(trace_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        rfd, wfd = os.pipe()
        baseline = rss_now()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
            pid = os.fork()
        if pid == 0:
            os.close(rfd)
            _child(raw, self.limit, trace_fd, wfd, self.memory_mb)
        os.close(wfd)
        os.close(trace_fd)
        started = time.monotonic()
        return _Job(key, raw, pid, rfd, trace_path, started, started + self.limit + self.grace, baseline)

    @staticmethod
    def _kill(pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.wait4(pid, 0)
        except ChildProcessError:
            pass

    def _finish(self, job: _Job, killed: bool) -> dict[str, Any]:
        if killed:
            try:
                os.kill(job.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status, usage = os.wait4(job.pid, 0)
        os.close(job.result_fd)
        wall = time.monotonic() - job.started
        try:
            dump = Path(job.trace_path).read_text(errors="replace")
        except OSError:
            dump = ""
        out: dict[str, Any]
        if job.data:
            try:
                out = json.loads(job.data)
            except ValueError:
                out = {"status": "harness_error", "traceback": job.data[-2000:].decode(errors="replace")}
        elif dump.strip() and (killed or os.WIFEXITED(status)) and "Fatal Python error" not in dump:
            out = {"status": "hang", "elapsed": wall, **_hang_info(dump)}  # faulthandler fired at the limit
        elif killed:
            out = {"status": "hang", "elapsed": wall, **_hang_info(dump)}
        elif os.WIFSIGNALED(status):
            sig = signal.Signals(os.WTERMSIG(status)).name
            info = _hang_info(dump)
            out = {"status": "crash", "elapsed": wall, **info, "exc_type": f"Killed by {sig}",
                   "message": dump[:300]}
        else:
            out = {"status": "harness_error", "elapsed": wall, "traceback": f"no result, exit status {status}\n{dump}"}
        if out.get("status") == "ok" and out.get("elapsed", 0.0) > self.limit:
            out = {**out, "status": "hang", "exc_type": "Hang", "frame": "? (finished over the limit)",
                   "project_frame": "?", "traceback": ""}
        out["maxrss"] = usage.ru_maxrss * 1024
        out["baseline_rss"] = job.baseline
        out["wall"] = wall
        return out


def signature(outcome: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, exception type, innermost frame): what makes two failures the same.

    A hang's stack is a sample taken at the limit, and a slow loop is caught on any of its
    lines, so hangs are told apart by the innermost function of the project (file and name;
    the line too for comprehensions), or the innermost function at all when no project frame
    is on the stack (the stdlib's MIME parser)."""
    if outcome["status"] == "hang":
        frame = outcome.get("project_frame", "?")
        if frame == "?":
            frame = outcome.get("frame", "?")
        path, _, rest = frame.partition(":")
        line, _, func = rest.partition(" in ")
        return "hang", "Hang", f"{path}:{line} in {func}" if func.startswith("<") else f"{path} in {func}"
    return outcome["status"], outcome.get("exc_type", "?"), outcome.get("frame", "?")


# --- the fuzz run ---------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60]


class Saver:
    """Keeps the `keep` smallest reproducers per signature in `out`."""

    def __init__(self, out: Path, keep: int):
        self.out, self.keep = out, keep
        self.saved: dict[tuple[str, str, str], list[tuple[int, Path]]] = {}
        out.mkdir(parents=True, exist_ok=True)

    def add(self, mutant: Mutant, outcome: dict[str, Any], limits: Limits) -> Path | None:
        sig = signature(outcome)
        kept = self.saved.setdefault(sig, [])
        size = len(mutant.raw)
        if len(kept) >= self.keep:
            largest = max(kept)
            if size >= largest[0]:
                return None
            kept.remove(largest)
            for suffix in (".eml", ".json"):
                largest[1].with_suffix(suffix).unlink(missing_ok=True)
        digest = hashlib.sha1("|".join(sig).encode()).hexdigest()[:8]
        stem = f"{sig[0]}-{_slug(sig[1])}-{digest}-{mutant.seed}-{mutant.name}"
        path = self.out / f"{stem}.eml"
        path.write_bytes(mutant.raw)
        meta = {
            "replay": f"python bench/fuzz.py --replay {path}",
            "seed": mutant.seed,
            "index": mutant.index,
            "base": mutant.base,
            "base_sha256": mutant.base_sha256,
            "limits": dataclasses.asdict(limits),
            "mutations": mutant.mutations,
            "size": size,
            "sha256": hashlib.sha256(mutant.raw).hexdigest(),
            "outcome": {k: v for k, v in outcome.items()},
            "signature": list(sig),
        }
        path.with_suffix(".json").write_text(json.dumps(meta, indent=1, ensure_ascii=False, default=str))
        kept.append((size, path))
        return path


def fuzz(args: argparse.Namespace) -> int:
    t0 = time.monotonic()
    files = corpus_files(Path(args.corpora))
    if not files:
        print("no seed messages found", file=sys.stderr)
        return 2
    limits = Limits()
    seed = str(args.seed)
    print(f"seed messages: {len(files)} ({'with' if Path(args.corpora).is_dir() else 'without'} {args.corpora})")
    print(f"seed={seed} count={args.count} limit={args.seconds_per_message}s jobs={args.jobs} out={args.out}", flush=True)
    warm_up()
    baseline = rss_now()
    print(f"warmed up in {time.monotonic() - t0:.1f} s; parent RSS {baseline / 2**20:.0f} MiB", flush=True)
    cache: dict[Path, bytes] = {}
    saver = Saver(Path(args.out), args.keep)
    statuses: Counter[str] = Counter()
    failures: dict[tuple[str, str, str], dict[str, Any]] = {}
    op_counts: Counter[str] = Counter()
    slowest: list[tuple[float, str, str]] = []
    peak = {"rss": 0, "growth": 0, "rss_at": "", "growth_at": ""}
    sizes = {"total": 0, "max": 0}
    done = [0]

    def items() -> Any:
        for i in range(args.start, args.start + args.count):
            m = make_mutant(seed, i, files, limits, cache)
            yield m, m.raw

    def on_result(m: Mutant, raw: bytes, out: dict[str, Any]) -> None:
        done[0] += 1
        status = out["status"]
        statuses[status] += 1
        sizes["total"] += len(raw)
        sizes["max"] = max(sizes["max"], len(raw))
        for op in m.mutations:
            op_counts[op["op"]] += 1
        if out["maxrss"] > peak["rss"]:
            peak["rss"], peak["rss_at"] = out["maxrss"], m.name
        growth = out["maxrss"] - out["baseline_rss"]
        if growth > peak["growth"]:
            peak["growth"], peak["growth_at"] = growth, f"{m.name} ({len(raw)} bytes: {m.describe()[:120]})"
        if status in ("ok", "parse_error"):
            slowest.append((out.get("elapsed", 0.0), m.name, f"{len(raw)} bytes: {m.describe()[:140]}"))
            slowest.sort(reverse=True)
            del slowest[5:]
        if status in ("crash", "hang", "harness_error"):
            sig = signature(out)
            entry = failures.setdefault(sig, {"count": 0, "project_frame": out.get("project_frame", "?"),
                                              "message": out.get("message", ""), "examples": [], "ops": Counter()})
            entry["count"] += 1
            entry["ops"].update({op["op"] for op in m.mutations})
            path = saver.add(m, out, limits)
            if path:
                entry["examples"].append(str(path))
            entry["examples"] = [p for p in entry["examples"] if Path(p).exists()]
            entry.setdefault("first", f"{m.name}: {m.describe()[:200]} ({len(raw)} bytes)")
        if args.progress and done[0] % args.progress == 0:
            print(f"  {done[0]}/{args.count}  {dict(statuses)}  {time.monotonic() - t0:.0f} s", flush=True)

    runner = Runner(args.seconds_per_message, args.jobs, args.memory_limit_mb)
    try:
        runner.run(items(), on_result)
    finally:
        runner.close()
    total = time.monotonic() - t0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)

    crashes = {s: e for s, e in failures.items() if s[0] == "crash"}
    hangs = {s: e for s, e in failures.items() if s[0] == "hang"}
    other = {s: e for s, e in failures.items() if s[0] not in ("crash", "hang")}
    print()
    print(f"messages run:        {done[0]}  (ok {statuses['ok']}, ParseError {statuses['parse_error']}, "
          f"crash {statuses['crash']}, hang {statuses['hang']}, harness error {statuses['harness_error']})")
    print(f"mutant bytes:        {sizes['total'] / 2**20:.1f} MiB in all, largest {sizes['max'] / 2**20:.2f} MiB")
    print(f"tracebacks:          {statuses['crash']}, distinct (type, innermost frame): {len(crashes)}")
    for (_, typ, frame), e in sorted(crashes.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {e['count']:6d}  {typ} at {frame}")
        print(f"          project frame: {e['project_frame']}")
        print(f"          message: {e['message'][:160]!r}")
        print(f"          first: {e['first']}")
        for p in e["examples"]:
            print(f"          saved: {p}")
    print(f"hangs over {args.seconds_per_message:g} s:    {statuses['hang']}, distinct innermost frames: {len(hangs)}")
    for (_, _typ, frame), e in sorted(hangs.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {e['count']:6d}  at {frame}")
        print(f"          project frame: {e['project_frame']}")
        print(f"          mutations involved: {dict(e['ops'].most_common(4))}")
        print(f"          first: {e['first']}")
        for p in e["examples"]:
            print(f"          saved: {p}")
    for (_, typ, frame), e in other.items():
        print(f"  harness error x{e['count']}: {typ} {frame} {e['examples']}")
    print("slowest that finished:")
    for elapsed, name, what in slowest:
        print(f"  {elapsed:6.2f} s  {name}  {what}")
    print(f"peak RSS (children): {peak['rss'] / 2**20:.0f} MiB (mutant {peak['rss_at']}); getrusage(RUSAGE_CHILDREN) "
          f"ru_maxrss {children.ru_maxrss / 1024:.0f} MiB; parent baseline {baseline / 2**20:.0f} MiB")
    print(f"peak RSS growth:     {peak['growth'] / 2**20:.0f} MiB over the fork baseline, mutant {peak['growth_at']}")
    print(f"total time:          {total:.1f} s ({done[0] / total:.1f} messages/s)")
    summary = {
        "seed": seed, "count": done[0], "limit": args.seconds_per_message, "statuses": dict(statuses),
        "total_seconds": total, "peak_rss": peak, "children_ru_maxrss_kib": children.ru_maxrss,
        "failures": [{"signature": list(s), **{k: (dict(v) if isinstance(v, Counter) else v) for k, v in e.items()}}
                     for s, e in failures.items()],
        "mutation_counts": dict(op_counts),
    }
    Path(args.out, f"summary-{seed}.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return 1 if crashes or hangs else 0


# --- replay ----------------------------------------------------------------------------------------


def load_reproducer(path: Path) -> tuple[bytes, dict[str, Any]]:
    """The mutant's bytes and its metadata, from NAME.eml or NAME.json (rebuilt from seed if the .eml is gone)."""
    meta_path, eml_path = path.with_suffix(".json"), path.with_suffix(".eml")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if eml_path.exists():
        return eml_path.read_bytes(), meta
    if path.suffix == ".json" and meta:
        files = corpus_files()
        m = make_mutant(meta["seed"], meta["index"], files, Limits(**meta.get("limits", {})))
        if hashlib.sha256(m.raw).hexdigest() != meta.get("sha256"):
            print(f"warning: rebuilt mutant differs from the saved one (base {m.base} vs {meta['base']})")
        return m.raw, meta
    return path.read_bytes(), meta


def replay(args: argparse.Namespace) -> int:
    bad = 0
    if not args.in_process:
        warm_up()
    for name in args.replay:
        raw, meta = load_reproducer(Path(name))
        print(f"== {name}: {len(raw)} bytes")
        if meta:
            print(f"   seed {meta['seed']} index {meta['index']}, base {meta['base']}")
            for m in meta.get("mutations", []):
                print(f"   - {_short(m)[:200]}")
        if args.in_process:
            from parsing.errors import ParseError
            from parsing.pipeline import Context, extract

            start = time.perf_counter()
            try:
                extract(raw, Context(**CONTEXT_KW))
                print(f"   ok in {time.perf_counter() - start:.3f} s")
            except ParseError as exc:
                print(f"   ParseError in {time.perf_counter() - start:.3f} s: {exc}")
            continue
        runner = Runner(args.seconds_per_message, 1, args.memory_limit_mb)
        results: list[dict[str, Any]] = []
        try:
            runner.run([(name, raw)], lambda k, r, out, results=results: results.append(out))
        finally:
            runner.close()
        out = results[0]
        status = out["status"]
        print(f"   {status} after {out.get('elapsed', out.get('wall', 0.0)):.3f} s; child max RSS "
              f"{out['maxrss'] / 2**20:.0f} MiB")
        if status in ("crash", "hang", "harness_error"):
            bad += 1
            print(f"   {out.get('exc_type')}: {out.get('message', '')[:300]}")
            print(f"   innermost frame: {out.get('frame')}; project frame: {out.get('project_frame')}")
            print("   " + out.get("traceback", "").strip().replace("\n", "\n   "))
        elif status == "parse_error":
            print(f"   ParseError: {out.get('message')}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000, help="mutants to run (default 10000)")
    parser.add_argument("--start", type=int, default=0, help="index of the first mutant (default 0)")
    parser.add_argument("--seed", default="0", help="run seed (default 0); mutant i uses 'SEED/i'")
    parser.add_argument("--seconds-per-message", type=float, default=2.0, help="hang limit per mutant (default 2.0)")
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "mailbot-fuzz"),
                        help="directory for reproducers and summary-SEED.json")
    parser.add_argument("--keep", type=int, default=3, help="reproducers kept per distinct failure (smallest)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="children at a time (default: CPUs)")
    parser.add_argument("--memory-limit-mb", type=int, default=4096,
                        help="address space a child may add over the parent (RLIMIT_AS; 0: none)")
    parser.add_argument("--corpora", default=str(CORPORA), help="the shared corpora (default ../shared/corpora)")
    parser.add_argument("--progress", type=int, default=500, help="print a progress line every N mutants (0: never)")
    parser.add_argument("--replay", nargs="+", metavar="FILE", help="run saved reproducers (.eml or .json) instead")
    parser.add_argument("--in-process", action="store_true", help="with --replay: run in this process, no time limit")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args)
    return fuzz(args)


if __name__ == "__main__":
    sys.exit(main())
