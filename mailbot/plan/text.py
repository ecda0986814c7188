"""How the plan compares what people wrote: overlap, and the words of schedules, asks and impact.

Content terms themselves (`terms`, `cue`) are in `mailbot.terms`, where the store's index of
items by term can reach them; they are re-exported here for the plan.
"""

from __future__ import annotations

import functools
import re

from mailbot.terms import Cue as Cue  # the plan reads its word tools from here; terms live in mailbot.terms for the store's index
from mailbot.terms import cue as cue
from mailbot.terms import terms as terms
from parsing import patterns as rx
from parsing.hanzi import simplified

_NOISE = rx.compile(r"[\W_]+", re.UNICODE)


def normal(text: str) -> str:
    """Letters and digits only, case folded: for "is this the same sentence?" (a clause's or an
    item's is remembered, a whole mail's is not)."""
    return _normal_remembered(text) if len(text) <= 1_000 else _normal(text)


def _normal(text: str) -> str:
    return _NOISE.sub("", simplified(text).casefold())


_normal_remembered = functools.lru_cache(maxsize=16_384)(_normal)


# Terms of asking and delivering that every item shares ("确认", "提交", "send"): never what makes two
# clauses name the same piece of work.
ACTION_TERMS = {
    "确认", "认通", "通过", "验收", "签字", "确定", "提供", "提交", "发送", "回复", "反馈", "完成", "修改", "处理", "安排", "准备",
    "approve", "approved", "approval", "sign", "sign-off", "signed", "confirm", "confirmed", "review", "provide", "submit",
    "deliver", "delivered", "finish", "finished", "complete", "completed", "check", "share", "fix", "fixed",
}


def numbers(text: str) -> set[str]:
    """The numbers a text names: "第3个" and "第4个" are different things."""
    return set(re.findall(r"\d+", text))


def sentence_of(body: str, clause: str) -> str:
    """The sentence (up to its line) of `body` that holds `clause`: what it says around it."""
    at = body.find(clause)
    if at < 0:
        return clause
    start = max(body.rfind(mark, 0, at) for mark in ("\n", "。", ". ", "！", "？", "!", "?")) + 1
    ends = [e for e in (body.find(mark, at + len(clause)) for mark in ("\n", "。", "！", "？")) if e >= 0]
    end = min(ends) if ends else len(body)
    return body[start:end + 1].strip() or clause


def similarity(a: str, b: str) -> float:
    """How much two clauses say the same: 1.0 when one contains the other, else the Dice
    coefficient of their content terms."""
    x, y = normal(a), normal(b)
    if not x or not y:
        return 0.0
    if x in y or y in x:
        return 1.0
    ta, tb = terms(a), terms(b)
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


# Words of schedules: a clause that moves or keeps a date ("顺延到4月24日", "push go-live to the
# 26th", "时间保持不变") is about the plan's dates, not a piece of work.
SCHEDULE = cue(
    r"时间|日期|节点|顺延|推迟|延期|延后|提前|改到|改在|改成|挪到|调整到|延到|推到|保持不变|不变|维持|排期|工期|"
    r"\b(?:dates?|deadline|schedule[ds]?|timeline|postpone[ds]?|delay(?:ed|s)?|move[ds]?|moving|push(?:ed|ing)? (?:back|out)?|"
    r"slip(?:s|ped)?|bring (?:it )?forward|reschedul\w*|instead of|stays|keep)\b",
    re.I,
)

# A new date for the same thing: "on Tuesday 3 March instead of this Friday", "改到下周一".
RESCHEDULE = cue(
    r"改到|改成|改为|顺延|推迟|延期|延后|延到|推到|挪到|提前到|调整到|最晚|"
    r"\b(?:instead of|rather than|now be|will now|mov(?:e|ed|es|ing)\b[^.;]{0,40}\b(?:to|from)|push(?:ed|ing)? (?:it |\w+ )?(?:back|out)|"
    r"push(?:ed|ing)? (?:it )?to|slip(?:s|ped|ping)?|postpon\w*|delay(?:ed|ing)? (?:to|until|by)|bring (?:it |\w+ )?forward|"
    r"new date|by the \w+ instead|later than planned|not until|reschedul\w*)\b",
    re.I,
)

# A date kept as it is: also talk about the schedule, never a piece of work.
KEEPS = cue(r"保持不变|不变(?!化)|维持|照旧|按原|还是按|\b(?:stays|remains|unchanged|as planned|still on|keep (?:the|it)|stick (?:to|with))\b", re.I)


