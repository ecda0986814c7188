"""Word lists for the rule-based finding components, as compiled regular expressions.

Each list is the vocabulary of one cue: Chinese patterns run on the raw characters, English
ones on the lower-cased text, where curly apostrophes have become straight ones. The
rules that combine these cues live in `parsing.findings`. Keeping the words here means that
widening a list doesn't touch the logic, and a reviewer can read the lists in one place.
"""

from __future__ import annotations

import functools
import re
from typing import ClassVar

from parsing import patterns as rx

__all__ = ["Cues", "cues"]  # and ZH, EN: cues("zh"), cues("en"), through __getattr__

_NEVER = rx.compile(r"(?!)")


class Cues:
    """The cues of one language; a cue a language does not use never matches. Each is compiled
    the first time it is read: a message meets only some of them (a reply that is no survey
    answer never asks for the survey's), and compiling all of a language's is 50-80 ms of a
    command that reads one message."""

    first_person: re.Pattern[str]
    own_side: re.Pattern[str]  # the writer's side named ("我们", "our team"): a new subject
    commitment: re.Pattern[str]
    commitment_not: re.Pattern[str]
    gives_to_you: re.Pattern[str]
    action: re.Pattern[str]
    request: re.Pattern[str]
    request_imperative: re.Pattern[str]
    request_not: re.Pattern[str]
    boilerplate: re.Pattern[str]
    question: re.Pattern[str]
    change: re.Pattern[str]
    change_marker: re.Pattern[str]
    change_imperative: re.Pattern[str]
    change_norm: re.Pattern[str]  # how the work ought to be: "the logo needs to be bigger"
    risk: re.Pattern[str]
    risk_weak: re.Pattern[str]
    risk_over: re.Pattern[str]  # the trouble is behind us: "已经追回来了", "back on track"
    to_sender: re.Pattern[str]  # the work comes to the writer: "月底前给我们一个方案", "get it to us"
    plan_heading: re.Pattern[str]  # a heading over the writer's plan: "下周计划：", "Next week:"
    delivered: re.Pattern[str]  # work reported done: "首页设计稿已经发给您了", "Attached is the plan"
    received: re.Pattern[str]  # the other side's work acknowledged: "素材收到了", "Thanks for the GA export"
    withdrawn: re.Pattern[str]  # an earlier ask or change no longer wanted: "这个不用了", "no need for that anymore"
    refused: re.Pattern[str]  # a proposal or change turned down: "超出合同范围", "we can't accept that"
    cancelled: re.Pattern[str]  # a meeting called off: "明天的会取消", "let's cancel Thursday's call"
    agreed: re.Pattern[str]  # yes to what was put forward: "没问题", "可以接受", "sounds good", "go ahead"
    other_side: re.Pattern[str]  # the reader named: "贵方", "you"
    approval: re.Pattern[str]
    approval_negated: re.Pattern[str]
    approval_polite: re.Pattern[str]
    meeting: re.Pattern[str]
    meeting_propose: re.Pattern[str]
    meeting_not: re.Pattern[str]
    slot_filler: re.Pattern[str]
    slot_fit: re.Pattern[str]
    go_ahead: re.Pattern[str]  # "please go ahead with …" right after an approval is part of it
    fix: re.Pattern[str]  # a change that mends an error or grants access: a request
    slot_counter: re.Pattern[str]  # a slot put forward, not accepted ("那就周五吧", "how about")
    past: re.Pattern[str]
    done_tail: re.Pattern[str]
    negation: re.Pattern[str]
    conditional: re.Pattern[str]
    survey: re.Pattern[str]
    survey_fraction: re.Pattern[str]
    survey_context: re.Pattern[str]
    plan_subject: re.Pattern[str]  # a dated action with no subject is the sender's plan
    perfective: re.Pattern[str]  # done, not planned
    tail_question: re.Pattern[str]  # "您看可以吗？", "Would that work?": asks about the clause before
    continuation: re.Pattern[str]  # a sentence that goes on with the finding before it
    survey_doc: re.Pattern[str]  # the message answers a survey
    # Chinese runs one change over comma clauses ("专题页先不做了，预算挪到视频上"); English
    # lists separate edits with commas ("swap the cover, cut the letter, and …")
    joins_changes: bool
    survey_item: re.Pattern[str]  # a bare score after its label, in a survey answer
    survey_not: re.Pattern[str]  # the survey's scale, not an answer
    feedback: re.Pattern[str]
    feedback_not: re.Pattern[str]
    work: re.Pattern[str]
    strong_feedback: re.Pattern[str]
    assent: re.Pattern[str]
    chitchat: re.Pattern[str]
    # a date that moves: "由5月22日延至6月5日", "will now be ready on the 12th instead of the 5th"
    slip_move: re.Pattern[str]
    # work that will be late: "要晚几天", "最早4月才能给到", "won't be with you until", "at the earliest"
    slip_late: re.Pattern[str]
    # what happens if a condition fails: "…只能先上简化版", "…would slip", "…会往后推"
    degrade: re.Pattern[str]
    conditional_unmet: re.Pattern[str]  # the condition is a failure: "如果周五前还拿不到", "if they arrive later"
    # a fault in delivered work, as its users meet it: "PDF中文乱码", "the search page freezes on iPads"
    defect: re.Pattern[str]
    # a heading that only announces a risk: "风险", "【风险】", "Risk:", "A risk I want to flag early."
    risk_heading: re.Pattern[str]
    thanks: re.Pattern[str]  # thanks for something: a courtesy, not an opinion of the work
    __lazy__: ClassVar[tuple[str, ...]] = ()  # every cue's name (set below), for tests/test_patterns_bounded.py

    def __init__(self, sources: _Sources) -> None:
        unknown = set(sources) - _NAMES - {"joins_changes"}
        if unknown:
            raise TypeError(f"unknown cue(s): {', '.join(sorted(unknown))}")
        self._sources = sources
        self.joins_changes = bool(sources.get("joins_changes", False))

    def __getattr__(self, name: str) -> re.Pattern[str]:
        """Only for a cue not compiled yet: compiled now, a plain attribute from then on."""
        if name not in _NAMES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        source = self._sources.get(name)
        pattern = rx.compile(source) if isinstance(source, str) else _NEVER
        setattr(self, name, pattern)
        return pattern


_NAMES = frozenset(name for name, kind in Cues.__annotations__.items() if "Pattern" in str(kind))
Cues.__lazy__ = tuple(sorted(_NAMES))


_Sources = dict[str, str | bool]  # a language's cues as written: name → pattern (and joins_changes)


def _cues(**patterns: str | bool) -> _Sources:
    return patterns


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# --- Chinese -------------------------------------------------------------------------------

_ZH_FIRST_PERSON = _any("我们", "我方", "我司", "我这边", "我们这边", "咱们", "本公司", "我")
_ZH_FUTURE = _any("(?<![开布审例话频约事年大机体误理领聚晚展个])会(?!议|员|计|话|场|上|后|谈|不会)", "将", "将会", "马上", "立即", "立刻", "稍后", "随后", "争取", "保证", "一定",
                  "负责", "准备", "计划", "打算", "预计", "确保", "尽量", "安排", "尽快", "回头", "晚点", "这就", "再",
                  "可以", "能")
_ZH_ACTION = _any("发", "提交", "提供", "给", "交", "完成", "交付", "上线", "更新", "修改", "改",
                  "出(?![差门去国来])", "整理", "准备", "安排", "跟进", "处理", "回复", "反馈", "确认", "寄", "上传",
                  "同步", "补充", "做", "优化", "调整", "部署", "发布", "联系", "通知", "核对",
                  "检查", "测试", "修复", "落实", "对接", "报价", "排期", "过来", "过去")
_ZH_WORK = _any("设计", "稿", "页面", "首页", "方案", "效果", "颜色", "配色", "色调", "主色", "字体",
                "字号", "排版", "版面", "布局", "风格", "logo", "LOGO", "Logo", "图标", "图片", "插画",
                "动画", "交互", "文案", "视频", "海报", "界面", "UI", "原型", "这版", "这一版", "新版",
                "整体", "细节", "质量", "作品", "成果", "demo", "网站", "官网", "app", "APP", "功能",
                "看起来", "看上去", "感觉", "觉得", "体验", "画面", "视觉", "照片", "初稿", "终稿",
                "报告", "内容", "交付物", "版本", "沟通", "服务", "配合", "响应", "效率", "态度", "团队",
                "[一二两三四五六七八九十\\dA-Za-z]版", "方向", "东西", "图形", "周报", "节奏", "调色", "报价",
                "(?i:kv|design|banner|button|cta|layout|font|icon|mockup|ui|ux|copy|slogan|landing page)",
                "问题")

_ZH_MORE_ACTIONS = _any("寄出", "寄回", "到货", "盖章", "付款", "支付", "提测", "切图", "解决", "进棚", "走流程", "安排", "搭")

