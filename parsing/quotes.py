"""The newly written text of a message: quoted history, forwards, signatures and disclaimers removed.

Two passes over lines, in Chinese and English (and the usual European client languages):

1. `strip_quotes` cuts the history. It stops at the first quote header that starts an
   unprefixed quote (Outlook "From:/Sent:" and "发件人:/发送时间:" blocks with ASCII ':' or
   full-width '：', QQ Mail/Foxmail "------------------ 原始邮件 ------------------",
   "-----Original Message-----", forward banners, "On … wrote:", "在 … 写道：",
   "X <x@y> 于2024年6月26日周三 09:36写道："). When the header is followed by '>' lines
   (inline or bottom posting), only the header and the '>' lines go, and the new lines
   written between quotes are kept.
2. `strip_signature` removes what follows the last thing said: the "-- " delimiter, phone
   footers ("Sent from my iPhone", "发自我的iPhone", "发自网易邮箱大师"), confidentiality
   notices, and a sign-off ("Best regards", "Thanks,", "此致 敬礼", "祝好", "谢谢！") together
   with the name block under it — but only when every line under it looks like a signature
   (short, a name, a title, a phone number, an address, a link), never when more content follows.

Why not mail-parser-reply: measured on the shared corpora it finds Outlook "发件人:" blocks but
not Gmail's "…写道：", QQ Mail/Foxmail "原始邮件" banners or Thunderbird's Chinese header, and
its header patterns expect ASCII colons, so Chinese mail kept its history; its language has
to be chosen up front, while mail mixes zh and en headers in one thread. The rules here are
small, readable line tests that cover both and can be extended per client.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterator

from parsing import patterns as rx
from parsing.hanzi import simplified
from parsing.model import Email

logger = logging.getLogger(__name__)

NOTHING_LEFT = "quote removal left nothing; the whole text is kept"

_QUOTE_MARK = rx.compile(r"^\s*(>|&gt;|｜\s*>)")
# '>>> http://example.com <<<': arrows pointing at something, not a quote. A regex for this
# backtracks quadratically on a long run of '>' (3,000 of them: over two minutes), so it is a
# plain check instead (`_is_arrows`).
_CJK = rx.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")

_BANNER_WORDS = (
    r"original message|forwarded message|forwarded e-?mail|reply message|original e-?mail|"
    r"antwort nachricht|原始邮件|原始郵件|原邮件|转发的邮件|转发邮件|轉寄的郵件|轉寄郵件|回复的原邮件|"
    r"ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|"
    r"messaggio originale|messaggio inoltrato|mensaje original|mensaje reenviado|"
    r"mensagem original|mensagem encaminhada|oorspronkelijk bericht|doorgestuurd bericht|"
    r"oprindelig meddelelse|videresendt meddelelse|opprinnelig melding|videresendt melding|"
    r"ursprungligt meddelande|vidarebefordrat meddelande|alkuperäinen viesti|"
    r"välitetty viesti|původní zpráva|wiadomość oryginalna|przekazana wiadomość|"
    r"исходное сообщение|пересылаемое сообщение|元のメッセージ|転送されたメッセージ"
)
_BANNER = rx.compile(
    rf"^[>\s]*[-_=*~]{{2,}}\s*({_BANNER_WORDS})\s*[-_=*~]{{2,}}\s*$|"
    rf"^\s*(?:[-_=*~]+\s*)?({_BANNER_WORDS})\s*(?:[:：]\s*)?(?:[-_=*~]+\s*)?$",
    re.IGNORECASE,
)
_FORWARD_INTRO = rx.compile(
    r"^\s*(begin forwarded message|开始转发的邮件|下面是被转发的邮件|以下是转发的邮件|"
    r"anfang der weitergeleiteten nachricht|début du message réexpédié|"
    r"inicio del mensaje reenviado|mensagem encaminhada)\s*(?:[:：]\s*)?$",
    re.IGNORECASE,
)
_LEAD_IN = rx.compile(r"^\s*([-=_*~]{3,}|[^\s:：]{1,12}( [^\s:：]{1,10})? ?[:：].{0,30}\d{1,2}:\d{2})\s*$")
_FRAMED = rx.compile(r"^\s*-{4,}\s*[^\W\d_][\w' ]{2,40}?\s*-{4,}\s*$")
_RULE = rx.compile(r"^\s*(_{10,}|-{10,}|={10,})\s*$")

_FROM_KEYS = (
    r"from|发件人|發件人|寄件者|寄件人|von|de|da|van|od|fra|från|lähettäjä|от|差出人|보낸 사람|"
    r"absender|remitente|mittente"
)
_OTHER_KEYS = (
    r"sent|date|to|cc|bcc|subject|reply-to|发送时间|發送時間|时间|時間|日期|收件人|抄送|主题|主旨|"
    r"主題|寄件日期|收件者|副本|gesendet|datum|an|betreff|envoyé|date d'envoi|à|objet|"
    r"inviato|data|a|oggetto|enviado|fecha|para|asunto|verzonden|aan|onderwerp|sendt|til|"
    r"emne|skickat|till|ämne|lähetetty|vastaanottaja|aihe|отправлено|кому|тема|送信日時|"
    r"宛先|件名|받는 사람|제목|wysłano|temat|odesláno|komu|předmět"
)
_HEADER_KEY = rx.compile(
    rf"^\s*(?:[*\[]\s*)?({_FROM_KEYS}|{_OTHER_KEYS})\s*[*\]]?\s*[:：]\s*\S?", re.IGNORECASE
)
_FROM_KEY = rx.compile(rf"^\s*(?:[*\[]\s*)?({_FROM_KEYS})\s*[*\]]?\s*[:：]", re.IGNORECASE)
_DATE_KEY = rx.compile(
    r"^\s*(?:[*\[]\s*)?(sent|date|发送时间|發送時間|时间|時間|日期|寄件日期|gesendet|datum|envoyé|"
    r"inviato|enviado|fecha|verzonden)\s*[*\]]?\s*[:：]",
    re.IGNORECASE,
)

# Outlook header fields run together on one line (HTML with <b> fields and no <br>)
_INLINE_KEY = rx.compile(
    r"\s(sent|date|to|cc|subject|发送时间|發送時間|时间|日期|收件人|抄送|主题|主旨|gesendet|datum|an|"
    r"betreff|envoyé|objet)\s*[:：]\s*\S",
    re.IGNORECASE,
)
_TO_KEY = rx.compile(r"^\s*(?:[*\[]\s*)?(to|subject|收件人|主题|an|betreff)\s*[*\]]?\s*[:：]", re.I)
WROTE_TAIL = 80  # longer than any "… wrote:" ending _WROTE_END knows
_WROTE_END = rx.compile(
    r"(wrote|writes|sent|het volgende geschreven|geschreven|đã viết|schrieb|a écrit|ha scritto|escribió|escreveu|schreef|skrev|kirjoitti|"
    r"napisał\(a\)|napisał|napsal\(a\)|napsal|написал\(а\)|написал|írta|yazdı|"
    r"写道|寫道|写到|書きました|のメッセージ)\s*(?:[:：]\s*)?-*\s*$",
    re.IGNORECASE,
)
_WROTE_START = rx.compile(
    r"^[\s-]*(on|am|le|el|il|em|op|den|på|w dniu|dne|в|el día|le \w+|vào|在|于|於)\b|^\s*-{2,}|"
    r"^\s*(在|于|於)|\d|@",
    re.IGNORECASE,
)
# The attribution at the end of a line with new text before it; searched, not matched from ^:
# "^(.*?\S.*?)\s*-*\s*(...)" took quadratic time on long lines (16,000 chars of prose: ~9 s).
_SHARED_LINE = rx.compile(r"\bOn\s.{6,200}\bwrote:(?=\s*$)")
_GMAIL_DATE_EMAIL = rx.compile(
    r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.{0,40}\d{1,2}:\d{2}.{0,80}[<(\[]?[\w.+-]+@[\w.-]+[>)\]]?\s*[:：]\s*$"
)

_MOBILE = rx.compile(
    r"^\s*(sent from my |sent from (outlook|yahoo|mail for|samsung|huawei|xiaomi|my)|"
    r"sent (from|via|using|with) .{0,40}\b(iphone|ipad|android|blackberry|mobile|phone|tablet|"
    r"device|galaxy|pixel|mail|mailbox|outlook|gmail|yahoo|aol|spark|airmail|proton\w*)\b|"
    r"sent via |sent using |get outlook for |sent with |von meinem .* gesendet|"
    r"envoyé de mon |verstuurd vanaf mijn |sendt fra min |skickat från min |enviado desde mi |"
    r"enviado do meu |inviato da |gesendet von |envoyé à partir de |enviado desde |发自我的|发自网易邮箱|发自 网易邮箱|来自网易邮箱|发自我的|"
    r"来自我的|从我的 ?\w* ?(?:发送|传送)|發自我的|從我的|来自 ?\w*(手机|客户端)|发自\w*(手机|客户端|邮箱)|"
    r"来自: ?\w*手机|iPhoneから送信|iPadから送信)",
    re.IGNORECASE,
)
_DISCLAIMER = rx.compile(
    r"(this (e-?mail|message|communication)( and any (attachments?|files?)( to it)?)? "
    r"(is|are|may be|contains?|and its attachments)|confidential(ity)? (notice|information|and)|"
    r"intended (solely |only )?for the (use|addressee|named|individual|person)|"
    r"if you are not the intended recipient|caution: this e-?mail originated|"
    r"external email[:：]|本邮件(及其附件)?(含有|包含|可能包含|仅供|内容)|此邮件(及其附件)?(含有|包含|仅)|"
    r"本郵件(及其附件)?(含有|包含)|(保密|机密|機密)信息|如果您(并)?不是(本邮件的)?(指定|预期)?收件人|"
    r"此电子邮件|本电子邮件|本电邮|此电邮|只供收件人|仅供(?:指定)?收件人|误收|并非(?:指定|预期)?收件人|"
    r"信息安全声明|保密声明|免责声明|information security notice|"
    r"(?:diese|this) e-?mail (?:enthält|contains) (?:vertrauliche|confidential)|nicht der richtige adressat|"
    r"irrtümlich erhalten|ce (?:message|courriel|e-?mail) (?:est|et ses pièces jointes sont) confidentiel)",
    re.IGNORECASE,
)
_SIGNOFF = rx.compile(
    r"^\s*(?:(best|kind|warm|warmest|many|with)\s*)?(regards|wishes|rgds|greetings)\b.{0,20}$|"
    r"^\s*(best|cheers|thanks|thank you|thanks again|thanks a lot|many thanks|thx|ta|"
    r"sincerely|yours( sincerely| truly| faithfully)?|respectfully|br|b\.r\.?|brgds|"
    r"all the best|take care|talk soon|mit freundlichen grüßen|viele grüße|gruß|grüße|"
    r"cordialement|bien à vous|saludos|cumprimentos|met vriendelijke groet(en)?|"
    r"pozdrawiam|z poważaniem|z powazaniem|pozdrowienia|med venlig hilsen|venlig hilsen|"
    r"med vennlig hilsen|vennlig hilsen|med vänlig hälsning|vänliga hälsningar|hälsningar|"
    r"hilsen|mvh|kh|vh|groeten|met vriendelijke groeten?|saluti|cordiali saluti|distinti saluti|"
    r"un saludo|atentamente|abraços|atenciosamente|с уважением|よろしくお願いします|"
    r"此致|敬礼|此致敬礼|此致 敬礼|祝好|祝顺利|祝工作顺利|顺祝\s*商祺|顺颂\s*商祺|谢谢|多谢|感谢|"
    r"谢谢您|非常感谢|万分感谢|致礼|祝商祺|best wishes)\s*(?:[,.!，。！~～]+\s*)?$",
    re.IGNORECASE,
)
# '-Bob', '- roman', '~ 王芳': a name signed under a dash; see _name_mark
_NAME_MARK = rx.compile(r"^[-/~–]\s?([A-Z\u4e00-\u9fff][\w.' -]{0,30}|[a-z][\w'-]{1,20}\.?)$")
_DASHES = rx.compile(r"^\s*-{2,3}\s*$")
_SIGNATURE_HINT = rx.compile(
    r"(\+?\d[\d\s()-]{6,}\d|@|https?://|www\.|\b(tel|phone|mobile|mob|cell|fax|email|e-mail|"
    r"address|skype|wechat)\b|电话|手机|传真|邮箱|地址|微信|网址|公司|有限公司|部|经理|总监|"
    r"工程师|主管|director|manager|engineer|ceo|cto|founder|designer|consultant|ltd|inc|gmbh|"
    r"co\.|\|)",
    re.IGNORECASE,
)
_CONTENT_START = rx.compile(
    r"^\s*(please|pls|can|could|would|will|i|i'm|i'll|we|we'll|let|also|btw|ps|p\.s\.|and|but|"
    r"so|if|when|the|this|that|here|there|attached|see|note|regarding|请|麻烦|能否|可否|我|我们|"
    r"另外|附件|如果|关于|还有|顺便|请问|另)\b",
    re.IGNORECASE,
)


def new_text(email: Email) -> tuple[str, list[str]]:
    """The newly written text of `email` and notes on what was done."""
    text = email.text or ""
    try:
        body = strip_signature(strip_quotes(text), names=writer_names(email.sender.name if email.sender else ""))
    except Exception as exc:  # noqa: BLE001 - a rule bug must not lose the message
        logger.warning("quote removal failed, keeping the whole text: %r", exc)
        return text.strip(), [f"quote removal failed ({type(exc).__name__}); the whole text is kept"]
    if not body.strip() and text.strip():
        return text.strip(), [NOTHING_LEFT]
    return body, []


# --- quoted history ----------------------------------------------------------------------


def strip_quotes(text: str) -> str:
    """Remove quoted history and forwarded blocks, keeping new lines written between quotes."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    i = 0
    dropped = False  # the line before was removed: squeeze the blank lines that follow
    while i < len(lines):
        line = lines[i]
        found = quote_header_end(lines, i)
        if found is not None:
            end, prefix, inline_ok = found
            if prefix:
                kept.append(prefix)
            nxt = _next_nonblank(lines, end)
            nothing_new = not any(k.strip() for k in kept)
            if nxt is not None and (nothing_new or (inline_ok and _is_quoted(lines[nxt]))):
                # '>' lines follow (inline reply), or a forward with no comment: keep reading
                i, dropped = end, True
                continue
            _drop_header_lead_in(kept)
            break  # an unprefixed quote: everything below is history
        if _is_quoted(line) or _quote_continuation(lines, i):
            if kept and kept[-1].strip() and _is_attribution(kept[-1]):
                kept.pop()  # "John Smith:" / "Quoting Bob:" introducing a '>' block
            i, dropped = i + 1, True
            continue
        if not (dropped and not line.strip() and kept and kept[-1].strip()):
            kept.append(line)
            dropped = False
        i += 1
    return _tidy(kept)


