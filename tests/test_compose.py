import datetime as dt
import email
import textwrap
from email.policy import default
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot import compose
from mailbot.compose import Person, build_message, format_day, render, reply_subject, wrap

CONTEXT = {
    "team": {"name": "Studio", "address": "project@studio.example"},
    "project": {"key": "huajin-web", "name": "华锦零售官网改版", "tag": "华锦官网"},
    "recipient": {"name": "Emily Zhou", "address": "emily.zhou@huajin.example"},
    "cr": {"number": "CR-1", "text": "Could we possibly add a store-locator page?", "received": dt.date(2026, 3, 5), "status": "acknowledged"},
    "original": {"subject": "Re: Staging server", "sender_name": "Emily Zhou", "date": dt.date(2026, 3, 5)},
}


def test_english_ack_renders_exactly() -> None:
    rendered = render("ack", "en", CONTEXT)
    assert rendered.subject == "Re: [华锦官网] Staging server [CR-1]"
    assert rendered.text == textwrap.dedent(
        """
        Dear Emily Zhou,

        Thank you for your email of Thu 5 Mar. We have received
        the change request below and logged it as CR-1:

            Could we possibly add a store-locator page?

        We will now assess its impact on scope, schedule and cost, and get
        back to you with the result. Until we have both agreed, the current
        plan stays as it is.

        If you would like to add anything, simply reply to this email and
        keep CR-1 in the subject line.

        Best regards,

        Studio, 华锦零售官网改版 project team
        project@studio.example
        (sent automatically by the project mailbox)
        """
    ).lstrip("\n")


def test_chinese_ack_escapes_client_text_in_html() -> None:
    context = {**CONTEXT, "recipient": None, "cr": {**CONTEXT["cr"], "text": "能否把<b>首页</b>改成深蓝色？"}}
    rendered = render("ack", "zh", context)
    assert rendered.text.startswith("您好：")
    assert "能否把<b>首页</b>改成深蓝色？" in rendered.text
    assert "&lt;b&gt;首页&lt;/b&gt;" in rendered.html and "<b>首页</b>" not in rendered.html


def test_message_has_both_parts_threading_and_loop_headers() -> None:
    rendered = render("ack", "en", CONTEXT)
    now = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.timezone.utc)
    msg = build_message(
        rendered=rendered,
        sender=Person("Studio", "project@studio.example"),
        to=[Person("Emily Zhou", "emily.zhou@huajin.example")],
        kind="ack",
        reply=True,
        now=now,
        in_reply_to="<b@huajin.example>",
        references=["<a@huajin.example>", "<b@huajin.example>"],
    )
    parsed = email.message_from_bytes(bytes(msg), policy=default)
    assert parsed["In-Reply-To"] == "<b@huajin.example>"
    assert parsed["References"] == "<a@huajin.example> <b@huajin.example>"
    assert parsed["Auto-Submitted"] == "auto-replied"
    assert parsed["X-Auto-Response-Suppress"] == "All"
    assert parsed["X-Mailbot"] == "ack"
    assert parsed["Message-ID"].endswith("@studio.example>")
    assert str(parsed["From"]) == "Studio <project@studio.example>"
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parsed.iter_parts())


def test_digest_renders_sections_in_both_languages() -> None:
    item = {"kind": "commitment", "text": "我们会在下周五之前提交首页设计稿", "by": "us", "who": "Chen Jing", "due": "2026-03-13", "status": "open"}
    context = {
        "team": CONTEXT["team"],
        "project": CONTEXT["project"],
        "recipient": None,
        "period": {"start": "2026-03-09", "end": "2026-03-15"},
        "done": [],
        "in_progress": [],
        "next": [item],
        "overdue": [],
        "milestones": [{"name": "首页设计", "due": "2026-03-31", "status": "planned"}],
        "change_requests": [{"number": "CR-2", "text": "能否把首页主色调改成深蓝色？", "status": "acknowledged", "received": "2026-03-16"}],
        "risks": [],
        "feedback": [{"text": "整体不错，但字体偏小", "sentiment": "mixed", "who": "李伟", "date": "2026-03-16"}],
        "plan_changes": [{"name": "内页设计", "old": "2026-04-17", "new": "2026-04-24", "reason": "CR-1"}],
        "today": "2026-03-16",
    }
    zh = render("digest", "zh", context)
    assert zh.subject == "【华锦零售官网改版】项目周报 3月9日–3月15日"
    for expected in ("CR-2", "首页设计", "3月13日（周五）", "褒贬参半", "内页设计：4月17日（周五） → 4月24日（周五）（CR-1）"):
        assert expected in zh.text
    for expected in ("CR-2", "首页设计", "3月13日（周五）", "褒贬参半", "CR-1"):
        assert expected in zh.html
    en = render("digest", "en", context)
    assert en.subject == "[华锦零售官网改版] Weekly digest, 9–15 Mar"
    assert "Fri 13 Mar" in en.text and "CR-2" in en.html
    assert "内页设计: Fri 17 Apr -> Fri 24 Apr (CR-1)" in en.text


