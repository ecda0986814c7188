"""Commands by mail: the lines in which the team tells mailbot what to do.

    C12 done            C12 完成 / 搞定了          mark C12 done
    R4 drop             R4 不是任务               drop R4 / 删掉R4
    C12 due Friday      C12 改到4月20日           push C12 to next Wednesday
    R4 owner Wang Fang  R4 负责人：王芳
    CR-3 assess: +5 working days, +¥8,000         CR-3 评估：加5个工作日
    CR-3 accept: launch 2026-05-29                CR-3 接受，上线顺延到5月29日
    CR-3 reject: out of scope   CR-3 拒绝          CR-3 withdrawn / 撤回
    M2 signed off       M2 已验收 / 驗收通過       M2 延期到5月6日
    close project / 项目结束     pause reminders 2 weeks / 暂停提醒一周
    resume reminders / 恢复提醒  undo / 撤销        hold / 先别发
    assign <Message-ID or subject words> huajin

One command per line, several per mail; Simplified, Traditional (read through `hanzi`) and
English; full-width letters, digits and punctuation read as half-width (NFKC); ids written
loosely ("c12", "Ｃ１２", "#C12", "CR3", "cr 3"). A line is a command when it opens with an id
(or with a verb and then an id: "reopen C12", "删掉R4") or is one of the commands without an id;
anything else (greetings, prose, signatures) is not read. A line that opens with an id but says
nothing mailbot understands is returned as UNCLEAR, so that the answer can quote it back with
the forms it would have understood.

Pure: text in, `Command`s out; dates are resolved by `parsing.dates` against the mail's Date.
Hand-written because the grammar is mailbot's own: a few dozen words per verb in two languages.
Which mail may carry commands (the proven team, in reply to mailbot or with the project's tag)
is the service's business (`mailbot/commands.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from parsing import patterns as rx
from parsing.dates import cn_number, find_times
from parsing.hanzi import simplified


class Verb(StrEnum):
    DONE = "done"
    REOPEN = "reopen"
    DROP = "drop"
    DUE = "due"
    OWNER = "owner"
    ASSESS = "assess"
    ACCEPT = "accept"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    SIGNOFF = "signoff"
    CLOSE_PROJECT = "close_project"
    PAUSE_REMINDERS = "pause_reminders"
    RESUME_REMINDERS = "resume_reminders"
    UNDO = "undo"
    ASSIGN = "assign"
    HOLD = "hold"
    UNCLEAR = "unclear"


@dataclass(frozen=True, slots=True)
class Command:
    verb: Verb
    line: str  # the line as written, trimmed
    id: str | None = None  # "C12", "R4", "CR-3", "M2", "MT5"
    date: dt.date | None = None  # DUE, ACCEPT with a new date
    owner: str | None = None  # OWNER
    note: str | None = None  # ASSESS text, REJECT reason, ASSIGN's message reference
    days: int | None = None  # PAUSE_REMINDERS; None: until resumed
    project: str | None = None  # ASSIGN

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {"verb": str(self.verb)}
        for name in ("id", "owner", "note", "days", "project"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.date is not None:
            out["date"] = self.date.isoformat()
        if self.verb is Verb.UNCLEAR:
            out["line"] = self.line
        return out


MAX_LINE = 160  # characters: a longer line is prose, not a command
MAX_COMMANDS = 50  # per mail

_KINDS = {"cr": "CR-", "mt": "MT", "c": "C", "r": "R", "m": "M"}
_ID = rx.compile(r"(?<![a-z0-9])#?(cr|mt|c|r|m)[ ]?-?[ ]?(\d{1,5})(?![\d])", re.IGNORECASE)


def _words(*words: str) -> re.Pattern[str]:
    """Any of `words`: English ones as whole words, Chinese ones anywhere."""
    parts = [rf"\b{re.escape(w)}\b" if w[0].isascii() else re.escape(w) for w in words]
    return rx.compile("|".join(parts), re.IGNORECASE)


# The words of each verb, checked in this order: a negation before the word it negates
# ("not done" / 未完成 before "done" / 完成, 不同意 before 同意).
_REOPEN = _words("reopen", "re-open", "reopened", "not done", "not finished", "still open", "open again",
                 "重新打开", "重开", "重新开启", "再打开", "未完成", "没完成", "还没完成", "没有完成")
_DROP = _words("drop", "dropped", "not a task", "no task", "remove", "removed", "delete", "deleted", "ignore", "not needed",
               "不是任务", "不算任务", "非任务", "删除", "删掉", "删了", "去掉", "忽略", "不用跟进", "不需要跟进", "作废")
_DONE = _words("done", "finished", "complete", "completed", "delivered", "closed", "close", "sent",
               "完成", "已完成", "搞定", "做完", "已交付", "交付了", "好了", "已发", "已发送", "结束", "✓", "✔")
_REJECT = _words("reject", "rejected", "decline", "declined", "refuse", "refused", "not doing", "won't do", "will not do",
                 "out of scope", "no go", "拒绝", "不接受", "不同意", "不做", "驳回", "不予", "不批准", "否决")
_WITHDRAW = _words("withdraw", "withdrawn", "cancel", "cancelled", "canceled", "retracted", "撤回", "撤销", "取消", "收回")
_ACCEPT = _words("accept", "accepted", "approve", "approved", "agree", "agreed", "ok", "okay", "go ahead", "go", "yes", "lgtm",
                 "同意", "接受", "批准", "可以", "确认", "通过", "没问题", "照做", "做吧")
_ASSESS = _words("assess", "assessed", "assessment", "estimate", "estimated", "impact", "cost", "costs",
                 "评估", "影响", "估算", "报价", "费用", "工作量")
_SIGNOFF = _words("signed off", "sign off", "sign-off", "signoff", "signed-off", "approved", "accepted", "done", "complete",
                  "completed", "passed", "已验收", "验收通过", "验收完成", "验收", "签收", "通过", "完成", "确认通过")
_OWNER = rx.compile(r"\bowner\b\s*(?:is|=|:|to)?|\bassign(?:ed)? to\b|\bowned by\b|负责人\s*(?:是|为|改为|改成)?|交给|由|转给", re.IGNORECASE)
_MOVE = _words("due", "to", "until", "till", "move", "moved", "push", "pushed", "postpone", "postponed", "reschedule",
               "rescheduled", "delay", "delayed", "by", "new date", "now", "on",
               "改到", "延到", "延期", "顺延", "推迟", "推到", "调整到", "改为", "改成", "截止", "提前到", "挪到", "到", "前")

_CLOSE_PROJECT = rx.compile(r"^(?:please )?(?:close (?:the |this )?project|project (?:is )?(?:closed|complete|completed|finished|done|over)|"
                            r"项目(?:已)?(?:结束|完成|关闭|完结)|结项|关闭项目|结束项目)[.!。！]?$", re.IGNORECASE)
_PAUSE = rx.compile(r"^(?:please )?(?:pause|snooze|mute|stop|hold) (?:all |the )?reminders?\b|^暂停(?:所有)?提醒|^(?:先)?不要(?:再)?提醒|^停止提醒",
                    re.IGNORECASE)
_RESUME = rx.compile(r"^(?:please )?(?:resume|restart|unpause|unmute|turn on) (?:all |the )?reminders?\b|^恢复(?:所有)?提醒|^重新开始提醒|^继续提醒",
                     re.IGNORECASE)
_UNDO = rx.compile(r"^(?:please )?(?:undo|undo (?:that|the last(?: command)?|last command)|revert(?: that| the last(?: command)?)?)[.!。！]?$|"
                   r"^(?:撤销|撤回|撤销上一条|撤销上一个命令|撤回上一条|撤销刚才的(?:命令|操作)?|撤回刚才的(?:命令|操作)?)[.!。！]?$", re.IGNORECASE)
_HOLD = rx.compile(r"^(?:please )?(?:hold|hold it|hold (?:the |this )?(?:digest|draft|mail|email)|hold off|don'?t send(?: it)?|do not send(?: it)?)[.!。！]?$|"
                   r"^(?:暂缓(?:发送)?|先别发|先不要发|先不发|不要发送?|暂停发送|先别发送)[.!。！]?$", re.IGNORECASE)
_ASSIGN = rx.compile(r"^(?:assign|归入|分配|归到|放入)\s*[:：]?\s*(?P<ref>.+?)\s+(?:to\s+|到\s*|给\s*)?(?P<project>[\w-]+)$", re.IGNORECASE)
_DURATION = rx.compile(r"(?:(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3}|a|one|two|three|four)\s*(?:个\s*)?)?"
                       r"(?P<unit>days?|weeks?|months?|天|日|周|星期|礼拜|个月|月)", re.IGNORECASE)
_EN_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_UNIT_DAYS = {"day": 1, "天": 1, "日": 1, "week": 7, "周": 7, "星期": 7, "礼拜": 7, "month": 30, "个月": 30, "月": 30}
_LEAD = rx.compile(r"^[\s>*•·\-–—]*")
_PREFIX_WORDS = rx.compile(r"^(?:please |pls |)(?:mark|set|make|reopen|re-open|drop|remove|delete|close|accept|approve|reject|withdraw|"
                           r"sign off|move|push|postpone|把|将|请|重新打开|重开|删掉|删除|去掉|关闭|同意|接受|拒绝|撤回|验收)?\s*$",
                           re.IGNORECASE)
_NOTE = rx.compile(r"^[\s:：,，.。;；\-–—]*")


def read_commands(text: str, *, reference: dt.datetime | None) -> list[Command]:
    """The commands of `text` (new text only: the caller strips quoted history), in order."""
    commands: list[Command] = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or len(line) > MAX_LINE or line.startswith(">"):
            continue
        command = read_line(line, reference=reference)
        if command is not None:
            commands.append(command)
            if len(commands) >= MAX_COMMANDS:
                break
    return commands


def read_line(line: str, *, reference: dt.datetime | None) -> Command | None:
    """The command `line` gives, UNCLEAR for a line that opens with an id and says nothing
    understood, or None for a line that is no command."""
    normal = _LEAD.sub("", unicodedata.normalize("NFKC", line)).strip()
    plain = simplified(normal)  # the same length: an offset in one is an offset in the other
    found = _ID.search(plain)
    if found is not None and _PREFIX_WORDS.match(plain[: found.start()]):
        item = _KINDS[found.group(1).lower()] + str(int(found.group(2)))
        rest = (plain[: found.start()] + " " + plain[found.end() :]).strip()
        command = _item_command(item, rest, line, reference)
        if command.owner and (at := plain.find(command.owner)) >= 0:  # a name as it was written, 陳靜 not 陈静
            command = dataclasses.replace(command, owner=normal[at : at + len(command.owner)])
        return command
    return _plain_command(plain, line)


def _item_command(item: str, rest: str, line: str, reference: dt.datetime | None) -> Command:
    words = rest.lower()
    when = _date(rest, reference)
    if item.startswith("CR-"):
        if _REJECT.search(words):
            return Command(Verb.REJECT, line, item, note=_after_colon(rest))
        if _WITHDRAW.search(words):
            return Command(Verb.WITHDRAW, line, item)
        if _ASSESS.search(words) or re.search(r"[+＋]\s*[\d¥￥$]", rest):
            return Command(Verb.ASSESS, line, item, note=_after_colon(rest) or rest)
        if _ACCEPT.search(words):
            return Command(Verb.ACCEPT, line, item, date=when)
        return Command(Verb.UNCLEAR, line, item)
    if _OWNER.search(rest):
        owner = _NOTE.sub("", _OWNER.split(rest, maxsplit=1)[-1]).strip(" 。.!！")
        owner = re.sub(r"(?:负责|来做|跟进|处理)$", "", owner).strip()
        if owner:
            return Command(Verb.OWNER, line, item, owner=owner)
    if when is not None and (_MOVE.search(words) or not _DONE.search(words)):
        return Command(Verb.DUE, line, item, date=when)
    if item.startswith("M") and not item.startswith("MT") and _SIGNOFF.search(words) and not _REOPEN.search(words):
        return Command(Verb.SIGNOFF, line, item)
    if _REOPEN.search(words):
        return Command(Verb.REOPEN, line, item)
    if _DROP.search(words):
        return Command(Verb.DROP, line, item)
    if _DONE.search(words):
        return Command(Verb.DONE, line, item)
    return Command(Verb.UNCLEAR, line, item)


def _plain_command(plain: str, line: str) -> Command | None:
    if _CLOSE_PROJECT.match(plain):
        return Command(Verb.CLOSE_PROJECT, line)
    if _PAUSE.match(plain):
        return Command(Verb.PAUSE_REMINDERS, line, days=_days(plain))
    if _RESUME.match(plain):
        return Command(Verb.RESUME_REMINDERS, line)
    if _UNDO.match(plain):
        return Command(Verb.UNDO, line)
    if _HOLD.match(plain):
        return Command(Verb.HOLD, line)
    assign = _ASSIGN.match(plain)
    if assign is not None:
        return Command(Verb.ASSIGN, line, note=assign["ref"].strip(" <>\"'"), project=assign["project"])
    return None


def _date(text: str, reference: dt.datetime | None) -> dt.date | None:
    found = [t for t in find_times(text, reference=reference, language="mixed") if t.date is not None and not t.vague]
    return found[-1].date if found else None


def _days(text: str) -> int | None:
    found = _DURATION.search(text)
    if found is None:
        return None
    count = found["n"] or "1"
    number = int(count) if count.isdigit() else _EN_NUMBERS.get(count.lower()) or cn_number(count) or 1
    unit = found["unit"].lower().rstrip("s")
    return number * _UNIT_DAYS.get(unit, 1)


def _after_colon(text: str) -> str | None:
    """What follows the first colon ("CR-3 reject: out of scope" → "out of scope")."""
    found = re.search(r"[:：]", text)
    return (text[found.end() :].strip() or None) if found else None
