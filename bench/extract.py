"""Start-up time of the findings pipelines and throughput of the whole extract chain. Prints figures; not a test.

    python bench/extract.py [--corpora PATH] [--messages N] [--seed S]

1. Start-up: in a fresh interpreter (so that no module cache hides anything), the time to
   import `parsing.pipeline` (its patterns compile then) and to build the zh and the en findings
   pipelines, then the first `find_findings` call of each language. Median of 3 children.
2. Throughput of `parsing.extract` (mime → category → quotes → language → findings) in
   messages per second, one figure per mix:
   - corpora: every raw message of ../shared/corpora (.eml, .box, cpython msg_*, spamscope
     mails) plus the reply-parser fixtures (talon, crisp, mail-parser-reply .txt bodies)
     wrapped in a minimal header; repeated until there are N messages;
   - zh / en generated: N realistic business messages per language from the generator
     below (greetings, requests, promises with dates, change requests, feedback, meetings,
     risks, sign-offs, signatures, quoted history in the clients' styles), seeded.
   Each mix is warmed up with its first 200 messages, then timed once over all N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"
TARGET = 300  # messages per second on the 2-core reference machine

# --- 1. start-up ---------------------------------------------------------------------------

_STARTUP_CHILD = r"""
import time
c0 = time.process_time()
t0 = time.perf_counter()
import parsing.pipeline
from parsing.findings import find_findings, pipeline
t1 = time.perf_counter()
pipeline("zh")
t2 = time.perf_counter()
pipeline("en")
t3 = time.perf_counter()
from parsing.model import Party
find_findings("请贵方本周五前提供素材，谢谢。", language="zh", reference=None, party=Party.CLIENT)
t4 = time.perf_counter()
find_findings("Please send us the logo files by Monday.", language="en", reference=None, party=Party.CLIENT)
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, time.process_time() - c0)
"""


def startup(runs: int = 3) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _STARTUP_CHILD], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
        samples.append([float(x) for x in out.split()])
    names = ("import", "build zh", "build en", "first zh call", "first en call")
    result = {name: statistics.median(s[i] for s in samples) for i, name in enumerate(names)}
    result["total (wall)"] = sum(result.values())
    result["total (cpu)"] = statistics.median(s[5] for s in samples)
    return result


# --- 2a. the corpora -----------------------------------------------------------------------

_REPLY_FIXTURES = ("talon", "crisp-email-reply-parser", "mail-parser-reply")


def corpus_messages(root: Path) -> list[bytes]:
    """Raw messages of every source folder; bare reply bodies get a minimal header."""
    found: list[bytes] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        source = path.relative_to(root).parts[0]
        if path.suffix in (".eml", ".box") \
                or (source == "cpython-test-email" and path.name.startswith("msg_")) \
                or (source == "spamscope-mail-parser" and path.parent.name == "mails"):
            found.append(path.read_bytes())
        elif source in _REPLY_FIXTURES and path.suffix == ".txt":
            body = path.read_bytes()
            if b"\nFrom:" in body[:2000] and body[:5].lower() in (b"from:", b"retur", b"recei"):
                found.append(body)
            else:
                found.append(b"From: someone@client.example\r\nTo: project@studio.example\r\n"
                             b"Subject: Re: fixture\r\nDate: Mon, 02 Mar 2026 10:15:00 +0800\r\n"
                             b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body)
    return found


# --- 2b. the generator ---------------------------------------------------------------------

_ZH = {
    "greeting": ["{name}您好，", "{name}，你好！", "各位好，", "Hi {name}，", "{name}老师好："],
    "opening": ["感谢昨天的沟通。", "附件是最新的设计稿，请查收。", "关于首页改版的事情，跟您同步一下。",
                "上次会议的纪要已经整理好了。", "收到，谢谢！", "抱歉回复晚了。"],
    "request": ["请贵方{due}提供品牌素材和logo源文件。", "麻烦{due}把测试账号发一下，谢谢！",
                "烦请{due}确认报价单。", "能否{due}提供一下服务器的登录信息？",
                "务必在{due}把合同盖章寄回。", "需要你们帮忙核对一下商品数据。", "请尽快回复，谢谢。"],
    "commitment": ["我们会在{due}提交首页设计稿。", "修改稿我们争取{due}发您。", "我方{due}完成第二轮测试。",
                   "我们这周内完成接口联调。", "明天发给您。", "稍后把会议纪要发给大家。"],
    "change": ["能否把首页主色调改成深蓝色？", "我们希望把上线时间推迟到{due}。", "首页再增加一个会员登录入口。",
               "建议把第二期的上线时间调整到月底。", "字体能否调大一点？"],
    "feedback": ["整体不错，但是字体太小。", "设计稿很漂亮，我们很满意。", "这版配色有点暗，看起来不太专业。",
                 "交互很顺畅，团队反馈很好。"],
    "meeting": ["{due}下午3点开个评审会？", "约个电话会聊一下细节？", "{due}上午10点方便开个视频会吗？",
                "周四下午可以。"],
    "risk": ["服务器还没开通，可能影响上线。", "恐怕{due}赶不上。", "接口文档迟迟没有收到，进度有点紧。"],
    "approval": ["确认通过，就按这个来。", "首页设计稿我们已签字确认。"],
    "closing": ["谢谢！", "辛苦了！", "有问题随时联系。", "祝好！", "顺祝商祺！"],
    "signature": ["--\n{name}\n华锦零售 市场部\n电话：021-5555 0101", "{name}\n发自我的iPhone",
                  "此致\n敬礼\n{name}"],
    "due": ["下周五之前", "本周内", "3月15日前", "明天下班前", "周三", "月底前", "三个工作日内", "下周二"],
    "names": ["李伟", "王芳", "张总", "陈静", "刘经理"],
}

_EN = {
    "greeting": ["Hi {name},", "Hello {name},", "Dear {name},", "Hey {name} -", "Good morning {name},"],
    "opening": ["Thanks for the call yesterday.", "Please find attached the latest designs.",
                "Following up on our conversation about the homepage.", "Quick update on the launch.",
                "Sorry for the slow reply.", "Hope you had a good weekend."],
    "request": ["Please send us the logo files {due}.", "Could you share the staging link {due}?",
                "Can you confirm the copy for the About page {due}?", "Let me know when the server is ready.",
                "Would you mind sending the invoice again?", "I need you to review the attached draft {due}.",
                "Give me a call when you get a chance."],
    "commitment": ["I'll send the revised mockups {due}.", "We will deliver the homepage design {due}.",
                   "We're on it and will have a draft to you within 3 working days.",
                   "You'll have the final files EOD Thursday."],
    "change": ["Can we push the launch back to {due}?", "Could we add a login page?",
               "We'd like to change the header colour to navy.", "Please make the logo bigger."],
    "feedback": ["The design looks great, but the font is too small.", "Love the new layout, really clean.",
                 "The colours look a bit off.", "Great job on the homepage, the team loves it!"],
    "meeting": ["Can we meet {due} at 10am?", "Let's have a quick call {due} to go through the feedback.",
                "Are you free for a review session {due}?", "Thursday works for me."],
    "risk": ["We're blocked on the API keys.", "The launch might slip to next week.",
             "I'm afraid we won't make Friday.", "We still haven't received the server credentials."],
    "approval": ["Approved, go ahead.", "We're happy to sign off on the wireframes."],
    "closing": ["Thanks!", "Let me know if you have any questions.", "Have a great weekend!", "Cheers,",
                "Best regards,"],
    "signature": ["--\n{name}\nAcme Corp | Marketing\n+1 555 0101", "{name}\nSent from my iPhone",
                  "Kind regards,\n{name}\nProject Manager"],
    "due": ["by Friday", "next Tuesday", "by end of the month", "tomorrow", "before March 20",
            "within two weeks", "EOD Thursday", "on Monday"],
    "names": ["Sam", "John", "Maria", "Chen Jing", "Alex"],
}

_KINDS = ("request", "commitment", "change", "feedback", "meeting", "risk", "approval")


def _fill(rng: random.Random, words: dict, key: str, name: str) -> str:
    return rng.choice(words[key]).format(name=name, due=rng.choice(words["due"]))


def _quote(rng: random.Random, language: str, text: str, name: str, address: str) -> str:
    if language == "zh":
        style = rng.randrange(3)
        if style == 0:
            return ("\n\n------------------ 原始邮件 ------------------\n"
                    f"发件人: \"{name}\"<{address}>;\n发送时间: 2026年3月2日(星期一) 上午10:15\n"
                    f"收件人: \"项目组\"<project@studio.example>;\n主题: 回复：首页设计\n\n{text}")
        if style == 1:
            quoted = "\n".join("> " + line for line in text.splitlines())
            return f"\n\n在 2026年3月2日 周一 10:15，{name} <{address}> 写道：\n{quoted}"
        return (f"\n\n发件人: {name} <{address}>\n发送时间: 2026年3月2日 10:15\n"
                f"收件人: project@studio.example\n主题: RE: 首页设计\n\n{text}")
    if rng.randrange(2):
        quoted = "\n".join("> " + line for line in text.splitlines())
        return f"\n\nOn Mon, Mar 2, 2026 at 10:15 AM, {name} <{address}> wrote:\n{quoted}"
    return (f"\n\n-----Original Message-----\nFrom: {name} <{address}>\nSent: Monday, March 2, 2026 "
            f"10:15 AM\nTo: project@studio.example\nSubject: RE: Homepage\n\n{text}")


def _body(rng: random.Random, language: str, words: dict, name: str) -> str:
    joiner = "" if language == "zh" else " "
    parts = [_fill(rng, words, "greeting", name)]
    paragraph = [_fill(rng, words, "opening", name)] if rng.random() < 0.7 else []
    for kind in rng.sample(_KINDS, rng.randint(1, 4)):
        paragraph.append(_fill(rng, words, kind, name))
        if rng.random() < 0.3:
            parts.append(joiner.join(paragraph))
            paragraph = []
    if paragraph:
        parts.append(joiner.join(paragraph))
    parts.append(_fill(rng, words, "closing", name))
    parts.append(_fill(rng, words, "signature", rng.choice(words["names"])))
    return "\n\n".join(parts)


def generated_messages(language: str, count: int, seed: int) -> list[bytes]:
    """`count` raw messages in `language` (zh or en): plain or HTML-less, some with history."""
    rng = random.Random(f"{seed}-{language}")
    words = _ZH if language == "zh" else _EN
    zone = ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=zone)
    clients = ["li.wei@huajin.example", "sam@acme.example", "wang.fang@huajin.example"]
    team = ["chen.jing@studio.example", "alex@studio.example"]
    messages = []
    for index in range(count):
        sender = rng.choice(clients + team)
        name = rng.choice(words["names"])
        body = _body(rng, language, words, name)
        if rng.random() < 0.6:
            older = _body(rng, language, words, rng.choice(words["names"]))
            body += _quote(rng, language, older, name, rng.choice(clients + team))
        message = EmailMessage()
        message["From"] = f"{name} <{sender}>"
        message["To"] = "project@studio.example"
        message["Subject"] = ("回复：首页设计" if language == "zh" else "Re: Homepage design")
        message["Date"] = format_datetime(start + dt.timedelta(minutes=37 * index))
        message["Message-ID"] = make_msgid(domain=sender.partition("@")[2])
        message.set_content(body, cte=rng.choice(["base64", "quoted-printable", "8bit"]))
        messages.append(bytes(message))
    return messages


# --- 2c. timing ----------------------------------------------------------------------------


def throughput(messages: list[bytes]) -> tuple[float, float, int, int]:
    """(msgs/s by CPU time, msgs/s by wall clock, findings, unreadable) of `parsing.extract`.

    The chain is single-threaded, so on an idle machine both rates agree; CPU time is the
    figure to compare when other work shares the cores.
    """
    from parsing import Context, ParseError, extract

    context = Context(team_domains=("studio.example",), timezone="Asia/Shanghai",
                      own_addresses=("project@studio.example",))
    for raw in messages[:200]:  # warm-up: pipelines built, regex caches filled
        try:
            extract(raw, context)
        except ParseError:
            pass
    findings = errors = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for raw in messages:
        try:
            findings += len(extract(raw, context).findings)
        except ParseError:
            errors += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return len(messages) / cpu, len(messages) / wall, findings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--messages", type=int, default=3000, help="messages per mix")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print("start-up in a fresh interpreter (median of 3), seconds:")
    for name, seconds in startup().items():
        print(f"  {name:<14} {seconds:7.3f}")

    mixes: list[tuple[str, list[bytes]]] = []
    if args.corpora.is_dir():
        raw = corpus_messages(args.corpora)
        repeated = (raw * (args.messages // max(len(raw), 1) + 1))[:args.messages]
        mixes.append((f"corpora ({len(raw)} distinct, repeated)", repeated))
    else:
        print(f"(no corpora at {args.corpora}: skipping that mix)")
    mixes.append(("zh generated", generated_messages("zh", args.messages, args.seed)))
    mixes.append(("en generated", generated_messages("en", args.messages, args.seed)))

    print(f"\nparsing.extract throughput (target >= {TARGET} msgs/s of CPU time; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    for label, messages in mixes:
        rate, wall_rate, findings, errors = throughput(messages)
        mark = "ok" if rate >= TARGET else "BELOW TARGET"
        print(f"  {label:<36} {len(messages):5d} msgs  {rate:7.1f} msgs/s cpu  "
              f"({wall_rate:6.1f} wall)  {findings:6d} findings  {errors:3d} unreadable  {mark}")


if __name__ == "__main__":
    main()