def _drop_header_lead_in(kept: list[str]) -> None:
    """Remove rules ('====') and 'Message du : <time>' lines that belong to a quote header."""
    while kept and (not kept[-1].strip() or _LEAD_IN.match(kept[-1])):
        kept.pop()


def _quote_continuation(lines: list[str], i: int) -> bool:
    """A wrapped tail of a quoted line: a link fragment between '>' lines, or a lower-case
    continuation right under a long '>' line that the sender's client wrapped."""
    line = lines[i].strip()
    if i == 0 or not line or not _is_quoted(lines[i - 1]):
        return False
    if i + 1 < len(lines) and _is_quoted(lines[i + 1]):
        if " " not in line or line.endswith(">"):
            return True
    return len(lines[i - 1].rstrip()) >= 60 and line[:1].islower()


def quote_header_end(lines: list[str], i: int) -> tuple[int, str, bool] | None:
    """If a quote header starts at line i: (index after it, new text sharing its line,
    whether '>' lines may follow it as an inline reply). Outlook/QQ header blocks and
    banners quote without '>', so whatever follows them is history even if it has '>' lines."""
    line = lines[i]
    stripped = line.strip()
    if not stripped or _is_quoted(line):
        return None
    if _BANNER.match(stripped) or _FORWARD_INTRO.match(stripped) or _framed_banner(lines, i):
        return _skip_header_block(lines, i + 1), "", False
    if _RULE.match(stripped):
        nxt = _next_nonblank(lines, i + 1)
        if nxt is not None and nxt - i <= 3 and _header_block_at(lines, nxt):
            return _skip_header_block(lines, nxt), "", False
        return None
    if _header_block_at(lines, i):
        return _skip_header_block(lines, i), "", False
    shared = _shared_line_header(lines, i)
    if shared is not None:
        return shared[0], shared[1], True
    end = _wrote_header_end(lines, i)
    return (end, "", True) if end is not None else None


