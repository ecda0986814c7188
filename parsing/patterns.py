"""Regular expressions compiled once per machine, not once per process.

Why by hand: CPython's `re` parses and compiles a pattern in pure Python (`re._parser`,
`re._compiler`), some 0.2–3 ms a pattern. Reading one message needs about 280 of the project's
patterns, so every one-off command (`mailbot extract`, `tick`) and every reading worker spent
some 160 ms compiling the same patterns again, more than everything else it did. What the
compiler produces, the program that `_sre.compile` turns into a pattern object, depends only on
the pattern's text, its flags and the Python build, and no library keeps it between processes
(`pickle` of a pattern keeps its text and compiles again; `regex` and `re2` compile in their own
way and `re2` lacks the look-arounds the lexicon needs).

`compile(pattern, flags)` is `re.compile` with a memory: it looks the program up in a file kept
per Python build (`programs2-<build>.marshal` in the cache directory) and hands it to
`_sre.compile`, the call `re.compile` itself ends with; a program not kept yet is compiled by
`re`'s own parser and code generator and kept. `_sre.compile` checks a program before it runs
(an invalid one raises, never crashes), and anything unexpected (another Python, a file that
cannot be read, is not the user's own or that others may write) falls back to `re.compile`:
the cache can only make compiling faster, never change what a pattern matches
(tests/test_patterns.py compares both on every kept pattern).

The programs are the user's, not a project's: they live in `parsing.usercache.directory()`
(`$XDG_CACHE_HOME/mailbot`; reading workers inherit the variable), not beside a store. New programs are written (merged with what another process wrote meanwhile, then
renamed into place) when the process exits, and by a reading worker after a message that needed
new ones (`save`); a directory that cannot be written keeps programs in memory only.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, AnyStr

from parsing import usercache

logger = logging.getLogger(__name__)

_Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

LIMIT = 5_000  # programs kept at most: the project has some 450 patterns, none made from what a message says
_BUILD = f"{sys.implementation.cache_tag}-{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
# Each program stays marshalled until a pattern asks for it: a command that needs a few patterns
# (`plan`) does not build the lists of all of them.
_kept: dict[tuple[str | bytes, int], bytes] | None = None  # what the file held, then what this process added
_new = 0  # programs compiled here and not written yet


def _internals() -> tuple[Any, Any, Any] | None:
    """`_sre`, `re._parser` and `re._compiler`, where this Python has them as CPython 3.11+ does."""
    try:
        sre, parser, compiler = (importlib.import_module(name) for name in ("_sre", "re._parser", "re._compiler"))
    except ImportError:  # pragma: no cover - another Python
        return None
    usable = sys.implementation.name == "cpython" and all(
        hasattr(module, name) for module, name in ((sre, "compile"), (sre, "MAGIC"), (parser, "parse"), (compiler, "_code")))
    return (sre, parser, compiler) if usable else None


_INTERNALS = _internals()


def _file() -> Path | None:
    where = usercache.directory()
    if where is None or _INTERNALS is None:
        return None
    return where / f"programs2-{_BUILD}-{_INTERNALS[0].MAGIC}.marshal"


def _read(path: Path | None) -> dict[tuple[str | bytes, int], bytes]:
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno())
            if mode.st_uid != os.getuid() or mode.st_mode & 0o022:
                # marshal is for data one trusts: only a file of this user's own, writable by nobody else
                logger.debug("patterns: %s is not this user's own file; compiling afresh", path)
                return {}
            loaded = marshal.loads(handle.read())
    except FileNotFoundError:
        return {}
    except (OSError, EOFError, ValueError, TypeError) as exc:
        logger.debug("patterns: %s not read (%s); compiling afresh", path, exc)
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _programs() -> dict[tuple[str | bytes, int], bytes]:
    global _kept
    if _kept is None:
        _kept = _read(_file())
    return _kept


def compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:  # noqa: A001 - re.compile's name, on purpose
    """`re.compile(pattern, flags)`, from a kept program where there is one."""
    flags = int(flags)
    if _INTERNALS is None or not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    sre = _INTERNALS[0]
    programs = _programs()
    kept = programs.get((pattern, flags))
    if kept is not None:
        try:
            return sre.compile(pattern, *marshal.loads(kept))  # type: ignore[no-any-return]
        except Exception as exc:  # noqa: BLE001 - a program from another build or a damaged file: compile afresh
            logger.debug("patterns: kept program of %r refused (%s)", pattern[:60], exc)
    global _new
    program = _compiled(pattern, flags)
    compiled = sre.compile(pattern, *program)
    if len(programs) < LIMIT:
        programs[pattern, flags] = marshal.dumps(program)
        _new += 1
    return compiled  # type: ignore[no-any-return]


def _compiled(pattern: str | bytes, flags: int) -> _Program:
    """What `re._compiler.compile` hands to `_sre.compile`, kept as plain data."""
    assert _INTERNALS is not None
    _, parser, compiler = _INTERNALS
    parsed = parser.parse(pattern, flags)
    code = compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # the code holds the compiler's named constants (int subclasses): plain ints, which marshal keeps
    return int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex, tuple(indexgroup)


def save() -> None:
    """Write the programs compiled here since the last save (merged with the file's); never
    raises. Cheap when there is nothing new."""
    global _new
    if not _new or _kept is None:
        return
    path = _file()
    if path is None:
        return
    merged = _read(path)
    merged.update(_kept)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".programs-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(merged))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError) as exc:
        logger.debug("patterns: %s not written (%s)", path, exc)
        return
    _new = 0


atexit.register(save)
