"""Findings in ordinary business mail, Chinese and English: kind, who owes it, when.

Reference: Wednesday 2026-03-04 10:15 Asia/Shanghai (next Friday is 13 March).
Each case lists every finding expected, in order, as (kind, by, due); sentences that carry
nothing expect an empty list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from parsing.findings import Doc, find_findings, pipeline, read_text, sentence_starts
from parsing.model import Finding, Kind, Party

REF = dt.datetime(2026, 3, 4, 10, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
US, CLIENT = Party.US, Party.CLIENT
D = dt.date
C, R, CR = Kind.COMMITMENT, Kind.REQUEST, Kind.CHANGE_REQUEST
A, F, M, RK, S = Kind.APPROVAL, Kind.FEEDBACK, Kind.MEETING, Kind.RISK, Kind.SURVEY_RESPONSE


def run(text: str, party: Party, language: str) -> list[Finding]:
    return find_findings(text, language=language, reference=REF, party=party)


def summary(findings: list[Finding]) -> list[tuple[Kind, Party | None, dt.date | None]]:
    return [(f.kind, f.by, f.due) for f in findings]


# (sender party, text, expected [(kind, by, due)])
ZH_CASES = [
    # commitments
    (US, "我们会在下周五之前提交首页设计稿", [(C, US, D(2026, 3, 13))]),
    (US, "好的，我们这周内完成", [(C, US, D(2026, 3, 8))]),
    (US, "明天发给您", [(C, US, D(2026, 3, 5))]),
    (US, "修改稿我们争取周三前发您。", [(C, US, D(2026, 3, 11))]),
    (CLIENT, "我方会在月底前把合同盖章寄回。", [(C, CLIENT, D(2026, 3, 31))]),
    (US, "下周五之前，我们会提交首页设计稿", [(C, US, D(2026, 3, 13))]),
    (US, "我们会重新梳理品牌关键词，争取下周二前出三个新方向给您过目。", [(C, US, D(2026, 3, 10))]),  # one promise
    # a conditional offer: the consequence on the sender's side is the promise, not the condition
    (US, "如果贵方今天确认，我们明天就开始排期。", [(C, US, D(2026, 3, 5))]),
    (US, "如果同意的话我们明天开始改。", [(C, US, D(2026, 3, 5))]),
    (US, "如果有任何问题，欢迎随时联系我们。", []),
    # requests
    (CLIENT, "请贵方本周内提供素材", [(R, US, D(2026, 3, 8))]),
    (CLIENT, "烦请贵司评估一下工期和报价，月底前给我们一个方案。", [(R, US, D(2026, 3, 31))]),  # not our promise
    (CLIENT, "review 之前麻烦把 brand guideline 的最新版发我们。", [(R, US, None)]),  # a moment, not a meeting
    (CLIENT, "另外培训材料请本周内发我们。", [(R, US, D(2026, 3, 8))]),
    (CLIENT, "上次说的那个数据看板，进展怎么样了？", [(R, US, None)]),
    (CLIENT, "麻烦把logo源文件发一下，谢谢！", [(R, US, None)]),
    (CLIENT, "烦请在3月15日前回复。", [(R, US, D(2026, 3, 15))]),
    (CLIENT, "可否提供一下测试账号？", [(R, US, None)]),
    (US, "请贵司三个工作日内确认报价单。", [(R, CLIENT, D(2026, 3, 9))]),
    (US, "劳驾您明天下班前把服务器账号发给我们。", [(R, CLIENT, D(2026, 3, 5))]),
    # change requests
    (CLIENT, "能否把上线时间推迟到4月？", [(CR, US, None)]),
    (CLIENT, "能否把首页主色调改成深蓝色？", [(CR, US, None)]),
    (CLIENT, "首页再增加一个会员登录入口。", [(CR, US, None)]),
    (CLIENT, "我们希望把发布会提前到下周三。", [(CR, US, D(2026, 3, 11))]),
    (US, "建议把第二期的上线时间调整到月底。", [(CR, CLIENT, D(2026, 3, 31))]),
    # feedback
    (CLIENT, "设计稿很漂亮", [(F, CLIENT, None)]),
    (CLIENT, "整体不错，但是字体太小", [(F, CLIENT, None)]),
    (CLIENT, "这版配色有点暗，看起来不太专业。", [(F, CLIENT, None)]),
    # approvals
    (CLIENT, "确认通过", [(A, CLIENT, None)]),
    (CLIENT, "没问题，就按这个来", [(A, CLIENT, None)]),
    (CLIENT, "首页设计稿我们已签字确认。", [(A, CLIENT, None)]),
    (CLIENT, "设计稿很漂亮，确认通过。", [(F, CLIENT, None), (A, CLIENT, None)]),
    (CLIENT, "确认通过，请在周五前上线。", [(A, CLIENT, None), (R, US, D(2026, 3, 6))]),
    (CLIENT, "三个方向里我们选C。", [(A, CLIENT, None)]),  # choosing what was offered
    (CLIENT, "报价没问题，按这个签吧。", [(A, CLIENT, None)]),
    (CLIENT, "没什么要改的，可以直接出成片了。", [(A, CLIENT, None)]),
    (US, "没问题，12月10日前可以上线。", [(C, US, D(2026, 12, 10))]),  # a deadline: a promise, no sign-off
    # meetings
    (CLIENT, "下周二下午3点开个评审会？", [(M, US, D(2026, 3, 10))]),
    (US, "约个电话会？", [(M, CLIENT, None)]),
    (CLIENT, "onboarding 能不能约在周四下午三点？", [(M, US, D(2026, 3, 5))]),
    (US, "原定下周三的培训能不能改到下周五下午两点？", [(M, CLIENT, D(2026, 3, 13))]),  # moving a meeting is a meeting
    (US, "明天上午10点方便开个视频会吗？", [(M, CLIENT, D(2026, 3, 5))]),
    # risks
    (US, "服务器还没开通，可能影响上线", [(RK, US, None)]),
    (US, "恐怕周五赶不上", [(RK, US, D(2026, 3, 6))]),
    (US, "接口文档迟迟没有收到，进度有点紧。", [(RK, US, None)]),
    (US, "原定3月底的上线时间需要往后推两周左右。", [(RK, US, D(2026, 3, 31))]),  # our date gives: no promise
    (US, "商品图供应商那边还没拍完，最快3月20日才能给你们。", [(RK, US, D(2026, 3, 20))]),
    (CLIENT, "能否把上线时间往后推一周？", [(CR, US, None)]),
    (US, "原定周五交付的VI手册可能要延到下周三。", [(RK, US, D(2026, 3, 6))]),  # the day at risk
    (US, "上周延误的联调已经追回来了，目前整体进度正常。", []),  # trouble that is over is no risk
    (US, "风险与问题：\n1. SAP接口还没开通，可能影响联调。", [(RK, US, None)]),  # the heading is not a finding
    # survey
    (CLIENT, "满意度打分：9分", [(S, CLIENT, None)]),
    (CLIENT, "总体评分给8分，沟通很顺畅。", [(S, CLIENT, None), (F, CLIENT, None)]),
    # several in one message
    (CLIENT, "字体太小，能否调大一点？另外请本周五前提供新版。",
     [(F, CLIENT, None), (CR, US, None), (R, US, D(2026, 3, 6))]),
    # no findings
    (US, "已经发给您了", []),
    (US, "有消息我第一时间同步您。", []),  # courtesy, not a promise
    (CLIENT, "我们 IT 和 HR 都可以参加。", []),  # attending the other side's meeting
    (US, "主程下周请了婚假，期间由小刘接手。", []),  # 请了…假 takes leave, asks nothing
    (US, "紧急事务请联系王芳。", []),
    (US, "您的邮件已收到，我们将在1个工作日内回复。请勿直接回复。", []),  # an auto-reply
    (US, "辛苦了！", []),
    (CLIENT, "您好，附件是设计稿，请查收。", []),
    (US, "如有问题请随时联系。", []),
    (CLIENT, "谢谢，祝好！", []),
    (US, "昨天的会议纪要已经发到群里了。", []),
    (CLIENT, "好的，收到。", []),
]

EN_CASES = [
    # commitments
    (US, "I'll send the revised mockups by Thursday.", [(C, US, D(2026, 3, 5))]),
    (US, "We will deliver the homepage design next Friday.", [(C, US, D(2026, 3, 13))]),
    (US, "We're on it and will have a draft to you within 3 working days.",
     [(C, US, D(2026, 3, 9))]),
    (CLIENT, "We'll get you the content by end of the month.", [(C, CLIENT, D(2026, 3, 31))]),
    (US, "You'll have the final files EOD Thursday.", [(C, US, D(2026, 3, 5))]),
    # requests
    (CLIENT, "Please send us the logo files by Monday.", [(R, US, D(2026, 3, 9))]),
    (CLIENT, "Could you possibly share the staging link today?", [(R, US, D(2026, 3, 4))]),
    (CLIENT, "Would you mind sending the invoice again?", [(R, US, None)]),
    (US, "Can you confirm the copy for the About page before next Tuesday?",
     [(R, CLIENT, D(2026, 3, 10))]),
    (US, "We need your brand guidelines in two weeks at the latest.", [(R, CLIENT, D(2026, 3, 18))]),
    # change requests
    (CLIENT, "Can we push the launch back?", [(CR, US, None)]),
    (CLIENT, "Can we add a login page?", [(CR, US, None)]),
    (CLIENT, "We'd like to change the header colour to navy.", [(CR, US, None)]),
    (US, "Could we move the launch to April 10?", [(CR, CLIENT, D(2026, 4, 10))]),
    (CLIENT, "Change the header to navy blue.", [(CR, US, None)]),
    # feedback
    (CLIENT, "The colours look off.", [(F, CLIENT, None)]),
    (CLIENT, "The design looks great, but the font is too small.", [(F, CLIENT, None)]),
    (CLIENT, "Great job on the homepage, the team loves it!", [(F, CLIENT, None)]),
    # approvals
    (CLIENT, "Approved, go ahead.", [(A, CLIENT, None)]),
    (CLIENT, "LGTM", [(A, CLIENT, None)]),
    (CLIENT, "We're happy to sign off on the wireframes.", [(A, CLIENT, None)]),
    # meetings
    (CLIENT, "Can we meet Thursday at 10am?", [(M, US, D(2026, 3, 5))]),
    (US, "Let's have a quick call tomorrow at 2pm to go through the feedback.",
     [(M, CLIENT, D(2026, 3, 5))]),
    (US, "Are you free for a review session next Tuesday?", [(M, CLIENT, D(2026, 3, 10))]),
    # risks
    (US, "We're blocked on the API keys.", [(RK, US, None)]),
    (US, "The launch might slip to next week.", [(RK, US, D(2026, 3, 15))]),
    (US, "I'm afraid we won't make Friday.", [(RK, US, D(2026, 3, 6))]),
    (US, "We still haven't received the server credentials, which could delay the launch.",
     [(RK, US, None)]),
    # survey
    (CLIENT, "I'd rate it 8/10.", [(S, CLIENT, None)]),
    (CLIENT, "5 out of 5", [(S, CLIENT, None)]),
    # several in one sentence, hard cases
    (US, "I'll send the files tomorrow and could you confirm the colours by Friday?",
     [(C, US, D(2026, 3, 5)), (R, CLIENT, D(2026, 3, 6))]),
    (US, "I sent the contract yesterday and we'll sign it by end of the month.",
     [(C, US, D(2026, 3, 31))]),
    (CLIENT, "Please approve the budget by Friday.", [(R, US, D(2026, 3, 6))]),
    (US, "We should be able to get two bolder routes to you by Monday.", [(C, US, D(2026, 3, 9))]),
    (US, "The influencer shortlist will follow early next week.", [(C, US, None)]),
    (CLIENT, "We hereby confirm acceptance of the Phase 2 deliverables.", [(A, CLIENT, None)]),
    (CLIENT, "Gloss it is.", [(A, CLIENT, None)]),
    (CLIENT, "Could you possibly make the nav links a bit larger?", [(CR, US, None)]),
    (US, "Blockers:\n- still waiting for the API keys from your IT team", [(RK, US, None)]),
    (US, "The integration is back on track after last week's delay.", []),
    (US, "Did the staging deploy go through?", [(R, CLIENT, None)]),
    (US, "You're invited: Partner Evening, Thursday 5 March, 6:30pm at The Pier.", [(M, CLIENT, D(2026, 3, 5))]),
    (US, "Please RSVP by 18 March.", [(R, CLIENT, D(2026, 3, 18))]),
    (CLIENT, "Great, see you then.", []),  # accepts, proposes nothing
    (CLIENT, "Hope he feels better soon.", []),
    (CLIENT, "Thanks, that's great.", []),
    (US, "Please confirm the copy. Otherwise the printer slot moves to April.", [(R, CLIENT, None), (RK, US, None)]),
    # a conditional offer: its consequence on the sender's side is a promise, the condition is not
    (US, "If you approve today we can ship Friday.", [(C, US, D(2026, 3, 6))]),
    (US, "If you confirm by Wednesday, we can deliver by the 27th.", [(C, US, D(2026, 3, 27))]),
    (CLIENT, "Can we move the launch to 4/10?", [(CR, US, D(2026, 4, 10))]),
    # no findings
    (US, "I sent it yesterday.", []),
    (US, "If you have any questions, we are happy to help.", []),
    (CLIENT, "Thanks for your email!", []),
    (US, "Hi John,", []),
    (US, "Best regards,", []),
    (US, "Let me know if you have any questions.", []),
    (US, "Please find attached the latest designs.", []),
    (CLIENT, "Good morning, hope you are well.", []),
    (CLIENT, "Have a great weekend!", []),
    (US, "Thanks for the call yesterday.", []),
]


@pytest.mark.parametrize(("party", "text", "expected"), ZH_CASES, ids=[c[1] for c in ZH_CASES])
def test_chinese(party: Party, text: str, expected: list[tuple[Kind, Party, dt.date | None]]) -> None:
    assert summary(run(text, party, "zh")) == expected


@pytest.mark.parametrize(("party", "text", "expected"), EN_CASES, ids=[c[1] for c in EN_CASES])
def test_english(party: Party, text: str, expected: list[tuple[Kind, Party, dt.date | None]]) -> None:
    assert summary(run(text, party, "en")) == expected


def test_due_text_and_text_as_written() -> None:
    [finding] = run("  我们会在下周五之前提交首页设计稿。  ", US, "zh")
    assert finding.text == "我们会在下周五之前提交首页设计稿。"
    assert finding.due_text == "下周五之前"
    assert finding.as_json()["due"] == "2026-03-13"


def test_deadline_marker_wins_over_other_dates() -> None:
    [finding] = run("我们明天开始改，下周五之前交付。", US, "zh")
    assert (finding.kind, finding.due, finding.due_text) == (C, D(2026, 3, 13), "下周五之前")


def test_vague_due_keeps_its_words() -> None:
    [finding] = run("我们争取5月中旬上线。", US, "zh")
    assert (finding.kind, finding.due, finding.due_text) == (C, None, "5月中旬")


@pytest.mark.parametrize(("text", "sentiment"), [
    ("设计稿很漂亮", "positive"),
    ("整体不错，但是字体太小", "mixed"),
    ("颜色太暗了，不太满意。", "negative"),
    ("The colours look off.", "negative"),
    ("The design looks great, but the font is too small.", "mixed"),
    ("Love the new layout, really clean.", "positive"),
    # the service is judged as much as the work
    ("The Reels cut is great.", "positive"),
    ("Honestly the best agency we have worked with.", "positive"),
    ("First response is often slow.", "negative"),
    ("The performance is not acceptable.", "negative"),
    ("Purchase orders work well, but the performance is not acceptable.", "mixed"),
])
def test_sentiment(text: str, sentiment: str) -> None:
    [finding] = run(text, CLIENT, "mixed")
    assert (finding.kind, finding.sentiment) == (F, sentiment)


@pytest.mark.parametrize(("text", "score"), [
    ("满意度打分：9分", 9),
    ("我给这次合作打十分！", 10),
    ("I'd rate it 8/10.", 8),
    ("5 out of 5", 5),
    ("Overall I would give you a 9.", 9),
])
def test_survey_score(text: str, score: int) -> None:
    [finding] = run(text, CLIENT, "mixed")
    assert (finding.kind, finding.score) == (S, score)


@pytest.mark.parametrize(("text", "start", "due"), [
    ("下周二下午3点开个评审会？", dt.datetime(2026, 3, 10, 15, 0), D(2026, 3, 10)),
    ("Can we meet Thursday at 10am?", dt.datetime(2026, 3, 5, 10, 0), D(2026, 3, 5)),
    ("Shall we set up a call on Friday?", None, D(2026, 3, 6)),  # a day and no time
    ("约个电话会？", None, None),
    # a zone named after the time: wall time there, Shanghai time in the plan
    ("彩排定在3月12日下午3点（东京时间）可以吗？", dt.datetime(2026, 3, 12, 14, 0), D(2026, 3, 12)),
    ("下周二上午10点（伦敦时间）开个线上会？", dt.datetime(2026, 3, 10, 18, 0), D(2026, 3, 10)),
])
def test_meeting_start(text: str, start: dt.datetime | None, due: dt.date | None) -> None:
    [finding] = run(text, US, "mixed")
    assert (finding.kind, finding.start, finding.due) == (M, start, due)
    assert finding.as_json()["start"] == (start.strftime("%Y-%m-%dT%H:%M") if start else None)


def test_mixed_language_picks_a_pipeline_per_sentence() -> None:
    text = "Hi Li Wei,\n请贵方本周内提供素材。\nI'll send the mockups by Friday."
    assert summary(run(text, US, "mixed")) == [(R, CLIENT, D(2026, 3, 8)), (C, US, D(2026, 3, 6))]


def test_no_reference_leaves_relative_dues_unresolved() -> None:
    [finding] = find_findings("I'll send it by Friday.", language="en", reference=None, party=US)
    assert (finding.kind, finding.due, finding.due_text) == (C, None, "by Friday")


def test_sentences_split_on_mixed_punctuation_and_lines() -> None:
    text = "第一句。Second one! 第三句？fourth; 第五\nsixth line"
    starts = sentence_starts(text)
    assert [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])] == [
        "第一句。", "Second one!", "第三句？", "fourth;", "第五", "sixth line"]


def test_hard_wrapped_lines_stay_one_sentence() -> None:
    text = ("I'll send the revised homepage mockups and the icon set over to\n"
            "you by Thursday, once the team has reviewed them.")
    [finding] = run(text, US, "en")
    assert (finding.kind, finding.due) == (C, D(2026, 3, 5))


@pytest.mark.parametrize(("text", "language", "due"), [
    # a wrap before a capitalised word, at the wrap width
    ("Hi Anna,\n\nCould you please send over the final version of the brand guidelines by\n"
     "Friday 13 March? We need them for the printer.\n", "en", D(2026, 3, 13)),
    # Chinese wrapped at 72 columns (36 characters), the date on the next line
    ("王经理好，\n\n首页改版涉及的所有图片素材和文案请贵方统一打包之后通过网盘发给我们，最晚\n"
     "3月20日之前。\n\n谢谢\n", "zh", D(2026, 3, 20)),
    ("王经理好，\n\n首页改版涉及的所有图片素材和文案请贵方统一打包之后通过网盘发给我们，最晚在\n"
     "下周三之前。\n", "zh", D(2026, 3, 11)),
])
def test_a_request_wrapped_over_two_lines_keeps_its_date(text: str, language: str, due: dt.date) -> None:
    [finding] = run(text, CLIENT, language)
    assert (finding.kind, finding.due) == (R, due)


def test_short_lines_list_items_and_answers_are_no_wraps() -> None:
    for text, second in (("附件是最新的设计稿\n请查收", "请查收"),  # short lines without a full stop
                         ("1. 完成首页设计稿的第二轮修改并且整理所有的交互说明文档发给客户确认\n2. 下周三前提交测试版本\n", "2. "),
                         ("How likely are you to recommend us to a friend or colleague? 10\nHonestly the best.\n", "Honestly")):
        assert text.index(second) in sentence_starts(text), text


def test_the_pipeline_runs_its_components_over_a_doc() -> None:
    nlp = pipeline("en")
    assert nlp.pipe_names == ["mailbot_sentencizer", "mailbot_times", "mailbot_findings"]
    doc = nlp.make_doc("Please send us the logo files by Monday.")
    doc.reference, doc.party = REF, CLIENT
    doc = nlp(doc)
    [finding] = doc.findings
    assert (finding.kind, finding.by, finding.due, finding.due_text) == (R, US, D(2026, 3, 9), "by Monday")


def test_a_component_can_be_replaced_without_touching_callers() -> None:
    """The seam for a trained component: read_text runs whatever the pipeline holds."""
    nlp = pipeline("en")
    rules = dict(nlp.pipeline)["mailbot_findings"]

    def everything_is_feedback(doc: Doc) -> Doc:
        doc = rules(doc)
        doc.findings = [dataclasses.replace(f, kind=Kind.FEEDBACK) for f in doc.findings]
        return doc

    nlp.replace_pipe("mailbot_findings", everything_is_feedback)
    try:
        [finding] = run("Please send us the logo files by Monday.", CLIENT, "en")
    finally:
        nlp.replace_pipe("mailbot_findings", rules)
    assert finding.kind is Kind.FEEDBACK
    assert [f.kind for f in run("Please send us the logo files by Monday.", CLIENT, "en")] == [R]
    with pytest.raises(ValueError):
        nlp.replace_pipe("no such component", rules)


def test_pipelines_are_built_once() -> None:
    assert pipeline("zh") is pipeline("zh")
    assert pipeline("en") is not pipeline("zh")


def test_reading_mail_does_not_import_spacy() -> None:
    """spaCy's import (its CLI, typer, pydantic…) cost 0.6-0.8 s of every `mailbot extract`."""
    code = ("import sys, parsing.pipeline, mailbot.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'numpy')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


# Everyday request and scheduling forms of real mail (Enron-style English, and the same
# ideas in Chinese where they exist). Policy: an offer conditioned on the reader having
# questions or needs ("Let me know if you need anything", "If you have any questions,
# please call me", 如有疑问，请联系我) is boilerplate, not a request; "let me know if/when"
# about something specific is a request, and so is any such offer with a deadline.
EVERYDAY_CASES = [
    # English requests
    (CLIENT, "Please let me know when the staging site is ready.", [(R, US, None)]),
    (CLIENT, "Can you send me the signed contract?", [(R, US, None)]),
    (CLIENT, "I need you to review the attached draft by Friday.", [(R, US, D(2026, 3, 6))]),
    (CLIENT, "Would you please forward this to the legal team?", [(R, US, None)]),
    (CLIENT, "Let me know if the new layout works for your team.", [(R, US, None)]),
    (CLIENT, "Please call me when you get a chance.", [(R, US, None)]),
    (CLIENT, "Give me a call tomorrow.", [(R, US, D(2026, 3, 5))]),
    (CLIENT, "Send me the final files.", [(R, US, None)]),
    (CLIENT, "Review the attached and let me know your thoughts.", [(R, US, None)]),
    (CLIENT, "Forward this to Sarah.", [(R, US, None)]),
    (CLIENT, "We need the login details before Monday.", [(R, US, D(2026, 3, 9))]),
    (CLIENT, "I would appreciate it if you could confirm the budget.", [(R, US, None)]),
    (CLIENT, "Could someone check the staging server?", [(R, US, None)]),
    (CLIENT, "Any chance you could send the copy today?", [(R, US, D(2026, 3, 4))]),
    (CLIENT, "I was wondering if you could send the invoice again.", [(R, US, None)]),
    (CLIENT, "Just a reminder to send the signed contract.", [(R, US, None)]),
    (CLIENT, "You need to sign the contract before we start.", [(R, US, None)]),
    (CLIENT, "Do you have the latest brand guidelines?", [(R, US, None)]),
    (CLIENT, "Please let me know by Friday if you have any comments.", [(R, US, D(2026, 3, 6))]),
    (CLIENT, "Please review the draft and let me know if you have any questions.", [(R, US, None)]),
    (CLIENT, "Can we wait until Tuesday to send it out?", [(CR, US, D(2026, 3, 10))]),
    # English: not requests
    (CLIENT, "Let me know if you need anything else.", []),
    (CLIENT, "If you have any questions, please call me.", []),
    (CLIENT, "Should you need anything else, please let me know.", []),
    (CLIENT, "You should have received the invoice.", []),
    (CLIENT, "I really appreciate your help.", []),
    # English meetings: proposals, and replies naming a slot
    # accepting a slot answers a proposal and is none; a counter-proposal is a meeting
    (CLIENT, "Thursday works for me.", []),
    (CLIENT, "Wednesday is fine by us.", []),
    (CLIENT, "Friday won't do for us; maybe Monday at 10am instead?", [(M, US, D(2026, 3, 9))]),
    (CLIENT, "How about Tuesday at 3pm?", [(M, US, D(2026, 3, 10))]),
    (CLIENT, "Does Friday work for you?", [(M, US, D(2026, 3, 6))]),
    (CLIENT, "Let's discuss this on Monday.", [(M, US, D(2026, 3, 9))]),
    (CLIENT, "We should talk about the budget.", [(M, US, None)]),
    (CLIENT, "Are you free on Thursday afternoon?", [(M, US, D(2026, 3, 5))]),
    (CLIENT, "Do you want to get together tomorrow to go over the plan?", [(M, US, D(2026, 3, 5))]),
    (CLIENT, "You and I need to sit down and go over the budget.", [(M, US, None)]),
    (US, "I'll see you at 10am on Thursday.", [(M, CLIENT, D(2026, 3, 5))]),
    (CLIENT, "I don't want to discuss it right now.", []),
    (CLIENT, "Monday is a holiday.", []),
    (CLIENT, "Friday is the deadline for the copy.", []),
    # Chinese: the same ideas
    (CLIENT, "有空给我回个电话。", [(R, US, None)]),
    (CLIENT, "明天记得把合同寄过来。", [(R, US, D(2026, 3, 5))]),
    (CLIENT, "别忘了周五前提交报价。", [(R, US, D(2026, 3, 6))]),
    (CLIENT, "你们需要在周五前提供测试账号。", [(R, US, D(2026, 3, 6))]),
    (CLIENT, "您那边有没有最新的报价单？", [(R, US, None)]),
    (CLIENT, "拜托尽快确认一下。", [(R, US, None)]),
    (CLIENT, "还望贵方及时回复。", [(R, US, None)]),
    (CLIENT, "请务必在本周内付款。", [(R, US, D(2026, 3, 8))]),
    (CLIENT, "需要你们帮忙核对一下数据。", [(R, US, None)]),
    (CLIENT, "周四下午3点可以。", []),
    (CLIENT, "周三我们都有空。", []),
    (CLIENT, "周三不行，那就周四上午十点吧。", [(M, US, D(2026, 3, 5))]),
    (CLIENT, "周三我出差，改到周五下午两点吧。", [(M, US, D(2026, 3, 6))]),
    (CLIENT, "周四可以吗？", [(M, US, D(2026, 3, 5))]),
    (CLIENT, "我们需要讨论一下首页的方案。", [(M, US, None)]),
    (CLIENT, "下周找个时间一起吃个饭？", [(M, US, D(2026, 3, 15))]),
    (US, "你们需要的资料我们明天发过去。", [(C, US, D(2026, 3, 5))]),
    (CLIENT, "我记得上次说过。", []),
    (CLIENT, "如有疑问，请随时联系我。", []),
]


@pytest.mark.parametrize(("party", "text", "expected"), EVERYDAY_CASES,
                         ids=[c[1] for c in EVERYDAY_CASES])
def test_everyday_requests_and_scheduling(
        party: Party, text: str, expected: list[tuple[Kind, Party, dt.date | None]]) -> None:
    assert summary(run(text, party, "mixed")) == expected


# Hard cases of the extraction corpus, written afresh for each general cue added while
# measuring tests/test_extraction_corpus.py (politeness, questions that ask for changes,
# hedges and slips, past and planned work, surveys, several findings per sentence).
HARD_CASES = [
    # Chinese politeness: 辛苦 asks only when an ask follows; 邀请/申请 hold no 请
    (CLIENT, "辛苦您明天把报价单发过来。", [(R, US, D(2026, 3, 5))]),
    (CLIENT, "辛苦各位！", []),
    (CLIENT, "感谢邀请！", []),
    (CLIENT, "麻烦问下，发票开好了吗？", [(R, US, None)]),
    (CLIENT, "你们先评估一下工作量。", [(R, US, None)]),
    (CLIENT, "报销流程有新消息吗？", [(R, US, None)]),
    # Chinese changes: scope in or out, moved to a phase, "a bit darker"; 提前 alone is "in advance"
    (CLIENT, "能不能把支付功能也塞进这个版本？", [(CR, US, None)]),
    (CLIENT, "按钮颜色再深一点。", [(CR, US, None)]),
    (CLIENT, "请提前准备好发票。", [(R, US, None)]),
    # Chinese risks: a slip reported, a rejection, a warning of the consequence
    (US, "接口文档可能要顺延两天。", [(RK, US, None)]),
    (CLIENT, "小程序的版本又被驳回了。", [(RK, CLIENT, None)]),
    # Chinese approvals: choosing, signing, "X没问题"
    (CLIENT, "就用方案B。", [(A, CLIENT, None)]),
    (CLIENT, "合同我们签好字了。", [(A, CLIENT, None)]),
    (CLIENT, "同意，先上安卓版", [(A, CLIENT, None)]),
    (CLIENT, "设计稿没问题", [(A, CLIENT, None)]),
    # Chinese commitments: a dated plan with no subject is the sender's; past and purpose are not
    (US, "合同原件明天寄出。", [(C, US, D(2026, 3, 5))]),
    (US, "上周二我们把初稿发给您。", []),
    (CLIENT, "请尽早回复，我们好提前安排人手。", [(R, US, None)]),
    (US, "我们会在收到素材后三个工作日内完成。", [(C, US, None)]),  # counted from an event
    (US, "We will need your feedback within 2 working days of receiving it.", [(R, CLIENT, None)]),
    # Chinese meetings: a slot put to the reader, an invitation
    (CLIENT, "下周二下午2点您那边方便吗？", [(M, US, D(2026, 3, 10))]),
    (US, "诚邀贵司参加我们3月20日下午的新品发布会。", [(M, CLIENT, D(2026, 3, 20))]),
    # a proposal and a bare "您看可以吗？" after it: one change request
    (US, "我们建议首页改成两栏布局。您看可以吗？", [(CR, CLIENT, None)]),
    # English: status and choice questions, asks through someone on the reader's side
    (CLIENT, "Any update on the staging server?", [(R, US, None)]),
    (CLIENT, "Which layout do you prefer?", [(R, US, None)]),
    (CLIENT, "Could your developer check the login page today?", [(R, US, D(2026, 3, 4))]),
    (CLIENT, "Just let us know.", []),
    (CLIENT, "Keep us posted.", []),
    (CLIENT, "For urgent matters please contact my assistant.", []),
    (CLIENT, "We are pleased to welcome you to the programme.", []),
    # English changes
    (CLIENT, "Can we push the launch to April 20?", [(CR, US, D(2026, 4, 20))]),
    (CLIENT, "Can the logo be a bit bigger?", [(CR, US, None)]),
    (CLIENT, "Please use the darker blue instead.", [(CR, US, None)]),
    (CLIENT, "We've decided to drop the blog section.", [(CR, US, None)]),
    # English risks
    (US, "We can't go live before the security review.", [(RK, US, None)]),
    (US, "The certificates are still pending from the registrar.", [(RK, US, None)]),
    # English approvals: choosing an option; "please proceed with <work>" is a request
    (CLIENT, "We're going with option A.", [(A, CLIENT, None)]),
    (CLIENT, "Please proceed with the print files.", [(R, US, None)]),
    # English commitments: our <x> team, "will be with you", a hedge; purpose and whereabouts are not
    (US, "Our design team will deliver the icons by Friday.", [(C, US, D(2026, 3, 6))]),
    (US, "The new build will be with you by Monday.", [(C, US, D(2026, 3, 9))]),
    (US, "It's doable.", [(C, US, None)]),
    (CLIENT, "Please send the photos so we can finish the brochure.", [(R, US, None)]),
    (US, "We'll keep an eye on it.", []),
    # English feedback without a design word
    (CLIENT, "The new gallery is brilliant.", [(F, CLIENT, None)]),
    (CLIENT, "Your team was super responsive.", [(F, CLIENT, None)]),
    # Chinese meetings: a meeting set for a day, "sync一下", an event announced; not an invitation
    # accepted, not a survey invitation, not the notice that an invite will follow
    (CLIENT, "下周找时间安排个会，把验收标准过一遍。", [(M, US, D(2026, 3, 15))]),
    (US, "评审会议定在下周二上午10点。", [(M, CLIENT, D(2026, 3, 10))]),
    (CLIENT, "明天下午能不能sync一下进度？", [(M, US, D(2026, 3, 5))]),
    (US, "我司将于下周五下午3点举办年度沟通会，欢迎各位光临。", [(M, CLIENT, D(2026, 3, 13))]),
    (CLIENT, "我们会派设计主管参加评审会。", [(C, CLIENT, None)]),
    (US, "麻烦您填写一下我们的满意度问卷。", [(R, CLIENT, None)]),
    # Chinese dates: a font size is no day; a recurring deadline names none; a day beats a
    # bare week word; a bare 下周 gives no due
    (CLIENT, "标题字体建议调大一号。", [(CR, US, None)]),
    (US, "从本周开始每周三中午12点前准时发送进度表。", [(C, US, None)]),
    (US, "下周安排：整理素材，3月12日交初稿。", [(C, US, D(2026, 3, 12))]),
    (US, "下周我们安排补拍。", [(C, US, None)]),
    # Chinese feedback: an earlier clause names the work; "整体OK"; a survey's problem is an opinion
    (CLIENT, "三个海报都看过了，感觉都太普通。", [(F, CLIENT, None)]),
    (CLIENT, "landing page整体OK，但是banner有点挤。", [(F, CLIENT, None)]),
    (CLIENT, "满意度问卷：\n意见：新版bug比较多，修复也不够及时。", [(F, CLIENT, None)]),
    (CLIENT, "审核一般3天，您耐心等等。", []),
    # Chinese changes: a colour swap, another adjustment, back to the old one; a plain error is a request
    (CLIENT, "按钮颜色太暗，换橙色。", [(F, CLIENT, None), (CR, US, None)]),
    (CLIENT, "图标间距还要再调一下。", [(CR, US, None)]),
    (CLIENT, "口号还是想用原来的那句。", [(CR, US, None)]),
    (CLIENT, "电话号码写错了，麻烦改成新的座机。", [(R, US, None)]),
    # English: a plain error or access is a request; implicit additions are changes
    (CLIENT, "There's a typo in the footer, could you change it to 2026?", [(R, US, None)]),
    (US, "Could you add our tester as a viewer on the dashboard?", [(R, CLIENT, None)]),
    (CLIENT, "We want a new FAQ page for the help centre.", [(CR, US, None)]),
    (CLIENT, "We would like German subtitles as well.", [(CR, US, None)]),
    (CLIENT, "Can we also get a square version for Instagram?", [(CR, US, None)]),
    (CLIENT, "Our legal team asked for an extra cookie banner step.", [(CR, US, None)]),
    (US, "We could bring the blog templates forward to phase one.", [(CR, CLIENT, None)]),
    (CLIENT, "Finance asks if the retainer could be monthly instead of quarterly.", [(CR, US, None)]),
    # English boilerplate that is no request; a go-ahead after a sign-off is the same approval
    (US, "Just reply to this email with a number from 1 to 10.", []),
    (CLIENT, "Keep it up!", []),
    (CLIENT, "Would you work with us again: yes", []),
    (CLIENT, "Signed off - please go ahead with the build.", [(A, CLIENT, None)]),
    (CLIENT, "Please proceed to the development phase.", [(A, CLIENT, None)]),
]


@pytest.mark.parametrize(("party", "text", "expected"), HARD_CASES, ids=[c[1] for c in HARD_CASES])
def test_hard_cases(party: Party, text: str, expected: list[tuple[Kind, Party, dt.date | None]]) -> None:
    assert summary(run(text, party, "mixed")) == expected


def test_feedback_goes_on_into_a_sentence_of_contrast() -> None:
    [finding] = run("整体很流畅。就是字体有点小。", CLIENT, "zh")
    assert (finding.kind, finding.sentiment) == (F, "mixed")


def test_a_slot_after_a_proposal_is_the_same_meeting() -> None:
    [finding] = run("Could we do a planning call this week? Thursday 11am would be ideal.", US, "en")
    assert (finding.kind, finding.start) == (M, dt.datetime(2026, 3, 5, 11, 0))


@pytest.mark.parametrize(("text", "start"), [
    ("Can we talk tomorrow at 9am London time?", dt.datetime(2026, 3, 5, 17, 0)),
    ("Are you free on Friday at 4pm ET?", dt.datetime(2026, 3, 7, 5, 0)),
    ("Can we talk tomorrow at 9am?", dt.datetime(2026, 3, 5, 9, 0)),
])
def test_meeting_start_in_another_zone(text: str, start: dt.datetime) -> None:
    [finding] = run(text, CLIENT, "en")
    assert (finding.kind, finding.start) == (M, start)


@pytest.mark.parametrize(("text", "scores"), [
    ("回访问卷：\n服务态度：9\n沟通效率 8分", [9, 8]),
    ("问卷：设计 9分 交付 7分", [9, 7]),
    ("页数：4", []),  # no questionnaire word: a bare number is no score
    ("问卷里满分10分，我给9分", [9]),
    ("For the survey: I gave 8 for design and 6 for speed.", [8, 6]),
    ("Survey reply: 7. Fast and friendly.", [7]),
    ("Would you rate us from 1 to 5?", []),
])
def test_survey_scores(text: str, scores: list[int]) -> None:
    found = run(text, CLIENT, "mixed")
    assert [f.score for f in found if f.kind is S] == scores


def test_score_lines_and_list_numbers() -> None:
    text = "Score: 7. Great work.\n1. Send the files"
    starts = sentence_starts(text)
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    assert [piece for piece in pieces if piece] == ["Score: 7.", "Great work.", "1. Send the files"]


def test_past_days_give_no_due() -> None:
    [finding] = run("上周的数据同步跑通了吗？", CLIENT, "zh")
    assert (finding.kind, finding.due) == (R, None)


def test_a_long_rule_line_is_cheap_and_changes_nothing() -> None:
    import time

    reference = dt.datetime(2026, 3, 4, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    text = "Could you send the logo files by Friday?\n" + "=" * 5000 + "\nThanks"
    started = time.perf_counter()
    (finding,) = find_findings(text, language="en", reference=reference, party=Party.CLIENT)
    assert time.perf_counter() - started < 1.0
    assert finding.kind is Kind.REQUEST and finding.text == "Could you send the logo files by Friday?"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Could you send us the feed spec (fields, format, update frequency) by Monday?", Kind.REQUEST),
        ("Sorry this comes right after the kickoff: could we possibly add a FAQ page?", Kind.CHANGE_REQUEST),
        ("请提供接口文档（字段、格式、更新频率），谢谢", Kind.REQUEST),
    ],
)
def test_brackets_and_colons_keep_clauses_whole(text: str, kind: Kind) -> None:
    reference = dt.datetime(2026, 3, 4, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    (finding,) = find_findings(text, language="mixed", reference=reference, party=Party.US)
    assert finding.kind is kind
    assert "(" not in text or "update frequency)" in finding.text


def test_items_of_the_writers_plan_are_its_commitments() -> None:
    report = ("This week:\n- iOS login screen done\n\nNext week:\n- Android push notifications by Wednesday\n"
              "- Beta build to TestFlight on March 13\n- you send us the App Store texts\n\nBest,\nTom")
    assert [(f.kind, f.text, f.due) for f in run(report, US, "en")] == [
        (C, "Android push notifications by Wednesday", D(2026, 3, 11)),
        (C, "Beta build to TestFlight on March 13", D(2026, 3, 13)),
        (R, "you send us the App Store texts", None),  # it names the reader: theirs, not ours
    ]
    zh = "本周进展：\n1. 首页开发完成\n\n下周计划：\n1. 详情页和购物车页面开发\n2. 3月12日提测\n\n请贵方本周内提供测试账号。"
    assert [(f.kind, f.text, f.due) for f in run(zh, US, "zh")] == [
        (C, "详情页和购物车页面开发", None),
        (C, "3月12日提测", D(2026, 3, 12)),  # the list number is not part of the finding
        (R, "请贵方本周内提供测试账号。", D(2026, 3, 8)),  # prose after the list closes the plan
    ]
    # a client's "Next steps" list is what they want from the studio, not their promise
    assert C not in [f.kind for f in run("Next steps:\n- homepage revisions by Friday\n- inner pages", CLIENT, "en")]


@pytest.mark.parametrize("text", [
    "The logo needs to be bigger on the mobile header.",
    "I'd rather we used the darker green for the buttons.",
    "Instead of the carousel, could we have a static hero image?",
    "Can the footer links be moved into a dropdown?",
    'The CTA should say "Book a table" rather than "Reserve".',
    "Our CEO wants the intro video cut down to 30 seconds.",
    "Can we get a Spanish version of the brochure too?",
    "One more thing: the price table should include VAT.",
    "Rather than a PDF, we'd like the report as a web page.",
    "The map should show all 12 stores, not just the flagship.",
    "Could the checkout skip the account creation step?",
    "Price tag needs to be red.",
    "The meeting room needs a lockable door for customer contracts.",
    "The fees page is to be removed entirely.",
    "We would also like an additional spread on the boarding house.",
    "Would it be possible to rewrite the foreword in a warmer tone?",
    "The district wants go-live moved from April 20 to May 4.",
    "Legal says we can't use that claim, so change it to 'extremely limited'.",
])
def test_the_many_ways_clients_ask_for_a_change(text: str) -> None:
    assert [f.kind for f in run(text, CLIENT, "en")] == [CR]


@pytest.mark.parametrize("text", [
    "The staging site should be live by Friday.",  # a plan, not a change
    "We'd rather not go in with open issues.",
    "The invoice should be paid within 30 days.",
    "Production credentials should be issued tomorrow.",
    "Mei should have access now.",
    "I would like a day or two to review the product.",
    "Dina's returns left today by courier so you should have them tomorrow.",
    "We want to keep you updated on licensing shortages on a regular basis.",  # a newsletter's line
    "The first point needs to be checked.",
    "This is the actual content that should be visible.",
])
def test_ought_to_without_a_change(text: str) -> None:
    assert CR not in [f.kind for f in run(text, CLIENT, "en")]


@pytest.mark.parametrize("text", [
    "报价单什么时候能给到我们？",
    "还差一份营业执照扫描件没给我们。",
    "后台账号开通一下，我们要先熟悉一下。",
    "设计源文件打包发一份过来。",
    "你们这边方便的话把排期表更新一下。",
    "有最新的进度表吗？",
    "上周说的那个报价，到底多少钱？",
])
def test_the_many_ways_clients_ask_for_something(text: str) -> None:
    assert [f.kind for f in run(text, CLIENT, "zh")] == [R]


@pytest.mark.parametrize("text", ["跟您同步一下宣传片的进度。", "你们联调计划要避开一下。"])
def test_not_asking_for_a_deliverable(text: str) -> None:
    assert R not in [f.kind for f in run(text, US, "zh")]


@pytest.mark.parametrize(("party", "text", "kind"), [
    # visits and walk-throughs are meetings
    (CLIENT, "下周三下午两点你们来诊所当面说吧。", M),
    (US, "建议下周二下午两点到印厂现场看样。", M),
    (CLIENT, "下周想去贵司拜访一下，当面聊聊下半年的合作。", M),
    # acceptance stated by a side, choosing, signing off
    (US, "上线推迟到5月15日我们这边没问题。", A),
    (CLIENT, "同意换纸。", A),
    (CLIENT, "追加预算3万可以批。", A),
    (CLIENT, "灯箱按你们说的降。", A),
    # risks in Chinese project mail
    (US, "设计加开发至少8个工作日，4月1日前上线有点悬。", RK),
    (US, "第二批样品如果周五到不了，下周的棚期就排不上了。", RK),
    (US, "搭建商报价比预算超了6万左右。", RK),
    # changes
    (CLIENT, "按钮颜色要再醒目一点。", CR),
    (CLIENT, "预约电话要放在每页最上面。", CR),
    (CLIENT, "封面的校训改用书法字体。", CR),
    (CLIENT, "背景别用粉色了，换成我们品牌的暖黄。", CR),
    (CLIENT, "家长端先不做了，这期只做学生端。", CR),
    # requests
    (CLIENT, "搭建商要求4月10日前拿到施工图，你们抓紧。", R),
    (CLIENT, "想请问4月理事会具体是哪天？", R),
    (CLIENT, "不知道贵司这边评估得怎么样？", R),
])
def test_chinese_project_mail_as_clients_and_studios_write_it(party: Party, text: str, kind: Kind) -> None:
    assert [f.kind for f in run(text, party, "zh")] == [kind]


@pytest.mark.parametrize("text", ["设计师小林特别用心。", "补充意见：设计没得说。", "抓紧啊，下周一活动就开始了。"])
def test_praise_and_urging_are_no_change_or_request(text: str) -> None:
    assert not {CR, R} & {f.kind for f in run(text, CLIENT, "zh")}


@pytest.mark.parametrize(("party", "text", "kind"), [
    (US, "Rates will be connected by Friday.", C),  # the plan said of the work
    (US, "CJK size and date format will be in Thursday's build.", C),
    (US, "Test plan coming your way on Monday.", C),
    (US, "Happy to jump on a quick call if it helps.", M),
    (CLIENT, "We would like to visit your studio: would Tuesday 10 March at 10:00 suit you?", M),
    (CLIENT, "Could someone come by the clinic next week to walk Dr. Patel through the changes?", M),
    (CLIENT, "Can we get 30 minutes with your PM on Monday at 10am Eastern to go through it?", M),
    (CLIENT, "Any later and we would need to push the print date.", RK),
    (US, "Moving the outdoor placements will cost a rebooking fee of around $3,500.", RK),
    (CLIENT, "Need the signed contract back by Friday if possible.", R),
    (CLIENT, "We're still missing the audited accounts figures for page 18.", R),
    (US, "We'll need the harbour shot in high-res from you first.", R),
])
def test_english_project_mail_as_clients_and_studios_write_it(party: Party, text: str, kind: Kind) -> None:
    assert [f.kind for f in run(text, party, "en")] == [kind]


@pytest.mark.parametrize("text", ["Please.", "Please contact reception@clinic.example.", "Happy to discuss pricing.",
                                  "Late submissions cannot be accepted."])
def test_no_ask_and_no_sign_off(text: str) -> None:
    assert not {R, M, A} & {f.kind for f in run(text, CLIENT, "en")}


@pytest.mark.parametrize(("party", "text"), [
    (US, "负责前端开发和服务器部署（Tom中文还在学，请多包涵）。"),
    (CLIENT, "请查看："),
    (US, "辛苦张强！"),
    (US, "Schedule: no effect on the homepage milestone."),
    (US, "Go-live on 15 May stays as it is."),
    (US, "部分国家级经开区提供过培训。"),  # a training that was given is no meeting
    (US, "E-mail: info@studio.example"),  # a signature's field, not "e-mail me"
    (US, "Fax: +49 7631 / 360-444"),
])
def test_courtesy_labels_and_status_lines_carry_no_finding(party: Party, text: str) -> None:
    assert run(text, party, "zh" if _CJK_TEXT.search(text) else "en") == []


_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("text", "language", "done"), [
    ("首页设计初稿已经发给您了，请查收。", "zh", ["首页设计初稿已经发给您了"]),
    ("门店查询页已上线，辛苦各位测试一下。", "zh", ["门店查询页已上线"]),
    ("附件是修改后的终稿。", "zh", ["附件是修改后的终稿。"]),
    ("I've uploaded the new build to TestFlight.", "en", ["I've uploaded the new build to TestFlight."]),
    ("Attached is the revised plan.", "en", ["Attached is the revised plan."]),
    ("我们已经收到了，谢谢。", "zh", []),  # received, not delivered
    ("设计稿已经发了吗？", "zh", []),  # a question
    ("We haven't sent the invoice yet.", "en", []),
    ("I'll send the files tomorrow.", "en", []),  # a promise, not a delivery
])
def test_work_reported_done(text: str, language: str, done: list[str]) -> None:
    reading = read_text(text, language=language, reference=REF, party=US)
    assert reading.completions == done


