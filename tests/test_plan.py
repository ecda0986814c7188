"""The plan's rules on Extraction values built by hand (no parsing involved): routing, one item
per real-world thing, closing by later mail, the change-request process, milestones, meetings,
boilerplate. Each test drives `apply` message by message, as the service does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.config import Settings, load
from mailbot.plan import AckDecision, Applied, apply, route, snapshot, sync_projects
from mailbot.store import Store, open_store
from parsing.model import Address, Category, Email, Extraction, Finding, Kind, Party, Signal, SignalKind

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 20, tzinfo=dt.timezone.utc)
CLIENT, US = "li.wei@huajin.example", "chen.jing@studio.example"


@pytest.fixture
def settings(config_file: Path) -> Settings:
    return load(config_file, env={})


@pytest.fixture
def store(settings: Settings, tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "plan.db")
    sync_projects(store, settings, NOW)
    yield store
    store.close()


def email(sender: str, *, to: tuple[str, ...] = ("project@studio.example",), subject: str = "hi", message_id: str = "<m1@x>",
          in_reply_to: str | None = None, references: tuple[str, ...] = (), day: int = 4, text: str = "") -> Email:
    return Email(
        message_id=message_id,
        subject=subject,
        sender=Address("", sender),
        to=tuple(Address("", a) for a in to),
        cc=(),
        date=dt.datetime(2026, 3, day, 10, 15, tzinfo=SH),
        in_reply_to=in_reply_to,
        references=references or ((in_reply_to,) if in_reply_to else ()),
        text=text,
    )


class Mail:
    """Messages of one thread of the huajin-web project, applied in order."""

    def __init__(self, store: Store, settings: Settings, project: str = "huajin-web", thread: str = "") -> None:
        self.store, self.settings, self.project = store, settings, settings.project(project)
        self.ids: list[str] = []
        self.thread = thread  # in the Message-IDs: several threads in one test

    def send(self, sender: str, *findings: Finding, reply: bool = True, subject: str = "Re: 首页", day: int = 4,
             completions: tuple[str, ...] = (), receipts: tuple[str, ...] = (), signals: tuple[Signal, ...] = (),
             body: str = "", to: tuple[str, ...] = (CLIENT, "project@studio.example")) -> Applied:
        message_id = f"<m{len(self.ids) + 1}{self.thread}@x>"
        parent = self.ids[-1] if reply and self.ids else None
        mail = email(sender, to=to, subject=subject, message_id=message_id, in_reply_to=parent,
                     references=tuple(self.ids) if parent else (), day=day, text=body)
        self.ids.append(message_id)
        party = Party.US if sender.endswith("studio.example") else Party.CLIENT
        extraction = Extraction(email=mail, body=body or " ".join(f.text for f in findings), language="zh", party=party,
                                category=Category.NORMAL, findings=findings, completions=completions, receipts=receipts,
                                signals=signals)
        with self.store.transaction():
            return apply(self.store, self.settings, self.project, extraction, message_id, NOW)


def plan(store: Store, today: dt.date = dt.date(2026, 3, 20)) -> dict:  # type: ignore[type-arg]
    return snapshot(store, today=today, project_key="huajin-web")["projects"][0]


def items(store: Store) -> dict[str, str]:
    project = plan(store)
    return {i["text"]: i["status"] for i in project["commitments"] + project["requests"]}


# -- configuration and routing -----------------------------------------------------------------


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
    moves = [(h.field, h.old, h.new, h.cause, h.reason) for h in store.history("milestones", launch["id"])]
    assert moves == [("due", "2026-05-15", "2026-05-29", "config", "configuration")]
    assert store.one("SELECT status FROM milestones WHERE name = 'Beta'")["status"] == "dropped"


def test_route_by_participants_then_thread(store: Store, settings: Settings) -> None:
    by_domain = route(store, settings, email("someone.new@huajin.example"))
    assert (by_domain.project_key, by_domain.how) == ("huajin-web", "participants")
    assert route(store, settings, email("x@nowhere.example")).how == "none"
    # a reply from an unknown address joins the project of the message it answers
    store.db["messages"].insert({"key": "<root@x>", "message_id": "<root@x>", "content_hash": "h", "state": "processed", "project_key": "acme-app"})
    reply = email("intern@gmail.example", in_reply_to="<root@x>", references=("<root@x>",))
    assert (route(store, settings, reply).project_key, route(store, settings, reply).how) == ("acme-app", "thread")


def test_route_by_subject_tag_and_ambiguity(store: Store, settings: Settings) -> None:
    tagged = email("intern@huajin.example", subject="Re: [华锦零售官网改版] 首页")
    assert route(store, settings, tagged).project_key == "huajin-web"
    # a tag routes only among the projects the sender belongs to: a stranger's, or another client's, goes nowhere
    assert route(store, settings, email("x@gmail.example", subject="Re: [华锦零售官网改版] 首页")).project_key is None
    assert route(store, settings, email("sam@acme.example", to=("other@gmail.example",), subject="[华锦零售官网改版] 首页")).project_key == "acme-app"
    both = email("li.wei@huajin.example", to=("sam@acme.example",))
    assert route(store, settings, both).how == "ambiguous"


# -- every kind, with short ids ----------------------------------------------------------------


def test_apply_writes_every_kind_with_short_ids(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    applied = mail.send(
        CLIENT,
        Finding(Kind.REQUEST, "请贵方本周内提供首页素材清单", by=Party.US, due=dt.date(2026, 3, 8), due_text="本周内"),
        Finding(Kind.CHANGE_REQUEST, "能否把首页主色调改成深蓝色？", by=Party.US),
        Finding(Kind.FEEDBACK, "整体不错，但字体偏小", sentiment="mixed"),
        Finding(Kind.RISK, "服务器还没开通，可能影响上线"),
        Finding(Kind.MEETING, "下周二下午3点开个会？", start=dt.datetime(2026, 3, 10, 15, 0)),
    )
    mail.send(CLIENT, Finding(Kind.SURVEY_RESPONSE, "打9分", score=9), reply=False)
    assert [(a.number, a.text) for a in applied.acks] == [(1, "能否把首页主色调改成深蓝色？")]
    assert len(applied.finding_ids) == 5
    project = plan(store)
    (request,) = project["requests"]
    assert (request["id"], request["due"], request["overdue"]) == ("R1", "2026-03-08", True)
    assert (project["change_requests"][0]["id"], project["change_requests"][0]["status"]) == ("CR-1", "received")
    assert [m["id"] for m in project["milestones"]] == ["M1", "M2"]
    assert project["meetings"][0]["id"] == "MT1" and project["meetings"][0]["status"] == "proposed"
    assert project["feedback"][0]["sentiment"] == "mixed" and project["risks"][0]["status"] == "open"
    assert project["surveys"][0]["score"] == 9 and project["status"] == "active"


def test_change_requests_are_numbered_per_project(store: Store, settings: Settings) -> None:
    huajin, acme = Mail(store, settings), Mail(store, settings, "acme-app")
    huajin.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否增加一个门店查询页？"), reply=False)
    huajin.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否把主色调改成深蓝色？"), reply=False)
    acme.ids = ["<acme0@x>"]  # its own message ids
    acme.send("sam@acme.example", Finding(Kind.CHANGE_REQUEST, "Can we add a login page?"), reply=False)
    numbers = store.rows("SELECT project_key, number FROM change_requests ORDER BY id")
    assert [(r["project_key"], r["number"]) for r in numbers] == [("huajin-web", 1), ("huajin-web", 2), ("acme-app", 1)]


# -- one item per real-world thing ---------------------------------------------------------------


def test_minutes_lines_belong_to_the_side_of_the_person_named(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "李伟：3月20日前提供门店清单", by=Party.US, due=dt.date(2026, 3, 20)),
              Finding(Kind.COMMITMENT, "我方：3月13日前提交首页设计稿", by=Party.US, due=dt.date(2026, 3, 13)))
    project = plan(store)
    owners = {c["text"]: c["by"] for c in project["commitments"]}
    assert owners == {"李伟：3月20日前提供门店清单": "client", "我方：3月13日前提交首页设计稿": "us"}


def test_the_same_promise_in_the_minutes_and_in_the_mail_is_one_item(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "我们会在3月13日前提交首页设计稿", by=Party.US, due=dt.date(2026, 3, 13)))
    mail.send(US, Finding(Kind.COMMITMENT, "我方：3月13日前提交首页设计稿两版", by=Party.US, due=dt.date(2026, 3, 13)), reply=False)
    (commitment,) = plan(store)["commitments"]
    assert commitment["id"] == "C1"
    assert len(store.sources.of("items", 1)) == 2


def test_a_promise_answering_an_ask_is_that_item_owed_by_the_promiser_with_the_promised_date(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.REQUEST, "原型能不能2月25日前先给我们看一下？", by=Party.US, due=dt.date(2026, 2, 25)), day=1)
    mail.send(US, Finding(Kind.COMMITMENT, "原型我们会在3月2日前发给您", by=Party.US, due=dt.date(2026, 3, 2)), day=2)
    (item,) = plan(store)["requests"] + plan(store)["commitments"]
    assert (item["id"], item["by"], item["due"], item["status"]) == ("R1", "us", "2026-03-02", "open")
    assert [(h.field, h.old, h.new) for h in store.history("items", 1) if h.field == "due"] == [("due", "2026-02-25", "2026-03-02")]


def test_a_new_date_for_the_same_thing_is_the_same_item_with_its_old_date_in_history(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "We'll send the wireframes by Friday 27 February", by=Party.US, due=dt.date(2026, 2, 27)),
              subject="Wireframes")
    mail.send(US, Finding(Kind.COMMITMENT, "we'll have them to you on Tuesday 3 March instead of this Friday", by=Party.US,
                          due=dt.date(2026, 3, 3)), subject="Wireframes – small delay", reply=False)
    (item,) = plan(store)["commitments"]
    assert item["due"] == "2026-03-03"


def test_a_plan_line_that_restates_a_milestone_is_that_milestone(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "首页设计：3月31日前完成并确认", by=Party.US, due=dt.date(2026, 3, 31)),
              Finding(Kind.COMMITMENT, "上线时间保持不变", by=Party.US))
    assert plan(store)["commitments"] == []
    assert [s.role for s in store.sources.of("milestones", 1)] == ["restated"]


def test_courtesy_and_arrangements_are_not_tasks(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "有进展我们第一时间告诉你们", by=Party.US),
              Finding(Kind.COMMITMENT, "张强负责前端开发", by=Party.US),
              Finding(Kind.COMMITMENT, "we can go through it together on the call", by=Party.US),
              Finding(Kind.REQUEST, "please don't spend any more time chasing", by=Party.CLIENT),
              Finding(Kind.COMMITMENT, "我们会在周五前把门店清单发给您", by=Party.US, due=dt.date(2026, 3, 6)))
    assert list(items(store)) == ["我们会在周五前把门店清单发给您"]


# -- closing ---------------------------------------------------------------------------------------


def test_work_reported_done_closes_the_promise_it_names_and_nothing_else(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "我们会在下周五之前提交首页设计初稿", by=Party.US, due=dt.date(2026, 3, 13)),
              Finding(Kind.COMMITMENT, "I'll have the staging server up by Thursday", by=Party.US, due=dt.date(2026, 3, 12)))
    mail.send(CLIENT, Finding(Kind.REQUEST, "烦请提供门店清单（Excel）", by=Party.US), reply=False)
    mail.send(CLIENT, completions=("首页设计初稿已经收到并转给老板了",), reply=False)  # the client's report closes none of ours
    mail.send(US, completions=("合同已寄出",), reply=False)  # shares too little with every open item
    assert set(items(store).values()) == {"open"}
    mail.send(US, completions=("首页设计初稿已经发给您了", "门店清单已整理好发您"), reply=False)
    mail.send(US, completions=("The staging server is now live",), reply=False)
    assert items(store) == {
        "我们会在下周五之前提交首页设计初稿": "done",
        "I'll have the staging server up by Thursday": "done",
        "烦请提供门店清单（Excel）": "done",  # asked of us, delivered by us
    }
    closes = [(h.new, h.reason, h.note) for i in (1, 2, 3) for h in store.history("items", i) if h.new == "done"]
    assert sorted(closes) == [("done", "<m5@x>", "delivered"), ("done", "<m5@x>", "delivered"), ("done", "<m6@x>", "delivered")]


def test_work_acknowledged_as_received_closes_the_other_sides_promise_but_a_bare_ack_closes_nothing(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.COMMITMENT, "I'll send over the GA export tomorrow", by=Party.CLIENT, due=dt.date(2026, 3, 5)),
              Finding(Kind.COMMITMENT, "门店照片周三前发给你们", by=Party.CLIENT, due=dt.date(2026, 3, 11)))
    mail.send(US, receipts=("收到",))
    assert set(items(store).values()) == {"open"}
    mail.send(US, receipts=("Thanks Emily for the GA export",))
    assert items(store) == {"I'll send over the GA export tomorrow": "done", "门店照片周三前发给你们": "open"}


def test_a_sign_off_closes_the_ask_for_it(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.REQUEST, "Could you please sign off the wireframes by Tuesday 10 March?", by=Party.CLIENT,
                          due=dt.date(2026, 3, 10)), subject="Wireframes for sign-off")
    mail.send(CLIENT, Finding(Kind.APPROVAL, "Looks good, approved", by=Party.CLIENT), subject="RE: Wireframes for sign-off")
    assert set(items(store).values()) == {"done"}


def test_an_ask_for_an_answer_is_answered_by_the_reply_but_an_ask_for_work_is_not(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.REQUEST, "门店自提是不是已经包含在一期范围里了？", by=Party.CLIENT),
              Finding(Kind.REQUEST, "could you send the hi-res originals when you get a chance?", by=Party.CLIENT))
    mail.send(CLIENT, body="门店自提包含在一期里，照片我们找一下。")
    assert items(store) == {"门店自提是不是已经包含在一期范围里了？": "done", "could you send the hi-res originals when you get a chance?": "open"}


def test_what_the_asking_side_no_longer_needs_is_withdrawn(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.REQUEST, "请提供各门店的门头照片", by=Party.CLIENT), reply=False)
    mail.send(US, signals=(Signal(SignalKind.WITHDRAWN, "门头照片这个就不用了"),), body="门头照片这个就不用了", reply=False)
    assert items(store) == {"请提供各门店的门头照片": "withdrawn"}


def test_a_line_that_recurs_in_a_senders_mail_is_boilerplate_never_an_item(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    banner = "【华锦集团年度客户大会6月8日举行，欢迎莅临】"
    for day in (2, 3):
        mail.send(CLIENT, Finding(Kind.REQUEST, banner, by=Party.US, due=dt.date(2026, 6, 8)),
                  body=f"李总好，\n\n方案收到。\n\n李伟\n华锦零售\n{banner}", day=day, reply=False)
    assert items(store) == {banner: "dropped"}
    history = [(h.new, h.note) for h in store.history("items", 1)]
    assert history[-1] == ("dropped", "a line that recurs in the sender's mail")


# -- change requests -------------------------------------------------------------------------------


def test_a_client_change_is_acknowledged_assessed_and_accepted_by_mail(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    applied = mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否在官网上增加一个门店查询页？", by=Party.US))
    assert applied.acks and applied.acks[0] == AckDecision("huajin-web", 1, "能否在官网上增加一个门店查询页？")
    mail.send(US, Finding(Kind.REQUEST, "麻烦确认是否按这个报价执行", by=Party.CLIENT),
              body="门店查询页需要增加3个工作日，费用1.2万元，麻烦确认是否按这个报价执行。")
    assert plan(store)["change_requests"][0]["status"] == "assessed"
    mail.send(CLIENT, Finding(Kind.APPROVAL, "就按这个来", by=Party.CLIENT), signals=(Signal(SignalKind.AGREED, "就按这个来"),))
    assert plan(store)["change_requests"][0]["status"] == "accepted"
    assert items(store) == {}  # the ask to confirm the estimate belongs to the change


def test_the_studios_own_proposal_waits_for_the_clients_yes_and_then_moves_the_milestone(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    proposal = "我们建议把首页设计节点从3月31日顺延到4月10日"
    applied = mail.send(US, Finding(Kind.CHANGE_REQUEST, proposal, by=Party.CLIENT, due=dt.date(2026, 4, 10)))
    assert applied.acks == ()
    (change,) = plan(store)["change_requests"]
    assert change["status"] == "assessed"  # no acknowledgement to ourselves; it waits for the client
    assert plan(store)["milestones"][0]["due"] == "2026-03-31"
    yes = "首页节点顺延到4月10日我们可以接受"
    mail.send(CLIENT, Finding(Kind.APPROVAL, yes, by=Party.CLIENT), signals=(Signal(SignalKind.AGREED, yes),), day=5)
    project = plan(store)
    assert project["change_requests"][0]["status"] == "applied"
    homepage = project["milestones"][0]
    assert (homepage["name"], homepage["due"], homepage["status"]) == ("首页设计", "2026-04-10", "moved")
    (move,) = [h for h in store.history("milestones", 1) if h.field == "due"]
    assert (move.old, move.new, move.cause, move.reason) == ("2026-03-31", "2026-04-10", "plan", "CR-1")


def test_a_client_refusal_rejects_the_studios_proposal_and_a_withdrawal_withdraws_the_clients_change(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.CHANGE_REQUEST, "我们建议把上线推迟到5月29日", by=Party.CLIENT, due=dt.date(2026, 5, 29)))
    mail.send(CLIENT, signals=(Signal(SignalKind.REFUSED, "上线还是按5月15日，不能推迟"),), body="上线还是按5月15日，不能推迟。")
    other = Mail(store, settings)
    other.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "小程序首页能不能加一个直播入口？", by=Party.US))
    other.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "市场部决定今年先不做直播了，这个需求撤回", by=Party.US),
               signals=(Signal(SignalKind.WITHDRAWN, "这个需求撤回"),))
    assert [(c["id"], c["status"]) for c in plan(store)["change_requests"]] == [("CR-1", "rejected"), ("CR-2", "withdrawn")]
    assert plan(store)["milestones"][1]["due"] == "2026-05-15"


def test_a_suggestion_in_a_survey_answer_is_feedback_and_a_slip_of_ours_is_no_change(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.SURVEY_RESPONSE, "打4分", score=4),
              Finding(Kind.CHANGE_REQUEST, "建议以后提案能再早一点发", by=Party.US))
    mail.send(US, Finding(Kind.COMMITMENT, "the copy deck will be ready by the 5th", by=Party.US, due=dt.date(2026, 3, 5)),
              reply=False, subject="Copy deck")
    mail.send(US, Finding(Kind.CHANGE_REQUEST, "the copy deck will now be ready on the 12th instead of the 5th", by=Party.CLIENT,
                          due=dt.date(2026, 3, 12)), reply=False, subject="Copy deck – new date")
    project = plan(store)
    assert project["change_requests"] == []
    assert [f["text"] for f in project["feedback"]] == ["建议以后提案能再早一点发"]
    (commitment,) = project["commitments"]
    assert commitment["due"] == "2026-03-12"  # the same promise, a new date
    assert project["risks"][0]["text"].startswith("the copy deck will now be ready")


@pytest.mark.parametrize("text", [
    "No need to wait until the 13th.",  # a statement, no ask
    "周末两天新增会员一万两千多人，门店反馈也不错。",  # a report: 新增 is no change asked for
    "We also have photography from our 2025 brochure if that's useful.",  # an offer
])
def test_only_an_ask_to_change_scope_or_schedule_is_a_change_request(store: Store, settings: Settings, text: str) -> None:
    applied = Mail(store, settings).send(CLIENT, Finding(Kind.CHANGE_REQUEST, text, by=Party.US), reply=False)
    assert applied.acks == () and plan(store)["change_requests"] == [] and items(store) == {}


def test_a_clients_ask_about_something_else_is_a_task(store: Store, settings: Settings) -> None:
    ask = "please include a rough timeline in the kick-off deck so I can share it with Paris"
    Mail(store, settings).send(CLIENT, Finding(Kind.CHANGE_REQUEST, ask, by=Party.US), reply=False)
    project = plan(store)
    assert project["change_requests"] == [] and [(r["text"], r["by"]) for r in project["requests"]] == [(ask, "us")]


def test_an_assessment_names_what_it_costs_a_promise_to_assess_is_none(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否在官网上增加一个门店查询页？", by=Party.US))
    mail.send(US, Finding(Kind.COMMITMENT, "下周三前给您回复工作量和报价", by=Party.US, due=dt.date(2026, 3, 11)),
              body="门店查询页我们评估一下，下周三前给您回复工作量和报价。")
    assert plan(store)["change_requests"][0]["status"] == "received"  # not assessed: nothing is costed yet
    mail.send(US, body="门店查询页不影响工期，也不额外收费，我们和内页一起做。",
              signals=(Signal(SignalKind.AGREED, "我们和内页一起做"),))
    assert plan(store)["change_requests"][0]["status"] == "accepted"  # the studio's yes, costing nothing: no question to ask


def test_a_chase_is_the_promise_it_chases(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.REQUEST, "could you send the hi-res originals when you get a chance?", by=Party.CLIENT))
    mail.send(CLIENT, Finding(Kind.COMMITMENT, "I'll dig out the photos.", by=Party.CLIENT))
    mail.send(US, Finding(Kind.REQUEST, "any news on the brochure photos?", by=Party.CLIENT), reply=False, subject="Design review")
    mail.send(CLIENT, Finding(Kind.COMMITMENT, "I'll get procurement to send a PO over by Friday.",
                              by=Party.CLIENT, due=dt.date(2026, 3, 6)), reply=False, subject="Quote form")
    project = plan(store)
    assert [(r["id"], r["status"]) for r in project["requests"]] == [("R1", "open")]  # promise and chase are R1's sources
    assert [c["text"] for c in project["commitments"]] == ["I'll get procurement to send a PO over by Friday."]  # "I'll" names nothing


# -- milestones and the project ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "approved"),
    [
        ("首页设计确认通过，可以进入下一阶段。", "Re: 首页", "首页设计"),
        ("内页节点顺延到4月24日我们可以接受，上线时间不变。", "Re: 关于上线时间", None),
        ("Approved, go ahead.", "Re: 首页设计 v2 定稿", "首页设计"),
        ("Approved, go ahead.", "Re: 上线时间", None),
        ("法规部已经审核通过。", "Re: 首页设计素材", None),  # the subject names the milestone, but nothing signs it off
    ],
)
def test_an_approval_signs_off_the_milestone_its_own_words_name(store: Store, settings: Settings, text: str, subject: str,
                                                              approved: str | None) -> None:
    Mail(store, settings).send(CLIENT, Finding(Kind.APPROVAL, text), subject=subject)
    done = [r["name"] for r in store.rows("SELECT name FROM milestones WHERE status = 'done'")]
    assert done == ([approved] if approved else [])


def test_a_go_live_notice_finishes_the_launch_and_the_project(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "上线：5月15日", by=Party.US, due=dt.date(2026, 5, 15)), reply=False)
    assert plan(store)["milestones"][1]["status"] == "planned"  # a date for going live is no go-live
    mail.send(CLIENT, Finding(Kind.APPROVAL, "首页设计确认通过"), subject="首页设计定稿", reply=False)
    mail.send(US, completions=("华锦零售官网改版已正式上线了",), subject="【上线通知】华锦零售官网正式上线", reply=False)
    project = plan(store)
    assert [m["status"] for m in project["milestones"]] == ["done", "done"]
    assert project["status"] == "finished"


# -- meetings ---------------------------------------------------------------------------------------


def test_a_proposal_and_its_acceptance_are_one_agreed_meeting(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.MEETING, "想约一个启动会，3月10日（周二）下午两点可以吗？", start=dt.datetime(2026, 3, 10, 14, 0)))
    mail.send(CLIENT, signals=(Signal(SignalKind.AGREED, "3月10日下午两点可以", dt.datetime(2026, 3, 10, 14, 0)),))
    (meeting,) = plan(store)["meetings"]
    assert (meeting["status"], meeting["start"]) == ("agreed", "2026-03-10T14:00")
    assert len(store.sources.of("meetings", 1)) == 1  # the acceptance is no second meeting


def test_a_counter_proposal_moves_the_proposal_and_a_cancellation_cancels_it(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.MEETING, "周二下午两点开个沟通会？", start=dt.datetime(2026, 3, 10, 14, 0)))
    mail.send(CLIENT, Finding(Kind.MEETING, "周二不行，改到周三上午10点可以吗？", start=dt.datetime(2026, 3, 11, 10, 0)))
    mail.send(US, signals=(Signal(SignalKind.AGREED, "周三上午10点可以", dt.datetime(2026, 3, 11, 10, 0)),))
    assert [(m["status"], m["start"]) for m in plan(store)["meetings"]] == [("agreed", "2026-03-11T10:00")]
    mail.send(CLIENT, signals=(Signal(SignalKind.CANCELLED, "周三的会取消吧"),))
    assert [m["status"] for m in plan(store)["meetings"]] == ["cancelled"]


def test_a_date_agreed_in_mail_survives_a_restart_and_a_changed_configuration_still_wins(store: Store, settings: Settings,
                                                                                       tmp_path: Path) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.CHANGE_REQUEST, "我们建议把首页设计节点从3月31日顺延到4月10日", by=Party.CLIENT, due=dt.date(2026, 4, 10)))
    yes = "首页节点顺延到4月10日我们可以接受"
    mail.send(CLIENT, Finding(Kind.APPROVAL, yes), signals=(Signal(SignalKind.AGREED, yes),))
    sync_projects(store, settings, NOW)  # the service starts again with the same configuration
    assert plan(store)["milestones"][0]["due"] == "2026-04-10"
    text = (tmp_path / "mailbot.toml").read_text(encoding="utf-8").replace("2026-03-31", "2026-04-30")
    (tmp_path / "mailbot.toml").write_text(text, encoding="utf-8")
    sync_projects(store, load(tmp_path / "mailbot.toml", env={}), NOW)  # the PM edits the plan's configuration
    assert plan(store)["milestones"][0]["due"] == "2026-04-30"


@pytest.mark.parametrize(("yes", "status"), [
    ("Happy to do a case study quote", "proposed"),  # a yes, but to the case study
    ("Sounds good", "agreed"),
    ("Happy to do the retrospective call", "agreed"),
])
def test_a_yes_to_something_else_agrees_no_meeting(store: Store, settings: Settings, yes: str, status: str) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.MEETING, "Would you be up for a short retrospective call? Wednesday 8 April, 4pm.",
                          start=dt.datetime(2026, 4, 8, 16, 0)))
    mail.send(CLIENT, signals=(Signal(SignalKind.AGREED, yes),), body=f"{yes}. We're off Friday.")
    assert [m["status"] for m in plan(store)["meetings"]] == [status]


def test_contractions_and_possessives_name_nothing() -> None:
    from mailbot.plan.text import terms

    assert terms("I'll get procurement to send a PO over") & terms("I'll dig out the photos, they're Dana's") == set()
    assert terms("Dana's brand assets") == {"dana", "brand", "assets"}


# -- issue 9: rules found on whole projects of mail -------------------------------------------------


def test_the_clause_that_approves_names_the_milestone_signed_off(store: Store, settings: Settings) -> None:
    """"首页设计确认通过，上线那边可以准备了": the homepage design is signed off, not the launch the next clause names."""
    text = "设计稿我们确认通过，上线那边可以开始准备了。"
    Mail(store, settings).send(CLIENT, Finding(Kind.APPROVAL, text), signals=(Signal(SignalKind.AGREED, "设计稿我们确认通过"),),
                               subject="Re: 【首页设计定稿】设计稿V2")
    done = [r["name"] for r in store.rows("SELECT name FROM milestones WHERE status = 'done'")]
    assert done == ["首页设计"]


def test_a_milestone_is_named_in_the_other_language(store: Store, settings: Settings) -> None:
    """The studio proposes in English to move 上线 ("the launch"); the client's yes moves it."""
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.CHANGE_REQUEST, "we propose moving the launch from 15 May to 22 May", by=Party.CLIENT,
                          due=dt.date(2026, 5, 22)))
    mail.send(CLIENT, Finding(Kind.APPROVAL, "OK with us"), signals=(Signal(SignalKind.AGREED, "OK with us"),))
    launch = plan(store)["milestones"][1]
    assert (launch["name"], launch["due"]) == ("上线", "2026-05-22")