def _shared_line_header(lines: list[str], i: int) -> tuple[int, str] | None:
    """'reply text On <date>, bob@x wrote:' — new text and the header share one line."""
    line = lines[i]
    first = len(line) - len(line.lstrip())  # the new text needs a non-space before "On"
    match = _SHARED_LINE.search(line, first + 1)
    if match and _looks_like_attribution(match.group(0)):
        new = line[: match.start()].rstrip().rstrip("-").rstrip()  # less the ' - ' before "On"
        return i + 1, new.rstrip(" -")
    return None


def _framed_banner(lines: list[str], i: int) -> bool:
    """'-------- Oprindelig besked --------' in any language: a framed line above a From block."""
    if not _FRAMED.match(lines[i]):
        return False
    nxt = _next_nonblank(lines, i + 1)
    return nxt is not None and nxt - i <= 2 and bool(_FROM_KEY.match(lines[nxt]) or _DATE_KEY.match(lines[nxt]))


def _header_block_at(lines: list[str], i: int) -> bool:
    """An Outlook-style block: a From/Date key line, then another header key within 3 lines."""
    if not (_FROM_KEY.match(lines[i]) or _DATE_KEY.match(lines[i])):
        return False
    if _FROM_KEY.match(lines[i]) and _one_line_header(lines[i]):
        return True
    keys = 1
    for line in lines[i + 1 : i + 7]:
        if _HEADER_KEY.match(line) and not _is_quoted(line):
            keys += 1
            if keys >= 2 and (_FROM_KEY.match(line) or _FROM_KEY.match(lines[i])):
                return True
            if keys >= 2 and _DATE_KEY.match(lines[i]) and _TO_KEY.match(line):
                return True
            if keys >= 3:
                return True
    return False


