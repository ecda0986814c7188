"""`mailbot demo`: the whole pipeline on the bundled sample mailbox, in a folder of its own.

The sample (mailbot/sample/) is one project's mail over five weeks, Chinese and English, from
both sides. The demo copies its configuration into a fresh folder and replays the mail as if it
arrived live (`replay`): each message is read at its own Date, the scheduler ticks every Monday
and after every message, acknowledgements and invitations go out when they would have. It ends
at the first digest moment after the last message, so the output is the same on every run,
whatever today's date, and it leaves the plan and the outbox Maildir in the folder.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from mailbot import config
from mailbot import summary as project_summary
from mailbot.replay import SimulatedClock, date_of, replay
from mailbot.service import IngestReport, Mailbot
from mailbot.sources import RawItem, read_sources
from scheduling import cadence

SAMPLE = Path(__file__).resolve().parent / "sample"


@dataclass(frozen=True)
class DemoResult:
    directory: Path
    maildir: Path
    report: IngestReport
    now: dt.datetime
    snapshot: dict[str, Any]
    outgoing: tuple[tuple[Path, str], ...]
    story: tuple[str, ...] = ()  # the close of a stage: sign-off, survey, answer, alert
    closing: str = ""  # the project summary (team version) at the end

    @property
    def summary(self) -> str:
        r = self.report
        return (
            f"Read {len(r.outcomes)} sample messages: {r.count('processed')} processed, {r.count('ignored')} ignored "
            f"(auto-replies and the like), {len(r.errors)} failed. Scheduler run as of {self.now:%Y-%m-%d %H:%M %Z}."
        )


def sample_messages() -> list[Path]:
    return sorted(SAMPLE.glob("*.eml"))


def run_demo(directory: Path | None = None) -> DemoResult:
    directory = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="mailbot-demo-"))
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / "mailbot.toml"
    if not config_file.exists():
        shutil.copyfile(SAMPLE / "mailbot.toml", config_file)
    settings = config.load(config_file, env={})
    now = _demo_now(settings)
    items = list(read_sources([str(p) for p in sample_messages()]))
    first = min((d for d in (date_of(i) for i in items) if d is not None), default=now)
    clock = SimulatedClock(first - dt.timedelta(days=1))
    with Mailbot(settings, clock=clock) as bot:  # the demo lives in March 2026, whatever today is
        report = replay(bot, clock, items, now)
        story = _close_of_a_stage(bot, clock, now)
        snapshot = bot.plan(now=clock.now)
        closing = project_summary.render(bot.store, settings, settings.projects[0], clock.now).text if settings.projects else ""
        outgoing = tuple((Path(row.maildir_file or ""), row.subject or "") for row in bot.store.outbox.written())
    return DemoResult(directory, settings.outbox.maildir, report, now, snapshot, outgoing, tuple(story), closing)


ANSWER = "3分。设计做得不错，但沟通不够及时，进度也有些拖延，希望下一阶段改进。\n\n李伟"


def _close_of_a_stage(bot: Mailbot, clock: SimulatedClock, now: dt.datetime) -> list[str]:
    """The loop at a stage's end, told: the milestone signed off, its survey, the client's
    answer by reply, the team's alert; the summary follows in the output."""
    done = [m for p in bot.settings.projects for m in bot.store.milestones.of_project(p.key) if m.status == "done"]
    surveys = [r for r in bot.store.outbox.of_kind("survey")]
    if not done or not surveys:
        return []
    survey = surveys[0]
    to = survey.recipients[0]
    answer = (f"From: {to}\r\nTo: {bot.settings.team.address}\r\nSubject: 回复：{survey.subject}\r\n"
              f"Date: {format_datetime(now + dt.timedelta(hours=2))}\r\nMessage-ID: <survey-answer@demo.example>\r\n"
              f"In-Reply-To: {survey.message_id}\r\nReferences: {survey.message_id}\r\nMIME-Version: 1.0\r\n"
              "Content-Type: text/plain; charset=utf-8\r\n\r\n" + ANSWER.replace("\n", "\r\n")).encode("utf-8")
    clock.now = now + dt.timedelta(hours=2, minutes=1)
    (outcome,) = bot.ingest([RawItem("survey-answer.eml", answer, received=now + dt.timedelta(hours=2))]).outcomes
    bot.tick(clock.now)
    bot.flush(clock.now)
    answered = next((s for p in bot.settings.projects for s in bot.store.reactions.surveys(p.key) if s.message_id == "<survey-answer@demo.example>"), None)
    alerts = [r for r in bot.store.outbox.of_kind("alert") if r.in_reply_to == "<survey-answer@demo.example>"]
    lines = [f"Milestone signed off: {done[0].name} ({(done[0].done_at or '')[:10]})",
             f"Survey sent to {len({r.recipients[0] for r in surveys})} client stakeholder(s), e.g. {to}: {survey.subject}",
             f"{to} answered by reply: {ANSWER.splitlines()[0]}",
             f"  read as score {answered.score if answered else None} on {answered.scale if answered else '?'}, comment kept as feedback; "
             f"message {outcome.state}, nothing acknowledged as a change request"]
    lines += [f"Alert to the team within the minute: {a.subject} (to {', '.join(a.recipients)})" for a in alerts]
    return lines


def _demo_now(settings: config.Settings) -> dt.datetime:
    """The first digest moment after the newest sample message."""
    parser = BytesHeaderParser(policy=default)
    dates = []
    for path in sample_messages():
        value = parser.parsebytes(path.read_bytes()).get("Date")
        if value:
            dates.append(parsedate_to_datetime(str(value)))
    newest = max(dates)
    schedule = settings.projects[0].digest if settings.projects else config.DigestSchedule()
    return cadence.last_due(schedule.weekday, schedule.time, settings.team.zone, newest + dt.timedelta(days=7))
