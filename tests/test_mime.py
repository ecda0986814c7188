"""parsing.mime: decoding of headers, charsets, HTML, attachments and calendars; the corpus walk."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import email.utils
import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from corpus_files import raw_messages

from parsing.errors import ParseError
from parsing.mime import html_to_text, read_email
from parsing.model import Address

MAIL = Path(__file__).resolve().parent / "fixtures" / "mail"


def load(name: str) -> bytes:
    return (MAIL / name).read_bytes()


# --- fixtures written for mailbot ------------------------------------------------------------


def test_gbk_body_labelled_gb2312_decodes_as_gb18030() -> None:
    mail = read_email(load("gbk_labelled_gb2312.eml"))
    assert mail.subject == "关于首页改版（镕）"  # 镕 is GBK only, not GB2312
    assert mail.sender == Address("李喆", "lizhe@client.example.cn")
    assert "朱镕基" in mail.text and "\ufffd" not in mail.text
    assert "\r" not in mail.text
    assert mail.date == dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert mail.message_id == "<20250303091500.1234@client.example.cn>"
    assert mail.header("x-mailer") == "Foxmail 7.2.25.228[cn]"


def test_html_only_mail_becomes_readable_text() -> None:
    mail = read_email(load("html_only.eml"))
    assert mail.html is not None and "<ul>" in mail.html
    assert mail.text == (
        "Hi team,\n\nThanks for the mockups & the notes.\nTwo changes:\n\n"
        "- Make the header navy\n- Move the logo left\n\nPage | Due\nHome | Friday\n\nCafé <3"
    )
    assert "alert" not in mail.text and "color" not in mail.text


def test_html_to_text_blockquote_and_pre() -> None:
    text = html_to_text("<p>New</p><blockquote><p>old line</p></blockquote><pre>a  b\nc</pre>")
    assert text.splitlines() == ["New", "", "> old line", "", "a  b", "c"]


def test_threading_headers_and_alternative_choice() -> None:
    mail = read_email(load("outlook_reply_zh.eml"))
    assert mail.subject == "回复: 首页改版"
    assert mail.sender == Address("张伟", "zhang@studio.example")
    assert mail.to == (Address("王芳", "wang@client.example.cn"),)
    assert mail.cc == (Address("", "project@studio.example"),)
    assert mail.in_reply_to == "<20250303091500.1234@client.example.cn>"
    assert mail.references == ("<aaa@client.example.cn>", "<20250303091500.1234@client.example.cn>")
    assert mail.text.startswith("好的，我们周四前把修改稿发给您。")  # the plain part, not the HTML
    assert mail.html is not None and "<div>" in mail.html
    assert mail.thread_ids[0] == "<20250303091500.1234@client.example.cn>"


def test_calendar_method_from_vcalendar_wins_over_mime_param() -> None:
    mail = read_email(load("calendar_reply.eml"))
    assert mail.calendars and mail.calendars[0].method == "REPLY"
    assert "PARTSTAT=ACCEPTED" in mail.calendars[0].text
    assert [a.filename for a in mail.attachments] == ["invite.ics"]
    assert mail.attachments[0].size == len(mail.calendars[1].text.replace("\n", "\r\n"))


def test_attachments_metadata_and_big5() -> None:
    mail = read_email(load("attachments_rfc2231.eml"))
    assert mail.subject == "需求說明書"
    assert mail.text == "附件是需求說明書，請查收。"
    assert mail.sender == Address("Lee, Ming", "ming.lee@client.example")
    names = [(a.filename, a.content_type) for a in mail.attachments]
    assert names == [("需求說明.pdf", "application/pdf"), ("标志.png", "image/png")]
    assert mail.attachments[0].size == 55


def test_unknown_charset_and_missing_date() -> None:
    mail = read_email(load("unknown_charset_no_date.eml"))
    assert mail.text == "Changed the colour as the client asked: 深蓝色."
    assert mail.date is None
    assert any("unknown charset 'y'" in d for d in mail.defects)
    assert any("Date header missing" in d for d in mail.defects)
    arrival = dt.datetime(2025, 3, 9, 8, 0, tzinfo=dt.timezone.utc)
    again = read_email(load("unknown_charset_no_date.eml"), fallback_date=arrival)
    assert again.date == arrival
    assert any("fallback" in d for d in again.defects)


def test_garbage_date_uses_fallback() -> None:
    raw = b"From: a@b.example\r\nDate: someday soon\r\nSubject: x\r\n\r\nbody\r\n"
    arrival = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    mail = read_email(raw, fallback_date=arrival)
    assert mail.date == arrival and mail.text == "body"
    assert any("unreadable" in d for d in mail.defects)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?gb2312?B?1tDOxA==?=", "中文"),
        ("=?GBK?Q?=D6=D0=CE=C4?= test", "中文 test"),
        ("=?utf-8?B?5Lit?= =?utf-8?B?5paH?=", "中文"),  # adjacent words join
        ("=?utf-8?B?5Lg=?= =?utf-8?B?reaWhw==?=", "中文"),  # a character split across words
        ("=?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=", "日本語"),
        ("=?x-unknown?Q?caf=C3=A9?=", "café"),
        ("=?utf-8?Q?broken_=E4=B8?=", "broken \ufffd"),
    ],
)
def test_encoded_words(header: str, expected: str) -> None:
    raw = f"From: x@y.example\r\nSubject: {header}\r\n\r\nhi\r\n".encode()
    assert read_email(raw).subject == expected


def test_raw_8bit_headers_and_bodies_without_charset() -> None:
    raw = "Subject: 首页\r\nFrom: 王芳 <W@X.example>\r\n\r\n".encode("gbk") + "正文".encode("gbk")
    mail = read_email(raw)
    assert mail.subject == "首页" and mail.sender == Address("王芳", "w@x.example")
    assert mail.text == "正文"


def test_bad_utf8_bytes_become_replacement_characters() -> None:
    raw = b"Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok \xff\xfe done\r\n"
    mail = read_email(raw)
    assert mail.text.startswith("ok ") and "\ufffd" in mail.text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"  \r\n ", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Outlook .msg (OLE2)"),
        (bytes(range(256)) * 4, "not RFC 5322"),
        (b"just some words\nwith no headers\n", "not RFC 5322"),
    ],
)
def test_not_mail_raises_parse_error(raw: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        read_email(raw)


def test_mbox_from_line_and_missing_boundary() -> None:
    raw = (
        b"From sender@example.com Mon Jan  1 00:00:00 2024\n"
        b"From: sender@example.com\nContent-Type: multipart/mixed; boundary=zz\n\n"
        b"no boundary here, just text\n"
    )
    mail = read_email(raw)
    assert mail.sender == Address("", "sender@example.com")
    assert mail.text == "no boundary here, just text"
    assert mail.defects


def test_mutations_never_escape() -> None:
    base = load("outlook_reply_zh.eml")
    for cut in range(40, len(base), 37):
        for mutated in (base[:cut], base[:cut] + b"\xff\x00=?=" + base[cut:], base.replace(b"\r\n", b"\n", cut % 5)):
            try:
                result = read_email(mutated)
            except ParseError:
                continue
            assert isinstance(result.text, str)


# --- the corpus walk ---------------------------------------------------------------------------


def _has_readable_text(raw: bytes) -> bool:
    """Independent check with the stdlib: does any body part hold text at all?"""
    msg = email.message_from_bytes(raw)
    for part in msg.walk():
        if part.get_content_maintype() not in ("text", "multipart") or part.is_multipart():
            continue
        if part.get_content_type() not in ("text/plain", "text/html") and part.get_content_maintype() != "multipart":
            continue
        if (part.get("content-disposition") or "").lower().startswith("attachment"):
            continue
        payload = part.get_payload(decode=True) or b""
        stripped = re.sub(rb"<[^>]*>|&nbsp;|\s", b"", payload)
        if stripped:
            return True
    return False


@pytest.mark.corpus
def test_every_corpus_message_parses_or_says_why(corpora: Path) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    ours = stdlib = 0.0
    failures = []
    for source, path in raw_messages(corpora):
        raw = path.read_bytes()
        start = time.perf_counter()
        try:
            mail = read_email(raw)
        except ParseError as exc:
            counts[source, "parse error"] += 1
            assert str(exc), path
            continue
        middle = time.perf_counter()
        try:
            email.message_from_bytes(raw, policy=email.policy.default)
        except Exception:  # noqa: BLE001 - only timing the stdlib here
            pass
        ours += middle - start
        stdlib += time.perf_counter() - middle
        if mail.text.strip():
            counts[source, "text"] += 1
        else:
            counts[source, "no text part"] += 1
            if _has_readable_text(raw):
                failures.append(str(path))
        assert mail.date is None or mail.date.tzinfo is not None, path
    for (source, kind), n in sorted(counts.items()):
        print(f"{source:28} {kind:14} {n}")
    print(f"time: ours {ours:.3f}s, stdlib policy.default {stdlib:.3f}s, ratio {ours / stdlib:.2f}")
    assert not failures, f"text lost in: {failures}"
    assert sum(counts.values()) >= 740
    assert counts["spamscope-mail-parser", "parse error"] == 1  # the Outlook .msg
    assert ours < 3 * stdlib


@pytest.mark.corpus
def test_mailing_list_subjects_and_senders_match_index(corpora: Path) -> None:
    root = corpora / "mailing-list-archives"
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    items = index.items() if isinstance(index, dict) else ((i["file"], i) for i in index)
    norm = " ".join
    checked = same = 0
    for name, facts in items:
        if not isinstance(facts, dict) or "=?" in facts.get("subject", ""):
            continue  # the index could not decode these two (charset "y"); we can
        mail = read_email((root / name).read_bytes())
        checked += 1
        same += norm(mail.subject.split()) == norm(facts["subject"].split())
        assert mail.sender is not None and mail.sender.address in facts["from"].lower(), name
        assert "\ufffd" not in mail.text, name
    print(f"mailing-list subjects equal to index.json: {same}/{checked}")
    assert checked >= 349 and same == checked


@pytest.mark.corpus
def test_bluemind_calendar_methods(corpora: Path) -> None:
    root = corpora / "bluemind-imip"
    replies = sorted(root.rglob("*.reply.*.eml"))
    assert replies
    for path in replies:
        methods = {part.method for part in read_email(path.read_bytes()).calendars}
        assert methods == {"REPLY"}, path
    counter = next(root.rglob("google_counter.eml"))
    assert {p.method for p in read_email(counter.read_bytes()).calendars} == {"COUNTER"}


# --- header and charset repairs found by the zammad/redmine expectations --------------------------


def test_consecutive_br_make_an_empty_line() -> None:
    assert html_to_text("A mess.<br>\n<div><br>\n<div>--Geoff<br>ACME, LLC<br></div></div>") == "A mess.\n\n--Geoff\nACME, LLC"


def test_header_continuation_without_indentation_is_repaired() -> None:
    raw = (
        b"X-Spam-Status: No, hits=0.0\nMIME_HTML_ONLY: 0.7, TOTAL_SCORE: -0.2\n"
        b"Received: from a.example\nby b.example with ESMTP\n"
        b"Subject: Contact\nFrom: x@a.example\n\nbody\n"
    )
    mail = read_email(raw)
    assert mail.subject == "Contact" and mail.sender == Address("", "x@a.example")
    assert mail.text == "body"
    assert any("without indentation" in d for d in mail.defects)


def test_sender_falls_back_to_an_address_with_at() -> None:
    raw = b'From: [??????]\r\nFrom: "=?GB2312?B?ztI=?=" <>\r\nReply-To: <b@c.example>\r\nSubject: x\r\n\r\nhi\r\n'
    assert read_email(raw).sender == Address("", "b@c.example")


def test_raw_shift_jis_header_in_a_japanese_mail_and_8bit_iso_2022_jp() -> None:
    sjis = "ツール".encode("cp932")
    raw = (
        b"Subject: " + sjis + b"\r\nFrom: =?ISO-2022-JP?B?" + base64.b64encode(sjis + b" EXAMPLE")
        + b"?= <bar@example.org>\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n" + sjis + b"\r\n"
    )
    mail = read_email(raw)
    assert mail.subject == "ツール" and mail.sender == Address("ツール EXAMPLE", "bar@example.org")
    assert mail.text == "ツール"


def test_latin1_without_charset_is_not_read_as_gbk() -> None:
    raw = b"Subject: x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E4=F6=FC=DF ad asd\r\n"
    assert read_email(raw).text == "äöüß ad asd"
    assert read_email(b"Subject: x\r\n\r\n" + "首页改版".encode("gbk")).text == "首页改版"


@pytest.mark.corpus
def test_mailing_list_senders_match_index_with_display_names(corpora: Path) -> None:
    root = corpora / "mailing-list-archives"
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    items = index.items() if isinstance(index, dict) else ((i["file"], i) for i in index)
    same = total = 0
    for name, facts in items:
        display, address = email.utils.parseaddr(facts["from"])
        sender = read_email((root / name).read_bytes()).sender
        total += 1
        same += sender == Address(display.strip(), address.lower())
    print(f"mailing-list senders (name and address) equal to index.json: {same}/{total}")
    assert total >= 351 and same == total
