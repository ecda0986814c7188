"""Routing and applying findings, on Extraction values built by hand (no parsing involved)."""

import datetime as dt
from pathlib import Path

import pytest

from mailbot.config import Settings, load
from mailbot.plan import apply, route, snapshot, sync_projects
from mailbot.store import Store, open_store
from parsing.model import Address, Category, Email, Extraction, Finding, Kind, Party

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc)


@pytest.fixture
def settings(config_file: Path) -> Settings:
    return load(config_file, env={})


@pytest.fixture
def store(settings: Settings, tmp_path: Path) -> Store:
    store = open_store(tmp_path / "plan.db")
    sync_projects(store, settings, NOW)
    yield store
    store.close()


def email(sender: str, *, to: tuple[str, ...] = ("project@studio.example",), subject: str = "hi",
          message_id: str = "<m1@x>", in_reply_to: str | None = None, references: tuple[str, ...] = ()) -> Email:
    return Email(
        message_id=message_id,
        subject=subject,
        sender=Address("", sender),
        to=tuple(Address("", a) for a in to),
        cc=(),
        date=dt.datetime(2026, 3, 4, 10, 15, tzinfo=SH),
        in_reply_to=in_reply_to,
        references=references,
        text="",
    )


def extraction(mail: Email, *findings: Finding, party: Party = Party.CLIENT) -> Extraction:
    return Extraction(email=mail, body="", language="zh", party=party, category=Category.NORMAL, findings=findings)


def test_sync_is_idempotent_and_keeps_moved_dates_in_history(store: Store, settings: Settings, tmp_path: Path) -> None:
    sync_projects(store, settings, NOW)
    assert store.db["projects"].count == 2
    assert store.db["milestones"].count == 3
    text = (tmp_path / "mailbot.toml").read_text(encoding="utf-8").replace("2026-05-15", "2026-05-29")
    text = text.replace('milestones = [{ name = "Beta", due = "2026-04-20" }]', "milestones = []")
    (tmp_path / "mailbot.toml").write_text(text, encoding="utf-8")
    sync_projects(store, load(tmp_path / "mailbot.toml", env={}), NOW)
    launch = store.one("SELECT id, due, status FROM milestones WHERE name = '上线'")
    assert launch["due"] == "2026-05-29"
    moves = store.rows("SELECT field, old, new, reason FROM history WHERE item = 'milestones' AND item_id = ?", [launch["id"]])
    assert moves == [{"field": "due", "old": "2026-05-15", "new": "2026-05-29", "reason": "configuration"}]
    assert store.one("SELECT status FROM milestones WHERE name = 'Beta'")["status"] == "dropped"


def test_route_by_participants_then_thread(store: Store, settings: Settings) -> None:
    by_domain = route(store, settings, email("someone.new@huajin.example"))
    assert (by_domain.project_key, by_domain.how) == ("huajin-web", "participants")
    assert route(store, settings, email("x@nowhere.example")).how == "none"
    # a reply from an unknown address joins the project of the message it answers
    store.db["messages"].insert({"key": "<root@x>", "message_id": "<root@x>", "content_hash": "h", "raw": b"", "state": "processed", "project_key": "acme-app"})
    reply = email("intern@gmail.example", in_reply_to="<root@x>", references=("<root@x>",))
    assert (route(store, settings, reply).project_key, route(store, settings, reply).how) == ("acme-app", "thread")


def test_route_by_subject_tag_and_ambiguity(store: Store, settings: Settings) -> None:
    tagged = email("x@gmail.example", subject="Re: [华锦零售官网改版] 首页")
    assert route(store, settings, tagged).project_key == "huajin-web"
    both = email("li.wei@huajin.example", to=("sam@acme.example",))
    assert route(store, settings, both).how == "ambiguous"


