"""Satisfaction surveys by reply: sent at sign-off and at the close, read when answered.

When a milestone is signed off (and when the project is finished) the next tick sends each
client stakeholder (the project's `survey_roles`, else all of them) one short survey in the
project's language: one question, answered by replying with a number on `[surveys] scale`
(1–5, or 0–10), and a comment if they like. No link: mail security scanners follow every link,
and a reply cannot be forged by one. One reminder after `[surveys] reminder_working_days`
working days, never a second; nobody who asked for no more surveys on the project is asked
again. Only sign-offs since mailbot began answering mail are surveyed (a replayed history
sends nothing).

A reply is an answer when it answers the survey mail (by thread), else when its sender has an
unanswered survey in the project and it gives a score. `parsing.survey` reads the score; the
comment is feedback (the extraction's, or one with the score's sentiment), never a change
request; a score at or below `[surveys] alert_at_or_below` alerts the team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mailbot import compose, outbox
from mailbot.config import Project, Settings
from mailbot.lifecycle import Cause, MilestoneStatus
from mailbot.meetings import work_calendar
from mailbot.store import Store, iso
from mailbot.store.records import Survey
from parsing.model import Extraction
from parsing.survey import declines, read_score
from scheduling.calendar import WorkCalendar

RECENT = dt.timedelta(days=14)  # a sign-off older than this when mailbot first sees it is not surveyed


class Surveys:
    def __init__(self, store: Store, settings: Settings, now: dt.datetime, answer_since: dt.datetime,
                 calendar: WorkCalendar | None = None) -> None:
        self.store = store
        self.settings = settings
        self.now = now
        self.since = max(answer_since, now - RECENT)
        self.calendar = calendar or work_calendar(settings)

    # -- sending --------------------------------------------------------------------------------

    def send_due(self, project: Project) -> int:
        """Surveys for milestones signed off (and the project finished) since they were last looked at."""
        queued = 0
        for milestone in self.store.milestones.of_project(project.key):
            if milestone.status == MilestoneStatus.DONE and milestone.done_at and milestone.done_at >= iso(self.since):
                queued += self._ask(project, milestone.ref, milestone.name, milestone.id)
        record = self.store.projects.get(project.key)
        if record is not None and record.status == "finished" and record.finished_at and record.finished_at >= iso(self.since):
            queued += self._ask(project, "project", project.name, None)
        return queued

    def _ask(self, project: Project, about: str, what: str, milestone_id: int | None) -> int:
        asked = self.store.reactions.surveyed(project.key, about)
        queued = 0
        for person in self._respondents(project):
            if person.address in asked or self.store.bookkeeping.fact(f"survey_declined:{project.key}:{person.address}"):
                continue
            scale = self.settings.surveys.scale
            language = project.language
            rendered = compose.render("survey", language, {**compose.base_context(self.settings.team, project),
                                                           "recipient": {"name": person.name, "address": person.address},
                                                           "about": about, "what": what, "scale": scale, "reminder": False})
            message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team),
                                            to=[compose.Person(person.name, person.address)], kind="survey", reply=False, now=self.now)
            key = f"survey:{project.key}:{about}:{person.address}"
            row = outbox.queue(self.store, project_key=project.key, kind="survey", dedupe_key=key, message=message, now=self.now,
                               cause=Cause.clock(iso(self.now), f"survey after {about}"),
                               per_address_per_hour=self.settings.outbox.per_address_per_hour)
            if row is None or outbox.held_back(self.store, key):
                continue
            self.store.reactions.survey_sent(project_key=project.key, address=person.address, about=about, milestone_id=milestone_id,
                                             scale=scale, message_id=message.message_id, cause=Cause.plan(about, "survey sent"),
                                             at=iso(self.now))
            queued += 1
        return queued

    def _respondents(self, project: Project) -> list[compose.Person]:
        clients = [s for s in project.stakeholders if s.party == "client"]
        if project.survey_roles:
            clients = [s for s in clients if s.role and s.role.lower() in {r.lower() for r in project.survey_roles}]
        return [compose.Person(s.name, s.address) for s in clients]

    def send_reminders(self, project: Project) -> int:
        """One reminder of an unanswered survey, `reminder_working_days` after it; never a second."""
        queued = 0
        today = self.now.astimezone(self.settings.team.zone).date()
        for survey in self.store.reactions.unanswered(project.key):
            sent = dt.datetime.fromisoformat(survey.sent_at or iso(self.now)).astimezone(self.settings.team.zone).date()
            if today < self.calendar.add_working_days(sent, self.settings.surveys.reminder_working_days) \
                    or not self.calendar.is_working_day(today):
                continue
            person = project.stakeholder(survey.address or "")
            name = person.name if person is not None else ""
            rendered = compose.render("survey", project.language, {**compose.base_context(self.settings.team, project),
                                                                   "recipient": {"name": name, "address": survey.address},
                                                                   "about": survey.about, "what": self._what(project, survey),
                                                                   "scale": survey.scale or self.settings.surveys.scale, "reminder": True})
            message = compose.build_message(rendered=rendered, sender=compose.team_person(self.settings.team),
                                            to=[compose.Person(name, survey.address or "")], kind="survey", reply=False, now=self.now,
                                            in_reply_to=survey.survey_message_id, references=[survey.survey_message_id or ""])
            key = f"survey-reminder:{project.key}:{survey.id}"
            row = outbox.queue(self.store, project_key=project.key, kind="survey", dedupe_key=key, message=message, now=self.now,
                               cause=Cause.clock(iso(self.now), "survey reminder"),
                               per_address_per_hour=self.settings.outbox.per_address_per_hour)
            self.store.reactions.reminded(survey, iso(self.now))
            queued += int(row is not None and not outbox.held_back(self.store, key))
        return queued

    def _what(self, project: Project, survey: Survey) -> str:
        if survey.about and survey.about.startswith("M"):
            milestone = next((m for m in self.store.milestones.of_project(project.key) if m.ref == survey.about), None)
            if milestone is not None:
                return milestone.name
        return project.name


@dataclass(frozen=True, slots=True)
class Answer:
    survey: Survey
    score: int | None
    declined: bool


def answered(store: Store, project: Project, extraction: Extraction, body: str) -> Answer | None:
    """The survey this message answers, with the score its new text (`body`, mailbot's own
    words taken out) gives, or None when it answers none."""
    email = extraction.email
    sender = email.sender.address if email.sender else ""
    survey = next((s for ref in email.thread_ids[:20] if (s := store.reactions.survey_of_message(ref)) is not None
                   and s.project_key == project.key), None)
    by_thread = survey is not None
    if survey is None:
        survey = store.reactions.open_survey(project.key, sender)
    if survey is None:
        return None
    score = read_score(body, scale=survey.scale or "1-5", subject=email.subject if by_thread else "")
    said_no = declines(body)
    if not by_thread and score is None and not said_no:
        return None  # the sender owes a survey, but this mail is about something else
    return Answer(survey, score, said_no)
