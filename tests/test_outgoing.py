"""`mailbot.outgoing` writes mail by hand: what it writes must read back, through the stdlib's
parser, as exactly what was composed, and as the stdlib's own writer would have said it."""

from __future__ import annotations

import datetime as dt
import email
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.compose import Person, Rendered, build_message, header_text
from mailbot.outgoing import MAX_LINE, Mailbox, Outgoing, Part

NOW = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.timezone.utc)
SENDER = Person("Studio", "project@studio.example", "Asia/Shanghai")

SUBJECTS = [
    "Weekly digest, 9–15 Mar",
    "Re: [Website] Staging server [CR-1]",
    "【华锦零售官网改版】项目周报 3月9日–3月15日",
    "【華錦零售官網改版】專案週報 3月9日–3月15日",
    "Re: 关于首页设计稿 — homepage draft, v2 🎨",
    "A very long English subject line that goes on and on about the homepage, the store locator and the launch",
    "x" * 300,  # one word longer than any line
    "回复：" + "很长的主题" * 40,
    'Quotes "and" \\backslashes\\ (and comments) <and> @ signs: ok?',
    "=?utf-8?b?bm90IGVuY29kZWQ=?= a subject that looks encoded",
]
NAMES = ["", "Studio", "Emily Zhou", "李伟", "陳靜", "J. Smith (boss)", 'Say "hi" \\ there', "O'Brien-Smith", "a" * 100, "b " * 150,
         "Zhang Qiang 张强", "Bcc: evil@attacker.example"]
BODIES = [
    "hi\n",
    "Hello,\n\nthe digest for the week is below.\n\n  - item one\n  - item two\n",
    "你好：\n\n本周项目周报如下。\n",
    "<p>" + "A long HTML line with attributes=\"x\" and more text. " * 20 + "</p>\n",
    "<p>" + "一行很长的中文内容，没有换行。" * 30 + "</p>\n",
    "trailing spaces   \nand tabs\t\nand a line starting with\nFrom the desk of\n.\n..\n",
    "windows\r\nline\r\nends\rand old mac ones\r\n",
    "no newline at the end",
    "--=_mailbot_0000\nlooks like a boundary\n",
    "a NUL \x00 in the middle\n",
]


