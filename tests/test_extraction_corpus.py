"""Findings measured against the labelled development corpus (tests/extraction/*.yaml).

Each message goes through `find_findings` exactly as `parsing.pipeline.extract_email` calls
it: the language detected from the body, the message's Date converted to Asia/Shanghai as
the reference, the sender's party. Predictions are matched to labels of the same kind by
text overlap (see `overlap` and README.md "Scoring"); per file (zh, en: each includes its 10
mixed messages; zh2, en2: the second development set, 8 mixed each; heldout_zh, heldout_en:
the held-out set) and per kind the test prints precision, recall and F1, a micro average,
and among matched findings the accuracy of `by`, `due`, `sentiment`, `score` and `start`.

    python tests/test_extraction_corpus.py            # the table of the development sets
    python tests/test_extraction_corpus.py -v         # and every miss / false alarm / wrong due
    python tests/test_extraction_corpus.py --heldout  # the held-out set: figures only, never
                                                      # its misses (reading them makes it a
                                                      # development set)

The floors in FLOOR sit about 0.02 under what the rules reached when they were written;
raise them when the rules get better, never lower them to let a change through.

Measured (2026-03, this checkout), F1 per kind, zh | en ("pass 1": the first rule pass;
"pass 2": accepted slots are no meetings, plain errors are requests, zh meeting cues, en
implicit additions, request boilerplate, font sizes / recurring / week words in dues;
"pass 3": conditional offers, deadlines are no sign-off, English feedback on the service,
our own slipping dates are risks, 请了…假 and out-of-office lines ask nothing):

    kind             baseline        pass 1          pass 2          pass 3
    commitment       0.56 | 0.76     0.83 | 0.88     0.84 | 0.88     0.88 | 0.91
    request          0.66 | 0.54     0.85 | 0.80     0.89 | 0.87     0.90 | 0.88
    change_request   0.44 | 0.47     0.75 | 0.78     0.82 | 0.92     0.82 | 0.92
    feedback         0.48 | 0.42     0.73 | 0.79     0.79 | 0.79     0.79 | 0.87
    approval         0.36 | 0.68     0.92 | 0.88     0.92 | 0.88     0.94 | 0.88
    meeting          0.42 | 0.71     0.79 | 0.83     0.98 | 0.96     0.98 | 0.96
    risk             0.54 | 0.62     0.82 | 0.89     0.84 | 0.89     0.88 | 0.89
    survey_response  0.46 | 0.56     1.00 | 0.98     1.00 | 0.98     1.00 | 0.98
    micro            0.53 | 0.60     0.83 | 0.85     0.88 | 0.89     0.89 | 0.91
    due accuracy     0.93 | 0.95     0.92 | 0.94     0.96 | 0.95     0.96 | 0.94
    start accuracy   0.62 | 0.41     0.90 | 1.00     1.00 | 1.00     1.00 | 1.00

Pass 4 read the misses of zh2/en2 and zh3/en3 (written later by people who had not seen the
rules): headings, plan lists, conditional offers, visits, stated acceptance, the many forms of
a change request. Micro F1 by set, first score before reading → now:

    zh2 0.66 → 0.85    en2 0.65 → 0.81    zh3 0.67 → 0.83    en3 0.66 → 0.82
    held-out (never read)   zh 0.71 → 0.72    en 0.63 → 0.67

The development sets rise; the held-out set barely moves. Hand rules fit the mail they are
read against and generalise little beyond it: the held-out figure is the one to quote. A
trained clause classifier (spaCy TextCatBOW on the ~3,800 clauses of the development sets,
~1,800 of them with a finding) beside the rules added 0.01 on the held-out set (zh 0.721 →
0.733, en 0.673 → 0.678) and was not kept; more and more varied labelled mail is what a
trained component needs.

`by` is right for every matched finding in both. The baseline is the rule set before this
corpus was scored; its due accuracy is over fewer matched findings.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

yaml = pytest.importorskip("yaml")

from parsing.findings import find_findings  # noqa: E402
from parsing.language import detect_language  # noqa: E402
from parsing.model import Finding, Kind, Party  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "extraction"
ZONE = ZoneInfo("Asia/Shanghai")
KINDS = [kind.value for kind in Kind]
MIN_OVERLAP = 0.5  # shared characters / length of the shorter text
DUE_KINDS = {"commitment", "request", "change_request"}

# Floors: per file, F1 per kind, micro F1 and due accuracy (see the docstring).
FLOOR: dict[str, dict[str, float]] = {
    "zh": {"commitment": 0.86, "request": 0.88, "change_request": 0.80, "feedback": 0.77,
           "approval": 0.92, "meeting": 0.96, "risk": 0.86, "survey_response": 0.98,
           "micro": 0.87, "due": 0.94},
    "en": {"commitment": 0.89, "request": 0.86, "change_request": 0.90, "feedback": 0.85,
           "approval": 0.86, "meeting": 0.94, "risk": 0.87, "survey_response": 0.96,
           "micro": 0.89, "due": 0.93},
    # the second development set: 80 + 80 messages by a writer who never saw the rules; it
    # scored micro F1 0.66 | 0.65 on the rules of pass 2 (its honest generalisation figure)
    # before its errors were read. Kinds hold 7 to 35 labels each: only micro and due are held.
    "zh2": {"micro": 0.83, "due": 0.91},
    "en2": {"micro": 0.78, "due": 0.88},
    # the third: 70 + 70 messages rich in change requests, requests, meetings and risks;
    # first score 0.67 | 0.66 before its misses were read
    "zh3": {"micro": 0.81, "due": 0.93},
    "en3": {"micro": 0.80, "due": 0.95},
}


DEVELOPMENT = ("zh", "en", "zh2", "en2", "zh3", "en3")
HELDOUT = ("heldout_zh", "heldout_en")
# The held-out set scored micro F1 0.71 zh, 0.63 en on the rules of pass 2 and 0.72 | 0.67
# after pass 4: the honest figure, far below the development sets. Held at micro only; lower
# it never, and never read its misses to raise it.
HELDOUT_FLOOR: dict[str, dict[str, float]] = {
    "heldout_zh": {"micro": 0.71},  # 0.73 | 0.71 after issue 13 (zones, who owes what, feedback)
    "heldout_en": {"micro": 0.69},
}


# --- matching ------------------------------------------------------------------------------


def _positions(body: str, text: str) -> list[tuple[int, int]]:
    found, at = [], body.find(text)
    while at >= 0 and text:
        found.append((at, at + len(text)))
        at = body.find(text, at + 1)
    return found


def overlap(body: str, predicted: str, labelled: str) -> float:
    """Shared characters of the two texts in the body, over the length of the shorter one.

    Both texts are substrings of the body (the label by the corpus rules, the prediction by
    construction), so the overlap is that of their character ranges; containment gives 1.0.
    A text not found in the body falls back on containment alone.
    """
    if not predicted or not labelled:
        return 0.0
    if labelled in predicted or predicted in labelled:
        return 1.0
    best = 0.0
    shorter = min(len(predicted), len(labelled))
    for a, b in _positions(body, predicted):
        for c, d in _positions(body, labelled):
            best = max(best, max(0, min(b, d) - max(a, c)) / shorter)
    return best


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    attributes: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.kinds.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    def accuracy(self, name: str) -> float:
        values = self.attributes.get(name) or []
        return sum(values) / len(values) if values else 1.0


def _reference(message: dict[str, Any]) -> dt.datetime:
    date = message["date"]
    if isinstance(date, str):
        date = dt.datetime.fromisoformat(date)
    return date.astimezone(ZONE)


def _predict(message: dict[str, Any]) -> list[Finding]:
    body = message["body"]
    party = Party(message["sender"])
    return find_findings(body, language=detect_language(body), reference=_reference(message),
                         party=party)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _compare(score: Score, message: dict[str, Any], found: Finding, label: dict[str, Any]) -> None:
    kind = label["kind"]
    checks = {"by": (str(found.by) if found.by else None, label.get("by"))}
    if kind in DUE_KINDS:
        checks["due"] = (found.due, _as_date(label.get("due")))
    if kind == "feedback":
        checks["sentiment"] = (found.sentiment, label.get("sentiment"))
    if kind == "survey_response":
        checks["score"] = (found.score, label.get("score"))
    if kind == "meeting":
        start = found.start.strftime("%Y-%m-%dT%H:%M") if found.start else None
        checks["start"] = (start, str(label["start"]) if label.get("start") else None)
    for name, (got, want) in checks.items():
        score.attributes[name].append(got == want)
        if got != want:
            score.notes.append(f"  {message['id']} {kind} {name}: got {got} want {want}"
                               f" ({found.due_text!r}) | {label['text']}")


def score_message(score: Score, message: dict[str, Any],
                  predicted: list[Finding] | None = None) -> None:
    """Match `predicted` (by default: `find_findings` on the body) to the message's labels."""
    body = message["body"]
    if predicted is None:
        predicted = _predict(message)
    labels = message.get("findings") or []
    for kind in KINDS:
        ours = [f for f in predicted if f.kind.value == kind]
        theirs = [label for label in labels if label["kind"] == kind]
        pairs = sorted(((overlap(body, f.text, label["text"]), i, j)
                        for i, f in enumerate(ours) for j, label in enumerate(theirs)),
                       reverse=True)
        used_ours: set[int] = set()
        used_theirs: set[int] = set()
        for value, i, j in pairs:
            if value < MIN_OVERLAP or i in used_ours or j in used_theirs:
                continue
            used_ours.add(i)
            used_theirs.add(j)
            _compare(score, message, ours[i], theirs[j])
        counts = score.kinds[kind]
        counts.tp += len(used_ours)
        counts.fp += len(ours) - len(used_ours)
        counts.fn += len(theirs) - len(used_theirs)
        for i, f in enumerate(ours):
            if i not in used_ours:
                score.notes.append(f"  {message['id']} FP {kind}: {f.text}")
        for j, label in enumerate(theirs):
            if j not in used_theirs:
                other = [f.kind.value for f in predicted
                         if overlap(body, f.text, label["text"]) >= MIN_OVERLAP]
                score.notes.append(f"  {message['id']} FN {kind}: {label['text']}"
                                   f"{'  (found as ' + ','.join(other) + ')' if other else ''}")


