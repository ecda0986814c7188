"""How well survey answers are read: the held-out table of replies (tests/fixtures/
survey_answers_heldout.json, written by a helper who never saw the reader).

    python bench/surveys.py

Each reply goes the way a real one does: the subject and body become a message answering the
survey, `extract` keeps the new text (quoted history and signature out), and
`parsing.survey.read_score` reads it on the survey's scale, with the subject as the fallback.
A case is a hit when the score is the expected one (a number, or none). False scores (a score
where none was meant, or a different one) are counted apart: they are the costly misses.
"""

from __future__ import annotations

import email.utils
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsing.pipeline import Context, extract  # noqa: E402
from parsing.survey import read_score  # noqa: E402

TABLE = ROOT / "tests" / "fixtures" / "survey_answers_heldout.json"


def main() -> int:
    cases = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
    context = Context(team_domains=("studio.example",), timezone="Asia/Shanghai")
    hits = false_scores = missed = 0
    misses = []
    for number, case in enumerate(cases):
        subject = case["subject"].replace("\n", " ")
        raw = (f"From: client@client.example\r\nTo: project@studio.example\r\nSubject: {email.utils.quote('')}{_encoded(subject)}\r\n"
               "Date: Wed, 08 Apr 2026 10:00:00 +0800\r\nMessage-ID: <r@client.example>\r\nIn-Reply-To: <survey@studio.example>\r\n"
               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + case["body"].replace("\n", "\r\n")).encode("utf-8")
        got = read_score(extract(raw, context).body, scale=case["scale"], subject=subject)
        want = case["score"]
        if got == want:
            hits += 1
            continue
        if got is not None:
            false_scores += 1
        else:
            missed += 1
        misses.append((number, case["language"], case["scale"], want, got))
    print(f"survey answers: {len(cases)} held-out replies; right {hits} ({hits / len(cases):.1%}); "
          f"false scores {false_scores}; scores missed {missed}")
    for number, language, scale, want, got in misses:
        print(f"  case {number} ({language}, {scale}): expected {want}, read {got}")
    return 0


def _encoded(text: str) -> str:
    from email.header import Header

    return Header(text, "utf-8").encode()


if __name__ == "__main__":
    sys.exit(main())
