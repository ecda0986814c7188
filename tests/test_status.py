"""`mailbot status`: health read from the store and the run lock, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from mailbot import status
from mailbot.cli import cli
from mailbot.config import load
from mailbot.runlock import RunLock
from mailbot.store import open_store


def test_a_held_lock_and_a_fresh_heartbeat_are_healthy_and_a_stale_one_is_not(config_file: Path) -> None:
    settings = load(config_file)
    store = open_store(settings.store_path)
    try:
        assert status.report(store, settings)["problems"] == ["no 'mailbot run' holds the store"]
        with RunLock(settings.store_path):
            status.record(store, "waiting", idle=True)
            fresh = status.report(store, settings)
            assert fresh["healthy"] and fresh["service"]["running"] and fresh["imap"] == {
                "configured": settings.imap is not None, "connected": True, "idle": True}
            later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)
            stale = status.report(store, settings, now=later)
            assert not stale["healthy"] and "heartbeat is 6" in stale["problems"][0]
            result = CliRunner().invoke(cli, ["status", "--json", "--config", str(config_file)])
            assert result.exit_code == 0 and json.loads(result.output)["healthy"]
        stopped = CliRunner().invoke(cli, ["status", "--config", str(config_file)])
        assert stopped.exit_code == 1 and "NOT HEALTHY" in stopped.output
    finally:
        store.close()


def test_status_before_any_plan_says_what_to_do(tmp_path: Path, config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--config", str(config_file)])
    assert result.exit_code == 1 and "no plan at" in result.output
