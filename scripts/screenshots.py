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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("no Chromium here: run scripts/ci-system-deps.sh")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        result = run_demo(Path(folder) / "demo")
        seen: set[str] = set()
        for path, _ in result.outgoing:
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            kind = str(message["X-Mailbot"] or "mail").split(";")[0].strip()
            html = message.get_body(("html",))
            if kind in seen or html is None:
                continue
            seen.add(kind)
            lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in str(message["Subject"])) else "en"
            raw, fits = draw(html.get_content(), Path(folder), width=600, height=1100, name=f"{kind}.{lang}")
            target = args.out / f"{kind}.{lang}.png"
            target.write_bytes(raw)
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {'fits' if fits else 'OVERFLOWS'}")


if __name__ == "__main__":
    main()
