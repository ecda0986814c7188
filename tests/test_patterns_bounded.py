"""No regular expression kept at module level takes super-linear time on hostile input.

Every module under parsing/, mailbot/ (with mailbot/plan/ and mailbot/store/) and scheduling/
is imported, and every compiled pattern it keeps is collected: `re.Pattern` objects that are
module attributes, that sit inside module-level tuples, lists, sets and dicts, that are fields
or attributes of module-level objects of the project's own types (the `Cues` of
`parsing.lexicon`, `mailbot.plan.text.Cue` wrappers, class attributes, enum values), bound
methods of a pattern (`_split = re.compile(...).split`) and default arguments of module-level
functions. A module that cannot be imported fails `test_every_module_imports` by name.

Each pattern is fed adversarial text: long runs of one word character, digit, CJK character,
space, punctuation the pattern itself contains, "a@", "a.", "=", "-", short lines, nested
brackets, "http://", and the pattern's own literal words repeated. Every input is run at
SMALL characters first; a pattern that already takes more than BOUND_SECONDS there fails at
once. Then MIDDLE characters; when the growth from SMALL to MIDDLE projects LARGE (about
1 MB) beyond LARGE_CAP_SECONDS the pattern fails without trying LARGE, otherwise LARGE is
run, each call stopped after about LARGE_CAP_SECONDS, so that a catastrophic pattern cannot
hold the suite for hours. `search`
gives the bound; when `search` finds a match early, the whole text is also scanned with
`finditer` (the work `findall`, `sub` and `split` do).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import enum
import importlib
import importlib.util
import io
import math
import re
import signal
import sys
import time
import types
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("parsing", "mailbot", "scheduling")

BOUND_SECONDS = 2.0  # the most one call may take on LARGE characters of hostile text: a message's whole budget
SMALL = 20_000  # characters: the first, cheap round
MIDDLE = 100_000  # characters: the second round, to see how the time grows
LARGE = 1_000_000  # characters: about 1 MB
# A call is stopped about here (the regex engine notices the alarm only now and then, so a
# catastrophic call can run on a little longer), and LARGE is not tried at all when the
# growth from SMALL to MIDDLE projects it beyond this.
LARGE_CAP_SECONDS = 10 * BOUND_SECONDS
MAX_DEPTH = 6  # how deep into module-level containers and objects the collector looks


# --- collecting the patterns --------------------------------------------------------------


@dataclass
class Found:
    pattern: re.Pattern
    name: str  # module.attribute[...] where it was first found
    module: str
    aliases: list[str] = field(default_factory=list)  # other places holding the same pattern


def _module_names() -> list[str]:
    """Every module of the packages, found on disk, so that a broken package cannot hide its
    submodules."""
    names = []
    for package in PACKAGES:
        base = ROOT / package
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if "__pycache__" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def _import(name: str) -> types.ModuleType:
    if name.rsplit(".", 1)[-1] != "__main__":
        module = importlib.import_module(name)
        for attribute in getattr(module, "__lazy__", ()):  # what a module builds on first use, built now
            getattr(module, attribute)
        return module
    # A __main__ module runs its program when imported (mailbot/__main__.py calls the CLI
    # unguarded): execute it as `prog --help`, quietly, and keep the namespace it built.
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    saved_argv = sys.argv
    sys.argv = [name.split(".")[0], "--help"]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            spec.loader.exec_module(module)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise ImportError(f"{name} exited with {stop.code!r} on --help") from stop
    finally:
        sys.argv = saved_argv
    return module


def _ours(obj: object) -> bool:
    module = getattr(type(obj), "__module__", "") or ""
    return module.split(".")[0] in PACKAGES


def _walk(obj: object, name: str, depth: int, seen: set[int]) -> Iterator[tuple[str, re.Pattern]]:
    """(name, pattern) for every compiled pattern reachable from one module attribute."""
    if isinstance(obj, re.Pattern):
        yield name, obj
        return
    if depth > MAX_DEPTH or id(obj) in seen:
        return
    if isinstance(obj, (str, bytes, int, float, complex, bool, type(None), types.ModuleType)):
        return
    seen.add(id(obj))
    # a pattern's bound method kept as a function: `_split = re.compile(...).split`
    owner = getattr(obj, "__self__", None)
    if isinstance(obj, types.BuiltinMethodType) and isinstance(owner, re.Pattern):
        yield f"{name} (bound .{obj.__name__})", owner
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk(key, f"{name}[{key!r}] (key)", depth + 1, seen)
            yield from _walk(value, f"{name}[{key!r}]", depth + 1, seen)
        return
    if isinstance(obj, (tuple, list)):
        for index, value in enumerate(obj):
            yield from _walk(value, f"{name}[{index}]", depth + 1, seen)
        return
    if isinstance(obj, (set, frozenset)):
        for index, value in enumerate(sorted(obj, key=repr)):
            yield from _walk(value, f"{name}{{{index}}}", depth + 1, seen)
        return
    if isinstance(obj, types.FunctionType):
        if (obj.__module__ or "").split(".")[0] in PACKAGES:
            for index, value in enumerate(obj.__defaults__ or ()):
                yield from _walk(value, f"{name}.__defaults__[{index}]", depth + 1, seen)
            for key, value in (obj.__kwdefaults__ or {}).items():
                yield from _walk(value, f"{name}.__kwdefaults__[{key!r}]", depth + 1, seen)
        wrapped = getattr(obj, "__wrapped__", None)
        if wrapped is not None:
            yield from _walk(wrapped, name, depth + 1, seen)
        return
    if isinstance(obj, type):
        if (obj.__module__ or "").split(".")[0] not in PACKAGES:
            return
        for key, value in list(vars(obj).items()):
            if key.startswith("__") and key.endswith("__"):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            yield from _walk(value, f"{name}.{key}", depth + 1, seen)
        return
    if isinstance(obj, enum.Enum):
        yield from _walk(obj.value, f"{name}.value", depth + 1, seen)
        return
    if not _ours(obj):
        # functools.partial and friends built from a pattern
        for attr in ("func", "args", "keywords"):
            if hasattr(obj, attr) and type(obj).__module__ == "functools":
                yield from _walk(getattr(obj, attr), f"{name}.{attr}", depth + 1, seen)
        return
    # an instance of one of our types: its fields, __dict__ and __slots__
    attrs: dict[str, object] = {}
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            with contextlib.suppress(AttributeError):
                attrs[f.name] = getattr(obj, f.name)
    for cls in type(obj).__mro__:
        slots = vars(cls).get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            if slot not in attrs and slot not in ("__dict__", "__weakref__"):
                with contextlib.suppress(AttributeError):
                    attrs[slot] = getattr(obj, slot)
    attrs.update(getattr(obj, "__dict__", {}) or {})
    for lazy in getattr(type(obj), "__lazy__", ()):  # what an instance builds on first use (lexicon.Cues), built now
        attrs[lazy] = getattr(obj, lazy)
    for key, value in attrs.items():
        yield from _walk(value, f"{name}.{key}", depth + 1, seen)


def _defined_names(module: types.ModuleType) -> set[str]:
    """The names a module binds itself (assignments, defs, classes), not those it imports."""
    try:
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return set(vars(module))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _collect() -> tuple[list[str], dict[str, str], list[Found]]:
    modules = _module_names()
    failures: dict[str, str] = {}
    found: dict[tuple[object, int], tuple[int, Found]] = {}
    for module_name in modules:
        try:
            module = _import(module_name)
        except BaseException as error:  # noqa: BLE001 - a SystemExit on import is a failure too
            failures[module_name] = f"{type(error).__name__}: {error}"
            continue
        own = _defined_names(module)
        for attr, value in list(vars(module).items()):
            if attr.startswith("__") and attr.endswith("__"):
                continue
            if isinstance(value, type) and value.__module__ != module_name:
                continue  # an imported class is examined in its own module
            rank = 0 if attr in own else 1  # name a pattern after the module that defines it
            try:
                reached = list(_walk(value, attr, 0, set()))
            except Exception as error:  # noqa: BLE001 - reported, never skipped silently
                failures[f"{module_name}.{attr}"] = f"could not be examined: {type(error).__name__}: {error}"
                continue
            for name, pattern in reached:
                qualified = f"{module_name}.{name}"
                key = (pattern.pattern, pattern.flags)
                if key not in found:
                    found[key] = (rank, Found(pattern, qualified, module_name))
                    continue
                best_rank, entry = found[key]
                if rank < best_rank:
                    entry.aliases.insert(0, entry.name)
                    entry.name, entry.module = qualified, module_name
                    found[key] = (rank, entry)
                elif qualified != entry.name and qualified not in entry.aliases:
                    entry.aliases.append(qualified)
    return modules, failures, [entry for _, entry in found.values()]


MODULES, IMPORT_FAILURES, PATTERNS = _collect()


# --- hostile inputs -------------------------------------------------------------------------

try:  # the pattern parser, to read a pattern's literal words and punctuation
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import sre_parse as _sre_parse  # type: ignore[no-redef]


def _literals(pattern: re.Pattern) -> tuple[list[str], list[str]]:
    """The literal runs of a pattern (its words) and the punctuation characters it names."""
    source = pattern.pattern
    if isinstance(source, bytes):
        source = source.decode("latin-1")
    runs: list[str] = []
    chars: list[str] = []
    try:
        parsed = _sre_parse.parse(source, pattern.flags & ~re.DEBUG)
    except Exception:  # noqa: BLE001 - fall back to reading the source text
        parsed = None

    def walk(sub: object) -> None:
        run: list[str] = []

        def flush() -> None:
            if run:
                runs.append("".join(run))
                run.clear()

        for op, av in sub:  # type: ignore[attr-defined]
            opname = str(op)
            if opname == "LITERAL":
                run.append(chr(av))
                chars.append(chr(av))
                continue
            flush()
            if opname in ("IN", "NOT_LITERAL"):
                items = av if isinstance(av, list) else [(op, av)]
                for item_op, item_av in items:
                    if str(item_op) in ("LITERAL", "NOT_LITERAL"):
                        chars.append(chr(item_av))
                    elif str(item_op) == "RANGE":
                        chars.extend(chr(c) for c in item_av)
                continue
            if opname == "BRANCH":
                for alternative in av[1]:
                    walk(alternative)
                continue
            stack = [av]
            while stack:
                item = stack.pop()
                if isinstance(item, _sre_parse.SubPattern):
                    walk(item)
                elif isinstance(item, (tuple, list)):
                    stack.extend(reversed(item))
        flush()

    if parsed is not None:
        walk(parsed)
    else:
        text = re.sub(r"\\[A-Za-z]|\(\?P?<\w+>|\(\?[:=!<>]+", " ", source)
        runs = re.findall(r"[^\W\d_]{2,}|[\u3400-\u9fff]+", text)
        chars = list(text)
    words: list[str] = []
    for run in runs:
        run = run.strip()
        if len(run) >= 2 or any(unicodedata.category(c) == "Lo" for c in run):
            if run not in words:
                words.append(run)
    punctuation: list[str] = []
    for char in chars:
        if char.isprintable() and not char.isalnum() and not char.isspace() and char not in punctuation:
            punctuation.append(char)
    return words[:40], punctuation


FIXED_PUNCTUATION = set("@.=-(")


def _repeat(unit: str, size: int) -> str:
    if not unit:
        unit = "a"
    return (unit * (size // len(unit) + 1))[:size]


def _inputs(pattern: re.Pattern) -> dict[str, Callable[[int], str]]:
    """Input kind -> text of a given length in characters."""
    words, punctuation = _literals(pattern)
    kinds: dict[str, Callable[[int], str]] = {
        "'a'*N": lambda n: _repeat("a", n),
        "'a'*N+'!'": lambda n: _repeat("a", n - 1) + "!",
        "' '*N+'x'": lambda n: _repeat(" ", n - 1) + "x",
        "'1'*N": lambda n: _repeat("1", n),
        "'中'*N": lambda n: _repeat("中", n),
        "' '*N": lambda n: _repeat(" ", n),
        "'a '*N": lambda n: _repeat("a ", n),
        "'a@'*N": lambda n: _repeat("a@", n),
        "'a.'*N": lambda n: _repeat("a.", n),
        "'='*N": lambda n: _repeat("=", n),
        "'-'*N": lambda n: _repeat("-", n),
        "'x\\n'*N": lambda n: _repeat("x\n", n),
        "'('*N": lambda n: _repeat("(", n),
        "'((a'*N": lambda n: _repeat("(", n // 2) + _repeat("a)", n - n // 2),
        "'http://'*N": lambda n: _repeat("http://", n),
    }
    for char in [c for c in punctuation if c not in FIXED_PUNCTUATION][:5]:
        kinds[f"{char!r}*N"] = lambda n, c=char: _repeat(c, n)
        kinds[f"'a{char}'*N"] = lambda n, c=char: _repeat("a" + c, n)
    cjk = [w for w in words if any(unicodedata.category(c) == "Lo" for c in w)]
    if cjk:
        first = next(c for c in cjk[0] if unicodedata.category(c) == "Lo")
        if first != "中":
            kinds[f"{first!r}*N"] = lambda n, c=first: _repeat(c, n)
    if words:
        kinds["own words, spaced"] = lambda n: _repeat(" ".join(words) + " ", n)
        kinds["own words, joined"] = lambda n: _repeat("".join(words), n)
        kinds["own words, cut short"] = lambda n: _repeat(" ".join(w[:-1] or w for w in words) + " ", n)
        kinds["own words, one per line"] = lambda n: _repeat("\n".join(words) + "\n", n)
    return kinds


# --- timing ------------------------------------------------------------------------------


class _Stopped(Exception):
    pass


@contextlib.contextmanager
def _cap(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; the regex engine checks for signals),
    leaving any alarm already set (pytest-timeout's) as it was."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not POSIX
        yield
        return
    try:
        def stop(signum: int, frame: object) -> None:
            raise _Stopped

        previous_handler = signal.signal(signal.SIGALRM, stop)
    except ValueError:  # pragma: no cover - not the main thread
        yield
        return
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), previous_interval)


ALL_SOURCES = "\n".join(path.read_text(encoding="utf-8") for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def _module_source(module: str) -> str:
    path = ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return ""


def match_only(found: Found) -> bool:
    """Whether the code only ever anchors this pattern at a position (`NAME.match(text, pos)`):
    then `match` is the call to bound, since `search` over a run of spaces is quadratic for any
    pattern that opens with `\\s*`, and no code does that. A pattern whose name is never seen
    with a call (kept in a table, passed around) is held to `search`, the strict bound."""
    keys = {name.rsplit(".", 1)[-1].split("[")[0] for name in [found.name, *found.aliases]}
    keys.discard("pattern")  # a Cue's `.pattern`: the Cue's own name is the one used
    keys |= {name.rsplit(".", 2)[-2] for name in [found.name, *found.aliases] if name.endswith(".pattern")}
    # A private name ("_OWNER") is used in its own module, where another module's "_OWNER" is
    # not it; a public one (a cue, "cues.plan_subject.match(…)") wherever the packages use it.
    modules = {found.module} | {alias.rsplit(".", 1)[0] for alias in found.aliases}
    local = "\n".join(_module_source(m) for m in modules)

    def used(calls: str) -> bool:
        return any(re.search(rf"(?<![\w]){re.escape(key)}\.(?:{calls})\(", local if key.startswith("_") else ALL_SOURCES)
                   for key in keys)
    return used("match|fullmatch") and not used("search|finditer|findall|sub|subn|split")


def _run(pattern: re.Pattern, text: str | bytes, cap: float | None, anchored: bool = False) -> tuple[float, bool, str]:
    """Seconds for search (and, when search matched, a finditer scan of the whole text), or
    for `match` at the start and one character in when the code only anchors it; whether the
    cap stopped it; which call took the time. CPU seconds of this process: what the pattern
    costs, whatever else the machine is doing (wall time failed a linear pattern on a busy CI)."""
    started = time.process_time()
    call = "match" if anchored else "search"
    try:
        with _cap(cap) if cap else contextlib.nullcontext():
            if anchored:
                pattern.match(text)
                pattern.match(text, 1)
                return time.process_time() - started, False, call
            found = pattern.search(text)
            if found is not None:
                call = "search+finditer"
                for _ in pattern.finditer(text):
                    pass
    except _Stopped:
        return time.process_time() - started, True, call
    return time.process_time() - started, False, call


def _projected(small: float, middle: float) -> float:
    """Seconds at LARGE, from the growth between SMALL and MIDDLE (linear at best, cubic at
    worst); times under a few milliseconds are noise, so they are taken as quadratic."""
    if middle < 0.002:
        return middle * (LARGE / MIDDLE) ** 2
    exponent = math.log(middle / max(small, 1e-4)) / math.log(MIDDLE / SMALL)
    return middle * (LARGE / MIDDLE) ** min(max(exponent, 1.0), 3.0)


def _seconds(value: float, stopped: bool = False) -> str:
    return f">{value:.3f}s (stopped)" if stopped else f"{value:.3f}s"


def _encode(pattern: re.Pattern, text: str) -> str | bytes:
    return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


def _short(source: str | bytes, limit: int = 200) -> str:
    text = source if isinstance(source, str) else source.decode("latin-1")
    return text if len(text) <= limit else text[:limit] + "…"


# --- the tests --------------------------------------------------------------------------------


def test_every_module_imports() -> None:
    assert MODULES, f"no module found under {PACKAGES} in {ROOT}"
    assert not IMPORT_FAILURES, "modules (or attributes) that cannot be imported or examined, so their patterns were not checked:\n" + "\n".join(
        f"  {name}: {error}" for name, error in IMPORT_FAILURES.items())


def test_patterns_were_found() -> None:
    assert len(PATTERNS) > 50, f"only {len(PATTERNS)} module-level patterns found: the collector is broken"
    # the cues of parsing.lexicon and mailbot.plan.text.Cue objects are among them
    names = " ".join(f.name for f in PATTERNS) + " " + " ".join(" ".join(f.aliases) for f in PATTERNS)
    assert "parsing.lexicon.EN." in names and "parsing.lexicon.ZH." in names
    assert "mailbot.plan.milestones._CONCEPTS[0]" in names


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("found", PATTERNS, ids=[f.name for f in PATTERNS])
def test_pattern_is_linear_on_hostile_input(found: Found) -> None:
    pattern = found.pattern
    anchored = match_only(found)
    failures = []
    for kind, make in _inputs(pattern).items():
        where = f"{found.name} | module {found.module} | input {kind}"
        small, stopped, call = _run(pattern, _encode(pattern, make(SMALL)), 2 * BOUND_SECONDS, anchored)
        if small > BOUND_SECONDS or stopped:
            failures.append(f"{where} | {call} | {SMALL:,} chars: {_seconds(small, stopped)} | "
                            f"{LARGE:,} chars: not run")
            continue
        middle, stopped, call = _run(pattern, _encode(pattern, make(MIDDLE)), LARGE_CAP_SECONDS, anchored)
        projected = _projected(small, middle)
        if middle > BOUND_SECONDS or stopped or projected > LARGE_CAP_SECONDS:
            failures.append(f"{where} | {call} | {SMALL:,} chars: {_seconds(small)} | "
                            f"{MIDDLE:,} chars: {_seconds(middle, stopped)} | "
                            f"{LARGE:,} chars: not run, projected {projected:.0f}s")
            continue
        if projected < BOUND_SECONDS / 4:
            continue  # linear and well under the bound at MIDDLE: LARGE would only cost time
        large, stopped, call = _run(pattern, _encode(pattern, make(LARGE)), LARGE_CAP_SECONDS, anchored)
        if large > BOUND_SECONDS or stopped:
            failures.append(f"{where} | {call} | {SMALL:,} chars: {_seconds(small)} | "
                            f"{MIDDLE:,} chars: {_seconds(middle)} | {LARGE:,} chars: {_seconds(large, stopped)}")
    if failures:
        also = f"\n  also held as: {', '.join(found.aliases)}" if found.aliases else ""
        pytest.fail(f"over {BOUND_SECONDS}s per call:\n  " + "\n  ".join(failures)
                    + f"\n  pattern: {_short(pattern.pattern)!r}{also}", pytrace=False)