def test_a_date_in_another_year_than_today_says_its_year() -> None:
    context = {"team": CONTEXT["team"], "project": CONTEXT["project"], "recipient": None,
               "period": {"start": "2026-12-28", "end": "2027-01-03"}, "done": [], "in_progress": [], "overdue": [],
               "next": [{"kind": "commitment", "text": "上线", "by": "us", "who": "", "due": "2027-01-05", "status": "open"}],
               "milestones": [], "change_requests": [], "risks": [], "feedback": [], "plan_changes": [], "today": "2026-12-30"}
    assert "2027年1月5日（周二）" in render("digest", "zh", context).text
    assert "Tue 5 Jan 2027" in render("digest", "en", context).text


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("首页设计", "Re: [官网] 首页设计 [CR-3]"),
        ("回复：首页设计", "回复： [官网] 首页设计 [CR-3]"),
        ("RE: [官网] homepage [CR-3]", "RE: [官网] homepage [CR-3]"),
        ("【官网】周报", "Re: 【官网】周报 [CR-3]"),
        ("", "Re: [官网] [CR-3]"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject, "CR-3", "官网") == expected


def test_wrap_counts_cjk_as_two_columns_and_keeps_words_whole() -> None:
    text = "有个情况需要提前跟你们同步：我们这边服务器采购流程还没走完，财务说新服务器要到4月中旬才能批下来"
    lines = wrap(text, 40, indent="").split("\n")
    assert "".join(lines) == text
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 41 for line in lines)
    assert not any(line[0] in "，。：" for line in lines)
    english = wrap("Could you possibly send us an export of the last twelve months", 20, indent="  ")
    assert english.split("\n") == ["Could you possibly", "  send us an export", "  of the last twelve", "  months"]


def test_format_day() -> None:
    assert format_day(dt.date(2026, 3, 13), "zh") == "3月13日（周五）"
    assert format_day(dt.date(2027, 1, 5), "zh", today=dt.date(2026, 12, 30)) == "2027年1月5日（周二）"
    assert format_day(dt.date(2027, 1, 5), "en", today="2027-01-02") == "Tue 5 Jan"
    assert format_day("2026-03-13", "en") == "Fri 13 Mar"
    assert format_day(None, "en") == ""


NOW = dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.timezone.utc)


def test_names_and_subjects_from_mail_cannot_add_headers_or_hide_text() -> None:
    """A display name whose encoded word decodes to CR/LF, and bidi and zero-width characters in a
    subject, become plain text on one line (once they raised, and the change request was lost)."""
    hostile = {**CONTEXT, "original": {**CONTEXT["original"], "subject": "Invoice\u202egnp.exe\u200b\r\nBcc: all@huajin.example"}}
    rendered = render("ack", "en", hostile)
    msg = build_message(
        rendered=rendered,
        sender=Person("Studio", "project@studio.example"),
        to=[Person("Emily\r\nBcc: evil@attacker.example \u2066Zhou\ufeff", "emily.zhou@huajin.example")],
        kind="ack",
        reply=True,
        now=NOW,
    )
    raw = bytes(msg)
    parsed = email.message_from_bytes(raw, policy=default)
    head = raw.split(b"\r\n\r\n")[0].split(b"\n\n")[0]
    assert parsed["Bcc"] is None and not any(line.lower().startswith(b"bcc") for line in head.splitlines())
    assert str(parsed["To"]) == "\"Emily Bcc: evil@attacker.example Zhou\" <emily.zhou@huajin.example>"
    assert parsed["To"].addresses[0].addr_spec == "emily.zhou@huajin.example"
    assert parsed["Subject"] == "Re: [华锦官网] Invoicegnp.exe Bcc: all@huajin.example [CR-1]"
    assert not any(ch in parsed["Subject"] for ch in "\u202e\u200b\r\n")


