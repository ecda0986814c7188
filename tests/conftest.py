"""Shared fixtures: a clean environment, the corpora folder, a configured project on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    # Compiled patterns (parsing.patterns) are kept in a folder of the tests' own, not in the
    # developer's ~/.cache; the processes tests start inherit it. One folder, reused run to run.
    os.environ["XDG_CACHE_HOME"] = str(Path(tempfile.gettempdir()) / f"mailbot-test-cache-{os.getuid()}")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MAILBOT_* or proxy variable from the developer's shell reaches a test."""
    for name in list(os.environ):
        if name.startswith("MAILBOT_") or name.lower().endswith("_proxy"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"third-party corpora not found at {CORPORA} (they live in ../shared/corpora beside the checkout)")
    return CORPORA


CONFIG = """\
[team]
name = "Studio"
address = "project@studio.example"
domains = ["studio.example"]
timezone = "Asia/Shanghai"
language = "zh"

[store]
path = "mailbot.db"

[outbox]
maildir = "outbox"
answer_since = "2026-03-01"   # the sample mail is from March 2026: answer it

[[projects]]
key = "huajin-web"
name = "华锦零售官网改版"
language = "zh"
client_domains = ["huajin.example"]
stakeholders = [
  { name = "李伟", address = "li.wei@huajin.example", party = "client" },
  { name = "Chen Jing", address = "chen.jing@studio.example", party = "us" },
]
milestones = [
  { name = "首页设计", due = "2026-03-31" },
  { name = "上线", due = "2026-05-15" },
]

[[projects]]
key = "acme-app"
name = "Acme app"
language = "en"
client_domains = ["acme.example"]
stakeholders = [
  { name = "Sam Lee", address = "sam@acme.example", party = "client" },
]
milestones = [{ name = "Beta", due = "2026-04-20" }]
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "mailbot.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path