def test_one_clause_decides_one_change(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否把快闪店物料也加到这个项目里？", by=Party.US),
              Finding(Kind.CHANGE_REQUEST, "能否把首页设计从3月31日提前到3月27日？", by=Party.US, due=dt.date(2026, 3, 27)))
    yes = "首页设计提前到3月27日没问题"
    mail.send(US, Finding(Kind.APPROVAL, yes), signals=(Signal(SignalKind.AGREED, yes),), body=f"{yes}。快闪店物料需要单独报价。")
    assert [(c["id"], c["status"]) for c in plan(store)["change_requests"]] == [("CR-1", "received"), ("CR-2", "applied")]


def test_a_withdrawal_takes_back_what_its_clause_names(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "能否把快闪店物料也加到这个项目里？", by=Party.US))
    mail.send(US, Finding(Kind.COMMITMENT, "我们会在3月27日前把报价发给您", by=Party.US, due=dt.date(2026, 3, 27)))
    body = "快闪店总部那边决定取消了，物料需求先撤回，报价也不用做了"
    mail.send(CLIENT, body=body, signals=(Signal(SignalKind.WITHDRAWN, "物料需求先撤回"), Signal(SignalKind.WITHDRAWN, "报价也不用做了")))
    assert plan(store)["change_requests"][0]["status"] == "withdrawn"
    assert items(store) == {"我们会在3月27日前把报价发给您": "withdrawn"}


