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

EN_MAIL = (b"From: Sam Lee <sam@acme.example>\r\nTo: project@bluebridge.example\r\nSubject: Onboarding screens\r\n"
           b"Date: Wed, 04 Mar 2026 09:15:00 -0600\r\nMessage-ID: <acme-1@acme.example>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nHi Zhang Min,\r\n\r\nCould we add a dark mode to the "
           b"onboarding screens? And please send the updated prototype by Friday.\r\n\r\nSam\r\n")


def english_mail(folder: Path) -> list[Path]:
    """An English project's first week: a change request, its acknowledgement, the review
    invitations (a stakeholder in Chicago) and the weekly digest."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from mailbot.config import load
    from mailbot.service import Mailbot
    from mailbot.sources import RawItem

    (folder / "mailbot.toml").write_text(EN_CONFIG, encoding="utf-8")
    now = dt.datetime(2026, 3, 9, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with Mailbot(load(folder / "mailbot.toml", env={}), clock=lambda: now) as bot:
        bot.ingest([RawItem("acme-1.eml", EN_MAIL)])
        bot.tick(now)
        bot.flush()
    return sorted((folder / "outbox" / "new").iterdir())


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
        for path in [p for p, _ in result.outgoing] + english_mail(english):
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
