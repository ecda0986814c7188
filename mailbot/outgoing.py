"""Outgoing messages as bytes: the one shape mailbot sends, written directly.

Why by hand: every message mailbot sends has the same shape, a handful of headers it writes
itself and one multipart/alternative of text parts (plain, HTML, and for invitations an iMIP
text/calendar). The stdlib's `EmailMessage` with `policy.default` parses each header value it
is given into a token tree and folds it back, and encodes each part through its content
manager: some 4 ms a message, half of a `tick` that sends the week's digests, invitations and
review lists. `Outgoing` keeps what mailbot composed (people, subject, parts) as data and
writes the bytes in one pass, with the C codecs of `binascii` for the bodies:

- headers: ASCII text is folded at spaces to lines of at most 78 characters; text that is not
  ASCII, has a word too long to fold or holds "=?" (a reader would decode what looks like an
  encoded word), is written as RFC 2047 encoded words (UTF-8, "B"),
  each at most 75 characters and never splitting a character. Display names are atoms, a
  quoted string (RFC 5322 3.2.4), or encoded words; an address's domain is written in IDNA
  (punycode) when it is not ASCII, a local part that is not ASCII as UTF-8 (RFC 6532). (The
  stdlib's parser reads a space between two encoded words of a display name, which RFC 2047
  6.2 says to drop: a name of more than 45 octets of UTF-8 reads so there, as it did when the
  stdlib wrote it.)
  Control and invisible characters never reach a header (`compose.header_text` cleans what
  comes from mail), and a Message-ID is copied into In-Reply-To or References only when it is
  visible ASCII without spaces, so nothing a sender writes can add a header line;
- bodies: line ends become LF, as the stdlib writes them; a part whose lines all fit in 78
  octets (and that holds no NUL) is sent as it is (7bit or 8bit), else quoted-printable when it
  is mostly ASCII and base64 when it is not, whichever is shorter, as the stdlib decides;
- the boundary is random and checked against every part sent as it is.

tests/test_outgoing.py parses what this writes with `email.parser` (policy.default) for every
template in both languages and for hostile names and subjects, and compares it with what was
composed.
"""

from __future__ import annotations

import binascii
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from parsing import patterns as rx

MAX_LINE = 78  # characters a header or body line should keep to (RFC 5322 2.1.1)
_WORD_BYTES = 45  # UTF-8 octets per encoded word: "=?utf-8?b?" + 60 base64 characters + "?=" = 72
_ATOMS = rx.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*")  # a phrase of atoms and spaces (RFC 5322 3.2.3)
_DOT_ATOM = rx.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
MESSAGE_ID = rx.compile(r"[\x21-\x7e]+")  # what may be copied into a header as a Message-ID
_FIELD_NAME = rx.compile(r"[\x21-\x39\x3b-\x7e]+")  # printable ASCII but the colon (RFC 5322 3.6.8)
_LINE_ENDS = rx.compile(r"\r\n|\r")
_ASCII = bytes(range(128))


@dataclass(frozen=True, slots=True)
class Mailbox:
    name: str
    address: str


@dataclass(frozen=True, slots=True)
class Part:
    subtype: str  # of text/: "plain", "html", "calendar"
    text: str
    params: tuple[tuple[str, str], ...] = ()  # more Content-Type parameters, e.g. (("method", "REQUEST"),)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message mailbot sends: what it says, and `bytes(message)` as it goes out."""

    sender: Mailbox
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    subject: str
    date: str  # as the Date header has it (RFC 5322 3.3)
    message_id: str
    parts: tuple[Part, ...]
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()  # further headers, unstructured, in order
    _boundary: str = field(default_factory=lambda: f"=_mailbot_{random.getrandbits(96):024x}")

    def __post_init__(self) -> None:
        for name, value in self.fields:
            if not _FIELD_NAME.fullmatch(name) or any(ch in value for ch in "\r\n"):
                raise ValueError(f"not a header field: {name!r}")
        for reference in (self.in_reply_to, *self.references):
            if reference is not None and not MESSAGE_ID.fullmatch(reference):
                raise ValueError(f"not a Message-ID: {reference[:80]!r}")

    @property
    def recipients(self) -> list[str]:
        """The addresses it goes to (To and Cc), lower-cased, as the headers write them (an IDNA
        domain, a quoted local part): the SMTP envelope."""
        return [_addr_spec(person.address).lower() for person in (*self.to, *self.cc)]

    @property
    def text(self) -> str:
        """The text/plain part, as a reader of the message gets it."""
        for part in self.parts:
            if part.subtype == "plain":
                return _LINE_ENDS.sub("\n", part.text).strip("\n")
        return ""

    def __bytes__(self) -> bytes:
        lines = [_addresses("From", (self.sender,)), _addresses("To", self.to)]
        if self.cc:
            lines.append(_addresses("Cc", self.cc))
        lines += [_unstructured("Subject", self.subject), f"Date: {self.date}", _folded("Message-ID", [self.message_id])]
        if self.in_reply_to:
            lines += [_folded("In-Reply-To", [self.in_reply_to]), _folded("References", list(self.references))]
        lines += [_unstructured(name, value) for name, value in self.fields]
        bodies = [(part, *_body(part.text)) for part in self.parts]
        boundary = self._boundary
        while any(cte in ("7bit", "8bit") and boundary.encode("ascii") in data for _, cte, data in bodies):
            boundary = f"=_mailbot_{random.getrandbits(96):024x}"
        lines += ["MIME-Version: 1.0", f'Content-Type: multipart/alternative;\n boundary="{boundary}"', "", ""]
        out = ["\n".join(lines).encode("utf-8")]
        for part, cte, data in bodies:
            params = "".join(f'; {name}="{value}"' for name, value in part.params)
            out.append(f'--{boundary}\nContent-Type: text/{part.subtype}; charset="utf-8"{params}\n'
                       f"Content-Transfer-Encoding: {cte}\n\n".encode("ascii"))
            out.append(data)
            out.append(b"\n")  # the line end before a boundary is the boundary's (RFC 2046 5.1.1), not the part's
        out.append(f"--{boundary}--\n".encode("ascii"))
        return b"".join(out)


