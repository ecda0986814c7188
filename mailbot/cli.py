"""The `mailbot` command: a thin shell over `mailbot.service` (CONTRACT.md is its outside).

Each command loads the settings, opens the service, calls one function and prints. mailbot's
exceptions become exit codes in one place (`MailbotGroup.invoke`): 2 for bad usage or
configuration, 1 for anything else. A bad input never stops a batch: it is reported on stderr
with its path and the reason, and the exit status is 1 at the end.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mailbot import __version__
from mailbot.config import Settings, load
from mailbot.errors import ConfigError, MailbotError

logger = logging.getLogger(__name__)


class ConfigUsageError(click.ClickException):
    exit_code = 2


class MailbotGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise ConfigUsageError(str(exc)) from exc
        except MailbotError as exc:
            raise click.ClickException(str(exc)) from exc


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Configuration file (default: ./mailbot.toml).",
)


F = TypeVar("F", bound=Callable[..., Any])


def _imported() -> None:
    """Called by a command once it has imported what it runs. Those modules, classes and
    functions live as long as the process, so they are moved out of the cyclic collector's way
    (`gc.freeze`): the full collections that a tick's thousands of records set off no longer walk
    them all again (7% of a first tick on a store of 50,000 messages)."""
    gc.freeze()


def _now_option(help_text: str) -> Callable[[F], F]:
    return click.option("--now", "now_text", default=None, metavar="ISO", help=help_text)


def counted(n: int, noun: str) -> str:
    """"1 message", "2 messages": the English plural of the nouns the CLI counts."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def parse_now(text: str | None, settings: Settings | None) -> dt.datetime | None:
    """`--now`: an ISO 8601 date or date-time; without an offset it is in the team's zone.
    None without one: the service's clock decides."""
    zone = settings.team.zone if settings else dt.timezone.utc
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 date or date-time", param_hint="--now") from None
    return value if value.tzinfo else value.replace(tzinfo=zone)


@click.group(cls=MailbotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mailbot")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log lines as text, or as JSON objects one per line (for a log collector).")
def cli(verbose: int, log_format: str) -> None:
    """mailbot: the project's own email address.

    It reads the project mail (Chinese and English), keeps the plan in SQLite and writes back:
    change-request acknowledgements, weekly digests, invites, reminders, satisfaction surveys,
    alerts to the team and the project summary. The team decides by replying with commands
    ("C12 done", "CR-3 接受").
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    formatter = JsonLines() if log_format == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)


class JsonLines(logging.Formatter):
    """One JSON object per log line: time (UTC, ISO 8601), level, logger, message, and the
    exception's text when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# -- extract ----------------------------------------------------------------------------------


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message (JSON Lines).")
@config_option
def extract(files: tuple[str, ...], as_json: bool, config_path: Path | None) -> None:
    """Parse message files (- for stdin) and print what they say. No store, no side effects."""
    from mailbot.config import parsing_context
    from mailbot.sources import read_sources
    from parsing import ParseError
    from parsing.mime import read_email
    from parsing.pipeline import Context, extract_email

    settings = _settings_if_any(config_path)
    context = parsing_context(settings) if settings else Context()
    stdin = sys.stdin.buffer.read() if "-" in files else None
    failed = False
    for item in read_sources(files, stdin=stdin):
        if item.error:
            _report_bad_input(item.source, item.error)
            failed = True
            continue
        try:
            extraction = extract_email(read_email(item.raw, fallback_date=item.received), context)
        except ParseError as exc:
            _report_bad_input(item.source, str(exc))
            failed = True
            continue
        record = _extraction_json(item.source, extraction, context.zone)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(_extraction_text(record))
    if failed:
        sys.exit(1)


def _settings_if_any(config_path: Path | None) -> Settings | None:
    if config_path is None and not Path("mailbot.toml").exists():
        return None
    return load(config_path)


def _report_bad_input(source: str, reason: str) -> None:
    click.echo(f"mailbot: {source}: {reason}", err=True)


