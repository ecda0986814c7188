"""The library behind every command: one `Mailbot` per configuration and plan database.

Processing a message (DESIGN.md): store the raw bytes first (state `new`), parse, then in one
transaction route it, write its findings into the plan, queue the mail it calls for and mark
it processed. A message that fails is marked `failed` with the reason and the batch goes on;
one already processed is skipped, so feeding the same input twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import TYPE_CHECKING, Any

from mailbot import alerts, compose, digest, echo, outbox, summary, surveys, trust
from mailbot.clock import Clock, system_clock
from mailbot.config import Project, Settings, parsing_context
from mailbot.lifecycle import Cause, ChangeStatus, MessageState
from mailbot.meetings import Scheduler
from mailbot.plan import (
    AckDecision,
    CancelAck,
    CancelMeeting,
    Decision,
    MoveMeeting,
    ProposalDecision,
    Route,
    apply,
    route,
)
from mailbot.plan.snapshot import plan_as_of
from mailbot.plan.sync import prepare
from mailbot.reader import TOO_SLOW, Reader, TooSlow
from mailbot.sources import RawItem
from mailbot.store import Store, content_hash, iso, message_key, open_store
from mailbot.store.messages import Processed
from mailbot.store.records import StoredMessage
from mailbot.teamloop import TeamLoop
from parsing import ParseError
from parsing.model import Category, Email, Extraction, Finding, Kind
from scheduling import cadence

if TYPE_CHECKING:
    from parsing.commands import Command
    from parsing.pipeline import Context

logger = logging.getLogger(__name__)

@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input message."""

    source: str
    message_id: str | None
    state: str  # processed | ignored | failed | duplicate | unreadable
    project_key: str | None = None
    reason: str | None = None
    findings: int = 0
    queued: int = 0


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state in ("failed", "unreadable")]