def test_apply_writes_every_kind(store: Store, settings: Settings) -> None:
    project = settings.project("huajin-web")
    mail = email("li.wei@huajin.example", subject="首页设计确认")
    findings = (
        Finding(Kind.REQUEST, "请贵方本周内提供素材", by=Party.US, due=dt.date(2026, 3, 8), due_text="本周内"),
        Finding(Kind.CHANGE_REQUEST, "能否把首页主色调改成深蓝色？", by=Party.US),
        Finding(Kind.APPROVAL, "首页设计确认通过", by=Party.CLIENT),
        Finding(Kind.FEEDBACK, "整体不错，但字体偏小", sentiment="mixed"),
        Finding(Kind.RISK, "服务器还没开通，可能影响上线"),
        Finding(Kind.MEETING, "下周二下午3点开个评审会？", start=dt.datetime(2026, 3, 10, 15, 0)),
        Finding(Kind.SURVEY_RESPONSE, "打9分", score=9),
    )
    with store.transaction():
        applied = apply(store, project, extraction(mail, *findings), "<m1@x>", NOW)
    assert [(a.number, a.text) for a in applied.acks] == [(1, "能否把首页主色调改成深蓝色？")]
    assert len(applied.finding_ids) == len(findings)
    plan = snapshot(store, today=dt.date(2026, 3, 20), project_key="huajin-web")["projects"][0]
    assert plan["requests"][0]["due"] == "2026-03-08" and plan["requests"][0]["overdue"] is True
    assert plan["change_requests"][0]["number"] == "CR-1"
    assert {m["name"]: m["status"] for m in plan["milestones"]} == {"首页设计": "done", "上线": "planned"}
    assert plan["feedback"][0]["sentiment"] == "mixed"
    assert plan["meetings"][0]["start"] == "2026-03-10T15:00"
    assert plan["risks"][0]["status"] == "open"
    assert plan["surveys"][0]["score"] == 9
    assert store.db["findings"].count == len(findings)


def test_change_requests_are_numbered_per_project(store: Store, settings: Settings) -> None:
    with store.transaction():
        for n, key in enumerate(("huajin-web", "huajin-web", "acme-app")):
            cr = Finding(Kind.CHANGE_REQUEST, f"Can we add login page {n}?", by=Party.US)
            apply(store, settings.project(key), extraction(email("a@huajin.example", message_id=f"<{n}@x>"), cr), f"<{n}@x>", NOW)
    numbers = store.rows("SELECT project_key, number FROM change_requests ORDER BY id")
    assert [(r["project_key"], r["number"]) for r in numbers] == [("huajin-web", 1), ("huajin-web", 2), ("acme-app", 1)]


def test_our_own_change_requests_get_no_acknowledgement(store: Store, settings: Settings) -> None:
    cr = Finding(Kind.CHANGE_REQUEST, "我们建议把上线推迟一周", by=Party.CLIENT)
    with store.transaction():
        applied = apply(store, settings.project("huajin-web"), extraction(email("chen.jing@studio.example"), cr, party=Party.US), "<m1@x>", NOW)
    assert applied.acks == ()


def test_the_same_change_request_said_again_is_one_change_request(store: Store, settings: Settings) -> None:
    project = settings.project("huajin-web")
    with store.transaction():
        first = apply(store, project, extraction(email("li.wei@huajin.example", message_id="<a@x>"), Finding(Kind.CHANGE_REQUEST, "能否把首页改成深蓝色？")), "<a@x>", NOW)
        again = apply(store, project, extraction(email("li.wei@huajin.example", message_id="<b@x>"), Finding(Kind.CHANGE_REQUEST, "能否把首页改成 深蓝色?")), "<b@x>", NOW)
        other = apply(store, project, extraction(email("li.wei@huajin.example", message_id="<c@x>"), Finding(Kind.CHANGE_REQUEST, "能否增加门店查询页？")), "<c@x>", NOW)
    assert (len(first.acks), len(again.acks), len(other.acks)) == (1, 0, 1)
    assert [r["number"] for r in store.rows("SELECT number FROM change_requests ORDER BY number")] == [1, 2]
    assert store.db["findings"].count == 3  # what was said is still on record


@pytest.mark.parametrize(
    ("text", "subject", "approved"),
    [
        ("首页设计确认通过，可以进入下一阶段。", "Re: 首页", "首页设计"),
        ("内页节点顺延到4月24日我们可以接受，上线时间不变。", "Re: 关于上线时间", None),
        ("Approved, go ahead.", "Re: 首页设计 v2", "首页设计"),
        ("Approved, go ahead.", "Re: 上线时间", None),
    ],
)
def test_an_approval_signs_off_the_milestone_its_own_words_name(store: Store, settings: Settings, text: str, subject: str, approved: str | None) -> None:
    mail = email("li.wei@huajin.example", subject=subject)
    with store.transaction():
        apply(store, settings.project("huajin-web"), extraction(mail, Finding(Kind.APPROVAL, text)), "<m1@x>", NOW)
    done = [r["name"] for r in store.rows("SELECT name FROM milestones WHERE status = 'done'")]
    assert done == ([approved] if approved else [])