def test_an_answer_to_a_long_thread_keeps_its_references_short() -> None:
    thread = [f"<m{n}@huajin.example>" for n in range(20_000)] + ["<" + "x" * 5_000 + "@huajin.example>"]
    msg = build_message(rendered=render("ack", "en", CONTEXT), sender=Person("Studio", "project@studio.example"),
                        to=[Person("Emily Zhou", "emily.zhou@huajin.example")], kind="ack", reply=True, now=NOW,
                        in_reply_to="<m19999@huajin.example>", references=thread)
    parsed = email.message_from_bytes(bytes(msg), policy=default)
    refs = str(parsed["References"]).split()
    assert len(refs) == 12 and refs[0] == "<m0@huajin.example>" and refs[-1] == "<m19999@huajin.example>"
    assert len(bytes(msg)) < 10_000
    huge_parent = build_message(rendered=render("ack", "en", CONTEXT), sender=Person("Studio", "project@studio.example"),
                                to=[Person("Emily Zhou", "emily.zhou@huajin.example")], kind="ack", reply=True, now=NOW,
                                in_reply_to=thread[-1])
    assert huge_parent.in_reply_to is None  # a 5,000-character "Message-ID" is not copied


def test_wrap_measures_each_token_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Linear in the text: the width of what is on the line is kept, not measured again for
    every token (33 million width lookups for one tick on a store of 50,000 messages)."""
    calls = [0]
    real = compose._width

    def counted(text: str) -> int:
        calls[0] += 1
        return real(text)

    monkeypatch.setattr(compose, "_width", counted)
    text = "请在周五前把首页设计稿发给我们 please send the homepage draft by Friday " * 400
    wrapped = compose.wrap(text, 40)
    tokens = len(compose._TOKENS.findall(" ".join(text.split())))
    assert calls[0] == tokens
    assert all(real(line) <= 40 for line in wrapped.split("\n"))


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled templates live in the user's cache between runs (a new store starts warm);
    Jinja2 checks each against its source, so an edited override is what the next run renders."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "concern.en.txt").write_text("first {{ 1 + 1 }}\n", encoding="utf-8")
    try:
        compose.configure(folder)
        assert compose.environment("en", False).get_template("concern.en.txt").render() == "first 2\n"
        assert list((tmp_path / "cache" / "mailbot").glob("templates-*/text/*"))  # kept for the next run
        compose._environment.cache_clear()  # the next run: a fresh environment, the same cache folder
        (folder / "concern.en.txt").write_text("second {{ 2 + 2 }}\n", encoding="utf-8")
        assert compose.environment("en", False).get_template("concern.en.txt").render() == "second 4\n"
    finally:
        compose.configure(None)
        compose.keep_compiled(None)
        compose._environment.cache_clear()


def test_compiled_templates_are_not_read_from_a_folder_others_may_write(tmp_path: Path) -> None:
    """Jinja2 loads compiled templates with marshal: a cache folder that its group or others
    may write is not used (templates are compiled in memory instead, and render the same)."""
    (tmp_path / "text").mkdir()
    (tmp_path / "text").chmod(0o777)
    try:
        compose.keep_compiled(tmp_path)
        compose._environment.cache_clear()
        assert compose.environment("en", False).bytecode_cache is None
        assert "CR-1" in render("ack", "en", CONTEXT).text
        assert not list((tmp_path / "text").iterdir())
        (tmp_path / "text").chmod(0o700)
        compose._environment.cache_clear()
        assert compose.environment("en", False).bytecode_cache is not None
    finally:
        compose.keep_compiled(None)
        compose._environment.cache_clear()


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab cd,。的首页设计稿 \n\tXYZ：")), max_size=120), cols=st.integers(10, 80))
def test_wrap_keeps_every_character_and_each_line_in_its_columns(text: str, cols: int) -> None:
    """Whether the text fits on one line (returned at once) or not (wrapped token by token):
    the words are the text's, in order, and no line passes `cols` unless one token does."""
    wrapped = wrap(text, cols, indent="  ")
    collapsed = " ".join(text.split())
    lines = wrapped.split("\n  ")
    assert "".join(lines).replace(" ", "") == collapsed.replace(" ", "")
    for n, line in enumerate(lines):
        core = line.rstrip("".join(compose._NO_LINE_START) + " ")  # closing punctuation stays with the line before
        assert compose._width(core) + (2 if n else 0) <= cols or len(compose._TOKENS.findall(core)) == 1
    if compose._width(collapsed) <= cols:
        assert wrapped == collapsed