@pytest.mark.parametrize(("text", "language", "received"), [
    ("素材都收到了，谢谢！", "zh", ["素材都收到了"]),
    ("Thanks Emily for the GA export, very useful.", "en", ["Thanks Emily for the GA export"]),
    ("We've received the product photos.", "en", ["We've received the product photos."]),
    ("收到后请回复。", "zh", []),  # an ask, not a receipt
    ("还没收到素材。", "zh", []),
    ("Thanks for your email!", "en", []),  # courtesy, no work named
])
def test_the_other_sides_work_acknowledged(text: str, language: str, received: list[str]) -> None:
    assert read_text(text, language=language, reference=REF, party=US).receipts == received


@pytest.mark.parametrize(("party", "text", "kind"), [
    (US, "接口那边一直没有回音，我们这边只能先停着。", RK),
    (US, "设计师下周请假，进度会慢一些。", RK),
    (US, "人手比较紧张，两个项目同时推进压力很大。", RK),
    (US, "工厂那边说原材料涨价，成本可能要超。", RK),
    (CLIENT, "这版海报比上一版强多了，老板挺满意的。", F),
    (CLIENT, "你们团队响应速度很快，点个赞。", F),
])
def test_chinese_risks_and_praise(party: Party, text: str, kind: Kind) -> None:
    assert [f.kind for f in run(text, party, "zh")] == [kind]


