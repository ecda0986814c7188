"""CI-size run of bench/fuzz.py: seeded mutants of real mail never crash or stall `extract`.

The mutants are those of `python bench/fuzz.py --seed ci --count 300`, with the big mutations
kept smaller (see LIMITS): each is one seed message (mailbot/sample, bench/plan/dev/*/mail and,
where present, ../shared/corpora as listed by tests/corpus_files.py) with one to four mutations:
byte flips, truncation, duplicated and missing headers, wrong charsets, broken boundaries, deep
multipart nesting, huge headers and bodies, NUL bytes, bidi and zero-width characters,
base64/quoted-printable garbage, encoded words that decode to CR/LF, extreme dates, hostile HTML.

Every mutant runs in a child forked from the test process, with a time limit; a hang in C code
(a backtracking regex) is killed, not waited for. The property: `extract(raw, CONTEXT)` returns,
or raises `ParseError`, within TIME_BOUND seconds. A failure lists each distinct crash (exception
type, innermost frame) and hang (innermost project function) once, with a reproducer saved under
pytest's temporary directory: `python bench/fuzz.py --replay FILE` runs it again.

Deterministic for a given checkout and corpora; about a minute on the 2-core VM when nothing fails
(each hang costs TIME_BOUND).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_fuzz() -> Any:
    spec = importlib.util.spec_from_file_location("mailbot_bench_fuzz", ROOT / "bench" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()

SEED = "ci"
COUNT = 300
TIME_BOUND = 2.0  # seconds for one message; normal mail takes milliseconds, a 1 MB body well under 1 s
JOBS = 2
# Smaller than the bench's (1 MB header lines, 4 MB bodies, 5,000 levels) to keep the run short,
# still past spaCy's 1,000,000-character limit and deep enough for the stdlib parser's recursion.
LIMITS = fuzz.Limits(max_header=256 * 1024, max_body=1_500_000, max_depth=2_000)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run every mutant once; the tests below read the outcomes."""
    files = fuzz.corpus_files()
    assert files, "no seed messages (mailbot/sample/*.eml)"
    fuzz.warm_up()
    cache: dict[Path, bytes] = {}
    mutants = [fuzz.make_mutant(SEED, i, files, LIMITS, cache) for i in range(COUNT)]
    out_dir = tmp_path_factory.mktemp("fuzz-reproducers")
    saver = fuzz.Saver(out_dir, keep=1)
    failures: dict[tuple[str, str, str], dict[str, Any]] = {}
    statuses: dict[str, int] = {}

    def on_result(mutant: Any, raw: bytes, out: dict[str, Any]) -> None:
        statuses[out["status"]] = statuses.get(out["status"], 0) + 1
        if out["status"] in ("crash", "hang", "harness_error"):
            sig = fuzz.signature(out)
            entry = failures.setdefault(sig, {"count": 0, "first": mutant, "outcome": out, "file": None})
            entry["count"] += 1
            saved = saver.add(mutant, out, LIMITS)
            if saved is not None:
                entry["file"] = saved

    runner = fuzz.Runner(TIME_BOUND, jobs=JOBS, memory_mb=4096)
    try:
        runner.run(((m, m.raw) for m in mutants), on_result)
    finally:
        runner.close()
    return {"mutants": mutants, "failures": failures, "statuses": statuses, "files": files}


def _report(failures: dict[tuple[str, str, str], dict[str, Any]], kinds: tuple[str, ...]) -> str:
    lines = []
    for sig, entry in sorted(failures.items(), key=lambda kv: -kv[1]["count"]):
        if sig[0] not in kinds:
            continue
        out, mutant = entry["outcome"], entry["first"]
        lines.append(
            f"{entry['count']} x {sig[0]} {sig[1]} at {sig[2]} (project frame {out.get('project_frame', '?')})\n"
            f"    {out.get('message', '')[:200]!r}\n"
            f"    e.g. mutant {mutant.index} ({len(mutant.raw)} bytes): {mutant.describe()[:300]}\n"
            f"    replay: python bench/fuzz.py --replay {entry['file']}"
        )
    return "\n".join(lines)


@pytest.mark.timeout(900)
def test_mutants_are_deterministic_and_cover_every_mutation(outcomes: dict[str, Any]) -> None:
    again = [fuzz.make_mutant(SEED, i, outcomes["files"], LIMITS) for i in range(0, COUNT, 37)]
    assert [m.raw for m in again] == [outcomes["mutants"][m.index].raw for m in again]
    used = {op["op"] for m in outcomes["mutants"] for op in m.mutations}
    assert used == set(fuzz.MUTATIONS)
    assert sum(outcomes["statuses"].values()) == COUNT


@pytest.mark.timeout(900)
def test_no_mutant_raises_anything_but_parse_error(outcomes: dict[str, Any]) -> None:
    report = _report(outcomes["failures"], ("crash", "harness_error"))
    assert not report, "extract raised something other than ParseError:\n" + report


@pytest.mark.timeout(900)
def test_no_mutant_takes_longer_than_the_time_bound(outcomes: dict[str, Any]) -> None:
    report = _report(outcomes["failures"], ("hang",))
    assert not report, f"extract took longer than {TIME_BOUND} s:\n" + report