def _zh() -> _Sources:
    return _cues(
        first_person=_ZH_FIRST_PERSON,
        joins_changes=True,
        own_side=_ZH_FIRST_PERSON,
        plan_subject=r"(?![^，。]*(?:你们|您|你|贵方|贵司|他们|他|她|供应商|厂商|那边|说|给我们|给我|发我们))",
        perfective=r"了(?!解)|过(?:了|的)",
        tail_question=(r"^\s*(?:您|你|你们|贵方)?(?:那边)?(?:看)?(?:这样)?(?:是否|是不是)?(?:可以|行|合适|方便|OK|ok|需要)"
                       r"(?:吗|么|不|呢)?\s*(?:[？?。]\s*)?$"),
        continuation=r"^\s*(?:就是|不过|但是|但|只是|可惜|唯一)",
        commitment=(_ZH_FIRST_PERSON + r"[^，。？！?!]{0,12}?" + _ZH_FUTURE
                    + r"|" + _any("稍后", "马上", "随后", "尽快", "回头", "晚点", "这就", "争取", "预计", "计划", "确保",
                                  "尽量", "准时")
                    + r"[^，。？！?!]{0,8}?" + _any(_ZH_ACTION, _ZH_MORE_ACTIONS)),
        commitment_not=_any("希望", "建议", "要求", "请", "麻烦", "烦请", "需要(?:您|你|贵)", "等(?:您|你)", "吧",
                            "必须", "我们好", "好让", "以便", "才能", "即可",
                            # attending someone's meeting, courtesy: "都可以参加", "有消息第一时间同步您", "后续会注意"
                            "(?:可以|能|会|都)(?:准时)?(?:参加|出席|到场)", "(?:将|会)在[^，。]{0,10}内(?:回复|答复)",
                            "有(?:消息|进展|结果)[^，。]{0,6}?(?:同步|通知|告诉)", "会注意", "不便",
                            # who comes along to a meeting: "我和设计总监一起过去", "我会叫埋IT嘅Alan一齐"
                            "(?:带|叫|拉)(?:上|埋)?[^，。]{0,24}?(?:一起|一齐|过去|过来|参加)", "一起过去", "一齐过嚟",
                            # an introduction, a wish, a purpose ("等我哋可以…": so that we can), a date kept
                            "(?:介绍|推荐)[^，。]{0,8}?联系", "(?:我们|我)想(?!办法)", "(?:等|让)(?:我们|我)(?:可以|能|好)",
                            "维持[^，。]{0,12}?不变", "按原计划", "就行", "就好",
                            # the link or the agenda of a meeting: a courtesy of the invitation
                            "(?:会议|视频会议|腾讯会议|zoom|teams)?(?:链接|连结|连接|邀请)[^，。]{0,4}?(?:稍后|随后|晚点|会后)"),
        gives_to_you=(_ZH_ACTION + r"[^，。？！?!]{0,6}?" + _any("给您", "给你", "给贵司", "给贵方",
                                                             "您", "贵司", "贵方") + r"(?!.*吗)"),
        action=_ZH_ACTION + "|" + _ZH_MORE_ACTIONS,
        request=_any("(?<![邀申聘宴])请(?!问|查收|查阅|参考|知悉|见|多指教|多关照|多包涵|包涵|谅解|放心|假|了[^，。]{0,4}假|注意查收|点击|查看(?:附件|[：:]|以下|下方))", "烦请",
                     "麻烦(?!问|您了|你了|了)", "劳驾", "劳烦",
                     "辛苦(?!了|大家|各位|啦|！|!|$)(?:您|你|你们|贵方|贵司)?[^，。！!？?]{4,}", "帮忙", "帮我们", "帮我", "务必", "需要(?:贵方|贵司|你们|您|你)",
                     "希望(?:贵方|贵司|你们|您|你)?[^，。]{0,6}?(?:能|可以|尽快|在)",
                     "能否", "可否", "可不可以", "能不能", "是否可以", "是否能", "是否方便", "方便(?:的话)?.{0,10}吗",
                     "可以.{0,12}吗", "尽快(?:回复|反馈|确认|提供|发)", "等(?:您|你们|贵方)的",
                     "(?:发|提供|给|补充|确认|寄|上传|回复|反馈|看|审核|签|填写?|(?<![避离展])开|更新|整理|核对|补|打包|开通)一下(?!我们(?!的)|我(?![们的]))",
                     # when will it come, what is still missing, send it over, what does it cost
                     "什么时候(?:能|可以|会|才能)?[^，。？?]{0,8}?(?:给|发|出|提供|交|完成|好|到)",
                     "还(?:差|缺)[^，。]{0,12}?(?:没|未)(?:给|发|提供|交)",
                     "(?:发|寄|传|送)(?:一份|一下|个|给我们)?过来", "有(?:没有)?(?:最新|新)的?[^，。]{0,8}吗",
                     "多少钱", "怎么收费", "(?:费用|报价|价格)(?:大概)?(?:是)?多少",
                     "(?:你们|贵方|您|各位)(?:这边|那边)?抓紧", "^(?:先)?(?:提供|发送|补充|上传|寄)(?!了|意见|说明|一点)", "请问", "给我(?:们)?看", "(?:评估|进展|考虑|讨论|准备)得?怎么样",
                     "需要[^，。]{0,10}?前(?:送到|交|给到|提交|完成)",
                     # give me a call, please do, don't forget, you must / you need to …
                     "给我(?:们)?(?:回|打)(?:个|一个)?电话", "回(?:个|一个)?电话给我", "(?:电话|微信)联系我",
                     "拜托", "有劳", "恳请", "还望", "望(?:贵方|贵司|您|你们)", "盼复", "帮个忙", "帮一下",
                     "(?<!我)(?<!我们)记得(?!了)", "别忘了", "不要忘(?:了|记)",
                     "(?:您|你们|你|贵方|贵司)(?:那边|这边)?(?:需要|必须|务必|一定要)(?![^，。]{0,8}的)",
                     "(?:您|你们|你|贵方|贵司)(?:那边|这边)?(?:有没有|是否有)",
                     # you look into it / we suggest you decide / any news? / has it been done?
                     "(?:您|你们|你|贵方|贵司)(?:那边|这边)?(?:先|再|帮忙)?(?:看|评估|核实|查|排查|确认|检查|安排|处理|定|估)一?下(?!我们|我)",
                     "建议(?:贵方|贵司|您|你们)?[^，。]{0,10}?(?:确定|确认|提供|协调|安排|准备|决定|考虑|回复|反馈)",
                     "有(?:没有)?(?:什么)?(?:新)?(?:消息|进展|动静|结果|回音)(?:了)?(?:吗|没有?)",
                     "进展(?:怎么样|如何|到哪)", "(?<![没])有没有[^，。]{0,12}[？?]\\s*$",
                     "(?:你们|贵方|贵司|您)(?:那边)?先?[^，。]{0,6}?(?:盖章|寄|发|传|给)[^，。]{0,3}?(?:过来|给我们|给我)",
                     r"了(?:吗|没有?)\s*[？?]\s*$"),
        boilerplate=_any("如有", "如需", "有任何问题", "有问题(?:请|可以|随时)", "随时(?:联系|沟通)", "有事", "急事",
                         "紧急(?:事务|事宜|情况|问题)"),
        question=r"[？?]\s*$|[吗呢]\s*(?:[？?。]\s*)?$|" + _any("能否", "可否", "可不可以", "能不能", "是否可以", "是否能"),
        change=_any("延期", "推迟", "推后", "延后", "(?<!顺)延(?:到|至)", "顺延", "往后(?:推|挪|延)", "提前(?:到|至|[一两三几半\\d])", "往前(?:挪|提|移)",
                    "改成", "改为", "改到", "换成", "换为", "换(?:一|个|掉)", "改一下", "修改(?!意见|稿|版|后)",
                    # more scope, less scope, moved into another phase, remade, "a bit bigger"
                    "加(?:点|些)", "塞(?:进|到)", "拆(?:到|成|出)", "放到", "(?:压|压缩|缩短|延长|控制)(?:到|在)",
                    "(?:要|需要|想)(?:加|换|改|去掉|删)", "加多", "加到", "(?<!协)调(?:到|至)", "不做了", "先不做", "改过来", "重新(?:调|做|设计|剪|拍|改|排)",
                    "再(?:偏)?[大小长短高低亮暗深浅暖冷宽窄粗细快慢多少紧松重轻][一]?(?:点|些)",
                    "(?:偏|更)[暖冷亮暗深浅大小]一?(?:点|些)", "单独(?:发|上|做|出)", "停(?:掉|止)", "增加", "新增", "加(?:一|个|上|入)", "添加", "去掉", "删掉",
                    "删除", "砍掉", "取消", "调整", "变更", "更换", "换一下", "换个", "调(?:大|小|高|低|亮|暗|深|浅)",
                    "放大", "缩小", "加大", "挪到", "移到", "改期", "改动", "替换",
                    # a new colour, another adjustment, back to the old version
                    "换(?:成|为)?(?:白|黑|红|蓝|绿|黄|灰|金|银|橙|紫|粉|深|浅)色?", "(?:再|重新)调一?下",
                    "(?:改|换|用)回", "(?:还是)?(?:想|要)用(?:我们)?(?:原来|之前|以前|最早)的",
                    "精简", "简洁一?(?:点|些)", "(?:放|挪|移)(?:在|到)(?:左|右|上|下|中|顶|底)",
                    "再[\u4e00-\u9fff]{1,3}一?(?:点|些)", "(?:建议|需要|希望|请)[^，。]{0,10}?保持一致", "统一(?:成|为|用)", "改用", "换用",
                    "加粗", "做成",
                    "(?:放|挪|移)(?:在|到)[^，。]{0,6}?(?:最?上面|最?下面|顶部|底部|左边|右边|首屏|第一屏|最前面|最后面)",
                    "先别(?:上|做|放|发|用)", "(?<!特)别用", "不用[^，。]{0,4}了", "暂(?:时)?不做", "分(?:成)?[两二三3]期", "只做"),
        change_marker=_any("建议", "希望", "想要", "想", "需要", "要求", "最好", "还是", "吧", "请", "麻烦", "烦请",
                           "决定", "先不做", "不做了", "暂时不做", "先别", "(?<!特)别用", "要(?:从|把|换|改|放|做|加|去)",
                           "能否", "可否", "可不可以", "能不能", "是否可以", "是否能", "帮忙", "帮我们"),
        risk=_any("恐怕", "可能(?:会|要)?(?:影响|延误|延期|推迟|赶不上|来不及|无法|延迟|耽误|拖|晚)", "赶不上",
                  "来不及", "无法(?:按时|如期|准时|在)", "不能(?:按时|如期)", "没法(?:按时|如期)", "延误", "耽误",
                  "卡在", "卡住", "阻塞", "受阻", "(?:还|仍|依然)(?:没有?|未)(?:开通|收到|到位|确定|提供|给|批|"
                                                    "下来|拿到|回复|解决|搞定|配置|申请)",
                  "尚未(?:开通|收到|到位|确定|提供|解决|回复)", "迟迟", "风险", "影响(?:到)?(?:上线|进度|交付|工期|排期)",
                  "滞后", "拖延", "进度(?:有点|有些)?(?:慢|紧|落后)", "时间(?:有点|比较|非常|很)?紧", "延迟",
                  "担心", "来得及吗",
                  # our own date has to give: "上线时间需要往后推两周", "最快2月5日才能给你们"
                  "(?:需要|得|要|只能|只好|不得不)(?:再)?(?:往后|向后)(?:推|延|放|挪)",
                  "(?:需要|得|只能|只好|不得不)(?:推迟|延后|顺延|推后|延期)", "最快[^，。]{0,12}?才能",
                  "(?:要|会|将|得)(?:从[^，。]{0,8}?)?(?:推迟|延期|延后|顺延|推到|延到|拖到)", "(?:延期|推迟|延误)了",
                  "可能[^，。]{0,10}?(?:出不来|延到|推到|拖到|赶不及)", "档期冲突", "临时(?:退出|取消|变卦|缺席)",
                  "会有阻力", "(?i:reject(?:ed)?)",
                  # no answer from a dependency, capacity, cost, the biggest problem
                  "(?:一直)?没(?:有)?(?:回音|回复|动静|消息)", "只能(?:先)?(?:停|等)", "进度(?:会|要|可能)?(?:慢|受影响)",
                  "人手(?:比较|很|非常|有点)?(?:紧张|不够|不足)", "人力不足", "压力(?:很|非常|比较)大", "可能(?:要|会)超",
                  "超支", "最大的(?:问题|风险|难点)", "主要(?:问题|难点)(?:是|在于)", "卡点",
                  # a likely slip, a rejection, a warning of what happens otherwise
                  "可能[^，。]{0,10}?(?:顺延|延后|推后|晚|慢|到不了|来不及|受影响|悬|不够|完不成|做不完|停)",
                  "顺延", "悬了", "被(?:驳回|拒|退回|打回)", "不然[^，。]{0,10}?(?:来不及|不够|赶不上|影响|延|晚|只能)",
                  "做不(?:了|完)", "排不上", "过不了", "(?:会|有点|比较)很?赶", "有点悬", "超(?:了|出)[^，。]{0,6}?(?:预算|万|元)",
                  "比预算(?:超|多)", "额外(?:费用|成本)", "最早(?:要)?到", "卡顿",
                  "(?:没法|没办法)(?:准确)?(?:报价|开始|推进|测试|联调|上线|交付|完成|开工|排期)",
                  "否则[^，。]{0,10}?(?:来不及|不够|赶不上|影响|延|晚)", "还没法", "(?:会|将)影响",
                  "档期[^，。]{0,4}紧"),
        risk_weak=_any("出问题", "出了问题", "有问题", "故障", "宕机", "挂了", "报错", "打不开", "访问不了", "bug", "Bug", "BUG"),
        approval=_any("(?:确认|审核|验收|评审|审批|审查)通过", "通过了", "予以通过", "批准", "签字确认", "确认无误",
                      # choosing an option, nothing left to change, signed
                      "选(?:第[一二三四五六七八九十\\d]+(?:个|版|套|种|稿|方案|方向)?|[A-Za-z](?![A-Za-z])|方案[A-Za-z一二三\\d])",
                      "(?:我们|我方|我司)(?:这边)?(?:都)?(?:没问题|同意|认可|接受)(?![^，。]{0,3}吗)", "同意(?:换|改|调|用|按|追加|延|推)",
                      "(?:方案|排期|报价|预算|调整|安排|改动)(?:我们)?(?:都)?同意", "确认没问题", "可以批", "按(?:你们|您|贵方)说的(?:改|降|做|来|办|调)",
                      "确定为", "我们确认了", "可以下厂", "下厂印刷",
                      "(?:方案|方向|版本|选项)[A-Za-z一二三\\d]吧", "就按这个(?:推进|签|走)", "按这个签",
                      "没(?:什么|有)?要改的", "不用(?:再)?改了", "无需(?:再)?修改",
                      "可以直接(?:出|上线|发布|印刷|下单|交付|定稿|投放)",
                      "(?i:sow|合同|协议|报价单?|po)[^，。]{0,4}?(?:已|都已?)签", "(?:视觉|文案|设计|配色|排版|报价|主视觉)(?:都)?(?:没有?问题|OK|ok)(?:了)?[👌！!。]*$",
                      "定稿", "(?:可以|同意)(?:上线|发布|执行|实施)", "就按(?:这个|这版|此|这|你们的|您的|上述|该|这样)"
                      + r"[^，。]{0,6}?(?:来|做|执行|进行|办|定)", "就这样定", "就这么定", "就定这", "同意(?:这个|该|此|你们的|贵方的)?"
                      "(?:方案|版本|报价|设计|稿|安排|修改)", "我们同意", "(?i:lgtm)", "(?i:approved)", "没有?问题[，,]?就", "可以定稿", "验收合格",
                      # choosing what was offered, a go-ahead to the next step, a signed acceptance
                      "就用(?:这|那|你们|您|第|[A-Za-z0-9])", "就(?:按|照)[^，。]{0,10}?(?:走|来|做|执行|办|定|上)",
                      "按[^，。]{0,8}?执行吧", "可以进入", "可以(?:下单|开始印刷|印刷|出母版|切图|准备上线|开工|开始开发)",
                      "可以接受", "^同意(?:[，,。！!]|$)", "^确认(?:[，,。！!]|$)", "就按(?:你们|您|贵方)?说的",
                      "就用(?!了)", "可以(?i:finalize)",
                      # a date or a change put forward, accepted: "体验版顺延到27号我们能接受", "5月28日上线可行", "10月8日上线可以"
                      "(?<!不)(?<!不太)能接受", "(?<!不)可行(?=[。！!，,]|$)", "(?<=[^，。？?\\s][^，。？?\\s])(?<![不也都])可以[。！!~～]{0,3}$", "(?:稿|方案|纪要|页|版)(?:都)?(?:没有?问题|OK|ok)(?:了)?[👌！!。]*$", "签(?:好|完)字", "已签字", "盖好章",
                      "^(?:那就)?上吧"),
        approval_negated=_any("不(?:同意|通过|批准)", "没(?:有)?(?:通过|同意|批准)", "未(?:通过|批准)", "暂不", "待",
                              "请", "麻烦", "能否", "可否", "是否"),
        meeting=_any("会议", "开会", "开个会", "开一个会", "开个[^，。]{0,4}会", "评审会", "电话会", "视频会", "线上会",
                     "碰头会", "例会", "启动会", "沟通会", "讨论会", "通个电话", "打个电话", "语音", "腾讯会议", "钉钉会议",
                     "飞书会议", "视频通话", "(?:电话|语音|视频|线上|当面)(?:沟通|聊)", "见个面", "见面",
                     "讨论一下", "讨论讨论", "面谈", "碰个面", "见一面", "吃个?饭", "喝个?咖啡",
                     "拜访", "过来坐坐", "碰个头", "碰一下", "当面沟通", "聊一下", "聊聊",
                     # a visit, a walk-through, an event, a named meeting (需求会, 复盘会, 短会)
                     "(?:来|到|去)(?:我们|我司|贵司|贵方|你们|公司)[^，。]{0,6}?(?:一趟|坐|聊|谈|看|开会|对)",
                     "当面(?:聊|谈|对)", "(?:线上|一起|当面|电话|视频)(?:过|对|碰)一下", "做(?:个|一次|一个)?[^，。]{0,4}?(?:demo|演示|汇报|复盘)", "复盘",
                     "(?:需求|复盘|汇报|答谢|周|短|月|季度|年度|kickoff|启动|评审|对接|验收|走查|交流|说明|推进|协调|对齐|演示|见面)会(?!员)",
                     "诚邀", "邀请(?:您|贵司|贵方|你们)", "敬请(?:光临|参加|出席)", "打给(?:您|你)",
                     "参加一下", "安排(?:个|一个|一次)?(?:线上|线下|电话|视频)?(?:会|评审|演示|沟通)(?!员)",
                     "(?i:zoom|teams|meeting|call|sync|review|workshop|kick-?off|onboarding|demo)",
                     "约(?:在|个时间|一下|您|你们|贵方)", "(?:想|要|先|再)约(?:个|一个|一次|[一二三四五六七八九十]|\\s*\\d)", "回顾", "审片", "看片会", "一起去(?:看|现场|踩点)", "彩排", "培训[^，。？]{0,12}(?:\\d{1,2}\\s*[点:：]|[上下]午)", "(?:\\d{1,2}\\s*[点:：]|[上下]午)[^，。？]{0,12}培训", "中期汇报", "述标", "提案会",
                     "当面(?:说|讲)", "(?:现场|实地)看", "看样", "找个时间(?:过|聊|对|碰|开)", "预演",
                     "(?:来|去|到)[^，。]{0,8}?(?:现场|诊所|影棚|工厂|印厂|门店|办公室|展馆|会场|会展中心)[^，。]{0,6}?(?:看|聊|说|对|过)"),
        meeting_propose=_any("约", "安排", "开", "组织", "诚邀", "邀请", "要不要", "是否方便", "方便", "有空", "有时间", "可以吗", "想", "吧",
                             "怎么样", "如何", "能否", "可否", "是否", "建议", "我们", "一起", "行吗", "好吗", "可以",
                             "定在", "定于", "改到", "改在", "举办", "举行", "召开"),
        meeting_not=_any("纪要", "记录", "结论", "会上", "会后", "上次", "刚才", "昨天的", "内部", "问卷", "会议邀请",
                         "再约", "再说", "(?:出来|完成|之后|以后)再",  # "需求评审会的时间等原型出来后再约": not yet proposed
                         # a meeting named as a moment or as a kind of material: "review 之前麻烦把…发我们"
                         "(?:(?i:session|review|meeting|workshop|demo|onboarding|kick-?off)|会|培训|评审|彩排)\\s*(?:之前|之后|以前|前|后)",
                         "(?:培训|会议|评审)(?:材料|资料|课件|文档|PPT|ppt)", "(?:提供|做|参加|举办|组织|开)过",
                         # accepting an invitation: "我们会派两位同事参加", "准时出席"
                         "(?<!请)(?:会|将|准时|一定)(?:派[^，。]{0,8}?)?(?:参加|出席|到场)"),
        slot_filler=_any("那就", "那(?!边)", "就", "或者", "或", "和", "要不", "要不然", "改(?:到|为|成|在)", "改", "定在", "约在", "的话", "线上", "线下", "[（(](?:周|星期|礼拜)?[一二三四五六日天][）)]",
                         # a slot in another zone: "改到美西时间周一下午5点", "上午10点（东京时间）", "同日下午2点（伦敦时间）"
                         "[（(]?[\u4e00-\u9fff]{1,4}时间[）)]?", "同日", "同一天", "当天",
                         # the meeting named after its time: "5月7日下午2点的走查会 OK"
                         "的?[\u4e00-\u9fff]{0,3}(?:会议|会)(?!员|计)", "的?(?i:call|meeting|review|workshop|walkthrough)"),
        go_ahead=r"^\s*(?:请|那就|就)?(?:继续|开始)(?:推进|开发|制作|执行|下一步)",
        fix=_any("写错", "弄错", "搞错", "错了", "有误", "错别字", "笔误", "错字", "应该是[^，。]{0,12}不是", "不是[^，。]{0,12}而是"),
        slot_counter=_any("那就", "要不", "改到", "改在", "改成", "换到", "定在", "约在", "或者", "或", "吧", "还是", "的话"),
        slot_fit=(r"(?:(?:您|你|你们|贵方)(?:那边|这边)?(?:看)?)?(?:我|我们|我这边|我们这边)?(?:都|也|应该|是否)?"
                  r"(?:可以|行|没问题|方便|合适|有空|有时间|OK|ok|Ok|好|得)"
                  r"(?:的)?(?:吗|么|呢|吧|啊)?|怎么样|如何|行吗|好吗|可以吗|方便吗|有空吗|行不行|可不可以|得不得|得唔得|ok吗|OK吗"),
        past=_any("已经", "已(?!读)", "刚刚", "刚才", "刚", "之前已"),
        done_tail=r"了\s*(?:[。！!~～]\s*)?$",
        negation=_any("不会", "不能", "无法", "没法", "不了", "来不及", "赶不上", "不一定", "不周"),
        conditional=_any("如果", "假如", "若", "要是", "只要", "如有", "如需", "万一", "的话",
                         "(?:后面|以后|之后|后续|届时)(?:如)?有(?:调整|变化|变动|修改|更新)"),
        survey=(_any("满意度", "评分", "打分", "分数", "打", "给", "评") + r"[^，。！？!?\d]{0,8}?"
                r"(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})\s*分(?!钟)|(?P<m>\d{1,2})\s*分\s*(?:[（(]\s*)?满分|"
                r"^\s*(?P<k>\d{1,3})\s*分\s*(?:[!！。~～]\s*)?$"),
        survey_context=_any("满意", "评分", "打分", "分数", "满分", "(?i:rate|rating|score|out of)"),
        survey_fraction=r"(?<![\d/])(?P<n>\d{1,2})\s*/\s*(?P<d>10|5)(?!\d|/|\s*[（(][^）)]{0,3}[）)]|\s*[日号前后]|\s*[上下]午)",
        survey_doc=_any("问卷", "满意度", "满意程度", "评分", "打分", "调查", "推荐意愿", "回访", "(?i:nps|survey)"),
        # "服务态度 9", "沟通 8分", "满意度5颗星", "：9", "我选了10"
        survey_item=(r"(?:^|(?<=[:：\s])|(?<=选了)|(?<=填了)|(?<=[\u4e00-\u9fff]))(?<![\d.])(?P<n>\d{1,3})\s*"
                     r"(?<!满分)(?<!满分 )(?:(?P<unit>分|颗星|星)(?!钟|之|期|批|享|析|别|配|开|布|类|工|辨|散|成|为|公司|手|钱|支|行)"
                     r"|(?:/\s*(?P<d>\d{1,3}))?(?=\s*(?:(?:吧|了)\s*)?(?:[!！。.~～]\s*)?$))"),
        feedback=(r"(?P<neg>不太满意|不满意|不太喜欢|不喜欢|不好看|不太好|不太行|不够好|不理想|不专业|不协调|不统一|不清楚|"
                  r"看不清|不符合|不对|有误|错别字|难看|一般般|一般(?!来说|情况|都|是|会|在|要|[\d一二两三四五六七八九十])|不是很好|不是特别|失望|粗糙|廉价|普通|单调|杂乱|拥挤|有点乱|太乱|丑|"
                  r"(?<!不用)(?<!不要)(?<!别)(?:太|偏|有点|有些)(?!好|棒|漂亮|满意|感谢|谢谢)[\u4e00-\u9fff]|奇怪|怪怪的|不够[\u4e00-\u9fff]{1,2}|"
                  r"会糊|超预算|不高兴|踩着点|(?:比较|很|太|特别)多|太文气|缺少[\u4e00-\u9fff]{1,4}感|比较被动|被动|可惜)|"
                  r"(?P<pos>漂亮|不错|很好|挺好|非常好|很棒|真棒|太棒|太好|完美|满意|喜欢|专业|清爽|大气|好看|惊艳|到位|出色|"
                  r"精美|简洁|清晰|舒服|高级|有质感|符合预期|眼前一亮|用心|赞|优秀|顺畅|及时|高效|耐心|靠谱|细致|"
                  r"顺利|流畅|好(?:很|了)?多|紧凑|清楚|没得说|对了|很有[\u4e00-\u9fff]{1,2}|👍|"
                  r"强多了|进步(?:很|挺)?大|提升(?:很|挺)?(?:大|明显)|(?:明显)?变快了|响应(?:速度)?(?:很|非常|特别)?快|点个?赞|"
                  r"(?:整体|都|还|挺|基本|总体|大体)(?i:ok|okay)(?![A-Za-z])|很顺|认可|做得好|加分|超(?:出|过)[^，。]{0,6}预期|表扬|"
                  r"开心|进步|零事故|充分|很懂|能力很强)"),
        assent=r"^\s*(?:没有?问题|好的?|可以|OK|ok|Ok|行|嗯|对|是的|同意)\s*(?:[，,！!。]\s*)?$",
        work=_ZH_WORK,
        strong_feedback=_any("非常满意", "很满意", "不满意", "太棒了", "完美", "很失望", "非常失望", "很顺", "顺畅", "认可", "做得好",
                             "很清晰", "好清晰", "加分", "超(?:出|过)[^，。]{0,6}预期", "表扬", "非常喜欢", "很喜欢", "都很喜欢",
                             "非常开心", "很开心", "进步(?:很|挺)?大", "零事故", "很充分", "很懂", "能力很强", "很专业", "惊艳", "比预想的快",
                             "太文气", "缺少[\u4e00-\u9fff]{1,4}感", "比较被动", "可惜", "不好用"),
        risk_over=_any("追回", "恢复正常", "进度正常", "已(?:经)?(?:解决|修复|恢复|追上|定位)", "及时回复"),
        to_sender=(r"(?:给|发|交|寄|传|发给|交给|寄给|传给|回复|回|告诉|通知)(?:我们|我方|我司|我)(?!们的)|"
                   r"给[^，。？]{1,10}?(?:我们|我)(?=[。，,！!]|$)"),  # Cantonese order: "俾份事故报告我"
        request_not=_any("请勿(?:直接)?回复", "退订", "敬请期待", "敬请关注"),
        slip_move=(r"(?:(?:由|从)[^，。？]{0,20}?(?:延|推|顺延|推迟|延后|推后|改|挪|调整?)|(?<![能可])(?:延|推迟|顺延|延后|推后|挪))"
                   r"(?:到|至)(?=[^，。？]{0,4}?(?:\d{1,2}\s*[月/.日号-]|(?:下|本|这)?个?(?:周|星期|礼拜)|月底|月初|月中|年底|明天|后天|"
                   r"下个?月|节后|[上中下]旬))(?![^，。]{0,16}?(?:吗|么|呢|[？?]))|原定[^，。？]{0,20}?(?:要|会|需要|得|将)(?:延|推|晚|改|调)"),
        slip_late=(r"要晚|会晚|晚(?:几|[一二两三四五六七八九十\d]{1,2})(?:天|周|个?星期|个?礼拜|个工作日)|"
                   r"(?:最快|最早|要到|得到|等到)[^，。？]{0,14}?才(?:能|可以|会)|(?:先|才)可以(?:交付|提供|给到|上线)|"
                   r"没法按[^，。？]{0,12}?给到|无法按[^，。？]{0,12}?(?:给到|交付|提供)"),
        degrade=(r"只能|只好|(?:会|要|得|将)?(?:往后|向后)(?:推|延|挪)|延后|推迟|顺延|来不及|赶不上|赶不及|会有风险|有风险|"
                 r"(?:很|好|会|相当|非常)紧张?|暂停|(?:会)?影响|延误|受影响|拖|未必|可能(?:会|要)?(?:延|推|晚|少|不)|会少"),
        conditional_unmet=r"还(?:没|未|不|拿不|收不)|仍(?:然)?(?:没|未)|未能|未(?:提供|确认|开通|到位|遞交|递交|收到)|没(?:有)?(?:按时|及时)|拖(?:过|到)|晚于|再出现|较多问题|谈不拢|确定不了|无法|不能|不行|(?:拿|收|到|给)不(?:到|了)",
        defect=(r"乱码|卡死|闪退|崩溃|白屏|黑屏|黑框|加载不出|(?:不|没有?)(?:显示|出单|自动播放|弹出|跳转|同步|生效)|"
                r"显示(?:错误|不全|异常)|错位|变形|失效|点不了|点不动|漏单|意见很大|(?:个|些|很多)bug"),
        risk_heading=(r"^[\W_]{0,4}(?:主要)?风险(?:提醒|提示|点|与问题|和问题|预警|及应对)?[\W_]{0,4}$|"
                      r"(?:有|一)个风险[^，。]{0,10}[：:]\s*$"),
        thanks=r"^\W{0,2}(?:非常|十分|特别)?(?:感谢|谢谢|多谢|辛苦)",
        plan_heading=_any("下周计划", "下周工作", "下周安排", "下一步", "后续计划", "后续安排", "接下来", "下阶段", "下一阶段",
                          "工作计划", "计划", "待办", "行动项", "后续事项", "跟进事项", "分工", "责任人", "会后事项",
                          "排期", "时间表", "里程碑", "节点", "时间安排", "进度安排"),
        other_side=_any("你们", "您", "你", "贵方", "贵司"),
        delivered=(_any("已经?", "刚刚?", "这就") + r"[^，。？?]{0,8}?"
                   + _any("发(?!现|生|票)", "提交", "上传", "完成", "交付", "上线", "修复", "改好", "更新", "寄出", "寄", "部署",
                          "发布", "给到", "同步", "整理好", "做好", "出好", "签好", "盖好章", "加好", "开好", "配好", "装好", "搭好",
                          "开通", "申请好", "处理好", "弄好", "录入", "导入", "添加", "设置好", "放(?:到|在)")
                   + r"|(?:修改|整理|设计|制作|开发|测试|评估|部署|搭建|调整)完成(?!后|以后|之后|及|和|与|节点|时间|日期)|附件(?:是|为)|见附件|(?:更新|修改|调整|改|做|整理|加|修|弄|准备|配置|搭|装|开)好了|(?:评估|做|写|整理|测|改|修|审)完了"
                   + r"|(?:附件|随附|附上)[^，。？?]{0,16}?(?:发|给|请查收|供参考)|(?:转|转发|转寄)[^，。？?]{0,12}?给?(?:您|你|贵方|贵司|大家)|(?:见|详见)下(?:方|面|文)|^附上|给(?:您|你)参考|"
                   + r"(?:发|寄|传|交)(?:给|到)?(?:你们|您|贵方|贵司|大家)[^，。？?]{0,4}了"
                   + r"|(?:都|全部|均)?(?:发|寄|传|提交|上传)(?:过来|过去|出去)?了|已(?:正式)?上线|正式上线了|(?:已经|现在|今天|目前|顺利)(?:正式)?上线了"
                   + r"|已经?(?i:add|share|send|upload|invite|grant|set ?up)(?:ed)?[^，。？?]{0,4}了"),
        received=r"(?:已|都)?收到(?!后|以后|之后|的话|吗)",
        withdrawn=_any("不用了", "不需要了", "不用加了", "不用做了", "不用改了", "不用再", "不必了", "撤回", "先不做了", "先不加了",
                       "先不做", "暂时不做", "这个需求取消", "需求取消", "就算了", "算了吧", "不要了", "用不上了", "不再需要"),
        refused=_any("超出(?:了)?(?:合同|本期|一期|项目|原定|报价)?(?:的)?范围", "不在(?:合同|本期|一期|这期|本次|项目)?(?:的)?范围",
                     "放到二期", "留到二期", "二期再", "不能接受", "没法接受", "无法接受", "接受不了", "不同意", "不行", "恐怕不行",
                     "做不了", "没办法(?:调整|改|推迟|延|做)", "不考虑", "还是(?:按|维持|保持)(?:原|原来|原定|原计划)?", "维持原",
                     "保持不变", "不变(?!化)", "不能(?:推迟|延期|顺延|调整|改)"),
        cancelled=(r"(?:会|会议|沟通会|电话会|评审会|例会|讨论|(?i:call|meeting|sync))[^，。！？]{0,6}(?:取消|不开了|先不开|(?i:cancel))"
                   r"|取消[^，。！？]{0,6}(?:会|会议|沟通|讨论|(?i:call|meeting))"),
        agreed=(_any("没有?问题", "可以接受", "(?<!不)(?<!不能)(?<!无法)接受", "(?<!不)同意", "认可", "就(?:按|照)(?:这个|你们|您|贵司|新的)?[^，。]{0,6}(?:来|办|执行|定)",
                     "就这么定", "就这样定", "可以的", "确认(?:通过|没问题|可以)")
                + r"|^\s*(?:好的?|可以|行|OK|ok|Ok|嗯|对|是的)(?:[，,！!。~～\s]|$)"),
        chitchat=(r"^(?:您好|你好|大家好|hi|hello|谢谢|感谢|多谢|辛苦了|辛苦|收到|好的|OK|ok|嗯|祝好|此致|敬礼|"
                  r"顺祝商祺|祝[^，。]{0,8}|期待[^，。]{0,10}|[^，。]{0,6}(?:你好|您好))[！!。.,，~～\s]*$"),
    )