def _extraction_json(source: str, extraction: Any, zone: Any) -> dict[str, Any]:
    email = extraction.email
    return {
        "file": source,
        "message_id": email.message_id,
        "from": email.sender.address if email.sender else None,
        "party": str(extraction.party),
        "date": email.date.astimezone(zone).isoformat() if email.date else None,
        "subject": email.subject,
        "language": extraction.language,
        "body": extraction.body,
        "findings": [f.as_json() for f in extraction.findings],
        "category": str(extraction.category),
        "to": [a.address for a in email.to],
        "cc": [a.address for a in email.cc],
        "notes": list(extraction.notes) + list(email.defects),
    }


def _extraction_text(record: dict[str, Any]) -> str:
    lines = [
        f"== {record['file']}",
        f"   {record['date'] or '(no date)'}  {record['from'] or '(no sender)'} ({record['party']}, {record['language']})",
        f"   {record['subject']}",
    ]
    if record["category"] != "normal":
        lines.append(f"   [{record['category']}: not acted on]")
    for finding in record["findings"]:
        extra = []
        if finding.get("by"):
            extra.append(f"by {finding['by']}")
        if finding.get("due"):
            extra.append(f"due {finding['due']} ({finding['due_text']})")
        for key in ("sentiment", "score", "start"):
            if finding.get(key) is not None:
                extra.append(f"{key} {finding[key]}")
        lines.append(f"   - {finding['kind']}: {finding['text']}" + (f"  [{', '.join(extra)}]" if extra else ""))
    if not record["findings"] and record["category"] == "normal":
        lines.append("   (no findings)")
    return "\n".join(lines)


# -- ingest -----------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@config_option
def ingest(paths: tuple[str, ...], config_path: Path | None) -> None:
    """Feed .eml files, mbox files or Maildir folders into the plan, as if they came by IMAP."""
    from mailbot.service import IngestReport, Mailbot
    from mailbot.sources import count_messages, read_sources

    _imported()

    settings = load(config_path)
    report = IngestReport()
    interrupted = False
    with Mailbot(settings, isolate=True) as bot:  # each message read in a worker with a deadline
        items = read_sources(paths, stdin=sys.stdin.buffer.read() if "-" in paths else None)
        total = count_messages(paths) if sys.stderr.isatty() else None
        try:
            if total and total >= 20:
                with click.progressbar(length=total, label="ingesting", file=sys.stderr) as bar:
                    bot.ingest(items, progress=lambda _: bar.update(1), report=report)
            else:
                bot.ingest(items, report=report)
        except KeyboardInterrupt:  # Ctrl-C: what was read stays read; what it queued still goes out
            interrupted = True
        flushed = bot.flush()
    for outcome in report.errors:
        _report_bad_input(outcome.source, outcome.reason or "failed")
    click.echo(
        f"{counted(len(report.outcomes), 'message')}: {report.count('processed')} processed, {report.count('ignored')} ignored, "
        f"{report.count('duplicate')} already known, {len(report.errors)} failed; "
        f"{flushed.sent + flushed.stored} outgoing ({flushed.sent} sent, {flushed.stored} kept in {settings.outbox.maildir})"
    )
    if interrupted:
        click.echo("interrupted: the messages above are in the plan; run the same command again for the rest "
                   "(what is already known is skipped)", err=True)
        sys.exit(130)
    if report.errors:
        sys.exit(1)


# -- run --------------------------------------------------------------------------------------


@cli.command()
@click.option("--once", is_flag=True, help="Process what is there, tick once, send, and exit.")
@config_option
def run(once: bool, config_path: Path | None) -> None:
    """The service: watch the inbox (IMAP IDLE), process, send, and do what falls due.

    SIGTERM or SIGINT stops it gracefully: the message in hand is finished and the outbox
    flushed. Mail dated before mailbot first opened its plan (or outbox.answer_since) is read
    into the plan but never answered.
    """
    from mailbot.runlock import Held, RunLock
    from mailbot.service import Mailbot
    from mailbot.watch import watcher_for

    _imported()

    settings = load(config_path)
    if settings.imap is None:
        raise ConfigUsageError("configuration: imap: no [imap] section, so there is no mailbox to watch (use 'mailbot ingest' for files)")
    try:
        with RunLock(settings.store_path), Mailbot(settings, isolate=True) as bot:
            watcher = watcher_for(bot)
            import asyncio  # only the service needs an event loop

            asyncio.run(_serve(watcher, once))
    except Held as exc:
        raise ConfigUsageError(str(exc)) from None
    failed = [o for o in watcher.outcomes if o.state in ("failed", "unreadable")]
    for outcome in failed:
        _report_bad_input(outcome.source, outcome.reason or "failed")
    if once:
        click.echo(f"{counted(len(watcher.outcomes), 'message')} handled, {len(failed)} failed")
    if failed:
        sys.exit(1)


