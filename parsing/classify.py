"""What kind of message this is, so that mailbot never answers machines, lists or itself.

Signals, strongest first (the first category that matches wins):

- OWN: the sender is one of mailbot's own addresses, or the message carries our loop
  header X-Mailbot.
- BOUNCE: multipart/report (report-type=delivery-status) at the top, an empty Return-Path
  "<>", or a MAILER-DAEMON / postmaster sender.
- CALENDAR_REPLY: a text/calendar part whose METHOD is REPLY or COUNTER (iTIP answers).
- AUTO_REPLY: RFC 3834 Auto-Submitted other than "no", X-Autoreply / X-Autorespond,
  Microsoft's X-Auto-Response-Suppress on an auto-reply subject, or a subject that starts
  with "自动回复", "Automatic reply", "Auto-Reply", "Out of Office", "休假" and their kin.
- BULK: Precedence bulk/list/junk, List-Id or List-Unsubscribe.
- NORMAL otherwise.
"""

from __future__ import annotations

import re

from parsing import patterns as rx
from parsing.model import Category, Email

_AUTO_SUBJECT = rx.compile(
    r"^\s*(\[?(自动回复|自動回覆|自动答复|自動回復|休假|外出|不在办公室|不在辦公室|"
    r"automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|automatische antwort|"
    r"réponse automatique|out of (the )?office|ooo\b|abwesenheitsnotiz|away from (the )?office|"
    r"on vacation|vacation reply))",
    re.IGNORECASE,
)
_BOUNCE_SENDER = rx.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_BOUNCE_SUBJECT = rx.compile(
    r"^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery failed|"
    r"returned mail|failure notice|退信|系统退信|邮件投递失败|无法投递)",
    re.IGNORECASE,
)


def categorize(email: Email, *, own_addresses: tuple[str, ...] = ()) -> Category:
    """The category of `email`; see the module docstring for the signals and their order."""
    if _is_own(email, own_addresses):
        return Category.OWN
    if _is_bounce(email):
        return Category.BOUNCE
    if any((part.method or "").upper() in ("REPLY", "COUNTER") for part in email.calendars):
        return Category.CALENDAR_REPLY
    if _is_auto_reply(email):
        return Category.AUTO_REPLY
    if _is_bulk(email):
        return Category.BULK
    return Category.NORMAL


def _is_own(email: Email, own_addresses: tuple[str, ...]) -> bool:
    if email.header("x-mailbot") is not None:
        return True
    own = {address.strip().lower() for address in own_addresses if address.strip()}
    return bool(email.sender and email.sender.address in own)


def _is_bounce(email: Email) -> bool:
    content_type = (email.header("content-type") or "").lower()
    if content_type.startswith("multipart/report") or "delivery-status" in content_type:
        return True
    return_path = email.header("return-path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        return True
    sender = email.sender.address if email.sender else ""
    if _BOUNCE_SENDER.match(sender):
        return True
    return bool(sender.startswith("mailer-daemon") and _BOUNCE_SUBJECT.match(email.subject))


def _is_auto_reply(email: Email) -> bool:
    auto = (email.header("auto-submitted") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return True
    if email.header("x-autoreply") is not None or email.header("x-autorespond") is not None:
        return True
    return bool(_AUTO_SUBJECT.match(email.subject or ""))


def _is_bulk(email: Email) -> bool:
    precedence = (email.header("precedence") or "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return True
    return email.header("list-id") is not None or email.header("list-unsubscribe") is not None