def _one_line_header(line: str) -> bool:
    """'From: bob@example.com Date: Thu, 24 Mar 2016 08:07 -0700' — a whole header on one line."""
    value = _FROM_KEY.sub("", line, count=1)
    return bool(_INLINE_KEY.search(value)) and ("@" in value or _has_date(value))


def _skip_header_block(lines: list[str], i: int) -> int:
    """Index after the header lines (and their folded continuations) starting at i."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    while j < len(lines) and (_HEADER_KEY.match(lines[j]) or _is_continuation(lines, j)):
        j += 1
    return j


def _is_continuation(lines: list[str], j: int) -> bool:
    """A wrapped header value: indented or an address list fragment right after a header line."""
    line = lines[j]
    if not line.strip() or j == 0 or _is_quoted(line):
        return False
    prev = lines[j - 1]
    if not prev.strip():
        return False
    return line[:1] in (" ", "\t") or bool(re.match(r"^\s*<?[\w.+-]+@[\w.-]+>?[;,]?", line))


def _wrote_header_end(lines: list[str], i: int) -> int | None:
    """'On … wrote:' / '在 … 写道：' / '2011/4/7 Bob <b@x>' headers, wrapped over up to 6 lines."""
    first = lines[i].strip()
    if _GMAIL_DATE_EMAIL.match(first):
        return i + 1
    if not _WROTE_START.search(first) or len(first) > 300:
        return None
    spans = list(_header_spans(lines, i))
    for k, joined in spans:
        # the pattern is anchored at the end: searching the tail is enough, and 5x cheaper
        if _WROTE_END.search(joined[-WROTE_TAIL:]) and _looks_like_attribution(joined):
            return k + 1
    for k, joined in spans:
        if _dated_address_header(joined, lines, k):
            return k + 1
    return None


def _header_spans(lines: list[str], i: int) -> Iterator[tuple[int, str]]:
    """(last line index, text) for the header candidates starting at line i."""
    joined = ""
    for k in range(i, min(i + 6, len(lines))):
        part = lines[k].strip().lstrip(">").strip() if k > i else lines[i].strip()
        if k > i + 2 and not part:
            return
        joined = _join(joined, part)
        if len(joined) > 400:
            return
        yield k, joined


def _dated_address_header(joined: str, lines: list[str], k: int) -> bool:
    """'2014-10-17 11:28 GMT+03:00 Postmaster <p@x>:' or a dated address line above '>' lines."""
    if not (_has_date(joined) and "@" in joined):
        return False
    if re.search(r"[:：]\s*$", joined):
        return True
    nxt = _next_nonblank(lines, k + 1)
    return nxt is not None and _is_quoted(lines[nxt]) and re.search(r"[>)\]]\s*$", joined) is not None


def _has_date(text: str) -> bool:
    return bool(re.search(r"\d{1,4}[-/.年月:]\s?\d{1,2}|\d{1,2}:\d{2}|\b(19|20)\d{2}\b", text))


def _join(left: str, right: str) -> str:
    if not left:
        return right
    if not right:
        return left
    glue = "" if _CJK.match(left[-1:]) or _CJK.match(right[:1]) else " "
    return left + glue + right


def _looks_like_attribution(joined: str) -> bool:
    """A wrote-header names a date or an address; a sentence ending in 'wrote:' does not."""
    has_date = _has_date(joined)
    has_address = "@" in joined or "<" in joined
    starts = re.match(r"^[\s-]*(on|am|le|el|il|em|op|den|på|w dniu|dne|vào|在|于|於)\b", joined, re.I)
    framed = re.match(r"^\s*-{2,}.{2,80}-{2,}\s*$", joined)
    return bool(has_date or has_address or framed or (starts and len(joined) < 120))


def _is_attribution(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) < 120 and bool(re.search(r"[:：]\s*$", stripped)) and bool(
        re.search(r"(@|wrote|写道|寫道|quoting|zitat|\d{1,2}:\d{2})", stripped, re.I)
    )


def _is_quoted(line: str) -> bool:
    """'>' at the start of a line marks a quote, unless arrows frame the line ('>>> link <<<')."""
    return bool(_QUOTE_MARK.match(line)) and not _is_arrows(line)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i, len(lines)):
        if lines[j].strip():
            return j
    return None


def _tidy(lines: list[str]) -> str:
    """Drop leading/trailing blank lines and squeeze runs of blank lines left by removals."""
    out: list[str] = []
    for line in lines:
        if not line.strip():
            line = ""
            if not out or not out[-1]:
                continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# --- signatures, phone footers, disclaimers ---------------------------------------------------


def strip_signature(text: str, names: frozenset[str] = frozenset()) -> str:
    """Remove the signature block, phone footers, banners, notices and confidentiality notices.

    `names`: what the writer may sign with (`writer_names`): a line that is one of them opens
    the signature even where nothing else shows it ("陈思远\n拾光互动")."""
    lines = _drop_top_banner(text.split("\n"))
    lines = _drop_disclaimers(lines)
    cut = _trailer_start(lines, names)
    if cut is not None:
        lines = lines[:cut]
    cut = _signature_start(lines)
    if cut is not None:
        lines = lines[:cut]
    return _tidy(lines)


# --- the trailer: what a company and a mail client put under the last thing said ------------
#
# Recognised by shape, not by the words of one company: from the end of the text upwards,
# paragraph by paragraph, a signature block (short lines, at least one of them plainly a
# signature's: a phone number, an address, a link, a job title, a company name, "Name | Title"),
# a notice (an office closure, a holiday, a maintenance window, an event: bracketed "【…公告】"
# or in words), a sign-off line, or the writer's name alone above one of those. The last
# paragraph of content may end in a signature block with no blank line before it: its tail is
# cut from the first line that is a name or plainly a signature's.

_SIGNATURE_STRONG = rx.compile(
    r"(?<![\d ()./+-])\+?\(?\d[\d ()./-]{6,24}\d|(?<![\w-])@[\w-]{1,63}\.|https?://|www\.|"
    r"(?<![\w-])[\w-]{2,63}\.(?:com|cn|io|net|org|co|tw|hk|uk|de|au|sg|jp|nz|nl|ie|in|ca|studio|design|agency|app)\b|"
    r"\b(?=[\w-]{1,8}\s?[:：])(?:tel|t|m|p|f|e|w|ph|phone|mobile|mob|cell|fax|email|e-mail|direct|office|wechat|skype|linkedin|web)\s?[:：]|"
    r"电话|手机|传真|邮箱|地址|微信|网址|分机|统编|统一编号|\bext\.|"
    r"(?=[\u4e00-\u9fff]|[a-z]{2})(?:有限公司|集团|事务所|工作室|设计|数字|数位|科技|顾问|\bInc\.?|\bLtd\.?|\bLLC|\bGmbH|\bCo\.|\bStudios?|"
    r"\bAgency|\bGroup|\bLimited|\bPty|\bDigital|\bConsulting|(?<=[\u4e00-\u9fff])(?:部|中心|办公室|课|科|处))"
    r"\s*(?:[（(][^（）()]{1,12}[）)])?\s*$|"
    r"经理|总监|主管|课长|科长|主任|专员|设计师|工程师|顾问|负责人|总经理|副总|董事|合伙人|创始人|创办人|"
    r"\b(?=[a-z]{2})(?:manager|director|lead|head of|vp|ceo|cto|coo|cfo|founder|co-founder|designer|engineer|producer|"
    r"coordinator|officer|partner|consultant|specialist|strategist|president|associate|executive|principal|"
    r"analyst|developer|architect|administrator|assistant|account\s+\w+)\b|"
    r"\d\s?(?:号|楼|室|层)|[路街道]\s?\d|\b(?=[a-z]{2})(?:road|rd|street|st|avenue|ave|suite|floor|fl|blvd|district)\b\.?,?|"
    r"\s[|｜·]\s",
    re.IGNORECASE,
)
_PERSON = rx.compile(r"[\u4e00-\u9fff]{2,4}(?:[ \t]+[A-Z][\w.'’-]{0,20}(?:[ \t]+[A-Z][\w.'’-]{0,20}){0,2})?|"
                     r"[A-Z][\w'’-]{0,20}\.?(?:[ \t]+[A-Z][\w.'’-]{0,20}){0,2}")
_NOTICE_TAG = rx.compile(r"[【\[［〔〖][^】\]］〕〗\n]{0,16}(?:公告|通知|提醒|声明|活动|维护|放假|休假|假期|外部|"
                         r"notice|announcement|event|reminder|holiday|closure|external|caution|warning)"
                         r"[^】\]］〕〗\n]{0,16}[】\]］〕〗]", re.IGNORECASE)
_NOTICE_WORDS = rx.compile(
    r"放假|休假|假期安排|停止营业|暂停(?:营业|办公)|照常(?:办公|上班|营业)|恢复(?:正常)?(?:上班|营业|办公)|请勿(?:直接)?回复|系统维护|邮件系统|报名|欢迎莅临|敬请期待|"
    r"温馨提示|关注我们|扫码|二维码|公众号|"
    r"\boffices? (?:will be |are |is )?(?:closed|shut)|\bclosed (?:for|from|on|between)\b|"
    r"\bholiday (?:hours|schedule|closure|notice|period)|\bback (?:in the office )?on\b|\bmaintenance\b|"
    r"\bregister (?:now|today|here)|\bjoin us (?:at|for)\b|\bwebinar\b|\bwe(?:'re| are) hiring\b|"
    r"\bfollow us\b|\bdo not reply\b|\backnowledges? the traditional|\bprinting this e-?mail|\bthink before you print|\bconsider the environment",
    re.IGNORECASE,
)
_TOP_BANNER = rx.compile(
    r"[【\[［〔]\s*(?:external|外部|caution|warning|警告|spam|suspicious|外部邮件|外部郵件)|"
    r"originated (?:from )?outside|外部邮件|外部郵件|来自外部|來自外部|do not click links",
    re.IGNORECASE,
)


def _drop_top_banner(lines: list[str]) -> list[str]:
    """A gateway's banner over the message ("[EXTERNAL] This email originated outside…",
    "【外部邮件】请谨慎点击链接"): the first paragraph, when it is one."""
    first = _next_nonblank(lines, 0)
    if first is None:
        return lines
    head = simplified(lines[first][:200])
    if not _TOP_BANNER.search(head):
        after = _next_nonblank(lines, first + 1)
        one_line = first + 1 < len(lines) and not lines[first + 1].strip()
        tagged = _TAGGED.match(head.strip()) or _BRACKETED_LINE.fullmatch(head.strip())
        if not (one_line and tagged and after is not None and _GREETING.match(lines[after])):
            return lines
    end = first
    while end < len(lines) and lines[end].strip() and end - first < 6:
        end += 1
    return lines[end:]


# a line that is one bracketed notice: "[CONFIDENTIAL – DO NOT FORWARD OUTSIDE THE PROJECT TEAM.]"
_BRACKETED_LINE = rx.compile(r"[【\[［〔][^】\]］〕\n]{4,200}[】\]］〕]")
_GREETING = rx.compile(r"\s*(?:(?:hi|hello|dear|hey|good (?:morning|afternoon))\b.{0,40}|[^\n]{1,20}[：:，,])\s*$", re.IGNORECASE)


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indexes of the runs of non-blank lines."""
    found, start = [], None
    for i, line in enumerate(lines):
        if start is not None and _RULE_LINE.match(line):
            found.append((start, i))  # a rule opens a paragraph of its own: "---" over a footer
            start = None
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            found.append((start, i))
            start = None
    if start is not None:
        found.append((start, len(lines)))
    return found