async def _serve(watcher: Any, once: bool) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, watcher.stop.set)
    try:
        await watcher.run(once=once)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)


# -- tick -------------------------------------------------------------------------------------


@cli.command()
@_now_option("The moment to act for (default: now); without an offset, in the team's zone.")
@config_option
def tick(now_text: str | None, config_path: Path | None) -> None:
    """Send what is due at --now (digests, invitations, reminders, surveys, review lists); the same moment twice sends nothing twice."""
    from mailbot.service import Mailbot

    _imported()

    settings = load(config_path)
    with Mailbot(settings) as bot:
        now = parse_now(now_text, settings) or bot.clock()
        queued = bot.tick(now)
        flushed = bot.flush()
    click.echo(f"{len(queued)} queued" + (f": {', '.join(queued)}" if queued else "") + f"; {flushed.sent} sent, {flushed.stored} kept, {flushed.failed} failed")
    if flushed.failed:
        sys.exit(1)


# -- plan -------------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object (CONTRACT.md).")
@click.option("--project", "project_key", default=None, help="Only this project (its key).")
@_now_option("Judge overdue items as of this moment (default: now).")
@config_option
def plan(as_json: bool, project_key: str | None, now_text: str | None, config_path: Path | None) -> None:
    """Print the plan: projects, milestones, commitments, change requests, feedback, meetings."""
    from mailbot.clock import system_clock
    from mailbot.plan.snapshot import dumps, plan_as_of
    from mailbot.plan.sync import open_plan

    settings = load(config_path)
    with open_plan(settings, system_clock()) as store:  # reading needs neither the appliers nor the service
        snapshot = plan_as_of(store, settings, parse_now(now_text, settings) or system_clock(), project_key)
    # indented for a person at a terminal; one line (the C encoder, fast on a large plan) for scripts
    click.echo(dumps(snapshot, indent=2 if sys.stdout.isatty() else None) if as_json else format_plan(snapshot))


def format_plan(snapshot: dict[str, Any]) -> str:
    """The plan as readable text, one section per project."""
    out: list[str] = []
    for project in snapshot["projects"]:
        out.append(f"■ {project['name']} ({project['key']}), {counted(project.get('messages', 0), 'message')}")
        out += _section("Milestones", project["milestones"], lambda m: f"{m['due']}  {m['name']}  [{m['status']}]")
        out += _section("Commitments", project["commitments"], _item_line)
        out += _section("Requests", project["requests"], _item_line)
        out += _section("Change requests", project["change_requests"], lambda c: f"{c['number']}  {c['text']}  [{c['status']}]")
        out += _section("Approvals", project.get("approvals", []), lambda a: f"{a['text']}  ({a['who']})")
        out += _section("Feedback", project["feedback"], lambda f: f"[{f['sentiment']}] {f['text']}  ({f['who']})")
        out += _section("Meetings", project["meetings"], _meeting_line)
        out += _section("Risks", project["risks"], lambda r: f"{r['text']}  [{r['status']}]")
        out += _section("Surveys", project["surveys"], lambda s: f"{s['address']}: {s['score'] if s['score'] is not None else '-'}  [{s['status']}]")
        out.append("")
    listed = snapshot.get("messages", {})
    out.append(f"Unassigned messages: {snapshot['unassigned']}")
    out += _messages(listed.get("unassigned", []), "mailbot assign MESSAGE-ID PROJECT")
    for ghost in snapshot.get("unconfigured", []):
        out.append(f"Not in the configuration: {ghost['key']} ({counted(ghost['items'], 'item')} kept; "
                   "put the key back in mailbot.toml to see them, or leave it to keep them out of view)")
    if listed.get("ignored"):
        out.append(f"Ignored messages: {len(listed['ignored'])}")
        out += _messages(listed["ignored"], None)
    if listed.get("failed"):
        out.append(f"Failed messages: {len(listed['failed'])}")
        out += _messages(listed["failed"], "mailbot retry MESSAGE-ID")
    return "\n".join(out)


