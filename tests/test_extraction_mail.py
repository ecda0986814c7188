"""Findings measured on whole mail as it is sent (tests/extraction/mail/, README.md there).

Unlike tests/test_extraction_corpus.py, whose bodies are new text only, each message here is
the body a mail client really sends: signature blocks, company banners, notices, disclaimers,
quoted and forwarded history around the new text. Each message is built into RFC 5322 bytes
and goes through the whole chain, `parsing.pipeline.extract` (mime → category → quotes and
zones → language → findings), as `mailbot extract` runs it. Three figures per group (zh-Hans,
zh-Hant, en):

- findings matched to labels as in tests/test_extraction_corpus.py (same overlap rule): P, R,
  F1 per kind and micro, accuracy of by / due / sentiment / score / start;
- **clean**: the share of messages whose new text, as mailbot reads it, holds none of the
  labelled noise (signature lines, banners, notices, disclaimers, quoted history);
- **from noise**: findings whose text overlaps a labelled noise snippet (goal: 0).

    python tests/test_extraction_mail.py             # the development files (dev-*.yaml)
    python tests/test_extraction_mail.py -v          # … and every miss and noise left
    python tests/test_extraction_mail.py --heldout   # the held-out files: figures only

The held-out files are scored once per submission and never read, misses included
(`bench/extraction.py` prints every figure). Floors sit a little under the measured values;
raise them as the rules get better, never lower them to let a change through.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_extraction_corpus import Score, _reference, score_message, table  # noqa: E402

from parsing.model import Extraction  # noqa: E402
from parsing.pipeline import Context, extract  # noqa: E402

MAIL = Path(__file__).resolve().parent / "extraction" / "mail"
GROUPS = ("zh-Hans", "zh-Hant", "en")
PROJECT = "project@mailbot.invalid"
STUDIO = "studio.invalid"  # the team's domain when the writer gave the studio another one

# set -> group -> floor on micro F1, clean share (and 0 findings from noise everywhere)
FLOOR: dict[str, dict[str, dict[str, float]]] = {
    # first score 0.64 / 0.59 / 0.57 micro, 30% / 15% / 72% clean, before the rules read it
    "dev": {"zh-Hans": {"micro": 0.71, "clean": 0.98}, "zh-Hant": {"micro": 0.70, "clean": 0.98},
            "en": {"micro": 0.71, "clean": 0.98}},
    # scored once for issue 13's submission (the rules frozen first): 0.68 / 0.70 / 0.66 micro;
    # the rules as they were before it scored 0.60 / 0.62 / 0.57 on the same files. Held at micro.
    "heldout": {"zh-Hans": {"micro": 0.66}, "zh-Hant": {"micro": 0.68}, "en": {"micro": 0.64}},
}


@dataclass
class MailScore(Score):
    messages: int = 0
    clean: int = 0
    from_noise: int = 0
    left: list[str] = field(default_factory=list)

    @property
    def clean_share(self) -> float:
        return self.clean / self.messages if self.messages else 1.0


def group_of(message: dict[str, Any], path: Path) -> str:
    if "-zh-" in path.name:
        return "zh-Hant" if message.get("script") == "hant" else "zh-Hans"
    return "en"


def load(kind: str) -> dict[str, list[dict[str, Any]]]:
    """The messages of every `<kind>-*.yaml` file, by group."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted(MAIL.glob(f"{kind}-*.yaml")):
        for message in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            groups[group_of(message, path)].append(message)
    return groups


def raw_message(message: dict[str, Any]) -> bytes:
    mail = EmailMessage()
    mail["From"] = message["from"]
    mail["To"] = PROJECT
    mail["Subject"] = message["subject"]
    mail["Date"] = format_datetime(_reference(message))
    mail["Message-ID"] = f"<{message['id']}@corpus.invalid>"
    mail.set_content(message["body"])
    return mail.as_bytes()


def context_for(message: dict[str, Any]) -> Context:
    """The team is the studio: its domain is the sender's when the studio wrote the mail."""
    domain = str(message["from"]).rpartition("@")[2].strip("> ").lower()
    team = domain if message["sender"] == "us" else STUDIO
    return Context(team_domains=(team,), timezone="Asia/Shanghai")


def run(message: dict[str, Any]) -> Extraction:
    return extract(raw_message(message), context_for(message))


def _content(line: str) -> str:
    return line.strip().lstrip(">").strip()