def writer_names(display: str) -> frozenset[str]:
    """The ways a writer signs, from the From header's display name: "王若琳 Ruby Wang" gives
    王若琳, 若琳, Ruby Wang, Ruby and the whole; "Wang, Ruby" gives Ruby Wang and Ruby."""
    display = display.strip().strip("\"'")
    if not display or len(display) > 60:
        return frozenset()
    names = {display}
    for han in re.findall(r"[\u4e00-\u9fff]{2,4}", display):
        names |= {han, han[1:]} if len(han) == 3 else {han}
    latin = re.findall(r"[A-Za-z][\w'’.-]*", display)
    if "," in display and len(latin) == 2:
        latin.reverse()
    if latin:
        names |= {" ".join(latin), latin[0]}
    return frozenset(simplified(n) for n in names if len(n) >= 2)


def _trailer_start(lines: list[str], names: frozenset[str] = frozenset()) -> int | None:
    """The line where the trailer under the last thing said begins, if there is one.

    Walking up from the end: a signature block or a framed notice is surely trailer; a name or
    a sign-off is, once trailer was found under it; a notice in words or a tagged line
    ("[Studio] this mail is archived…") only counts when a sure part of the trailer is found
    above it, since "我们2月23日恢复正常上班，届时…" can also close a message.
    """
    paragraphs = _paragraphs(lines)[-400:]  # no real trailer is longer
    cut: int | None = None
    maybe = False  # a paragraph that is trailer if something sure lies above it was passed
    for index in range(len(paragraphs) - 1, -1, -1):
        first, end = paragraphs[index]
        para = [simplified(line.strip()) for line in lines[first:end]]
        if index and (_framed_notice(para) or _signature_block(para) or _signed(para, names)
                      or ((cut is not None or maybe) and _name_or_signoff(para))):
            cut = first
            continue
        tail = _signature_tail(para, names)
        if tail is not None:
            return first + tail
        if index and (_notice(para) or _TAGGED.match(para[0]) or _footer_line(para)):
            maybe = True
            continue
        return cut
    return cut