SHOWN = 10  # messages listed per kind in the text; plan --json has them all


def _messages(rows: list[dict[str, Any]], hint: str | None) -> list[str]:
    """Who, what, when and why for each message that made no plan, and what to do about it."""
    out = [f"    {(m['date'] or '')[:16]:<16}  {m['from'] or '?'}  {m['subject'] or m['source'] or ''}\n"
           f"        {m['message_id']}: {m['reason'] or ''}" for m in rows[:SHOWN]]
    if len(rows) > SHOWN:
        out.append(f"    … and {len(rows) - SHOWN} more (mailbot plan --json, messages)")
    if rows and hint:
        out.append(f"    ({hint})")
    return out


def _meeting_line(meeting: dict[str, Any]) -> str:
    line = f"{meeting['start'] or 'time to agree'}  {meeting['title']}  [{meeting['status']}]"
    answers = [f"{a['name'] or a['address']} {a['partstat'].lower()}" for a in meeting.get("attendees", []) if a["partstat"]]
    if answers:
        line += "\n        " + ", ".join(answers)
    for counter in meeting.get("counters", []):
        line += f"\n        counter-proposal from {counter['address']}: {counter['start']}"
    return line


def _item_line(item: dict[str, Any]) -> str:
    due = item["due"] or "no date"
    flag = " OVERDUE" if item.get("overdue") else ""
    return f"{due:<10}  {item['by'] or '?':<6}  {item['text']}  [{item['status']}{flag}]"


def _section(title: str, rows: list[dict[str, Any]], line: Any) -> list[str]:
    if not rows:
        return []
    return [f"  {title} ({len(rows)})"] + [f"    {line(row)}" for row in rows]


# -- digest -----------------------------------------------------------------------------------


@cli.command()
@click.option("--project", "project_key", default=None, help="The project (needed when there are several).")
@click.option("--send", is_flag=True, help="Queue the digest and send it instead of printing it.")
@_now_option("Report as of this moment (default: now).")
@config_option
def digest(project_key: str | None, send: bool, now_text: str | None, config_path: Path | None) -> None:
    """Render the weekly digest of one project; with --send, queue and send it."""
    settings = load(config_path)
    project = settings.project(_one_project(settings, project_key))
    if not send:  # reading and rendering only: neither the service nor the appliers
        from mailbot import compose
        from mailbot import digest as weekly
        from mailbot.clock import system_clock
        from mailbot.plan.sync import open_plan

        compose.configure(settings.templates_dir)
        with open_plan(settings, system_clock()) as store:
            rendered = weekly.render(store, settings, project, parse_now(now_text, settings) or system_clock())
        click.echo(f"Subject: {rendered.subject}\n\n{rendered.text}")
        return
    from mailbot.service import Mailbot

    with Mailbot(settings) as bot:
        now = parse_now(now_text, settings) or bot.clock()
        if not bot.queue_digest(project, now):
            click.echo("this week's digest was already queued; nothing new to send")
        flushed = bot.flush()
    click.echo(f"{flushed.sent} sent, {flushed.stored} kept in {settings.outbox.maildir}, {flushed.failed} failed")
    if flushed.failed:
        sys.exit(1)


# -- calendar ---------------------------------------------------------------------------------


