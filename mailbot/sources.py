"""Where raw messages come from when they do not come by IMAP: .eml files, mbox files, Maildirs.

`read_sources(paths)` yields `RawItem`s lazily, one per message, in a stable order; a path that
cannot be read yields one `RawItem` with `error` set instead of stopping the batch. A plain
folder that is not a Maildir is read as a folder of message files (`*.eml`, `*.msg`, `*.mbox`
and the like, sorted by name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MBOX_MAGIC = b"From "


@dataclass(frozen=True, slots=True)
class RawItem:
    source: str  # shown to users: "path", "path#3" for the 3rd message of an mbox, "maildir/cur/…"
    raw: bytes
    received: dt.datetime | None = None  # the file's time, used when the message has no Date
    error: str | None = None


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new"))


def count_messages(paths: Sequence[str]) -> int | None:
    """A cheap estimate of how many messages `paths` hold (for a progress bar); None if unknown."""
    total = 0
    for name in paths:
        path = Path(name)
        if name == "-" or not path.exists():
            total += 1
        elif is_maildir(path):
            total += sum(1 for sub in ("new", "cur") for f in (path / sub).iterdir() if f.is_file())
        elif path.is_dir():
            total += sum(1 for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif _looks_like_mbox(path):
            return None
        else:
            total += 1
    return total


def read_sources(paths: Sequence[str], stdin: bytes | None = None) -> Iterator[RawItem]:
    for name in paths:
        if name == "-":
            yield RawItem(source="-", raw=stdin or b"")
            continue
        path = Path(name)
        if not path.exists():
            yield RawItem(source=name, raw=b"", error="no such file or folder")
        elif is_maildir(path):
            yield from _read_maildir(path, name)
        elif path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
            for file in files:
                yield from _read_file(file, str(file))
        else:
            yield from _read_file(path, name)


def _read_file(path: Path, name: str) -> Iterator[RawItem]:
    try:
        with open(path, "rb") as fh:  # opened once: an mbox is left to `mailbox`, anything else is one message
            raw = None if _starts_an_mbox(fh) else fh.read()
        if raw is None:
            yield from _read_mbox(path, name)
            return
    except OSError as exc:
        yield RawItem(source=name, raw=b"", error=f"cannot read: {exc.strerror or exc}")
        return
    yield RawItem(source=name, raw=raw, received=_mtime(path))


def _starts_an_mbox(fh: BinaryIO) -> bool:
    """Whether the open file is an mbox; it is read again from its start either way."""
    found = fh.read(len(MBOX_MAGIC)) == MBOX_MAGIC
    fh.seek(0)
    return found


def _looks_like_mbox(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return _starts_an_mbox(fh)
    except OSError:
        return False


def _read_mbox(path: Path, name: str) -> Iterator[RawItem]:
    import mailbox  # here: only an mbox needs it (some 10 ms of start-up)

    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.iterkeys(), start=1):
            try:
                raw = box.get_bytes(key)
            except (OSError, KeyError) as exc:
                yield RawItem(source=f"{name}#{index}", raw=b"", error=f"cannot read mbox entry: {exc}")
                continue
            yield RawItem(source=f"{name}#{index}", raw=raw, received=_mtime(path))
    finally:
        box.close()


def _read_maildir(path: Path, name: str) -> Iterator[RawItem]:
    files = sorted(f for sub in ("cur", "new") for f in (path / sub).iterdir() if f.is_file())
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            yield RawItem(source=str(file), raw=b"", error=f"cannot read: {exc.strerror or exc}")
            continue
        yield RawItem(source=str(Path(name) / file.parent.name / file.name), raw=raw, received=_mtime(file))


def _mtime(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc)
    except OSError:
        return None