def _parsed(message: Outgoing) -> EmailMessage:
    raw = bytes(message)
    parsed = email.message_from_bytes(raw, policy=default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _stdlib(message: Outgoing) -> EmailMessage:
    """The same message written by the stdlib's EmailMessage, as mailbot did before: the oracle."""
    reference = EmailMessage()
    reference["From"] = Address(message.sender.name, addr_spec=message.sender.address)
    reference["To"] = [Address(p.name, addr_spec=p.address) for p in message.to]
    if message.cc:
        reference["Cc"] = [Address(p.name, addr_spec=p.address) for p in message.cc]
    reference["Subject"] = message.subject
    reference["Date"] = message.date
    reference["Message-ID"] = message.message_id
    for name, value in message.fields:
        reference[name] = value
    first, *rest = message.parts
    reference.set_content(first.text, subtype=first.subtype, charset="utf-8")
    for part in rest:
        reference.add_alternative(part.text, subtype=part.subtype, charset="utf-8", params=dict(part.params))
    return email.message_from_bytes(bytes(reference), policy=default)  # type: ignore[return-value]


def _same(ours: EmailMessage, theirs: EmailMessage) -> None:
    for name in ("Subject", "Date", "Message-ID", "In-Reply-To", "References", "Auto-Submitted", "X-Mailbot"):
        assert str(ours[name] or "").strip() == str(theirs[name] or "").strip(), name  # the stdlib may fold a Message-ID to a line of its own
    for name in ("From", "To", "Cc"):
        mine = [(a.display_name, a.addr_spec) for a in ours[name].addresses] if ours[name] is not None else None
        other = [(a.display_name, a.addr_spec) for a in theirs[name].addresses] if theirs[name] is not None else None
        assert mine == other, name
    assert ours.get_content_type() == theirs.get_content_type() == "multipart/alternative"
    mine_parts, other_parts = list(ours.iter_parts()), list(theirs.iter_parts())
    assert [p.get_content_type() for p in mine_parts] == [p.get_content_type() for p in other_parts]
    for a, b in zip(mine_parts, other_parts, strict=True):
        assert a.get_params() == b.get_params()
        assert a.get_content() == b.get_content()


def _lines_fit(raw: bytes) -> None:
    head, _, body = raw.partition(b"\n\n")
    for line in head.split(b"\n"):
        assert len(line) <= MAX_LINE or b" " not in line.strip(), line  # only a single unbreakable token may be longer
        assert len(line) <= 998
    assert max(map(len, body.split(b"\n"))) <= MAX_LINE


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("body", BODIES)
def test_what_is_written_reads_back_as_composed_and_as_the_stdlib_writes_it(subject: str, body: str) -> None:
    message = build_message(rendered=Rendered(subject=subject, text=body, html=f"<p>{body}</p>"), sender=SENDER,
                            to=[Person(name, f"person{n}@huajin.example") for n, name in enumerate(NAMES)],
                            cc=[Person("陳靜", "chen.jing@studio.example")], kind="digest", reply=False, now=NOW,
                            calendar=("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "REQUEST"))
    raw = bytes(message)
    parsed = _parsed(message)
    assert not parsed.defects and not any(part.defects for part in parsed.iter_parts())
    assert parsed["Subject"] == header_text(subject)
    assert [p.name for p in message.to] == [header_text(name)[:200].rstrip() for name in NAMES]
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == [(p.name, p.address) for p in message.to]
    plain, html, calendar = parsed.iter_parts()
    assert plain.get_content().rstrip("\n") == body.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    assert message.text == plain.get_content().strip("\n")
    assert calendar.get_param("method") == "REQUEST" and "METHOD:REQUEST" in calendar.get_content()
    if "=?" not in subject:  # the stdlib writes such a subject as it is, and then reads it decoded: not an oracle there
        _same(parsed, _stdlib(message))
    _lines_fit(raw)
    assert head_is_ascii(raw)
    assert b"\0" not in raw  # 7bit and 8bit bodies hold no NUL


def head_is_ascii(raw: bytes) -> bool:
    return raw.partition(b"\n\n")[0].isascii()


def test_threading_headers_are_kept_and_a_message_id_that_could_break_a_header_is_not_copied() -> None:
    thread = ["<a@huajin.example>", "<not one>", "<b@huajin.example>\r\nBcc: x@attacker.example", "<c@huajin.example>"]
    message = build_message(rendered=Rendered("Re: x", "hi\n", "<p>hi</p>"), sender=SENDER, to=[Person("", "li.wei@huajin.example")],
                            kind="ack", reply=True, now=NOW, in_reply_to="<c@huajin.example>", references=thread)
    parsed = _parsed(message)
    assert parsed["In-Reply-To"] == "<c@huajin.example>"
    assert parsed["References"] == "<a@huajin.example> <c@huajin.example>"
    assert parsed["Bcc"] is None
    broken = build_message(rendered=Rendered("Re: x", "hi\n", "<p>hi</p>"), sender=SENDER, to=[Person("", "li.wei@huajin.example")],
                           kind="ack", reply=True, now=NOW, in_reply_to="<b@x>\nBcc: y@z")
    assert broken.in_reply_to is None and _parsed(broken)["Bcc"] is None
    with pytest.raises(ValueError, match="Message-ID"):
        Outgoing(Mailbox("", "a@b.example"), (), (), "s", "d", "<m@b>", (Part("plain", "x"),), in_reply_to="<a b>")
    with pytest.raises(ValueError, match="header field"):
        Outgoing(Mailbox("", "a@b.example"), (), (), "s", "d", "<m@b>", (Part("plain", "x"),), fields=(("X-A", "1\nBcc: c@d"),))


def test_addresses_that_are_not_plain_ascii() -> None:
    message = build_message(rendered=Rendered("x", "hi\n", "<p>hi</p>"), sender=SENDER,
                            to=[Person("张三", "zhang@例子.中国"), Person("", "first last@x.example"), Person("", 'odd"local@x.example')],
                            kind="digest", reply=False, now=NOW)
    parsed = _parsed(message)
    specs = [a.addr_spec for a in parsed["To"].addresses]
    assert specs[0] == "zhang@xn--fsqu00a.xn--fiqs8s"  # IDNA, not an encoded word inside the address
    assert specs[1] == "firstlast@x.example"  # spaces never reach an address
    assert parsed["To"].addresses[2].username == 'odd"local'
    assert message.recipients == ["zhang@xn--fsqu00a.xn--fiqs8s", "firstlast@x.example", '"odd\\"local"@x.example']  # the envelope, as the headers say


def test_a_boundary_found_in_a_part_is_not_used() -> None:
    text = "before\n--=_mailbot_clash\nafter\n"
    message = Outgoing(Mailbox("", "a@b.example"), (Mailbox("", "c@d.example"),), (), "s", "Mon, 09 Mar 2026 09:00:00 +0800", "<m@b>",
                       (Part("plain", text), Part("html", "<p>x</p>")), _boundary="=_mailbot_clash")
    parsed = _parsed(message)
    assert parsed.get_boundary() != "=_mailbot_clash"
    assert [p.get_content() for p in parsed.iter_parts()] == [text, "<p>x</p>\n"]


@settings(max_examples=300, deadline=None)
@given(subject=st.text(max_size=200), name=st.text(max_size=80), body=st.text(max_size=400))
def test_any_text_reads_back(subject: str, name: str, body: str) -> None:
    """Whatever a template or a sender's name holds (control characters included), the message
    parses without defects to what was composed from it."""
    message = build_message(rendered=Rendered(subject or "s", body, body), sender=SENDER, to=[Person(name, "li.wei@huajin.example")],
                            kind="ack", reply=False, now=NOW)
    raw = bytes(message)
    parsed = email.message_from_bytes(raw, policy=default)
    assert not parsed.defects
    assert parsed["Subject"] == header_text(subject or "s")
    shown, = (a.display_name for a in parsed["To"].addresses)
    if len(header_text(name).encode()) <= 45:
        assert shown == header_text(name)[:200].rstrip()
    else:  # several encoded words: the stdlib reads a space between two (see mailbot.outgoing)
        assert shown.replace(" ", "") == header_text(name)[:200].rstrip().replace(" ", "")
    plain = next(parsed.iter_parts())
    assert plain.get_content().rstrip("\n") == body.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    assert head_is_ascii(raw)