@cli.command()
@click.option("--project", "project_key", default=None, help="Only this project (default: every project).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the .ics here (default: stdout).")
@config_option
def calendar(project_key: str | None, output: Path | None, config_path: Path | None) -> None:
    """Write a project's meetings and milestone dates as one .ics file to subscribe to."""
    from mailbot.meetings import export
    from mailbot.service import Mailbot

    settings = load(config_path)
    projects = [settings.project(project_key)] if project_key is not None else list(settings.projects)
    with Mailbot(settings) as bot:  # without --project: every project's dates in one calendar
        data = export(bot.store, settings, projects, bot.clock())
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output}")


@cli.command()
@click.option("--project", "project_key", default=None, help="The project (needed when there are several).")
@click.option("--send", is_flag=True, help="Queue and send it: the team's version and the client's.")
@click.option("--json", "as_json", is_flag=True, help="The summary as JSON.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the team's HTML here.")
@_now_option("The summary as of this moment (default: now).")
@config_option
def summary(project_key: str | None, send: bool, as_json: bool, html_path: Path | None, now_text: str | None, config_path: Path | None) -> None:
    """The project summary (项目总结): milestones planned against delivered, changes, promises kept, feedback, surveys."""
    from mailbot import summary as project_summary
    from mailbot.service import Mailbot

    settings = load(config_path)
    project = settings.project(_one_project(settings, project_key))
    with Mailbot(settings) as bot:
        now = parse_now(now_text, settings) or bot.clock()
        if as_json:
            click.echo(json.dumps(project_summary.build(bot.store, settings, project, now), ensure_ascii=False, indent=2))
        else:
            click.echo(project_summary.render(bot.store, settings, project, now).text)
        if html_path is not None:
            html_path.write_text(project_summary.render(bot.store, settings, project, now).html, encoding="utf-8")
        if send:
            with bot.store.transaction():
                queued = project_summary.send(bot.store, settings, project, now)
            flushed = bot.flush()
            click.echo(f"{queued} queued; {flushed.sent} sent, {flushed.stored} kept, {flushed.failed} failed", err=True)


@cli.command()
@click.argument("message")
@click.argument("project_key", metavar="PROJECT")
@config_option
def assign(message: str, project_key: str, config_path: Path | None) -> None:
    """Assign an unassigned message (its Message-ID, or words of its subject) to PROJECT and apply it."""
    from mailbot.service import Mailbot

    settings = load(config_path)
    settings.project(project_key)
    with Mailbot(settings) as bot:
        found = bot.find_unassigned(message)
        if isinstance(found, str):
            raise click.ClickException(f"{message!r}: {found} (see 'mailbot plan --json', messages.unassigned)")
        outcome = bot.assign(found, project_key)
        bot.flush()
    click.echo(f"{found.message_id or found.source}: {outcome.state} in {project_key}, {outcome.findings} finding(s), {outcome.queued} mail(s) queued")


@cli.command()
@click.argument("message")
@config_option
def retry(message: str, config_path: Path | None) -> None:
    """Read a failed message (its Message-ID, or words of its subject or file) again and apply it."""
    from mailbot.service import Mailbot

    settings = load(config_path)
    with Mailbot(settings, isolate=True) as bot:
        found = bot.find_failed(message)
        if isinstance(found, str):
            raise click.ClickException(f"{message!r}: {found} (see 'mailbot plan --json', messages.failed)")
        outcome = bot.retry(found)
        bot.flush()
    click.echo(f"{found.message_id or found.source}: {outcome.state}"
               + (f" ({outcome.reason})" if outcome.reason else f" in {outcome.project_key or 'no project'}"))
    if outcome.state == "failed":
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@config_option
def status(as_json: bool, config_path: Path | None) -> None:
    """What the service is doing: IMAP and IDLE, the last message, the outbox, the next digests.
    Exit 0 when a healthy 'mailbot run' holds the store, 1 otherwise (fit for a health check)."""
    from mailbot import status as service_status
    from mailbot.store import open_store

    settings = load(config_path)
    if not settings.store_path.exists():
        raise click.ClickException(f"no plan at {settings.store_path} yet: start 'mailbot run' or 'mailbot ingest' first")
    store = open_store(settings.store_path)
    try:
        found = service_status.report(store, settings)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        click.echo(_status_text(found))
    sys.exit(0 if found["healthy"] else 1)


