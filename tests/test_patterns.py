"""parsing.patterns: compiled programs kept between processes must match exactly as `re` does."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from parsing import patterns
from parsing.mime import read_email
from parsing.pipeline import Context, extract_email

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mail"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(patterns._INTERNALS is None, reason="this Python's re keeps no programs (not CPython 3.11+)")


def _texts() -> list[str]:
    """Real text for the patterns to run on: the fixture mail (both languages), read in full."""
    texts = []
    for path in sorted(FIXTURES.glob("*.eml")):
        email = read_email(path.read_bytes())
        texts.append(f"{email.subject}\n{email.text}")
    texts += ["下周三下午3点前把首页设计稿发过来，谢谢！", "請於 3月5日 前確認報價單，好唔好？",
              "Could you send the revised homepage by Friday 5pm? We approve the budget.", "ÅÆ ß İ ǅ 12/31 ΣΑΣ"]
    return texts


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process's programs forgotten and kept in a folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(patterns, "_kept", None)
    monkeypatch.setattr(patterns, "_new", 0)
    return tmp_path / "mailbot"


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def test_every_kept_program_matches_what_re_compiles() -> None:
    # Read all the fixture mail so that every pattern the chain compiles for it is in this process's programs.
    for path in sorted(FIXTURES.glob("*.eml")):
        extract_email(read_email(path.read_bytes()), Context())
    kept = marshal.loads(marshal.dumps(patterns._programs()))  # as a file would give them back
    assert len(kept) > 200, "the parsing chain compiles a few hundred patterns; were they routed through parsing.patterns?"
    texts = _texts()
    sre = patterns._INTERNALS[0]
    for (source, flags), blob in kept.items():
        program = marshal.loads(blob)
        fresh = marshal.loads(marshal.dumps(patterns._compiled(source, flags)))  # this build's program, not only a kept one
        assert fresh == program, f"the program kept for {source[:80]!r} is not what this Python compiles"
        ours, theirs = sre.compile(source, *fresh), re.compile(source, flags)
        assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        if isinstance(source, str):
            for text in texts:
                assert _spans(ours, text) == _spans(theirs, text), (source[:80], text[:40])


def test_a_second_process_compiles_nothing(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        from pathlib import Path
        from parsing import patterns
        from parsing.mime import read_email
        from parsing.pipeline import Context, extract_email
        for path in sorted(Path({str(FIXTURES)!r}).glob("*.eml")):
            extract_email(read_email(path.read_bytes()), Context())
        print(patterns._new)
    """)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    first, second = (int(run.stdout.split()[-1]) for run in runs)
    assert first > 200 and second == 0, (first, second)
    assert len(list((tmp_path / "mailbot").glob("programs2-*.marshal"))) == 1


def test_a_reading_worker_keeps_what_it_compiled(tmp_path: Path) -> None:
    # A worker leaves by os._exit (no atexit): it must save as it goes, or every bulk import compiles afresh.
    script = textwrap.dedent(f"""
        from pathlib import Path
        from mailbot.reader import Reader
        from parsing import patterns
        from parsing.pipeline import Context
        reader = Reader(Context(), isolate=True)
        reader.read(Path({str(FIXTURES / "outlook_reply_zh.eml")!r}).read_bytes())
        reader.close()
        print(len(patterns._programs()))
    """)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    kept = patterns._read(next((tmp_path / "mailbot").glob("programs2-*.marshal")))
    assert any("前" in source for source, _ in kept if isinstance(source, str)), "the worker's Chinese date patterns were not kept"
    assert len(kept) > int(run.stdout.split()[-1]), "the parent read nothing: what is kept came from the worker"


def test_a_damaged_file_is_compiled_afresh(private_cache: Path) -> None:
    private_cache.mkdir()
    path = private_cache / patterns._file().name  # type: ignore[union-attr]
    path.write_bytes(b"\x00not marshal at all" * 100)
    compiled = patterns.compile(r"(?P<day>\d{1,2})日前", re.I)
    assert compiled.search("请在5日前回复").group("day") == "5"
    patterns.save()
    assert (r"(?P<day>\d{1,2})日前", int(re.I)) in patterns._read(path)


def test_a_program_the_engine_refuses_is_compiled_afresh(private_cache: Path) -> None:
    # Another build's program, or a tampered file: _sre.compile checks the program and refuses it.
    private_cache.mkdir()
    path = private_cache / patterns._file().name  # type: ignore[union-attr]
    source = r"approve[ds]?\b"
    path.write_bytes(marshal.dumps({(source, 0): marshal.dumps((0, [999, 1, 2, 3], 0, {}, (None,)))}))
    compiled = patterns.compile(source)
    assert [m.group() for m in compiled.finditer("approved; approves; approval")] == ["approved", "approves"]


def test_an_unwritable_folder_keeps_programs_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(patterns, "_kept", None)
    monkeypatch.setattr(patterns, "_new", 0)
    assert patterns.compile(r"\bby (?:mon|tues)day\b", re.I).search("done By Monday") is not None
    patterns.save()  # never raises
    assert patterns._new == 1, "nothing was written, so the program is still new"


def test_bytes_patterns_and_flags_are_kept_apart(private_cache: Path) -> None:
    assert patterns.compile(rb"^From: (.+)$", re.M).findall(b"x\nFrom: a@b\n") == [b"a@b"]
    assert patterns.compile("a", re.I).match("A") is not None
    assert patterns.compile("a").match("A") is None


def test_past_the_limit_programs_are_compiled_not_kept(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "LIMIT", 1)
    first, second = patterns.compile(r"\bASAP\b"), patterns.compile(r"\bEOD\b")
    assert first.search("by EOD, ASAP") and second.search("by EOD, ASAP")
    assert list(patterns._programs()) == [(r"\bASAP\b", 0)]


def test_a_file_others_may_write_is_not_read(private_cache: Path) -> None:
    # marshal is for trusted data: a programs file that another user could have written is ignored.
    private_cache.mkdir()
    path = private_cache / patterns._file().name  # type: ignore[union-attr]
    source = r"\bsign[- ]?off\b"
    good = marshal.dumps(patterns._compiled(source, 0))
    path.write_bytes(marshal.dumps({(source, 0): good}))
    path.chmod(0o666)
    assert patterns._read(path) == {}
    path.chmod(0o600)
    assert patterns._read(path) == {(source, 0): good}