def score_file(name: str) -> Score:
    messages = yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))
    score = Score()
    for message in messages:
        score_message(score, message)
    return score


def table(scores: dict[str, Score]) -> str:
    lines = []
    for name, score in scores.items():
        lines.append(f"{name:<16} {'P':>5} {'R':>5} {'F1':>5} {'tp':>4} {'fp':>4} {'fn':>4}")
        for kind in KINDS + ["micro"]:
            c = score.micro if kind == "micro" else score.kinds[kind]
            lines.append(f"{kind:<16} {c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f} "
                         f"{c.tp:4d} {c.fp:4d} {c.fn:4d}")
        accuracies = "  ".join(f"{attribute} {score.accuracy(attribute):.2f} "
                               f"({len(score.attributes.get(attribute) or [])})"
                               for attribute in ("by", "due", "sentiment", "score", "start"))
        lines.append(f"matched accuracy: {accuracies}")
        lines.append("")
    return "\n".join(lines)


_SCORES: dict[str, Score] = {}


def _scores(names: tuple[str, ...] = DEVELOPMENT) -> dict[str, Score]:
    for name in names:
        if name not in _SCORES:
            _SCORES[name] = score_file(name)
    return {name: _SCORES[name] for name in names}


def test_corpus_table_and_floors() -> None:
    _hold(_scores(), FLOOR)


def test_heldout_table_and_floors() -> None:
    _hold(_scores(HELDOUT), HELDOUT_FLOOR)


def _hold(scores: dict[str, Score], floor: dict[str, dict[str, float]]) -> None:
    print("\n" + table(scores))
    failures = []
    for name, floors in floor.items():
        score = scores[name]
        for kind, floor in floors.items():
            if kind == "due":
                value = score.accuracy("due")
            elif kind == "micro":
                value = score.micro.f1
            else:
                value = score.kinds[kind].f1
            if value < floor:
                failures.append(f"{name} {kind}: {value:.3f} < {floor}")
    assert not failures, failures


def test_overlap_rules() -> None:
    body = "整体不错，但是字体太小，建议放大一号。"
    assert overlap(body, "整体不错，但是字体太小", "字体太小") == 1.0
    assert overlap(body, "字体太小，建议放大一号", "但是字体太小") >= 0.5
    assert overlap(body, "建议放大一号", "整体不错") == 0.0


if __name__ == "__main__":
    result = _scores(HELDOUT if "--heldout" in sys.argv else DEVELOPMENT)
    print(table(result))
    if "-v" in sys.argv:
        for file_name, file_score in result.items():
            print(f"--- {file_name}")
            print("\n".join(file_score.notes))