def noise_lines(body: str, noise: list[str]) -> tuple[list[str], list[str]]:
    """The body's lines (their content, quote marks off) that are noise, and the others.

    A line is noise when a snippet is most of it (60% or more), or when it is a quoted line
    holding one: a snippet can also occur inside the new text (a survey question the answer
    repeats) without making that line noise.
    """
    snippets = [s.strip() for s in noise if s.strip()]
    noisy, other = [], []
    for line in body.split("\n"):
        content = _content(line)
        if not content:
            continue
        quoted = line.lstrip().startswith(">")
        if any(s in content and (quoted or len(s) >= 0.6 * len(content)) for s in snippets):
            noisy.append(content)
        else:
            other.append(content)
    return noisy, other


def _from_noise(text: str, noisy: list[str], other: list[str]) -> bool:
    """Whether a finding's text (or, when a wrap was joined, its longest line) lies in noise only."""
    part = max(text.split("\n"), key=len).strip()
    return any(part in line for line in noisy) and not any(part in line for line in other)


def score_mail(score: MailScore, message: dict[str, Any]) -> None:
    extraction = run(message)
    noisy, other = noise_lines(message["body"], [str(s) for s in message.get("noise") or []])
    score.messages += 1
    kept = [_content(line) for line in extraction.body.split("\n")]
    left = [line for line in dict.fromkeys(noisy) if kept.count(line) > other.count(line)]
    if not left:
        score.clean += 1
    for line in left[:3]:
        score.left.append(f"  {message['id']} noise left: {line}")
    for finding in extraction.findings:
        if _from_noise(finding.text, noisy, other):
            score.from_noise += 1
            score.notes.append(f"  {message['id']} FROM NOISE {finding.kind.value}: {finding.text}")
    score_message(score, message, list(extraction.findings))


def score_set(kind: str) -> dict[str, MailScore]:
    scores = {}
    for group, messages in load(kind).items():
        score = MailScore()
        for message in messages:
            score_mail(score, message)
        scores[group] = score
    return {g: scores[g] for g in GROUPS if g in scores}


def mail_table(scores: dict[str, MailScore]) -> str:
    lines = [table(dict(scores))]
    for group, score in scores.items():
        lines.append(f"{group}: {score.messages} messages, clean {score.clean}/{score.messages} "
                     f"= {score.clean_share:.1%}, findings from noise {score.from_noise}")
    return "\n".join(lines)


def _hold(kind: str) -> None:
    scores = score_set(kind)
    if not scores:
        pytest.skip(f"no {kind}-*.yaml files in {MAIL}")
    if kind == "dev":
        print("\n" + mail_table(scores))
    failures = []
    for group, floors in FLOOR[kind].items():
        score = scores[group]
        values = {"micro": score.micro.f1, "clean": score.clean_share}
        failures += [f"{kind} {group} {name}: {values[name]:.3f} < {floor}"
                     for name, floor in floors.items() if values[name] < floor]
    if kind == "dev":  # the held-out figures are read once per submission, in bench/extraction.py
        failures += [f"{kind} {group}: {s.from_noise} findings from noise"
                     for group, s in scores.items() if s.from_noise]
    assert not failures, failures


def test_development_mail() -> None:
    _hold("dev")


def test_heldout_mail() -> None:
    _hold("heldout")


def test_raw_message_goes_through_the_chain() -> None:
    message = {
        "id": "t-001", "sender": "client", "from": "Li Wei <li@client.example>",
        "date": "2026-03-02T10:00:00+08:00", "subject": "Logo",
        "body": "Hi Anna,\n\nPlease send the logo files by Friday.\n\nLi Wei\nHead of Marketing\n",
        "noise": ["Head of Marketing"],
        "findings": [{"kind": "request", "text": "Please send the logo files by Friday", "by": "us",
                      "due": "2026-03-06"}],
    }
    score = MailScore()
    score_mail(score, message)
    assert score.kinds["request"].tp == 1 and score.accuracy("due") == 1.0
    assert score.messages == 1 and score.from_noise == 0


if __name__ == "__main__":
    chosen = "heldout" if "--heldout" in sys.argv else "dev"
    result = score_set(chosen)
    print(mail_table(result))
    if "-v" in sys.argv and chosen == "dev":
        for name, group_score in result.items():
            print(f"--- {name}")
            print("\n".join(group_score.notes + group_score.left))