@pytest.mark.parametrize("text", [
    "小程序后端部署在贵司阿里云账号下",  # the sentence says who does what
    "上线计划我们同步调整。",  # what follows a decision anyway
    "后面有调整我们会更新版本号再发给大家。",  # a what-if
    "we'll launch with the claim version, so the fallback can be archived.",  # a choice made
])
def test_arrangements_follow_ups_what_ifs_and_choices_are_no_tasks(store: Store, settings: Settings, text: str) -> None:
    body = f"{text}，由我方负责部署以及上线前的运维。" if "部署" in text else text
    Mail(store, settings).send(US, Finding(Kind.COMMITMENT, text, by=Party.US), body=body, reply=False)
    assert items(store) == {}


def test_dates_in_chinese_are_no_common_ground() -> None:
    from mailbot.plan.text import terms

    assert terms("王芳：2月13日前提供品牌手册") & terms("刘洋：2月13日前提供接口文档") == {"提供"}


def test_a_review_arranged_in_mail_after_the_calendars_review_passed_is_a_new_review(store: Store, settings: Settings) -> None:
    from mailbot.lifecycle import Cause

    store.meetings.add({"project_key": "huajin-web", "kind": "review", "status": "held", "milestone_id": 1, "start": "2026-03-27T10:00",
                        "title": "首页设计 评审会", "for_due": "2026-03-31", "created_at": "2026-03-20"}, Cause.clock("2026-03-28"), "2026-03-28")
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.MEETING, "Could we walk you through it on Thursday 2 April at 3pm?", start=dt.datetime(2026, 4, 2, 15, 0)),
              subject="首页设计 – final designs", body="Here it is. Could we walk you through it on Thursday 2 April at 3pm?")
    mail.send(CLIENT, signals=(Signal(SignalKind.AGREED, "4月2日（周四）下午3点可以", dt.datetime(2026, 4, 2, 15, 0)),))
    review = plan(store)["milestones"][0]["review"]
    assert (review["status"], review["start"]) == ("agreed", "2026-04-02T15:00")


