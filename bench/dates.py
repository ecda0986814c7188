"""Speed and accuracy of `parsing.dates.find_times` on the Recognizers-Text selection. Not a test.

    python bench/dates.py [--corpora PATH] [--repeat N] [--failures]

Loads the cases that tests/test_dates_recognizers.py selects (same rule, same scoring),
prints its accuracy report per language, then times `find_times` over the selected inputs:
one warm-up pass, then the best of N passes (time.perf_counter), as cases per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the selection rule lives with the test

from test_dates_recognizers import LANGUAGES, _load, measure  # noqa: E402

from parsing.dates import find_times  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--failures", action="store_true", help="list every failing case")
    args = parser.parse_args()
    for language in LANGUAGES:
        print("\n".join(measure(args.corpora, language).lines(failures=args.failures)))
        cases = [i for i in _load(args.corpora, language) if i.category == "selected"]
        for item in cases:  # warm-up
            find_times(item.input, reference=item.reference, language=item.language)
        best = float("inf")
        for _ in range(args.repeat):
            began = time.perf_counter()
            for item in cases:
                find_times(item.input, reference=item.reference, language=item.language)
            best = min(best, time.perf_counter() - began)
        chars = sum(len(i.input) for i in cases)
        print(f"  bench: {len(cases)} cases, {chars:,} characters, best of {args.repeat}: "
              f"{best * 1000:.1f} ms = {len(cases) / best:,.0f} cases/s, {chars / best / 1000:,.0f} kchar/s")


if __name__ == "__main__":
    main()
