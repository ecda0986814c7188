"""Traditional Chinese and Cantonese are read as Simplified Mandarin, offset for offset."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from parsing.findings import read_text
from parsing.hanzi import simplified
from parsing.model import Kind, Party


@pytest.mark.parametrize(("written", "read"), [
    ("請在 3/20 前寄到台北公司（地址見下）", "请在 3/20 前寄到台北公司（地址见下）"),
    ("新 label 印刷遲咗三日，所以趕唔切 20 號。", "新 label 印刷迟了三日，所以赶不切 20 号。"),
    ("冇問題，唔該晒，聽日下晝三點得唔得？", "没问题，谢谢你，明天下午三点行不行？"),
    ("我們的關係很好，呢個係新版", "我们的关系很好，呢个是新版"),  # 係 is "is", 關係 stays "relation"
    ("Plain English stays as it is.", "Plain English stays as it is."),
])
def test_simplified_keeps_every_offset(written: str, read: str) -> None:
    assert simplified(written) == read and len(simplified(written)) == len(written)


def test_findings_in_traditional_chinese_are_cut_from_what_was_written() -> None:
    ref = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))
    reading = read_text("可唔可以將腳本定稿由 3月6號 延到 3月13號？", language="zh", reference=ref, party=Party.CLIENT)
    [finding] = reading.findings
    assert (finding.kind, finding.text, finding.due) == (Kind.CHANGE_REQUEST, "可唔可以將腳本定稿由 3月6號 延到 3月13號？",
                                                          dt.date(2026, 3, 13))
    (signal,) = read_text("3號（二）下晝3點得", language="zh", reference=ref, party=Party.CLIENT).signals
    assert (signal.text, signal.start) == ("3號（二）下晝3點得", dt.datetime(2026, 3, 3, 15, 0))


def test_a_traditional_disclaimer_is_no_finding() -> None:
    from parsing.quotes import strip_signature  # the disclaimer is cut before the findings are read

    text = ("煩請於 2/13（五）前回簽掃描檔。\n\n黃志明 Jimmy Huang\n木光影像製作有限公司\n\n"
            "本電子郵件及其附件所載資訊均屬機密，僅供指定收件人使用。若您並非指定收件人，請勿使用、揭露、複製或散布本郵件內容，並請立即通知寄件人後刪除本郵件。\n")
    kept = strip_signature(text)
    assert "煩請於 2/13" in kept and "請勿使用" not in kept


def test_taiwan_words_read_as_mainland_words_offset_for_offset() -> None:
    written = "請準備簡報，視訊會議在週五；這個專案的伺服器檔案請上傳。"
    read = simplified(written)
    assert len(read) == len(written)
    assert "视频会议" in read and "项目的服务器文件" in read  # Taiwan's words, Mainland's words
    assert read[:5] == "请准备简报"  # 簡報→演示文稿 would move every offset: that stretch goes by character


def test_a_video_call_in_taiwan_words_is_a_meeting() -> None:
    ref = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Taipei"))
    found = read_text("想約您下週二下午兩點視訊會議，討論首頁改版。", language="zh", reference=ref, party=Party.CLIENT).findings
    assert [(f.kind, f.start) for f in found] == [(Kind.MEETING, dt.datetime(2026, 3, 10, 14, 0))]
