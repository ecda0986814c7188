"""How close mailbot's plan comes to the plan a careful project manager keeps by hand. Prints figures; not a test.

    python bench/plan_quality.py [--set dev|heldout] [--project KEY] [--misses] [--json]

Each project in bench/plan/<set>/ (bench/plan/README.md) is fed through mailbot as if its mail
arrived live: messages in date order, the clock at each message's Date, the scheduler ticking
after every message and at every weekly digest moment between them. Then, at the answer key's
`now`, mailbot's plan (`plan --json`) and client digest are compared with `expected.yaml`:

- open items: precision (mailbot's open commitments and requests that are an open item of the
  key; a second row for the same thing counts against it) and recall (open items of the key
  that mailbot shows open);
- client digests: stale overdue rows (shown overdue although the key has the item closed by
  then) and junk rows (items that match nothing of the key), in the digest at `now` and summed
  over every weekly digest the project sent;
- change requests: status accuracy (pending / accepted / rejected / withdrawn) over the key's
  change requests plus those mailbot made up;
- milestones: name and final date right (and, separately, done or not as well);
- meetings proposed in mail: status and start right, over the key's meetings plus made-up ones;
- the project's status (active / finished).

An item of mailbot's is the key's item when one of its sources (message and text) is one of
the key's sources: the same message, and one text containing the other, or sharing at least
half their character pairs. `--misses` lists what did not match (dev sets only: the held-out
set is scored, never read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot import config  # noqa: E402
from mailbot.replay import SimulatedClock, replay  # noqa: E402
from mailbot.service import Mailbot  # noqa: E402
from mailbot.sources import RawItem  # noqa: E402

DATA = ROOT / "bench" / "plan"

CR_GROUP = {
    "received": "pending", "acknowledged": "pending", "assessed": "pending", "needs_info": "pending",
    "accepted": "accepted", "applied": "accepted", "rejected": "rejected", "withdrawn": "withdrawn",
}
MEETING_GROUP = {"proposed": "proposed", "agreed": "agreed", "invited": "agreed", "held": "agreed", "cancelled": "cancelled"}


# -- matching -----------------------------------------------------------------------------------

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    return _NOISE.sub("", text.casefold())


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def similar(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return False
    if x in y or y in x:
        return True
    px, py = _pairs(x), _pairs(y)
    return bool(px and py) and 2 * len(px & py) / (len(px) + len(py)) >= 0.5


Source = tuple[str, str]  # (Message-ID, text)


def matches(ours: list[Source], theirs: list[Source]) -> bool:
    return any(m1 == m2 and similar(t1, t2) for m1, t1 in ours for m2, t2 in theirs)


# -- one project --------------------------------------------------------------------------------


@dataclass
class Message:
    path: Path
    raw: bytes
    message_id: str
    date: dt.datetime


def read_mail(folder: Path) -> list[Message]:
    parser = BytesHeaderParser(policy=default)
    messages = []
    for path in sorted((folder / "mail").glob("*.eml")):
        raw = path.read_bytes()
        headers = parser.parsebytes(raw)
        messages.append(Message(path, raw, str(headers["Message-ID"]).strip(), parsedate_to_datetime(str(headers["Date"]))))
    return messages


@dataclass
class Result:
    project: str
    figures: dict[str, Any]
    misses: list[str] = field(default_factory=list)


def run_project(folder: Path) -> Result:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    messages = read_mail(folder)
    ids = {m.path.name: m.message_id for m in messages}
    dates = {m.path.name: m.date for m in messages}
    with tempfile.TemporaryDirectory(prefix="mailbot-plan-") as work:
        shutil.copyfile(folder / "mailbot.toml", Path(work) / "mailbot.toml")
        settings = config.load(Path(work) / "mailbot.toml", env={})
        # the written mail never passed a mail server, so nothing authenticates the team: trust its domain
        settings = replace(settings, team=replace(settings.team, trust="domain"))
        project = settings.projects[0]
        zone = settings.team.zone
        end = _moment(expected["now"], zone)
        clock = SimulatedClock(min(m.date for m in messages) - dt.timedelta(days=1))
        with Mailbot(settings, clock=clock) as bot:
            report = replay(bot, clock, [RawItem(str(m.path), m.raw, received=m.date) for m in messages], end)
            reading = {state: sum(1 for o in report.outcomes if o.state == state) for state in ("processed", "ignored", "failed")}
            reading["unassigned"] = bot.store.messages.unassigned_count()
            plan = bot.plan(now=end, project_key=project.key)["projects"][0]
            final_digest = bot.digest_context(project, end)
            weekly = [json.loads(row["report"]) | {"_at": row["created_at"]} for row in
                      bot.store.rows("SELECT report, created_at FROM digests WHERE project_key = ? ORDER BY period_start", [project.key])]
    result = score(expected, plan, final_digest, weekly, ids, dates, end)
    result.figures["messages"] = reading  # how the mail was read: a health check that reveals no content
    return result


def _moment(value: Any, zone: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


# -- scoring ------------------------------------------------------------------------------------


def _sources(entry: dict[str, Any], ids: dict[str, str]) -> list[Source]:
    return [(ids.get(s["file"], s["file"]), s["quote"]) for s in entry.get("sources", [])]


def _ours(item: dict[str, Any]) -> list[Source]:
    found = [(s["message_id"], s["text"]) for s in item.get("sources", []) if s.get("message_id")]
    return found or [(item.get("message_id") or "", item.get("text") or "")]


def score(expected: dict[str, Any], plan: dict[str, Any], digest: dict[str, Any], weekly: list[dict[str, Any]],
          ids: dict[str, str], dates: dict[str, dt.datetime], end: dt.datetime) -> Result:
    misses: list[str] = []
    items = expected.get("items", [])
    keyed = [(item, _sources(item, ids)) for item in items]
    ours = plan["commitments"] + plan["requests"]

    def which(item: dict[str, Any]) -> dict[str, Any] | None:
        for theirs, sources in keyed:
            if matches(_ours(item), sources):
                return theirs
        return None

    # open items
    open_ours = [i for i in ours if i["status"] == "open"]
    seen: set[int] = set()
    true_open = 0
    due_right = owner_right = 0
    for item in open_ours:
        theirs = which(item)
        if theirs is not None and theirs["status"] == "open" and id(theirs) not in seen:
            seen.add(id(theirs))
            true_open += 1
            due_right += str(item.get("due") or None) == str(theirs.get("due") or None)
            owner_right += item.get("by") == theirs.get("by")
        else:
            why = "no such item" if theirs is None else ("twice" if id(theirs) in seen else f"it is {theirs['status']}")
            misses.append(f"shown open ({why}): {item.get('id')} [{item.get('by')}] {item['text'][:80]}")
    expected_open = [i for i in items if i["status"] == "open"]
    for theirs in expected_open:
        if id(theirs) not in seen:
            misses.append(f"not shown open: [{theirs['by']}] {theirs['what']}")

    # client digests
    def digest_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
        rows = report.get("overdue", []) + report.get("next", []) + report.get("in_progress", [])
        return [r for r in rows if r.get("kind") in ("commitment", "request")]

    by_ref = {i["id"]: i for i in ours}

    def judge(report: dict[str, Any], at: dt.datetime, label: str) -> tuple[int, int]:
        stale = junk = 0
        for row in digest_rows(report):
            item = by_ref.get(row.get("id", ""))
            theirs = which(item) if item else None
            if theirs is None:
                junk += 1
                if label == "now":
                    misses.append(f"junk row in the digest: {row.get('id')} {row['text'][:80]}")
            elif row.get("status") == "overdue" and theirs["status"] != "open" and dates.get(theirs.get("closed_by", ""), end) <= at:
                stale += 1
                if label == "now":
                    misses.append(f"stale overdue row: {row.get('id')} {row['text'][:80]} (closed by {theirs.get('closed_by')})")
        return stale, junk

    stale_now, junk_now = judge(digest, end, "now")
    stale_all = junk_all = 0
    for report in weekly:
        s, j = judge(report, dt.datetime.fromisoformat(report["_at"]), "weekly")
        stale_all += s
        junk_all += j

    # change requests
    crs = [(c, _sources(c, ids)) for c in expected.get("change_requests", [])]
    matched_crs: set[int] = set()
    cr_right = cr_spurious = 0
    for change in plan["change_requests"]:
        source = [(change.get("message_id") or "", change["text"])] + [(s["message_id"], s["text"]) for s in change.get("sources", [])]
        theirs = next((c for c, srcs in crs if matches(source, srcs)), None)
        if theirs is None:
            cr_spurious += 1
            misses.append(f"made-up change request: {change['number']} [{change['status']}] {change['text'][:80]}")
            continue
        if id(theirs) in matched_crs:
            cr_spurious += 1
            misses.append(f"change request twice: {change['number']} {change['text'][:60]}")
            continue
        matched_crs.add(id(theirs))
        if CR_GROUP.get(change["status"]) == theirs["status"]:
            cr_right += 1
        else:
            misses.append(f"change request {change['number']} is {change['status']}, should be {theirs['status']}: {theirs['what']}")
    for theirs, _ in crs:
        if id(theirs) not in matched_crs:
            misses.append(f"change request missed: [{theirs['origin']}] {theirs['what']} ({theirs['status']})")
    cr_total = len(crs) + cr_spurious

    # milestones
    ms_expected = expected.get("milestones", [])
    ms_ours = {m["name"]: m for m in plan["milestones"] if m["status"] != "dropped"}
    ms_dated = ms_full = 0
    for theirs in ms_expected:
        mine = ms_ours.get(theirs["name"])
        if mine is None:
            misses.append(f"milestone missing: {theirs['name']}")
            continue
        if str(mine["due"]) == str(theirs["due"]):
            ms_dated += 1
            if (mine["status"] == "done") == bool(theirs.get("done")):
                ms_full += 1
            else:
                misses.append(f"milestone {theirs['name']} is {mine['status']}, should be {'done' if theirs.get('done') else 'not done'}")
        else:
            misses.append(f"milestone {theirs['name']} due {mine['due']}, should be {theirs['due']}")
    ms_spurious = len([n for n in ms_ours if n not in {m["name"] for m in ms_expected}])
    ms_total = len(ms_expected) + ms_spurious

    # meetings
    mt_expected = expected.get("meetings", [])
    reviews = {m["name"]: m.get("review") for m in plan["milestones"]}
    proposed = [m for m in plan["meetings"] if m.get("kind") not in ("review", "status")]
    used: set[int] = set()
    mt_right = 0
    for theirs in mt_expected:
        srcs = _sources(theirs, ids)
        if theirs.get("review_of"):
            mine = reviews.get(theirs["review_of"])
            mine = {**mine, "status": mine.get("status")} if mine else None
        else:
            mine = next((m for m in proposed if id(m) not in used and matches(_meeting_sources(m), srcs)), None)
            if mine is not None:
                used.add(id(mine))
        if mine is None:
            misses.append(f"meeting missing: {theirs['what']} ({theirs['status']} {theirs.get('start')})")
            continue
        status_ok = MEETING_GROUP.get(mine.get("status") or "") == theirs["status"]
        start_ok = theirs.get("start") is None and theirs["status"] != "agreed" or str(mine.get("start")) == str(theirs.get("start")).replace(" ", "T")[:16]
        if status_ok and start_ok:
            mt_right += 1
        else:
            misses.append(f"meeting {theirs['what']}: {mine.get('status')} {mine.get('start')}, should be {theirs['status']} {theirs.get('start')}")
    mt_spurious = len([m for m in proposed if id(m) not in used])
    for m in proposed:
        if id(m) not in used:
            misses.append(f"made-up meeting: {m.get('id')} [{m.get('status')}] {str(m.get('title'))[:60]}")
    mt_total = len(mt_expected) + mt_spurious

    figures = {
        "open_shown": len(open_ours),
        "open_expected": len(expected_open),
        "open_true": true_open,
        "open_precision": _ratio(true_open, len(open_ours)),
        "open_recall": _ratio(len(seen), len(expected_open)),
        "open_due_right": due_right,
        "open_owner_right": owner_right,
        "stale_overdue_now": stale_now,
        "junk_rows_now": junk_now,
        "stale_overdue_weekly": stale_all,
        "junk_rows_weekly": junk_all,
        "weekly_digests": len(weekly),
        "cr_right": cr_right,
        "cr_total": cr_total,
        "cr_accuracy": _ratio(cr_right, cr_total),
        "milestones_dated": ms_dated,
        "milestones_full": ms_full,
        "milestones_total": ms_total,
        "milestone_accuracy": _ratio(ms_dated, ms_total),
        "milestone_accuracy_with_status": _ratio(ms_full, ms_total),
        "meetings_right": mt_right,
        "meetings_total": mt_total,
        "meeting_accuracy": _ratio(mt_right, mt_total),
        "status_right": plan.get("status") == expected.get("status"),
    }
    return Result(expected["project"], figures, misses)


def _meeting_sources(meeting: dict[str, Any]) -> list[Source]:
    found = [(s["message_id"], s["text"]) for s in meeting.get("sources", []) if s.get("message_id")]
    return found or [(meeting.get("message_id") or "", meeting.get("title") or "")]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


# -- report -------------------------------------------------------------------------------------


def overall(results: list[Result]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for key in ("open_shown", "open_expected", "open_true", "stale_overdue_now", "junk_rows_now", "stale_overdue_weekly",
                "junk_rows_weekly", "weekly_digests", "cr_right", "cr_total", "milestones_dated", "milestones_full", "milestones_total",
                "meetings_right", "meetings_total", "open_due_right", "open_owner_right"):
        total[key] = sum(r.figures[key] for r in results)
    recall_hits = sum(round((r.figures["open_recall"] or 0) * r.figures["open_expected"]) for r in results)
    total["open_precision"] = _ratio(total["open_true"], total["open_shown"])
    total["open_recall"] = _ratio(recall_hits, total["open_expected"])
    total["cr_accuracy"] = _ratio(total["cr_right"], total["cr_total"])
    total["milestone_accuracy"] = _ratio(total["milestones_dated"], total["milestones_total"])
    total["milestone_accuracy_with_status"] = _ratio(total["milestones_full"], total["milestones_total"])
    total["meeting_accuracy"] = _ratio(total["meetings_right"], total["meetings_total"])
    total["status_right"] = sum(1 for r in results if r.figures["status_right"])
    return total


def print_table(results: list[Result], total: dict[str, Any]) -> None:
    rows = [(r.project, r.figures) for r in results] + [("overall", total)]
    print(f"{'project':<20} {'open P':>7} {'open R':>7} {'stale':>6} {'junk':>5} {'stale/wk':>8} {'junk/wk':>8} "
          f"{'CR acc':>7} {'MS acc':>7} {'MS+done':>8} {'MT acc':>7} {'status':>7}")
    for name, f in rows:
        status = f["status_right"] if name == "overall" else ("ok" if f["status_right"] else "wrong")
        print(f"{name:<20} {_pct(f['open_precision']):>7} {_pct(f['open_recall']):>7} {f['stale_overdue_now']:>6} {f['junk_rows_now']:>5} "
              f"{f['stale_overdue_weekly']:>8} {f['junk_rows_weekly']:>8} {_pct(f['cr_accuracy']):>7} {_pct(f['milestone_accuracy']):>7} "
              f"{_pct(f['milestone_accuracy_with_status']):>8} {_pct(f['meeting_accuracy']):>7} {status!s:>7}")
    print(f"\nopen items: {total['open_true']} right of {total['open_shown']} shown, {total['open_expected']} expected; "
          f"of the right ones, due date right {total['open_due_right']}, owner right {total['open_owner_right']}")
    print(f"client digests: {total['weekly_digests']} weekly digests; stale overdue rows {total['stale_overdue_weekly']}, "
          f"junk rows {total['junk_rows_weekly']} over all of them")
    for name, f in rows[:-1]:
        read = f.get("messages", {})
        print(f"mail read, {name}: " + ", ".join(f"{n} {state}" for state, n in read.items()))


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # the figures, not mailbot's log
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--project", help="only the project in this folder of the set")
    parser.add_argument("--misses", action="store_true", help="list what did not match (dev only)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.misses and args.set == "heldout":
        parser.error("the held-out set is scored, never read: --misses is for dev")
    folders = sorted(p for p in (DATA / args.set).iterdir() if (p / "expected.yaml").exists())
    if args.project:
        folders = [f for f in folders if f.name == args.project]
    results = [run_project(folder) for folder in folders]
    total = overall(results)
    if args.json:
        print(json.dumps({"projects": {r.project: r.figures for r in results}, "overall": total}, indent=2))
        return
    print(f"plan quality, {args.set} set: {len(results)} projects, {sum(len(list((f / 'mail').glob('*.eml'))) for f in folders)} messages\n")
    print_table(results, total)
    if args.misses:
        for result in results:
            print(f"\n== {result.project}: {len(result.misses)} misses")
            for line in result.misses:
                print("  " + line)


if __name__ == "__main__":
    main()
