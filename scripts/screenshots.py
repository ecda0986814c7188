"""Screenshots of the HTML part of each kind of mail the demo sends, for the README.

    python scripts/screenshots.py [--out docs/screenshots]

Runs `mailbot demo` in a temporary folder, takes the first outgoing message of each kind
(ack, invite, digest, reminder, survey, alert, summary, …) that has an HTML part, and draws it
in headless Chromium at 600 px, the width mail clients give a message, as `<kind>.<lang>.png`.
Needs Chromium (scripts/ci-system-deps.sh installs it). It prints each file and whether its
text fits the width.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import sys
import tempfile
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the drawing helper lives with the tests

from browser import CHROMIUM, draw  # noqa: E402

from mailbot.demo import run_demo  # noqa: E402

EN_CONFIG = """\
[team]
name = "Bluebridge"
address = "project@bluebridge.example"
domains = ["bluebridge.example"]
timezone = "Asia/Shanghai"
language = "en"
trusted_authserv_id = "mx.bluebridge.example"

[outbox]
maildir = "outbox"
answer_since = "2026-01-01"

[[projects]]
key = "acme-app"
name = "Acme app"
language = "en"
client_domains = ["acme.example"]
location = "Bluebridge studio, 12F, 500 Wuding Road"
meeting_url = "https://meeting.example/acme"
stakeholders = [
  { name = "Sam Lee", address = "sam@acme.example", party = "client", timezone = "America/Chicago" },
  { name = "Zhang Min", address = "zhang.min@bluebridge.example", party = "us" },
]
milestones = [{ name = "Beta", due = "2026-03-31" }, { name = "Launch", due = "2026-05-15" }]
"""

EN_MAIL = (b"Authentication-Results: mx.bluebridge.example; dkim=pass header.d=acme.example;\r\n"
           b" spf=pass smtp.mailfrom=acme.example; dmarc=pass header.from=acme.example\r\n"
           b"From: Sam Lee <sam@acme.example>\r\nTo: project@bluebridge.example\r\nSubject: Onboarding screens\r\n"
           b"Date: Wed, 04 Mar 2026 09:15:00 -0600\r\nMessage-ID: <acme-1@acme.example>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nHi Zhang Min,\r\n\r\nCould we add a dark mode to the "
           b"onboarding screens? And please send the updated prototype by Friday.\r\n\r\nSam\r\n")


def _from_the_team(n: int, date: str, body: str, reply_to: str = "<acme-1@acme.example>",
                   subject: str = "Re: Onboarding screens", to: str = "Sam Lee <sam@acme.example>") -> bytes:
    """Zhang Min's mail, proven by the receiving server the team trusts."""
    return (f"Authentication-Results: mx.bluebridge.example; dkim=pass header.d=bluebridge.example;\r\n"
            f" spf=pass smtp.mailfrom=bluebridge.example; dmarc=pass header.from=bluebridge.example\r\n"
            f"From: Zhang Min <zhang.min@bluebridge.example>\r\nTo: {to}\r\n"
            f"Cc: project@bluebridge.example\r\nSubject: {subject}\r\nDate: {date}\r\n"
            f"Message-ID: <team-{n}@bluebridge.example>\r\nIn-Reply-To: {reply_to}\r\nReferences: {reply_to}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def english_mail(folder: Path) -> list[Path]:
    """An English project's first month: a change request and its acknowledgement, the review
    invitations (a stakeholder in Chicago), the weekly digest, a reminder of our promise, the
    milestone signed off by the team, its survey, and the project summary."""
    from zoneinfo import ZoneInfo

    from mailbot import summary
    from mailbot.config import load
    from mailbot.service import Mailbot
    from mailbot.sources import RawItem

    (folder / "mailbot.toml").write_text(EN_CONFIG, encoding="utf-8")
    zone = ZoneInfo("Asia/Shanghai")
    now = dt.datetime(2026, 3, 9, 9, 30, tzinfo=zone)
    settings = load(folder / "mailbot.toml", env={})
    with Mailbot(settings, clock=lambda: now) as bot:
        bot.ingest([RawItem("acme-1.eml", EN_MAIL)])
        bot.tick(now)
        bot.flush()
        bot.ingest([RawItem("team-1.eml", _from_the_team(1, "Mon, 09 Mar 2026 10:05:00 +0800",
                                                        "Hi Sam,\r\n\r\nThanks. We'll send the updated prototype by "
                                                        "Thursday 12 March.\r\n\r\nZhang Min"))])
        now = dt.datetime(2026, 3, 11, 9, 30, tzinfo=zone)  # the working day before it is due
        bot.tick(now)
        now = dt.datetime(2026, 3, 30, 10, 0, tzinfo=zone)
        bot.ingest([RawItem("team-2.eml", _from_the_team(2, "Mon, 30 Mar 2026 10:00:00 +0800", "M1 signed off",
                                                        subject="[Acme app] Beta review", to="project@bluebridge.example"))])
        bot.tick(now)
        with bot.store.transaction():
            summary.send(bot.store, settings, settings.projects[0], now)
        bot.flush()
    return sorted((folder / "outbox" / "new").iterdir())


def chinese_summary(demo: Path, now: dt.datetime) -> list[Path]:
    """The demo project's summary, sent at the demo's end (the demo only prints it)."""
    from mailbot import summary
    from mailbot.config import load
    from mailbot.service import Mailbot

    settings = load(demo / "mailbot.toml", env={})
    before = set((settings.outbox.maildir / "new").iterdir())
    with Mailbot(settings, clock=lambda: now) as bot:
        with bot.store.transaction():
            summary.send(bot.store, settings, settings.projects[0], now)
        bot.flush()
    return sorted(set((settings.outbox.maildir / "new").iterdir()) - before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("no Chromium here: run scripts/ci-system-deps.sh")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        result = run_demo(Path(folder) / "demo")
        english = Path(folder) / "english"
        english.mkdir()
        seen: set[str] = set()
        for path in [p for p, _ in result.outgoing] + chinese_summary(result.directory, result.now) + english_mail(english):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            kind = str(message["X-Mailbot"] or "mail").split(";")[0].strip()
            html = message.get_body(("html",))
            lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in str(message["Subject"])) else "en"
            if f"{kind}.{lang}" in seen or html is None:
                continue
            seen.add(f"{kind}.{lang}")
            raw, fits = draw(html.get_content(), Path(folder), width=600, height=1100, name=f"{kind}.{lang}")
            target = args.out / f"{kind}.{lang}.png"
            target.write_bytes(raw)
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {'fits' if fits else 'OVERFLOWS'}")


if __name__ == "__main__":
    main()