class Mailbot:
    """The service: settings plus the open plan. Close it (or use `with`) when done.

    `clock` is the one source of "now" for every decision (the demo and the benchmarks run
    mailbot at the moments they choose); `wall_clock` stamps and ages outbox send claims,
    which are about live processes and so always follow the real time."""

    def __init__(self, settings: Settings, store: Store | None = None, clock: Clock | None = None, wall_clock: Clock | None = None,
                 *, isolate: bool = False) -> None:
        """`isolate`: read each message in a worker process with a deadline (the service, ingest)."""
        self.settings = settings
        self.isolate = isolate
        compose.configure(settings.templates_dir)
        if settings.templates_dir is not None and not settings.templates_dir.is_dir():
            logger.warning("templates.dir %s is not a folder: the bundled templates are used", settings.templates_dir)
        self._reader: Reader | None = None
        self.clock: Clock = clock or system_clock
        self.wall_clock: Clock = wall_clock or system_clock
        self.store = store or open_store(settings.store_path)
        self.first_started = prepare(self.store, settings, self.clock())
        self._context: Context | None = None

    @property
    def answer_since(self) -> dt.datetime:
        """Mail dated before this is read into the plan but never answered."""
        return self.settings.outbox.answer_since or self.first_started

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self.store.close()

    def __enter__(self) -> Mailbot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def context(self) -> Context:
        """The parsing context; built on first use because it loads the parsing chain."""
        if self._context is None:
            self._context = parsing_context(self.settings)
        return self._context

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(self.context, isolate=self.isolate, workers=READERS)
        return self._reader

    def warm_up(self) -> None:
        """Load the parsing chain (pipelines, word lists, patterns) now rather than on the first
        message; the service does this in a worker thread while it connects."""
        self.reader.warm_up()

    # -- ingest ---------------------------------------------------------------------------

    def ingest(
        self,
        items: Iterable[RawItem],
        *,
        answer_since: dt.datetime | None = None,
        progress: Callable[[Outcome], None] | None = None,
        report: IngestReport | None = None,
    ) -> IngestReport:
        """Process every item; mail dated before `answer_since` (default: `self.answer_since`)
        is read into the plan but never answered. `report`: where outcomes go as they come,
        so that a caller interrupted half-way still knows what was done."""
        report = IngestReport() if report is None else report
        since = answer_since or self.answer_since
        readings = self.reader.read_ahead(items, lambda item: None if item.error or not item.raw.strip() else (item.raw, item.received))
        try:
            return self._ingest_batches(readings, since, report, progress)
        finally:
            readings.close()  # stopped half-way: the readers drop what they still hold

    def _ingest_batches(self, readings: Iterator[tuple[RawItem, Extraction | Exception | None]], since: dt.datetime,
                        report: IngestReport, progress: Callable[[Outcome], None] | None) -> IngestReport:
        while True:
            done: list[Outcome] = []
            stopped: KeyboardInterrupt | None = None
            with self.store.bulk():  # one commit per batch
                try:
                    for item, reading in itertools.islice(readings, BATCH):
                        done.append(self._ingest_read(item, reading, since))
                except KeyboardInterrupt as exc:  # Ctrl-C: the message in hand rolled back its savepoint; the rest is kept
                    stopped = exc
            for outcome in done:  # reported once committed: an interrupted batch is not "in the plan"
                report.outcomes.append(outcome)
                logger.info(
                    "message source=%s message_id=%s project=%s outcome=%s%s",
                    outcome.source,
                    outcome.message_id,
                    outcome.project_key,
                    outcome.state,
                    f" reason={outcome.reason}" if outcome.reason else "",
                )
                if progress:
                    progress(outcome)
            if stopped is not None:
                raise stopped
            if len(done) < BATCH:
                return report

    def _ingest_read(self, item: RawItem, reading: Extraction | Exception | None, answer_since: dt.datetime) -> Outcome:
        """`ingest_one` with the reading done already (read ahead, maybe in another process)."""
        kept = self._keep(item)
        if isinstance(kept, Outcome):
            return kept
        if reading is None:  # nothing was read ahead: read it now
            try:
                reading = self.reader.read(item.raw, item.received)
            except Exception as exc:  # noqa: BLE001 - one bad message must never stop the batch
                reading = exc
        if isinstance(reading, Exception):
            return self._not_read(kept, item, reading)
        return self._read(kept, item, reading, answer_since)

    def ingest_one(self, item: RawItem, *, answer_since: dt.datetime | None = None) -> Outcome:
        """Store, parse and apply one message; never raises for a bad message."""
        return self._ingest_read(item, None, answer_since or self.answer_since)

    async def ingest_one_async(self, item: RawItem, *, answer_since: dt.datetime | None = None) -> Outcome:
        """`ingest_one` with the reading off the event loop (the service)."""
        kept = self._keep(item)
        if isinstance(kept, Outcome):
            return kept
        try:
            extraction = await self.reader.read_async(item.raw, item.received)
        except Exception as exc:  # noqa: BLE001
            return self._not_read(kept, item, exc)
        return self._read(kept, item, extraction, answer_since)

    def _keep(self, item: RawItem) -> Outcome | tuple[StoredMessage, str, str | None]:
        """Keep the raw bytes first; an Outcome when there is nothing (more) to do."""
        if item.error:
            return Outcome(item.source, None, "unreadable", reason=item.error)
        if not item.raw.strip():
            return Outcome(item.source, None, "unreadable", reason="empty file")
        message_id, stable = _identity(item.raw)
        key = message_key(message_id, item.raw, stable)
        stored = self.store.messages.keep_raw(
            key=key,
            message_id=message_id,
            content_hash=content_hash(item.raw),
            raw=item.raw,
            source=item.source,
            received_at=iso(item.received) if item.received else iso(self.clock()),
        )
        if stored.state in (MessageState.PROCESSED, MessageState.IGNORED):
            return Outcome(item.source, message_id, "duplicate", stored.project_key)
        if stored.state == MessageState.FAILED and (stored.reason or "").startswith(TOO_SLOW):
            return Outcome(item.source, message_id, "failed", reason=f"{stored.reason} (kept, not read again)")
        return stored, key, message_id

    def _not_read(self, kept: tuple[StoredMessage, str, str | None], item: RawItem, exc: Exception) -> Outcome:
        stored, _, message_id = kept
        if isinstance(exc, ParseError):
            return self._fail(stored.id, item.source, message_id, str(exc))
        if isinstance(exc, TooSlow):
            logger.warning("message %s: %s", item.source, exc)
            self.store.review.add(project_key=None, kind="unread", item="messages", item_id=stored.id, message_id=message_id,
                                  text=item.source, confidence=0.0, reason=str(exc), at=iso(self.clock()))
            return self._fail(stored.id, item.source, message_id, str(exc))
        logger.error("message %s: unexpected error while parsing: %s", item.source, exc)
        return self._fail(stored.id, item.source, message_id, f"internal error while parsing: {type(exc).__name__}: {exc}")

    def _read(self, kept: tuple[StoredMessage, str, str | None], item: RawItem, extraction: Extraction,
              answer_since: dt.datetime | None) -> Outcome:
        stored, key, message_id = kept
        since = answer_since or self.answer_since
        answerable = (extraction.email.date or item.received or self.clock()) >= since
        try:
            return self._apply(stored.id, key, item.source, extraction, answerable, item.received)
        except Exception as exc:  # noqa: BLE001
            logger.exception("message %s: unexpected error while applying", item.source)
            return self._fail(stored.id, item.source, message_id, f"internal error while applying: {type(exc).__name__}: {exc}")

    def _assign_by_command(self, reference: str, project_key: str) -> str | None:
        found = self.find_unassigned(reference)
        if isinstance(found, str):
            return found
        self.assign(found, project_key)
        return None

    def find_unassigned(self, reference: str) -> StoredMessage | str:
        """The unassigned message `reference` names (its Message-ID, or words of its subject), or
        why there is none."""
        return _find(self.store.messages.unassigned(), reference, "unassigned")

    def find_failed(self, reference: str) -> StoredMessage | str:
        """The failed message `reference` names (its Message-ID, its key, or words of its
        subject or source), or why there is none."""
        return _find(self.store.messages.in_state(MessageState.FAILED), reference, "failed")

    def retry(self, message: StoredMessage) -> Outcome:
        """Read a failed message again from its kept bytes and apply it (`mailbot retry`): after a
        fix, or to give one "too slow to read" another chance; it fails again with the reason if
        it still cannot be read."""
        raw, received_at = self.store.messages.raw(message.id)
        received = dt.datetime.fromisoformat(received_at) if received_at else None
        item = RawItem(message.source or message.key, raw, received)
        kept = (message, message.key, message.message_id)
        try:
            extraction = self.reader.read(item.raw, item.received)
        except Exception as exc:  # noqa: BLE001 - reported as the message's failure, as on first reading
            return self._not_read(kept, item, exc)
        return self._read(kept, item, extraction, None)

    def assign(self, message: StoredMessage, project_key: str, *, answer: bool = True) -> Outcome:
        """Apply an unassigned message to `project_key`, as if it had been routed there."""
        self.settings.project(project_key)  # raises ConfigError naming the known keys
        raw, received_at = self.store.messages.raw(message.id)
        received = dt.datetime.fromisoformat(received_at) if received_at else None
        extraction = self.reader.read(raw, received)
        answerable = answer and (extraction.email.date or received or self.clock()) >= self.answer_since
        sender = extraction.email.sender.address.lower() if extraction.email.sender else ""
        if sender and not trust.is_team_domain(self.settings, sender):
            with self.store.transaction():  # the team vouches for whoever wrote what it assigns
                self.store.projects.remember_contact(sender, extraction.email.sender.name if extraction.email.sender else "", "", iso(self.clock()))
                self.store.projects.link(project_key, sender, "assigned")
        return self._apply(message.id, message.key, message.source or "assigned", extraction, answerable, received, assigned=project_key)

    def _fail(self, row_id: int, source: str, message_id: str | None, reason: str) -> Outcome:
        self.store.messages.mark_failed(row_id, reason, iso(self.clock()))
        return Outcome(source, message_id, "failed", reason=reason)

    def _apply(self, row_id: int, key: str, source: str, extraction: Extraction, answerable: bool,
               received: dt.datetime | None = None, *, assigned: str | None = None) -> Outcome:
        """Route the message (to `assigned`, when the team assigned it), apply what it says and
        queue what it calls for: one transaction."""
        email = extraction.email
        state, reason, findings, queued = MessageState.PROCESSED, None, 0, 0
        now = self.clock()
        with self.store.transaction():
            current = self.store.messages.by_key(key)
            if assigned is None and current is not None and current.state in (MessageState.PROCESSED, MessageState.IGNORED):
                return Outcome(source, email.message_id, "duplicate", current.project_key)  # another process applied it meanwhile
            where = Route(assigned, "assigned") if assigned is not None else route(self.store, self.settings, email)
            if extraction.category is Category.CALENDAR_REPLY:
                project_key, reason, queued = Scheduler(self.store, self.settings, now).apply_reply(email, self.settings.projects)
                where = Route(project_key or where.project_key, "calendar")
            elif extraction.category is not Category.NORMAL:
                state, reason = MessageState.IGNORED, _ignored_because(extraction)
            elif where.project_key is None:
                reason = "no project matches its thread or participants" if where.how == "none" else "several projects match its participants"
            elif (heard := echo.recognise(self.store, email, extraction.body, received)).machine_made:
                state, reason = MessageState.IGNORED, heard.machine_made
            else:
                extraction = echo.without_own_words(extraction, heard)
                project = self.settings.project(where.project_key)
                verdict = trust.judge(self.settings, self.store, project, email)
                orders = self._commands_in(project, extraction)
                if verdict.standing is trust.Standing.TEAM and orders:
                    reason, queued = self._obey(project, extraction, orders, answerable, now)
                    if self._to_others(email):  # also a mail to the client: what it tells them is read as well
                        trust.admit_recipients(self.store, self.settings, project, email)
                        findings, applied = len(extraction.findings), self._apply_findings(project, extraction, key, answerable, now)
                        queued += applied
                elif verdict.trusted:
                    trust.admit_recipients(self.store, self.settings, project, email)
                    extraction, score = self._survey_answer(project, extraction, heard, verdict, now)
                    findings, queued = len(extraction.findings), self._apply_findings(project, extraction, key, answerable, now)
                    if answerable and verdict.standing is not trust.Standing.TEAM:
                        concerns = alerts.of_message(extraction, score=score, threshold=self.settings.surveys.alert_threshold)
                        queued += alerts.send(self.store, self.settings, project, concerns, key=f"alert:message:{key}", now=now, about=email)
                else:
                    reason, queued = self._keep_for_review(project, extraction, row_id, verdict, now, commanding=bool(orders))
            self.store.messages.record(
                row_id,
                Processed(
                    message_id=email.message_id,
                    date=iso(email.date) if email.date else None,
                    subject=email.subject,
                    sender=email.sender.address if email.sender else None,
                    party=str(extraction.party),
                    project_key=where.project_key,
                    category=str(extraction.category),
                    language=extraction.language,
                    body=extraction.body,
                    thread_ids=email.thread_ids,
                    state=state,
                    reason=reason,
                    answerable=answerable,
                    processed_at=iso(now),
                ),
            )
        return Outcome(source, email.message_id, str(state), where.project_key, reason, findings, queued)

    def _survey_answer(self, project: Project, extraction: Extraction, heard: echo.Echo, verdict: trust.Verdict,
                       now: dt.datetime) -> tuple[Extraction, int | None]:
        """A reply to a survey: its score on the survey's scale (mailbot's own words taken out),
        its comment as feedback; the general reading's scores are left aside."""
        if verdict.standing is trust.Standing.TEAM:
            return extraction, None
        body = "\n".join(line for line in extraction.body.splitlines() if not heard.is_ours(line))
        answer = surveys.answered(self.store, project, extraction, body)
        if answer is None:
            return extraction, None
        email = extraction.email
        sender = email.sender.address if email.sender else ""
        if answer.declined:
            self.store.bookkeeping.set(f"survey_declined:{project.key}:{sender}", email.message_id or iso(now))
        comment = body.strip()
        self.store.reactions.answer(answer.survey, score=answer.score, comment=comment[:2000], message_id=email.message_id,
                                    cause=Cause.message(email.message_id, "survey answer"), at=iso(email.date or now))
        kept = tuple(f for f in extraction.findings if f.kind is not Kind.SURVEY_RESPONSE)
        if answer.score is not None and comment and not any(f.kind is Kind.FEEDBACK for f in kept) and not _only_score(comment):
            low, high = (1, 5) if (answer.survey.scale or "1-5") == "1-5" else (0, 10)
            sentiment = "negative" if answer.score <= self.settings.surveys.alert_threshold else \
                ("positive" if answer.score >= high - (1 if high == 5 else 2) else "mixed")
            kept += (Finding(Kind.FEEDBACK, comment[:500], by=extraction.party, sentiment=sentiment),)
        return dataclasses.replace(extraction, findings=kept), answer.score

    def _to_others(self, email: Email) -> bool:
        """Whether a mail is also to someone outside the team and mailbot (the client)."""
        own = self.settings.team.address.lower()
        return any(p.address.lower() != own and not trust.is_team_domain(self.settings, p.address) for p in email.recipients)

    def _commands_in(self, project: Project, extraction: Extraction) -> list[Command]:
        """The command lines of a team address's mail to mailbot (a reply to it, or tagged)."""
        email = extraction.email
        if not trust.is_team_domain(self.settings, email.sender.address if email.sender else None) \
                and not (email.sender and (person := project.stakeholder(email.sender.address)) and person.party == "us"):
            return []  # the client's "CR-3 accepted" is the client accepting: the plan reads it
        from mailbot import commands  # mail commands and their date patterns: loaded when a team address writes

        if not commands.addressed_to_mailbot(self.store, project, extraction):
            return []
        return commands.commands_in(extraction, reference=(email.date or self.clock()).astimezone(self.settings.team.zone))

    def _obey(self, project: Project, extraction: Extraction, orders: list[Command], answerable: bool, now: dt.datetime) -> tuple[str, int]:
        """A proven team member's commands: carried out once, answered once with what changed."""
        email = extraction.email
        sender = email.sender.address if email.sender else ""
        message_id = email.message_id or f"<{content_hash(extraction.body.encode())}@mailbot.invalid>"
        from mailbot import commands

        report = commands.Executor(self.store, self.settings, project, message_id, sender, now, thread=email.thread_ids,
                                   assign=self._assign_by_command).run(orders)
        if not report.results or not answerable or email.sender is None:
            return f"{len(orders)} command(s), obeyed already or not answered", 0
        person = project.stakeholder(sender)
        recipient = compose.Person(person.name if person and person.name else email.sender.name, sender)
        language = extraction.language if extraction.language in ("zh", "en") else project.language
        rendered = compose.render("command", language, {
            **compose.base_context(self.settings.team, project),
            "recipient": {"name": recipient.name, "address": recipient.address},
            "original": {"subject": email.subject},
            "results": [{"line": r.command.line, "verb": r.verb, "outcome": r.outcome, "target": r.target, "old": r.old, "new": r.new,
                         "reason": r.reason} for r in report.results],
        })
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=[recipient], kind="command",
                                        reply=True, now=now, in_reply_to=email.message_id, references=email.references)
        queued = outbox.queue(self.store, project_key=project.key, kind="command", dedupe_key=f"command:{message_id}", message=message,
                              now=now, cause=Cause.message(email.message_id, "answer to commands"),
                              per_address_per_hour=self.settings.outbox.per_address_per_hour)
        queued = int(queued is not None) + sum(self._tell_decision(project, change_id, now) for change_id in report.decided)
        counts = {outcome: sum(r.outcome == outcome for r in report.results) for outcome in ("done", "unchanged", "refused", "unclear")}
        return "commands: " + ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n), queued

    def _tell_decision(self, project: Project, change_id: int, now: dt.datetime) -> int:
        """The client who asked for a change is told the team's decision, in the language they asked in."""
        change = self.store.changes.get(change_id)
        if change is None or not change.who:
            return 0
        person = project.stakeholder(change.who)
        recipient = compose.Person(person.name if person else "", change.who)
        language = "zh" if re.search(r"[\u3400-\u9fff]", change.text) else "en"
        milestone = self.store.milestones.get(change.milestone_id) if change.milestone_id else None
        origin = self.store.messages.by_message_id(change.message_id) if change.message_id else None
        decision = "accepted" if change.status in (ChangeStatus.ACCEPTED, ChangeStatus.APPLIED) else "rejected"
        reason = next((h.note for h in reversed(self.store.history("change_requests", change.id)) if h.new == decision), None)
        rendered = compose.render("decision", language, {
            **compose.base_context(self.settings.team, project),
            "recipient": {"name": recipient.name, "address": recipient.address},
            "cr": {"number": change.ref, "text": change.text, "decision": decision, "reason": reason or "",
                   "milestone": milestone.name if milestone is not None and change.new_due else "", "new_due": change.new_due or ""},
            "original": {"subject": origin.subject if origin is not None else ""},
        })
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=[recipient], kind="decision",
                                        reply=True, now=now, in_reply_to=change.message_id,
                                        references=[change.message_id] if change.message_id else [])
        key = f"decision:{project.key}:{change.ref}:{decision}"
        row = outbox.queue(self.store, project_key=project.key, kind="decision", dedupe_key=key, message=message, now=now,
                           cause=Cause.plan(change.ref, f"{decision} by the team"), per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return int(row is not None and not outbox.held_back(self.store, key))

    def _keep_for_review(self, project: Project, extraction: Extraction, row_id: int, verdict: trust.Verdict,
                         now: dt.datetime, *, commanding: bool = False) -> tuple[str, int]:
        """A stranger's message: kept and listed for the team, acted on in no way; a forgery of a
        team address, or commands from a team address that is not proven, also alert the team."""
        email = extraction.email
        sender = email.sender.address if email.sender else ""
        self.store.review.add(project_key=project.key, kind="stranger", item="messages", item_id=row_id, message_id=email.message_id,
                              text=email.subject[:200], confidence=0.0, reason=f"{sender}: {verdict.reason}", at=iso(now))
        queued = self._alert_suspect(project, email, verdict, now) if verdict.forged or commanding else 0
        return f"not acted on{' (commands refused)' if commanding else ''}: {verdict.reason}; kept for the team's review", queued

    def _alert_suspect(self, project: Project, email: Email, verdict: trust.Verdict, now: dt.datetime) -> int:
        team = compose.team_people(self.settings.team, project)
        sender = email.sender
        rendered = compose.render("suspect", project.language, {
            **compose.base_context(self.settings.team, project),
            "who": {"name": sender.name if sender else "", "address": sender.address if sender else ""},
            "reason": verdict.reason,
            "message": {"subject": email.subject, "date": iso(email.date or now)},
        })
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=team, kind="alert",
                                        reply=False, now=now)
        queued = outbox.queue(self.store, project_key=project.key, kind="alert", dedupe_key=f"alert:suspect:{email.message_id or id(email)}",
                              message=message, now=now, cause=Cause.message(email.message_id, "failed authentication"),
                              per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return int(queued is not None)

    def _apply_findings(self, project: Project, extraction: Extraction, key: str, answerable: bool, now: dt.datetime) -> int:
        """Write the findings into the plan; for mail that may be answered, carry out what the
        plan decided (acknowledgements, invitations). Returns how many mails were queued."""
        applied = apply(self.store, self.settings, project, extraction, key, now)
        return sum(_CARRY_OUT[type(decision)](self, project, extraction, decision, now, answerable) for decision in applied.decisions)

    def _queue_ack(self, project: Project, extraction: Extraction, ack: Decision, now: dt.datetime, answerable: bool) -> int:
        assert isinstance(ack, AckDecision)
        email = extraction.email
        change = self.store.changes.by_number(project.key, ack.number)
        if email.sender is None or not answerable or change is None or change.status != ChangeStatus.RECEIVED:
            return 0  # old mail is never answered; a change decided in the same message is no longer new
        person = project.stakeholder(email.sender.address)
        recipient = compose.Person(person.name if person and person.name else email.sender.name, email.sender.address)
        local_day = (email.date or now).astimezone(self.settings.team.zone).date()
        # Answer in the language the client wrote in; mixed text gets the project's language.
        language = extraction.language if extraction.language in ("zh", "en") else project.language
        ref = f"CR-{ack.number}"
        rendered = compose.render(
            "ack",
            language,
            {
                **compose.base_context(self.settings.team, project),
                "recipient": {"name": recipient.name, "address": recipient.address},
                "cr": {"number": ref, "text": ack.text, "received": local_day, "status": "acknowledged"},
                "original": {"subject": email.subject, "sender_name": recipient.name, "date": local_day},
            },
        )
        message = compose.build_message(
            rendered=rendered,
            sender=compose.team_person(self.settings.team),
            to=[recipient],
            kind="ack",
            reply=True,
            now=now,
            in_reply_to=email.message_id,
            references=email.references,
        )
        row_id = outbox.queue(
            self.store,
            project_key=project.key,
            kind="ack",
            dedupe_key=f"ack:{project.key}:{ref}",
            message=message,
            per_address_per_hour=self.settings.outbox.per_address_per_hour,
            now=now,
            cause=Cause.plan(ref, "acknowledge a change request"),
        )
        if row_id is None or outbox.held_back(self.store, f"ack:{project.key}:{ref}"):
            return 0  # held back by the per-address limit: the change stays received, for the team to see
        self.store.changes.set_status(change, ChangeStatus.ACKNOWLEDGED, Cause.plan(ref, "acknowledgement queued"), iso(now))
        self.store.sources.add(project_key=project.key, item="change_requests", item_id=change.id, message_id=message.message_id,
                               text=ack.text, role="ack", at=iso(now))
        return 1

    def _cancel_ack(self, project: Project, extraction: Extraction, decision: Decision, now: dt.datetime, answerable: bool) -> int:
        """A change decided before its acknowledgement went out: the acknowledgement is withdrawn."""
        assert isinstance(decision, CancelAck)
        ref = f"CR-{decision.number}"
        self.store.outbox.cancel(f"ack:{project.key}:{ref}", f"{ref} was decided before the acknowledgement went out",
                                 Cause.message(extraction.email.message_id, f"{ref} decided"), iso(now))
        return 0

    def _answer_proposal(self, project: Project, extraction: Extraction, decision: Decision, now: dt.datetime, answerable: bool) -> int:
        assert isinstance(decision, ProposalDecision)
        if not answerable:
            return 0
        return Scheduler(self.store, self.settings, now).answer_proposal(project, extraction.email, decision.finding, decision.finding_id)

    def _move_meeting(self, project: Project, extraction: Extraction, decision: Decision, now: dt.datetime, answerable: bool) -> int:
        assert isinstance(decision, MoveMeeting)
        scheduler = Scheduler(self.store, self.settings, now, quiet=not answerable)
        return scheduler.move_meeting(project, decision.meeting_id, decision.start, Cause.message(extraction.email.message_id, "agreed in mail"))

    def _cancel_meeting(self, project: Project, extraction: Extraction, decision: Decision, now: dt.datetime, answerable: bool) -> int:
        assert isinstance(decision, CancelMeeting)
        scheduler = Scheduler(self.store, self.settings, now, quiet=not answerable)
        return scheduler.cancel_meeting(project, decision.meeting_id, Cause.message(extraction.email.message_id, "called off in mail"))

    # -- outgoing ---------------------------------------------------------------------------

    def flush(self, now: dt.datetime | None = None) -> outbox.FlushReport:
        return outbox.flush(self.store, self.settings, now or self.clock(), self.wall_clock)

    async def flush_async(self, now: dt.datetime | None = None) -> outbox.FlushReport:
        return await outbox.flush_async(self.store, self.settings, now or self.clock(), self.wall_clock)

    def digest_period(self, now: dt.datetime) -> cadence.Period:
        """The week a digest made at `now` reports on: Monday to Sunday of the week before."""
        return digest.period(self.settings, now)

    def digest_context(self, project: Project, now: dt.datetime) -> dict[str, Any]:
        """The client digest as of `now` (the week before `now`'s)."""
        return digest.context(self.store, self.settings, project, now)

    def render_digest(self, project: Project, now: dt.datetime) -> compose.Rendered:
        return digest.render(self.store, self.settings, project, now)

    def digest_due(self, project: Project, now: dt.datetime) -> bool:
        """Whether `project` gets a digest at `now`: once its mail has begun, and until it finished
        before the week reported on."""
        record = self.store.projects.get(project.key)
        if record is None or not self.store.messages.count_before(project.key, iso(now)):
            return False
        if record.finished_at is None:
            return True
        return record.finished_at >= iso(dt.datetime.combine(self.digest_period(now).start, dt.time(), tzinfo=self.settings.team.zone))

    def queue_digest(self, project: Project, now: dt.datetime) -> bool:
        """Queue the digest of the week before `now` for `project` once; False if it was already queued."""
        period = self.digest_period(now)
        key = f"digest:{project.key}:{period.start}"
        if outbox.settled(self.store, key):
            return False  # queued at an earlier tick: not composed again
        context = self.digest_context(project, now)
        recipients = [compose.Person(s.name, s.address) for s in project.stakeholders] or [
            compose.team_person(self.settings.team)
        ]
        rendered = compose.render("digest", project.language, context)
        message = compose.build_message(
            rendered=rendered,
            sender=compose.team_person(self.settings.team),
            to=recipients,
            kind="digest",
            reply=False,
            now=now,
        )
        with self.store.transaction():
            outbox_id = outbox.queue(
                self.store,
                project_key=project.key,
                kind="digest",
                dedupe_key=key,
                message=message,
                now=now,
                cause=Cause.clock(iso(now), f"digest {period.start}–{period.end}"),
                per_address_per_hour=self.settings.outbox.per_address_per_hour,
            )
            if outbox_id is None:
                return False
            self.store.bookkeeping.add_digest(
                project_key=project.key,
                period_start=period.start.isoformat(),
                period_end=period.end.isoformat(),
                outbox_id=outbox_id,
                report=context,
                at=iso(now),
            )
        return True

    def tick(self, now: dt.datetime) -> list[str]:
        """Queue what is due at `now`, once: review invitations (new, moved, cancelled), the
        status meeting series, the weekly digests. Returns what was queued."""
        queued = []
        # One transaction for the whole tick: one commit (one fsync) rather than one a message,
        # and a tick that fails part-way queues nothing; the next one does it all again.
        with self.store.transaction():
            scheduler = Scheduler(self.store, self.settings, now)
            for project in self.settings.projects:
                scheduler.mark_held(project)
                count = scheduler.schedule_reviews(project) + scheduler.schedule_status_meeting(project) + scheduler.invite_agreed(project)
                if count:
                    queued.append(f"meetings:{project.key}:{count}")
            loop = TeamLoop(self.store, self.settings, now, scheduler.calendar)
            asking = surveys.Surveys(self.store, self.settings, now, self.answer_since, scheduler.calendar)
            for project in self.settings.projects:
                if count := asking.send_due(project) + asking.send_reminders(project):
                    queued.append(f"surveys:{project.key}:{count}")
                if (record := self.store.projects.get(project.key)) is not None and record.status == "finished":
                    if record.finished_at and record.finished_at >= iso(self.answer_since) and summary.send(self.store, self.settings, project, now):
                        queued.append(f"summary:{project.key}")
                    continue
                if loop.open and (count := alerts.from_the_clock(self.store, self.settings, project, now, loop.today, self.answer_since)):
                    queued.append(f"alerts:{project.key}:{count}")
                if count := loop.send_reminders(project):
                    queued.append(f"reminders:{project.key}:{count}")
                if loop.send_review_list(project):
                    queued.append(f"review:{project.key}")
            for project in self.settings.projects:
                schedule = project.digest
                if not schedule.enabled:
                    continue
                zone = self.settings.team.zone
                if self.settings.digest.review:
                    coming = cadence.last_due(schedule.weekday, schedule.time, zone, now + dt.timedelta(hours=self.settings.digest.review_hours))
                    if coming > now and coming >= self.answer_since and self.digest_due(project, coming) and self.queue_draft(project, coming, now):
                        queued.append(f"draft:{project.key}:{self.digest_period(coming).start}")
                due = cadence.last_due(schedule.weekday, schedule.time, zone, now)
                if due < self.answer_since:
                    continue  # due before mailbot started on this mailbox: no backlog of old digests
                if not self.digest_due(project, due):
                    continue  # finished before that week: the summary was its last word
                if self.store.bookkeeping.fact(f"digest_hold:{project.key}:{self.digest_period(due).start}"):
                    continue  # the PM answered the draft "hold"
                if self.queue_digest(project, due):
                    queued.append(f"digest:{project.key}:{self.digest_period(due).start}")
        return queued

    def queue_draft(self, project: Project, due: dt.datetime, now: dt.datetime) -> bool:
        """The client digest due at `due`, as it stands now, to the team `review_hours` before:
        it goes out as is unless they answer "hold" or change items by command first."""
        period = self.digest_period(due)
        key = f"draft:{project.key}:{period.start}"
        if self.store.outbox.has(key):
            return False
        digest_mail = self.render_digest(project, due)
        intro = compose.render("draft", project.language, {**compose.base_context(self.settings.team, project), "due": due.astimezone(
            self.settings.team.zone), "digest_subject": digest_mail.subject})
        body = re.search(r"<body[^>]*>", digest_mail.html)
        at = body.end() if body else 0
        html = digest_mail.html[:at] + intro.html + digest_mail.html[at:]
        rendered = compose.Rendered(subject=intro.subject, text=intro.text + "\n" + digest_mail.text, html=html)
        team = compose.team_people(self.settings.team, project)
        message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team), to=team, kind="draft",
                                        reply=False, now=now)
        with self.store.transaction():
            row = outbox.queue(self.store, project_key=project.key, kind="draft", dedupe_key=key, message=message, now=now,
                               cause=Cause.clock(iso(now), f"draft of the digest due {iso(due)}"),
                               per_address_per_hour=self.settings.outbox.per_address_per_hour)
        return row is not None

    # -- reading ----------------------------------------------------------------------------

    def plan(self, *, now: dt.datetime, project_key: str | None = None) -> dict[str, Any]:
        return plan_as_of(self.store, self.settings, now, project_key)


