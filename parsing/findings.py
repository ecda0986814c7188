"""Findings: what a message promises, asks, changes, approves, proposes, fears or scores.

`find_findings(text, language=..., reference=..., party=...)` runs a pipeline per language
and turns what it leaves in `doc.findings` into the message's findings.

The pipelines
-------------
A pipeline is a list of named components, each a function from `Doc` to `Doc` (the text, the
message's reference time, party and zone, and what the components leave). The Chinese and
the English one run the same three, with their own cue lists:

1. `mailbot_sentencizer` splits sentences at 。！？!?；; and at line breaks. A line that
   looks hard-wrapped (long, no closing punctuation, and the next line goes on in lower
   case) is joined to the next one. It keeps the character offsets in
   `doc.sentence_starts`.
2. `mailbot_times` stores `parsing.dates.find_times` of the whole text in `doc.times`.
3. `mailbot_findings` does the rest:
   - It splits each sentence into clauses at ，,;； and before contrast words (但是,
     不过, but, however) and "and/so" followed by a new subject or a modal.
   - It gives each clause at most one kind: cue lists from `parsing.lexicon`, plus a few
     rules on question form, negation, past tense and conditionals.
   - It merges neighbours: feedback, approval and risk clauses next to one of their own
     kind become one finding ("整体不错，但是字体太小" is one `mixed` feedback).
   - A finding's clause grows over the clauses after it that carry no finding of their
     own ("请提供logo，最好是矢量格式"). It also takes in a short clause before it that is
     only a time or an assent ("下周五之前，我们会提交", "没问题，就按这个来").
   - Across sentences it joins a feedback/approval/risk to the next sentence of its kind
     when that one opens with a contrast or a reference back ("…很有质感。就是图片有点糊",
     "… won't be ready. That'll push back testing"), a meeting proposal to a next sentence
     that only names a slot, and a bare "您看可以吗？" / "Would that work?" to the finding
     before it (a commitment that changes something becomes a change request).
   - It writes a `Finding` per finding, its text cut from the characters as written.

Nothing is tokenised. These were spaCy's blank `zh` and `en` pipelines until every rule had
come to read characters and clauses, not tokens: the tokenizer then only cost time (its
import alone, which pulls in spaCy's command line, took 0.6–0.8 s of every `mailbot extract`,
and it was quadratic on long runs of punctuation). The seam stays: a trained component can
replace `mailbot_findings` with `Pipeline.replace_pipe` without touching callers.

The pipelines are built once, on first use. For "mixed" text, each run of sentences goes
to the pipeline of its script: Chinese if CJK characters are at least a third as many as
Latin letters.

Conventions
-----------
- `by`:
  - commitment: the sender's party.
  - request, change_request, meeting: the other party, the one asked to act or to agree.
    This holds even when the sender proposes the change ("Can we push the launch back?"
    from us asks the client).
  - approval, feedback, risk, survey_response: the sender's party, the side that gave
    it or reports it.
- First person plural (we, 我们, 我方, 我司) is always the sender's side.
- Precedence within one clause:
  1. survey_response
  2. approval
  3. meeting
  4. change_request asked for (能否/please/can we … + a change verb)
  5. risk (delay, blocker, 赶不上)
  6. request
  7. commitment
  8. risk named only by a problem word (bug, 故障)
  9. change_request given as a directive ("改成深蓝色" from the client, "Change the
     header to navy")
  10. feedback
- Commitments need a promise: a first-person subject with a future or ability modal
  (will, 'll, going to, can, 会, 将, 马上, 可以 …), or 发给您 / 稍后发 forms. These never
  count as commitments:
  - past statements (已经发给您了, I sent it yesterday);
  - negated ones (we won't make Friday, 恐怕周五赶不上): those become risks when they name
    a delay;
  - questions;
  - the condition of a conditional offer. Its consequence on the sender's side is the
    promise, with its own day ("If you confirm by Wednesday, | we can deliver by the 27th",
    "如果同意的话 | 我们明天开始改"; a condition and consequence written without a comma are
    cut in two), and the condition yields no request.
- Approvals are never questions, negated (not approved, 不同意) or conditional. "Please
  approve" is a request, not an approval.
- Meetings need a meeting word (meeting, call, discuss, talk, lunch, 会议, 讨论一下, 吃个饭 …)
  and a proposal (a question, let's, can we, we should, I'd like to, 约, 安排, 方便吗 …).
  Talk about past meetings and their notes is no proposal, nor is a negated clause ("I
  don't want to discuss it now"). A clause that only names a time and says it suits is a
  meeting too, with no meeting word, when it puts the slot forward: "How about Tuesday at
  3?", "Does Friday work for you?", "周四可以吗？", "改到下周五上午10点吧". One that only
  accepts a slot ("Thursday works for me", "周四下午3点可以") answers a proposal and is no
  finding, unless it goes on a proposal just before it. Meeting clauses of one sentence are
  one meeting, and its `due`/`start` is the day that has a time of day.
- A change that mends an outright error ("价格写错了，明天能改一下吗", "there's a typo") or
  grants access ("add X as a viewer") is a request, not a change request.
- Requests include questions put to the reader (can/could/would you …, do you have …),
  imperatives at the start of a clause (send, forward, review, give me a call …), second
  person obligations (you need to …, 你们需要…), and "let me know when/whether/if <something
  specific>". Stock offers conditioned on the reader's needs are not requests: "Let me know
  if you have any questions", "If you have any questions, please call me", 如有疑问，请联系我
  — unless the clause names a day ("Please let me know by Friday if you have any comments").
- `due` and `due_text`: the time expression inside the finding's text that carries a
  deadline marker (前, 之前, by, before, within …), one naming a day before a vague one
  (春节前…2月6日上线 → 2月6日). If none does, the first one that names a day. Days before
  the message's day are never a due. A vague one (5月中旬), one counted from an event
  (确认后三个工作日内, within 2 days of receiving it) or a recurring one (每周五前) gives
  `due_text` and no `due`. For a change request with a
  range ("from Monday to Wednesday") `due` is the range's end, the new date.
- `start` (meeting): the date and time of day of the proposed meeting, as a naive local
  datetime in the reference's zone; a zone named after the time ("10am UK time", "4pm
  Pacific", "9:00 CET", "下午3点（东京时间）") is converted; a time with no zone named is
  the team's wall time, whoever writes it. With a day and no time, `start` is None and the day
  is in `due`.
- `score`: the integer given ("9分", "8/10", "5 out of 5", "rate it 9"). A fraction counts
  only with rating words near it or standing nearly alone, so that 4/10 in "move it to
  4/10" stays a date. In a message that answers a survey (问卷, 满意度, survey, NPS …) a
  line that ends in a bare number after its label is a score too ("Communication: 8",
  "服务态度 9", "满意度（1-10分）：9", the bracketed scale being no score), and a clause
  with several scores gives one finding per score. Questions ("rate us from 1 to 5?") hold
  none.
- Commitments also include a dated plan with no one else named (原件明天寄出, 下周一提交审核),
  but not one whose only days are past, one done (了), one that is a purpose (我们好…,
  so we can …) or a suggestion (…吧). In the studio's mail, the items of a list under a
  plan heading alone on its line ("下周计划：", "Next week:") are its commitments unless they
  name the reader or are done; a heading alone on its line carries no finding itself.
- A subject-less clause after a commitment of its sentence goes on it ("我们会重新梳理…，
  争取下周二前出…" is one promise). In Chinese a change request goes on over comma clauses
  the same way; in English, commas list separate edits.
- Besides findings, `read_text` returns two kinds of clause that carry none: completions,
  which report the writer's work as delivered ("VI手册已经上传到网盘了", "Staging is up",
  "Attached is the revised plan"), and receipts, which acknowledge the other side's work
  ("素材都收到了", "Thanks Emily for the GA export"). The plan uses them to close promises;
  questions, negations, courtesy ("Thanks for your email") and asks ("收到后请回复") are
  neither.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from parsing import patterns as rx
from parsing.dates import cn_number, find_times, is_deadline
from parsing.hanzi import simplified
from parsing.lexicon import Cues, cues
from parsing.model import Finding, Kind, Party, Signal, SignalKind, TimeExpression

logger = logging.getLogger(__name__)

__all__ = ["Doc", "Pipeline", "Reading", "find_findings", "pipeline", "read_text"]

_SENTENCE_END = "。！？!?；;"
_CJK = rx.compile(r"[\u3400-\u9fff]")
_LATIN = rx.compile(r"[A-Za-z]")
_MERGEABLE = {Kind.FEEDBACK, Kind.APPROVAL, Kind.RISK}
_DUE_KINDS = {Kind.COMMITMENT, Kind.REQUEST, Kind.CHANGE_REQUEST}
_MERGEABLE_CLAUSES = _MERGEABLE | {Kind.MEETING}  # one sentence proposing a meeting is one meeting

# --- the document and the pipeline -----------------------------------------------------------


@dataclass(slots=True, eq=False)
class Doc:
    """One text on its way through a pipeline: what the components read, and what they leave.

    The components read `text` by character offset; nothing here is tokenised, because the
    rules work on clauses cut by punctuation and cue words, and every finding's text is cut
    from what was written."""

    text: str
    lang: str  # zh or en: which cue lists read it
    reference: dt.datetime | None = None  # the message's Date in the team's zone
    writer_zone: ZoneInfo | None = None  # the writer's zone, where it is not the reference's
    party: Party = Party.CLIENT  # the sender's side
    answers_survey: bool = False  # the quoted history asks a survey's question
    sentence_starts: list[int] | None = None  # set by mailbot_sentencizer
    times: list[TimeExpression] = field(default_factory=list)  # set by mailbot_times
    findings: list[Finding] = field(default_factory=list)  # set by mailbot_findings, in text order
    completions: list[str] = field(default_factory=list)
    receipts: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)


Component = Callable[[Doc], Doc]


class Pipeline:
    """Named components run in order over a `Doc`; one can be swapped for another (a trained
    findings component for the rules) without touching callers."""

    def __init__(self, lang: str, components: list[tuple[str, Component]]) -> None:
        self.lang = lang
        self.pipeline = list(components)

    @property
    def pipe_names(self) -> list[str]:
        return [name for name, _component in self.pipeline]

    def make_doc(self, text: str) -> Doc:
        return Doc(text, self.lang)

    def replace_pipe(self, name: str, component: Component) -> None:
        """Put `component` in the place of the one called `name`."""
        self.pipeline[self.pipe_names.index(name)] = (name, component)  # ValueError if there is none

    def __call__(self, doc: Doc) -> Doc:
        for _name, component in self.pipeline:
            doc = component(doc)
        return doc


# --- sentences -----------------------------------------------------------------------------

_LINE = rx.compile(r"[^\n]*(?:\n|$)")
_SENT_END = rx.compile(r"(?<=[。！？!?；;])|(?<=[.](?=\s))")


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start: after 。！？!?；; and '. ', and at line breaks."""
    starts = {0}
    for match in _SENT_END.finditer(text):
        if match.start() > 0 and not _abbreviation(text, match.start()):
            starts.add(match.start())
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines[:-1]):
        offset += len(line) + 1
        if not _soft_wrap(line, lines[index + 1]):
            starts.add(offset)
    return sorted(start for start in starts if start < len(text))


