"""How mailbot holds up as a store grows: ingest cost per message over history, commands on a big plan. Prints figures; not a test.

    python bench/scale.py [--messages 10000] [--projects 12] [--seed 1] [--keep DIR] [--skip-sql]
    python bench/scale.py --sizes 10000,50000      # or --ratio: N and 5 N
    python bench/scale.py --messages 2000 --show 2 # and print two generated messages

1. Mail. `bench/scale_mail.py` writes N messages of realistic project threads (its docstring
   says how): `--projects` client projects (zh-Hans, en, zh-Hant) configured in a generated
   mailbot.toml with their client domains, stakeholders and milestones; promises, deliveries,
   receipts, requests, change requests with assessments, approvals, feedback, meetings, updates
   and auto-replies, threaded (In-Reply-To, References) with quoted history, dates advancing
   over months. One .eml file per message, in ten folders of equal size in arrival order.
2. Ingest. A fresh store; `python -m mailbot -v ingest --config … FOLDER` in a subprocess,
   tenth after tenth in arrival order. Each tenth is ingested in two runs: its first message
   alone, then the rest. The first run is the fixed cost of a run (start-up, opening the
   store, starting the readers, the exit) plus one message; the difference between the two,
   over the messages between, is the steady cost of a message at that point of history,
   whatever mailbot logs or batches inside. Per tenth: the two runs' wall times, the steady
   ms per message (wall and CPU), the ms per message of the tenth as one run would take it
   (start-up once: the rest plus one message), the outcomes, and the peak RSS of each process
   (the CLI and its reading workers: VmHWM polled from /proc every 50 ms), the most their
   resident sets came to together at one poll, and their CPU time (user + system, from /proc:
   on a busy machine wall times stretch, CPU times much less). RUSAGE_CHILDREN's ru_maxrss is
   printed too but is not the figure judged: the workers are grandchildren by way of
   multiprocessing's forkserver, which is never waited for, and Linux counts in a child's
   ru_maxrss the memory it had before exec, that is this bench's own RSS at the fork.
   Optionally (not --skip-sql) the SQL statements per message: on a copy of the store before
   the first and before the last tenth, 50 messages of that tenth are ingested in-process with
   sqlite3's trace callback counting.
3. Commands on the full store, best of 3 wall times of a subprocess each: `plan --json` (all
   projects and the busiest one), `digest --project P` (printed, not sent), `tick --now T`
   with T the first Monday 09:00 after the last message (every project's digest falls due;
   each run on a fresh copy of the store, as a second tick at one moment sends nothing; the
   configuration has no [smtp], so mail goes to the outbox Maildir only and nothing waits on a
   network), the tick five minutes later on such a copy (the service's tick between two mails:
   nothing new is due), and `extract` of one reply of median size. These share the user's cache
   (`parsing.usercache`: compiled patterns and templates, holiday tables), warm after the first
   run as on any machine that ran mailbot before; the first tick is run once more with an empty
   one, for what a new machine pays once (printed, not judged). The database size.

Every mailbot process runs from a snapshot of the checkout's packages (mailbot, parsing,
scheduling, templates) taken at the start, under PYTHONPATH, so that edits to the checkout
while the bench runs do not mix two versions in one set of figures; the version (commit, and
uncommitted files) is printed. The snapshot is byte-compiled first, as an installed package is.

The table at the end gives each figure, its goal, and whether it is met. With `--sizes A,B`
each size gets a fresh store and its own table, then B's ingest time ÷ A's is printed beside
B ÷ A (goal: at most 1.1 × B ÷ A, 5.5 for 50,000 ÷ 10,000).

Run it when the machine is otherwise idle: it is wall-clock. 10,000 messages take about 2.5
minutes on the 2-core VM (December 2026), 1,000 about one.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import itertools
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scale_mail import Corpus, Mail, generate  # bench/ is on the path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mailbot", "parsing", "scheduling", "templates")  # what the mailbot processes import from the checkout

CHUNKS = 10
GOAL_GROWTH = 1.3  # last tenth's cost per message ÷ first tenth's
GOAL_RATE = 400.0  # messages per second
GOAL_RSS_MB = 300.0
COLD_TICK = "  the same, user cache empty (once)"
GOAL_COMMAND_S = 0.5
GOAL_EXTRACT_S = 0.3
GOAL_SIZE_FACTOR = 1.1  # B's time ÷ A's time at most this × B ÷ A (5.5 for 50k ÷ 10k)
SQL_SAMPLE = 50  # messages ingested in-process per SQL count

_LOG_LINE = re.compile(r" mailbot\.service: message source=.* outcome=(\w+)")
_TICK = re.compile(r"^(\d+) queued.*; \d+ sent, (\d+) kept, \d+ failed$")
_SUMMARY = re.compile(r"(\d+) messages?: (\d+) processed, (\d+) ignored, (\d+) already known, (\d+) failed; (\d+) outgoing")


# -- the process tree's memory ----------------------------------------------------------------


class TreePeak(threading.Thread):
    """Polls /proc for a process and its descendants; keeps each one's VmHWM (peak RSS)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.root = pid
        self.interval = interval
        self.peaks: dict[int, tuple[int, str]] = {}  # pid → (kB, role)
        self.together_kb = 0  # the most RSS of all its processes at one sample
        self.cpu_ticks: dict[int, int] = {}  # pid → user + system time at its last sample
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def sample(self) -> None:
        together = 0
        for pid, depth in self._tree():
            memory = _memory(pid)
            if memory is None:
                continue
            hwm, rss = memory
            together += rss
            ticks = _cpu_ticks(pid)
            if ticks is not None:
                self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))
            if hwm > self.peaks.get(pid, (0, ""))[0]:
                self.peaks[pid] = (hwm, self._role(pid, depth))
        self.together_kb = max(self.together_kb, together)

    def _tree(self) -> list[tuple[int, int]]:
        found, stack = [], [(self.root, 0)]
        while stack:
            pid, depth = stack.pop()
            found.append((pid, depth))
            try:
                tasks = list(Path(f"/proc/{pid}/task").iterdir())
            except OSError:
                continue
            for task in tasks:
                try:
                    children = (task / "children").read_text().split()
                except OSError:
                    continue
                stack += [(int(child), depth + 1) for child in children]
        return found

    def _role(self, pid: int, depth: int) -> str:
        if depth == 0:
            return "ingest"
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            cmdline = ""
        if "resource_tracker" in cmdline:
            return "resource tracker"
        if "forkserver" in cmdline and depth == 1:
            return "forkserver"
        return "reader worker" if depth >= 2 else "other child"

    def by_role(self) -> dict[str, float]:
        """The largest peak of each role, in MB."""
        roles: dict[str, float] = {}
        for kb, role in self.peaks.values():
            roles[role] = max(roles.get(role, 0.0), kb / 1024)
        return roles

    @property
    def cpu_seconds(self) -> float:
        """CPU time of all its processes (as of their last sample: up to one interval short)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    @property
    def total_mb(self) -> float:
        """The most RSS of all the ingest's processes at one moment (sampled)."""
        return self.together_kb / 1024


