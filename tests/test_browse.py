"""`mailbot browse`: Datasette on the plan, started for real on a free port and read over HTTP."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.demo import sample_messages

pytestmark = pytest.mark.skipif(importlib.util.find_spec("datasette") is None,
                                reason="Datasette is not installed (pip install 'mailbot[browse]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(url)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"datasette did not come up: {server.stderr.read().decode() if server.stderr else ''}") from None
            time.sleep(0.3)


def test_browse_serves_the_plan_read_only_with_plain_words_and_canned_queries(tmp_path: Path, config_file: Path) -> None:
    paths = [str(p) for p in sample_messages()]
    assert CliRunner().invoke(cli, ["ingest", "--config", str(config_file), *paths]).exit_code == 0
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mailbot", "browse", "--no-open", "--port", str(port),
                               "--config", str(config_file)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/mailbot"
        _wait_until_up(f"http://127.0.0.1:{port}/-/versions.json", server)
        page = _get(f"{base}/items").decode("utf-8")
        assert "Commitments and requests" in page  # the table named in plain words
        rows = json.loads(_get(f"{base}/items.json?_shape=objects&status=open"))["rows"]
        assert rows and all(r["status"] == "open" for r in rows)
        waiting = json.loads(_get(f"{base}/open_change_requests.json?_shape=objects"))["rows"]
        assert [r["number"] for r in waiting] and all(r["status"] in ("received", "acknowledged", "assessed") for r in waiting)
        overdue = json.loads(_get(f"{base}/overdue.json?_shape=objects&today=2026-04-10"))["rows"]
        assert all(r["due"] < "2026-04-10" for r in overdue)
        with pytest.raises(urllib.error.HTTPError):  # read-only: no SQL writes through it
            _get(f"{base}.json?sql=" + urllib.parse.quote("DELETE FROM items"))
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stderr is not None:
            server.stderr.close()
    assert CliRunner().invoke(cli, ["plan", "--json", "--config", str(config_file)]).exit_code == 0