_ABBREVIATIONS = rx.compile(r"(?:\b(?:e\.g|i\.e|etc|mr|mrs|ms|dr|no|vs|approx|incl|st)|\n[ \t]*\d{1,2}|"
                            r"(?<![\d.])(?:0[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2]))\.$",  # the day's dot in "27.02. at 9:30"
                            re.I)


def _abbreviation(text: str, end: int) -> bool:
    """A dot that ends no sentence: "e.g.", "Mr.", a list number at the start of a line ("2. ")."""
    if text[end - 1] != ".":
        return False
    window = text[max(0, end - 8):end]
    if end - 8 <= 0:
        window = "\n" + window
    return _ABBREVIATIONS.search(window) is not None


# A hard-wrapped paragraph: the mail client broke a sentence at a fixed width (about 72-76
# columns; a Chinese character takes two). A line is wrapped when it is wide, does not end a
# sentence or announce a list, and the next goes on with the sentence: in lower case, or,
# for a line at the wrap width, in any word or Chinese character that starts no list item.
_WRAP_WIDTH = 60  # columns: a wrapped line is at least this wide
_GOES_ON = rx.compile(r"[ \t]*(?![-*•·●▪]|\d{1,2}[.)、．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十][、.．])"
                      r"[\w\u3400-\u9fff(（“\"‘'$€£¥]")


def _columns(line: str) -> int:
    return len(line) + len(_CJK.findall(line))


def _soft_wrap(line: str, following: str) -> bool:
    """Whether the break between `line` and `following` is a hard wrap inside a sentence."""
    line = line.rstrip()
    if not line or line[-1] in _SENTENCE_END + ".:：" or not _GOES_ON.match(following):
        return False
    start = following.lstrip()[0]
    if start.islower() or start.isdigit():
        return _columns(line) >= 40
    # the sentence that runs on is under way on this line, not a short answer after a question
    tail = line[max(line.rfind(end) for end in _SENTENCE_END + ".") + 1:]
    return _columns(line) >= _WRAP_WIDTH and _columns(tail) >= 16 and not _CLOSING.match(line)


# A line that ends a letter's opening or closing, not a sentence: "Hi Anna", "Best regards".
_CLOSING = rx.compile(r"[ \t]*(?:hi|hello|dear|thanks|thank you|best|regards|cheers)\b", re.I)


def sentencizer(doc: Doc) -> Doc:
    """Sentence starts (`sentence_starts`: mixed zh/en punctuation and line breaks) as
    character offsets in `doc.sentence_starts`."""
    doc.sentence_starts = sentence_starts(doc.text)
    return doc