def test_glad_words_on_work_say_it_arrived_and_a_sign_off_covers_what_falls_due_with_it(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "darken the teal on buttons and add the phone number to the footer by Monday", by=Party.US,
                          due=dt.date(2026, 3, 9)),
              Finding(Kind.COMMITMENT, "KOL 素材包也会一起在3月31日交付。", by=Party.US, due=dt.date(2026, 3, 31)), reply=False)
    mail.send(CLIENT, Finding(Kind.FEEDBACK, "the darker teal and the phone number in the footer are exactly what we wanted.",
                              sentiment="positive"))
    assert items(store)["darken the teal on buttons and add the phone number to the footer by Monday"] == "done"
    mail.send(CLIENT, Finding(Kind.APPROVAL, "首页设计确认通过"), subject="首页设计定稿", reply=False)
    assert items(store)["KOL 素材包也会一起在3月31日交付。"] == "done"  # due with 首页设计 (31 March): covered by its sign-off


def test_the_question_an_estimate_puts_is_part_of_the_change(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "could you estimate a Spanish version of the portal?", by=Party.US))
    mail.send(US, Finding(Kind.REQUEST, "Let us know how you'd like to proceed.", by=Party.CLIENT),
              body="Spanish version: 8 extra days, £6,400. Let us know how you'd like to proceed.")
    project = plan(store)
    assert project["requests"] == [] and project["change_requests"][0]["status"] == "assessed"


