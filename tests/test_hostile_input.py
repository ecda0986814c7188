"""Messages shaped to make a reader slow or crash it are read in bounded time, and what was not
read is said in the extraction's notes.

The shapes are the attacks that once took minutes or hours: a long run of word characters (the
address pattern backtracked), tens of thousands of short lines (the quote stripper copied the
rest of the text for each), deep MIME nesting, a huge Content-Type, a huge body, a long Chinese
body with no punctuation, and a body over spaCy's million characters (which crashed). The bound
is loose (a real mail reads in milliseconds; these are 100 KB to 2 MB of hostile text) so that a
loaded machine does not fail it, and tight enough that the quadratic versions would.
"""

from __future__ import annotations

import time

import pytest

from parsing.pipeline import MAIL_TEXT_LIMIT, TEXT_LIMIT, Context, extract

CONTEXT = Context(team_domains=("studio.example",), timezone="Asia/Shanghai")
HEAD = (b"From: Li Wei <li.wei@huajin.example>\r\nTo: project@studio.example\r\nSubject: hostile\r\n"
        b"Message-ID: <h1@huajin.example>\r\nDate: Thu, 05 Mar 2026 09:00:00 +0800\r\n")
PLAIN = b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
BOUND = 3.0  # seconds: each of these took 15 s to hours before the bounds


def _nested(depth: int) -> bytes:
    parts = [HEAD + b"MIME-Version: 1.0\r\n"]
    for level in range(depth):
        parts.append(f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode())
    parts.append(PLAIN + "请确认首页设计。\r\n".encode())
    for level in reversed(range(depth)):
        parts.append(f"\r\n--b{level}--\r\n".encode())
    return b"".join(parts)


SHAPES = {
    "word run": HEAD + PLAIN + b"Please confirm " + b"a" * 400_000 + b"@x\r\n",
    "short lines": HEAD + PLAIN + b"a\r\n" * 200_000,
    "deep nesting": _nested(3_000),
    "huge content-type": HEAD + b"Content-Type: text/plain; " + b"x=" + b"a" * 1_000_000 + b"\r\n\r\nhello\r\n",
    "huge body": HEAD + PLAIN + b"Please send the logo files by Friday. " * 30_000,
    "chinese run": HEAD + PLAIN + "请在周五前发送标志文件并确认首页设计稿".encode() * 35_000,
    "over a million characters": HEAD + PLAIN + b"x" * 1_200_000,
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_a_hostile_message_is_read_in_bounded_time(shape: str) -> None:
    started = time.process_time()
    extraction = extract(SHAPES[shape], CONTEXT)
    took = time.process_time() - started
    assert took < BOUND, f"{shape}: {took:.1f} s of CPU"
    assert extraction.email.message_id == "<h1@huajin.example>"


def test_what_was_not_read_is_said() -> None:
    body = "Please send the logo files by Friday.\r\n" * 5_000
    extraction = extract(HEAD + PLAIN + body.encode(), CONTEXT)
    assert any(f"{TEXT_LIMIT:,} characters" in note for note in extraction.notes)
    huge = extract(SHAPES["over a million characters"], CONTEXT)
    assert any(f"{MAIL_TEXT_LIMIT:,} characters" in note for note in huge.notes)


def test_a_message_with_many_findings_keeps_a_bounded_number() -> None:
    from parsing.pipeline import FINDINGS_LIMIT

    lines = "".join(f"{n}. Please send file {n} by Friday.\r\n" for n in range(400))
    extraction = extract(HEAD + PLAIN + lines.encode(), CONTEXT)
    assert len(extraction.findings) == FINDINGS_LIMIT
    assert any("only the first" in note for note in extraction.notes)


def test_a_thread_of_twenty_thousand_references_keeps_its_first_and_latest() -> None:
    from parsing.mime import MAX_REFERENCES

    refs = " ".join(f"<m{n}@huajin.example>" for n in range(20_000))
    raw = HEAD + b"References: " + refs.encode() + b"\r\nIn-Reply-To: <m19999@huajin.example>\r\n" + PLAIN + b"ok\r\n"
    email = extract(raw, CONTEXT).email
    assert len(email.references) == MAX_REFERENCES
    assert email.references[0] == "<m0@huajin.example>" and email.references[-1] == "<m19999@huajin.example>"
    assert email.thread_ids[0] == "<m19999@huajin.example>"


def test_five_thousand_cc_headers_are_read_in_bounded_time() -> None:
    cc = b"".join(b"Cc: " + b", ".join(b"p%d.%d@huajin.example" % (n, m) for m in range(30)) + b"\r\n" for n in range(5_000))
    started = time.process_time()
    email = extract(HEAD + cc + PLAIN + b"ok\r\n", CONTEXT).email
    assert time.process_time() - started < BOUND
    assert len(email.cc) == 300 and any("5,000 cc headers" in d for d in email.defects)