def _body(text: str) -> tuple[str, bytes]:
    """The Content-Transfer-Encoding and the encoded bytes of one part's text."""
    data = _LINE_ENDS.sub("\n", text).encode("utf-8")
    if not data.endswith(b"\n"):
        data += b"\n"
    ascii_only = data.isascii()
    if max(map(len, data.split(b"\n"))) <= MAX_LINE and b"\0" not in data:  # 7bit and 8bit allow no NUL (RFC 2045 2.7)
        return ("7bit" if ascii_only else "8bit"), data
    # quoted-printable spends 3 characters on a byte that is not ASCII, base64 4 on every 3 bytes
    others = 0 if ascii_only else len(data.translate(None, _ASCII))
    if 6 * others > len(data):
        encoded = binascii.b2a_base64(data, newline=False)
        return "base64", b"".join(encoded[i : i + 76] + b"\n" for i in range(0, len(encoded), 76))
    return "quoted-printable", binascii.b2a_qp(data, istext=True)


def _unstructured(name: str, text: str) -> str:
    words = text.split(" ")
    if text.isascii() and "=?" not in text and all(len(word) < MAX_LINE - len(name) - 2 for word in words):
        return _folded(name, words)
    return _folded(name, _encoded_words(text, MAX_LINE - len(name) - 2))


def _addresses(name: str, people: Iterable[Mailbox]) -> str:
    tokens: list[str] = []
    for person in people:
        if tokens:
            tokens[-1] += ","
        if person.name:
            tokens += _phrase(person.name)
        tokens.append(f"<{_addr_spec(person.address)}>" if person.name else _addr_spec(person.address))
    return _folded(name, tokens)


def _phrase(name: str) -> list[str]:
    """A display name as words of a header: atoms, one quoted string, or encoded words."""
    if name.isascii() and "=?" not in name:  # text that looks like an encoded word is encoded, or a reader decodes it
        if _ATOMS.fullmatch(name):
            return name.split()
        return ['"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"']
    return _encoded_words(name)


def _addr_spec(address: str) -> str:
    local, _, domain = address.rpartition("@")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # left as it is (RFC 6532): a server that cannot take it says so
    if local and not _DOT_ATOM.fullmatch(local) and local.isascii():
        local = '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{local}@{domain}" if local else domain


def _encoded_words(text: str, room: int = MAX_LINE) -> list[str]:
    """`text` as RFC 2047 encoded words of whole characters, each at most 73 characters and the
    first at most `room` (what is left of the header's first line)."""
    words: list[str] = []
    chunk: list[str] = []
    size = 0
    limit = min(_WORD_BYTES, max(3, (room - 12) // 4 * 3))
    for ch in text:
        width = len(ch.encode("utf-8"))
        if size + width > limit and chunk:
            limit = _WORD_BYTES
            words.append(_encoded_word("".join(chunk)))
            chunk, size = [], 0
        chunk.append(ch)
        size += width
    if chunk or not words:
        words.append(_encoded_word("".join(chunk)))
    return words


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + binascii.b2a_base64(text.encode("utf-8"), newline=False).decode("ascii") + "?="


def _folded(name: str, tokens: list[str]) -> str:
    """`Name: ` and the tokens, one space between two, a line folded before a token that would
    pass 78 characters (a token longer than any line goes where it is)."""
    lines: list[str] = []
    line, empty = f"{name}:", True
    for token in tokens:
        if len(line) + 1 + len(token) > MAX_LINE and (not empty or len(token) < MAX_LINE):
            lines.append(line)
            line = ""
        line += " " + token
        empty = False
    lines.append(line)
    return "\n".join(lines)
