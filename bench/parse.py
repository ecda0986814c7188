"""Throughput and memory of mailbot's parse, beside the standard library. Prints figures; not a test.

    python bench/parse.py [--corpora PATH] [--repeat N]

1. Messages per second over every raw message of the shared corpora (the same files as the
   corpus walk in tests/test_mime.py, listed by tests/corpus_files.py), four ways on the same
   bytes in the same run: `parsing.mime.read_email`, the whole `parsing.extract` chain, the
   stdlib `email.message_from_bytes(policy=default)`, and that plus
   `get_body(('plain', 'html')).get_content()`. Each is warmed up with one pass, then timed
   as the best of N passes (time.perf_counter).
2. Peak memory of `read_email` on a message built in memory: a Chinese text/plain body and
   a 30 MB application/pdf attachment of random bytes, base64. tracemalloc peak during the
   call (after the input is built) and, in a fresh child process that only reads the file,
   the max-RSS growth across the call.
"""

from __future__ import annotations

import argparse
import base64
import email
import email.policy
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # corpus_files: the one list of raw-mail files

from corpus_files import raw_messages  # noqa: E402

from parsing.errors import ParseError  # noqa: E402
from parsing.mime import read_email  # noqa: E402

ATTACHMENT_MB = 30
CONTEXT_KW = {"team_domains": ("studio.example",), "timezone": "Asia/Shanghai"}


# --- throughput --------------------------------------------------------------------------


def _stdlib_parse(raw: bytes) -> None:
    email.message_from_bytes(raw, policy=email.policy.default)


def _stdlib_parse_body(raw: bytes) -> None:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    body = msg.get_body(("plain", "html"))  # type: ignore[attr-defined]
    if body is not None:
        body.get_content()


def _one_pass(func: Callable[[bytes], object], messages: list[bytes]) -> tuple[float, int]:
    """Seconds for one pass and the number of messages that raised."""
    raised = 0
    start = time.perf_counter()
    for raw in messages:
        try:
            func(raw)
        except Exception:  # noqa: BLE001 - ParseError for ours, LookupError etc. for the stdlib
            raised += 1
    return time.perf_counter() - start, raised


def _best_of(func: Callable[[bytes], object], messages: list[bytes], repeat: int) -> tuple[float, int]:
    _one_pass(func, messages)  # warm-up: imports, pipelines, regex caches
    runs = [_one_pass(func, messages) for _ in range(repeat)]
    return min(r[0] for r in runs), runs[0][1]


def throughput(corpora: Path, repeat: int) -> None:
    from parsing import Context, extract

    files = raw_messages(corpora)
    messages = [path.read_bytes() for _, path in files]
    size = sum(map(len, messages))
    print(f"corpora: {corpora}")
    print(f"{len(messages)} raw messages, {size / 1e6:.1f} MB; warm-up 1 pass, best of {repeat}\n")

    counts: Counter[tuple[str, str]] = Counter()
    for source, path in files:
        counts[source, "files"] += 1
        try:
            read_email(path.read_bytes())
            counts[source, "parsed"] += 1
        except ParseError:
            counts[source, "ParseError"] += 1
    sources = sorted({s for s, _ in counts})
    print(f"{'source':28} {'files':>6} {'parsed':>7} {'ParseError':>11}")
    for source in sources:
        print(f"{source:28} {counts[source, 'files']:6} {counts[source, 'parsed']:7} {counts[source, 'ParseError']:11}")
    totals = [sum(counts[s, k] for s in sources) for k in ("files", "parsed", "ParseError")]
    print(f"{'total':28} {totals[0]:6} {totals[1]:7} {totals[2]:11}\n")

    context = Context(**CONTEXT_KW)
    stdlib_parse = _best_of(_stdlib_parse, messages, repeat)
    stdlib_body = _best_of(_stdlib_parse_body, messages, repeat)
    rows = [
        ("mailbot read_email", _best_of(read_email, messages, repeat), stdlib_parse),
        ("mailbot extract (full chain)", _best_of(lambda raw: extract(raw, context), messages, repeat), stdlib_parse),
        ("stdlib message_from_bytes", stdlib_parse, None),
        ("stdlib + get_body().get_content", stdlib_body, None),
    ]
    print(f"{'parser':34} {'best s':>7} {'msg/s':>8} {'MB/s':>7} {'raised':>7} {'ours/stdlib':>12}")
    for name, (seconds, raised), ref in rows:
        ratio = f"{seconds / ref[0]:.2f}x" if ref else ""
        print(f"{name:34} {seconds:7.3f} {len(messages) / seconds:8.0f} {size / 1e6 / seconds:7.1f} {raised:7} {ratio:>12}")
    print(
        "ours/stdlib = time of ours / time of stdlib message_from_bytes(policy=default); "
        f"read_email vs stdlib+get_content: {rows[0][1][0] / stdlib_body[0]:.2f}x\n"
    )


