"""Which files of ../shared/corpora are raw RFC 5322 messages: one list for the tests and bench/.

Used by tests/test_mime.py (the corpus walk), tests/test_mime_fuzz.py (mutation seeds) and
bench/parse.py (throughput), so that all three read exactly the same files.
"""

from __future__ import annotations

from pathlib import Path


def raw_messages(root: Path) -> list[tuple[str, Path]]:
    """(source folder, path) of every raw message under `root`, sorted by path."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(root).parts[0]
        if path.suffix in (".eml", ".box"):
            found.append((source, path))
        elif source == "cpython-test-email" and path.name.startswith("msg_"):
            found.append((source, path))
        elif source == "spamscope-mail-parser" and path.parent.name == "mails":
            found.append((source, path))
    return found