@pytest.mark.parametrize(("text", "language", "kind", "clause"), [
    ("这个不用了，谢谢。", "zh", "withdrawn", "这个不用了"),
    ("市场部讨论后决定今年先不做直播了，这个需求撤回。", "zh", "withdrawn", "市场部讨论后决定今年先不做直播了"),
    ("No need for the photos anymore.", "en", "withdrawn", "No need for the photos anymore."),
    ("外卖积分超出合同范围，建议放到二期。", "zh", "refused", "外卖积分超出合同范围"),
    ("Live chat is out of scope for phase 1.", "en", "refused", "Live chat is out of scope for phase 1."),
    ("这个不能接受。", "zh", "refused", "这个不能接受。"),  # a refusal, not a yes
    ("明天上午的会取消吧。", "zh", "cancelled", "明天上午的会取消吧。"),
    ("Let's cancel Thursday's call.", "en", "cancelled", "Let's cancel Thursday's call."),
    ("没问题，就按这个来。", "zh", "agreed", "没问题"),
    ("Sounds good to us.", "en", "agreed", "Sounds good to us."),
])
def test_what_a_clause_says_about_earlier_ones(text: str, language: str, kind: str, clause: str) -> None:
    reading = read_text(text, language=language, reference=REF, party=CLIENT)
    assert (kind, clause) in [(str(s.kind), s.text) for s in reading.signals]


