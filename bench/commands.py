"""Commands by mail: how well they are read, and how fast they are carried out.

    python bench/commands.py [--set heldout|dev] [--speed] [--items 10000] [--mails 200]

Reading: each case of the table (tests/fixtures/commands_heldout.json, written by a helper who
never saw the grammar; `--set dev` is the development table of tests/test_commands.py) is sent
through the same path as a team member's reply: the body becomes a message, `extract` strips
quoted history and signatures, `read_commands` reads what is left. A case is a hit when the
commands come out exactly as expected, in order (verb, id, date, owner, days, project, and
the line of an unclear one; the free text of an assessment or a rejection is not compared).
Per command: precision and recall over (verb, id, value) triples. Misses are listed.

Speed: a store with --items open items in one project, then --mails command mails from a
proven team member (three commands each), each through `Mailbot.ingest` as the service does it:
the command's effect and its confirmation queued in one transaction. Prints mails per second
and the latency per mail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from parsing.commands import read_commands  # noqa: E402
from parsing.pipeline import Context, extract  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "commands_heldout.json"
COMPARED = ("verb", "id", "date", "owner", "days", "project")


def _raw(body: str, when: dt.datetime) -> bytes:
    head = (f"From: Chen Jing <chen.jing@studio.example>\r\nTo: project@studio.example\r\nSubject: Re: [华锦零售官网改版] 首页\r\n"
            f"Date: {email.utils.format_datetime(when)}\r\nMessage-ID: <b@studio.example>\r\nIn-Reply-To: <ack@studio.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
    return (head + body.replace("\n", "\r\n")).encode("utf-8")


def _key(command: dict[str, Any]) -> tuple[Any, ...]:
    if command["verb"] == "unclear":
        return ("unclear", command.get("line", "").strip())
    return tuple(command.get(name) for name in COMPARED)


def score(cases: list[dict[str, Any]], reference: dt.datetime) -> int:
    context = Context(team_domains=("studio.example",), timezone="Asia/Shanghai")
    hits = found_right = found_all = expected_all = 0
    misses = []
    for number, case in enumerate(cases):
        body = extract(_raw(case["mail"], reference), context).body
        got = [_key(c.as_json()) for c in read_commands(body, reference=reference)]
        want = [_key(c) for c in case["expect"]]
        hits += got == want
        right = sum(min(got.count(k), want.count(k)) for k in set(want))
        found_right, found_all, expected_all = found_right + right, found_all + len(got), expected_all + len(want)
        if got != want:
            misses.append((number, want, got))
    print(f"cases: {len(cases)}; exactly right: {hits} ({hits / len(cases):.0%})")
    print(f"commands: expected {expected_all}, read {found_all}, right {found_right}; "
          f"precision {found_right / max(found_all, 1):.2f}, recall {found_right / max(expected_all, 1):.2f}")
    for number, want, got in misses:
        print(f"  case {number}: expected {want}\n           read     {got}")
    return 0


def dev_cases() -> list[dict[str, Any]]:
    from test_commands import GRAMMAR

    return [{"mail": line, "expect": [expected]} for line, expected in GRAMMAR]


def speed(items: int, mails: int) -> None:
    from mailbot.config import load
    from mailbot.service import Mailbot
    from mailbot.sources import RawItem

    folder = Path(tempfile.mkdtemp(prefix="mailbot-commands-"))
    config = (ROOT / "mailbot" / "sample" / "mailbot.toml").read_text(encoding="utf-8")
    (folder / "mailbot.toml").write_text(config.replace('path = "mailbot.db"', f'path = "{folder / "plan.db"}"'), encoding="utf-8")
    settings = load(folder / "mailbot.toml", env={})
    project = settings.projects[0]
    now = dt.datetime(2026, 4, 8, 2, 0, tzinfo=dt.timezone.utc)
    with Mailbot(settings, clock=lambda: now) as bot:
        with bot.store.transaction():
            for n in range(items):
                bot.store.insert("items", {"project_key": project.key, "kind": "commitment", "number": n + 1, "text": f"交付第{n + 1}项",
                                           "by": "us", "status": "open", "created_at": "2026-04-01T00:00:00+00:00"})
        auth = "Authentication-Results: mx.studio.example; dkim=pass header.d=studio.example; dmarc=pass header.from=studio.example\r\n"
        team = next(s for s in project.stakeholders if s.party == "us")
        latencies = []
        started = time.perf_counter()
        for m in range(mails):
            c = m * 3 % items + 1
            body = f"C{c} 完成\r\nC{c + 1} 改到4月20日\r\nC{c + 2} due Friday\r\n"
            raw = (auth + f"From: {team.address}\r\nTo: {settings.team.address}\r\nSubject: Re: [{project.tag}] plan\r\n"
                   f"Date: {email.utils.format_datetime(now)}\r\nMessage-ID: <cmd{m}@studio.example>\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode("utf-8")
            one = time.perf_counter()
            (outcome,) = bot.ingest([RawItem(f"cmd{m}.eml", raw)]).outcomes
            latencies.append(time.perf_counter() - one)
            assert outcome.state == "processed" and (outcome.reason or "").startswith("commands: 3 done"), outcome
        took = time.perf_counter() - started
    print(f"store: {items:,} items; {mails} command mails of 3 commands each, through Mailbot.ingest (effect and answer queued)")
    print(f"  {mails / took:.1f} mails/s, {3 * mails / took:.1f} commands/s; latency per mail median "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {sorted(latencies)[int(len(latencies) * 0.95)] * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("heldout", "dev"), default="heldout")
    parser.add_argument("--speed", action="store_true", help="measure carrying commands out instead")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--mails", type=int, default=200)
    args = parser.parse_args()
    if args.speed:
        speed(args.items, args.mails)
        return 0
    if args.set == "dev":
        return score(dev_cases(), dt.datetime(2026, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    table = json.loads(HELDOUT.read_text(encoding="utf-8"))
    return score(table["cases"], dt.datetime.fromisoformat(table["reference"]))


if __name__ == "__main__":
    sys.exit(main())
