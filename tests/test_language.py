"""parsing.language: zh / en / mixed by script proportions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsing.language import detect_language, han_share
from parsing.mime import read_email
from parsing.quotes import new_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("能否把首页主色调改成深蓝色？", "zh"),
        ("请在周五之前把 logo 发给我们，谢谢。", "zh"),
        ("We'll send the revised mockups by Thursday.", "en"),
        ("Thanks, 王芳 — we'll send the revised mockups by Thursday.", "en"),
        ("首页的 hero banner 和 footer 需要 redesign，deadline 是下周五", "mixed"),
        ("好的。\n\nOK, we will update the homepage colour to navy and send it tomorrow.", "en"),
        ("Patch applied to the next branch, thanks for the quick review and the tests.\n\n" + "本邮件及其附件含有保密信息，仅限于发送给上面地址中列出的个人或群组。", "mixed"),
        ("", "en"),
        ("12345 :) 🎉", "en"),
        ("see https://example.com/very/long/english/path 好的收到谢谢", "zh"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_han_share_bounds() -> None:
    assert han_share("") is None
    assert han_share("中文") == 1.0
    assert han_share("english words") == 0.0


@pytest.mark.corpus
def test_cjk_bodies_are_zh_or_mixed(corpora: Path) -> None:
    root = corpora / "mailing-list-archives"
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    items = index.items() if isinstance(index, dict) else ((i["file"], i) for i in index)
    results = []
    english_new_text = 0
    for name, facts in items:
        if isinstance(facts, dict) and "cjk_body" in facts.get("selected_for", ()):
            email = read_email((root / name).read_bytes())
            language = detect_language(email.text)
            results.append(language)
            if language == "en":
                # the misses must be English writing: no Han in the new text (two openbmc
                # mails hold no Han at all; one has Chinese only in its Outlook quote header)
                new, _ = new_text(email)
                english_new_text += han_share(new) == 0.0
    good = sum(r in ("zh", "mixed") for r in results)
    misses = len(results) - good
    print(f"cjk_body pool: {good}/{len(results)} zh or mixed on the whole text; "
          f"{english_new_text}/{misses} others are English new text")
    assert results and good / len(results) >= 0.85
    assert english_new_text == misses
