"""Check the format of whole-mail corpus files (README.md in this folder); print a summary.

    python tests/extraction/mail/check.py FILE...

Exit status 1 with one line per problem (file, message id, what is wrong) when a file breaks
the format; 0 and a count of messages, findings per kind, scripts and noise otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

KINDS = {"commitment", "request", "change_request", "feedback", "approval", "meeting", "risk",
         "survey_response"}
DUE_KINDS = {"commitment", "request", "change_request"}
SENTIMENTS = {"positive", "negative", "mixed"}
ID = re.compile(r"[dh][ze][a-z]-\d{3}")
START = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def problems(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        messages = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        return [f"{path}: cannot read: {error}"], []
    if not isinstance(messages, list):
        return [f"{path}: the file must be a YAML list of messages"], []
    found: list[str] = []
    seen: set[str] = set()
    chinese = "-zh-" in path.name
    for number, message in enumerate(messages, 1):
        where = f"{path.name} #{number}"
        if not isinstance(message, dict):
            found.append(f"{where}: not a mapping")
            continue
        ident = str(message.get("id", ""))
        where = f"{path.name} {ident or '#' + str(number)}"
        if not ID.fullmatch(ident):
            found.append(f"{where}: id must look like dza-001")
        if ident in seen:
            found.append(f"{where}: id used twice")
        seen.add(ident)
        if chinese and message.get("script") not in ("hans", "hant"):
            found.append(f"{where}: script must be hans or hant")
        if message.get("sender") not in ("client", "us"):
            found.append(f"{where}: sender must be client or us")
        date = message.get("date")
        if isinstance(date, str):
            try:
                date = dt.datetime.fromisoformat(date)
            except ValueError:
                found.append(f"{where}: date is not ISO 8601")
        if not isinstance(date, dt.datetime) or date.tzinfo is None:
            found.append(f"{where}: date needs a day, a time and an offset")
        for key in ("from", "subject", "body"):
            if not isinstance(message.get(key), str) or not message[key].strip():
                found.append(f"{where}: {key} must be a non-empty string")
        body = message.get("body") if isinstance(message.get("body"), str) else ""
        noise = message.get("noise")
        if not isinstance(noise, list):
            found.append(f"{where}: noise must be a list ([] when there is none)")
            noise = []
        for snippet in noise:
            if not isinstance(snippet, str) or not snippet.strip() or snippet not in body:
                found.append(f"{where}: noise is not an exact substring of body: {snippet!r}")
            elif "\n" in snippet.strip("\n"):
                found.append(f"{where}: noise must lie within one line: {snippet!r}")
        findings = message.get("findings")
        if not isinstance(findings, list):
            found.append(f"{where}: findings must be a list ([] when there is none)")
            findings = []
        for label in findings:
            found.extend(f"{where}: {p}" for p in _label_problems(label, body, noise))
    return found, [m for m in messages if isinstance(m, dict)]


def _label_problems(label: Any, body: str, noise: list[Any]) -> list[str]:
    if not isinstance(label, dict):
        return ["a finding is not a mapping"]
    kind, text = label.get("kind"), label.get("text")
    out = []
    if kind not in KINDS:
        out.append(f"unknown kind {kind!r}")
    if not isinstance(text, str) or not text or text not in body:
        out.append(f"finding text is not an exact substring of body: {text!r}")
    elif any(isinstance(s, str) and s and (s in text or text in s) for s in noise):
        out.append(f"finding text lies in noise: {text!r}")
    if label.get("by") not in ("client", "us"):
        out.append(f"{kind}: by must be client or us")
    if kind in DUE_KINDS:
        if "due" not in label:
            out.append(f"{kind}: due is required (a date or null)")
        elif label["due"] is not None and not isinstance(label["due"], dt.date):
            try:
                dt.date.fromisoformat(str(label["due"]))
            except ValueError:
                out.append(f"{kind}: due is not a date: {label['due']!r}")
    elif "due" in label:
        out.append(f"{kind}: only commitment, request and change_request have a due")
    if kind == "feedback" and label.get("sentiment") not in SENTIMENTS:
        out.append("feedback: sentiment must be positive, negative or mixed")
    if kind == "survey_response" and not isinstance(label.get("score"), int):
        out.append("survey_response: score must be an integer")
    if kind == "meeting" and "start" in label and not START.fullmatch(str(label["start"])):
        out.append(f"meeting: start must look like 2026-03-10T15:00: {label['start']!r}")
    return out


def main(paths: list[str]) -> int:
    status = 0
    for name in paths:
        path = Path(name)
        found, messages = problems(path)
        for line in found:
            print(line)
        status |= bool(found)
        kinds = Counter(label["kind"] for m in messages for label in m.get("findings") or []
                        if isinstance(label, dict) and "kind" in label)
        scripts = Counter(m.get("script", "-") for m in messages)
        with_noise = sum(bool(m.get("noise")) for m in messages)
        print(f"{path.name}: {len(messages)} messages, {sum(kinds.values())} findings "
              f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); scripts "
              f"{dict(scripts)}; {with_noise} with noise; {len(found)} problems")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