def _sentence_bounds(doc: Doc, text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences, without the trailing white space."""
    starts = doc.sentence_starts
    if starts is None:  # the sentencizer was replaced by one that left none
        starts = sentence_starts(text)
    bounds = []
    for a, b in zip(starts, starts[1:] + [len(text)]):
        while b > a and text[b - 1].isspace():
            b -= 1
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            bounds.append((a, b))
    return bounds


def times_component(doc: Doc) -> Doc:
    """Store the time expressions of the whole text in `doc.times`."""
    doc.times = find_times(doc.text, reference=doc.reference, language=doc.lang)
    return doc


# --- clauses -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    text: str
    norm: str  # what the cues read: lower-cased English with straight apostrophes
    question: bool
    conditional: bool
    timed: bool  # holds a time expression that names a day
    future: bool  # … and one of those days is not before the message's day
    slot: bool  # only names a time and says it suits ("Thursday works for me", "周四可以")
    offer: bool  # follows a stock condition: "If you have any questions, | please call me"
    topic: bool = False  # an earlier clause of its sentence names the work ("KV三版都看了，| 都不太行")
    heading: bool = False  # a section heading alone on its line ("风险与问题：", "Blockers:")
    deadline: bool = False  # names a day still to come as a deadline ("12月10日前", "by Friday")
    consequence: bool = False  # what follows a condition ("如果贵方今天确认，| 我们明天就开始排期")
    fix: bool = False  # it or an earlier clause of its sentence names an error ("价格写错了，| 改成199")
    clock: bool = False  # names a time of day ("Thursday 3pm works"): a meeting's slot, not a date


@dataclass(frozen=True, slots=True)
class _Label:
    kind: Kind
    sentiment: str | None = None
    score: int | None = None
    accept: bool = False  # a meeting that only accepts a slot: kept only to join a proposal
    twin: bool = False  # a risk that is also our promise on its new date: "…will now be ready on the 12th"


_ZH_SPLIT = rx.compile(r"(?<=[，,、;；])|(?=但是|不过|另外|同时|并且|而且|然后|所以|因此|否则|—)")
_EN_SPLIT = rx.compile(
    r"(?<=[,;])\s|(?<=:)\s(?=(?:\S+[ \t]+){3})|(?<=[，；])|\s(?=(?:but|however|although|though)\b)|\s[—–-]\s|"
    r"\s(?=(?:and|so|then|also|otherwise)\s+(?:i|we|you|they|he|she|it|please|let's|let us|pls|"
    r"kindly|our|(?:could|can|would|will)\s+(?:you|we|i)|the \w+ (?:is|are|will|might|may)|"
    r"let (?:me|us) know if)\b)",
    re.I)


def _clauses(doc: Doc, text: str, start: int, end: int, cues: Cues,
             english: bool) -> list[_Clause]:
    times = [t for t in doc.times if start <= t.start < end]  # this sentence's
    today = doc.reference.date() if doc.reference else None
    inside = [(t.start, t.end) for t in times] + _bracketed(text, start, end)
    splitter = _EN_SPLIT if english else _ZH_SPLIT
    cuts = [start]
    for match in splitter.finditer(text, start, end):
        cut = match.end() if english else match.start()
        if english and _JOINER_AHEAD.match(text, cut) and text[match.start() - 1] not in ",;" \
                and len(text[cuts[-1]:cut].split()) < 3:
            continue  # "You and I need to…", "Frank and I were…": a subject, not a clause
        if english and _REPLACING.match(text, cuts[-1]):
            continue  # "Instead of the carousel, could we have a static hero?": one change
        if start < cut < end and not any(a < cut < b for a, b in inside):
            cuts.append(cut)
    cuts.append(end)
    cuts = _consequence_cuts(text, cuts, cues, english, inside)
    pieces = []
    conditional_next = offer_next = topic = fix = False
    asked = english and text[start:end].rstrip().endswith(("?", "？"))  # "could the scope include X — roughly Y?" asks in both parts
    for a, b in zip(cuts, cuts[1:]):
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        words = text[a:b]
        norm = words.lower().replace("’", "'") if english else words
        conditional = conditional_next or _conditional(norm, cues)
        consequence = conditional_next or (conditional and _done_clause(norm))
        offer = offer_next
        conditional_next = bool(cues.conditional.match(norm.lstrip())) and not _done_clause(norm)
        offer_next = cues.boilerplate.match(norm.lstrip()) is not None
        days = [t.date for t in times if a <= t.start < b and t.date is not None]
        timed = bool(days)
        future = any(today is None or day >= today for day in days)
        deadline = any(is_deadline(t) and t.date is not None and (today is None or t.date >= today)
                       for t in times if a <= t.start < b)
        question = cues.question.search(norm) is not None or (asked and _ASKING_OPENER.match(norm) is not None)
        fix = fix or cues.fix.search(norm) is not None
        clock = any(t.time is not None for t in times if a <= t.start < b)
        pieces.append(_Clause(a, b, words, norm, question, conditional, timed, future,
                              _slot(words, norm, a, b, times, question, cues), offer, topic,
                              _heading(text, a, b), deadline, consequence, fix, clock))
        topic = topic or cues.work.search(norm) is not None
    return pieces


_CONSEQUENCE = {
    True: rx.compile(r"\s(?=(?:we|i|we'll|i'll|we'd|i'd|we're|i'm|our team|my team)\b)", re.I),
    False: rx.compile(r"(?<=的话)|(?=我们|我方|我这边|我司)"),
}


def _consequence_cuts(text: str, cuts: list[int], cues: Cues, english: bool,
                      inside: list[tuple[int, int]]) -> list[int]:
    """A condition and its consequence written without a comma ("If you approve today we can
    ship Friday", "如果同意的话我们明天开始改") become two clauses, so that the promise has its
    own day rather than the condition's."""
    out = [cuts[0]]
    for a, b in zip(cuts, cuts[1:]):
        piece = text[a:b]
        norm = piece.lower().replace("’", "'") if english else piece
        opening = cues.conditional.match(norm.lstrip())
        if opening:
            offset = len(norm) - len(norm.lstrip()) + opening.end()
            for match in _CONSEQUENCE[english].finditer(norm, offset + 2):
                cut = a + (match.end() if english else match.start())
                if not any(x < cut < y for x, y in inside):
                    out.append(cut)
                    break
        out.append(b)
    return out


_REPLACING = rx.compile(r"\s*(?:instead of|rather than)\b", re.I)
_BRACKETED = rx.compile(r"\([^()\n]*\)|（[^（）\n]*）|\[[^\[\]\n]*\]|【[^【】\n]*】")


def _unbracketed(text: str) -> str:
    """The text without what is in brackets: "send the spec (fields, update frequency)" asks
    for a document; the bracket's "update" is a noun, not a change to make."""
    return _BRACKETED.sub(" ", text)


def _bracketed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans in brackets: "(fields, format, update frequency)" is part of its clause."""
    return [(m.start(), m.end()) for m in _BRACKETED.finditer(text, start, end)]


_ASKING_OPENER = rx.compile(r"\s*(?:could|can|would|will|is|are|do|does|did|should|shall|may)\b")
_LIST_MARK = rx.compile(r"^\s*(?:\d{1,2}[.)、]|[（(]\d{1,2}[)）]|[-*•])\s*")
_JOINER_AHEAD = rx.compile(r"(?:and|so|then|also|otherwise)\s", re.I)
_SLOT_PUNCTUATION = rx.compile(r"[^\w@]+")
_SLOT_ASK = rx.compile(r"\b(?:how about|what about|maybe|perhaps|(?:i|we)(?: was| were|'m|'re| am| are) thinking)\b")
# A place or zone named after a time in its own case: "9am Chicago", "4pm UK", "10:00 Berlin".
_PLACE_AFTER = rx.compile(r"\s+(?!OK\b|Ok\b|Okay\b|Works?\b|Fine\b|Good\b|Great\b|Perfect\b)(?:[A-Z][a-z]+|[A-Z]{2,4})\b(?!['’])(?:\s+time\b)?")


def _slot(words: str, norm: str, a: int, b: int, times: list[TimeExpression], question: bool,
          cues: Cues) -> bool:
    """The clause names a time and little else: it offers or accepts a slot."""
    inside = [t for t in times if a <= t.start and t.end <= b]
    if not inside:
        return False
    rest = norm
    for expression in sorted(inside, key=lambda t: t.start, reverse=True):
        end = expression.end - a
        place = _PLACE_AFTER.match(words, end) if expression.time is not None else None
        if place is not None and place.group(0).strip() != "I":
            end = place.end()
        rest = rest[:expression.start - a] + " @ " + rest[end:]
    rest = cues.slot_filler.sub(" ", _LIST_MARK.sub("", rest))
    rest = " ".join(_SLOT_PUNCTUATION.sub(" ", rest).replace("@", " ").split())
    if not rest:
        return question or _SLOT_ASK.search(norm) is not None
    if rest == "吧":  # "改到下周五上午10点吧" puts a slot forward; "那就下周一吧" may be a deadline
        return any(t.time is not None for t in inside)
    return cues.slot_fit.fullmatch(rest) is not None


def _conditional(norm: str, cues: Cues) -> bool:
    return cues.conditional.search(norm) is not None and cues.request.search(norm) is None


def _done_clause(norm: str) -> bool:
    """A conditional clause that already holds its consequence (…, we'll ship)."""
    return "我们" in norm[2:] or " we " in norm


_TRIM = " \t\r\n，,、;；:：—–-"


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _TRIM:
        a += 1
    while b > a and text[b - 1] in " \t\r\n，,、;；—–-":
        b -= 1
    return a, b


# --- classification ------------------------------------------------------------------------


def _classify(clause: _Clause, cues: Cues, party: Party, survey: bool = False) -> _Label | None:
    """The one kind a clause carries, by the precedence of the module docstring, or None."""
    text = clause.norm
    if cues.chitchat.match(text.strip()) or cues.tail_question.match(text) or clause.heading \
            or cues.risk_heading.search(text.strip()):
        return None
    if cues.cancelled.search(text) and not clause.question:
        return None  # a meeting called off: a signal for the plan, no finding
    score = _score(text, cues, survey)
    if score is not None:
        return _Label(Kind.SURVEY_RESPONSE, score=score)
    if _is_approval(clause, cues):
        return _Label(Kind.APPROVAL)
    if _reports(clause, cues.delivered, cues) and (cues.request.search(text) is None or _POLITE_ASK.search(text) is None):
        return None  # work reported done closes a promise; it promises nothing and asks nothing
    if _is_meeting(clause, cues):
        return _Label(Kind.MEETING, accept=_accepts_slot(clause, cues))
    asks = _asks(clause, cues)
    slip = _slips(clause, cues, party)
    if slip is not None:
        return slip
    if party is Party.CLIENT and cues.defect.search(text) and not (asks or clause.conditional or _HEDGE.search(text)) \
            and not survey:
        return _Label(Kind.FEEDBACK, sentiment="mixed" if _sentiment(clause, cues) == "mixed" else "negative")
    if (clause.conditional or clause.consequence) and cues.degrade.search(text) and not asks and _warns(clause, cues):
        return _Label(Kind.RISK)  # "如果周五前还拿不到，预售页只能先用图片版": a warning, not an offer
    if cues.change.search(_unbracketed(text)) and asks and not _is_commitment(clause, cues):
        # mending an outright error ("价格写错了，明天能改一下吗") or granting access is a request
        return _Label(Kind.REQUEST if clause.fix else Kind.CHANGE_REQUEST)
    if cues.risk.search(text) and not cues.risk_over.search(text):
        return _Label(Kind.RISK)
    if cues.change_norm.search(text) and party is Party.CLIENT and not (
            survey or clause.question or _is_past(clause, cues) or cues.negation.search(text)):
        # "the logo needs to be bigger"; in a survey answer such a line is an opinion
        return _Label(Kind.REQUEST if clause.fix else Kind.CHANGE_REQUEST)
    if _is_request(clause, cues):
        return _Label(Kind.REQUEST)
    if _is_commitment(clause, cues):
        return _Label(Kind.COMMITMENT)
    if cues.risk_weak.search(text) and not (clause.question or clause.conditional
                                            or cues.boilerplate.search(text) or cues.risk_over.search(text)):
        sentiment = _sentiment(clause, cues) if survey else None
        if sentiment is not None:  # a survey answer looks back: "上线后bug比较多" is an opinion
            return _Label(Kind.FEEDBACK, sentiment=sentiment)
        return _Label(Kind.RISK)
    if _is_directive_change(clause, cues, party):
        return _Label(Kind.REQUEST if clause.fix else Kind.CHANGE_REQUEST)
    sentiment = _sentiment(clause, cues) if party is Party.CLIENT else None  # the client judges our work
    if sentiment is not None:
        return _Label(Kind.FEEDBACK, sentiment=sentiment)
    return None


_HEADING = rx.compile(r"[^，,。.!?！？\n]{1,14}[:：][ \t]*(?:\n|$)")


def _heading(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is a section heading alone on its line ("风险与问题：", "Blockers:",
    "需要贵方协助：", or "Action items" over a list): what follows it carries the findings."""
    line_start = text.rfind("\n", 0, a) + 1
    if text[line_start:a].strip() or len(text[a:b].split()) > 4:
        return False
    if _HEADING.match(text, a) is not None or _MARKED_HEADING.match(text, a) is not None:
        return True
    line_end = text.find("\n", a)
    line = text[a:line_end if line_end >= 0 else len(text)].strip()
    if not (line and len(line) <= 24 and _BARE_HEADING.fullmatch(line) is not None) or line_end < 0:
        return False
    found = _NEXT_LINE.search(text, line_end + 1)  # the next line with something on it (no copy of the rest of the text)
    return found is not None and _LIST_ITEM.match(found.group(0).strip()) is not None


_NEXT_LINE = rx.compile(r"\S[^\n]*")
# a label alone on its line, set apart by a bracket or a bullet: "【本周完成】", "■ 风险", "## Next steps"
_MARKED_HEADING = rx.compile(r"(?:[【\[［〔][^】\]］〕\n]{1,14}[】\]］〕]|[■□◆◇▶►▪●#]{1,3}[ \t]?[^\n，,。.!?！？:：]{1,14})[ \t]{0,8}[:：]?[ \t]{0,8}(?:\n|$)")


_BARE_HEADING = rx.compile(r"[\w\u3400-\u9fff][\w\u3400-\u9fff &/-]*")


_SCORE_JOINER = rx.compile(r"\s(?:and|&)\s|[,;，；、]")


def _split_scores(clauses: list[_Clause], labels: list[_Label | None],
                  cues: Cues) -> tuple[list[_Clause], list[_Label | None]]:
    """A clause holding several scores ("设计质量 10分 交付 6分") becomes one per score."""
    out_clauses: list[_Clause] = []
    out_labels: list[_Label | None] = []
    for clause, label in zip(clauses, labels):
        scores = _scores(clause.norm, cues, True) if label and label.score is not None else []
        if len(scores) < 2:
            out_clauses.append(clause)
            out_labels.append(label)
            continue
        a = clause.start
        for index, (end, value, _start) in enumerate(scores):
            if index == len(scores) - 1:
                b = clause.end
            else:  # after this score, or at a joiner before the next ("9 for quality and 8 for …")
                following = scores[index + 1][2]
                joiners = list(_SCORE_JOINER.finditer(clause.norm, end, following))
                joiner = joiners[-1] if joiners else None
                b = clause.start + (joiner.start() if joiner else end)
            piece_start, piece_end = _trim(clause.text, a - clause.start, b - clause.start)
            words = clause.text[piece_start:piece_end]
            out_clauses.append(replace(clause, start=clause.start + piece_start,
                                       end=clause.start + piece_end, text=words,
                                       norm=clause.norm[piece_start:piece_end]))
            out_labels.append(_Label(Kind.SURVEY_RESPONSE, score=value))
            a = b
    return out_clauses, out_labels


def _with_conditions(labels: list[_Label | None], clauses: list[_Clause]) -> list[_Label | None]:
    """A warning is one risk with its condition: "if it doesn't arrive by tomorrow, | we'll have
    to use the backup track" (the condition alone carries no finding)."""
    for i in range(1, len(labels)):
        label = labels[i]
        if label is not None and label.kind is Kind.RISK and clauses[i].consequence \
                and labels[i - 1] is None and clauses[i - 1].conditional:
            labels[i - 1] = label
    return labels


def _slips(clause: _Clause, cues: Cues, party: Party) -> _Label | None:
    """A date said to move, or work said to be late, in a statement (not an ask).

    Our own work moving is a risk, and when it moves to a day still to come for sure, our
    promise on that day as well ("the copy deck will now be ready on the 12th instead of the
    5th"). The other side's work being late is its risk. The client moving a date of its own
    ("验收时间从9月初改到9月底") is a change request, due on the new day."""
    text = clause.norm
    if clause.question or clause.conditional or cues.request.search(text) or _PROPOSES.search(text):
        return None
    if cues.slip_late.search(text):
        return _Label(Kind.RISK, twin=party is Party.US and clause.future and cues.slip_move.search(text) is not None
                      and _HEDGE.search(text) is None)
    if cues.slip_move.search(text) is None:
        return None
    if party is Party.CLIENT:
        return _Label(Kind.CHANGE_REQUEST)
    return _Label(Kind.RISK, twin=clause.future and _HEDGE.search(text) is None)


_PROPOSES = rx.compile(r"建议|希望|想|能否|可否|是否|可不可以|能不能|\b(?:would like|'d like|propose|suggest|can we|could we|"
                       r"shall we|let's|how about|what if|would it be)\b")
_HEDGE = rx.compile(r"可能|恐怕|也许|或许|大概|估计|\b(?:may|might|could|probably|likely|perhaps|possibly)\b")


def _warns(clause: _Clause, cues: Cues) -> bool:
    """A conditional that warns: the condition is something not done in time, or the clause
    is what follows from it, and no promise of ours is offered in return."""
    if clause.consequence:
        return True
    return cues.negation.search(clause.norm) is not None or cues.conditional_unmet.search(clause.norm) is not None


def _asks(clause: _Clause, cues: Cues) -> bool:
    return (clause.question or cues.change_marker.search(clause.norm) is not None
            or cues.request.search(clause.norm) is not None)


def _is_past(clause: _Clause, cues: Cues) -> bool:
    text = clause.norm
    if cues.past.search(text):
        return True
    return cues.done_tail.search(text) is not None and cues.commitment.search(text) is None


def _is_commitment(clause: _Clause, cues: Cues) -> bool:
    text = clause.norm
    if clause.question or _is_past(clause, cues):
        return False
    if clause.conditional and not (clause.consequence and (cues.first_person.search(text) or cues.commitment.search(text))):
        return False  # the condition itself; an offer's consequence on our side is a promise
    if clause.timed and not clause.future:
        return False  # its only days are gone: a report, not a promise
    if cues.negation.search(text) or cues.commitment_not.search(text) \
            or cues.boilerplate.search(text):
        return False
    if cues.to_sender.search(text) and cues.first_person.match(text.lstrip()) is None:
        return False  # "月底前给我们一个方案": the other side gives it; the ask goes on
    if cues.commitment.search(text):
        return True
    if clause.future and _NAMED_PROMISE.match(clause.text.lstrip()):
        return True  # "Marco will send you a written plan by Thursday": someone of the writer's side, named
    if clause.future and cues.action.search(text) and cues.request.search(text) is None \
            and cues.perfective.search(text) is None \
            and (cues.first_person.search(text) or cues.plan_subject.match(text)):
        return True  # 我们这周内完成; a plan with a day and no one else named: 原件明天寄出
    return cues.gives_to_you.search(text) is not None and cues.request.search(text) is None


_NAMED_PROMISE = rx.compile(r"(?:[A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20})?(?: and [A-Z][a-z]{1,20})?|[A-Z][a-z]{1,20}'s team) "
                            r"(?:will|'ll|is going to|are going to) (?!be\b|not\b|need\b|have to\b)[a-z]")


def _is_request(clause: _Clause, cues: Cues) -> bool:
    text = clause.norm
    if cues.request_not.search(text):
        return False
    if (clause.offer or cues.boilerplate.search(text)) and not clause.timed:
        return False  # "let me know if you have any questions"; with a day it is a real ask
    return cues.request.search(text) is not None or cues.request_imperative.search(text) is not None


def _is_approval(clause: _Clause, cues: Cues) -> bool:
    text = clause.norm
    if not cues.approval.search(text) or clause.question or clause.conditional \
            or (clause.slot and (clause.clock or not _EXPLICIT_DAY.search(clause.text))):
        return False  # "9 June works for us" accepts a date put forward; "Thursday (3pm) works" a meeting's slot
    if clause.deadline:
        return False  # a sign-off has no deadline: "12月10日前可以上线" promises, it does not approve
    if cues.approval_polite.search(text):
        return True
    if cues.approval_negated.search(text):
        return False
    return cues.request.search(text) is None


def _is_meeting(clause: _Clause, cues: Cues) -> bool:
    text = clause.norm
    if _is_past(clause, cues) and not clause.question:
        return False
    if clause.slot:
        return True
    if clause.clock and clause.future and not clause.deadline and cues.meeting_propose.search(text) \
            and not (cues.meeting_not.search(text) or _DELIVERS.search(text) or cues.negation.search(text)):
        return True  # a day and an hour put forward, nothing to deliver by then: "建议安排在4月16日下午2:30，在贵校302室"
    if not cues.meeting.search(text) or cues.meeting_not.search(text):
        return False
    if not clause.question and cues.negation.search(_WHY_NOT.sub(" ", text)):
        return False  # "I don't want to discuss them now"; not "why don't we meet"
    return cues.meeting_propose.search(text) is not None or clause.question


_WHY_NOT = rx.compile(r"\bwhy (?:don't|not)\b")
# work handed over at an hour: a promise or an ask, not a meeting ("明天上午10点发布新版本")
_DELIVERS = rx.compile(r"发(?!现|言)|提交|提供|交付|上线|发布|完成|寄|上传|部署|回复|确认|反馈|给(?:我|你|您)|准备|"
                       r"准时|按时|到场|出席|参加|见$|"  # or an answer to one: "周二下午两点我们准时到"
                       r"\b(?:send|submit|deliver|launch|release|publish|ship|upload|deploy|reply|confirm|finish|complete|"
                       r"go live|prepare|see you|be there)\b")


def _accepts_slot(clause: _Clause, cues: Cues) -> bool:
    """A slot that only says it suits ("Thursday works for me", "周四下午3点可以"): an answer
    to a proposal, not one. A question or a counter ("how about…", "那就周五吧") proposes."""
    return clause.slot and not clause.question and cues.slot_counter.search(clause.norm) is None


def _is_directive_change(clause: _Clause, cues: Cues, party: Party) -> bool:
    text = clause.norm
    if not cues.change.search(text) or _is_past(clause, cues) or cues.negation.search(text):
        return False
    if cues.change_imperative.search(text):
        return True
    return party is Party.CLIENT and cues.first_person.search(text) is None \
        and _CJK.search(text) is not None


def _score(text: str, cues: Cues, survey: bool = False) -> int | None:
    scores = _scores(text, cues, survey)
    return scores[0][1] if scores else None


_SCALE = rx.compile(r"[（(]\s*(?:\d{1,3}\s*[-–~～到至]\s*(?P<top>\d{1,3})|满分\s*(?P<full>\d{1,3}))[^）)]{0,4}[）)]"
                    r"|(?:从\s*)?\d{1,3}\s*[-–~～到至]\s*(?P<upto>\d{1,3})\s*分|满分\s*(?P<outof>\d{1,3})\s*分?")


def _scores(text: str, cues: Cues, survey: bool = False) -> list[tuple[int, int, int]]:
    """(end offset, score, start offset) of every score given in `text`, in order.

    `survey`: the message answers a survey (a questionnaire word somewhere in it). Then a
    line that ends in a bare number after its label ("Communication: 8", "服务态度 9",
    "整体满意度（1-10分）：9") or a number standing alone ("10", "5!") is a score too, on the
    scale in brackets if one is given, else up to 10 (100 with 分 or /100).
    """
    if cues.question.search(text) or cues.survey_not.search(text):
        return []  # the survey's own question, or its scale ("rate us from 1 to 5")
    found: list[tuple[int, int, int]] = []  # (start, end, score)

    def add(start: int, end: int, value: int | None, limit: int) -> None:
        if value is not None and 0 <= value <= limit \
                and not any(a < end and start < b for a, b, _v in found):
            found.append((start, end, value))

    scale = _SCALE.search(text)
    top = int(scale["top"] or scale["full"] or scale["upto"] or scale["outof"]) if scale else None
    bare = _SCALE.sub(lambda m: " " * len(m.group(0)), text)  # same offsets, no scale digits
    for match in cues.survey.finditer(bare):
        groups = match.groupdict()
        value = cn_number(groups.get("n") or groups.get("m") or groups.get("k") or "")
        add(match.start(), match.end(), value, int(groups["d"]) if groups.get("d") else (top or 100))
    for match in cues.survey_fraction.finditer(bare):
        alone = len(text.strip()) <= len(match.group(0)) + 14
        if alone or survey or cues.survey_context.search(text):
            add(match.start(), match.end(), int(match["n"]), int(match["d"]))
    if survey:
        for match in cues.survey_item.finditer(bare):
            limit = int(match["d"]) if match["d"] else (top or (100 if match["unit"] else 10))
            add(match.start("n"), match.end(), int(match["n"]), limit)
    return [(end, value, start) for start, end, value in sorted(found)]


def _sentiment(clause: _Clause, cues: Cues) -> str | None:
    if cues.thanks.search(clause.norm):
        return None  # "Thank you for a fantastic collaboration": a courtesy
    text = cues.feedback_not.sub(" ", clause.norm)
    if not (cues.work.search(text) or cues.strong_feedback.search(text) or clause.topic):
        return None
    positive = negative = 0
    for match in cues.feedback.finditer(text):
        if match["neg"]:
            negative += 1
        else:
            positive += 1
    if positive and negative:
        return "mixed"
    if positive:
        return "positive"
    return "negative" if negative else None


_LIST_ITEM = rx.compile(r"[ \t]*(?:[-*•·●▪]|\d{1,2}[.)、．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十][、.])\s*")


def _line_start(text: str, start: int) -> bool:
    return not text[text.rfind("\n", 0, start) + 1:start].strip(" \t-*•·●▪")


def _list_item(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens a line that is a list item ("- …", "1. …", "（2）…")."""
    line = text.rfind("\n", 0, start) + 1
    return _LIST_ITEM.match(text, line) is not None and _line_start(text, start)


_OWNER = rx.compile(r"(?:[ \t]*(?:[-*•·●▪]|\d{1,2}[.)、．](?!\d)|[（(]\d{1,2}[)）])\s*|\s*)[^\s:：，,。]{1,20}(?: [A-Z][a-z]+)?\s*[:：]\s*\S")


def _owned_line(text: str, start: int) -> bool:
    """A list line that names its owner before a colon ("- Dana: brand assets by Wed 11 Feb")."""
    line = text.rfind("\n", 0, start) + 1
    return _OWNER.match(text, line) is not None


def _in_plan(plan: bool, text: str, start: int, clauses: list[_Clause], cues: Cues) -> bool:
    """A plan section opens with a heading such as "下周计划：" or "Next week:" alone on its line
    and runs over the list under it; another heading or a line of prose closes it."""
    heading = next((c for c in clauses if c.heading), None)
    if heading is not None:
        return cues.plan_heading.search(heading.norm) is not None
    last = clauses[-1] if clauses else None
    if last is not None and last.norm.rstrip().endswith((":", "：")) and cues.plan_heading.search(last.norm):
        return True  # "The key milestones we are committing to are:", "项目排期如下："
    if plan and _line_start(text, start) and not _list_item(text, start):
        return False
    return plan


_POLITE_ASK = rx.compile(r"请(?!查收|参阅|查看附件|见附件)|麻烦|烦请|能否|能不能|可否|是否|\bplease\b(?! find)|\b(?:could|can|would|will) you\b|\?|？")
_FUTURE = rx.compile(r"\b(?:will|shall|going to|gonna|plan to|about to|once)\b|'ll\b|将|(?<![审动例开约周晨盘话班])会(?!议|员|上|场|谈|后|签|务|的)|准备|打算|计划|一旦")


def _reports(clause: _Clause, cue: re.Pattern[str], cues: Cues) -> bool:
    """A plain statement that `cue` finds: work delivered (`cues.delivered`: "首页设计稿已经发给
    您了", "Attached is the revised plan") or the other side's work received (`cues.received`:
    "素材收到了", "Thanks for the GA export"). Either may close a promise."""
    return not (clause.question or clause.conditional) and cue.search(clause.norm) is not None \
        and cues.negation.search(clause.norm) is None and cues.commitment.search(clause.norm) is None \
        and _FUTURE.search(clause.norm) is None and not clause.deadline


_SIGNAL_CUES = (
    (SignalKind.WITHDRAWN, "withdrawn"),
    (SignalKind.REFUSED, "refused"),
    (SignalKind.CANCELLED, "cancelled"),
    (SignalKind.AGREED, "agreed"),
)


def _signals(clauses: list[_Clause], cues: Cues) -> list[Signal]:
    """What each plain clause says about earlier ones: withdrawn, refused, cancelled, agreed.
    A clause says one of them at most, in that order (a refusal is no agreement: "不同意",
    "can't accept"); questions and conditions say none."""
    found = []
    for clause in clauses:
        if clause.question or clause.conditional or clause.slot:
            continue  # a slot that suits is a yes with its time: the findings component says it
        for kind, cue in _SIGNAL_CUES:
            if kind is SignalKind.AGREED and (cues.request.search(clause.norm) or _POLITE_ASK.search(clause.norm)) \
                    and not _YES_PLEASE.match(clause.norm):
                continue  # "麻烦王蕾确认是否接受" asks for a yes; it gives none ("Yes please to the photos" does)
            if getattr(cues, cue).search(clause.norm):
                found.append(Signal(kind, clause.text))
                break
    return found


_YES_PLEASE = rx.compile(r"\s*(?:oh,? )?yes,? please\b", re.I)
_NAME_ONLY = rx.compile(r"[^\s:：]{1,20}(?: [^\s:：]{1,20})?\s*[:：]")


def _planned(clause: _Clause, label: _Label | None, cues: Cues, owned: bool = False) -> _Label | None:
    """An item of the writer's plan with no finding of its own is a commitment of the writer's
    ("- Android push notifications by Wednesday"), unless it names the reader or is done. An
    action item that names its owner ("- Northlight: admin guide for your IT team by Fri 3
    July") is that owner's, whoever it is for."""
    if label is not None or clause.heading or clause.question or clause.conditional or len(clause.norm.strip()) < 4:
        return label
    if _NAME_ONLY.fullmatch(clause.norm.strip()):
        return label  # "Marcus:" before its task: the owner, not a task
    if (cues.other_side.search(clause.norm) and not owned) or _is_past(clause, cues) or (clause.timed and not clause.future):
        return label
    return _Label(Kind.COMMITMENT)


# --- from labelled clauses to finding spans ------------------------------------------------


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    label: _Label
    lead: _Clause | None = None  # the clause it starts with, when that opens its sentence


def _drafts(clauses: list[_Clause], labels: list[_Label | None], cues: Cues,
            times: list[TimeExpression]) -> list[_Draft]:
    """Labelled clauses as findings: merged with neighbours of their kind, grown over the rest."""
    drafts: list[_Draft] = []
    previous_free: _Clause | None = None
    for clause, label in zip(clauses, labels):
        if label is None:
            if drafts and drafts[-1].end <= clause.start and previous_free is None \
                    and not cues.chitchat.match(clause.norm.strip()) \
                    and not cues.boilerplate.search(clause.norm):
                drafts[-1].end = clause.end  # the clause goes on the finding before it
                continue
            if previous_free is None or not _objectless(clause, times):
                previous_free = clause  # "测试环境账号厂商还在开，| 他们答应下周二前给，| 到时候我再发你": the thing is two back
            continue
        last = drafts[-1] if drafts else None
        if last and previous_free is None and last.label.kind is Kind.APPROVAL \
                and label.kind is Kind.REQUEST and cues.go_ahead.match(clause.norm):
            last.end = clause.end  # "Approved - please go ahead with development": one sign-off
            continue
        if last and previous_free is None and last.label.kind is label.kind \
                and label.kind in _MERGEABLE_CLAUSES:
            last.end = clause.end
            last.label = _merged(last.label, label)
            continue
        if last and previous_free is None and last.label.kind is label.kind \
                and (label.kind is Kind.COMMITMENT or (label.kind is Kind.CHANGE_REQUEST and cues.joins_changes)) \
                and cues.own_side.search(clause.norm) is None:
            last.end = clause.end  # "我们会重新梳理…，争取下周二前出…": one promise, the plan goes on
            continue
        start = clause.start
        if previous_free is not None and (_absorbable(previous_free, cues, times) or (
                label.kind in (Kind.COMMITMENT, Kind.REQUEST) and _objectless(clause, times) and previous_free.end <= clause.start)):
            start = previous_free.start  # "VI手册和Logo源文件我让王芳整理，| 周三前发给你们": what it sends is before it
        drafts.append(_Draft(start, clause.end, label, clause if clause is clauses[0] else None))
        previous_free = None
    return drafts


# the parts of one ask or promise counted out in one sentence: "一是…，二是…", "first…, second…",
# "1) … 2) …"
_ENUMERATED = rx.compile(r"(?:一是|其一|第一[，、,]|首先)[^。\n]{1,200}?(?:二是|其二|第二[，、,]|其次)|"
                         r"\bfirst(?:ly)?\b[^.\n]{1,200}?\bsecond(?:ly)?\b|"
                         r"(?<![\w.])(?:1[)）]|[(（]1[)）])[^\n]{1,200}?(?<![\w.])(?:2[)）]|[(（]2[)）])", re.I)


def _enumeration(drafts: list[_Draft], text: str, start: int, end: int) -> list[_Draft]:
    """The findings of a sentence that counts out its parts are one finding with its parts."""
    if len(drafts) < 2 or _ENUMERATED.search(text, start, end) is None:
        return drafts
    first = drafts[0]
    first.end = drafts[-1].end
    return [first]


def _join_sentences(drafts: list[_Draft], text: str, cues: Cues, times: list[TimeExpression]) -> list[_Draft]:
    """Findings that go on into the next sentence become one.

    - feedback, approval or risk followed by a sentence of the same kind that opens with a
      contrast or a reference back ("…很有质感。就是图片有点糊", "… won't be ready. That'll
      push back testing");
    - a meeting proposal followed by a sentence that only names a slot ("…当面聊一下吗？两点到
      四点都可以", "Could we do a call this week? Thursday 11am would be ideal");
    - an ask or a promise with no object of its own and a day, after a statement with none
      ("接口需要贵方调整。请在月底前提供。", "The API needs a change on your side. By Friday,
      please."): the deadline of that statement;
    - a proposal followed by a bare "您看可以吗？" / "Would that work?": that question is
      part of it, and a plan of ours that changes something and asks for consent is a
      change request ("我们建议单独发一个版本，2月12日上线。您看可以吗？").
    """
    out: list[_Draft] = []
    for draft in drafts:
        last = out[-1] if out else None
        lead = draft.lead
        if last is None or lead is None or text[last.end:draft.start].strip(" \t\r\n。.!！?？~～"):
            out.append(draft)
            continue
        kind = draft.label.kind
        if kind in (Kind.REQUEST, Kind.COMMITMENT) and last.label.kind in _DUE_KINDS and lead.end == draft.end \
                and _objectless(lead, times, strict=True) and not any(last.start <= t.start < last.end for t in times) \
                and not _list_item(text, draft.start):
            last.end = draft.end  # "接口需要贵方调整。请在月底前提供。": the deadline of the statement before it
            continue
        if kind is Kind.FEEDBACK and last.label.kind is Kind.FEEDBACK and "\n" not in text[last.end:draft.start]:
            last.end = draft.end  # one opinion over two sentences: "Huge improvement. The pages feel instant."
            last.label = _merged(last.label, draft.label)
            continue
        if (kind is last.label.kind and kind in _MERGEABLE and cues.continuation.match(lead.norm)) \
                or (kind is Kind.MEETING and last.label.kind is Kind.MEETING and lead.slot
                    and lead.end == draft.end):
            last.end = draft.end
            last.label = _merged(last.label, draft.label)
            continue
        out.append(draft)
    return out


def _tail(drafts: list[_Draft], clause: _Clause, text: str, cues: Cues) -> bool:
    """Fold a bare "您看可以吗？" into the finding just before it; True when it was folded."""
    last = drafts[-1] if drafts else None
    if last is None or text[last.end:clause.start].strip(" \t\r\n。.!！?？~～，,"):
        return False
    if last.label.kind is Kind.COMMITMENT and cues.change.search(text[last.start:last.end].lower()):
        last.label = _Label(Kind.CHANGE_REQUEST)
    last.end = clause.end
    return True


def _merged(first: _Label, second: _Label) -> _Label:
    if first.accept and not second.accept:
        first = replace(first, accept=False)  # "Tuesday works. Can we call at 3?": a proposal
    if first.kind is not Kind.FEEDBACK or first.sentiment == second.sentiment:
        return first
    return replace(first, sentiment="mixed")


_FILLER = rx.compile(r"[\W_\d]|[我们你您他她它给发到前之内请麻烦把也再就会可以将要马上尽快周日号月天后再在提供交出来]|"
                     r"\b(?:i|i'll|we|we'll|will|you|it|them|this|that|send|get|have|to|by|on|the|a|over|back|soon|shortly)\b", re.I)


def _objectless(clause: _Clause, times: list[TimeExpression], strict: bool = False) -> bool:
    """A promise or ask that names no thing of its own ("周三前发给你们", "I'll send it tomorrow").

    `strict`: nothing at all is left ("请在月底前提供", "By Friday, please"), where two
    characters may otherwise remain ("请在10月16日前提供报价" names the quote)."""
    rest = clause.text
    for expression in times:
        if clause.start <= expression.start and expression.end <= clause.end:
            rest = rest.replace(expression.text, "")
    return len(_FILLER.sub("", rest.lower())) <= (0 if strict else 2)


def _absorbable(clause: _Clause, cues: Cues, times: list[TimeExpression]) -> bool:
    """A clause with no finding that belongs to the next one: an assent or only a time."""
    if cues.assent.match(clause.norm):
        return True
    rest = clause.text
    for expression in times:
        if clause.start <= expression.start and expression.end <= clause.end:
            rest = rest.replace(expression.text, "")
    return rest != clause.text and len(re.sub(r"[\W_]", "", rest)) <= 4


# A bare week word (本周, 下周, next week): a period that a day named beside it beats.
_PERIOD = rx.compile(r"\s*(?:从)?(?:本|这|下|这个|下个)?(?:周|星期|礼拜)\s*|\s*(?:this|next) week\s*", re.I)
# 下周 / next week alone names no day (README: a bare "下周" with no day or 内 has no due).
_BARE_NEXT_WEEK = rx.compile(r"\s*(?:下个?(?:周|星期|礼拜)|next week)\s*", re.I)
# A recurring deadline ("每周五下午6点前", "every Friday by 5pm"): words, but no one day.
_RECURRING = rx.compile(
    r"每个?(?:周|星期|礼拜|天|日|月|工作日)[一二三四五六日天1-7]?(?:[上下]午|早上|晚上|中午|傍晚)?"
    r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})?(?:[点:：](?:\d{1,2}|半)?)?(?:之前|以前|前)"
    r"|\b(?:every|each) (?:day|week|month|weekday|morning|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b(?: (?:by|before) [\w:]+)?", re.I)


def _period(expression: TimeExpression) -> bool:
    return _PERIOD.fullmatch(expression.text) is not None


def _choose_due(times: list[TimeExpression], kind: Kind) -> TimeExpression | None:
    dated = [t for t in times if t.date is not None or t.time is None]  # not a bare time
    if not dated:
        return None
    # a day beats a bare week word beside it ("下周计划：…3月27日提测")
    days = [t for t in dated if t.date is not None and not _period(t)] \
        or [t for t in dated if t.date is not None]
    deadline = [t for t in dated if is_deadline(t)]
    if kind is Kind.MEETING:  # the proposed slot: the day that has a time of day
        return next((t for t in dated if t.date is not None and t.time is not None), None) \
            or next(iter(days), dated[0])
    if deadline:
        # a vague deadline (春节前) gives way to a day named beside it (计划2月6日上线)
        return next((t for t in deadline if t.date is not None), None) \
            or next((t for t in days if not _period(t)), deadline[0])
    if kind is Kind.CHANGE_REQUEST:
        return next((t for t in reversed(days)), dated[-1])  # move X to Y
    return next(iter(days), dated[0])


_ANCHOR_BEFORE = rx.compile(r"(?:(?<![今明后前昨])后|以后|之后|每(?:周|天|日|月|个月)|\b(?:every|each))\s*$", re.I)
_ANCHOR_AFTER = rx.compile(r"\s*(?:of|after|from) (?:receiv\w*|receipt|approval|sign-?off|getting|delivery|"
                           r"the (?:approval|sign-?off|kick-?off)|your (?:approval|feedback|sign-?off))", re.I)


def _anchored(text: str, expression: TimeExpression) -> bool:
    """A deadline counted from an event or repeated ("确认后三个工作日内", "within 2 days of
    receiving it", "每周五前"): it names no one day, so it gives no due."""
    return _ANCHOR_BEFORE.search(text, max(0, expression.start - 4), expression.start) is not None \
        or _ANCHOR_AFTER.match(text, expression.end) is not None


# A zone named after a meeting's time: the time is wall time there, not in the team's zone.
_ZONE_AFTER = rx.compile(
    r"\s*(?:[(（]\s*)?(?:(?:(?P<name>sydney|melbourne|pacific|eastern|central|mountain|uk|london|berlin|paris|"
    r"frankfurt|singapore|tokyo|new york|california|beijing|shanghai|china)(?:\s+time)?|"
    r"(?P<abbr>et|est|edt|pt|pst|pdt|ct|cst|cdt|cet|cest|gmt|bst|utc|aest|aedt|jst|sgt))\b|"
    r"(?P<cn>东京|日本|伦敦|英国|纽约|美东|美国东部|美西|美国西部|太平洋|悉尼|新加坡|北京|上海|柏林|德国|巴黎|法国|香港)时间)",
    re.I)
_ZONES = {
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "pacific": "America/Los_Angeles", "california": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "eastern": "America/New_York", "new york": "America/New_York", "et": "America/New_York",
    "est": "America/New_York", "edt": "America/New_York", "central": "America/Chicago",
    "ct": "America/Chicago", "cdt": "America/Chicago", "mountain": "America/Denver",
    "uk": "Europe/London", "london": "Europe/London", "gmt": "Europe/London", "bst": "Europe/London",
    "berlin": "Europe/Berlin", "paris": "Europe/Paris", "frankfurt": "Europe/Berlin",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "utc": "UTC", "tokyo": "Asia/Tokyo",
    "jst": "Asia/Tokyo", "singapore": "Asia/Singapore", "sgt": "Asia/Singapore",
    "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "china": "Asia/Shanghai",
    "cst": "Asia/Shanghai",  # China Standard Time in mail to and from China
    "东京": "Asia/Tokyo", "日本": "Asia/Tokyo", "伦敦": "Europe/London", "英国": "Europe/London",
    "纽约": "America/New_York", "美东": "America/New_York", "美国东部": "America/New_York",
    "美西": "America/Los_Angeles", "美国西部": "America/Los_Angeles", "太平洋": "America/Los_Angeles",
    "悉尼": "Australia/Sydney", "新加坡": "Asia/Singapore", "北京": "Asia/Shanghai", "上海": "Asia/Shanghai",
    "柏林": "Europe/Berlin", "德国": "Europe/Berlin", "巴黎": "Europe/Paris", "法国": "Europe/Paris",
    "香港": "Asia/Hong_Kong",
}


_EXPLICIT_DAY = rx.compile(r"\d{1,2}\s*月\s*\d{1,2}|\d{1,2}\s*[日号]|\d{1,2}[/.-]\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3}|[A-Za-z]{3,9}\.?\s+\d{1,2}", re.I)


def _meeting_start(times: list[TimeExpression], text: str, doc: Doc) -> dt.datetime | None:
    reference, writer = doc.reference, doc.writer_zone
    both = next((t for t in times if t.date and t.time), None)
    if both and both.date and both.time:
        return _in_team_zone(dt.datetime.combine(both.date, both.time), text, both.end, reference, writer)
    days = [t for t in times if t.date]
    explicit = [t for t in days if _EXPLICIT_DAY.search(t.text)]  # "周四（2月5日）": the date, not the weekday
    day = (explicit or days)[0].date if days else None
    timed = next((t for t in times if t.time), None)
    if not (day and timed and timed.time):
        return None
    return _in_team_zone(dt.datetime.combine(day, timed.time), text, timed.end, reference, writer)


def _in_team_zone(start: dt.datetime, text: str, after: int, reference: dt.datetime | None,
                  writer: ZoneInfo | None = None) -> dt.datetime:
    """`start` as wall time in the team's zone: converted from the zone the text names after
    it ("10am CT"), else from the writer's own zone when it is known and not the team's
    ("Tuesday at 10am works for me" from Chicago is 16:00 in London)."""
    if reference is None or reference.tzinfo is None:
        return start
    match = _ZONE_AFTER.match(text, after)
    zone = writer
    if match is not None:
        name = (match["name"] or match["abbr"] or match["cn"]).lower()
        try:
            zone = ZoneInfo(_ZONES[name])
        except (KeyError, ZoneInfoNotFoundError):
            zone = writer
    if zone is None:
        return start
    return start.replace(tzinfo=zone).astimezone(reference.tzinfo).replace(tzinfo=None)


_LEADING_JOINER = rx.compile(r"(?:and|so|then|also)\s+", re.I)


# what names the day a date moves away from: "由5月22日…", "from the end of April", "instead of Friday"
_OLD_DAY = rx.compile(r"(?:由|从|原定|原来|原本|原计划|\b(?:from|instead of|rather than|originally|was due))\s*(?:on\s+)?$", re.I)


def _span(doc: Doc, text: str, draft: _Draft, party: Party, moved: bool = False) -> Finding | None:
    """The finding a draft makes; `moved`: the draft moves a date, and its due is the new day,
    not the one it moves from."""
    start, end = _trim(text, draft.start, draft.end)
    joiner = _LEADING_JOINER.match(text, start, end)
    if joiner:
        start = joiner.end()
    marker = _LIST_ITEM.match(text, start, end) if _line_start(text, start) else None
    if marker and marker.end() < end:
        start = marker.end()  # "2. 3月12日提测" is the item "3月12日提测"
    written = text[start:end].strip()
    if not written:
        return None
    kind = draft.label.kind
    inside = [t for t in doc.times if start <= t.start and t.end <= end]
    if moved:
        inside = [t for t in inside if not _OLD_DAY.search(text[max(start, t.start - 16):t.start])]
    today = doc.reference.date() if doc.reference else None
    due = _choose_due([t for t in inside if not (today and t.date and t.date < today)], kind)
    other = Party.CLIENT if party is Party.US else Party.US
    day: dt.date | None = None
    due_text: str | None = None
    if due is not None and kind is not Kind.SURVEY_RESPONSE:
        day = due.end_date if kind is Kind.CHANGE_REQUEST and due.end_date else due.date
        due_text = due.text
        if _anchored(text, due) or (_BARE_NEXT_WEEK.fullmatch(due.text) and kind in _DUE_KINDS):
            day = None
    recurring = _RECURRING.search(text, start, end) if kind is not Kind.MEETING else None
    if recurring is not None and (due is None or not is_deadline(due) or _anchored(text, due)):
        day, due_text = None, recurring.group(0)  # 每周五前: no one day
    return Finding(
        kind=kind,
        text=written,
        by=other if kind in (Kind.REQUEST, Kind.CHANGE_REQUEST, Kind.MEETING) else party,
        due=day,
        due_text=due_text,
        sentiment=draft.label.sentiment,
        score=draft.label.score,
        start=_meeting_start(inside, text, doc) if kind is Kind.MEETING else None,
    )


class _FindingsComponent:
    """Clauses → labels → `doc.findings`, with the completions, receipts and signals."""

    def __init__(self, english: bool) -> None:
        self.english = english
        self.cues = cues("en" if english else "zh")

    def __call__(self, doc: Doc) -> Doc:
        party = doc.party
        found: list[Finding] = []
        text = doc.text
        survey = doc.answers_survey or self.cues.survey_doc.search(text.lower() if self.english else text) is not None
        drafts: list[_Draft] = []
        completions: list[str] = []
        receipts: list[str] = []
        signals: list[Signal] = []
        plan = False  # inside a list under "下周计划：" / "Next week:"
        for start, end in _sentence_bounds(doc, text):
            clauses = _clauses(doc, text, start, end, self.cues, self.english)
            if len(clauses) == 1 and self.cues.tail_question.match(clauses[0].norm) \
                    and _tail(drafts, clauses[0], text, self.cues):
                continue
            labels = _with_conditions([_classify(clause, self.cues, party, survey) for clause in clauses], clauses)
            plan = _in_plan(plan, text, start, clauses, self.cues)
            owned = _owned_line(text, start)
            if plan and _list_item(text, start) and (party is Party.US or owned):
                # the studio's weekly report; action items of minutes ("- Marcus: DNS records by Thu 18 June")
                labels = [_planned(clause, label, self.cues, owned) for clause, label in zip(clauses, labels)]
            free = [c for c, label in zip(clauses, labels) if label is None]
            completions.extend(c.text for c in free if _reports(c, self.cues.delivered, self.cues))
            receipts.extend(c.text for c in free if _reports(c, self.cues.received, self.cues) and "没" not in c.norm)
            signals.extend(_signals(clauses, self.cues))
            if survey and any(label and label.kind is Kind.SURVEY_RESPONSE for label in labels):
                clauses, labels = _split_scores(clauses, labels, self.cues)
            drafts.extend(_enumeration(_drafts(clauses, labels, self.cues, doc.times), text, start, end))
        for draft in _join_sentences(drafts, text, self.cues, doc.times):
            if draft.label.accept:
                # an accepted slot that joined no proposal: no proposal, but a yes to one made before
                inside = [t for t in doc.times if draft.start <= t.start and t.end <= draft.end]
                start, end = _trim(text, draft.start, draft.end)
                signals.append(Signal(SignalKind.AGREED, text[start:end], _meeting_start(inside, text, doc)))
                continue
            finding = _span(doc, text, draft, party)
            if finding is not None and draft.label.twin:
                # a slip that is also our promise: both name the day it moves to, not the one it leaves
                twin = _span(doc, text, replace(draft, label=_Label(Kind.COMMITMENT)), party, moved=True)
                if twin is not None and twin.due is not None:
                    found += [replace(finding, due=twin.due, due_text=twin.due_text), twin]
                else:
                    found.append(finding)  # no day to move to: no promise
            elif finding is not None:
                found.append(finding)
        doc.findings = found
        doc.completions = completions
        doc.receipts = receipts
        doc.signals = signals
        return doc


# --- the pipelines and the public function -------------------------------------------------

_PIPELINES: dict[str, Pipeline] = {}


def pipeline(language: str) -> Pipeline:
    """The pipeline of `zh` or `en`, built on first use."""
    nlp = _PIPELINES.get(language)
    if nlp is None:
        nlp = Pipeline(language, [("mailbot_sentencizer", sentencizer), ("mailbot_times", times_component),
                                  ("mailbot_findings", _FindingsComponent(english=language == "en"))])
        _PIPELINES[language] = nlp
        logger.debug("built the %s findings pipeline", language)
    return nlp


def _script(text: str) -> str:
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk * 3 >= len(_LATIN.findall(text)) else "en"


def _chunks(text: str, language: str) -> Iterator[tuple[str, str]]:
    """(language, text) runs: the whole text, or for "mixed" runs of sentences by script."""
    if language in ("zh", "en"):
        yield language, text
        return
    starts = sentence_starts(text) + [len(text)]
    run_language, run_start = "", 0
    for a, b in zip(starts, starts[1:]):
        piece = text[a:b]
        if not piece.strip():
            continue
        script = _script(piece)
        if script != run_language:
            if run_language:
                yield run_language, text[run_start:a]
            run_language, run_start = script, a
    if run_language:
        yield run_language, text[run_start:]


def _unwrap(text: str) -> str:
    """Hard-wrapped lines joined again (`_soft_wrap`): each break inside a sentence becomes a
    space, so that times and clauses that were wrapped read whole ("could we do Tuesday 17
    March at \n2pm UK?", "请在\n月底前提供"); offsets are kept."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    return "".join(line + ("\n" if i + 1 == len(lines) or not _soft_wrap(line, lines[i + 1]) else " ")
                   for i, line in enumerate(lines))[:len(text)]


def find_findings(text: str, *, language: str, reference: dt.datetime | None,
                  party: Party) -> list[Finding]:
    """The findings of the newly written text of one message, in text order.

    `language` is zh, en or mixed; `reference` the message's Date in the team's time zone
    (None: relative dates stay unresolved); `party` the sender's side.
    """
    return read_text(text, language=language, reference=reference, party=party).findings


@dataclass(frozen=True, slots=True)
class Reading:
    """One pass over a message's new text: its findings, and the clauses that may close a
    promise: completions report the writer's work as done ("已经发给您了", "Attached is the
    revised plan"), receipts acknowledge the other side's ("素材收到了")."""

    findings: list[Finding]
    completions: list[str]
    receipts: list[str]  # the other side's work acknowledged: "素材收到了", "Thanks for the GA export"
    signals: list[Signal] = field(default_factory=list)  # withdrawn, refused, cancelled, agreed


def read_text(text: str, *, language: str, reference: dt.datetime | None, party: Party,
              writer_zone: ZoneInfo | None = None, history: str = "") -> Reading:
    """`find_findings`, the completions and the receipts, from one run of the pipelines.

    `writer_zone`: the zone the writer lives in, where it is not the reference's: a meeting
    time written without a zone is the writer's wall time, given back in the reference's zone.
    `history`: the quoted mail under the new text; when it asks a survey's question ("on a
    scale of 1 to 5, how satisfied…"), a bare "5, mate." answers it.
    """
    answers_survey = bool(history) and any(
        lists.survey_doc.search(simplified(history[:4000]).lower()) is not None for lists in map(cues, ("zh", "en")))
    found: list[Finding] = []
    completions: list[str] = []
    receipts: list[str] = []
    signals: list[Signal] = []
    original = text
    text = _unwrap(text)  # offset for offset: what was written is `original`
    cursor = 0  # the chunks follow each other: where this one starts
    for chunk_language, chunk in _chunks(text, language):
        cursor = text.find(chunk, cursor)
        source = original[cursor:cursor + len(chunk)]
        cursor += len(chunk)
        nlp = pipeline(chunk_language)
        plain = simplified(chunk) if chunk_language == "zh" else chunk  # 繁體 and Cantonese read as 简体, offset for offset
        doc = nlp.make_doc(plain)
        doc.reference = reference
        doc.writer_zone = writer_zone if reference is not None and writer_zone != reference.tzinfo else None
        doc.party = party
        doc.answers_survey = answers_survey
        doc = nlp(doc)

        def written(said: str, plain: str = plain, source: str = source) -> str:
            """What was written where the reading said `said`: the original characters, line
            breaks of a hard wrap and 繁體 included."""
            at = plain.find(said)
            return source[at:at + len(said)] if at >= 0 else said

        found.extend(replace(f, text=written(f.text), due_text=written(f.due_text) if f.due_text else f.due_text)
                     for f in doc.findings)
        completions.extend(map(written, doc.completions))
        receipts.extend(map(written, doc.receipts))
        signals.extend(replace(s, text=written(s.text)) for s in doc.signals)
    return Reading(found, completions, receipts, signals)