def test_a_deleted_meeting_leaves_no_source_behind(store: Store, settings: Settings) -> None:
    """A proposal answered by moving the review is deleted; a later yes in its thread must not find it."""
    from mailbot.lifecycle import Cause

    meeting_id = store.meetings.add({"project_key": "huajin-web", "kind": "proposed", "status": "proposed", "message_id": "<m1@x>",
                                     "title": "周二下午两点？", "created_at": "2026-03-04"}, Cause.message("<m1@x>"), "2026-03-04")
    store.meetings.delete(meeting_id)
    assert store.sources.things_in("meetings", ["<m1@x>"]) == []
    Mail(store, settings).send(CLIENT, signals=(Signal(SignalKind.AGREED, "周二下午两点可以", dt.datetime(2026, 3, 10, 14, 0)),),
                               reply=False)  # nothing to agree, and no error


@pytest.mark.parametrize(("subject", "signed"), [
    ("Re: 首页设计 v3 — APPROVED ✅", True),  # the client wrote the verdict into the subject
    ("Re: 首页设計 驗收通過", True),  # in Traditional characters
    ("首页设计 v3 for approval", False),
    ("请确认：首页设计 v3", False),
])
def test_a_clients_subject_can_sign_off(store: Store, settings: Settings, subject: str, signed: bool) -> None:
    Mail(store, settings).send(CLIENT, body="👍", subject=subject, reply=False)
    assert (plan(store)["milestones"][0]["status"] == "done") is signed