def moves_dates(text: str) -> bool:
    """Whether a clause moves a date or keeps one ("顺延到4月24日", "上线时间不变", "stays on the 19th")."""
    return RESCHEDULE.search(text) is not None or KEEPS.search(text) is not None


# Asks to assess a change (its cost, its time): part of that change, not a task of its own.
ASKS_ASSESS = cue(r"评估|估一下|估算|报价|工作量|影响大不大|有没有影响|\b(?:estimate|assess|quote|what it would take|how much|impact|cost)\b",
                         re.I)

# Asks after work already promised ("any news on the brochure photos?", "报价单什么时候能发？"): the
# promise chased, not a new ask.
CHASE = cue(r"进展|进度|怎么样了|到哪|有消息吗|有没有消息|什么时候能|还没收到|还没有收到|\b(?:any (?:news|update|progress|word)s? (?:on|about|from)|"
                   r"how(?:'s| is| are) [\w\s-]{1,30} (?:coming|going|getting on)|still waiting|chas\w+|status of)\b", re.I)

# Asks for a satisfaction score: the survey's, never an item.
ASKS_SCORE = cue(r"打个?分|评分|满意度|满意程度|问卷|\b(?:rate|rating|score|survey|nps)\b", re.I)

# Asks whether a time suits: part of the meeting proposal it goes with.
AVAILABILITY = cue(r"方便|有空|有时间|合适吗|可以吗|行吗|时间(?:请|由)[^，。]{0,8}定|定个时间|\b(?:pick a (?:time|date|day)|what time suits)\b|\b(?:available|availability|free|works? for you|suit|convenient)\b", re.I)

# A change that polishes work delivered ("主色再暖一点", "make the button a bit bigger") rather
# than one to scope, requirements or schedule: feedback on the work.
POLISH = cue(
    r"再[\u4e00-\u9fff]{0,3}(?:一点|一些|点)|稍微|稍稍|略微|更[\u4e00-\u9fff]{1,2}一些|"
    r"\b(?:a bit|a little|slightly|a touch|tweak|more prominent|less prominent|bigger|smaller|larger|wider|narrower|bolder|clearer|"
    r"brighter|darker|lighter|warmer|cooler|tighter|simpler|more visible)\b",
    re.I,
)
SCOPE = cue(r"增加|新增|加一个|加个|加一级|加上|加到|加进|打通|对接|功能|页面|模块|入口|范围|二期|"
                   r"\b(?:add|adding|new|feature|page|module|integrat\w*|scope|phase|support for)\b", re.I)
# A client asking to extend the work ("能否把快闪店物料也加到这个项目里？", "could we add SSO for
# partners?"): a change request, whatever the sentence looked like.
ASKS_MORE = cue(r"(?:能否|能不能|可否|可不可以|是否可以|could (?:we|you)|can (?:we|you)|would it be possible)[^。？?]{0,40}"
                       r"(?:也|顺便|增加|新增|加(?:到|进|上|一个|个)|打通|对接|\badd\b|\binclude\b|\bintegrat|\bsupport\b)", re.I)
# Words of a sign-off in a subject ("【UI设计定稿】…", "Visual design sign-off").
SIGN_OFF_SUBJECT = cue(r"验收|定稿|确认|签字|终稿|\b(?:sign-?off|approval|approved|final|for review|acceptance)\b", re.I)

# Asks for a piece of work (files, a document, access), which a reply does not answer.
DELIVERABLE = cue(r"发(?:给|过来|一下|我)|寄|提供|上传|出一版|做一版|准备好|交付|\b(?:send|provide|share|upload|deliver|hand over|"
                         r"originals|files|documents?|access|set up|prepare)\b", re.I)

