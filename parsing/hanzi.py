"""Traditional Chinese and Cantonese read as Simplified Mandarin, offset for offset.

The cue words of `parsing.lexicon` are written once, in Simplified Chinese. Mail in Traditional
Chinese (Taiwan, Hong Kong) is read through `simplified`, which gives the same text in
Simplified characters *of the same length*, so that every offset found in it is an offset of
the original: findings are then cut from what was written ("請在 3/20 前寄到台北公司"), not
from the conversion.

The conversion is OpenCC's `tw2sp`: characters, and Taiwan's words for the same thing in
Mainland words (視訊→视频, 專案→项目, 檔案→文件, 伺服器→服务器), so that one cue list reads
both. A phrase whose Mainland word is longer or shorter (簡報→演示文稿) would move every
offset after it: only the stretch of text between punctuation that holds it is converted
character by character (`t2s`) instead. Written Cantonese has words OpenCC leaves
alone because they are dialect, not script ("唔該", "寄咗", "冇問題"); the handful that carry
meaning for the cues are mapped here one character to one character: no library does that, and
the list is small and stable.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

from parsing import patterns as rx

# Written Cantonese → Mandarin, one character each (so offsets hold): not, done, of, is, have not,
# he/she, plural, at, give, look, come, some, think, find.
_CANTONESE = str.maketrans({"唔": "不", "咗": "了", "嘅": "的", "冇": "没", "佢": "他", "哋": "们", "喺": "在", "畀": "给",
                            "俾": "给", "睇": "看", "嚟": "来", "啲": "些", "諗": "想", "揾": "找", "搵": "找"})
# Cantonese words whose Mandarin has as many characters (the longest first): please, thanks a lot,
# no need, sorry, don't, no problem, free (time), when, how, now, yesterday, tomorrow, afternoon,
# morning, done.
_WORDS = {"唔該晒": "谢谢你", "唔好意思": "不好意思", "唔該": "麻烦", "唔使": "不用", "唔好": "不要", "冇問題": "没问题", "得閒": "有空",
          "幾時": "何时", "點樣": "怎样", "而家": "现在", "琴日": "昨天", "尋日": "昨天", "聽日": "明天", "下晝": "下午", "上晝": "上午", "朝早": "早上", "晏晝": "中午", "得唔得": "行不行",
          "搞掂": "搞定"}
_WORD = rx.compile("|".join(sorted(_WORDS, key=len, reverse=True)))
# 係 is Cantonese "is", except in 關係 / 联系 (relation), which OpenCC handles.
_IS = rx.compile(r"(?<![關联關聯关])係")
_CJK = rx.compile(r"[\u3400-\u9fff]")


# Stretches between punctuation and white space: a phrase never spans them.
_STRETCH = rx.compile(r"[^\s，。！？、；：,.!?;:()（）「」『』“”]+|[\s，。！？、；：,.!?;:()（）「」『』“”]+")


@lru_cache(maxsize=2)
def _converter(config: str = "tw2sp") -> opencc.OpenCC:
    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """`text` in Simplified characters and Mandarin words, with exactly the same length. A
    clause's conversion is remembered: the plan matches the same clause with dozens of cues."""
    if not _looks_traditional(text):
        return text
    return _remembered(text) if len(text) <= REMEMBERED else _simplified(text)


REMEMBERED = 500  # characters: a clause or an item's text, not a whole message


def _simplified(text: str) -> str:
    text = _IS.sub("是", _WORD.sub(lambda m: _WORDS[m.group(0)], text)).translate(_CANTONESE)
    converted: str = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(map(_same_length, _STRETCH.findall(text)))


_remembered = lru_cache(maxsize=8_192)(_simplified)


def _same_length(stretch: str) -> str:
    """One stretch converted with its phrases where that keeps its length, else character by
    character."""
    converted: str = _converter().convert(stretch)
    if len(converted) == len(stretch):
        return converted
    convert = _converter("t2s").convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in stretch)


def _looks_traditional(text: str) -> bool:
    """Whether conversion can change anything: there are Chinese characters at all."""
    return _CJK.search(text) is not None
