"""Commands by mail: the grammar (parsing/commands.py) and carrying them out (mailbot/commands.py).

The grammar table here is the development set the rules were written against; the held-out
table (tests/fixtures/commands_heldout.json, written by someone who never saw the grammar) is
scored by bench/commands.py, not tuned against.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
from test_trust import FAIL, PASS, bot, config, mail, plan  # noqa: F401 - fixtures

from mailbot.service import Mailbot
from mailbot.sources import RawItem
from parsing.commands import read_commands

REFERENCE = dt.datetime(2026, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Wednesday

GRAMMAR = [
    ("C12 done", {"verb": "done", "id": "C12"}),
    ("C12 完成", {"verb": "done", "id": "C12"}),
    ("Ｃ１２ 搞定了", {"verb": "done", "id": "C12"}),
    ("mark C12 done", {"verb": "done", "id": "C12"}),
    ("R4 drop", {"verb": "drop", "id": "R4"}),
    ("R4 不是任务", {"verb": "drop", "id": "R4"}),
    ("删掉R4", {"verb": "drop", "id": "R4"}),
    ("C12 due 2026-04-20", {"verb": "due", "id": "C12", "date": "2026-04-20"}),
    ("C12 改到4月20日", {"verb": "due", "id": "C12", "date": "2026-04-20"}),
    ("C12 due Friday", {"verb": "due", "id": "C12", "date": "2026-04-10"}),
    ("push C12 to next Wednesday", {"verb": "due", "id": "C12", "date": "2026-04-15"}),
    ("C12 延到下周三", {"verb": "due", "id": "C12", "date": "2026-04-15"}),
    ("R4 owner Wang Fang", {"verb": "owner", "id": "R4", "owner": "Wang Fang"}),
    ("R4 负责人：王芳", {"verb": "owner", "id": "R4", "owner": "王芳"}),
    ("CR-3 assess: +5 working days, +¥8,000", {"verb": "assess", "id": "CR-3", "note": "+5 working days, +¥8,000"}),
    ("CR-3 accept: launch 2026-05-29", {"verb": "accept", "id": "CR-3", "date": "2026-05-29"}),
    ("CR-3 接受，上线顺延到5月29日", {"verb": "accept", "id": "CR-3", "date": "2026-05-29"}),
    ("CR-3 reject: out of scope", {"verb": "reject", "id": "CR-3", "note": "out of scope"}),
    ("CR-3 撤回", {"verb": "withdraw", "id": "CR-3"}),
    ("cr 3 不同意", {"verb": "reject", "id": "CR-3"}),
    ("M2 signed off", {"verb": "signoff", "id": "M2"}),
    ("M2 驗收通過", {"verb": "signoff", "id": "M2"}),
    ("M2 延期到5月6日", {"verb": "due", "id": "M2", "date": "2026-05-06"}),
    ("close project", {"verb": "close_project"}),
    ("项目结束", {"verb": "close_project"}),
    ("pause reminders 2 weeks", {"verb": "pause_reminders", "days": 14}),
    ("暂停提醒一周", {"verb": "pause_reminders", "days": 7}),
    ("resume reminders", {"verb": "resume_reminders"}),
    ("undo", {"verb": "undo"}),
    ("撤销", {"verb": "undo"}),
    ("重新打开 C12", {"verb": "reopen", "id": "C12"}),
    ("C12 未完成", {"verb": "reopen", "id": "C12"}),
    ("C12 blah", {"verb": "unclear", "id": "C12", "line": "C12 blah"}),
]


@pytest.mark.parametrize(("line", "expected"), GRAMMAR, ids=[g[0] for g in GRAMMAR])
def test_a_command_line_is_read(line: str, expected: dict[str, object]) -> None:
    (command,) = read_commands(line, reference=REFERENCE)
    assert command.as_json() == expected


@pytest.mark.parametrize("line", ["Hi mailbot,", "Thanks, Dana", "I think C12 will be done by Friday", "项目经理 | 某某工作室", "C" * 400])
def test_prose_greetings_and_signatures_are_no_commands(line: str) -> None:
    assert read_commands(line, reference=REFERENCE) == []


CLIENT = "li.wei@huajin.example"
TEAM = "chen.jing@studio.example"


def _acknowledged(bot: Mailbot) -> str:  # noqa: F811
    """A client's change request and a promise of ours; the Message-ID of mailbot's ack."""
    raw = mail(CLIENT, "能否在首页增加一个门店查询页？我们周五前提供门店数据。", message_id="<c1@huajin.example>")
    bot.ingest([RawItem("c1.eml", raw)])
    return str(bot.store.one("SELECT message_id FROM outbox WHERE kind = 'ack'")["message_id"])  # type: ignore[index]


def _answers(bot: Mailbot) -> list[email.message.EmailMessage]:  # noqa: F811
    rows = bot.store.rows("SELECT raw FROM outbox WHERE kind = 'command' ORDER BY id")
    return [email.message_from_bytes(r["raw"], policy=email.policy.default) for r in rows]  # type: ignore[misc]


def test_a_proven_team_member_decides_by_replying_and_is_answered_once(bot: Mailbot) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    (request,) = plan(bot)["commitments"]
    body = f"好的，\n\nCR-1 接受\n{request['id']} 完成\nC99 完成\nCR-1 看看再说\n\n陈静\n\n> 已登记为 CR-1"
    command = mail(TEAM, body, subject="回复：首页", message_id="<k1@studio.example>", auth=PASS, in_reply_to=ack)
    (outcome,) = bot.ingest([RawItem("k1.eml", command)]).outcomes
    assert outcome.state == "processed" and outcome.queued == 2, outcome  # the answer, and the client told
    after = plan(bot)
    assert [c["status"] for c in after["change_requests"]] == ["accepted"]
    assert [r["status"] for r in after["commitments"]] == ["done"]
    (answer,) = _answers(bot)
    assert answer["To"].addresses[0].addr_spec == TEAM and answer["In-Reply-To"] == "<k1@studio.example>"
    text = answer.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "已接受" in text and "本项目中没有这一项" in text and "CR-1 看看再说" in text and "可用的命令" in text
    assert "“CR-1 拒绝：不在范围内”" in text  # the forms for the kind of item the unclear line named
    again = bot.ingest([RawItem("k1-again.eml", command)]).outcomes  # redelivered: obeyed once
    assert again[0].state == "duplicate" and len(_answers(bot)) == 1
    history = bot.store.rows("SELECT cause, reason FROM history WHERE item = 'change_requests' AND new = 'accepted'")
    assert history == [{"cause": "command", "reason": "<k1@studio.example>"}]
    (told,) = bot.store.rows("SELECT recipients, raw FROM outbox WHERE kind = 'decision'")  # the client hears the decision
    told_text = email.message_from_bytes(told["raw"], policy=email.policy.default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert CLIENT in told["recipients"] and "CR-1 我们已确认接受" in told_text and "门店查询页" in told_text


def test_undo_puts_back_what_the_last_command_mail_changed(bot: Mailbot) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    (request,) = plan(bot)["commitments"]
    bot.ingest([RawItem("k1.eml", mail(TEAM, f"CR-1 reject: out of scope\n{request['id']} drop", message_id="<k1@studio.example>",
                                       auth=PASS, in_reply_to=ack))])
    assert plan(bot)["change_requests"][0]["status"] == "rejected" and plan(bot)["commitments"][0]["status"] == "dropped"
    bot.ingest([RawItem("k2.eml", mail(TEAM, "undo", message_id="<k2@studio.example>", auth=PASS, in_reply_to=ack))])
    assert plan(bot)["change_requests"][0]["status"] == "acknowledged" and plan(bot)["commitments"][0]["status"] == "open"
    bot.ingest([RawItem("k3.eml", mail(TEAM, "撤销", message_id="<k3@studio.example>", auth=PASS, in_reply_to=ack))])
    assert "过去24小时内您没有改动过计划的命令" in _answers(bot)[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize("auth", [FAIL, ""], ids=["forged", "unproven"])
def test_commands_from_a_team_address_that_is_not_proven_are_refused_and_the_team_alerted(bot: Mailbot, auth: str) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    raw = mail(TEAM, "CR-1 接受\n项目结束", message_id="<x1@studio.example>", auth=auth, in_reply_to=ack)
    (outcome,) = bot.ingest([RawItem("x1.eml", raw)]).outcomes
    assert "not acted on (commands refused)" in (outcome.reason or "") and outcome.queued == 1
    assert plan(bot)["change_requests"][0]["status"] == "acknowledged" and plan(bot)["status"] == "active"
    assert [r["kind"] for r in bot.store.rows("SELECT kind FROM outbox WHERE kind IN ('alert', 'command')")] == ["alert"]


def test_a_clients_command_like_line_is_the_client_speaking_not_a_command(bot: Mailbot) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    raw = mail(CLIENT, "CR-1 撤回", message_id="<c2@huajin.example>", in_reply_to=ack)
    (outcome,) = bot.ingest([RawItem("c2.eml", raw)]).outcomes
    assert "command" not in (outcome.reason or "") and _answers(bot) == []


def test_an_owners_name_is_kept_as_written() -> None:
    (command,) = read_commands("R4 負責人：陳靜", reference=REFERENCE)
    assert command.as_json() == {"verb": "owner", "id": "R4", "owner": "陳靜"}


def test_an_unassigned_message_is_assigned_by_command(bot: Mailbot) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    stray = mail("kate@newco.example", "Could you send us the store list by Friday?", subject="Store list", message_id="<s1@newco.example>")
    (outcome,) = bot.ingest([RawItem("s1.eml", stray)]).outcomes
    assert outcome.project_key is None  # nobody knows newco
    order = mail(TEAM, "assign <s1@newco.example> huajin-web\nassign nothing-like-this huajin-web", message_id="<k9@studio.example>",
                 auth=PASS, in_reply_to=ack)
    (done,) = bot.ingest([RawItem("k9.eml", order)]).outcomes
    assert "1 done" in (done.reason or "") and "1 refused" in (done.reason or ""), done
    row = bot.store.one("SELECT project_key, state FROM messages WHERE message_id = '<s1@newco.example>'")
    assert row == {"project_key": "huajin-web", "state": "processed"}
    assert any("store list" in r["text"] for r in plan(bot)["requests"])


def test_a_mail_to_the_client_that_also_commands_is_read_as_well(bot: Mailbot) -> None:  # noqa: F811
    ack = _acknowledged(bot)
    raw = mail(TEAM, "李总好，\n\nCR-1 接受\n我们会在下周三之前提交门店查询页的设计稿。\n\n陈静", message_id="<k5@studio.example>", auth=PASS,
               in_reply_to=ack, to=f"{CLIENT}, project@studio.example")
    (outcome,) = bot.ingest([RawItem("k5.eml", raw)]).outcomes
    assert plan(bot)["change_requests"][0]["status"] == "accepted" and "commands: 1 done" in (outcome.reason or "")
    assert any("门店查询页的设计稿" in c["text"] for c in plan(bot)["commitments"])  # what the client was told is in the plan