def _extraction_with(mail: Email, party: Party, *findings: Finding, completions: tuple[str, ...] = (),
                     receipts: tuple[str, ...] = ()) -> Extraction:
    return Extraction(email=mail, body="", language="zh", party=party, category=Category.NORMAL,
                      findings=findings, completions=completions, receipts=receipts)


def test_work_reported_done_closes_the_promise_it_names_and_nothing_else(store: Store, settings: Settings) -> None:
    project = settings.project("huajin-web")
    ours = email("chen.jing@studio.example", message_id="<plan@x>")
    promises = (
        Finding(Kind.COMMITMENT, "我们会在下周五之前提交首页设计初稿", by=Party.US, due=dt.date(2026, 3, 13)),
        Finding(Kind.COMMITMENT, "I'll have the staging server up by Thursday", by=Party.US, due=dt.date(2026, 3, 12)),
    )
    asked = email("li.wei@huajin.example", message_id="<ask@x>")
    with store.transaction():
        apply(store, project, _extraction_with(ours, Party.US, *promises), "<plan@x>", NOW)
        apply(store, project, _extraction_with(asked, Party.CLIENT, Finding(Kind.REQUEST, "烦请提供门店清单（Excel）", by=Party.US)), "<ask@x>", NOW)
        # the client reporting something done closes none of ours
        apply(store, project, _extraction_with(email("li.wei@huajin.example", message_id="<c@x>"), Party.CLIENT,
                                            completions=("首页设计初稿已经收到并转给老板了",)), "<c@x>", NOW)
        # a report that shares too little with every open item closes nothing
        apply(store, project, _extraction_with(email("chen.jing@studio.example", message_id="<d@x>"), Party.US,
                                            completions=("合同已寄出",)), "<d@x>", NOW)
    assert {r["status"] for r in store.rows("SELECT status FROM items WHERE kind = 'commitment'")} == {"open"}
    with store.transaction():
        apply(store, project, _extraction_with(email("chen.jing@studio.example", message_id="<e@x>"), Party.US,
                                            completions=("首页设计初稿已经发给您了", "门店清单已整理好发您")), "<e@x>", NOW)
        apply(store, project, _extraction_with(email("chen.jing@studio.example", message_id="<f@x>"), Party.US,
                                            completions=("The staging server is now live",)), "<f@x>", NOW)
    statuses = {r["text"]: r["status"] for r in store.rows("SELECT text, status FROM items")}
    assert statuses == {
        "我们会在下周五之前提交首页设计初稿": "done",
        "I'll have the staging server up by Thursday": "done",
        "烦请提供门店清单（Excel）": "done",  # asked of us, delivered by us
    }
    history = store.rows("SELECT item, new, reason FROM history WHERE field = 'status' AND new = 'done' ORDER BY id")
    assert [h["reason"] for h in history] == ["<e@x>", "<e@x>", "<f@x>"]


def test_work_acknowledged_as_received_closes_the_other_sides_promise(store: Store, settings: Settings) -> None:
    project = settings.project("huajin-web")
    theirs = email("li.wei@huajin.example", message_id="<promise@x>")
    with store.transaction():
        apply(store, project, _extraction_with(theirs, Party.CLIENT, Finding(Kind.COMMITMENT, "I'll send over the GA export tomorrow", by=Party.CLIENT)), "<promise@x>", NOW)
        apply(store, project, _extraction_with(theirs, Party.CLIENT, Finding(Kind.COMMITMENT, "门店照片周三前发给你们", by=Party.CLIENT)), "<p2@x>", NOW)
        # the studio thanks them for the export: theirs is done; our own promises are not touched
        apply(store, project, _extraction_with(email("chen.jing@studio.example", message_id="<thanks@x>"), Party.US,
                                            receipts=("Thanks Emily for the GA export",)), "<thanks@x>", NOW)
    statuses = {r["text"]: r["status"] for r in store.rows("SELECT text, status FROM items WHERE kind = 'commitment'")}
    assert statuses == {"I'll send over the GA export tomorrow": "done", "门店照片周三前发给你们": "open"}
