"""Scale by construction: checks that cannot be fooled by a fast machine.

- Bulk import (`Mailbot.ingest`: batches in one transaction, messages read ahead by several
  worker processes) leaves exactly the plan that reading the same mail one message at a time
  leaves.
- Reading ahead keeps the order, and a message past its deadline neither stalls nor reorders
  the ones behind it.
- Every statement on the way of a message, a tick, a digest and `plan` finds its rows through
  an index (its query plan walks no table that grows with the mail), and the number of
  statements per message and per digest does not grow with the store.

The mail is bench/scale_mail.py's: realistic threads of several projects in both languages.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailbot import service
from mailbot.config import load
from mailbot.reader import Reader, TooSlow
from mailbot.service import Mailbot
from mailbot.sources import RawItem
from parsing.pipeline import Context

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from scale_mail import Corpus, generate  # noqa: E402

# Tables whose size follows the configuration or the people, not the mail: reading them whole is fine.
SMALL = {"projects", "project_contacts", "contacts", "milestones", "meta", "folders", "_sqlite_migrations", "stakeholders"}


def corpus_and_bot(tmp_path: Path, name: str, messages: int, **options: Any) -> tuple[Corpus, Mailbot]:
    corpus = generate(messages, seed=7, projects=4)
    folder = tmp_path / name
    folder.mkdir()
    (folder / "mailbot.toml").write_text(corpus.config_toml(), encoding="utf-8")
    settings = load(folder / "mailbot.toml", env={})
    end = corpus.messages[-1].date + dt.timedelta(days=1)
    options.setdefault("clock", lambda: end)
    return corpus, Mailbot(settings, **options)


def items_of(corpus: Corpus, mails: Any) -> list[RawItem]:
    return [RawItem(f"{i:05d}.eml", corpus.raw(m)) for i, m in enumerate(mails)]


def what_it_keeps(bot: Mailbot, now: dt.datetime) -> dict[str, Any]:
    """The plan as `plan --json` shows it, with its history, and what was queued to send."""
    outgoing = [(r.kind, r.subject, r.recipients, r.status) for r in bot.store.outbox.of_kind("ack")]
    outgoing += [(r.kind, r.subject, r.recipients, r.status) for r in bot.store.outbox.of_kind("invite")]
    review = bot.store.rows("SELECT kind, item, item_id, message_id, text, confidence, status FROM review ORDER BY id")
    kept = json.dumps({"plan": bot.plan(now=now), "outgoing": outgoing, "review": review}, default=str, ensure_ascii=False)
    # mailbot's own Message-IDs and meeting UIDs are unique by design (time, process, randomness)
    kept = re.sub(r"<\d+\.\d+\.\d+\.mailbot\.(\w+)@", r"<MAILBOT.\1@", kept)
    kept = re.sub(r"(meeting-[\w-]+?-\d+)-[0-9a-f]{16}@", r"\1-UID@", kept)
    return json.loads(kept)  # type: ignore[no-any-return]


def test_bulk_ingest_leaves_the_plan_one_by_one_ingest_leaves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "BATCH", 37)  # several batches, one cut mid-thread
    monkeypatch.setattr(service, "READERS", 3)
    corpus, one_by_one = corpus_and_bot(tmp_path, "one", 160)
    _, bulk = corpus_and_bot(tmp_path, "bulk", 160, isolate=True)
    now = corpus.messages[-1].date + dt.timedelta(days=1)
    with one_by_one, bulk:
        singly = [one_by_one.ingest_one(item) for item in items_of(corpus, corpus.messages)]
        together = bulk.ingest(items_of(corpus, corpus.messages)).outcomes
        assert [(o.state, o.project_key, o.findings) for o in together] == [(o.state, o.project_key, o.findings) for o in singly]
        assert sum(o.findings for o in singly) > 100 and {o.state for o in singly} >= {"processed"}
        assert what_it_keeps(bulk, now) == what_it_keeps(one_by_one, now)


class _Slow:
    """A stand-in worker: answers its messages in order, one of them too slow."""

    def __init__(self, slow: bytes) -> None:
        self.slow, self.queue, self.restarts, self.killed = slow, collections.deque[bytes](), 0, 0

    def ready(self) -> "_Slow":
        return self

    def kill(self) -> None:
        self.queue.clear()
        self.killed += 1

    def send(self, what: tuple[bytes, dt.datetime | None]) -> None:
        self.queue.append(what[0])

    def answer(self, timeout: float) -> Any:
        raw = self.queue.popleft()
        if raw == self.slow:
            self.queue.clear()  # killed with what was queued behind it; read_ahead sends it again
            self.restarts += 1
            return TooSlow("too slow to read")
        return raw.decode()


def test_reading_ahead_keeps_the_order_past_a_message_too_slow() -> None:
    reader = Reader(Context(), isolate=True, workers=3)
    workers = [_Slow(b"m4") for _ in range(3)]
    reader._workers = workers  # type: ignore[assignment]
    items = [f"m{i}" for i in range(12)] + ["empty"]
    got = list(reader.read_ahead(items, lambda i: None if i == "empty" else (i.encode(), None)))
    assert [item for item, _ in got] == items
    assert [r if r is None or isinstance(r, str) else type(r).__name__ for _, r in got] == \
        [f"m{i}" for i in range(4)] + ["TooSlow"] + [f"m{i}" for i in range(5, 12)] + [None]
    assert [w.restarts for w in workers] == [0, 1, 0]  # m4 was the second worker's


def test_reading_ahead_left_half_way_leaves_no_answer_in_a_pipe() -> None:
    """Ctrl-C in the middle of a bulk import: the workers still holding messages are stopped, so
    the next reading cannot take a stale answer for its own."""
    reader = Reader(Context(), isolate=True, workers=3)
    workers = [_Slow(b"none") for _ in range(3)]
    reader._workers = workers  # type: ignore[assignment]
    readings = reader.read_ahead([f"m{i}" for i in range(12)], lambda i: (i.encode(), None))
    assert [next(readings)[1], next(readings)[1]] == ["m0", "m1"]
    readings.close()
    assert [w.killed for w in workers] == [1, 1, 1] and not any(w.queue for w in workers)


def test_reading_ahead_in_worker_processes_reads_what_one_process_reads() -> None:
    corpus = generate(40, seed=3, projects=2)
    raws = [corpus.raw(m) for m in corpus.messages]
    here = Reader(Context(timezone="Asia/Shanghai"))
    apart = Reader(Context(timezone="Asia/Shanghai"), isolate=True, workers=2)
    try:
        read_apart = [r for _, r in apart.read_ahead(raws, lambda raw: (raw, None))]
    finally:
        apart.close()
    assert [r.findings for r in read_apart] == [here.read(raw).findings for raw in raws]  # type: ignore[union-attr]


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[tuple[Corpus, Mailbot, collections.Counter[str]]]:
    corpus, bot = corpus_and_bot(tmp_path, "traced", 420)
    statements: collections.Counter[str] = collections.Counter()
    with bot:
        yield corpus, bot, statements


def _shape(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|X'[0-9A-Fa-f]*'", "?", sql)


def test_no_statement_walks_a_table_that_grows_with_the_mail(traced: tuple[Corpus, Mailbot, collections.Counter[str]]) -> None:
    corpus, bot, statements = traced
    bot.ingest(items_of(corpus, corpus.messages[:-40]))
    bot.store.conn.set_trace_callback(lambda sql: statements.update([sql]))
    bot.ingest(items_of(corpus, corpus.messages[-40:]))
    now = corpus.messages[-1].date + dt.timedelta(days=3)
    bot.tick(now)
    bot.plan(now=now)
    for project in bot.settings.projects:
        bot.digest_context(project, now)
    bot.store.conn.set_trace_callback(None)
    walks = collections.Counter()
    for sql in statements:
        if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT|WITH)", sql, re.I):
            continue
        for row in bot.store.conn.execute("EXPLAIN QUERY PLAN " + sql):
            found = re.match(r"SCAN (\w+)", row[3])
            if found and found.group(1) not in SMALL | {"CONSTANT"} and "json_each" not in row[3]:
                walks[f"{row[3]}: {_shape(sql)[:160]}"] += 1
    assert not walks, "statements that read a whole table:\n" + "\n".join(walks)


class _Work:
    """Statements run, and SQLite's virtual machine steps (in thousands), while it is on: a
    statement that walks rows it does not need costs steps whatever index it names."""

    def __init__(self, bot: Mailbot) -> None:
        self.conn, self.statements, self.steps = bot.store.conn, 0, 0

    def __enter__(self) -> "_Work":
        self.conn.set_trace_callback(self._statement)
        self.conn.set_progress_handler(self._step, 1000)
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.set_trace_callback(None)
        self.conn.set_progress_handler(None, 0)

    def _statement(self, _sql: str) -> None:
        self.statements += 1

    def _step(self) -> int:
        self.steps += 1
        return 0


def _per_message(bot: Mailbot, items: list[RawItem]) -> tuple[float, float]:
    with _Work(bot) as work:
        bot.ingest(items)
    return work.statements / len(items), work.steps / len(items)


def test_statements_per_message_and_per_digest_do_not_grow_with_the_store(tmp_path: Path) -> None:
    """The same work early and late in the mail: a message, and the digest of the week that
    just ended, with the clock following the mail."""
    corpus = generate(420, seed=7, projects=4)
    moment = [corpus.start]  # the configuration is read before the first message
    corpus, bot = corpus_and_bot(tmp_path, "growing", 420, clock=lambda: moment[0])
    mails = corpus.messages
    project = bot.settings.projects[0]

    def ingest_until(end: int) -> None:
        moment[0] = mails[end - 1].date + dt.timedelta(hours=1)
        bot.ingest(items_of(corpus, mails[:end]))  # what is stored already is skipped as known

    def per_digest() -> tuple[int, int]:
        with _Work(bot) as work:
            bot.digest_context(project, moment[0])
        return work.statements, work.steps

    with bot:
        ingest_until(60)
        moment[0] = mails[119].date + dt.timedelta(hours=1)
        early = _per_message(bot, items_of(corpus, mails[60:120]))
        digest_early = per_digest()
        ingest_until(360)
        moment[0] = mails[419].date + dt.timedelta(hours=1)
        late = _per_message(bot, items_of(corpus, mails[360:420]))
        digest_late = per_digest()
    print(f"per message: {early} at 60 stored, {late} at 360; per digest: {digest_early}, {digest_late}")
    assert late[0] <= early[0] * 1.25, f"{early[0]:.1f} statements per message at 60 stored, {late[0]:.1f} at 360"
    assert late[1] <= early[1] * 1.5, f"{early[1]:.1f}k SQLite steps per message at 60 stored, {late[1]:.1f}k at 360"
    assert digest_late[0] <= digest_early[0] * 1.5, f"{digest_early[0]} statements per digest at 120 stored, {digest_late[0]} at 420"
    assert digest_late[1] <= digest_early[1] * 1.5, f"{digest_early[1]}k SQLite steps per digest at 120 stored, {digest_late[1]}k at 420"


def test_a_tick_after_the_digests_went_composes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest is queued once a week, and every tick of that week asks again: one already
    queued is not built, rendered and composed again to be thrown away (a quarter of a second
    for seven projects on a large plan, every few minutes)."""
    corpus, bot = corpus_and_bot(tmp_path, "ticks", 120)
    with bot:
        bot.ingest(items_of(corpus, corpus.messages))
        now = corpus.messages[-1].date + dt.timedelta(days=7)
        first = [q for q in bot.tick(now) if q.startswith("digest:")]
        assert first, "the generated mail should make digests due"
        rendered: list[str] = []
        real = service.compose.render
        monkeypatch.setattr(service.compose, "render", lambda name, *a, **k: rendered.append(name) or real(name, *a, **k))
        built: list[str] = []
        monkeypatch.setattr(service.digest, "context", lambda store, settings, project, *a: built.append(project.key) or {})
        assert bot.tick(now + dt.timedelta(minutes=5)) == []
        assert (rendered, built) == ([], [])