# --- English -------------------------------------------------------------------------------

_EN_SUBJECT = (r"\b(?:i|we|our team|my team|the team|our (?:[\w-]+ ){0,2}(?:team|department|dept|developers?|"
               r"designers?|engineers?|crew|studio))\b")
_EN_ACTION = _any("send", "share", "deliver", "provide", "submit", "upload", "finish", "complete",
                  "update", "fix", "prepare", "get", "have", "review", "check", "confirm", "sign",
                  "approve", "forward", "arrange", "schedule", "book", "set up", "look into",
                  "follow up", "reply", "respond", "return", "give", "write", "draft", "pay",
                  "transfer", "invoice", "call", "email", "let", "tell", "ship", "publish", "test",
                  "deploy", "add", "remove", "change", "revise", "make", "do", "handle", "take",
                  "grant", "create", "organize", "organise", "resend", "clarify", "explain")

def _en() -> _Sources:
    return _cues(
        own_side=_EN_SUBJECT,
        tail_question=(r"^\s*(?:(?:would|will|does|could) (?:that|this|it) work(?: for you)?|(?:is )?(?:that|this) "
                       r"(?:ok|okay|alright|acceptable)(?: (?:for|with) you)?|ok)\s*\?\s*$"),
        continuation=r"^\s*(?:but|however|only|that'll|that will|this will|it will|which)\b",
        commitment=(_EN_SUBJECT + r"[^.?!;]{0,40}?(?:'ll|\bwill\b|\bshall\b|\bare going to\b|'re going to|"
                    r"\bam going to\b|'m going to|\bplan to\b|\baim to\b|\bintend to\b|\bpromise\b|"
                    r"\bcommit to\b|\bcan\b|'m on it|'re on it|\bare on it\b|\bshould be able to\b|"
                    r"\b(?:aiming|aim|hoping|planning|expecting|on track) to\b)"
                    r"|\b(?:will|to) follow\b"
                    r"|^\s*(?:and\s+)?(?:will|shall)\s+(?!you\b|we\b|i\b)"
                    r"|\byou(?:'ll| will) (?:have|receive|get|see)\b"
                    r"|\b(?:it|they|this|these|that|the \w+(?: \w+){0,2}) (?:will|should) be (?:ready|done|"
                    r"delivered|sent|uploaded|shared|live|available|finished|completed|fixed)\b"
                    # the plan said of the work: "rates will be connected by Friday", "test plan coming your way"
                    r"|\bwill be (?:connected|updated|fixed|delivered|uploaded|shared|sent|deployed|published|released|"
                    r"installed|configured|migrated|added|in (?:figma|staging|production|the (?:next )?(?:build|release))|"
                    r"in (?:tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)'s (?:build|release))\b"
                    r"|\b(?:coming|heading) your way\b|\bon (?:its|their) way to you\b"
                    r"|^\s*will do\b|^\s*on it\b"
                    r"|\b(?:will|should|'ll) be (?:with you|in your inbox|on your (?:[\w-]+ ){0,2}(?:system|server|site|"
                    r"environment|desk))\b|\b(?:doable|achievable|feasible)\b"),
        commitment_not=_any(r"'ll be (?:out|away|off|on leave|on holiday|travell?ing|unavailable|offline)",
                            r"will be (?:out|away|off|on leave|on holiday|travell?ing|unavailable|offline)",
                            r"'ll see\b", r"will see\b", r"'ll have to\b", r"will have to\b", r"'ll need\b",
                            r"will need\b", r"'ll keep you posted", r"keep an eye on",
                            r"\bso (?:that )?(?:we|i) (?:can|could)\b(?! (?:get|send|give|have) (?:you|them|it)\b)", r"(?:'ll|will) be at\b", r"can(?:'t|not)\b", r"\bcan you\b",
                            r"\bcan we\b", r"\bcan i\b", r"\bwill you\b", r"\bwould\b", r"\bwe can meet\b",
                            r"(?:'ll|will) let you\b", r"(?:will|shall) (?:respond|reply|get back to you)\b[^.]{0,30}\bwithin\b",
                            r"(?:'ll|will) bring\b", r"(?:'ll|will) (?:send|share|circulate) (?:the|a|an) (?:meeting |calendar |zoom |teams )?(?:link|invite|invitation)\b",
                            r"(?:'ll|will) (?:join|attend|come to|come over)\b"),
        action=r"\b" + _EN_ACTION + r"\b",
        request=(r"\b(?:please|pls|plz|kindly|rsvp|(?:could|can|would|will) you|would you mind|do you mind|"
                 r"(?:can|could|would|will) (?:someone|somebody|anyone|anybody|one of you|either of you|"
                 r"(?:one or )?both of you|you guys|you all|y'all)|any chance (?:you|we|i) could|"
                 r"(?:can|may|could) (?:i|we) (?:ask you|ask for|have|get)|"
                 r"(?:i|we) (?:also |still )?need (?:\w+ ){0,4}?(?:things? |items? )?from (?:you|your|\w+'s)\b|"
                 r"appreciate it if|(?:i|we)(?:'d| would) (?:greatly |really |very much |truly |much )?"
                 r"appreciate|(?:was|were|am|are|'m|'re) (?:just )?wondering (?:if|whether) (?:you|we|i) "
                 r"(?:could|can|might|would)|(?:just )?a (?:quick |friendly |gentle )?reminder (?:to|that you)|"
                 r"remind(?:ing)? you to|(?:i|we) hope (?:that )?you(?: and \w+)? (?:will|can|could) "
                 r"(?!enjoy|like|find|have a|be\b)|"
                 r"(?:we|i) (?:need|want) you to|(?:we|i)(?:'d| would) (?:like|love) (?:you|your|for you) to|"
                 r"(?:we|i)(?:'d| would) like your|(?:we|i) need to (?:ask|know|hear|see|get|have|receive)|"
                 r"(?:we|i) need (?:your|you)|(?:we|i) (?:want|wanted) to ask (?:you|for)|"
                 r"(?:we|i) (?:must |would |'d )?(?:like to )?(?:ask|request) (?:that )?you|"
                 r"you (?:need to|have to|will need to|must|should|ought to) (?!be\b|have\b|receive|see\b|"
                 r"get (?:it|them|this|that|the)|find\b)|"
                 r"it would be (?:great|helpful|good|nice|useful) if you|make sure (?:to|you)|"
                 r"(?<!need to )(?<!have to )(?<!i )(?<!we )remember to|remind (?:me|us)|"
                 r"don't forget to|do not forget to|let (?:me|us) know|send (?:me|us)\b|"
                 r"(?:give|drop|shoot) (?:me|us) (?:a |an )?(?:call|ring|buzz|line|note|shout|email|e-mail)|"
                 r"(?:call|phone|ring|contact|page|text) me\b|get back to (?:me|us)|"
                 r"keep (?:me|us) (?:posted|informed|updated|in the loop)|"
                 r"(?:we|i) (?:still )?need (?:the|your|a|an|some|access)|waiting for your|"
                 r"^(?:also,? |and |so )?(?:do you (?:have|know)|did you (?:get|receive|see))\b|"
                 r"are you able to|would it be possible|is it possible (?:for you|to)|if you could|"
                 r"if you can|if you would|"
                 # status and choice questions, asks through someone on the reader's side
                 r"^(?:also,? |and |so |hi,? )?any (?:update|news|progress|word)s?\b|any (?:update|news)s? on\b|which (?:one |option |version |\w+ )?(?:do|would) you prefer|"
                 r"^(?:also,? |and |so )?do you (?:already |still |currently )(?:have|know)|"
                 r"(?:could|can|would|will) your\b|^(?:also,? |and |so )?(?:is|are|will|does|should) (?:the|your|our) [^?]{3,80}(?=\?)|(?:could|can|would) \w+ (?:take|have) a (?:quick |closer )?look\b|(?:we|i)(?:'ll| will|'d| would) (?:still )?need (?:your|you to)|"
                 r"(?:we|i)(?:'ll| will) need [^.?!]{0,40}\bfrom you\b|"
                 r"^need (?:the|your|a|an)\b|still missing|needs fixing|"
                 r"(?:we|i)'d need (?:the|a|an)|\bneeds (?:the|your) |(?:we|i) hope to (?:see|get|receive|have) (?:it|them|the|your)|"
                 r"is (?:that|this|it) (?:still )?(?:possible|doable|feasible)(?=\?)|"
                 # has the work happened? "Did the staging deploy go through?"
                 r"^(?:also,? |and |so )?(?:did|has|have) (?:the|your|our) [\w\s-]{1,30}? (?:go through|gone through|arrive|arrived|"
                 r"land|landed|come through|get approved|been approved|go live|gone live|get signed|been signed)(?=\?))\b"),
        request_imperative=(r"^\s*(?:also,?\s+|and\s+|so\s+|then\s+|just\s+)?(?:send|share|provide|forward|"
                            r"upload|confirm|sign|review|check|call|e-?mail|fax|print|reply|respond|advise|"
                            r"contact|remind|prepare|handle|submit|execute|complete|read|schedule|reschedule|"
                            r"arrange|book|pick up|drop off|bring|protect|fill (?:in|out)|follow up (?:with|on)|"
                            r"look (?:at|into|over)|take a look|set up|find out|see (?:if|whether)|"
                            r"get (?:me|us|back|in touch|him|her|them)|give (?:me|us|him|her|them)|"
                            r"tell (?:me|us|him|her|them)|ask (?:him|her|them)|"
                            r"talk to|speak (?:to|with)|put (?:it|this|that|me|him|her|them)|"
                            r"let (?:him|her|them) know|keep (?:me|us|this|it|that)|make sure|be sure|"
                            r"(?:don't|do not) (?:forget|send|discuss|share|sign|tell|forward|make|"
                            r"change|wait))\b(?!\s*:)"),
        boilerplate=(r"\b(?:if you have any|if you need any|should you have|should you need|"
                     r"if there(?: are|'s) any|any questions)\b"),
        request_not=(r"^\s*please[.!]\s*$|please (?:contact|email|e-mail|call) [\w.+-]+@|"
                     r"\b(?:please (?:find|see|note|feel free|be advised|ignore|disregard|do not hesitate|"
                     r"don't hesitate|accept)|feel free|(?:don't|do not) hesitate|let (?:me|us) know if "
                     r"(?:you|there)(?: have| need| are|'re|'d)? ?(?:any|anything|questions?|need)|"
                     r"let (?:me|us) know if you need|let (?:me|us) know if anything|"
                     r"let (?:me|us) know if you have|please reach out|thank you|thanks|"
                     r"(?:can|could) you (?:believe|imagine)|^just let (?:me|us) know(?=[.!]?\s*$)|"
                     r"^(?:please )?keep (?:me|us) posted(?=[.!]?\s*$)|read more|plan accordingly|"
                     r"(?:for |in case of )?urgent (?:matters|issues|requests|enquiries|inquiries)|on-call|"
                     r"in my absence|(?:i am|i'm) (?:currently )?out of (?:the )?office|"
                     # survey boilerplate, cheering on, a survey item answered yes/no
                     r"^(?:just |simply )?(?:reply|respond) to this (?:email|e-mail|message|mail)|keep (?:it|this|that) up|"
                     r":\s*(?:yes|no|yep|nope|maybe|n/a)[.!]?\s*$)"),
        question=r"\?\s*$",
        change=(r"\b(?:(?:(?:could|can|would) (?:we|you)|(?:we|you) (?:could|can|might)) (?:also )?(?:have|offer|get|support) [^.?!]{1,40}\b(?:in|on|inside|within) "
                r"(?:the|our|your) (?:[\w-]+ )?(?:portal|app|site|website|platform|system|mini-?program|dashboard|page|tool)\b|"
                r"(?:could|can|would) (?:the|our|your) (?:[\w-]+ )?(?:portal|app|site|website|platform|system|mini-?program|dashboard|"
                r"tool) (?:also )?(?!be\b|work\b|handle\b)[a-z]+|add|adding|remove|removing|drop|dropping|change|changing|switch|replace|swap|"
                r"push(?:ing)?\b[\w\s'-]{0,60}?\b(?:back|out|to)|postpone|delay|wait (?:until|till)|"
                r"mov(?:e|ing)\b[\w\s'-]{0,45}?\b(?:to|up|back|forward)|cancel|restart|stop (?:the|all|work)|"
                r"until after|hold off|as well\b|(?:also|additionally) (?:get|have|need|want|include|do|make)|"
                r"(?:could|can|would|should) be\b[^.?!]{0,25}\binstead of|"
                r"(?:a |an )?(?:new|additional|extra|another) (?:[\w-]+ ){0,2}(?:page|screen|section|feature|template|"
                r"module|field|button|step|language)s?|use\b[^.?!]{0,40}?\b(?:instead|not the|rather)|"
                r"use (?:a|an) (?:more|less|different)|alternatives?|"
                r"(?:can|could) (?:it|this|that|they|the [\w-]+(?: [\w-]+)?) be (?:a|an|more|less|bigger|smaller|"
                r"larger|shorter|longer|darker|lighter|bolder)|be (?:a bit |slightly |much |a little )?(?:bigger|smaller|"
                r"larger|darker|lighter|bolder|shorter|longer|brighter)|make\b[\w\s'-]{0,25}?\b(?:sticky|bold|visible|"
                r"clickable|prominent|optional|mandatory)|reschedule|bring\b[\w\s']{0,25}?\bforward|extend|expand|reduce|"
                r"(?<!revised )(?<!rough )(?<!final )(?<!first )(?<!new )(?<!the )cut(?! by\b)|include|"
                r"increase|decrease|enlarge|shrink|rename|(?<!any )(?<!an )update(?! on)|revise|tweak|adjust|rearrange|redesign|"
                r"reword|rework|make\b[\w\s']{0,30}?\b(?:bigger|smaller|larger|darker|lighter|bolder|"
                r"shorter|longer|brighter|simpler|cleaner|wider|narrower|punchier|more \w+|less \w+)|simplif(?:y|ied)|tone down|"
                # replacing by preference, small edits, passives and wishes: "instead of the carousel, …",
                # "can the footer links be moved", "our CEO wants the video cut down"
                r"instead of(?! \w+ing\b)|rather than(?! \w+ing\b)|(?:i|we)(?:'d| would) (?:rather|prefer)(?! not)|bump (?:it |them |this |that )?(?:up|down)|"
                r"tighten|shorten|lengthen|lighten|darken|soften|skip|hide|split|merge|combine|reorder|re-order|crop|trim|"
                r"cut (?:it |them |this |that )?down|(?:can|could|should) (?:it|this|that|they|the [\w-]+(?: [\w-]+)?) be "
                r"(?:moved|changed|removed|added|replaced|swapped|shortened|made|updated|reduced|increased|renamed|"
                r"split|merged|hidden|dropped|pushed|extended|simplified|enlarged|cut)|"
                r"(?:spanish|english|chinese|french|german|japanese|korean|arabic|mobile|print|short|shorter|longer|"
                r"lite|dark[- ]mode) version|"
                r"wants? (?!to\b|you\b|us\b|me\b)(?:the |it |this |that |them |our |a |an )?(?:[\w-]+ ){0,4}?(?:cut|changed|moved|removed|shorter|bigger|"
                r"smaller|bolder|added|dropped|updated|replaced|redone|pinned)|"
                r"rewrite|rewritten|redo|redraw|reshoot|re-?record|turn(?:ed)? into|convert(?:ed)? (?:it |them )?(?:in)?to|"
                r"colou?r-correct|(?:cool|warm|tone) (?:it|them|those|this|that|these) (?:down|up)|pin(?:ned)? (?:to|at)|shift|"
                r"bump|(?:an? )?(?:additional|extra) [\w-]+|"
                r"(?:wants?|would like|'d like|'d love|would love|want) (?:a|an)\b(?! (?:[\w-]+ ){0,2}(?:quote|estimate|proposal|update|copy|call|"
                r"meeting|invoice|report|reply|word|chat|quick|day|week|moment|minute|chance|bit|couple|few|second|look|sec))|"
                r"in addition to)\b"),
        change_marker=(r"\b(?:can we|could we|can you|could you|would you|will you|would it be possible|"
                       r"is it possible|possible to|we'd like to|we would like to|i'd like to|"
                       r"i would like to|we want to|i want to|need to|please|pls|kindly|let's|(?:we|i)(?:'ve| have)? decided to|"
                       r"let us|we should|should we|shall we|how about|what about|instead|rather than|"
                       r"we'd prefer|we prefer|i'd prefer|(?:i|we)(?:'d| would) rather|suggest|propose|recommend|advise|request|would like|"
                       r"(?:we|i) could|(?:and )?(?:want|wants|need|needs) (?:a|an|another|more|some)|"
                       r"ask(?:ed|s)? (?:for|whether|if)|requested|wants? to know if|(?:would|'d) (?:also |really |still )?like|wants?\b(?! to\b))\b"),
        change_norm=(r"(?:^(?:(?!(?:it|he|she|they|we|i|you|there|weather)\b)[\w'-]+\s+){1,3}?|"
                     r"\b(?:the|our|this|that|these|those|all|every|each)\s+"
                     r"(?:(?!(?:it|he|she|they|we|i|you|there|weather)\b)[\w'-]+\s+){1,3}?)"
                     r"(?:(?:should|needs? to|has to|have to|must|ought to)\s+(?:(?:really|also|still|probably|definitely)\s+)?"
                     r"(?:be|say|read|show|include|have|use|link|open|go|sit|appear|feature|mention|match|follow|"
                     r"look|feel|start|end|stay|come|point|lead|carry|support|allow|list|display|contain|play|fit|print)\b"
                     r"(?!\s+(?:ready|done|delivered|finished|live|available|sent|fixed|approved|fine|ok|okay|able|here|"
                     r"there|with (?:you|us|me)|in touch|aware|received|paid|signed|completed|on track|back|submitted|"
                     r"provided|returned|uploaded|shared|issued|granted|created|activated|enabled|access|checked|reviewed|"
                     r"tested|confirmed|discussed|considered|clarified|verified|addressed|noted|visible|"
                     r"\w+ing\b))"
                     r"|needs (?:a|an|another|more|some)\b|(?:is|are) to be (?:removed|replaced|moved|changed|added|dropped|cut))"),
        change_imperative=(r"^\s*(?:also,?\s+|and\s+|so\s+|then\s+|just\s+|please\s+)?(?:add|remove|drop|change|switch|replace|"
                           r"swap|move|make|increase|decrease|rename|push|postpone|reschedule|use|shorten|cut|rewrite)\b"),
        risk=(r"\b(?:(?:won't|will not|can't|cannot|can not|unable to|not able to|not going to|"
              r"isn't going to|aren't going to)\s+(?:be able to\s+)?(?:make|meet|hit|finish|deliver|"
              r"complete|get\b[\w\s]{0,20}?\bdone|be ready|have|sign off|go live|launch|start|proceed|absorb|ship|"
              r"release|happen)|(?:may|might|could) (?:not be (?:ready|possible|live|done)|be (?:partial|late|delayed)|"
              r"(?:request|require|need) (?:changes|more time|rework))|still pending|pending from|deprecat\w+|"
              r"until (?:it's|it is|this is|that's) (?:fixed|resolved|sorted)|(?:going|goes|went) (?:to|into) spam|might slip|may slip|could slip|"
              r"slipp(?:ing|ed)|slips?\b|behind schedule|running behind|fall(?:ing)? behind|delay(?:ed|s)?|"
              r"block(?:ed|er|ers|ing)|stuck|waiting (?:on|for)|still (?:haven't|hasn't|have not|"
              r"has not|don't|doesn't|do not|does not|no|not)|at risk|risks?|risky|concerned|concerns?|"
              r"tight|unlikely|jeopardi[sz]e|push(?:ed)? (?:back|out)|postpone[ds]?|"
              r"not (?:yet )?(?:received|ready|available)|haven't (?:yet )?(?:received|got|gotten|heard)|"
              r"hasn't (?:been )?(?:set up|provided|delivered|approved|sent)|i'm afraid|afraid we|"
              # the price of not acting: "otherwise the printer slot moves to April"
              r"(?:otherwise|or else)\b[^.?!]{0,80}\b(?:lose|miss|slip|moves?|delay\w*|late|won't|can't|couldn't)|"
              r"any later and|fall back to|(?:will|would) cost|(?:extra|additional|rebooking|cancellation|rush) fee|"
              r"can't give (?:a|you a) (?:firm|final)|cannot be accepted)\b"),
        risk_weak=(r"\b(?:issues? with|problems? with|outage|crash(?:ed|es|ing)?|fail(?:ed|s|ing)?|"
                   r"bugs?|not working|is down|are down|went down|broken|error)\b"),
        approval=(r"\b(?:approved?|approves|lgtm|looks good to me|signed off|sign[- ]off|we sign off|"
                  r"green light|good to go|ok to proceed|okay to proceed|happy to proceed|"
                  r"please proceed|go ahead|you can proceed|proceed|accepted|we accept|i accept|"
                  r"confirmed|i confirm|we confirm|final approval|ship it|all good to launch|"
                  r"happy to sign|(?:go|going|went) with (?:the |option|version|concept|plan|proposal|\w+ option|[a-z0-9]\b|[\"“'‘]|"
                  r"(?!you\b|us\b|it\b|that\b|this\b|them\b|the flow\b)[a-z]+[.,!]?\s*$)|^option [a-z0-9]\b(?=[.!,]?\s*$)|"
                  # a date put forward, accepted: "22 September is fine with us", "9 June works for us", "27 May is acceptable"
                  r"(?:works|is fine|is ok|is okay|is acceptable|is good) (?:for|with|by) (?:us|me)\b|\bis acceptable\b|\bit is[.!]?\s*$|"
                  r"^(?:ok|okay|yes)?[,. ]*agreed\b|\bagreed[.!]?\s*$|signing off|^signed\b|"
                  r"(?:move|moving|go|proceed) (?:straight )?(?:in)?to the (?:next|design|development|build|production)|"
                  r"(?:is|are) (?:all )?fine(?: with us| by us| by me)?(?=[.!]?\s*$)|whenever you(?:'re| are) ready|"
                  # choosing, accepting a moved date, a signed acceptance
                  r"(?<!\w)(?!as\b)\w+ it is(?=[.!]?\s*$)|(?:works|is fine|is acceptable|is ok|is okay) (?:for|by|with) us|fine (?:by|with) us|"
                  r"(?:we )?hereby (?:confirm|accept)|confirm (?:our )?acceptance|acceptance certificate|"
                  r"(?:attached is |here is |please find )?(?:the |our )?signed (?:sow|contract|po|agreement|quote|proposal|order))\b"),
        risk_over=r"\b(?:back on track|resolved now|now resolved|fixed now|caught up|no longer (?:a|an) (?:issue|problem|risk|blocker))\b",
        to_sender=r"\b(?:to us|to me|send us|send me|get us|get me)\b",
        plan_heading=(r"\b(?:next week|next steps?|coming up|upcoming|plans?|to-?dos?|up next|next sprint|planned|action items?|actions|"
                      r"follow-?ups?|owners|milestones?|timeline|schedule|deliverables|key dates)\b"),
        other_side=r"\b(?:you|your|yours)\b",
        delivered=(r"\b(?:(?:i|we)(?:'ve| have)? (?:just |now |already )?(?:sent|shared|uploaded|delivered|submitted|pushed|"
                   r"deployed|published|fixed|updated|completed|finished|released|attached|added|created|configured|set up|filed|signed|"
                   r"raised|issued|booked|granted|invited|moved|merged|resolved)|(?:has|have) (?:now |just |already )?been "
                   r"(?:sent|shared|uploaded|delivered|submitted|deployed|published|fixed|updated|completed|released|added|created|"
                   r"configured|set up|done|resolved|signed|issued|raised|granted|processed|approved)|"
                   r"attached (?:is|are)|please find attached|here (?:is|are|'s) (?:the|our|my)|here's the|"
                   r"(?:is|are) (?:now )?(?:live|up|online|in place|ready|done|sorted|set up|fixed|attached|enclosed)|(?:now )?in place|"
                   r"(?:went|gone|is|are) out\b(?! of)|(?:has|have) gone out|here it is|here they are|(?:is|are) (?:now )?on the (?:shared )?drive|"
                   r"(?:^|[.!] )done\b|all done|(?:it's|that's|this is) done|went live|we're live|are live|"
                   r"^[\w\s'/&-]{2,40}? attached(?: (?:as promised|here|below|for your review|for review))?(?=[.!]?$)|attached as promised|"
                   r"^(?:please )?(?:both |all |also )?attached(?::| (?:the|our|my|you'll find|you will find|herewith|is|are)\b)|"
                   r"(?:is|are|has been|have been) (?:now )?(?:created|activated|enabled|installed|uploaded|available|on the (?:sftp|ftp|server|drive|"
                   r"share|portal|sharepoint|box|wiki|confluence|teams))\b|(?:is|are) (?:now )?(?:in|on) (?:your|the) (?:inbox|mailbox)|"
                   r"(?:deploy\w*|migration|smoke tests?|rollout|roll-out|installation|upload|import|cutover|handover|release) "
                   r"[^.,;]{0,30}?(?:went|have gone|has gone) (?:smoothly|well|fine|to plan|without a hitch)|"
                   r"(?!(?:be|been|being|will|would|to|not|never|please|can|could|should|must|may|might|you|shall|and|or)\b)[a-z]+ "
                   r"(?:kindly |has |have |just |already )+(?:added|created|sent|set up|configured|uploaded|fixed|filed|signed|issued|granted))\b"),
        withdrawn=(r"\b(?:no (?:more )?need (?:for (?:it|that|this|them|those|the \w+)|to (?:send|do|add|chase|worry))|"
                   r"(?:don't|do not|won't|will not) need (?:it|that|this|them|those|the \w+)(?: (?:any ?more|after all))?|"
                   r"no longer (?:need(?:ed)?|required|necessary|want(?:ed)?)|not needed (?:any ?more|after all)|"
                   r"(?:let's|let us|we'll|we will|we'd like to|please) (?:drop|scrap|shelve|withdraw|park)|"
                   r"(?:withdraw|drop|scrap|cancel) (?:the|that|this|our|my) (?:request|ask|idea|change)|"
                   r"forget (?:about )?(?:the|that|it)|not worth (?:it|moving|doing|the)|(?:ignore|disregard) (?:my|that|the) (?:earlier |last )?(?:request|ask|email))\b"),
        refused=(r"\b(?:out of scope|outside (?:the |our )?(?:scope|contract|sow|budget)|not in (?:the |this |our )?(?:scope|contract|sow|phase)|"
                 r"can't (?:accept|agree|do|move|approve|support)|cannot (?:accept|agree|do|move|approve|support)|"
                 r"(?:won't|will not) be able to|not (?:possible|feasible|an option)|(?:have|need) to (?:say no|decline|push back)|"
                 r"(?:we'd|we would|i'd|i would) rather (?:not|keep|stick)|(?:keep|stick with|stick to|hold) (?:the|to the|our|it|go-?live|launch)[^.,;]{0,20}(?:as (?:it is|planned|agreed)|date)|"
                 r"(?:stays|remains) (?:as (?:it is|planned)|on|at|unchanged|the same)|has to stay|must stay|no change to the (?:date|schedule|plan)|"
                 r"decline|turn (?:it|this|that) down|unfortunately (?:not|no|we can't))\b"),
        cancelled=(r"\b(?:(?:cancel(?:l?ing|l?ed)?|call(?:ing)? off|scrap) (?:the |our |this |that |tomorrow's |today's |thursday's |friday's |monday's |tuesday's |wednesday's |next week's )?"
                   r"(?:meeting|call|session|review|walkthrough|sync|catch-?up|demo)|(?:meeting|call|session|sync|catch-?up) (?:is|has been) (?:cancel(?:l)?ed|off)|"
                   r"no need (?:for|to have) (?:the|a|that) (?:meeting|call|session))\b"),
        agreed=(r"\b(?:sounds good|sounds great|works (?:for|with) (?:me|us)|that works|fine (?:by|with) (?:me|us)|agreed|we agree|i agree|"
                r"happy (?:with|to go with) (?:that|this|it)|ok(?:ay)? (?:with|by) (?:me|us)|go ahead|let's do (?:it|that|this)|"
                r"yes,? please|approved|we accept|accepted|makes sense|that's fine|all good|deal|"
                r"happy to (?:include|add|build|take (?:it|this|that) on|fit (?:it|this|that) in)(?! (?:it |this |that )?(?:if|once|as soon as|for)\b))\b"),
        received=(r"\b(?:thanks?(?: you)?(?: \w+)? for (?:the|your|sending)(?! (?:quick |kind |prompt )?(?:email|e-mail|message|mail|"
                  r"reply|response|note|time|help|feedback|patience|understanding|support|call|update|heads-up|input))|(?:i|we)(?:'ve| have)? (?:got|received) (?:the|your)|"
                  r"(?:has|have) (?:arrived|come through))\b"),
        approval_negated=(r"(?:\b(?:not|never|once|if|pending|awaiting|await|needs?|before|until|"
                          r"waiting for|for (?:your|our) approval|to approve|for approval|unapproved|"
                          r"get approved|be approved|cannot)\b|n't\b)"),
        approval_polite=(r"\b(?:please (?:proceed|go ahead)(?: (?:with (?:it|this|that)|accordingly|to (?:the )?"
                         r"(?:[\w-]+ ){0,2}(?:design|development|build|production|"
                         r"phase|stage|step|launch|implementation|print(?:ing)?)))?[.!]?\s*$|"
                         r"feel free to (?:proceed|go ahead)|whenever you(?:'re| are) ready|"
                         r"(?:please )?(?:take|consider|treat) this (?:email |e-mail |message |note )?as (?:our |my )?(?:formal |official |written )?"
                         r"(?:sign-?off|approval|go-ahead|acceptance|confirmation))"),
        meeting=(r"\b(?:meet|meeting|call|catch[- ]up|sync|(?<!live )chat(?! with (?:our|the|their|your) (?:team|support|agents?|staff|customers?)|(?:bot|widget|feature|function|button|support)s?\b)|get together|video call|conference call|"
                 r"zoom|teams call|hangout|walkthrough|walk-through|walk \w+(?: \w+)? through|review session|"
                 r"come (?:by|in|over)|drop by|pop (?:in|by)|visit (?:your|the)|(?:\d+|fifteen|twenty|thirty) minutes with|"
                 r"half an hour with|go through (?:it|them|this|the)|"
                 r"workshop|kick-?off|stand-?up|demo session|sit down|hop on|discuss|discussion|talk|"
                 r"speak (?:to|with) you|go over|touch base|lunch|dinner|breakfast|coffee|drinks?|"
                 r"appointment|appt|join(?:ing)? (?:us|me|you)|a visit|visit (?:us|me)|reschedule|"
                 r"(?:are|r) you (?:free|available|around)(?= (?:on|at|for|this|next|tomorrow|today|tonight|"
                 r"any|sometime|later|to (?:meet|talk|discuss|chat|get))|\?|$)|see you (?=at|on|tomorrow|tonight|next|this|"
                 r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)|get on (?:my|his|her|your) "
                 r"calendar|dry run|demo|rehearsal|present (?:the |our )?(?:findings|results|progress|concepts?|"
                 r"designs?|options|work)|(?:book|schedule|set up|arrange|hold) (?:a|an) (?:[\w-]+ ){0,2}review|"
                 r"come (?:to|by|over to|visit) (?:our|the) (?:[\w-]+ )?(?:office|studio|site|factory|headquarters|hq)|"
                 r"you(?:'re| are) (?:cordially )?invited|(?:an )?invitation to (?:our|the|a)\b|join us (?:for|at))\b"
                 r"|约个?会|开个?会|会议|通个电话|电话会"),
        meeting_propose=(r"\b(?:can we|could we|shall we|should we|let's|let us|how about|what about|"
                         r"would you be (?:free|available)|are you (?:free|available)|is \w+ (?:free|"
                         r"available)|does \w+(?: \w+)? work|would \w+(?: \w+)? work|works for you|"
                         r"(?:i|we)(?:'d| would) like to (?:schedule|set up|arrange|book|have|meet)|"
                         r"propose|suggest|schedule|set up|arrange|book|invite you|invited|invitation|join us|available for|"
                         r"free for|time for|(?:we|i) (?:can|could) (?:meet|call|talk|chat|hop on)|"
                         r"lets|why don't we|do you want to|would you like to|are you (?:around|in)|happy to (?:jump|hop)|"
                         r"suits? you|suit (?:you|everyone)|you(?: and (?:the )?\w+)? be (?:free|available)|can we get|"
                         r"(?:^|, )you (?:free|available)|do you have (?:time|a minute|a moment)|"
                         r"when (?:are|would|is|will|can|could|do) (?:you|we)|who can|"
                         r"(?:we|i)(?:'d| would) (?:love|like) (?:to|for you to|to have you)|invite|"
                         r"(?:i|we) hope (?:we|you) (?:can|could|will)|reschedule|"
                         r"(?:we|you and i) (?:need to|should|must|ought to|have to)|"
                         r"(?:i|we)(?: am| are|'m|'re|'d| would| might| may| really)? (?:want|wanted|hoping|"
                         r"hope|like|love) to "
                         r"(?:meet|discuss|talk|get together|chat|have|schedule|set up|grab)|(?:we|i) (?:can|could|might) (?:probably |maybe |"
                         r"perhaps |just |then |also )?(?:meet|discuss|talk|get together|chat|go over|have)|"
                         r"(?:i|we)(?:'ll| will| shall| can| could| am| are|'m|'re)(?: be)?(?: (?:glad|happy|"
                         r"delighted|pleased|available))?(?: to)? (?:meet|see you|join you|talk (?:to|with) you)|"
                         r"(?:will|shall|'ll) be (?:glad|happy|delighted|pleased) to (?:meet|join|see)|"
                         r"available to|it (?:would|might|may|will) be (?:good|great|nice|worth|useful|"
                         r"helpful|worthwhile|a good idea)|worth (?:taking|having)|^see you)\b"),
        meeting_not=(r"\b(?:notes|(?:the|meeting|call) minutes|minutes (?:of|from)|recording|thanks for|thank you for|yesterday|last week|earlier today|"
                     # a meeting named as a moment: "send the renders before the call"
                     r"(?:before|after|ahead of|during) (?:the|our|this|that|tomorrow's|\w+day's) (?:call|meeting|review|workshop|session|kick-?off|demo))\b"),
        # a reply naming a slot: "Thursday works for me", "How about Tuesday at 3?" — what is
        # left of the clause once its time expressions (@) and these fillers are gone must be
        # empty (in a question or after how/what about) or match slot_fit
        slot_filler=(r"\b(?:(?:i|we)(?: was| were|'m|'re| am| are) thinking(?: of| about)?|maybe|perhaps|or|and|either|then|how about|the|instead|could we do|can we do|shall we (?:lock|say|do|make it)|"
                     r"let's (?:say|do|lock|make it)|lock in|pencil in|go with|at your office|at our office|your office|our office|"
                     r"on teams|on zoom|in person|online|"
                     r"what about|say|coffee|lunch|dinner|breakfast|drinks?|a call|a meeting|the meeting|"
                     r"the call|usual time|same time|at|on|in the|any time|anytime|sometime|morning|"
                     r"afternoon|evening|night|eve|guys|all|(?:sydney|pacific|eastern|central|mountain|uk|london|beijing|"
                     r"shanghai|singapore|hk|cet|cest|et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|gmt|bst|utc|aest|aedt|our|your|local|here|there)"
                     r"(?: time)?)\b"),
        go_ahead=r"^\s*(?:so\s+|and\s+)?(?:please\s+|pls\s+|kindly\s+)?(?:proceed|go ahead|carry on)\b",
        fix=(r"\b(?:typos?|misspel\w*|mistakes?|incorrect|wrong (?:price|number|date|name|link|address|phone|email|"
             r"figure|amount|spelling|logo|image|file)|as an? (?:viewer|editor|admin|user|member|collaborator|guest)|"
             # material or access asked of the other side: "we also need two things from your IT"
             r"need (?:\w+ ){0,4}?from (?:you|your|\w+'s))\b"),
        slot_counter=(r"\b(?:how about|what about|maybe|perhaps|or|either|instead|rather|prefer|suggest|"
                      r"propose|let's|would|could|move|push|reschedule)\b"),
        slot_fit=(r"(?:(?:ok|okay|yes|yeah|sure|great|fine)\s+)*(?:(?:is|are|would|will|should|could|does|do|that|it|also|still|probably|definitely|"
                  r"really|both|each|either|one)\s+)*(?:be\s+)?(?:works?|good|great|fine|perfect|ok|okay|"
                  r"better|best|suits?|free|available|open|possible|convenient|doable|ideal)"
                  r"(?:\s+(?:better|best|well|great|too|nicely))?(?:\s+(?:for|with|by)\s+(?:(?:[a-z]+|both|all) (?:(?:and|&) )?)?(?:me|us|you|"
                  r"everyone|everybody|all of us|both of us|all three of us|them))?(?:\s+(?:too|as well))?"
                  r"|it is|(?:ok|okay|yes|yeah|sure|great|fine)"),
        negation=r"\b(?:won't|will not|can't|cannot|can not|not|never|unable|unlikely|don't|doesn't)\b",
        conditional=r"(?:^|\b)(?:if|unless|in case|provided that|assuming)\b|^\s*once(?= (?:we|you|i|they|it|the|this|that|all|everything)\b)",
        survey=(r"\b(?:(?:rate|rating|score[ds]?|scoring)\b[^.?!]{0,30}?|(?:give|gave|put|giving) (?:(?:it|you|"
                r"us|them|this) )?(?:an? )?|(?:my |our )?answer is )\b(?P<n>\d{1,3})\b"
                r"(?:\s*(?:stars?|points?))?(?:\s*(?:/|out of)\s*(?P<d>\d{1,3}))?"),
        survey_doc=r"\b(?:survey|questionnaire|satisf\w*|ratings?|rate|scores?|nps|recommend|scale of)\b",
        # "Communication: 8", "A: 7", "pulse survey - 9", "6 points", "8 for value for money", "5!"
        survey_item=(r"(?:^|(?<=[:\s]))(?<![\d.])(?P<n>\d{1,3})(?:\s*(?P<unit>points?|stars?)\b"
                     r"|(?:\s*/\s*(?P<d>\d{1,3}))?(?=\s*(?:[!.。！]\s*)?$|\s+for\s+[a-z]))"),
        survey_not=r"\b(?:from \d{1,2} to \d{1,2}|scale of|on a scale)\b",
        survey_context=r"\b(?:rate|rating|score|satisf\w*|out of)\b",
        survey_fraction=r"(?<![\d/])(?P<n>\d{1,2})\s*(?:/|out of)\s*(?P<d>10|5)\b",
        feedback=(r"(?P<neg>\bnot (?:great|good|right|working|quite|ideal|what we|happy)|"
                  r"\b(?:don't|do not|didn't) (?:like|love)|\bnot a fan\b|"
                  r"\b(?:looks?|seems?|feels?|is|are|a bit|a little|slightly)\s+off\b|"
                  r"\btoo (?:small|big|large|dark|light|busy|bright|plain|cluttered|much|many|long|"
                  r"short|bold|thin|faint|generic|crowded)\b|\b(?:ugly|cluttered|confusing|hard to read|"
                  r"difficult to read|unhappy|disappointed|disappointing|messy|inconsistent|wrong|broken|"
                  r"bland|dated|boring|poor|weak|harsh|awkward|odd|strange|unreadable|hate|dislike|"
                  r"underwhelming|amateurish|clunky|cheap|cramped|slow(?:ly)?|late|too high|(?:not |un)acceptable|bumpy|"
                  r"too similar|heavy|frustrat\w*|rough|hiccups?|wobbles?|nervy|bumpier|weak spot)\b)|"
                  r"(?P<pos>\b(?:great|good|nice|better|improved|lov(?:e|es|ed|ing)|like[sd]?|beautiful|excellent|perfect|amazing|awesome|"
                  r"fantastic|clean|impressive|well done|nailed it|happy with|pleased with|brilliant|"
                  r"spot on|elegant|fresh|professional|stunning|wonderful|lovely|gorgeous|superb|"
                  r"outstanding|polished|sharp|slick|crisp|solid|smooth(?:ly)?|responsive|competent|productive|"
                  r"complimented|exactly what we (?:need|wanted)|(?:gone|went) down (?:really |very )?well|worked|"
                  r"works? (?:really |very )?well|working (?:really |very )?well|"
                  r"satisfied|impressed|on-brand|the best (?:agency|team|partner|vendor|studio)|(?:huge |big |real )?improvement|"
                  r"happier|top-notch|wow|instant|(?:very |so |really )?clear|well thought(?: through)?|(?:so |how )easy|"
                  r"best work|speak for themselves|work with you again|nails it|big step up)\b)"),
        work=(r"\b(?:design|designs|mockups?|mock-ups?|layout|colou?rs?|palette|fonts?|typography|"
              r"logo|page|pages|homepage|landing page|copy|draft|version|concept|work|illustrations?|"
              r"images?|photos?|icons?|banner|header|footer|menu|navigation|site|website|app|"
              r"prototype|wireframes?|deliverables?|video|animation|looks?|seems?|feels?|overall|"
              r"job|style|visuals?|result|results|presentation|report|it's|it is|they're|this is|"
              r"that's|these are|"
              # the service as much as the work: "great delivery", "first response is often slow"
              r"team|agency|service|support|delivery|communication|quality|performance|response|"
              r"turnaround|process|collaboration|cut|edit|footage|shoot|build|release|launch|rollout|"
              r"pilot|workshop|training|campaign|translation|packaging)\b"),
        # a bare "that's great" acknowledges news ("Thanks, that's great."); it judges no work
        feedback_not=(r"^\s*(?:thanks?(?: you)?,? )?(?:that's|that is|this is|it's) (?:great|perfect|helpful|brilliant|wonderful)[.!]*\s*$|"
                      r"\b(?:good (?:morning|afternoon|evening|day|night|news|luck|question|point)|"
                      r"have a (?:great|good|nice|lovely)|hope you(?:'re| are) (?:well|good)|"
                      r"nice to (?:meet|hear|see)|great to (?:hear|meet|see)|good to (?:hear|know)|"
                      r"looking forward|sounds good|would like|i'd like|we'd like|like to|if you like|"
                      r"feel free|as good as|good time|works for|thank|thanks|(?:looks?|seems?|feels?|sounds?) like|"
                      r"just like|like this|like that|would love|'d love|love to|"
                      r"hope (?:he|she|you|they|everyone|the family)\b[^.!?]{0,30}\b(?:better|well))\b"),
        strong_feedback=(r"\b(?:love it|love them|perfect|well done|great job|great work|nailed it|disappointed|"
                         r"the best (?:agency|team|partner|vendor|studio)|"
                         r"lov(?:e|ed) (?:the|working|your)|brilliant|gorgeous|excellent|superb|outstanding|impressive|"
                         r"impressed|spot on|exactly what we|(?:gone|went) down (?:really |very )?well|went smoothly|"
                         r"very productive|competent|responsive|solid|too slow|slowly|cheap|cramped|(?:not |un)acceptable|"
                         r"bumpy|bumpier|too high|satisfied|happy with|complimented|it worked|huge improvement|couldn't be happier|"
                         r"(?:everyone|everybody|we all|they all) (?:loved|loves|love) it|top-notch|best work|speak for themselves|"
                         r"feels? (?:instant|faster|fast|snappy)|very clear|well thought through|so easy|how easy|exceeded|"
                         r"work with you again|frustrat\w*|rough|hiccup|wobble|too (?:long|heavy|many|much))\b"),
        assent=r"^\s*(?:ok|okay|sure|great|perfect|yes|yep|sounds good|fine|all good|thanks)\s*(?:[,!.]\s*)?$",
        slip_move=(r"\bwill now (?:be|reach|arrive|start|land|go|ship|move|come|happen|take place)\b|"
                   r"\binstead of\b(?=[^.?!]{0,25}(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
                   r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? \d|\d{1,2}(?:st|nd|rd|th)?\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                   r"\bthe \d{1,2}(?:st|nd|rd|th)\b|\d{1,2}[/.]\d{1,2}|\b(?:end|start|beginning|middle) of\b|\b(?:next|this) week\b|\btomorrow\b))|\b(?:will|'ll|has to|have to|needs? to|must) (?:move|slip|shift|be pushed|be moved)\b"
                   r"(?=[^.?!]{0,40}\b(?:to|until)\b)|\b(?:moves?|moving|slipping|slips) (?:back )?from\b[^.?!]{1,40}\bto\b"),
        slip_late=(r"\bwon'?t be (?:ready|with you|done|live|available|delivered|finished|there|in)\b[^.?!]{0,40}\b(?:until|before)\b|"
                   r"\bat the earliest\b|\b(?:will be|is|are|'s|'re|running) (?:a|an|one|two|three|a few|a couple of|\d+) "
                   r"(?:days?|weeks?) (?:late|behind)\b|\b(?:will be|is going to be|are going to be|'ll be) late\b|"
                   r"\bnot (?:be )?(?:ready|with you) (?:until|before)\b|\bis going to be late\b"),
        degrade=(r"\b(?:would|will|'ll|'d) (?:have to|need to|slip|be delayed|move|push|miss|only|not|fall|ship with|launch with|"
                 r"go live with|be (?:tight|at risk|late|pushed|limited))|\bwon'?t\b|\bcan'?t\b|\bonly be able\b|"
                 r"\b(?:at risk|slip|delay|miss|tight|lag)\b|\bmay not\b|\bmight not\b|\bcould (?:slip|lag|be delayed|push|miss)"),
        conditional_unmet=r"\b(?:not|no|unless|later|late|fail\w*|slips?|any later|still)\b|n't\b",
        defect=(r"\b(?:freez\w*|crash\w*|fails?|failing|broken|glitch\w*|buggy|bugs?|blank (?:page|screen|grid)|"
                r"times? out|timing out|(?:is|are|isn't|aren't|doesn't|don't|won't|not) (?:showing|loading|working|syncing|playing|"
                r"displaying|rendering)(?: up)?|(?:doesn't|don't|won't|does not|do not) (?:show|load|work|sync|play|display|render|open)|"
                r"landing in (?:\w+ )?spam|frustrat\w*|complain\w*|too slow|slow to load)\b"),
        risk_heading=(r"^\W{0,4}(?:(?:main |key |one |a )?risks?|blockers?|risk(?:s)? (?:&|and) (?:issues|blockers))\W{0,4}$|"
                      r"^\W{0,2}(?:one|a|another) (?:risk|thing) (?:i|we) (?:want|need|'d like) to flag(?: early| now)?\W{0,3}$"),
        thanks=r"^\W{0,2}(?:many |big |huge )?(?:thanks|thank you)\b",
        chitchat=(r"^(?:hi|hello|hey|dear|thanks|thank you|many thanks|cheers|best|regards|kind regards|"
                  r"best regards|noted|got it)\b[^.?!]{0,30}[.!]?\s*$"),
    )


__lazy__ = ("ZH", "EN")  # built on first use (tests/test_patterns_bounded.py asks for them by this name)


@functools.cache
def cues(language: str) -> Cues:
    """The cues of `zh` or `en`; each compiled when it is first read (`Cues`)."""
    found = Cues(_zh() if language == "zh" else _en())
    globals()["ZH" if language == "zh" else "EN"] = found  # from now on a plain attribute
    return found


def __getattr__(name: str) -> Cues:
    if name in __lazy__:
        return cues("zh" if name == "ZH" else "en")
    raise AttributeError(f"module 'parsing.lexicon' has no attribute {name!r}")