# a notice set apart by its frame: "【春节放假通知】…", "＊農曆新年假期：…＊", "★ … ★"
_FRAME = "*＊★☆◆◇■□●○※▲△♦"


_RULE_LINE = rx.compile(r"[ \t]*(?:[-_=*~—─━·•][ \t]?){3,40}[ \t]*$")


def _framed_notice(para: list[str]) -> bool:
    first, last = para[0], para[-1]
    if _NOTICE_TAG.match(first) or (_RULE_LINE.match(first) and len(para) > 1):
        return True
    return len(" ".join(para)) > 12 and first[0] in _FRAME and last[-1] in _FRAME


# a line that opens with a tag and goes on: "[拾光互动] 本邮件已同步…", "【茶见】4/10起全门市…"; not a
# heading alone on its line ("【决定事项】"), not an urgent one ("【紧急】请今天确认")
_TAGGED = rx.compile(r"[【\[［〔](?![^】\]］〕]{0,6}(?:紧急|重要|急|注意|回复|确认|待办|urgent|important|action|asap))"
                     r"[^】\]］〕\n]{1,24}[】\]］〕][ \t]*\S", re.IGNORECASE)


def _footer_line(para: list[str]) -> bool:
    """A company's footer line: name, seat, register, address set apart by "·" or "|"."""
    return len(para) <= 2 and all(len(_FOOTER_SEPARATOR.findall(line)) >= 2 for line in para)