# --- memory ------------------------------------------------------------------------------


def big_message(attachment_bytes: int) -> bytes:
    """A realistic message: Chinese text/plain body (base64 utf-8) and a PDF attachment."""
    body = ("李经理您好：\r\n\r\n附件是第二版需求说明书（PDF），请在周五前确认。\r\n\r\n谢谢！\r\n王芳\r\n").encode()
    payload = os.urandom(attachment_bytes)
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")  # 76-character lines
    del payload
    head = (
        "From: =?utf-8?B?546L6Iqz?= <wang.fang@studio.example>\r\n"
        "To: li@client.example.cn\r\n"
        "Subject: =?utf-8?B?6ZyA5rGC6K+05piO5Lmm?=\r\n"
        "Date: Mon, 3 Mar 2025 09:15:00 +0800\r\n"
        "Message-ID: <big.1@studio.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="=-=big=-="\r\n\r\n'
        "--=-=big=-=\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode()
    return b"".join(
        [
            head,
            base64.encodebytes(body).replace(b"\n", b"\r\n"),
            b"--=-=big=-=\r\n"
            b"Content-Type: application/pdf; name=spec.pdf\r\n"
            b"Content-Disposition: attachment; filename=spec.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            encoded,
            b"--=-=big=-=--\r\n",
        ]
    )


def _rss_child(path: str) -> None:
    """Run in a fresh process: read the file, then print peak RSS before and after read_email.

    Linux: the peak (VmHWM) is reset to the current RSS through /proc/self/clear_refs, so the
    growth is the call's own. Elsewhere: ru_maxrss, which only grows when the call passes the
    process's earlier peak (a child inherits its parent's RSS at fork), so it may read 0.
    """
    raw = Path(path).read_bytes()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        peak: Callable[[], int] = lambda: _proc_status_bytes("VmHWM")  # noqa: E731
        how = "VmHWM"
    except OSError:
        peak, how = _maxrss_bytes, "ru_maxrss"
    before = peak()
    read_email(raw)
    print(before, peak(), how)


def _proc_status_bytes(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024  # kB
    raise OSError(f"{field} not in /proc/self/status")


def _maxrss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB


def _rss_growth(raw: bytes) -> tuple[int, int, str]:
    with tempfile.NamedTemporaryFile(suffix=".eml", delete=False) as handle:
        handle.write(raw)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", handle.name], capture_output=True, text=True, check=True
        ).stdout.split()
    finally:
        os.unlink(handle.name)
    return int(out[0]), int(out[1]), out[2]


def memory() -> None:
    raw = big_message(ATTACHMENT_MB * 1024 * 1024)
    size = len(raw)
    before, after, how = _rss_growth(raw)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    start = time.perf_counter()
    mail = read_email(raw)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    attachment = mail.attachments[0]

    mb = 1024 * 1024
    print(f"memory: one message, {ATTACHMENT_MB} MiB PDF attachment (base64) + Chinese text body")
    print(f"{'message size':40} {size:>12,} B {size / mb:7.1f} MiB")
    print(f"{'tracemalloc peak during read_email':40} {peak - base:>12,} B {(peak - base) / mb:7.1f} MiB  {(peak - base) / size:5.2f}x")
    print(f"{'peak RSS growth, child (' + how + ')':40} {after - before:>12,} B {(after - before) / mb:7.1f} MiB  {(after - before) / size:5.2f}x")
    print(f"{'  child RSS before / peak after':40} {before / mb:7.1f} / {after / mb:.1f} MiB")
    print(f"{'read_email time (under tracemalloc)':40} {seconds:12.2f} s")
    exact = attachment.size == ATTACHMENT_MB * mb
    print(f"attachment: {attachment.filename} {attachment.content_type}, size reported {attachment.size:,} B (exact: {exact})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per parser; the best is kept (default 3)")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        _rss_child(args.rss_child)
        return 0
    started = time.perf_counter()
    if args.corpora.is_dir():
        throughput(args.corpora, max(1, args.repeat))
    else:
        print(f"corpora not found at {args.corpora}; throughput skipped (pass --corpora PATH)\n")
    memory()
    print(f"\nbench total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