def test_the_client_may_announce_the_launch(store: Store, settings: Settings) -> None:
    Mail(store, settings).send(CLIENT, completions=("华锦零售官网改版今日正式上線了",), subject="🎉 华锦零售官网改版今日正式上線！",
                               reply=False)
    assert plan(store)["milestones"][1]["status"] == "done"


def test_a_sign_off_is_no_yes_to_a_change_of_something_else(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, "想在片尾加一个 KOL 客串，可以吗？", by=Party.US))
    mail.send(US, body="KOL 客串需要增加 2 万元，2 个工作日。", reply=True)
    mail.send(CLIENT, Finding(Kind.APPROVAL, "首页设计就正式定稿，你们可以开始下一步。"))
    project = plan(store)
    assert project["change_requests"][0]["status"] == "assessed" and project["milestones"][0]["status"] == "done"


@pytest.mark.parametrize("ask", [
    "开票时请注明 PO 号。", "Kindly quote the PO number on all invoices.", "For the key-user sessions please always put me in copy.",
    "请勿外传。", "Option B (Daniel Wu) pls — Priya has seen him host before.", "okay, please do it.",
    "https://www.figma.com/file/Qx7bV2aKp/BV-Portal-Wireframes (you should all have comment access)",
    "font licence note (pls read — the font is licensed for print only)",
])
def test_standing_instructions_choices_links_and_bare_asks_are_no_tasks(store: Store, settings: Settings, ask: str) -> None:
    Mail(store, settings).send(CLIENT, Finding(Kind.REQUEST, ask, by=Party.US), reply=False)
    assert items(store) == {}


