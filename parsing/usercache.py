"""The user's cache directory: what mailbot computes once per machine rather than once per process.

Compiled regular expressions (`parsing.patterns`), compiled templates (`mailbot.compose`) and
holiday tables (`scheduling.calendar`) depend on the code, the installed libraries and the
Python build, never on a project or its mail, so they are kept per user, not beside a plan:
a new store (a copy, a restore, a second mailbox on the same machine) starts warm.

`$XDG_CACHE_HOME/mailbot` (`~/.cache/mailbot` by default; the systemd units set
`XDG_CACHE_HOME=/var/cache` with `CacheDirectory=mailbot`). Everything in it can be deleted at
any time. Some of it is code (marshalled programs, template bytecode), which is loaded only from
a place that is the user's own and that nobody else may write (`private`).
"""

from __future__ import annotations

import os
from pathlib import Path


def directory() -> Path | None:
    """`$XDG_CACHE_HOME/mailbot`, else `~/.cache/mailbot`; None when there is no home to be found."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "mailbot"


def private(name: str) -> Path | None:
    """The folder `name` in the cache directory when `own` says it may be used; else None, and
    the caller computes afresh."""
    base = directory()
    if base is None:
        return None
    folder = base / name
    return folder if own(folder) else None


def own(folder: Path) -> bool:
    """Make `folder` (mode 0700) if missing; whether it is this user's own and neither its group
    nor others may write to it, so that what is loaded from it is what this user wrote."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = folder.stat()
    except OSError:
        return False
    return mode.st_uid == os.getuid() and not mode.st_mode & 0o022