@pytest.mark.parametrize(("text", "language"), [
    ("能不能不用这么赶？", "zh"),  # a question says nothing yet
    ("请把已经改好的稿子发过来", "zh"),  # an ask, not a yes ("改好的" is no "好的")
    ("If that works, we can start on Monday.", "en"),  # a condition
])
def test_questions_asks_and_conditions_signal_nothing(text: str, language: str) -> None:
    assert read_text(text, language=language, reference=REF, party=CLIENT).signals == []


def test_a_slot_that_suits_is_a_yes_with_its_time() -> None:
    (signal,) = read_text("Thursday at 3pm works for me.", language="en", reference=REF, party=CLIENT).signals
    assert str(signal.kind) == "agreed" and signal.start == dt.datetime(2026, 3, 5, 15, 0)  # REF is a Wednesday


@pytest.mark.parametrize(("text", "language", "party"), [
    ("VI手册和LOGO源文件附件发给你们了（品牌部给的是AI和PDF两种格式）。", "zh", CLIENT),
    ("嘉怡下午都发过来了", "zh", US),
    ("Marcus kindly added the record and test emails now land in Gmail inboxes.", "en", CLIENT),
])
def test_work_reported_done_is_no_promise_and_no_ask(text: str, language: str, party: Party) -> None:
    reading = read_text(text, language=language, reference=REF, party=party)
    assert reading.findings == [] and reading.completions == [text]