# What a promise delivers: a piece of work handed over, done or decided. A "promise" without one
# ("我们这边可以配合", "we can go through it together", "I'll be in Shanghai on Thursday") is
# courtesy or context, not something a PM tracks.
DELIVERS = cue(
    r"提交|(?<!开)发(?!现|生|展|言)|交付|交给|交到|提供|给(?:你们|您|贵|到|出)|寄|上传|完成|修复|修改|改好|更新|上线|发布|部署|确认|反馈|回复|答复|"
    r"签(?:字|好|署|收|批)|出(?:一版|稿|方案|报价|图)|做好|准备好|整理|汇总|评估|报价|补(?:给|发|上|拍|齐)|测试|审核|验收|开通|配置|处理|"
    r"跟进|落实|拍(?:好|摄)|设计|制作|搭建|申请|申报|核对|检查|录入|导入|预约|订|付款|支付|开票|ready|"
    r"\b(?:send|sent|submit|deliver|provide|share|upload|finish|complete|fix|update|deploy|ship|release|launch|publish|prepare|"
    r"set up|sort out|hand over|handover|get (?:you|it|them|the|that|this|our|your|back)|have (?:it|them|the|that|this|our)\b[^.]{0,30}\b(?:to you|ready|over|done|in|up|live|running|working|sorted|fixed|finished|complete)|"
    r"confirm|sign|approve|review|reply|respond|raise|file|book|schedule|arrange|chase|dig out|run|check|test|draft|write|"
    r"create|design|build|produce|quote|estimate|invoice|pay|order|ready|done|get back|follow up|look into|send over|put together|"
    r"organi[sz]e|collect|compile|translate|record|migrate|configure|install|connect|integrate|implement|add|include|remove|replace|refresh)\b",
    re.I,
)
# Promises about a meeting itself ("周四会上我们再逐条过一遍", "we'll talk it through on Thursday"):
# part of the meeting, not tasks.
AT_A_MEETING = cue(r"会上|会议上|评审会上|见面时|到时候(?:再|当面)|当面|会议链接|腾讯会议|钉钉会议|飞书会议|"
                          r"\b(?:meeting link|invite link|dial-?in|zoom link|teams link|calendar invite)\b|\b(?:on|at|during) the (?:call|meeting|review|session|walkthrough)\b|"
                          r"\b(?:talk|walk|go) (?:it |them |you )?through\b|\bdiscuss\b", re.I)
# Only starting work, not delivering any ("礼品卡本周开始开发", "we start development on Monday").
STARTS = cue(r"开始|启动|着手|\b(?:start(?:s|ing)?|begin(?:s|ning)?|kick off)\b", re.I)


# Saying who does what ("孙浩负责技术开发", "Marcus owns SSO"), or what happens once the other side
# delivers ("我们收到后安排验收签字"): an arrangement, not a promise to track.
ARRANGEMENT = cue(r"负责|由[^，。]{1,6}(?:负责|来做|承担)|收到后|收到以后|拿到后|在[^，。]{1,12}之前先|以[^，。]{1,30}为准|\b(?:responsible for|in charge of|owns|until|"
                         r"once we (?:receive|get|have)|after we (?:receive|get))\b", re.I)


# How the work will be done rather than what is handed over ("we'll design and test mobile-first").
MANNER = cue(r"\b(?:design|build|develop|test|work|code|plan)(?: and (?:design|build|develop|test|work|code|plan))? "
                    r"(?:mobile-first|desktop-first|in parallel|iteratively|agile|in sprints|in-house|remotely|together|accordingly)\b|"
                    r"(?:并行|同步)(?:开发|设计|推进)|分阶段(?:开发|推进)", re.I)


def delivers(text: str) -> bool:
    """Whether a promise hands over, does or decides something trackable."""
    if AT_A_MEETING.search(text) or ARRANGEMENT.search(text) or MANNER.search(text):
        return False
    found = [m.group(0) for m in DELIVERS.finditer(text)]
    if not found:
        return False
    return not (STARTS.search(text) and all(w in ("开发", "设计", "测试", "制作", "搭建") or w.lower() in ("build", "design", "test")
                                              for w in found))


# What follows from a decision anyway ("上线计划我们同步调整", "we'll update the plan accordingly"): no task of its own.
FOLLOWS = cue(r"同步(?:调整|更新|修改)|相应(?:地)?(?:调整|更新|修改)|一并(?:调整|更新)|\b(?:update|adjust|change)\b[^.]{0,30}\baccordingly\b", re.I)

# A choice between options, made ("we'll launch with the claim version", "就用A方案"): decided, nothing to do.
CHOICE = cue(r"就(?:用|按|选)[^，。]{0,8}(?:方案|版本|版)|\b(?:we'll|we will|let's|we'd like to|we're going to) (?:go|launch|proceed|stick|continue|run) "
                    r"with (?:the |option |version |route )", re.I)

# A condition ("if it slips past the end of March", "如果下周还没有"): a what-if, not a fact.
CONDITION = cue(r"如果|假如|万一|要是|的话|(?:后面|以后|之后|后续|届时)(?:如)?有(?:调整|变化|变动|修改|更新)|\b(?:if|unless|in case|should it|were it)\b", re.I)

