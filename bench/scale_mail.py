"""Realistic project mail at any size, for `bench/scale.py`: many projects, both languages, real threads.

    from scale_mail import generate
    corpus = generate(10_000, seed=1, projects=12)
    corpus.config_toml()          # a mailbot.toml that names every project, its client and its team
    corpus.raw(corpus.messages[0])  # RFC 5322 bytes; messages are in arrival (Date) order

How it works. Each project is a client company (its own domain, 2-4 people, a mail program
each) and 2-3 of the studio's people; a third of the projects are in English, a sixth in
Traditional Chinese (written in Simplified, then turned into Taiwan usage with OpenCC, which
is a dependency of mailbot), the rest in Simplified Chinese. Its milestones are spread over the
months the mail covers, in order, and the last one (launch, delivery) is due a few weeks after
the newest message, so every project is still running at the end; the work goes phase by
phase (a thread talks of the deliverables of the next milestone, now and then of earlier ones,
and a change moves the next milestone or the launch). Mail comes as threads, each one of a few
scenarios a client project is made of:

- a deliverable: we promise it by a date, deliver it ("设计稿已经发给您了，请查收" / "Attached
  is the revised homepage"), the client answers with feedback or a receipt, maybe a revision
  follows, then a sign-off;
- material we need from the client: we ask, they promise and send it, we confirm receipt;
- something the client needs from us (a quote, the schedule, the minutes): asked, promised, sent;
- a change request: asked, assessed with days and cost, accepted or turned down;
- a meeting: proposed, accepted or moved to another time;
- a progress update, sometimes with a risk;
- now and then an out-of-office auto-reply.

Every reply has In-Reply-To and References and quotes the message before it the way its
sender's mail program does (Outlook, Foxmail, Gmail, iPhone, Taiwan Outlook), so history
nests as in real mail. Names, deliverables, features, dates and wording come from the
project and the seeded random generator; dates advance over months (about four messages per
project per working day), each relative date ("下周三前", "by Friday") is a real one from the
message's Date. The same seed always gives the same bytes.

Greetings and closings are bench/extract.py's (its generated-message vocabulary).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
import tomllib
from dataclasses import dataclass, field
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import opencc
from extract import _EN, _ZH  # the greetings and closings of the generated messages of bench/extract.py

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = ROOT / "mailbot" / "sample" / "mailbot.toml"  # the demo's studio: its [team] is ours
SHANGHAI = ZoneInfo("Asia/Shanghai")
END = dt.datetime(2026, 11, 13, 18, 0, tzinfo=SHANGHAI)  # threads start before this; their replies run on for days
PER_PROJECT_PER_DAY = 4.0  # messages per project per working day: how fast the calendar advances


@lru_cache(maxsize=1)
def _to_hant() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


def hant(text: str) -> str:
    return str(_to_hant().convert(text))


def team_section() -> dict[str, str | list[str]]:
    with SAMPLE_CONFIG.open("rb") as fh:
        team: dict[str, str | list[str]] = tomllib.load(fh)["team"]
    return team


# -- people and projects ----------------------------------------------------------------------

_ZH_PEOPLE = [("李伟", "li.wei"), ("王芳", "wang.fang"), ("张磊", "zhang.lei"), ("刘洋", "liu.yang"), ("陈静", "chen.jing"),
              ("杨帆", "yang.fan"), ("赵敏", "zhao.min"), ("黄丽", "huang.li"), ("周杰", "zhou.jie"), ("吴昊", "wu.hao"),
              ("徐婷", "xu.ting"), ("孙浩", "sun.hao"), ("胡军", "hu.jun"), ("朱琳", "zhu.lin"), ("高峰", "gao.feng"),
              ("林娜", "lin.na"), ("何涛", "he.tao"), ("郭鹏", "guo.peng"), ("马超", "ma.chao"), ("罗敏", "luo.min"),
              ("宋佳", "song.jia"), ("谢磊", "xie.lei"), ("韩雪", "han.xue"), ("唐亮", "tang.liang")]
_HANT_PEOPLE = [("陈怡君", "yijun.chen"), ("林志明", "zhiming.lin"), ("黄淑芬", "shufen.huang"), ("张家豪", "jiahao.chang"),
                ("李雅婷", "yating.lee"), ("王建宏", "jianhong.wang"), ("吴佩珊", "peishan.wu"), ("刘冠宇", "guanyu.liu"),
                ("蔡宗翰", "zonghan.tsai"), ("许美玲", "meiling.hsu")]
_EN_PEOPLE = [("Sam Carter", "sam.carter"), ("Maria Lopez", "maria.lopez"), ("John Reed", "john.reed"),
              ("Priya Nair", "priya.nair"), ("Emma Walsh", "emma.walsh"), ("David Kim", "david.kim"),
              ("Laura Becker", "laura.becker"), ("Tom Hughes", "tom.hughes"), ("Grace Tan", "grace.tan"),
              ("Oliver Grant", "oliver.grant"), ("Hannah Moore", "hannah.moore"), ("Lucas Silva", "lucas.silva")]
_TEAM = [("陈静", "Chen Jing", "chen.jing"), ("张强", "Zhang Qiang", "zhang.qiang"), ("周晓雯", "Zoe Zhou", "zhou.xiaowen"),
         ("林嘉怡", "Lin Jiayi", "lin.jiayi"), ("孙浩", "Sun Hao", "sun.hao"), ("Tom Baker", "Tom Baker", "tom"),
         ("王磊", "Wang Lei", "wang.lei"), ("刘思远", "Liu Siyuan", "liu.siyuan"), ("Anna Schmidt", "Anna Schmidt", "anna"),
         ("郑雨", "Zheng Yu", "zheng.yu")]

_ZH_COMPANIES = [("华锦零售", "huajin"), ("麦穗坊食品", "maisuifang"), ("云帆物流", "yunfan"), ("澜海科技", "lanhai"),
                 ("青禾教育", "qinghe"), ("鼎泰地产", "dingtai"), ("星河文旅", "xinghe"), ("瑞康医疗", "ruikang"),
                 ("恒远汽车", "hengyuan"), ("启明金融", "qiming"), ("绿野农业", "lvye"), ("锦程旅游", "jincheng"),
                 ("东方美妆", "dfmeizhuang"), ("天工家居", "tiangong")]
_HANT_COMPANIES = [("永信建设", "yongxin"), ("日昇茶业", "risheng"), ("光华书局", "guanghua"), ("宏达精密", "hongda"),
                   ("海韵饭店", "haiyun")]
_EN_COMPANIES = [("Acme Outdoor", "acme-outdoor", "America/New_York"), ("Northwind Foods", "northwind", "Europe/London"),
                 ("Bluebird Health", "bluebird", "Asia/Singapore"), ("Harbor Logistics", "harbor", "America/Chicago"),
                 ("Maple Learning", "maple", "America/Toronto"), ("Crescent Hotels", "crescent", "Asia/Singapore"),
                 ("Summit Bikes", "summit", "Europe/Berlin"), ("Orchard Bank", "orchard", "Asia/Hong_Kong")]

# What a project builds: (zh name, en name, zh deliverables, en deliverables, zh milestones, en milestones). The
# deliverables go in the order of the milestones they are work towards (`Generator._project` spreads them
# evenly over all but the last milestone, which no mail of the span signs off).
_KINDS = [
    ("官网改版", "website redesign", ["需求文档", "交互原型", "首页设计稿", "内页设计稿", "移动端适配稿", "测试报告"],
     ["requirements document", "clickable prototype", "homepage mockups", "inner page designs", "mobile layouts", "test report"],
     ["需求确认", "首页设计", "内页设计", "开发完成", "上线"], ["Requirements sign-off", "Homepage design", "Inner pages", "Development complete", "Launch"]),
    ("会员小程序", "loyalty app", ["原型图", "积分规则说明", "UI设计稿", "接口文档", "测试版", "UAT测试用例"],
     ["wireframes", "points rules spec", "UI designs", "API documentation", "beta build", "UAT test cases"],
     ["原型确认", "UI定稿", "UAT验收", "正式上线"], ["Wireframes approved", "UI final", "UAT sign-off", "Go-live"]),
    ("品牌升级", "brand refresh", ["品牌调研报告", "品牌定位方案", "竞品分析", "logo方案", "辅助图形", "标准色方案"],
     ["brand research report", "positioning statement", "competitor analysis", "logo concepts", "graphic elements", "colour system"],
     ["策略确认", "logo定稿", "品牌手册交付"], ["Strategy agreed", "Logo final", "Guidelines delivered"]),
    ("宣传片制作", "brand video", ["脚本", "分镜", "拍摄计划", "粗剪版", "精剪版", "字幕文件"],
     ["script", "storyboard", "shooting schedule", "rough cut", "fine cut", "subtitle file"],
     ["脚本确认", "拍摄完成", "成片交付"], ["Script approved", "Shoot wrapped", "Final delivery"]),
    ("电商平台", "online shop", ["后台原型", "数据迁移方案", "商品详情页模板", "购物车流程图", "支付对接方案", "压力测试报告"],
     ["admin prototype", "data migration plan", "product page template", "checkout flow", "payment integration plan", "load test report"],
     ["方案确认", "前端完成", "联调完成", "上线"], ["Plan agreed", "Front end done", "Integration done", "Launch"]),
]
_ZH_MATERIALS = ["品牌素材和logo源文件", "产品图片", "首页文案", "服务器登录信息", "测试账号", "门店清单", "合同盖章版",
                 "历史数据导出", "域名解析权限", "会员等级规则", "高清产品照片", "营业执照扫描件"]
_EN_MATERIALS = ["brand assets and logo files", "product photos", "homepage copy", "server credentials", "test accounts",
                 "store list", "signed contract", "data export", "DNS access", "membership tier rules", "hi-res photos",
                 "legal disclaimer text"]
_ZH_ASKS = ["项目排期表", "报价单", "会议纪要", "上线清单", "本月周报", "发票", "原型链接", "测试环境地址", "验收清单"]
_EN_ASKS = ["project schedule", "quote", "meeting notes", "launch checklist", "monthly report", "invoice", "prototype link",
            "staging URL", "acceptance checklist"]
_ZH_FEATURES = ["会员登录入口", "在线预约功能", "英文版", "门店地图", "视频背景", "客服聊天窗口", "优惠券模块", "积分商城",
                "微信分享卡片", "数据看板"]
_EN_FEATURES = ["member login", "online booking form", "Chinese version", "store locator", "video banner", "live chat widget",
                "coupon module", "gift card page", "newsletter signup", "reporting dashboard"]
_ZH_PAGES = ["首页", "会员中心", "产品页", "活动页", "关于我们页面", "结算页"]
_EN_PAGES = ["homepage", "account area", "product page", "campaign page", "About page", "checkout"]
_ZH_ASPECTS = ["字体", "配色", "首屏图片", "按钮样式", "导航", "留白", "图标", "动效"]
_EN_ASPECTS = ["font size", "colour palette", "hero image", "button style", "navigation", "spacing", "icons", "animation"]
_ZH_RISKS = ["服务器还没开通，可能影响上线。", "接口文档迟迟没有收到，进度有点紧。", "{m}还没收到，可能会影响{ms}。",
             "第三方支付的审核还没下来，恐怕要晚几天。", ""]
_EN_RISKS = ["We're still blocked on the {m}.", "The payment provider hasn't approved us yet, so the {ms} might slip a few days.",
             "We haven't received the {m}, which puts the {ms} at risk.", ""]

_TITLES_EN = {"项目经理": "Project Manager", "设计总监": "Design Director", "技术负责人": "Tech Lead", "客户经理": "Account Manager",
              "市场部经理": "Marketing Manager", "品牌总监": "Brand Director", "产品经理": "Product Manager",
              "副总经理": "Deputy General Manager", "IT主管": "IT Lead", "市場部經理": "Marketing Manager", "品牌總監": "Brand Director",
              "產品經理": "Product Manager", "副總經理": "Deputy General Manager"}

# The mail programs: how they quote, prefix replies, and encode.
_ZH_CLIENTS = ["outlook-zh", "foxmail", "gmail-zh", "outlook-zh", "iphone-zh"]
_HANT_CLIENTS = ["outlook-hant", "gmail-zh", "outlook-hant", "iphone-zh"]
_EN_CLIENTS = ["outlook-en", "gmail-en", "iphone-en", "outlook-en"]
_MAILERS = {"outlook-zh": "Microsoft Outlook 16.0", "outlook-hant": "Microsoft Outlook 16.0", "outlook-en": "Microsoft Outlook 16.0",
            "foxmail": "Foxmail 7.2.25.228[cn]", "gmail-zh": None, "gmail-en": None, "iphone-zh": "iPhone Mail (21E236)",
            "iphone-en": "iPhone Mail (21E236)"}
_REPLY_PREFIX = {"outlook-zh": "答复: ", "outlook-hant": "回覆: ", "outlook-en": "RE: ", "foxmail": "回复：", "gmail-zh": "Re: ",
                 "gmail-en": "Re: ", "iphone-zh": "Re: ", "iphone-en": "Re: "}


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    party: str  # client | us
    program: str  # the mail program: how this person quotes and encodes
    title: str
    company: str
    phone: str
    timezone: str = ""  # for stakeholders outside Shanghai

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone) if self.timezone else SHANGHAI

    @property
    def first(self) -> str:
        """How a colleague addresses this person in a greeting."""
        if self.name.isascii():
            return self.name.split()[0]
        return self.name[0] + ("总" if "总" in self.title else "经理")


@dataclass
class Project:
    key: str
    name: str
    language: str  # zh | en | zh-Hant
    company: str
    domain: str
    clients: list[Person]
    team: list[Person]
    milestones: list[tuple[str, dt.date]]
    deliverables: list[str]
    other_milestones: list[str]  # the same names in the other vocabulary (en for zh projects, zh for en)
    other_deliverables: list[str]
    phase_of: list[int]  # the milestone each deliverable is work towards
    disclaimer: str = ""

    @property
    def writes(self) -> str:
        """The vocabulary: zh (zh-Hant is converted afterwards) or en."""
        return "en" if self.language == "en" else "zh"


@dataclass
class Mail:
    date: dt.datetime
    sender: Person
    to: list[Person]
    cc: list[Person]
    subject: str
    text: str  # the whole plain-text body, quoted history included
    message_id: str
    language: str  # zh | zh-Hant | en
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    auto_reply: bool = False
    project: str = ""

    def raw(self, team_address: str, authserv: str) -> bytes:
        """The message as a mail program writes it. The top headers are written here (the email
        package's header objects cost milliseconds a message); the body is the package's."""
        domain = self.sender.address.partition("@")[2]
        headers = [
            ("From", _address(self.sender)),
            ("To", ",\n ".join(_address(p) for p in self.to)),
            ("Cc", ",\n ".join([_address(p) for p in self.cc] + [team_address])),
            ("Subject", self.subject if self.subject.isascii() else Header(self.subject, "utf-8", header_name="Subject").encode()),
            ("Date", format_datetime(self.date.astimezone(self.sender.zone))),
            ("Message-ID", self.message_id),
        ]
        if self.in_reply_to:
            headers += [("In-Reply-To", self.in_reply_to), ("References", "\n ".join(self.references[-12:]))]
        headers.append(("Authentication-Results", f"{authserv}; spf=pass smtp.mailfrom={domain};\n dkim=pass header.d={domain}; "
                                                  f"dmarc=pass header.from={domain}"))
        mailer = _MAILERS[self.sender.program]
        if mailer:
            headers.append(("X-Mailer", mailer))
        if self.auto_reply:
            headers += [("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")]
        body = EmailMessage()
        program = self.sender.program
        cte = "base64" if program in ("foxmail", "outlook-zh", "outlook-hant") else "quoted-printable" if program == "outlook-en" else "8bit"
        body.set_content(self.text, charset="utf-8", cte=cte)
        if program.startswith("outlook") and not self.auto_reply:
            body.add_alternative(_html(self.text), subtype="html", charset="utf-8", cte="quoted-printable")
        if "MIME-Version" not in body:
            headers.append(("MIME-Version", "1.0"))
        return "".join(f"{name}: {value}\n" for name, value in headers).encode("ascii") + bytes(body)


def _address(person: Person) -> str:
    return formataddr((person.name, person.address), "utf-8")


def _html(text: str) -> str:
    paragraphs = "\n".join(f"<p class=\"MsoNormal\">{html.escape(line) or '&nbsp;'}</p>" for line in text.splitlines())
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n"
            f"<body><div class=\"WordSection1\">\n{paragraphs}\n</div></body></html>\n")


# -- dates in words ---------------------------------------------------------------------------

_ZH_WEEKDAYS = "一二三四五六日"
_EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


def _working_day_after(day: dt.date, days: int) -> dt.date:
    day += dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def zh_date(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def en_date(day: dt.date) -> str:
    return f"{_EN_MONTHS[day.month - 1]} {day.day}"


def due_phrase(rng: random.Random, language: str, at: dt.datetime) -> str:
    """A due date in words, relative to the message's Date or written out."""
    later = _working_day_after(at.date(), rng.randint(3, 18))
    if language == "en":
        return rng.choice(["by Friday", "by next Wednesday", "tomorrow", "by the end of the week", "by the end of the month",
                           f"by {en_date(later)}", f"by {en_date(later)}", "within three working days", "on Monday",
                           "early next week", "by next Tuesday"])
    return rng.choice(["周五前", "本周五前", "下周三前", "明天", "本周内", "月底前", f"{zh_date(later)}前", f"{zh_date(later)}前",
                       "三个工作日内", "下周一", "下周二之前"])


def meeting_phrase(rng: random.Random, language: str, at: dt.datetime) -> str:
    day = _working_day_after(at.date(), rng.randint(1, 7))
    hour = rng.choice([10, 11, 14, 15, 16])
    if language == "en":
        clock = f"{hour}am" if hour < 12 else f"{hour - 12}pm"
        return rng.choice([f"on {_EN_WEEKDAYS[day.weekday()]}, {en_date(day)} at {clock}", f"on {en_date(day)} at {clock}",
                           f"next {_EN_WEEKDAYS[day.weekday()]} at {clock}"])
    part = "上午" if hour < 12 else "下午"
    return rng.choice([f"{zh_date(day)}（周{_ZH_WEEKDAYS[day.weekday()]}）{part}{hour if hour <= 12 else hour - 12}点",
                       f"{zh_date(day)}{part}{hour if hour <= 12 else hour - 12}点",
                       f"下周{_ZH_WEEKDAYS[day.weekday()]}{part}{hour if hour <= 12 else hour - 12}点"])


# -- the sentences ----------------------------------------------------------------------------

# {d} deliverable, {m} material, {x} what the client asks of us, {f} feature, {p} page, {a} aspect, {ms} milestone,
# {due} a due phrase, {date} a date, {when}/{when2} a meeting time, {n} days, {price}, {pct}, {risk}
_SAY: dict[str, dict[str, list[str]]] = {
    "zh": {
        "commit": ["我们{due}把{d}发给您。", "{d}我们争取{due}提交给您。", "我们会在{due}完成{d}，届时发您确认。",
                   "我方{due}提交{d}初稿。", "{d}我们{due}发您，有问题随时沟通。"],
        "commit_ok": ["好的，辛苦了，等你们的{d}。", "好的，没问题。", "收到，期待！", "好的，谢谢。"],
        "deliver": ["{d}已经发给您了，请查收。", "附件是{d}，请查收。", "{d}已上传到共享文件夹，请查收，有问题随时告诉我们。",
                    "{d}已经完成，附件请查收。"],
        "revised": ["根据您的意见修改好了，附件是修改后的{d}，请查收。", "{d}第二版已经发给您了，主要调整了{a}，请查收。"],
        "receipt": ["收到了，谢谢！", "收到，我们内部看一下再回复您。", "{d}收到了，辛苦了。"],
        "feedback": ["{d}整体不错，但是{a}还需要调整一下。", "看了{d}，{a}有点问题，看起来不太专业。", "{d}我们很满意，团队反馈很好。",
                     "整体方向没问题，{a}再优化一下就好。", "{a}不太理想，希望再出一版。"],
        "approve": ["{d}确认通过，可以进入下一步。", "{d}没问题了，就按这个来。", "我们这边确认通过了，辛苦各位！"],
        "thanks": ["收到，谢谢确认！我们接着推进下一步。", "好的，谢谢！"],
        "ask_client": ["请贵方{due}提供{m}，谢谢。", "麻烦{due}把{m}发给我们。", "为了不影响进度，烦请{due}提供{m}。"],
        "client_commit": ["好的，我们{due}发过来。", "没问题，{due}给你们。", "好的，我这边整理一下，{due}发您。"],
        "client_deliver": ["{m}已经发过来了，请查收。", "附件是{m}，请查收。", "{m}已经上传到共享盘了，请查收。"],
        "got_it": ["{m}收到了，谢谢！", "收到了，谢谢。"],
        "client_asks": ["麻烦{due}把{x}发一下，谢谢！", "请你们{due}提供{x}。", "能否{due}把{x}整理一下发给我们？"],
        "will_do": ["好的，{due}发您。", "没问题，我们{due}整理好发过来。"],
        "sent_x": ["{x}已经发给您了，请查收。", "附件是{x}，请查收。"],
        "change": ["能否在{p}增加一个{f}？", "我们希望把{ms}推迟到{date}。", "{p}能不能加一个{f}？老板那边提的需求。",
                   "建议把{ms}的时间调整到{date}，我们这边内部评审来不及。"],
        "assess_later": ["收到，我们评估一下，{due}给您答复。", "好的，我们内部评估一下工作量，{due}回复您。"],
        "assessment": ["评估好了：增加{f}需要额外{n}个工作日，费用{price}元，{ms}相应顺延到{date}。请确认是否执行。",
                       "这个改动我们评估过了，大约{n}个工作日，报价{price}元，请确认。"],
        "accept": ["同意，就按这个来。", "可以，请安排。", "确认，费用没问题。"],
        "reject": ["费用有点高，这个先不做了。", "那先不加了，按原计划推进。"],
        "meet": ["{when}开个会过一下{d}，大家方便吗？", "约个时间讨论一下{d}吧，{when}可以吗？", "{when}我们开个评审会，过一下{d}。"],
        "meet_ok": ["可以，{when}见。", "没问题，准时参加。"],
        "meet_move": ["那天我们有事，{when2}可以吗？", "{when}不太方便，改到{when2}行吗？"],
        "meet_ok2": ["可以，就{when2}。", "好的，那就这么定了。"],
        "update": ["本周进展：{d}已完成{pct}%，预计{due}可以提交。{risk}", "跟您同步一下进度：{d}正在进行中。{risk}"],
        "update_ok": ["了解，谢谢同步。", "好的，有问题随时沟通。", "服务器的事我们这边催一下。"],
        "away": ["您好，我正在休假，{date}返回，期间邮件回复可能不及时。紧急事项请联系{other}。", "我目前外出，{date}回来后会尽快回复您。"],
    },
    "en": {
        "commit": ["We'll send the {d} {due}.", "We will deliver the {d} {due}.", "I'll have the {d} ready {due}.",
                   "You'll have the first draft of the {d} {due}."],
        "commit_ok": ["Sounds good, thanks.", "Great, looking forward to it.", "Perfect, thanks!"],
        "deliver": ["Attached is the {d}.", "Please find the {d} attached.", "The {d} is done and uploaded to the shared folder.",
                    "Here is the {d} as promised."],
        "revised": ["Attached is the revised {d}, with your comments addressed.", "Here's version 2 of the {d}; we reworked the {a}."],
        "receipt": ["Got it, thanks!", "Received, we'll review internally and get back to you.", "Thanks, we have the {d}."],
        "feedback": ["The {d} looks great, but the {a} is a bit off.", "Love the {d}, really clean.",
                     "We're not happy with the {a} yet; it doesn't feel premium.", "Overall a good direction, just tweak the {a}."],
        "approve": ["Approved, go ahead with the {d}.", "We're happy to sign off on the {d}.", "All good from our side, approved."],
        "thanks": ["Thanks for the sign-off, we'll move on to the next step.", "Great, thank you!"],
        "ask_client": ["Could you send us the {m} {due}?", "Please send the {m} {due}.", "To stay on schedule we need the {m} {due}."],
        "client_commit": ["Sure, we'll send them {due}.", "No problem, you'll have them {due}."],
        "client_deliver": ["Attached are the {m}.", "The {m} are in the shared folder now.", "Here are the {m}."],
        "got_it": ["Got the {m}, thanks!", "Received, thank you."],
        "client_asks": ["Could you send us the {x} {due}?", "Please share the {x} {due}.", "Can you put together the {x} {due}?"],
        "will_do": ["Sure, will do {due}.", "No problem, we'll send it {due}."],
        "sent_x": ["Here is the {x}.", "Attached is the {x}."],
        "change": ["Could we add a {f} to the {p}?", "Can we push the {ms} back to {date}?", "We'd like a {f} on the {p}, our CEO asked for it.",
                   "We need to move the {ms} to {date}, our internal review won't be done in time."],
        "assess_later": ["Thanks, we'll assess it and get back to you {due}.", "Let us look at the effort and reply {due}."],
        "assessment": ["We've looked at it: the {f} adds {n} working days and ${price}; the {ms} would move to {date}. Please confirm.",
                       "Our estimate is {n} working days, ${price}. Let us know if we should go ahead."],
        "accept": ["Approved, go ahead.", "OK, please schedule it.", "Confirmed, the cost is fine."],
        "reject": ["That's more than we budgeted, let's leave it out for now.", "Let's skip it and stick to the plan."],
        "meet": ["Can we meet {when} to go through the {d}?", "Let's have a quick call {when} about the {d}.",
                 "Are you free {when} for a review of the {d}?"],
        "meet_ok": ["That works, see you then.", "Sure, I'll send the dial-in."],
        "meet_move": ["I can't make that, does {when2} work?", "{when} is difficult for us, could we do {when2}?"],
        "meet_ok2": ["{when2} works for me.", "Perfect, see you then."],
        "update": ["Weekly update: the {d} is {pct}% done and should be with you {due}. {risk}",
                   "Quick status: we're working on the {d}. {risk}"],
        "update_ok": ["Thanks for the update.", "Thanks for the heads-up, keep us posted."],
        "away": ["I am out of the office until {date} with limited access to email. For urgent matters please contact {other}.",
                 "Thank you for your message. I'm away until {date} and will reply when I'm back."],
    },
}


# -- the generator ----------------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int, projects: int, messages: int) -> None:
        self.rng = random.Random(seed)
        self.team_config = team_section()
        team_domain = str(self.team_config["domains"][0])
        self.team_address = str(self.team_config["address"])
        self.authserv = str(self.team_config.get("trusted_authserv_id", "mx." + team_domain))
        days = messages / (PER_PROJECT_PER_DAY * projects) * 7 / 5  # calendar days, weekends included
        self.span = dt.timedelta(days=max(days, 14))
        self.start = END - self.span
        rng = self.rng
        self.team = [Person(zh if rng.random() < 0.7 else en, f"{local}@{team_domain}", "us", rng.choice(_ZH_CLIENTS[:3] + ["gmail-en"]),
                            rng.choice(["项目经理", "设计总监", "技术负责人", "客户经理"]), str(self.team_config.get("name", "Studio")),
                            f"139 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}") for zh, en, local in _TEAM]
        self.projects = [self._project(i) for i in range(projects)]
        self.sequence = 0

    def _project(self, index: int) -> Project:
        rng = self.rng
        language = "en" if index % 3 == 1 else "zh-Hant" if index % 6 == 5 else "zh"
        kind = _KINDS[index % len(_KINDS)]
        if language == "en":
            company, slug, zone = _EN_COMPANIES[(index // 3) % len(_EN_COMPANIES)]
            people, programs, titles = _EN_PEOPLE, _EN_CLIENTS, ["Marketing Manager", "Head of Digital", "Product Owner", "CEO"]
            name = f"{company} {kind[1]}"
            deliverables, other_deliverables = kind[3], kind[2]
            milestone_names, other_milestones = kind[5], kind[4]
        else:
            if language == "zh-Hant":
                company, slug = _HANT_COMPANIES[(index // 6) % len(_HANT_COMPANIES)]
                people, programs = _HANT_PEOPLE, _HANT_CLIENTS
                zone = "Asia/Taipei"
            else:
                company, slug = _ZH_COMPANIES[index % len(_ZH_COMPANIES)]
                people, programs = _ZH_PEOPLE, _ZH_CLIENTS
                zone = ""
            titles = ["市场部经理", "品牌总监", "产品经理", "副总经理", "IT主管"]
            name = company + kind[0]
            deliverables, other_deliverables = kind[2], kind[3]
            milestone_names, other_milestones = kind[4], kind[5]
        round_ = index // 14
        domain = f"{slug}{round_ or ''}.example"
        chosen = rng.sample(people, rng.randint(2, 4))
        clients = [Person(n, f"{local}@{domain}", "client", rng.choice(programs), rng.choice(titles), company,
                          f"{rng.randint(130, 189)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}", zone)
                   for n, local in chosen]
        team = rng.sample(self.team, rng.randint(2, 3))
        # The milestones worked towards are spread over the span, in order; the last one (the
        # launch, the delivery) is due a few weeks after the newest mail, so every project is
        # still running at the end, as in a studio's steady state, and its work goes phase by
        # phase: the deliverables of one milestone are promised, sent and signed off before it.
        working = len(milestone_names) - 1
        milestones = [(ms, _working_day_after((self.start + self.span * ((i + 1) / working * 0.97)).date(), rng.randint(0, 4)))
                      for i, ms in enumerate(milestone_names[:-1])]
        milestones.append((milestone_names[-1], _working_day_after(END.date(), rng.randint(20, 40))))
        phase_of = [j * working // len(deliverables) for j in range(len(deliverables))]
        disclaimer = ""
        if rng.random() < 0.4:
            disclaimer = ("This email and any attachments are confidential and intended solely for the addressee." if language == "en"
                          else "本邮件及其附件可能包含保密信息，仅供指定收件人使用。如您误收本邮件，请立即通知发件人并删除。")
        project = Project(f"p{index + 1:02d}-{slug}", name, language, company, domain, clients, team, milestones, list(deliverables),
                          list(other_milestones), list(other_deliverables), phase_of, disclaimer)
        if language == "zh-Hant":
            project.name = hant(project.name)
            project.company = hant(company)
            project.clients = [_hant_person(p) for p in clients]
            project.milestones = [(hant(n), d) for n, d in milestones]
            project.deliverables = [hant(d) for d in deliverables]
        return project

    # -- threads ----------------------------------------------------------------------------

    def threads(self, total: int) -> list[Mail]:
        """`total` messages of threads started at random moments over the span, in Date order."""
        mails: list[Mail] = []
        scenarios = [(self._deliverable, 30), (self._material, 14), (self._client_ask, 12), (self._change, 14),
                     (self._meeting, 14), (self._update, 10)]
        functions, weights = zip(*scenarios, strict=True)
        while len(mails) < total:
            project = self.rng.choice(self.projects)
            at = self._working_time(self.start + self.span * self.rng.random())
            thread = self.rng.choices(functions, weights)[0](project, at)
            mails.extend(thread[: total - len(mails)])
        mails.sort(key=lambda m: (m.date, m.message_id))
        return mails

    def _working_time(self, at: dt.datetime) -> dt.datetime:
        """`at` moved forward into working hours (09-20 Shanghai, Monday to Friday); never earlier."""
        rng = self.rng
        at = at.astimezone(SHANGHAI)
        if at.hour >= 20:
            at = (at + dt.timedelta(days=1)).replace(hour=rng.randint(9, 11), minute=rng.randint(0, 59))
        elif at.hour < 9:
            at = at.replace(hour=rng.randint(9, 11), minute=rng.randint(0, 59))
        while at.weekday() >= 5:
            at += dt.timedelta(days=1)
        return at.replace(second=rng.randint(0, 59), microsecond=0)

    def _later(self, at: dt.datetime, low_hours: float = 0.3, high_hours: float = 50) -> dt.datetime:
        return self._working_time(at + dt.timedelta(hours=self.rng.uniform(low_hours, high_hours)))

    def _words(self, project: Project, at: dt.datetime, language: str) -> dict[str, str]:
        rng = self.rng
        zh = language != "en"
        own = zh == (project.writes == "zh")  # False: a thread in the project's other language
        phase = next((i for i, (_, due) in enumerate(project.milestones) if due >= at.date()), len(project.milestones) - 1)
        target = phase if rng.random() < 0.7 else len(project.milestones) - 1  # the next milestone, or the launch
        ms = project.milestones[target][0] if own else project.other_milestones[target]
        later = _working_day_after(max(project.milestones[target][1], at.date()), rng.randint(5, 15))  # a milestone moved
        working = min(phase, len(project.milestones) - 2)
        candidates = [j for j, p in enumerate(project.phase_of) if p == working] if rng.random() < 0.85 else \
            [j for j, p in enumerate(project.phase_of) if p <= working]
        deliverable = rng.choice(candidates or list(range(len(project.deliverables))))
        risk = rng.choice(_ZH_RISKS if zh else _EN_RISKS) if rng.random() < 0.4 else ""
        words = {
            "d": project.deliverables[deliverable] if own else project.other_deliverables[deliverable],
            "m": rng.choice(_ZH_MATERIALS if zh else _EN_MATERIALS),
            "x": rng.choice(_ZH_ASKS if zh else _EN_ASKS),
            "f": rng.choice(_ZH_FEATURES if zh else _EN_FEATURES),
            "p": rng.choice(_ZH_PAGES if zh else _EN_PAGES),
            "a": rng.choice(_ZH_ASPECTS if zh else _EN_ASPECTS),
            "ms": ms,
            "due": due_phrase(rng, "en" if not zh else "zh", at),
            "date": zh_date(later) if zh else en_date(later),
            "when": meeting_phrase(rng, "zh" if zh else "en", at),
            "when2": meeting_phrase(rng, "zh" if zh else "en", at + dt.timedelta(days=2)),
            "n": str(rng.randint(2, 15)),
            "price": f"{rng.randint(3, 60) * 1000:,}" if not zh else str(rng.randint(3, 60) * 1000),
            "pct": str(rng.randint(3, 9) * 10),
        }
        words["risk"] = risk.format(**words)
        return words

    def _thread(self, project: Project, at: dt.datetime, subject: str, steps: list[tuple[str, str]],
                words: dict[str, str] | None = None) -> list[Mail]:
        """One thread: each step is (side, what), side `us` or `client`; the same words throughout."""
        rng = self.rng
        language = project.language
        if rng.random() < 0.05:  # now and then a message in the other language
            language = "zh" if language == "en" else "en"
        words = words or self._words(project, at, language)
        client = rng.choice(project.clients)
        us = project.team[0] if rng.random() < 0.7 else rng.choice(project.team)
        mails: list[Mail] = []
        away: list[Mail] = []
        base_subject = subject.format(**words)
        if project.language == "zh-Hant" and language != "en":
            base_subject = hant(base_subject)
        for index, (side, what) in enumerate(steps):
            if index:
                at = self._later(at)
            if side == "us":
                sender = us if rng.random() < 0.85 else rng.choice(project.team)
                to = [client] + ([p for p in project.clients if p != client][:1] if rng.random() < 0.4 else [])
                cc = [p for p in project.team if p != sender][:1]
            else:
                sender = client if rng.random() < 0.85 else rng.choice(project.clients)
                to = [us]
                cc = [p for p in project.clients if p != sender][: rng.randint(0, 2)] + [p for p in project.team if p != us][:1]
            text_language = "en" if language == "en" else "zh"
            sentence = rng.choice(_SAY[text_language][what]).format(**words)
            previous = mails[-1] if mails else None
            body = self._body(project, sender, previous.sender if previous else to[0], sentence, text_language)
            message_language = text_language if not (project.language == "zh-Hant" and text_language == "zh") else "zh-Hant"
            if message_language == "zh-Hant":
                body = hant(body)
            if previous is not None:
                body += self._quote(previous, sender)
            subject_now = base_subject if previous is None else _REPLY_PREFIX[sender.program] + base_subject
            mail = Mail(at, sender, to, cc, subject_now, body, self._message_id(sender, at), message_language, project=project.key)
            if previous is not None:
                mail.in_reply_to = previous.message_id
                mail.references = previous.references + [previous.message_id]
            mails.append(mail)
            if side == "us" and rng.random() < 0.012:  # the client is away: an auto-reply, never answered
                away.append(self._away(project, client, mail, text_language))
        return mails + away

    def _away(self, project: Project, person: Person, answered: Mail, language: str) -> Mail:
        at = answered.date + dt.timedelta(seconds=self.rng.randint(5, 90))
        back = _working_day_after(at.date(), self.rng.randint(2, 8))
        others = [p for p in project.clients if p != person] or project.team
        text = self.rng.choice(_SAY[language]["away"]).format(date=zh_date(back) if language == "zh" else en_date(back),
                                                              other=f"{others[0].name} <{others[0].address}>")
        if project.language == "zh-Hant" and language == "zh":
            text = hant(text)
        prefix = "自动回复：" if language == "zh" else "Automatic reply: "
        mail = Mail(at, person, [answered.sender], [], prefix + answered.subject, text + "\n", self._message_id(person, at),
                    answered.language, answered.message_id, answered.references + [answered.message_id], auto_reply=True,
                    project=project.key)
        return mail

    def _body(self, project: Project, sender: Person, reader: Person, sentence: str, language: str) -> str:
        rng = self.rng
        words = _ZH if language == "zh" else _EN
        template = rng.choice(words["greeting"])
        name = reader.name[0] if "老师" in template and not reader.name.isascii() else reader.first  # 陈老师, not 陈经理老师
        greeting = template.format(name=name)
        closing = rng.choice(words["closing"])
        lines = [greeting, "", sentence]
        if rng.random() < 0.2:
            lines.append(rng.choice(["有问题随时联系我。", "我们保持沟通。"] if language == "zh" else
                                    ["Let me know if anything is unclear.", "Happy to jump on a call if needed."]))
        lines += ["", closing, "", self._signature(sender, language)]
        if project.disclaimer and sender.party == "client" and rng.random() < 0.8:
            lines += ["", project.disclaimer]
        return "\n".join(lines) + "\n"

    def _signature(self, person: Person, language: str) -> str:
        title = _TITLES_EN.get(person.title, person.title) if language == "en" else person.title
        if person.program.startswith("iphone"):
            return person.name + ("\n发自我的iPhone" if language == "zh" else "\nSent from my iPhone")
        if language == "zh":
            return f"--\n{person.name}\n{person.title} | {person.company}\n手机：{person.phone}"
        return f"--\n{person.name}\n{title}, {person.company}\n{person.phone}"

    @staticmethod
    def _quote(previous: Mail, replier: Person) -> str:
        """The previous message quoted below the reply, as the replier's mail program does it."""
        p = previous.sender
        when = previous.date.astimezone(p.zone)
        program = replier.program
        text = previous.text.rstrip("\n")
        to = "; ".join(f"{x.name} <{x.address}>" for x in previous.to)
        if program == "outlook-zh":
            return (f"\n-----原始邮件-----\n发件人: {p.name} <{p.address}>\n发送时间: {when.year}年{when.month}月{when.day}日 "
                    f"{when:%H:%M}\n收件人: {to}\n主题: {previous.subject}\n\n{text}\n")
        if program == "outlook-hant":
            return (f"\n-----原始郵件-----\n寄件者: {p.name} <{p.address}>\n寄件日期: {when.year}年{when.month}月{when.day}日 "
                    f"{when:%H:%M}\n收件者: {to}\n主旨: {previous.subject}\n\n{text}\n")
        if program == "foxmail":
            part = "上午" if when.hour < 12 else "下午"
            return (f"\n\n------------------ 原始邮件 ------------------\n发件人: \"{p.name}\"<{p.address}>;\n"
                    f"发送时间: {when.year}年{when.month}月{when.day}日(星期{_ZH_WEEKDAYS[when.weekday()]}) {part}{when:%I:%M}\n"
                    f"收件人: {to};\n主题: {previous.subject}\n\n{text}\n")
        quoted = "\n".join(("> " + line) if line else ">" for line in text.splitlines())
        if program in ("gmail-zh", "iphone-zh"):
            return (f"\n在 {when.year}年{when.month}月{when.day}日 周{_ZH_WEEKDAYS[when.weekday()]} {when:%H:%M}，"
                    f"{p.name} <{p.address}> 写道：\n{quoted}\n")
        if program == "outlook-en":
            return (f"\nFrom: {p.name} <{p.address}>\nSent: {_EN_WEEKDAYS[when.weekday()]}, {en_date(when.date())}, "
                    f"{when.year} {when:%I:%M %p}\nTo: {to}\nSubject: {previous.subject}\n\n{text}\n")
        return (f"\nOn {when:%a}, {when:%b} {when.day}, {when.year} at {when:%I:%M %p}, {p.name} <{p.address}> wrote:\n"
                f"{quoted}\n")

    def _message_id(self, sender: Person, at: dt.datetime) -> str:
        self.sequence += 1
        domain = sender.address.partition("@")[2]
        token = f"{self.rng.getrandbits(64):016X}"
        if sender.program.startswith("gmail"):
            return f"<CA{token}{self.sequence:06d}@mail.gmail.com>"
        if sender.program.startswith("outlook"):
            return f"<{token[:8]}.{at:%Y%m%d%H%M%S}.{self.sequence}@EXMB01.{domain}>"
        return f"<{at:%Y%m%d%H%M%S}{self.sequence:06d}.{token[:10]}@{domain}>"

    # -- scenarios --------------------------------------------------------------------------

    def _deliverable(self, project: Project, at: dt.datetime) -> list[Mail]:
        rng = self.rng
        steps = [("us", "commit")]
        if rng.random() < 0.4:
            steps.append(("client", "commit_ok"))
        steps.append(("us", "deliver"))
        if rng.random() < 0.5:
            steps += [("client", "feedback"), ("us", "revised")]
        steps.append(("client", rng.choice(["receipt", "approve", "approve"])))
        if steps[-1][1] == "approve" and rng.random() < 0.5:
            steps.append(("us", "thanks"))
        zh = project.writes == "zh"
        subject = rng.choice(["{d}", "关于{d}", "{d}进度"] if zh else ["{d}", "{d} for review", "{d} - next steps"])
        if rng.random() < 0.3:
            subject = f"{project.name}：{subject}" if zh else f"{project.name}: {subject}"
        return self._thread(project, at, subject, steps)

    def _material(self, project: Project, at: dt.datetime) -> list[Mail]:
        steps = [("us", "ask_client")]
        if self.rng.random() < 0.6:
            steps.append(("client", "client_commit"))
        steps += [("client", "client_deliver"), ("us", "got_it")]
        return self._thread(project, at, "需要贵方提供{m}" if project.writes == "zh" else "{m} needed", steps)

    def _client_ask(self, project: Project, at: dt.datetime) -> list[Mail]:
        steps = [("client", "client_asks"), ("us", "will_do"), ("us", "sent_x")]
        if self.rng.random() < 0.6:
            steps.append(("client", "got_it"))
        return self._thread(project, at, "{x}" if project.writes == "zh" else "{x}?", steps)

    def _change(self, project: Project, at: dt.datetime) -> list[Mail]:
        steps = [("client", "change"), ("us", "assess_later"), ("us", "assessment"),
                 ("client", "accept" if self.rng.random() < 0.65 else "reject")]
        return self._thread(project, at, "关于{p}的调整" if project.writes == "zh" else "Change to the {p}", steps)

    def _meeting(self, project: Project, at: dt.datetime) -> list[Mail]:
        first = self.rng.choice(["us", "client"])
        other = "client" if first == "us" else "us"
        steps = [(first, "meet")]
        steps += [(other, "meet_ok")] if self.rng.random() < 0.6 else [(other, "meet_move"), (first, "meet_ok2")]
        return self._thread(project, at, "{d}评审会" if project.writes == "zh" else "Review meeting: {d}", steps)

    def _update(self, project: Project, at: dt.datetime) -> list[Mail]:
        steps = [("us", "update")]
        if self.rng.random() < 0.6:
            steps.append(("client", "update_ok"))
        week = at.isocalendar().week
        return self._thread(project, at, f"{project.name}周报（第{week}周）" if project.writes == "zh"
                            else f"{project.name}: weekly update (week {week})", steps)


def _hant_person(person: Person) -> Person:
    return Person(hant(person.name), person.address, person.party, person.program, hant(person.title), hant(person.company),
                  person.phone, person.timezone)


@dataclass
class Corpus:
    projects: list[Project]
    team: dict[str, str | list[str]]
    messages: list[Mail]
    team_address: str
    authserv: str
    start: dt.datetime

    def raw(self, mail: Mail) -> bytes:
        return mail.raw(self.team_address, self.authserv)

    def config_toml(self, store: str = "mailbot.db", outbox: str = "outbox") -> str:
        """The studio and every project, with `answer_since` at the first message (so mail is
        answered as it would be live) and a loop-safety limit that lets it be."""
        def q(value: object) -> str:  # a TOML basic string (or array of them) is written as JSON writes it
            return json.dumps(value, ensure_ascii=False)

        team = self.team
        lines = ["# Generated by bench/scale.py: the demo's studio and its client projects.", "", "[team]"]
        for key in ("name", "address", "timezone", "language", "trusted_authserv_id"):
            if key in team:
                lines.append(f"{key} = {q(team[key])}")
        lines.append(f"domains = {q(list(team['domains']))}")
        lines += ["", "[store]", f"path = {q(store)}", "", "[outbox]", f"maildir = {q(outbox)}",
                  f"answer_since = {q(self.start.date().isoformat())}", "per_address_per_hour = 1000"]
        for project in self.projects:
            lines += ["", "[[projects]]", f"key = {q(project.key)}", f"name = {q(project.name)}",
                      f"language = {q('en' if project.language == 'en' else 'zh')}", f"client_domains = {q([project.domain])}",
                      "digest = { weekday = \"monday\", time = \"09:00\" }", "stakeholders = ["]
            for person in project.clients + project.team:
                zone = f", timezone = {q(person.timezone)}" if person.timezone else ""
                lines.append(f"  {{ name = {q(person.name)}, address = {q(person.address)}, party = {q(person.party)}{zone} }},")
            lines += ["]", "milestones = ["]
            lines += [f"  {{ name = {q(name)}, due = {q(day.isoformat())} }}," for name, day in project.milestones]
            lines.append("]")
        return "\n".join(lines) + "\n"


def generate(messages: int, seed: int = 1, projects: int = 12) -> Corpus:
    generator = Generator(seed, projects, messages)
    mails = generator.threads(messages)
    return Corpus(generator.projects, generator.team_config, mails, generator.team_address, generator.authserv, generator.start)
