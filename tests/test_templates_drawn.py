"""Every outgoing kind's HTML, drawn by a real browser at a mail column's width: nothing spills.

And the digest's rules for people (issue 14): short sections with the rest counted, owners and
dates in words, the year when it is not this year's, rows in the other language marked with their
author, the milestone timeline as a table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, draw, png_size  # tests/browser.py

from mailbot.compose import render

TEAM = {"name": "Bluebridge", "address": "project@bluebridge.example"}
PROJECT = {"key": "huajin-web", "name": "华锦零售官网改版", "tag": "华锦零售官网改版"}


def _digest(lang: str) -> dict[str, Any]:
    next_items = [{"kind": "commitment", "text": f"第{n}版页面交付", "by": "us", "who": "张敏", "due": f"2026-12-{10 + n:02d}",
                   "status": "open"} for n in range(1, 11)]
    next_items.insert(0, {"kind": "request", "text": "Please send the brand guidelines.", "by": "client", "who": "", "asked_by": "Tom Baker",
                       "due": "2027-01-05", "status": "open"})
    return {
        "team": TEAM, "project": PROJECT, "recipient": None, "lang": lang,
        "period": {"start": "2026-12-07", "end": "2026-12-13"}, "today": "2026-12-14",
        "done": [], "in_progress": [], "next": next_items, "overdue": [], "unconfirmed": [],
        "milestones": [{"name": "首页设计", "due": "2026-12-18", "status": "planned"}],
        "timeline": {"weeks": ["2026-12-07", "2026-12-14", "2026-12-21"], "today": 1,
                     "rows": [{"name": "首页设计", "planned": 1, "actual": None, "open": True, "due": 1, "late": False}]},
        "plan_changes": [], "change_requests": [], "risks": [], "feedback": [],
    }


def test_the_digest_speaks_in_words_and_stays_short() -> None:
    zh = render("digest", "zh", _digest("zh"))
    assert "我方·张敏负责，12月11日（周五）截止" in zh.html
    assert "还有 3 项" in zh.html  # 11 rows, 8 shown
    assert "2027年1月5日" in zh.html  # the year, in December, for a January date
    assert "Please send the brand guidelines. <span" in zh.html and "（原文，Tom Baker）" in zh.html  # marked, with its author
    assert 'id="timeline"' in zh.html and "今天" in zh.html
    en = render("digest", "en", _digest("en"))
    assert "Bluebridge (张敏), due Fri 11 Dec" in en.html and "and 3 more" in en.html
    assert "(as written by 张敏)" in en.html  # a Chinese row in an English digest, with its author
    assert "today" in en.html


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (scripts/ci-system-deps.sh installs it)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_digest_draws_in_a_real_browser_without_overflow(lang: str, tmp_path: Path) -> None:
    html = render("digest", lang, _digest(lang)).html
    raw, fits = draw(html, tmp_path, width=600, height=1400, name=f"digest-{lang}")
    assert png_size(raw) == (600, 1400) and len(raw) > 20_000
    assert fits, "the digest's text overflows a 600 px mail column"


@pytest.fixture(scope="module")
def demo_mail(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML part of the first message of each kind the demo sends."""
    import email
    from email import policy

    from mailbot.demo import run_demo

    result = run_demo(tmp_path_factory.mktemp("demo"))
    found: dict[str, str] = {}
    for path, _ in result.outgoing:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        kind = str(message["X-Mailbot"] or "").split(";")[0].strip()
        html = message.get_body(("html",))
        if kind and html is not None and kind not in found:
            found[kind] = html.get_content()
    return found


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (scripts/ci-system-deps.sh installs it)")
def test_every_kind_the_demo_sends_draws_without_overflow(demo_mail: dict[str, str], tmp_path: Path) -> None:
    assert {"ack", "invite", "digest", "reminder", "survey"} <= set(demo_mail), sorted(demo_mail)
    spills = []
    for kind, html in sorted(demo_mail.items()):
        raw, fits = draw(html, tmp_path, width=600, height=1100, name=kind)
        assert png_size(raw) == (600, 1100) and len(raw) > 10_000, kind
        if not fits:
            spills.append(kind)
    assert not spills, f"text overflows a 600 px mail column in: {spills}"
