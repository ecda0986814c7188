"""Surveys against a running `mailbot run`, a real Dovecot and a real SMTP relay: a client signs
off a milestone by mail, the survey reaches their inbox, their reply is a score and feedback."""

from __future__ import annotations

from pathlib import Path

from live.servers import CLIENT, PROJECT, Dovecot, SmtpRelay, message
from live.service import MailbotProcess, plan
from live.test_run import config, mailbot_mail, wait_for_mail

TEAM = "chen.jing@studio.example"


def test_a_sign_off_brings_a_survey_and_the_reply_is_a_score_and_feedback_not_a_change(
        tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    cfg = config(tmp_path, dovecot, smtp_relay)
    bot = MailbotProcess(cfg)
    try:
        bot.wait_for(r"ready, 0 new message")
        smtp_relay.send(CLIENT, PROJECT, message(subject="首页设计稿", body="陈经理好，\n\n首页设计确认通过，可以进入下一阶段。\n\n李伟",
                                                 message_id="<so@huajin.example>"))
        surveys = wait_for_mail(dovecot, CLIENT, "survey", 1, timeout=90)
        assert len(surveys) == 1, bot.log()
        (survey,) = surveys
        text = survey.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "1–5" in text and "http" not in text
        quoted = "\n".join("> " + line for line in text.splitlines())
        reply = message(subject="回复：" + str(survey["Subject"]), body=f"4分，希望沟通再及时一些\n\n{quoted}", message_id="<ans@huajin.example>",
                        headers={"In-Reply-To": str(survey["Message-ID"]), "References": str(survey["Message-ID"])})
        dovecot.deliver(PROJECT, reply)
        bot.wait_for(r"message_id=<ans@huajin.example> project=huajin-web outcome=processed")
    finally:
        assert bot.stop() == 0, bot.log()
    project = plan(cfg)["projects"][0]
    (answered,) = [s for s in project["surveys"] if s["status"] == "answered"]
    assert answered["score"] == 4 and "沟通" in answered["comment"]
    assert any("沟通" in f["text"] for f in project["feedback"])
    assert project["change_requests"] == [] and mailbot_mail(dovecot, CLIENT, "ack") == []