# -- issue 9: the mail of whole projects --------------------------------------------------------


@pytest.mark.parametrize(("text", "start"), [
    ("Could we do Thursday 5 March at 10am CT instead?", dt.datetime(2026, 3, 6, 0, 0)),  # 16:00 UTC is midnight in Shanghai
    ("Kickoff call: how about Friday 6 March at 3pm UK / 9am Chicago?", dt.datetime(2026, 3, 6, 23, 0)),
    ("Would you be up for a short retrospective call? I was thinking Friday 6 March, 9am Beijing time.",
     dt.datetime(2026, 3, 6, 9, 0)),
    ("Probably quicker to talk it through – could we do Thursday 5 March at \n2pm?", dt.datetime(2026, 3, 5, 14, 0)),
])
def test_slots_as_people_write_them(text: str, start: dt.datetime) -> None:
    """A zone or a city after the time, a slot the writer is thinking of, a time wrapped onto
    the next line: each is one meeting with its start in the team's zone."""
    [finding] = [f for f in run(text, US, "en") if f.kind is M]
    assert finding.start == start


@pytest.mark.parametrize("text", ["Thursday at 3pm works for Bob and me.", "1. Thursday at 3pm works for Dana and me."])
def test_a_slot_that_suits_several_people_is_a_yes(text: str) -> None:
    (signal,) = read_text(text, language="en", reference=REF, party=CLIENT).signals
    assert str(signal.kind) == "agreed" and signal.start == dt.datetime(2026, 3, 5, 15, 0)


