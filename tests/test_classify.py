"""parsing.classify: own, bounce, calendar reply, auto-reply, bulk, normal — in that order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from parsing.classify import categorize
from parsing.mime import read_email
from parsing.model import Address, CalendarPart, Category, Email

MAIL = Path(__file__).resolve().parent / "fixtures" / "mail"


def make(subject: str = "Homepage", sender: str = "anna@client.example", **headers: str) -> Email:
    kept = tuple((name.replace("_", "-").lower(), value) for name, value in headers.items())
    return Email(None, subject, Address("", sender), (), (), None, None, (), "text", headers=kept)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("gbk_labelled_gb2312.eml", Category.NORMAL),
        ("auto_reply_zh.eml", Category.AUTO_REPLY),
        ("bounce.eml", Category.BOUNCE),
        ("calendar_reply.eml", Category.CALENDAR_REPLY),
        ("html_only.eml", Category.NORMAL),
    ],
)
def test_fixtures(fixture: str, expected: Category) -> None:
    assert categorize(read_email((MAIL / fixture).read_bytes())) is expected


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (make(auto_submitted="auto-replied"), Category.AUTO_REPLY),
        (make(auto_submitted="auto-generated"), Category.AUTO_REPLY),
        (make(auto_submitted="no"), Category.NORMAL),
        (make(x_autoreply="yes"), Category.AUTO_REPLY),
        (make(x_autorespond="1"), Category.AUTO_REPLY),
        (make(subject="自动回复：首页改版"), Category.AUTO_REPLY),
        (make(subject="Automatic reply: Homepage"), Category.AUTO_REPLY),
        (make(subject="Auto-Reply: away"), Category.AUTO_REPLY),
        (make(subject="Out of Office: back Monday"), Category.AUTO_REPLY),
        (make(subject="休假中"), Category.AUTO_REPLY),
        (make(subject="Re: the out of office rota"), Category.NORMAL),
        (make(precedence="bulk"), Category.BULK),
        (make(precedence="list"), Category.BULK),
        (make(precedence="junk"), Category.BULK),
        (make(list_id="<news.client.example>"), Category.BULK),
        (make(list_unsubscribe="<mailto:unsub@client.example>"), Category.BULK),
        (make(return_path="<>"), Category.BOUNCE),
        (make(sender="MAILER-DAEMON@mx.example".lower()), Category.BOUNCE),
        (make(content_type="multipart/report; report-type=delivery-status"), Category.BOUNCE),
        (make(x_mailbot="1"), Category.OWN),
        (make(), Category.NORMAL),
    ],
)
def test_signals(email: Email, expected: Category) -> None:
    assert categorize(email) is expected


def test_own_address_and_precedence_order() -> None:
    mine = make(sender="project@studio.example", return_path="<>", precedence="bulk")
    assert categorize(mine, own_addresses=("Project@Studio.example",)) is Category.OWN
    bounce_and_auto = make(return_path="<>", auto_submitted="auto-replied")
    assert categorize(bounce_and_auto) is Category.BOUNCE
    reply = replace(make(auto_submitted="auto-generated", list_id="x"), calendars=(CalendarPart("COUNTER", ""),))
    assert categorize(reply) is Category.CALENDAR_REPLY
    auto_and_list = make(auto_submitted="auto-replied", precedence="list")
    assert categorize(auto_and_list) is Category.AUTO_REPLY
    invite = replace(make(), calendars=(CalendarPart("REQUEST", ""),))
    assert categorize(invite) is Category.NORMAL


@pytest.mark.corpus
def test_bluemind_replies_and_not_imip(corpora: Path) -> None:
    root = corpora / "bluemind-imip"
    for path in sorted(root.rglob("*.reply.*.eml")):
        assert categorize(read_email(path.read_bytes())) is Category.CALENDAR_REPLY, path
    not_imip = next(root.rglob("not.imip.1.eml"))
    assert categorize(read_email(not_imip.read_bytes())) is not Category.CALENDAR_REPLY


@pytest.mark.corpus
def test_mailing_list_mail_is_bulk(corpora: Path) -> None:
    paths = sorted((corpora / "mailing-list-archives").rglob("*.eml"))
    kinds = [categorize(read_email(path.read_bytes())) for path in paths]
    bulk = sum(kind is Category.BULK for kind in kinds)
    print(f"mailing-list archives: {bulk}/{len(kinds)} bulk")
    assert bulk / len(kinds) >= 0.98
