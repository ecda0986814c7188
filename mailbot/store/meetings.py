"""Meetings, their attendees' answers and counter-proposals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mailbot.lifecycle import MEETING, Cause, MeetingStatus
from mailbot.store.core import Core
from mailbot.store.records import Attendee, Busy, Counter, Meeting, from_row

_MEETING = ("id, project_key, number, milestone_id, kind, title, start, \"end\", uid, sequence, status, rrule, for_due, message_id, finding_id, "
            "proposed_by, replaces")
_M = ", ".join(f"m.{c.strip()}" for c in _MEETING.split(","))


class Meetings:
    def __init__(self, core: Core) -> None:
        self.core = core

    def add(self, values: dict[str, Any], cause: Cause, at: str) -> int:
        """A new meeting of `values["project_key"]`, numbered MT1, MT2 … in its project."""
        number = int(self.core.scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM meetings WHERE project_key = ?", [values["project_key"]]))
        meeting_id = self.core.insert("meetings", {"sequence": 0, **values, "number": number})
        self.core.record_history(values["project_key"], "meetings", meeting_id, "status", None, values["status"], cause, at)
        if values.get("message_id"):
            self.core.insert("sources", {"project_key": values["project_key"], "item": "meetings", "item_id": meeting_id,
                                         "message_id": values["message_id"], "finding_id": values.get("finding_id"),
                                         "text": values.get("title"), "role": "stated", "at": at})
        return meeting_id

    def find(self, meeting_id: int) -> Meeting | None:
        return self.core.record(Meeting, f"SELECT {_MEETING} FROM meetings WHERE id = ?", [meeting_id])

    def get(self, meeting_id: int) -> Meeting:
        meeting = self.core.record(Meeting, f"SELECT {_MEETING} FROM meetings WHERE id = ?", [meeting_id])
        if meeting is None:
            raise LookupError(f"no meeting {meeting_id}")
        return meeting

    def change(self, meeting_id: int, values: dict[str, Any]) -> Meeting:
        """Set fields that are not the status (time, SEQUENCE, UID …); returns the meeting after."""
        assert "status" not in values, "statuses move through set_status"
        if "end" in values:
            values = {("\"end\"" if k == "end" else k): v for k, v in values.items()}
        self.core.update("meetings", meeting_id, values)
        return self.get(meeting_id)

    def set_status(self, meeting_id: int, status: MeetingStatus, cause: Cause, at: str, extra: dict[str, Any] | None = None) -> Meeting:
        self.core.transition("meetings", MEETING, meeting_id, status, cause, at, extra)
        return self.get(meeting_id)

    def set_status_many(self, meeting_ids: Iterable[int], status: MeetingStatus, cause: Cause, at: str) -> int:
        """`set_status` of many meetings at once; how many moved."""
        return self.core.transition_many("meetings", MEETING, meeting_ids, status, cause, at)

    def record_move(self, meeting: Meeting, start: str, cause: Cause, at: str) -> None:
        self.core.record_history(meeting.project_key, "meetings", meeting.id, "start", meeting.start, start, cause, at)

    def merge_into(self, proposal_id: int, meeting_id: int) -> None:
        """A proposal to move a meeting, agreed: its sources and history become the meeting's."""
        self.core.execute("UPDATE sources SET item_id = ? WHERE item = 'meetings' AND item_id = ?", [meeting_id, proposal_id])
        self.delete(proposal_id)

    def delete(self, meeting_id: int) -> None:
        """Remove a meeting and what hangs on it (its sources are moved first when it is merged)."""
        self.core.execute("DELETE FROM sources WHERE item = 'meetings' AND item_id = ?", [meeting_id])
        self.core.execute("DELETE FROM meeting_attendees WHERE meeting_id = ?", [meeting_id])
        self.core.execute("DELETE FROM meeting_counters WHERE meeting_id = ?", [meeting_id])
        self.core.execute("DELETE FROM meetings WHERE id = ?", [meeting_id])

    # -- finding meetings ---------------------------------------------------------------------

    def of_project(self, project_key: str, *, status: MeetingStatus | None = None, kind: str | None = None,
                   since: str | None = None) -> list[Meeting]:
        """`since` (UTC ISO): only those created since then."""
        where, params = ["project_key = ?"], [project_key]
        if status is not None:
            where.append("status = ?")
            params.append(str(status))
        if kind is not None:
            where.append("kind = ?")
            params.append(kind)
        if since is not None:
            where.append("created_at >= ?")
            params.append(since)
        return self.core.records(Meeting, f"SELECT {_MEETING} FROM meetings WHERE {' AND '.join(where)} ORDER BY id", params)

    def of_message(self, project_key: str, message_id: str | None) -> list[Meeting]:
        """The project's meetings stated in one message (filtered in SQL: a project's meetings
        pile up over the years, a message states one or two)."""
        return self.core.records(Meeting, f"SELECT {_MEETING} FROM meetings WHERE project_key = ? AND message_id = ? ORDER BY id",
                                 [project_key, message_id])

    def live(self, project_key: str, statuses: Iterable[MeetingStatus]) -> list[Meeting]:
        """The project's meetings in any of `statuses` (through the (project, status) index)."""
        wanted = [str(s) for s in statuses]
        marks = ", ".join("?" * len(wanted))
        return self.core.records(Meeting, f"SELECT {_MEETING} FROM meetings WHERE project_key = ? AND status IN ({marks}) ORDER BY id",
                                 [project_key, *wanted])

    def review_of(self, milestone_id: int) -> Meeting | None:
        return self.core.record(
            Meeting, f"SELECT {_MEETING} FROM meetings WHERE milestone_id = ? AND kind = 'review' ORDER BY id DESC LIMIT 1", [milestone_id]
        )

    def by_finding(self, finding_id: int) -> Meeting | None:
        return self.core.record(Meeting, f"SELECT {_MEETING} FROM meetings WHERE finding_id = ? ORDER BY id LIMIT 1", [finding_id])

    def by_uid(self, uid: str) -> Meeting | None:
        return self.core.record(Meeting, f"SELECT {_MEETING} FROM meetings WHERE uid = ? ORDER BY id DESC LIMIT 1", [uid])

    def invited_reviews(self, project_key: str) -> list[tuple[Meeting, str]]:
        """The project's invited review meetings with their milestone's name, earliest first."""
        rows = self.core.fetch(
            f"SELECT {_M}, ms.name AS milestone_name FROM meetings m JOIN milestones ms ON ms.id = m.milestone_id "
            "WHERE m.project_key = ? AND m.kind = 'review' AND m.status = ? ORDER BY m.start",
            [project_key, str(MeetingStatus.INVITED)],
        )
        return [(from_row(Meeting, row), str(row["milestone_name"])) for row in rows]

    def busy(self, addresses: Sequence[str]) -> list[Busy]:
        """Invited meetings with any of `addresses` among their attendees."""
        if not addresses:
            return []
        marks = ", ".join("?" * len(addresses))
        return self.core.records(
            Busy,
            f"SELECT DISTINCT m.id AS meeting_id, m.start, m.\"end\", m.rrule FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id "
            f"WHERE m.status = ? AND m.start IS NOT NULL AND a.address IN ({marks})",
            [str(MeetingStatus.INVITED), *addresses],
        )

    # -- attendees ------------------------------------------------------------------------------

    def attendees(self, meeting_id: int) -> list[Attendee]:
        return self.core.records(
            Attendee, "SELECT meeting_id, address, name, role, partstat FROM meeting_attendees WHERE meeting_id = ? ORDER BY rowid", [meeting_id]
        )

    def attendees_of_many(self, meeting_ids: Iterable[int]) -> dict[int, list[Attendee]]:
        """`attendees` of many meetings in one statement (the plan's JSON lists every meeting's)."""
        return self.core.grouped(Attendee, "SELECT meeting_id, address, name, role, partstat FROM meeting_attendees "
                                 "WHERE meeting_id IN (SELECT value FROM json_each(?)) ORDER BY rowid", meeting_ids, "meeting_id")

    def counters_of_many(self, meeting_ids: Iterable[int]) -> dict[int, list[Counter]]:
        return self.core.grouped(Counter, "SELECT meeting_id, address, start, \"end\", comment, message_id, at FROM meeting_counters "
                                 "WHERE meeting_id IN (SELECT value FROM json_each(?)) ORDER BY id", meeting_ids, "meeting_id")

    def invite_attendee(self, meeting_id: int, address: str, name: str, role: str, at: str) -> None:
        self.core.execute(
            "INSERT INTO meeting_attendees (meeting_id, address, name, role, partstat, updated_at) VALUES (?, ?, ?, ?, 'NEEDS-ACTION', ?) "
            "ON CONFLICT (meeting_id, address) DO UPDATE SET name = excluded.name, role = excluded.role, partstat = 'NEEDS-ACTION', "
            "updated_at = excluded.updated_at",
            [meeting_id, address, name, role, at],
        )

    def set_answer(self, meeting_id: int, address: str, partstat: str, at: str) -> None:
        self.core.execute(
            "INSERT INTO meeting_attendees (meeting_id, address, partstat, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (meeting_id, address) DO UPDATE SET partstat = excluded.partstat, updated_at = excluded.updated_at",
            [meeting_id, address, partstat, at],
        )

    def reset_answers(self, meeting_id: int) -> None:
        self.core.execute("UPDATE meeting_attendees SET partstat = 'NEEDS-ACTION' WHERE meeting_id = ?", [meeting_id])

    def add_counter(self, counter: Counter) -> None:
        self.core.insert(
            "meeting_counters",
            {"meeting_id": counter.meeting_id, "address": counter.address, "start": counter.start, "end": counter.end,
             "comment": counter.comment, "message_id": counter.message_id, "at": counter.at},
        )

    def counters(self, meeting_id: int) -> list[Counter]:
        return self.core.records(
            Counter, "SELECT meeting_id, address, start, \"end\", comment, message_id, at FROM meeting_counters WHERE meeting_id = ? ORDER BY id",
            [meeting_id],
        )