def test_a_bare_time_is_the_writers_own() -> None:
    """Someone in Chicago who writes "10am" means ten in Chicago: 23:00 in Shanghai."""
    (signal,) = read_text("Thursday at 10am works for me.", language="en", reference=REF, party=CLIENT,
                          writer_zone=ZoneInfo("America/Chicago")).signals
    assert signal.start == dt.datetime(2026, 3, 6, 0, 0)
    (same,) = read_text("Thursday at 10am works for me.", language="en", reference=REF, party=CLIENT,
                        writer_zone=ZoneInfo("Asia/Shanghai")).signals
    assert same.start == dt.datetime(2026, 3, 5, 10, 0)


@pytest.mark.parametrize(("party", "text", "kind"), [
    (CLIENT, "Marketing is refreshing the files, so I can get you the brand assets by Wednesday the 11th.", C),
    (CLIENT, "Bob asked whether we could have live chat in the portal.", CR),
    (CLIENT, "For phase 2, could the portal text customers when a shipment is delayed?", CR),
    (CLIENT, "Can Sam take a look?", R),
    (CLIENT, "Is the portal going to work OK on iPads?", R),
    (US, "so we'd like to propose moving the beta on staging from 22 May to 29 May.", CR),
])
def test_english_asks_and_promises_of_whole_projects(party: Party, text: str, kind: Kind) -> None:
    assert [f.kind for f in run(text, party, "en")] == [kind]