# What the service does with each decision the plan takes, by the decision's type.
_CARRY_OUT: dict[type, Callable[[Mailbot, Project, Extraction, Decision, dt.datetime, bool], int]] = {
    AckDecision: Mailbot._queue_ack,
    CancelAck: Mailbot._cancel_ack,
    ProposalDecision: Mailbot._answer_proposal,
    MoveMeeting: Mailbot._move_meeting,
    CancelMeeting: Mailbot._cancel_meeting,
}

def _only_score(comment: str) -> bool:
    """A reply that is a score and nothing more ("5", "4分", "⭐⭐⭐⭐")."""
    return len(re.sub(r"[\s\d/分星⭐★.!！。,，]|points?|stars?|out of", "", comment, flags=re.I)) <= 2


BATCH = 200  # messages of a bulk import committed together (`Store.bulk`)
READERS = max(1, min(8, (os.cpu_count() or 1)))  # processes reading a bulk import, one per core


_IGNORED_BECAUSE = {
    Category.AUTO_REPLY: "auto-reply or out-of-office",
    Category.BULK: "bulk or mailing-list mail",
    Category.BOUNCE: "bounce or delivery report",
    Category.CALENDAR_REPLY: "calendar reply",
    Category.OWN: "mailbot's own mail",
}



def _find(messages: list[StoredMessage], reference: str, which: str) -> StoredMessage | str:
    """The one message of `messages` that `reference` names, by Message-ID or key, else by the
    words of its subject or source; or why there is not exactly one."""
    wanted = reference.strip().strip("<>").lower()
    by_id = [m for m in messages if wanted in ((m.message_id or "").strip("<>").lower(), m.key.lower())]
    words = wanted.split()
    by_words = [m for m in messages if words and all(w in f"{m.subject or ''} {m.source or ''}".lower() for w in words)]
    found = by_id or by_words
    if len(found) == 1:
        return found[0]
    return f"no {which} message matches" if not found else f"{len(found)} {which} messages match; give its Message-ID"


def _ignored_because(extraction: Extraction) -> str:
    """Why a message is not acted on, in words: a renewal notice is not an out-of-office."""
    auto = (extraction.email.header("auto-submitted") or "").strip().lower()
    if extraction.category is Category.AUTO_REPLY and auto.startswith("auto-generated"):
        return "machine-generated notice (Auto-Submitted: auto-generated)"
    return _IGNORED_BECAUSE[extraction.category]


_HEADER_PARSER = BytesHeaderParser(policy=compat32)


STABLE_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def _identity(raw: bytes) -> tuple[str | None, tuple[str, ...]]:
    """The Message-ID and the stable headers, straight from the header block (no MIME decoding)."""
    try:
        headers = _HEADER_PARSER.parsebytes(raw)
    except Exception:  # noqa: BLE001 - a header block too broken to read has no usable identity
        return None, ()

    def value(name: str) -> str:
        return " ".join(str(headers.get(name) or "").split())

    stable = tuple(value(name) for name in STABLE_HEADERS)
    has_from_and_date = bool(stable[0] and stable[3])
    return value("Message-ID") or None, stable if has_from_and_date else ()