_FOOTER_SEPARATOR = rx.compile(r"\s[·|｜•]\s")


def _signed(para: list[str], names: frozenset[str]) -> bool:
    """The writer's own name, alone on the first line, over signature lines."""
    return para[0] in names and len(para) <= 12 and all(map(_signature_block_line, para))


def _notice(para: list[str]) -> bool:
    return bool(_NOTICE_TAG.match(para[0]) or _NOTICE_WORDS.search(" ".join(para)[:400]))


def _signature_block(para: list[str]) -> bool:
    if len(para) > 12 or not all(map(_signature_block_line, para)):
        return False
    return any(_SIGNATURE_STRONG.search(line) for line in para) and _opens_block(para[0])


def _signature_tail(para: list[str], names: frozenset[str] = frozenset()) -> int | None:
    """Where a signature block starts at the end of a paragraph of content, if it does.

    Up to two lines of footer prose may follow a block of three or more lines (a registration
    number, an acknowledgement of country, a line about printing)."""
    for footer in range(3):
        end = len(para) - footer
        start = end
        while start > 1 and _signature_block_line(para[start - 1]) and end - start < 8:
            start -= 1
        while start < end and not _opens_block(para[start]):
            start += 1
        block = para[start:end]
        if len(block) >= (3 if footer else 2) and (block[0] in names or any(map(_SIGNATURE_STRONG.search, block))):
            return start
    return None


def _opens_block(line: str) -> bool:
    """A signature block starts with a name or with a plain signature line, not with prose."""
    return bool(_PERSON.fullmatch(line) or _SIGNATURE_STRONG.search(line) or _SIGNOFF.match(line))


def _name_or_signoff(para: list[str]) -> bool:
    return len(para) <= 2 and all(_PERSON.fullmatch(line) or _SIGNOFF.match(line) or _CLOSING_WISH.match(line)
                                  for line in para)