def _cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])  # utime, stime: the 14th and 15th fields of stat
    except (OSError, ValueError, IndexError):
        return None


def _memory(pid: int) -> tuple[int, int] | None:
    """(VmHWM, VmRSS) in kB: the peak and the current resident set of a process."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])
    except (OSError, ValueError, KeyError):
        return None


# -- one size ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One `mailbot ingest` subprocess."""

    messages: int
    wall: float
    cpu: float  # seconds, every process of the run
    outcomes: Counter[str]
    outgoing: int
    roles: dict[str, float]  # role → peak RSS, MB
    together_mb: float
    returncode: int
    said: str


@dataclass
class Chunk:
    """A tenth of the mail: its first message alone, then the rest."""

    index: int
    history: int  # messages in the store before this tenth
    first: Run
    rest: Run

    @property
    def messages(self) -> int:
        return self.first.messages + self.rest.messages

    @property
    def steady_ms(self) -> float:
        """ms a message: the rest's wall less the one-message run's, over the messages between."""
        return (self.rest.wall - self.first.wall) / max(self.rest.messages - 1, 1) * 1000

    @property
    def steady_cpu_ms(self) -> float:
        return (self.rest.cpu - self.first.cpu) / max(self.rest.messages - 1, 1) * 1000

    @property
    def one_run(self) -> float:
        """Seconds the tenth takes as one run: the rest plus one more message."""
        return self.rest.wall + self.steady_ms / 1000

    @property
    def one_run_ms(self) -> float:
        return self.one_run / self.messages * 1000

    @property
    def outcomes(self) -> Counter[str]:
        return self.first.outcomes + self.rest.outcomes

    @property
    def roles(self) -> dict[str, float]:
        return {role: max(self.first.roles.get(role, 0.0), self.rest.roles.get(role, 0.0))
                for role in set(self.first.roles) | set(self.rest.roles)}

    @property
    def together_mb(self) -> float:
        return max(self.first.together_mb, self.rest.together_mb)

    @property
    def ok(self) -> bool:
        return self.first.returncode == 0 and self.rest.returncode == 0


