"""Projects, the people on them, and their milestones."""

from __future__ import annotations

from mailbot.lifecycle import MILESTONE, PROJECT, Cause, MilestoneStatus, ProjectStatus
from mailbot.store.core import Core
from mailbot.store.records import Contact, Milestone, ProjectRecord

_MILESTONE = "id, project_key, number, name, due, status, source, done_at, done_by, updated_at, config_due"


class Projects:
    def __init__(self, core: Core) -> None:
        self.core = core

    def save(self, key: str, name: str, language: str, at: str) -> None:
        """Create the project, or update its name and language."""
        self.core.execute(
            "INSERT INTO projects (key, name, language, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET name = excluded.name, language = excluded.language",
            [key, name, language, at],
        )

    def get(self, key: str) -> ProjectRecord | None:
        return self.core.record(ProjectRecord, "SELECT key, name, language, status, created_at, finished_at FROM projects WHERE key = ?", [key])

    def keys(self) -> list[str]:
        return [str(row["key"]) for row in self.core.fetch("SELECT key FROM projects ORDER BY created_at, key")]

    def set_status(self, key: str, status: ProjectStatus, cause: Cause, at: str) -> bool:
        """Finish or reopen a project, with the move in the history."""
        row = self.core.fetch_one("SELECT status FROM projects WHERE key = ?", [key])
        if row is None:
            return False
        new = PROJECT.check(row["status"], str(status))
        if new == row["status"]:
            return False
        finished = at if new is ProjectStatus.FINISHED else None
        self.core.execute(
            "UPDATE projects SET status = ?, finished_at = ?, finished_by = ? WHERE key = ?",
            [str(new), finished, cause.reason if finished else None, key],
        )
        self.core.record_history(key, "projects", 0, "status", row["status"], new, cause, at)
        return True

    # -- people -----------------------------------------------------------------------------

    def remember_contact(self, address: str, name: str, party: str, at: str) -> None:
        """Know a person from now on; a name learnt later fills an empty one."""
        self.core.execute(
            "INSERT INTO contacts (address, name, party, first_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (address) DO UPDATE SET name = COALESCE(NULLIF(contacts.name, ''), excluded.name)",
            [address, name, party, at],
        )

    def linked(self, project_key: str, address: str) -> bool:
        """Whether `address` is known as one of the project's people (a stakeholder, or brought in)."""
        return self.core.scalar("SELECT 1 FROM project_contacts WHERE project_key = ? AND lower(address) = lower(?)",
                                [project_key, address]) is not None

    def link(self, project_key: str, address: str, role: str) -> None:
        self.core.execute(
            "INSERT INTO project_contacts (project_key, address, role) VALUES (?, ?, ?) "
            "ON CONFLICT (project_key, address) DO UPDATE SET role = excluded.role",
            [project_key, address, role],
        )

    def contacts(self) -> list[Contact]:
        return self.core.records(Contact, "SELECT address, name, party FROM contacts ORDER BY address")

    def names(self) -> dict[str, str]:
        return {c.address: c.name or "" for c in self.contacts()}


class Milestones:
    def __init__(self, core: Core) -> None:
        self.core = core

    def of_project(self, project_key: str, *, include_dropped: bool = True) -> list[Milestone]:
        where = "" if include_dropped else " AND status != 'dropped'"
        return self.core.records(
            Milestone, f"SELECT {_MILESTONE} FROM milestones WHERE project_key = ?{where} ORDER BY due, id", [project_key]
        )

    def get(self, milestone_id: int) -> Milestone | None:
        return self.core.record(Milestone, f"SELECT {_MILESTONE} FROM milestones WHERE id = ?", [milestone_id])

    def add(self, project_key: str, name: str, due: str, source: str, at: str) -> int:
        number = int(self.core.scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM milestones WHERE project_key = ?", [project_key]))
        return self.core.insert(
            "milestones",
            {
                "project_key": project_key,
                "number": number,
                "name": name,
                "due": due,
                "status": str(MILESTONE.initial),
                "source": source,
                "updated_at": at,
                "config_due": due if source == "config" else None,
            },
        )

    def move(self, milestone: Milestone, due: str, cause: Cause, at: str) -> None:
        """A new date, the old one kept in the history. A move by the configuration is also the
        date the configuration gives from now on."""
        if due == milestone.due:
            return
        values = {"due": due, "updated_at": at, **({"config_due": due} if cause.kind == "config" else {})}
        self.core.update("milestones", milestone.id, values)
        self.core.record_history(milestone.project_key, "milestones", milestone.id, "due", milestone.due, due, cause, at)

    def set_config_due(self, milestone: Milestone, due: str) -> None:
        self.core.update("milestones", milestone.id, {"config_due": due})

    def set_status(self, milestone: Milestone, status: MilestoneStatus, cause: Cause, at: str, *, done_by: str | None = None) -> bool:
        extra = {"done_at": at, "done_by": done_by} if status is MilestoneStatus.DONE else None
        return self.core.transition("milestones", MILESTONE, milestone.id, status, cause, at, extra)