def _status_text(found: dict[str, Any]) -> str:
    service, imap, outbox, last = found["service"], found["imap"], found["outbox"], found["last_message"]
    lines = [("healthy" if found["healthy"] else "NOT HEALTHY: " + "; ".join(found["problems"])),
             f"service: {'running, ' + (service['holder'] or '') if service['running'] else 'not running'}"
             f"; state {service['state'] or 'unknown'} since {service['since'] or '-'}"
             f"; heartbeat {service['heartbeat_age_s'] if service['heartbeat_age_s'] is not None else '-'} s ago",
             f"imap: {'connected' if imap['connected'] else 'not connected'}"
             f"{'' if imap['idle'] is None else ('; IDLE' if imap['idle'] else '; polling (no IDLE)')}",
             "last message: " + (f"{last['received_at']}  {last['from'] or '?'}  {last['subject'] or last['message_id']}" if last else "none yet"),
             f"outbox: {outbox['queued']} queued, {outbox['failed']} failed, {outbox['sent']} sent"
             + (f"; next retry {outbox['next_retry']}" if outbox["next_retry"] else "")]
    lines += [f"next digest: {key} {at}" for key, at in found["next_digests"].items()]
    lines += [f"warning: {w}" for w in found["warnings"]]
    return "\n".join(lines)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
@click.option("--open/--no-open", "open_browser", default=True, help="Open a browser on it.")
@config_option
def browse(host: str, port: int, open_browser: bool, config_path: Path | None) -> None:
    """Browse the plan read-only in Datasette: facets, canned queries (needs 'mailbot[browse]')."""
    import importlib.util

    from mailbot import browse as browsing

    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("Datasette is not installed: pip install 'mailbot[browse]'")
    settings = load(config_path)
    if not settings.store_path.exists():
        raise click.ClickException(f"no plan at {settings.store_path} yet: start 'mailbot run' or 'mailbot ingest' first")
    today = dt.datetime.now(settings.team.zone).date()
    meta = settings.store_path.with_name(settings.store_path.stem + ".browse.json")  # beside the plan, rewritten each time
    meta.write_text(json.dumps(browsing.metadata(settings, today), ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "datasette", "serve", str(settings.store_path), "--metadata", str(meta),
               "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]
    click.echo(f"the plan at http://{host}:{port}/{settings.store_path.stem} (read-only; Ctrl-C to stop)", err=True)
    sys.stderr.flush()
    # Datasette becomes this process: a signal to it (Ctrl-C, systemd, a test's terminate) is its own
    os.execv(sys.executable, command + (["--open"] if open_browser else []))


def _one_project(settings: Settings, project_key: str | None) -> str:
    if project_key is not None:
        return project_key
    if len(settings.projects) != 1:
        raise ConfigUsageError("give --project KEY (known: " + (", ".join(p.key for p in settings.projects) or "none") + ")")
    return settings.projects[0].key


# -- demo -------------------------------------------------------------------------------------


@cli.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None, help="Work here instead of a new temporary folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def demo(directory: Path | None, as_json: bool) -> None:
    """Run the whole pipeline on the bundled sample mailbox; no server, no network."""
    from mailbot.demo import run_demo

    result = run_demo(directory)
    if as_json:
        click.echo(json.dumps(result.snapshot, ensure_ascii=False, indent=2))
        return
    click.echo(result.summary)
    click.echo("")
    click.echo(format_plan(result.snapshot))
    if result.story:
        click.echo("")
        click.echo("The close of a stage:")
        for line in result.story:
            click.echo(f"  {line}")
    if result.closing:
        click.echo("")
        click.echo("Project summary (项目总结), the team's version:")
        click.echo(result.closing)
    click.echo("")
    click.echo(f"Outgoing mail ({counted(len(result.outgoing), 'message')}) was written to {result.maildir}:")
    for path, subject in result.outgoing:
        click.echo(f"  {path.name}  {subject}")
    click.echo(f"\nEverything is in {result.directory} (plan: {result.directory / 'mailbot.db'}).")


def main() -> None:
    cli(prog_name="mailbot")