@dataclass
class Timed:
    name: str
    best: float | None  # seconds; None when it failed
    runs: list[float] = field(default_factory=list)
    note: str = ""


@dataclass
class SizeResult:
    messages: int
    chunks: list[Chunk]
    commands: list[Timed]
    db_bytes: int
    outbox_files: int
    rusage_children_mb: float
    sql: dict[str, tuple[float, float, float]]  # "first"/"last" → (statements per message, writes per message, ms per message)
    generate_s: float
    corpus_note: str

    @property
    def measured_wall(self) -> float:
        """All the ingest runs (two a tenth)."""
        return sum(c.first.wall + c.rest.wall for c in self.chunks)

    @property
    def ten_runs(self) -> float:
        """The ingest as ten runs, one a tenth."""
        return sum(c.one_run for c in self.chunks)

    @property
    def steady_total(self) -> float:
        return sum(c.steady_ms * c.messages for c in self.chunks) / 1000


def write_mail(corpus: Corpus, folder: Path) -> list[Path]:
    """One .eml per message, names in arrival order, in CHUNKS folders of equal size, each
    with its first message in `first/` and the others in `rest/`."""
    total = len(corpus.messages)
    chunks = []
    for index in range(CHUNKS):
        chunk = folder / f"{index + 1:02d}"
        numbers = range(index * total // CHUNKS, (index + 1) * total // CHUNKS)
        for number in numbers:
            part = chunk / ("first" if number == numbers[0] else "rest")
            part.mkdir(parents=True, exist_ok=True)
            (part / f"{number + 1:07d}.eml").write_bytes(corpus.raw(corpus.messages[number]))
        chunks.append(chunk)
    return chunks


def ingest_run(folder: Path, config: Path, log_file: Path, env: dict[str, str]) -> Run:
    command = [sys.executable, "-m", "mailbot", "-v", "ingest", "--config", str(config), str(folder)]
    messages = sum(1 for _ in folder.iterdir())
    with log_file.open("w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=config.parent, stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        poller = TreePeak(process.pid)
        poller.start()
        stdout, _ = process.communicate()
        wall = time.perf_counter() - started
        poller.stop()
    said = stdout.strip().splitlines()[-1] if stdout.strip() else f"(no output; exit {process.returncode}, see {log_file})"
    counts = _SUMMARY.search(said)
    outcomes: Counter[str] = Counter()
    if counts:
        outcomes.update({"processed": int(counts.group(2)), "ignored": int(counts.group(3)), "already known": int(counts.group(4)),
                         "failed": int(counts.group(5))})
    else:  # the summary line changed: count the log lines
        for line in log_file.read_text(errors="replace").splitlines():
            match = _LOG_LINE.search(line)
            if match:
                outcomes[match.group(1)] += 1
    return Run(messages, wall, poller.cpu_seconds, +outcomes, int(counts.group(6)) if counts else 0, poller.by_role(),
               poller.total_mb, process.returncode, said)


def ingest_chunk(index: int, chunk: Path, history: int, config: Path, logs: Path, env: dict[str, str]) -> Chunk:
    first = ingest_run(chunk / "first", config, logs / f"ingest-{index:02d}-first.log", env)
    rest = ingest_run(chunk / "rest", config, logs / f"ingest-{index:02d}-rest.log", env)
    return Chunk(index, history, first, rest)


def sql_per_message(store_dir: Path, chunk: Path, scratch: Path) -> tuple[float, float, float]:
    """On a copy of the store: (statements, writes, ms) per message for SQL_SAMPLE messages of
    `chunk`, ingested in-process (no worker) with sqlite3's trace callback counting."""
    from mailbot import config as mailbot_config
    from mailbot.service import Mailbot
    from mailbot.sources import read_sources

    copy = copy_store(store_dir, scratch)
    try:
        settings = mailbot_config.load(copy / "mailbot.toml", env={})
        statements: list[str] = []
        items = list(itertools.islice(read_sources([str(chunk)]), SQL_SAMPLE))
        with Mailbot(settings) as bot:
            bot.warm_up()
            conn: sqlite3.Connection = bot.store.conn
            conn.set_trace_callback(statements.append)
            started = time.perf_counter()
            bot.ingest(items)
            elapsed = time.perf_counter() - started
            conn.set_trace_callback(None)
        writes = sum(1 for s in statements if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"))
        return len(statements) / len(items), writes / len(items), elapsed / len(items) * 1000
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def copy_store(store_dir: Path, scratch: Path) -> Path:
    """The configuration and the database in a new folder (the outbox starts empty there)."""
    copy = Path(tempfile.mkdtemp(prefix="store-copy-", dir=scratch))
    shutil.copy2(store_dir / "mailbot.toml", copy / "mailbot.toml")
    for suffix in ("", "-wal", "-shm"):
        source = store_dir / f"mailbot.db{suffix}"
        if source.exists():
            shutil.copy2(source, copy / source.name)
    # Written out now: otherwise the command's first fsync waits for the copy's hundreds of MB of
    # dirty pages (some 0.2 s on the 50k store), which a store in use never has.
    os.sync()
    return copy


def time_command(name: str, args: list[str], config_dir: Path, scratch: Path, env: dict[str, str], *, fresh_copy: bool = False,
                 repeat: int = 3, before: list[str] | None = None) -> Timed:
    """Best of `repeat` wall times of `python -m mailbot ARGS` (stdout to a file); on a fresh
    copy of the store each time when `fresh_copy`, where `python -m mailbot BEFORE` ran first
    (not timed) when given."""
    runs: list[float] = []
    note = ""
    for _ in range(repeat):
        where = copy_store(config_dir, scratch) if fresh_copy else config_dir
        if before is not None:
            subprocess.run([sys.executable, "-m", "mailbot", *before, "--config", str(where / "mailbot.toml")], cwd=where,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, env=env, check=True)
            os.sync()
        out_path = scratch / "command.out"
        try:
            with out_path.open("wb") as out:
                started = time.perf_counter()
                configured = [] if args[0] == "--version" else ["--config", str(where / "mailbot.toml")]
                done = subprocess.run([sys.executable, "-m", "mailbot", *args, *configured],
                                      cwd=where, stdout=out, stderr=subprocess.PIPE, timeout=600, env=env)
                elapsed = time.perf_counter() - started
            if done.returncode != 0:
                return Timed(name, None, runs, f"exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[-300:]}")
            runs.append(elapsed)
            output = out_path.read_bytes()
            note = f"{len(output) / 1024:,.0f} KiB out"
            if args[0] == "tick":
                said = output.decode(errors="replace").strip().splitlines()[-1]
                counts = _TICK.search(said)
                note = f"{counts.group(1)} queued ({said.count('digest:')} digests), {counts.group(2)} kept" if counts else said[-90:]
        except subprocess.TimeoutExpired:
            return Timed(name, None, runs, "timed out after 600 s")
        finally:
            if fresh_copy:
                shutil.rmtree(where, ignore_errors=True)
    return Timed(name, min(runs), runs, note)


def next_monday_nine(last: dt.datetime) -> dt.datetime:
    local = last.astimezone(dt.timezone(dt.timedelta(hours=8)))  # the studio's zone (Asia/Shanghai, no DST)
    day = local.date() + dt.timedelta(days=1)
    while day.weekday() != 0:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0))


def median_reply(corpus: Corpus) -> int:
    replies = sorted((len(m.text), i) for i, m in enumerate(corpus.messages) if m.in_reply_to and not m.auto_reply)
    return replies[len(replies) // 2][1] if replies else 0


def describe(corpus: Corpus, mail_bytes: int) -> str:
    languages = Counter(m.language for m in corpus.messages)
    replies = sum(1 for m in corpus.messages if m.in_reply_to)
    auto = sum(1 for m in corpus.messages if m.auto_reply)
    first, last = corpus.messages[0].date, corpus.messages[-1].date
    mix = ", ".join(f"{language} {count}" for language, count in languages.most_common())
    return (f"{len(corpus.messages):,} messages ({mix}); {len(corpus.projects)} projects; {replies:,} replies with quoted history, "
            f"{auto} auto-replies; {first:%Y-%m-%d} to {last:%Y-%m-%d}; {mail_bytes / 1e6:,.1f} MB of mail, "
            f"{mail_bytes / len(corpus.messages) / 1024:.1f} KiB a message")


def run_size(messages: int, args: argparse.Namespace, work: Path, env: dict[str, str]) -> SizeResult:
    work.mkdir(parents=True, exist_ok=True)
    mail_dir, store_dir, logs, scratch = work / "mail", work / "store", work / "logs", work / "scratch"
    for folder in (store_dir, logs, scratch):
        folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = generate(messages, seed=args.seed, projects=args.projects)
    chunks_dirs = write_mail(corpus, mail_dir)
    generate_s = time.perf_counter() - started
    config = store_dir / "mailbot.toml"
    config.write_text(corpus.config_toml(), encoding="utf-8")
    from mailbot import config as mailbot_config  # fail early, with the key, on a bad generated configuration

    mailbot_config.load(config, env={})
    mail_bytes = sum(f.stat().st_size for d in chunks_dirs for f in d.rglob("*.eml"))
    note = describe(corpus, mail_bytes)
    print(f"\n=== {messages:,} messages: {note}", flush=True)
    print(f"    generated and written in {generate_s:.1f} s to {mail_dir}; store {store_dir}", flush=True)
    if args.show:
        _show(corpus, args.show)

    sql: dict[str, tuple[float, float, float]] = {}
    chunks: list[Chunk] = []
    print("\nper tenth: a run of its first message, then a run of the rest; steady = (rest − first) ÷ (messages − 2);"
          "\n'as one run' = the tenth in one run (the rest plus one message), start-up included", flush=True)
    print(f"{'tenth':>5} {'messages':>8} {'history':>8} {'1st s':>6} {'rest s':>7} {'steady':>7} {'cpu':>6} {'1 run':>7}  "
          f"{'ingest':>6} {'reader':>6} {'all':>5}  outcomes", flush=True)
    print(f"{'':>5} {'':>8} {'':>8} {'':>6} {'':>7} {'ms/msg':>7} {'ms/msg':>6} {'ms/msg':>7}  {'MB':>6} {'MB':>6} {'MB':>5}", flush=True)
    history = 0
    for index, chunk_dir in enumerate(chunks_dirs, start=1):
        if not args.skip_sql and index in (1, CHUNKS):
            sql["first" if index == 1 else "last"] = sql_per_message(store_dir, chunk_dir / "rest", scratch)
        chunk = ingest_chunk(index, chunk_dir, history, config, logs, env)
        chunks.append(chunk)
        history += chunk.messages
        said = ", ".join(f"{v} {k}" for k, v in sorted(chunk.outcomes.items())) + f"; {chunk.first.outgoing + chunk.rest.outgoing} outgoing"
        if not chunk.ok:
            said = f"EXIT {chunk.first.returncode}/{chunk.rest.returncode}: {chunk.first.said} / {chunk.rest.said}"
        print(f"{index:>5} {chunk.messages:>8,} {chunk.history:>8,} {chunk.first.wall:6.2f} {chunk.rest.wall:7.1f} "
              f"{chunk.steady_ms:7.1f} {chunk.steady_cpu_ms:6.1f} {chunk.one_run_ms:7.1f}  "
              f"{chunk.roles.get('ingest', 0):6.0f} {chunk.roles.get('reader worker', 0):6.0f} {chunk.together_mb:5.0f}  {said}", flush=True)
    rusage_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    now = next_monday_nine(corpus.messages[-1].date).isoformat(timespec="minutes")
    busiest = Counter(m.project for m in corpus.messages).most_common(1)[0][0]
    one = scratch / "one.eml"
    one.write_bytes(corpus.raw(corpus.messages[median_reply(corpus)]))
    print(f"\ncommands on the full store (best of 3), --now {now}, one project = {busiest}:", flush=True)
    commands = []
    later = (dt.datetime.fromisoformat(now) + dt.timedelta(minutes=5)).isoformat(timespec="minutes")
    for name, command_args, fresh, before in [
        ("CLI start-up: --version (no store)", ["--version"], False, None),
        ("plan --json (all projects)", ["plan", "--json", "--now", now], False, None),
        ("plan --json --project P", ["plan", "--json", "--project", busiest, "--now", now], False, None),
        ("digest --project P (print)", ["digest", "--project", busiest, "--now", now], False, None),
        ("tick --now T (first, all projects)", ["tick", "--now", now], True, None),
        ("tick --now T+5 min (nothing new due)", ["tick", "--now", later], True, ["tick", "--now", now]),
        ("extract one.eml", ["extract", str(one)], False, None),
    ]:
        timed = time_command(name, command_args, store_dir, scratch, env, fresh_copy=fresh, before=before)
        commands.append(timed)
        runs = ", ".join(f"{r:.2f}" for r in timed.runs)
        print(f"  {name:<36} {_seconds(timed.best):>8}   runs {runs:<18} {timed.note}", flush=True)
    # The runs above share the user's cache (compiled patterns and templates, holiday tables), as
    # every run on a machine after its first does; once more with none, for what a new machine pays.
    cold_env = {**env, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=scratch)}
    timed = time_command(COLD_TICK, ["tick", "--now", now], store_dir, scratch, cold_env, fresh_copy=True, repeat=1)
    commands.append(timed)
    print(f"  {COLD_TICK:<36} {_seconds(timed.best):>8}   one run            {timed.note}", flush=True)
    db_bytes = sum(p.stat().st_size for p in store_dir.glob("mailbot.db*"))
    outbox = store_dir / "outbox"
    outbox_files = sum(1 for p in outbox.rglob("*") if p.is_file()) if outbox.exists() else 0
    shutil.rmtree(scratch, ignore_errors=True)
    return SizeResult(messages, chunks, commands, db_bytes, outbox_files, rusage_mb, sql, generate_s, note)


def _seconds(value: float | None) -> str:
    return "failed" if value is None else f"{value:.3f} s"


def _show(corpus: Corpus, count: int) -> None:
    """Print `count` generated messages: a first message and a reply deep in a thread."""
    replies = [m for m in corpus.messages if m.in_reply_to and not m.auto_reply]
    picks: list[Mail] = [next(m for m in corpus.messages if not m.in_reply_to)]
    if replies:
        picks.append(max(replies[: len(replies) // 2 or 1], key=lambda m: len(m.references)))
    for mail in picks[:count]:
        import email
        import email.policy

        parsed = email.message_from_bytes(corpus.raw(mail), policy=email.policy.default)
        print("\n" + "-" * 100)
        for header in ("From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "X-Mailer",
                       "Content-Type"):
            if parsed[header]:
                print(f"{header}: {parsed[header]}")
        print()
        print(mail.text)
    print("-" * 100)


# -- the tables -------------------------------------------------------------------------------


def _row(figure: str, value: str, goal: str, met: bool | None) -> str:
    verdict = "-" if met is None else "met" if met else "NOT MET"
    return f"  {figure:<58} {value:>16}  {goal:>10}  {verdict}"


def print_table(result: SizeResult, code: str) -> None:
    chunks = result.chunks
    n = result.messages
    first, last = chunks[0], chunks[-1]
    print(f"\nscale, {n:,} messages in tenths of {first.messages:,}; {code}; load average {os.getloadavg()[0]:.1f} now, "
          f"{os.cpu_count()} cores")
    print(_row("figure", "value", "goal", None).replace("  -", "  met?"))
    growth = last.steady_ms / first.steady_ms
    print(_row("ingest ms/message, first tenth (steady)", f"{first.steady_ms:.1f} ms", "", None))
    print(_row("ingest ms/message, last tenth (steady)", f"{last.steady_ms:.1f} ms", "", None))
    print(_row("  growth: last tenth ÷ first tenth (steady)", f"{growth:.2f}", f"≤ {GOAL_GROWTH}", growth <= GOAL_GROWTH))
    one_run = last.one_run_ms / first.one_run_ms
    print(_row("  growth, each tenth as one run (start-up included)", f"{one_run:.2f}", f"≤ {GOAL_GROWTH}", one_run <= GOAL_GROWTH))
    cpu = last.steady_cpu_ms / first.steady_cpu_ms
    print(_row("  growth in CPU time (steady)", f"{cpu:.2f}", f"≤ {GOAL_GROWTH}", cpu <= GOAL_GROWTH))
    rate = n / result.ten_runs
    print(_row(f"ingest throughput, ten runs ({result.ten_runs:.1f} s)", f"{rate:.0f} msg/s", f"≥ {GOAL_RATE:.0f}", rate >= GOAL_RATE))
    steady_rate = n / result.steady_total
    print(_row(f"ingest throughput, steady ({result.steady_total:.1f} s)", f"{steady_rate:.0f} msg/s", f"≥ {GOAL_RATE:.0f}",
               steady_rate >= GOAL_RATE))
    startup = statistics.median(c.first.wall for c in chunks)
    print(_row(f"  wall of all {2 * len(chunks)} runs; a 1-message run (median)", f"{result.measured_wall:.1f} s; {startup:.2f} s", "",
               None))
    ingest_peak = max(c.roles.get("ingest", 0) for c in chunks)
    reader_peak = max(c.roles.get("reader worker", 0) for c in chunks)
    together = max(c.together_mb for c in chunks)
    print(_row("peak RSS, ingest process", f"{ingest_peak:.0f} MB", f"≤ {GOAL_RSS_MB:.0f}", ingest_peak <= GOAL_RSS_MB))
    print(_row("peak RSS, largest reading worker", f"{reader_peak:.0f} MB", f"≤ {GOAL_RSS_MB:.0f}", reader_peak <= GOAL_RSS_MB))
    print(_row("peak RSS, all ingest processes at one moment", f"{together:.0f} MB", f"≤ {GOAL_RSS_MB:.0f}", together <= GOAL_RSS_MB))
    print(_row("  RUSAGE_CHILDREN ru_maxrss (see the docstring)", f"{result.rusage_children_mb:.0f} MB", "", None))
    for timed in result.commands:
        if timed.name.startswith("CLI start-up") or timed.name == COLD_TICK:
            print(_row(timed.name, _seconds(timed.best), "", None))
            continue
        goal = GOAL_EXTRACT_S if timed.name.startswith("extract") else GOAL_COMMAND_S
        print(_row(timed.name, _seconds(timed.best), f"≤ {goal} s", timed.best is not None and timed.best <= goal))
    print(_row("database size (mailbot.db, -wal, -shm)", f"{result.db_bytes / 1e6:.1f} MB", "", None))
    print(_row("  per message", f"{result.db_bytes / n / 1024:.1f} KiB", "", None))
    print(_row("outbox Maildir files written by the ingest runs", f"{result.outbox_files:,}", "", None))
    for which, label in (("first", "first tenth (empty store)"), ("last", f"last tenth ({n - last.messages:,} before)")):
        if which in result.sql:
            statements, writes, ms = result.sql[which]
            print(_row(f"SQL statements/message, {label}", f"{statements:.0f} ({writes:.0f} writes)", "", None))
            print(_row(f"  in-process ms/message there ({SQL_SAMPLE} messages, cold caches)", f"{ms:.1f} ms", "", None))
    outcomes: Counter[str] = Counter()
    for c in chunks:
        outcomes.update(c.outcomes)
    failed = outcomes.get("failed", 0)
    print(_row("messages by outcome", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())), "0 failed", failed == 0))


def print_ratio(a: SizeResult, b: SizeResult) -> None:
    size = b.messages / a.messages
    goal = GOAL_SIZE_FACTOR * size
    print(f"\nsize ratio {b.messages:,} ÷ {a.messages:,} = {size:.1f}")
    print(_row("figure", "value", "goal", None).replace("  -", "  met?"))
    runs = b.ten_runs / a.ten_runs
    print(_row(f"ingest time, ten runs: {b.ten_runs:.0f} s ÷ {a.ten_runs:.0f} s", f"{runs:.2f}", f"≤ {goal:.1f}", runs <= goal))
    steady = b.steady_total / a.steady_total
    print(_row(f"ingest time, steady: {b.steady_total:.0f} s ÷ {a.steady_total:.0f} s", f"{steady:.2f}", f"≤ {goal:.1f}", steady <= goal))


def snapshot_code(work: Path) -> tuple[Path, str]:
    """A copy of the checkout's packages (the mailbot processes import it through PYTHONPATH) and
    what version it is."""
    code = work / "code"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compiled as pip does on install: where PYTHONDONTWRITEBYTECODE is set (as on the
    # development VM) every process would otherwise compile the sources again (some 0.1 s).
    compileall.compile_dir(code, quiet=1)
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *PACKAGES], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.splitlines()
        version = f"code {head}" + (f" + {len(dirty)} uncommitted file(s)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        version = "code (no git)"
    return code, version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=10000, help="messages to generate and ingest (default 10000)")
    parser.add_argument("--sizes", default=None, help="comma-separated sizes, each in a fresh store, e.g. 10000,50000")
    parser.add_argument("--ratio", action="store_true", help="the same as --sizes N,5N with N = --messages")
    parser.add_argument("--projects", type=int, default=12, help="client projects (default 12)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR (new or empty) and leave mail and store there")
    parser.add_argument("--skip-sql", action="store_true", help="do not count SQL statements per message")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="print N (at most 2) generated messages")
    args = parser.parse_args()
    sizes = [args.messages, 5 * args.messages] if args.ratio else \
        [int(s) for s in args.sizes.split(",")] if args.sizes else [args.messages]
    if any(s < CHUNKS * 4 for s in sizes):
        parser.error(f"each size must be at least {CHUNKS * 4} messages")
    if args.keep is not None:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: not empty")
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="mailbot-scale-"))
    try:
        code, version = snapshot_code(work)
        sys.path.insert(0, str(code))  # the in-process parts (configuration check, SQL count) use the same copy
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])}
        print(f"{version}, copied to {code}", flush=True)
        results = [run_size(size, args, work / f"n{size}", env) for size in sizes]
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for result in results:
        print_table(result, version)
    for a, b in zip(results, results[1:]):
        print_ratio(a, b)
    if args.keep is not None:
        print(f"\nkept in {work}: code (the packages run), n<size>/mail (the .eml files, a folder a tenth), "
              f"n<size>/store (mailbot.toml, mailbot.db, outbox), n<size>/logs (ingest -v logs)")


if __name__ == "__main__":
    main()
