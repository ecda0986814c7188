"""The command line, in process (CliRunner), against real SQLite files in tmp_path."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.demo import sample_messages

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = ("extract", "ingest", "run", "tick", "plan", "digest", "demo")

CLIENT_CR = (
    "From: =?utf-8?b?5p2O5Lyf?= <li.wei@huajin.example>\r\n"
    "To: project@studio.example\r\n"
    "Subject: =?utf-8?b?6aaW6aG16aKc6Imy?=\r\n"
    "Date: Wed, 04 Mar 2026 10:15:00 +0800\r\n"
    "Message-ID: <cr-1@huajin.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
).encode() + "陈经理您好，\r\n\r\n能否把首页主色调改成深蓝色？\r\n\r\n李伟\r\n".encode()


def invoke(*args: str, input: bytes | None = None) -> "object":
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_help_lists_every_contract_command_and_readme_documents_them() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command
        assert f"mailbot {command}" in readme, command
        sub = invoke(command, "--help")
        assert sub.exit_code == 0 and len(sub.output) > 40


def test_bad_configuration_exits_2_and_names_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "mailbot.toml"
    bad.write_text('[team]\naddress = "project@studio.example"\ntimezone = "Nowhere/City"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "--config", str(bad)])
    assert result.exit_code == 2
    assert "team.timezone" in result.output


def test_missing_configuration_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", "--config", str(tmp_path / "absent.toml")])
    assert result.exit_code == 2 and "file not found" in result.output


def test_extract_json_has_the_contract_shape(tmp_path: Path, config_file: Path) -> None:
    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    result = invoke("extract", "--json", "--config", str(config_file), str(eml))
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    record = json.loads(line)
    assert {k: record[k] for k in ("file", "message_id", "from", "party", "date", "subject", "language")} == {
        "file": str(eml),
        "message_id": "<cr-1@huajin.example>",
        "from": "li.wei@huajin.example",
        "party": "client",
        "date": "2026-03-04T10:15:00+08:00",
        "subject": "首页颜色",
        "language": "zh",
    }
    assert "能否把首页主色调改成深蓝色" in record["body"]
    kinds = [f["kind"] for f in record["findings"]]
    assert kinds == ["change_request"]
    assert record["findings"][0]["text"] == "能否把首页主色调改成深蓝色？"
    assert set(record["findings"][0]) >= {"kind", "text", "by", "due", "due_text"}


def test_extract_reads_stdin_and_reports_bad_files_without_stopping(tmp_path: Path, config_file: Path) -> None:
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", "--json", "--config", str(config_file), str(tmp_path / "absent.eml"), "-", str(empty)], input=CLIENT_CR)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in lines] == ["-"]
    assert "absent.eml: no such file or folder" in result.stderr
    assert "empty.eml" in result.stderr


def test_ingest_twice_changes_nothing(tmp_path: Path, config_file: Path) -> None:
    paths = [str(p) for p in sample_messages()]
    first = invoke("ingest", "--config", str(config_file), *paths)
    assert first.exit_code == 0, first.output
    plan_1 = invoke("plan", "--json", "--config", str(config_file), "--now", "2026-04-10T09:00")
    db = tmp_path / "mailbot.db"
    outbox_files = sorted((tmp_path / "outbox" / "new").iterdir())
    second = invoke("ingest", "--config", str(config_file), *paths)
    assert second.exit_code == 0
    assert f"{len(paths)} already known" in second.output
    plan_2 = invoke("plan", "--json", "--config", str(config_file), "--now", "2026-04-10T09:00")
    assert json.loads(plan_1.output) == json.loads(plan_2.output)
    assert sorted((tmp_path / "outbox" / "new").iterdir()) == outbox_files
    assert db.exists()


def test_tick_twice_for_the_same_moment_sends_once(tmp_path: Path, config_file: Path) -> None:
    invoke("ingest", "--config", str(config_file), *[str(p) for p in sample_messages()])
    first = invoke("tick", "--config", str(config_file), "--now", "2026-03-16T09:30")
    assert first.exit_code == 0
    assert "digest:huajin-web:2026-03-09" in first.output  # the week before, Monday to Sunday
    assert "digest:acme-app" not in first.output  # no digest for a project whose mail has not begun
    assert "meetings:acme-app:1" in first.output  # the review of its milestone Beta
    again = invoke("tick", "--config", str(config_file), "--now", "2026-03-16T10:00")
    assert again.exit_code == 0 and again.output.startswith("0 queued")
    later = invoke("tick", "--config", str(config_file), "--now", "2026-03-23T09:00")
    assert "digest:huajin-web:2026-03-16" in later.output and "meetings:" not in later.output


def test_plan_table_and_unknown_project(tmp_path: Path, config_file: Path) -> None:
    invoke("ingest", "--config", str(config_file), *[str(p) for p in sample_messages()])
    table = invoke("plan", "--config", str(config_file), "--project", "huajin-web")
    assert table.exit_code == 0
    assert "华锦零售官网改版" in table.output and "CR-1" in table.output
    unknown = CliRunner().invoke(cli, ["plan", "--config", str(config_file), "--project", "nope"])
    assert unknown.exit_code == 2 and "huajin-web" in unknown.output


def test_digest_prints_and_sends(tmp_path: Path, config_file: Path) -> None:
    invoke("ingest", "--config", str(config_file), *[str(p) for p in sample_messages()])
    printed = invoke("digest", "--config", str(config_file), "--project", "huajin-web", "--now", "2026-03-20T18:00")
    assert printed.exit_code == 0
    assert printed.output.startswith("Subject: ") and "华锦零售官网改版" in printed.output
    assert CliRunner().invoke(cli, ["digest", "--config", str(config_file)]).exit_code == 2  # two projects: which one?
    sent = invoke("digest", "--config", str(config_file), "--project", "acme-app", "--send", "--now", "2026-03-20T18:00")
    assert sent.exit_code == 0 and "0 sent, 1 kept" in sent.output
    resent = invoke("digest", "--config", str(config_file), "--project", "acme-app", "--send", "--now", "2026-03-20T19:00")
    assert "already queued" in resent.output


def test_run_without_imap_is_a_configuration_error(config_file: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--once", "--config", str(config_file)])
    assert result.exit_code == 2 and "imap" in result.output and "mailbot ingest" in result.output


# --- rough edges a new user met (issue 14) -----------------------------------------------------


def test_no_configuration_file_says_so_and_where(tmp_path: Path, monkeypatch: "object") -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["plan"])
    assert result.exit_code == 2
    assert "no configuration file at" in result.output and "mailbot.toml" in result.output
    assert "is required" not in result.output


def test_a_byte_order_mark_is_read_past(tmp_path: Path, config_file: Path) -> None:
    config_file.write_bytes(b"\xef\xbb\xbf" + config_file.read_bytes())
    result = invoke("plan", "--config", str(config_file))
    assert result.exit_code == 0, result.output
    assert "Invalid statement" not in result.output


def test_calendar_without_project_holds_every_project(tmp_path: Path, config_file: Path) -> None:
    import icalendar

    result = invoke("calendar", "--config", str(config_file))
    assert result.exit_code == 0, result.output
    events = [e for e in icalendar.Calendar.from_ical(result.output).walk("VEVENT")]
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any("华锦零售官网改版" in s for s in summaries) and any("Acme app" in s for s in summaries)
    only = invoke("calendar", "--project", "acme-app", "--config", str(config_file))
    assert "华锦" not in only.output and "Acme app" in only.output


def test_counts_are_english(tmp_path: Path, config_file: Path) -> None:
    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    result = invoke("ingest", "--config", str(config_file), str(eml))
    assert result.output.startswith("1 message: 1 processed"), result.output


def test_ctrl_c_during_ingest_reports_what_was_done_and_sends_what_it_queued(tmp_path: Path, config_file: Path,
                                                                           monkeypatch: "object") -> None:
    from mailbot.service import Mailbot

    real = Mailbot._ingest_read
    calls = {"n": 0}

    def interrupted_after_one(self: Mailbot, *args: "object", **kwargs: "object") -> "object":
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Mailbot, "_ingest_read", interrupted_after_one)  # type: ignore[attr-defined]
    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    second = tmp_path / "cr2.eml"
    second.write_bytes(CLIENT_CR.replace(b"cr-1@", b"cr-2@"))
    result = CliRunner().invoke(cli, ["ingest", "--config", str(config_file), str(eml), str(second)])
    assert result.exit_code == 130
    assert "1 message: 1 processed" in result.output and "interrupted" in result.output
    assert "1 sent" in result.output or "1 kept" in result.output  # the acknowledgement it queued went out


def test_a_renewal_notice_is_not_called_an_out_of_office(tmp_path: Path, config_file: Path) -> None:
    notice = (b"From: Cloud Billing <billing@cloud.example>\r\nTo: project@studio.example\r\n"
              b"Subject: Your subscription renews on 1 April\r\nDate: Wed, 04 Mar 2026 10:15:00 +0800\r\n"
              b"Message-ID: <renew-1@cloud.example>\r\nAuto-Submitted: auto-generated\r\n"
              b"Content-Type: text/plain; charset=utf-8\r\n\r\nYour plan renews on 1 April.\r\n")
    eml = tmp_path / "renew.eml"
    eml.write_bytes(notice)
    invoke("ingest", "--config", str(config_file), str(eml))
    import sqlite3

    with sqlite3.connect(tmp_path / "mailbot.db") as db:
        (reason,) = db.execute("SELECT reason FROM messages WHERE message_id LIKE '%renew-1%'").fetchone()
    assert "machine-generated notice" in reason and "out-of-office" not in reason


def test_acknowledgements_are_dated_in_the_teams_zone(tmp_path: Path, config_file: Path) -> None:
    import email
    from email import policy

    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    invoke("ingest", "--config", str(config_file), str(eml))
    (sent,) = sorted((tmp_path / "outbox" / "new").iterdir())
    ack = email.message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert ack["Date"].endswith("+0800"), ack["Date"]  # the team is in Asia/Shanghai


def test_every_message_that_made_no_plan_is_listed_with_who_what_when_and_why(tmp_path: Path, config_file: Path) -> None:
    stranger = CLIENT_CR.replace(b"li.wei@huajin.example", b"someone@elsewhere.example").replace(b"cr-1@", b"x-1@")
    renewal = (b"From: Cloud <billing@cloud.example>\r\nTo: project@studio.example\r\nSubject: Renewal\r\n"
               b"Date: Wed, 04 Mar 2026 11:00:00 +0800\r\nMessage-ID: <renew-2@cloud.example>\r\n"
               b"Auto-Submitted: auto-generated\r\nContent-Type: text/plain\r\n\r\nRenews soon.\r\n")
    files = []
    for name, raw in (("stranger.eml", stranger), ("renewal.eml", renewal), ("broken.eml", b"\x00\x01 not mail")):
        (tmp_path / name).write_bytes(raw)
        files.append(str(tmp_path / name))
    invoke("ingest", "--config", str(config_file), *files)
    snapshot = json.loads(invoke("plan", "--json", "--config", str(config_file)).output)
    listed = snapshot["messages"]
    assert snapshot["unassigned"] == len(listed["unassigned"]) == 1
    (unassigned,) = listed["unassigned"]
    assert unassigned["message_id"] == "<x-1@huajin.example>" and unassigned["from"] == "someone@elsewhere.example"
    assert unassigned["subject"] == "首页颜色" and unassigned["date"] and unassigned["reason"]
    assert [m["subject"] for m in listed["ignored"]] == ["Renewal"] and listed["ignored"][0]["reason"]
    assert len(listed["failed"]) == 1 and listed["failed"][0]["reason"]
    text = invoke("plan", "--config", str(config_file)).output
    assert "someone@elsewhere.example" in text and "mailbot assign MESSAGE-ID PROJECT" in text
    assert "Renewal" in text and "Failed messages: 1" in text and "mailbot retry MESSAGE-ID" in text


def test_retry_reads_a_failed_message_again(tmp_path: Path, config_file: Path, monkeypatch: "object") -> None:
    from mailbot.config import load
    from mailbot.reader import Reader
    from mailbot.service import Mailbot
    from mailbot.sources import RawItem

    def broken(self: Reader, raw: bytes, received: "object" = None) -> "object":
        raise RuntimeError("a bug in a rule")

    with Mailbot(load(config_file)) as bot, monkeypatch.context() as patch:  # type: ignore[attr-defined]
        patch.setattr(Reader, "read", broken)
        (outcome,) = bot.ingest([RawItem("cr.eml", CLIENT_CR)]).outcomes
    assert outcome.state == "failed" and "a bug in a rule" in (outcome.reason or "")
    result = CliRunner().invoke(cli, ["retry", "--config", str(config_file), "<cr-1@huajin.example>"])
    assert result.exit_code == 0, result.output
    assert "processed in huajin-web" in result.output
    snapshot = json.loads(invoke("plan", "--json", "--config", str(config_file)).output)
    assert snapshot["messages"]["failed"] == []
    (huajin,) = [p for p in snapshot["projects"] if p["key"] == "huajin-web"]
    assert [c["message_id"] for c in huajin["change_requests"]] == ["<cr-1@huajin.example>"]
    again = CliRunner().invoke(cli, ["retry", "--config", str(config_file), "<cr-1@huajin.example>"])
    assert again.exit_code == 1 and "no failed message matches" in again.output


def test_a_renamed_project_key_leaves_no_ghost_project(tmp_path: Path, config_file: Path) -> None:
    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    invoke("ingest", "--config", str(config_file), str(eml))
    config_file.write_text(config_file.read_text(encoding="utf-8").replace('key = "huajin-web"', 'key = "huajin-site"'),
                           encoding="utf-8")
    snapshot = json.loads(invoke("plan", "--json", "--config", str(config_file)).output)
    assert sorted(p["key"] for p in snapshot["projects"]) == ["acme-app", "huajin-site"]
    assert snapshot["unconfigured"] == [{"key": "huajin-web", "items": 1}]  # kept, named, out of view
    assert "Not in the configuration: huajin-web (1 item kept" in invoke("plan", "--config", str(config_file)).output


def test_logs_as_json_lines(tmp_path: Path, config_file: Path) -> None:
    import subprocess
    import sys

    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    done = subprocess.run([sys.executable, "-m", "mailbot", "-v", "--log-format", "json", "ingest", "--config",
                           str(config_file), str(eml)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any("outcome=processed" in line["message"] for line in lines)


def test_the_systemd_unit_verifies(tmp_path: Path) -> None:
    import shutil
    import subprocess

    import pytest

    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    unit = (ROOT / "contrib" / "mailbot.service").read_text(encoding="utf-8")
    assert "ProtectSystem=strict" in unit and "NoNewPrivileges=yes" in unit and "mailbot status" in unit
    # verify needs the ExecStart binary to exist: point it at a stand-in in tmp_path
    binary = tmp_path / "mailbot"
    binary.write_text("#!/bin/sh\nexit 0\n")
    binary.chmod(0o755)
    local = tmp_path / "mailbot.service"
    local.write_text(unit.replace("/srv/mailbot/.venv/bin/mailbot", str(binary)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(local)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if "mailbot.service" in line and "Unknown" in line or "Invalid" in line or "Failed to parse" in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def test_a_template_folder_overrides_the_bundled_templates_per_file(tmp_path: Path, config_file: Path) -> None:
    import email
    from email import policy

    folder = tmp_path / "my-templates"
    folder.mkdir()
    bundled = (ROOT / "templates" / "ack.zh.txt").read_text(encoding="utf-8")
    (folder / "ack.zh.txt").write_text(bundled.replace("{% block body %}", "{% block body %}【本工作室定制】\n", 1)
                                       if "{% block body %}" in bundled else bundled + "\n【本工作室定制】\n", encoding="utf-8")
    config_file.write_text(config_file.read_text(encoding="utf-8") + '\n[templates]\ndir = "my-templates"\n', encoding="utf-8")
    eml = tmp_path / "cr.eml"
    eml.write_bytes(CLIENT_CR)
    assert invoke("ingest", "--config", str(config_file), str(eml)).exit_code == 0
    (sent,) = sorted((tmp_path / "outbox" / "new").iterdir())
    ack = email.message_from_bytes(sent.read_bytes(), policy=policy.default)
    assert "【本工作室定制】" in ack.get_body(("plain",)).get_content()  # the folder's text part
    assert ack.get_body(("html",)) is not None  # the bundled HTML part, which the folder does not replace
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("my-templates", "absent"), encoding="utf-8")
    second = tmp_path / "cr2.eml"
    second.write_bytes(CLIENT_CR.replace(b"cr-1@", b"cr-2@").replace("主色调".encode(), "字体".encode()))
    assert invoke("ingest", "--config", str(config_file), str(second)).exit_code == 0  # a folder gone: the bundled ones
    newest = max((tmp_path / "outbox" / "new").iterdir(), key=lambda p: p.stat().st_mtime)
    assert "【本工作室定制】" not in email.message_from_bytes(newest.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