def test_a_new_mail_whose_subject_names_the_one_piece_of_work_delivers_it(store: Store, settings: Settings) -> None:
    mail = Mail(store, settings)
    mail.send(US, Finding(Kind.COMMITMENT, "Call sheet 3/27（五）前寄出", by=Party.US, due=dt.date(2026, 3, 27)),
              Finding(Kind.COMMITMENT, "字幕规格 4/10 前提供", by=Party.US, due=dt.date(2026, 4, 10)), reply=False)
    mail.send(US, completions=("附件请查收",), subject="港茶记 Call sheet v1", reply=False)
    assert items(store) == {"Call sheet 3/27（五）前寄出": "done", "字幕规格 4/10 前提供": "open"}


def test_the_client_digest_leaves_what_mail_is_silent_about_to_the_team(store: Store, settings: Settings) -> None:
    from zoneinfo import ZoneInfo

    from mailbot import digest
    from scheduling.cadence import digest_period

    mail = Mail(store, settings)
    mail.send(CLIENT, Finding(Kind.COMMITMENT, "门店照片3月5日前发给你们", by=Party.CLIENT, due=dt.date(2026, 3, 5)),
              Finding(Kind.COMMITMENT, "门店清单3月16日前发给你们", by=Party.CLIENT, due=dt.date(2026, 3, 16)), reply=False)
    now = dt.datetime(2026, 3, 30, 9, 0, tzinfo=SH)
    context = digest.build(store, "huajin-web", digest_period(now.date()), now, ZoneInfo("Asia/Shanghai"))
    assert [i["text"] for i in context["overdue"]] == ["门店清单3月16日前发给你们"]  # two weeks late: still shown
    assert [i["text"] for i in context["unconfirmed"]] == ["门店照片3月5日前发给你们"]  # 25 days and not a word since
    mail.send(US, Finding(Kind.REQUEST, "门店照片还没收到，麻烦尽快发一下", by=Party.CLIENT), day=28, reply=False)  # chased: said again
    context = digest.build(store, "huajin-web", digest_period(now.date()), now, ZoneInfo("Asia/Shanghai"))
    assert [i["text"] for i in context["overdue"]] == ["门店照片3月5日前发给你们", "门店清单3月16日前发给你们"]


