"""The project summary (mailbot/summary.py) on the demo project: its data, its text, and its
HTML drawn by a real browser (headless Chromium) to a PNG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, draw, png_size  # noqa: E402  (tests/browser.py)
from click.testing import CliRunner

from mailbot import summary
from mailbot.cli import cli
from mailbot.config import load
from mailbot.demo import DemoResult, run_demo
from mailbot.service import Mailbot


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def data(demo: DemoResult) -> dict[str, Any]:
    settings = load(demo.directory / "mailbot.toml", env={})
    with Mailbot(settings) as bot:
        return summary.build(bot.store, settings, settings.projects[0], demo.now + dt.timedelta(hours=3))


def test_the_demo_ends_with_a_sign_off_its_survey_an_answer_an_alert_and_the_summary(demo: DemoResult) -> None:
    story = "\n".join(demo.story)
    assert "Milestone signed off: 首页设计" in story and "满意度调查：首页设计" in story
    assert "read as score 3 on 1-5" in story and "nothing acknowledged as a change request" in story
    assert "Alert to the team within the minute" in story and "客户不满意的反馈" in story
    for section in ("【里程碑：计划与实际】", "【变更需求】", "【承诺兑现率】", "【未完成事项】", "【客户反馈（按主题）】", "【满意度调查】"):
        assert section in demo.closing


def test_the_summary_says_what_was_planned_and_what_happened(data: dict[str, Any]) -> None:
    homepage = next(m for m in data["milestones"] if m["name"] == "首页设计")
    assert (homepage["planned"], homepage["actual"], homepage["slip_working_days"]) == ("2026-03-31", "2026-03-26", -3)
    assert {c["id"]: c["status"] for c in data["change_requests"]}["CR-1"] == "applied"
    assert data["promises"]["us"]["done"] >= 1 and 0 <= data["promises"]["us"]["rate"] <= 1
    assert data["surveys"]["answered"] == 1 and data["surveys"]["scores"][0]["score"] == 3 and 0 < data["surveys"]["rate"] < 1
    assert len(data["timeline"]["rows"]) == len(data["milestones"]) and data["timeline"]["weeks"]


def test_summary_json_on_the_command_line(demo: DemoResult) -> None:
    result = CliRunner().invoke(cli, ["summary", "--json", "--config", str(demo.directory / "mailbot.toml"), "--now", demo.now.isoformat()])
    assert result.exit_code == 0, result.output
    assert '"milestones"' in result.output and '"promises"' in result.output


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here (scripts/ci-system-deps.sh installs Debian's chromium)")
def test_the_summary_html_draws_in_a_real_browser(demo: DemoResult, tmp_path: Path) -> None:
    settings = load(demo.directory / "mailbot.toml", env={})
    with Mailbot(settings) as bot:
        html = summary.render(bot.store, settings, settings.projects[0], demo.now + dt.timedelta(hours=3)).html
    for section in ("里程碑：计划与实际", "变更需求", "承诺兑现率", "未完成事项", "客户反馈（按主题）", "满意度调查", 'id="timeline"', "&#9671;"):
        assert section in html, section
    raw, fits = draw(html, tmp_path, width=900, height=2200, name="summary")
    assert png_size(raw) == (900, 2200) and len(raw) > 20_000  # a page with content, not a blank one
    assert fits, "the summary's text overflows its width"
