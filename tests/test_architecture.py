"""ARCHITECTURE.md stays true: its lifecycle diagrams are the lifecycle tables of the code."""

from __future__ import annotations

import re
from pathlib import Path

from mailbot.lifecycle import LIFECYCLES, diagram

ARCHITECTURE = Path(__file__).resolve().parent.parent / "ARCHITECTURE.md"


def test_every_lifecycle_is_drawn_as_the_code_has_it() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for lifecycle in LIFECYCLES:
        match = re.search(rf"^### {re.escape(lifecycle.name)}\n\n```mermaid\n(.*?)\n```", text, re.M | re.S)
        assert match, f"ARCHITECTURE.md has no diagram for the {lifecycle.name} lifecycle"
        assert match.group(1) == diagram(lifecycle), f"the {lifecycle.name} diagram is out of date: paste lifecycle.diagram()"