def test_deciding_a_change_costs_the_same_statements_however_many_changes_are_open(store: Store, settings: Settings) -> None:
    """A yes looks up the message it answers once, not once per open change of the project
    (changes accumulate over a project's life: that was a statement per change per reply)."""
    def yes_to(request: str, thread: str) -> int:
        mail = Mail(store, settings, thread=thread)
        mail.send(CLIENT, Finding(Kind.CHANGE_REQUEST, request, by=Party.US), reply=False)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        try:
            mail.send(US, Finding(Kind.APPROVAL, "没问题，可以做", by=Party.US), signals=(Signal(SignalKind.AGREED, "没问题，可以做"),))
        finally:
            store.conn.set_trace_callback(None)
        return len(statements)

    few = yes_to("能否增加一个门店查询页？", "a")
    for n, request in enumerate(("能否增加会员积分兑换入口？", "能否把导航栏改成吸顶？", "能否在页脚加上微信二维码？", "能否增加英文版切换？",
                                 "能否把轮播图换成视频？", "能否给产品详情加放大镜功能？", "能否增加在线客服浮窗？", "能否把字体换成思源黑体？",
                                 "能否加一个招聘页面？", "能否支持暗色模式？", "能否增加门店预约表单？", "能否在首页加新闻动态模块？")):
        Mail(store, settings, thread=f"open{n}").send(CLIENT, Finding(Kind.CHANGE_REQUEST, request, by=Party.US), reply=False)
    many = yes_to("能否增加一个品牌故事页？", "b")
    changes = store.changes.of_project("huajin-web")
    assert len([c for c in changes if c.status == "received"]) >= 10 and [c.status for c in changes if c.text.endswith(("查询页？", "故事页？"))] == ["accepted"] * 2
    assert many == few


@pytest.mark.parametrize("proposed_long_ago", [False, True])
def test_a_recurring_line_cancels_the_meetings_proposed_in_it_within_the_horizon(store: Store, settings: Settings,
                                                                                proposed_long_ago: bool) -> None:
    # Proposals pile up over the years; the check of a newly recurring line looks at those of the plan's horizon only.
    mail = Mail(store, settings)
    banner = "【华锦集团年度客户大会6月8日下午两点举行，欢迎莅临】"
    body = f"李总好，\n\n方案收到。\n\n李伟\n华锦零售\n{banner}"
    mail.send(CLIENT, Finding(Kind.MEETING, banner, start=dt.datetime(2026, 6, 8, 14, 0)), body=body, day=2, reply=False)
    (proposed,) = store.rows("SELECT id, title, status FROM meetings")
    assert proposed["status"] == "proposed" and proposed["title"], proposed
    if proposed_long_ago:
        store.execute("UPDATE meetings SET created_at = '2025-06-01T00:00:00+00:00' WHERE id = ?", [proposed["id"]])
    mail.send(CLIENT, body=body, day=3, reply=False)
    (after,) = store.rows("SELECT status FROM meetings")
    assert after["status"] == ("proposed" if proposed_long_ago else "cancelled")