@pytest.mark.parametrize(("text", "done"), [
    ("Discovery questionnaire attached as promised.", ["Discovery questionnaire attached as promised."]),
    ("Revised wireframes attached.", ["Revised wireframes attached."]),
    ("The production deploy and smoke tests went smoothly, and logins work.", ["The production deploy and smoke tests went smoothly"]),
    ("Please keep the file attached.", []),
])
def test_more_ways_of_reporting_work_done(text: str, done: list[str]) -> None:
    assert read_text(text, language="en", reference=REF, party=US).completions == done


@pytest.mark.parametrize(("text", "kind"), [
    ("Yes please to the brochure photography", "agreed"),
    ("Happy to include it at no extra cost.", "agreed"),
])
def test_more_ways_of_saying_yes(text: str, kind: str) -> None:
    assert kind in [str(s.kind) for s in read_text(text, language="en", reference=REF, party=CLIENT).signals]


def test_a_phase_two_wish_is_no_refusal() -> None:
    reading = read_text("For phase 2, could the portal text customers when a shipment is delayed?", language="en",
                        reference=REF, party=CLIENT)
    assert reading.signals == []


@pytest.mark.parametrize(("party", "text", "kinds"), [
    (CLIENT, "AURELLE PARIS · 焕光精华 中国首发 2026年5月20日 敬请期待", []),  # a banner, no ask
    (CLIENT, "测试环境账号厂商还在开，他们答应下周二（3月3日）前给，到时候我再发你。", [C]),
    (CLIENT, "One addition: could the campaign scope also include a KOL toolkit — roughly 12 post templates plus a brief?", [CR]),
    (CLIENT, "培训我们安排在下周二下午2点，线下去贵司。", [M]),
])
def test_whole_projects_in_chinese_and_mixed(party: Party, text: str, kinds: list[Kind]) -> None:
    assert [f.kind for f in run(text, party, "mixed")] == kinds


@pytest.mark.parametrize(("party", "text"), [
    (CLIENT, "5月底我们要给86家门店做培训，时间已经很紧了。"),  # their own training, no time with us
    (CLIENT, "另外有个事情想商量一下：陈总希望节后第一周就能看到原型。"),  # 商量 in mail, not a meeting
    (US, "需求评审会的时间等原型出来后再约。"),  # to be arranged later: nothing proposed yet
])
def test_no_meeting_proposed(party: Party, text: str) -> None:
    assert M not in [f.kind for f in run(text, party, "zh")]


def test_a_milestones_name_is_no_work_reported_done() -> None:
    text = "我们建议把开发完成及UAT验收节点从5月22日顺延到5月29日。"
    assert read_text(text, language="zh", reference=REF, party=US).completions == []


def test_the_thing_a_promise_sends_can_be_two_clauses_back() -> None:
    [finding] = run("测试环境账号厂商还在开，他们答应下周二前给，到时候我再发你。", CLIENT, "zh")
    assert finding.text.startswith("测试环境账号") and finding.due == D(2026, 3, 10)


def test_added_in_english_inside_chinese_is_done() -> None:
    reading = read_text("开发者权限已经add你了，please check一下能不能登录。", language="mixed", reference=REF, party=CLIENT)
    assert reading.completions == ["开发者权限已经add你了"]


def test_a_slot_that_names_its_meeting_is_a_yes() -> None:
    (signal,) = read_text("收到，3月7日下午2点的走查会 OK。", language="zh", reference=REF, party=CLIENT).signals
    assert str(signal.kind) == "agreed" and signal.start == dt.datetime(2026, 3, 7, 14, 0)


@pytest.mark.parametrize("text", ["UAT验收会我们建议放在3月12日（周四）下午三点，在贵司会议室。", "建议3月12日（周四）下午2点开一个 UAT 走查会。"])
def test_more_named_meetings(text: str) -> None:
    [finding] = run(text, US, "zh")
    assert (finding.kind, finding.start) == (M, dt.datetime(2026, 3, 12, 15 if "三点" in text else 14, 0))


@pytest.mark.parametrize(("text", "done"), [
    ("attached the user list (BV_CRM_Nutzerliste_2026-02.xlsx).", "attached the user list (BV_CRM_Nutzerliste_2026-02.xlsx)."),
    ("the VPN accounts for you and Ms. Raman are created: users EXT_BKEALY and EXT_PRAMAN.",
     "the VPN accounts for you and Ms. Raman are created:"),
    ("the full extract is on the SFTP: /incoming/bv_full_20260506.zip, 6 files.",
     "the full extract is on the SFTP: /incoming/bv_full_20260506.zip"),
])
def test_deliveries_as_colleagues_abroad_write_them(text: str, done: str) -> None:
    assert read_text(text, language="en", reference=REF, party=CLIENT).completions == [done]


def test_day_and_month_with_dots_keep_their_sentence() -> None:
    """'27.03. at 9:30': the day's dot ends no sentence, and the slot is one."""
    reading = read_text("Thursday 26.03. is not possible. Friday 27.03. at 9:30 would work, with Ms. Becker from my team.",
                        language="en", reference=REF, party=CLIENT)
    [meeting] = [f for f in reading.findings if f.kind is M]
    assert meeting.start == dt.datetime(2026, 3, 27, 9, 30)


# --- who moves what, and warnings (issue 13) -------------------------------------------------

@pytest.mark.parametrize(("party", "text", "language", "expected"), [
    # our own work moves: a risk, and our promise on the new day
    (US, "The brand guidelines will now be ready on Friday 20 March instead of Monday 16 March.", "en",
     [(RK, US, None), (C, US, D(2026, 3, 20))]),
    (US, "The content audit will move from Monday 9 March to Thursday 12 March.", "en",
     [(RK, US, None), (C, US, D(2026, 3, 12))]),
    (US, "测试版要由3月9日延至3月16日才可以交付，抱歉。", "zh", [(RK, US, None), (C, US, D(2026, 3, 16))]),
    (US, "原定週五的測試版要推遲到下週三。", "zh", [(RK, US, None), (C, US, D(2026, 3, 11))]),
    (US, "原定周五交付的VI手册可能要延到下周三。", "zh", [(RK, US, None)]),  # a hedge promises nothing
    # the other side's work will be late: a risk of theirs, no promise
    (CLIENT, "The product photos won't be with you until 27 March at the earliest.", "en", [(RK, CLIENT, None)]),
    (CLIENT, "原定17号给的数据要晚几天。", "zh", [(RK, CLIENT, None)]),
    # asking to move a date is a change request; the client moving its own acceptance date too
    (CLIENT, "Could we move the review from Tuesday to Friday 13 March?", "en", [(CR, US, D(2026, 3, 13))]),
    (CLIENT, "验收时间从3月初改到3月底。", "zh", [(CR, US, D(2026, 3, 31))]),
])
def test_a_date_that_moves(party: Party, text: str, language: str,
                           expected: list[tuple[Kind, Party | None, dt.date | None]]) -> None:
    """The due of a risk is the day at risk (see ZH_CASES); what is compared here is the kind,
    the party and the due of the promise or the change: the new day."""
    found = [(f.kind, f.by, f.due if f.kind is not RK else None) for f in run(text, party, language)]
    assert found == expected


@pytest.mark.parametrize(("party", "text", "language"), [
    (CLIENT, "如果周五前还拿不到授权，预售页只能先用图片版。", "zh"),
    (CLIENT, "若4月中前仍未遞交申請，8月上線會好緊張。", "zh"),
    (US, "If the API keys arrive any later than Monday, the launch would slip by a week.", "en"),
])
def test_a_warning_of_what_follows_is_a_risk(party: Party, text: str, language: str) -> None:
    assert [f.kind for f in run(text, party, language)] == [RK]


