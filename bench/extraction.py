"""How well extraction holds on mail: every labelled set in one report. Prints figures; not a test.

    python bench/extraction.py             # development sets, Parakweet, throughput
    python bench/extraction.py --heldout   # … and, first, the held-out sets: once per submission

The held-out sets (tests/extraction/mail/heldout-*.yaml, the newest; tests/extraction/heldout_*.yaml,
the older one) were written by people who read neither the rules nor any other set. Their
figures are printed, never their misses; score them once per submission and quote them first.

Sections, in order:

1. With `--heldout`: the whole-mail held-out set by group (zh-Hans, zh-Hant, en): F1 per kind
   and micro, the share of messages whose new text keeps none of the labelled signature,
   banner, notice or history lines ("clean"), and the findings taken from those lines; then the
   older held-out set (new text only), F1 per kind and micro.
2. The development sets: the whole-mail set (tests/extraction/mail/dev-*.yaml, first scored
   before any rule was read against its misses: see tests/extraction/mail/README.md) and the
   older ones (tests/extraction/{zh,en,zh2,en2,zh3,en3}.yaml), micro P / R / F1 and the due
   accuracy.
3. Parakweet (../shared/corpora, English request sentences from real mail): P / R / F1.
4. Throughput of the whole chain (`parsing.pipeline.extract`: mime, category, quotes and
   zones, language, findings) on the development mails, messages per second, best of 3.

Matching, "clean" and "from noise" are those of tests/test_extraction_corpus.py and
tests/test_extraction_mail.py; this script only runs them and prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the scorers live with the tests

from test_extraction_corpus import DEVELOPMENT, HELDOUT, KINDS, Score, score_file  # noqa: E402
from test_extraction_mail import GROUPS, MailScore, context_for, load, raw_message, score_set  # noqa: E402
from test_parakweet import TEST_SPLIT, _labelled, asks  # noqa: E402

from parsing.pipeline import extract  # noqa: E402


def kinds_table(scores: dict[str, Score]) -> str:
    names = list(scores)
    lines = [f"{'F1':<16}" + "".join(f"{name:>12}" for name in names)]
    for kind in KINDS + ["micro"]:
        cells = []
        for name in names:
            counts = scores[name].micro if kind == "micro" else scores[name].kinds[kind]
            cells.append(f"{counts.f1:>12.2f}" if counts.tp + counts.fp + counts.fn else f"{'-':>12}")
        lines.append(f"{kind:<16}" + "".join(cells))
    lines.append(f"{'labels':<16}" + "".join(f"{s.micro.tp + s.micro.fn:>12}" for s in scores.values()))
    lines.append(f"{'due accuracy':<16}" + "".join(f"{s.accuracy('due'):>12.2f}" for s in scores.values()))
    return "\n".join(lines)


def mail_lines(scores: dict[str, MailScore]) -> str:
    return "\n".join(f"  {group:<8} {s.messages:>4} messages; clean {s.clean_share:6.1%}; findings from noise {s.from_noise}"
                     for group, s in scores.items())


def micro_line(name: str, score: Score) -> str:
    c = score.micro
    return f"  {name:<10} P {c.precision:.2f}  R {c.recall:.2f}  F1 {c.f1:.2f}  due {score.accuracy('due'):.2f}"


def parakweet(corpora: Path) -> str:
    path = corpora / TEST_SPLIT
    if not path.is_file():
        return f"  not found: {path}"
    tp = fp = fn = 0
    for gold, sentence in _labelled(path):
        said = asks(sentence)
        tp += said and gold
        fp += said and not gold
        fn += gold and not said
    p, r = tp / (tp + fp), tp / (tp + fn)
    return f"  {len(_labelled(path))} sentences: P {p:.3f}  R {r:.3f}  F1 {2 * p * r / (p + r):.3f}"


def throughput() -> str:
    messages = [m for group in load("dev").values() for m in group]
    raws = [(raw_message(m), context_for(m)) for m in messages]
    for raw, context in raws[:50]:  # warm-up: pipelines built, patterns compiled
        extract(raw, context)
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        for raw, context in raws:
            extract(raw, context)
        best = min(best, time.perf_counter() - began)
    return f"  {len(raws)} development mails, best of 3: {best:.2f} s = {len(raws) / best:,.0f} messages/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out sets too (once per submission)")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    if args.heldout:
        held = score_set("heldout")
        print("Held-out, whole mail (tests/extraction/mail/heldout-*.yaml)")
        print(kinds_table(dict(held)))
        print(mail_lines(held))
        print("\nHeld-out, older set, new text only (tests/extraction/heldout_*.yaml)")
        print(kinds_table({name: score_file(name) for name in HELDOUT}))
        print()
    dev = score_set("dev")
    print("Development, whole mail (tests/extraction/mail/dev-*.yaml)")
    print(kinds_table(dict(dev)))
    print(mail_lines(dev))
    print("\nDevelopment, older sets (new text only)")
    for name in DEVELOPMENT:
        print(micro_line(name, score_file(name)))
    print("\nParakweet email-intent test split (request, change request or meeting = an ask)")
    print(parakweet(args.corpora))
    print("\nThroughput of the whole chain")
    print(throughput())
    assert set(dev) <= set(GROUPS)


if __name__ == "__main__":
    main()