# Chinese letters close with a wish ("敬祝 顺心", "祝 商祺", "顺颂商祺", "敬上") rather than a word
_CLOSING_WISH = rx.compile(r"(?:敬祝|顺祝|顺颂|即颂|祝)[ \t]{0,2}[\u4e00-\u9fff]{1,6}[！!。~～]?|[\u4e00-\u9fff]{1,4}[ \t]{0,2}敬上")


def _signature_block_line(line: str) -> bool:
    """A line a signature block can hold: short, no sentence, no list item, no request."""
    if not line or len(line) > 90 or _LIST_START.match(line):
        return False
    if line[-1] in "。！？!?；;" or (_CONTENT_START.match(line) and not _SIGNATURE_STRONG.search(line)):
        return False
    cjk = len(_CJK.findall(line))
    if cjk * 2 > len(line):
        return cjk <= 30
    words = len(line.split())
    return words <= 10 and not (line.endswith(".") and words > 3 and not _SIGNATURE_STRONG.search(line))


_LIST_START = rx.compile(r"(?:[-*•·●▪]|\d{1,2}[.)、．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十][、.．])\s")


def _signature_start(lines: list[str]) -> int | None:
    first = _next_nonblank(lines, 0)
    if first is None:
        return None
    nonblank = [j for j, line in enumerate(lines) if line.strip()]
    for i in range(first, len(lines)):
        stripped = lines[i].strip()
        # the non-blank lines after i; only ever short ones are looked at, so never build a long one
        start = bisect.bisect_right(nonblank, i)
        rest = [lines[j] for j in nonblank[start:start + 26]]  # more than 25 is as good as all of them here
        if i == first:
            continue  # a signature follows something said; a sign-off alone is the message
        if stripped in ("--", "-- ", "—", "__") and len(rest) <= 25:
            return i
        if _DASHES.match(stripped) and _signature_like(rest):
            return i  # '---' over a name block
        if _MOBILE.match(simplified(stripped)) and _short_footer(stripped) and len(rest) <= 8:
            return i
        if _name_mark(lines, i) and (not rest or _RULE.match(rest[0]) or all(_MOBILE.match(r.strip()) for r in rest)):
            return i  # '-Bob' last, above a footer rule, or above 'Sent from my phone'
        if _RULE.match(stripped) and len(rest) <= 6:
            return i
        if _SIGNOFF.match(simplified(stripped)) and _signature_like(rest):
            return i
    return None


def _name_mark(lines: list[str], i: int) -> bool:
    """'-Bob' under the text, not the last item of a '- ' list or of a list announced by ':'."""
    if not _NAME_MARK.match(lines[i].strip()):
        return False
    prev = lines[_prev_nonblank(lines, i - 1)].strip()
    return not (prev.endswith((":", "：")) or _NAME_MARK.match(prev) or re.match(r"^[-*•·]\s", prev))


def _prev_nonblank(lines: list[str], i: int) -> int:
    while i > 0 and not lines[i].strip():
        i -= 1
    return i


def _short_footer(line: str) -> bool:
    """'Sent from my iPhone', not 'Sent from my desk, it is much easier than my phone.'"""
    return len(line) < 80 and not re.search(r"[,，]\s*\w+\s+\w+", line.split("<")[0])


def _signature_like(rest: list[str]) -> bool:
    """True when the lines after a sign-off are a name block, not more content."""
    if len(rest) > 7:
        return False
    return all(_signature_line(line.strip()) for line in rest)


def _signature_line(line: str) -> bool:
    if _SIGNATURE_HINT.search(line) and len(line) <= 120:
        return True
    if _CONTENT_START.match(line) or _MOBILE.match(line):
        return bool(_MOBILE.match(line))
    cjk = len(_CJK.findall(line))
    limit = 24 if cjk > len(line) / 2 else 50
    if len(line) > limit:
        return False
    return not re.search(r"[.?!。？！；;]\s*$", line) or len(line.split()) <= 3


def _drop_disclaimers(lines: list[str]) -> list[str]:
    """Remove confidentiality notices: from the line where one starts to the end of its
    paragraph, and everything after it when it sits in the lower half of the text."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    out: list[str] = []
    for index, para in enumerate(paragraphs):
        start = _disclaimer_start(para)
        if start is None:
            out += para + ([""] if para else [])
            continue
        out += para[:start] + ([""] if start else [])
        if index >= len(paragraphs) // 2 and (index > 0 or start > 0):
            break
    return out


def _disclaimer_start(para: list[str]) -> int | None:
    """Index of the line in `para` where a confidentiality notice begins, if any."""
    for j, line in enumerate(para):
        joined = simplified(" ".join(part.strip() for part in para[j : j + 2]))  # 本電子郵件 is 本电子邮件
        match = _DISCLAIMER.search(joined)
        if match and match.start() <= len(line.strip()) and len(" ".join(para[j:])) > 20:
            return j
    return None


def _is_arrows(line: str) -> bool:
    """'>>> something <<<': at least two '>' first, two '<' last, something else between."""
    core = line.strip()
    if not (core.startswith(">>") and core.endswith("<<")):
        return False
    return bool(core.strip("><").strip(" \t><"))