def test_an_offer_on_a_condition_is_still_a_promise() -> None:
    assert [f.kind for f in run("如果贵方今天确认，我们明天就开始排期。", US, "zh")] == [C]
    assert [f.kind for f in run("If you confirm by Wednesday, we can deliver by Friday 27 March.", US, "en")] == [C]


@pytest.mark.parametrize(("party", "text", "language", "expected"), [
    # a fault in delivered work, reported by the client, is feedback on it, not a risk
    (CLIENT, "The search page freezes on iPads.", "en", [(F, "negative")]),
    (CLIENT, "导出的PDF中文乱码，列表页筛选一多就卡死。", "zh", [(F, "negative")]),
    (CLIENT, "App喺Android上載相片之後即刻閃退。", "zh", [(F, "negative")]),
    # praise in the words clients use
    (CLIENT, "Huge improvement, everyone loved it.", "en", [(F, "positive")]),
    (CLIENT, "報修流程好清晰，做得好！", "zh", [(F, "positive")]),
    # courtesies and greetings are nothing; the studio's own opinions are no feedback
    (CLIENT, "Thank you for a fantastic collaboration.", "en", []),
    (CLIENT, "Happy holidays to the whole team!", "en", []),
    (US, "The workshop yesterday was one of the most productive sessions we've had.", "en", []),
    # a heading that only announces a risk carries none; the line under it does
    (US, "【风险】\n素材如果周五还到不了，上线只能顺延。", "zh", [(RK, None)]),
    (US, "Risks:\nIf the API keys arrive any later than Monday, the launch would slip.", "en", [(RK, None)]),
])
def test_feedback_risk_or_nothing(party: Party, text: str, language: str,
                                  expected: list[tuple[Kind, str | None]]) -> None:
    assert [(f.kind, f.sentiment) for f in run(text, party, language)] == expected


@pytest.mark.parametrize(("party", "text", "language", "expected"), [
    # a statement, then its deadline in the next sentence: one finding with that due
    (US, "接口需要贵方调整。请在月底前提供。", "zh", [(CR, D(2026, 3, 31))]),
    # the parts of one ask counted out: one finding with its parts
    (US, "需要贵方配合两件事：一是提供测试账号，二是确认支付回调地址，请周五前回复。", "zh", [(R, D(2026, 3, 6))]),
    # an item of a list is no deadline of the item before it
    (US, "下周计划：\n1. 详情页开发\n2. 3月12日提测", "zh", [(C, None), (C, D(2026, 3, 12))]),
])
def test_one_finding_with_its_parts(party: Party, text: str, language: str,
                                    expected: list[tuple[Kind, dt.date | None]]) -> None:
    found = run(text, party, language)
    assert [(f.kind, f.due) for f in found] == expected
    assert found[0].text.startswith(text.split("\n")[0][:4]) or len(found) > 1


def test_bracketed_and_bulleted_labels_are_headings() -> None:
    assert [f.kind for f in run("【本周完成】\n首页开发完成。\n\n■ 下周计划\n- 周五前提交测试版", US, "zh")] == [C]
    assert run("目前我们这边可以的时段有两个：", US, "zh") == []


@pytest.mark.parametrize(("text", "expected"), [
    # a counter-proposal of a meeting's time, in the other side's zone or in Cantonese, is a meeting
    ("改為3月27日（五）下午2點30分得唔得？", [M]),
    ("改成周三（3/11）上午10点（东京时间）吧。", [M]),
    # a date or a change that was put forward, accepted
    ("体验版顺延到27号我们能接受。", [A]),
    ("评估过了，5月28日上线可行。", [A]),
    ("短视频10月8日上线可以", [A]),
    ("首页改版不太能接受。", [F]),
])
def test_counters_and_acceptances(text: str, expected: list[Kind]) -> None:
    assert [f.kind for f in run(text, CLIENT, "zh")] == expected


def test_a_bare_score_answers_the_survey_question_quoted_under_it() -> None:
    reading = read_text("5, mate. Couldn't be happier.", language="en", reference=REF, party=CLIENT,
                        history="\n> On a scale of 1 to 5, how satisfied are you with the project?\n")
    assert [(f.kind, f.score) for f in reading.findings][:1] == [(S, 5)]
    alone = read_text("5, mate. Couldn't be happier.", language="en", reference=REF, party=CLIENT)
    assert S not in [f.kind for f in alone.findings]


def test_a_schedule_under_a_heading_line_is_our_plan() -> None:
    text = ("The key milestones we are committing to are:\n\n- Design concepts: Friday 13 March\n"
            "- Launch: Tuesday 2 June\n\nCould you confirm the booking engine by Friday?")
    assert summary(run(text, US, "en")) == [(C, US, D(2026, 3, 13)), (C, US, D(2026, 6, 2)), (R, CLIENT, D(2026, 3, 6))]
    assert [f.kind for f in run("项目排期如下：\n1. 3月13日 首页设计\n2. 6月2日 上线", US, "zh")] == [C, C]


@pytest.mark.parametrize(("text", "expected"), [
    ("Can we push the campaign launch from 15 September to Tuesday 22 September?", [CR]),
    ("No problem, 9 June works for us.", [A]),  # a date put forward, accepted
    ("Not ideal, but 27 May is acceptable.", [A]),
    ("We're going with C, \"Your City, Muted\".", [A]),  # one of the options offered
    ("Thursday works for me.", []),  # a meeting's day: the answer to a proposal, no finding
])
def test_moving_and_accepting_dates_in_english(text: str, expected: list[Kind]) -> None:
    assert [f.kind for f in run(text, CLIENT, "en")] == expected


def test_a_named_colleague_promising_a_dated_delivery_is_the_writers_promise() -> None:
    assert summary(run("Marco will send you a written plan by Friday 13 March.", US, "en")) == [(C, US, D(2026, 3, 13))]
    assert [f.kind for f in run("Anna will send us the files by Friday.", US, "en")] == [R]  # the other side gives
    assert run("Rachel will be in Shanghai on 11 May.", US, "en") == []


@pytest.mark.parametrize(("text", "expected"), [
    # a day and an hour put forward with nothing to deliver by then: a meeting, wherever it is
    ("第一轮设计评审建议安排在3月16日（周一）下午2:30，地点在贵校行政楼302室。", [M]),
    ("想请你们下周三（3/11）下午两点半来南山办公室。", [M]),
    # work handed over at an hour, or an answer to a proposal, is none
    ("我们明天上午10点发布新版本。", [C]),
    ("好的，周二下午两点我们准时到。", []),
])
def test_a_day_and_an_hour_put_forward(text: str, expected: list[Kind]) -> None:
    assert [f.kind for f in run(text, CLIENT if "我们明天" not in text else US, "zh")] == expected


@pytest.mark.parametrize(("text", "language", "sentiment"), [
    ("Huge improvement. The room pages now feel instant, even on my phone.", "en", "positive"),  # one opinion
    ("Couldn't be happier.", "en", "positive"),
    ("It is clear and well thought through.", "en", "positive"),
    ("The burgundy also feels a little heavy in the hero.", "en", "negative"),
    ("主标语太文气了，缺少居住感。", "zh", "negative"),
    ("整体合作很顺，这点很认可。", "zh", "positive"),
])
def test_opinions_in_clients_words(text: str, language: str, sentiment: str) -> None:
    assert [(f.kind, f.sentiment) for f in run(text, CLIENT, language)] == [(F, sentiment)]


@pytest.mark.parametrize(("party", "text"), [
    (US, "經朋友推薦聯繫您。"),  # an introduction
    (CLIENT, "等我哋可以先做功課。"),  # "so that we can": a purpose
    (US, "我會叫埋IT嘅Alan同合規部嘅莫Sir一齊。"),  # who comes along
    (US, "開發同8月24日上線日期維持不變。"),  # a date kept, nothing new promised
    (US, "轉寄印刷廠的通知給您參考。"),  # forwarded now
])
def test_courtesies_purposes_and_dates_kept_promise_nothing(party: Party, text: str) -> None:
    assert C not in [f.kind for f in run(text, party, "zh")]


def test_an_ask_in_cantonese_order_is_no_promise() -> None:
    assert C not in [f.kind for f in run("聽日上午10點前俾份事故報告我。", CLIENT, "zh")]


@pytest.mark.parametrize(("party", "text", "expected"), [
    (CLIENT, "Can we have the revised cut by next Monday?", [R]),  # a film's cut is a deliverable
    (CLIENT, "Could we cut the intro to 10 seconds?", [CR]),
    (CLIENT, "Could you send the product renders and the spec sheet before the call?", [R]),
    (CLIENT, "We also need two things from Raj's team by Friday 13 March: 1) admin access, 2) an export.", [R]),
    (US, "I'll send an invite.", []),
    (US, "Marco and I will join the partners' meeting by video.", []),
])
def test_english_asks_and_courtesies(party: Party, text: str, expected: list[Kind]) -> None:
    assert [f.kind for f in run(text, party, "en")] == expected