# Asks to watch or to speak up, with nothing to deliver ("please keep an eye on it", "有问题随时联系").
VAGUE_ASK = cue(r"注意一下|留意|多关注|关注一下|随时(?:联系|沟通|告诉)|有问题(?:随时|请)|有遗漏|如有(?:遗漏|问题|疑问)|请查阅|请阅读|"
                r"\b(?:pls read|please read|fyi|for your (?:reference|information))\b|"
                       r"\b(?:keep an eye on|keep (?:me|us) posted|keep in mind|bear in mind|let (?:me|us) know if|feel free|"
                       r"reach out|any questions|just (?:email|reply|call|ping))\b", re.I)

# An ask not to do something ("please don't spend any more time chasing", "不用再催了", "请勿外传"): no task.
DONT = cue(r"不用|不要|别再|无需|不必|请勿|切勿|\b(?:don't|do not|no need to|stop|never)\b", re.I)

# A standing instruction, not a piece of work ("开票时请注明 PO 号", "Kindly quote the PO number on all
# invoices", "please always put me in copy", "来信请 cc project@…").
STANDING = cue(r"时请|时麻烦|以后请|今后|每次|一律|抄送|\b(?:on all|for all|always|going forward|in future|from now on|"
               r"(?:put|keep) (?:me|us) in (?:copy|cc|the loop)|cc\b|copy (?:me|us) (?:in|on))", re.I)

# A choice among options, given as the answer ("Option B (Daniel Wu) pls", "选B方案"): decided, no task.
PICK = cue(r"^\s*(?:option|route|version|direction|plan)\s+[a-z0-9]\b|^\s*(?:选|用|就)?[A-Z一二三]\s*(?:方案|版|方向)", re.I)

# Asks for a decision or an answer, rather than for a piece of work.
ASKS_ANSWER = cue(
    r"确认|是否|能否告知|告诉|答复|回复|决定|考虑|意见|看一下|看看|方便吗|可以吗|行吗|好吗|定一下|拍板|签字|签批|批准|审批|验收|"
    r"\b(?:confirm|let (?:us|me) know|whether|decide|decision|approve|approval|sign[- ]?off|go ahead|thoughts|feedback|review|"
    r"answer|get back to|ok with|okay with|agree)\b",
    re.I,
)

# Words that approve or accept work ("确认通过", "验收通过", "signed off", "the beta is accepted").
APPROVES = cue(r"通过|验收|签字|签收|定稿|认可|满意|没问题|同意|\b(?:approv\w*|sign(?:ed|s)?[- ]?off|accept\w*|looks? good|"
                      r"go ahead|happy with|ok(?:ay)?|done|complete)\b", re.I)

# Asks the other side to decide ("确认是否接受", "let us know how you'd like to proceed").
ASKS_DECISION = cue(r"是否接受|是否同意|考虑一下|确认是否|怎么定|\b(?:how you'?d like to proceed|whether (?:you'?d like|to go ahead|that works)|"
                           r"let (?:me|us) know (?:if that works|whether|what you think|how)|if (?:that|this) works)\b", re.I)

# Asks for a sign-off: answered by an approval.
ASKS_SIGN_OFF = cue(r"确认|验收|签字|签批|批准|审批|定稿|通过|\b(?:approve|approval|sign[- ]?off|sign|go ahead|green ?light)\b", re.I)

# Words that say the work went live (not a beta released, not a build published).
GO_LIVE = cue(r"已(?:经)?(?:正式)?上线|上线了|正式上线(?:了|啦)|今[天日](?:已经?)?(?:正式)?(?:上线|发布)|正式发布了|已(?:经)?投产|"
                     r"\b(?:went live|is (?:now )?live|are (?:now )?live|we're live|we are live|launched)\b", re.I)
GO_LIVE_SUBJECT = cue(r"上线通知|正式上线|今[天日](?:正式)?上线|\b(?:go-?live notice|we(?:'re| are) live|is live|now live|launched)\b", re.I)

# Words of review meetings.
REVIEW = cue(r"评审|审核|验收会|走查|提案会|演示|\b(?:review|presentation|demo)\b|walk ?-?through|\bwalk (?:\w+ ){1,2}through\b|"
                    r"sign-?off (?:meeting|call)", re.I)

# Words that say a change would cost time or money: an assessment.
IMPACT = cue(
    r"费用|报价|价格|工作量|人天|工作日|个工作|工期|影响|成本|万元|元|¥|￥|"
    r"\b(?:cost|costs|price|quote|estimate[ds]?|effort|impact|days? of work|extra days?|budget|invoice|£|\$|€)\b|[£$€]\d",
    re.I,
)
