"""Configuration: one TOML file (CONTRACT.md) plus `MAILBOT_<SECTION>_<KEY>` environment overrides.

Loaded once into frozen dataclasses and passed down; no other module reads `os.environ`.
Every problem raises `ConfigError` naming the key (``imap.port``, ``projects[1].milestones[0].due``)
so the CLI can print it and exit 2.

Relative paths (`store.path`, `outbox.maildir`) are taken relative to the configuration file's
folder, so a project directory can be moved as a whole. Secrets (`imap.password`,
`smtp.password`) are meant to come from the environment; they never appear in `repr()`.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailbot.errors import ConfigError

if TYPE_CHECKING:
    from parsing.pipeline import Context

DEFAULT_PATH = Path("mailbot.toml")
ENV_PREFIX = "MAILBOT_"
LANGUAGES = ("zh", "en")
SECURITY = ("ssl", "starttls", "none")
PARTIES = ("us", "client")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    address: str
    domains: tuple[str, ...]
    timezone: str = "UTC"
    language: str = "zh"
    # Whose Authentication-Results header to believe (RFC 8601): the receiving server's id.
    trusted_authserv_id: str = ""
    trust: str = "dmarc"  # dmarc: a team sender is proven by DMARC or aligned DKIM; domain: From suffices

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Every network wait in seconds, in one place (imapclient's own default is: forever)."""

    connect: float = 15.0
    read: float = 60.0
    idle: float = 25 * 60.0  # re-issue IDLE before servers drop it (RFC 2177: 29 minutes)
    poll: float = 30.0  # where IDLE is missing
    smtp: float = 30.0
    retry: float = 30.0  # first SMTP retry after a failure; doubles up to an hour


@dataclass(frozen=True, slots=True)
class Imap:
    host: str
    port: int = 993
    security: str = "ssl"
    user: str = ""
    password: str = field(default="", repr=False)
    folder: str = "INBOX"
    cafile: Path | None = None
    processed: str = "keyword"  # keyword | move
    processed_folder: str = "mailbot/processed"
    sent_folder: str | None = None  # also keep sent mail here (IMAP APPEND)


@dataclass(frozen=True, slots=True)
class Smtp:
    host: str
    port: int = 465
    security: str = "ssl"
    user: str = ""
    password: str = field(default="", repr=False)
    cafile: Path | None = None


@dataclass(frozen=True, slots=True)
class Outbox:
    maildir: Path
    per_address_per_hour: int = 5  # loop safety: at most this many messages to one address
    # Mail dated before this is read into the plan but never answered. None: the moment
    # mailbot first opened this plan (recorded in the store).
    answer_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Stakeholder:
    name: str
    address: str
    party: str
    timezone: str = ""  # where they read their mail (invitations name it); "" for the team's
    role: str = ""  # e.g. sponsor, project lead: free text


@dataclass(frozen=True, slots=True)
class Milestone:
    name: str
    due: dt.date


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """When the weekly digest falls due, in the team's time zone."""

    weekday: int = 0  # Monday
    time: dt.time = dt.time(9, 0)
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """`[calendar]`: working days and hours, and how review meetings are placed."""

    country: str = "CN"  # public holidays and make-up working days of this country ("" for none)
    hours: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(18, 0)))
    holidays: tuple[dt.date, ...] = ()  # extra days off (company holidays)
    working_days: tuple[dt.date, ...] = ()  # extra days worked
    review_days_before: int = 2  # working days before a milestone's due date
    review_time: dt.time = dt.time(10, 0)
    review_minutes: int = 60
    language: str = ""  # of holiday names; "" for English


@dataclass(frozen=True, slots=True)
class StatusMeeting:
    """A project's recurring status meeting (`status_meeting = { … }` in `[[projects]]`)."""

    weekday: int
    time: dt.time
    every_weeks: int = 1
    minutes: int = 30
    weeks: int = 26  # how far ahead the series is sent


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """`[digest]`: whether the PM gets the client digest as a draft first, and for how long."""

    review: bool = False
    review_hours: int = 4
    # an open item mail has said nothing of for this long is left to the team, not shown to the client
    quiet_overdue_days: int = 21
    quiet_undated_days: int = 28


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """`[reminders]`: how long before a due date owners are reminded, and whether clients are."""

    before_due_working_days: int = 1
    clients: bool = True
    time: dt.time = dt.time(9, 0)  # when on a working day reminders, and the team's review list, go out
    review_list: bool = True  # the daily review list to the team


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """`[alerts]`: what from the clock alerts the team."""

    assess_within_hours: int = 48  # a client's change request waiting longer than this for assessment
    overdue: bool = True  # an item of ours overdue, the day after its due


@dataclass(frozen=True, slots=True)
class SurveySettings:
    """`[surveys]`: the scale of the satisfaction question and when the one reminder goes."""

    scale: str = "1-5"  # or "0-10"
    reminder_working_days: int = 3
    alert_at_or_below: int | None = None  # a score this low alerts the team; default 2 on 1-5, 6 on 0-10

    @property
    def alert_threshold(self) -> int:
        if self.alert_at_or_below is not None:
            return self.alert_at_or_below
        return 2 if self.scale == "1-5" else 6


@dataclass(frozen=True, slots=True)
class Project:
    key: str
    name: str
    language: str
    client_domains: tuple[str, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    digest: DigestSchedule = DigestSchedule()
    tag: str = ""  # the subject tag mailbot adds to its mail, "[tag]"; default: the name
    status_meeting: StatusMeeting | None = None
    location: str = ""  # where meetings take place, in words
    meeting_url: str = ""  # the project's video-meeting link
    client_reminders: bool | None = None  # polite reminders to this client; None: [reminders] clients
    survey_roles: tuple[str, ...] = ()  # client stakeholders of these roles are surveyed; (): all of them

    def stakeholder(self, address: str) -> Stakeholder | None:
        address = address.lower()
        return next((s for s in self.stakeholders if s.address == address), None)


@dataclass(frozen=True, slots=True)
class Settings:
    team: Team
    store_path: Path
    outbox: Outbox
    imap: Imap | None = None
    smtp: Smtp | None = None
    projects: tuple[Project, ...] = ()
    timeouts: Timeouts = Timeouts()
    calendar: CalendarSettings = CalendarSettings()
    digest: DigestSettings = DigestSettings()
    reminders: ReminderSettings = ReminderSettings()
    alerts: AlertSettings = AlertSettings()
    surveys: SurveySettings = SurveySettings()
    templates_dir: Path | None = None  # files here override the bundled templates, per file
    source: Path | None = None  # the file it was read from

    def project(self, key: str) -> Project:
        for project in self.projects:
            if project.key == key:
                return project
        known = ", ".join(p.key for p in self.projects) or "none configured"
        raise ConfigError("projects", f"no project with key {key!r} (known: {known})")


def load(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the configuration file (`mailbot.toml` by default) and apply environment overrides.

    A missing default file is not an error when the environment alone says enough; a missing
    file that was asked for by name is.
    """
    env = os.environ if env is None else env
    explicit = path is not None
    path = Path(path) if path is not None else DEFAULT_PATH
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM from Notepad is no statement
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(str(path), f"not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(path), f"cannot be read: {exc}") from exc
    elif explicit:
        raise ConfigError(str(path), "file not found (give --config PATH)")
    _apply_env(data, env)
    if not path.exists() and "team" not in data:
        raise ConfigError(str(path), f"no configuration file at {path.resolve()} (create it, see README "
                          "'Configuration', or give --config PATH)")
    base = path.resolve().parent if path.exists() else Path.cwd()
    return _build(data, base, source=path.resolve() if path.exists() else None)


def from_mapping(data: Mapping[str, Any], base: Path) -> Settings:
    """Build settings from an already-parsed mapping (tests, the demo)."""
    return _build(dict(data), base, source=None)


# -- environment ------------------------------------------------------------------------------

_LIST_KEYS = {("team", "domains")}
_INT_KEYS = {("imap", "port"), ("smtp", "port"), ("outbox", "per_address_per_hour")}
_FLOAT_KEYS = {("timeouts", k) for k in ("connect", "read", "idle", "poll", "smtp", "retry")}


def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> None:
    """MAILBOT_IMAP_PASSWORD=… sets data["imap"]["password"]; section names have no '_'."""
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX):
            continue
        section, _, key = name[len(ENV_PREFIX) :].lower().partition("_")
        if not key or section == "projects":
            continue
        target = data.setdefault(section, {})
        if not isinstance(target, dict):
            raise ConfigError(section, f"cannot override keys of {section!r} from {name}")
        if (section, key) in _LIST_KEYS:
            target[key] = [part.strip() for part in value.split(",") if part.strip()]
        elif (section, key) in _INT_KEYS:
            target[key] = _parse_number(int, value, f"{section}.{key}", name)
        elif (section, key) in _FLOAT_KEYS:
            target[key] = _parse_number(float, value, f"{section}.{key}", name)
        else:
            target[key] = value


def _parse_number(kind: type, value: str, key: str, variable: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ConfigError(key, f"{variable}={value!r} is not a number") from None


# -- validation -------------------------------------------------------------------------------

_KNOWN_SECTIONS = {"team", "store", "imap", "smtp", "outbox", "projects", "timeouts", "calendar", "digest", "reminders", "surveys", "templates", "alerts"}


def _build(data: dict[str, Any], base: Path, source: Path | None) -> Settings:
    unknown = sorted(set(data) - _KNOWN_SECTIONS)
    if unknown:
        raise ConfigError(unknown[0], f"unknown section (known: {', '.join(sorted(_KNOWN_SECTIONS))})")
    team = _team(_section(data, "team"))
    store = _section(data, "store")
    outbox = _section(data, "outbox")
    _only(store, "store", {"path"})
    _only(outbox, "outbox", {"maildir", "per_address_per_hour", "answer_since"})
    projects_raw = data.get("projects", [])
    if not isinstance(projects_raw, list):
        raise ConfigError("projects", "must be an array of tables ([[projects]])")
    projects = tuple(_project(p, i, team) for i, p in enumerate(projects_raw))
    keys = [p.key for p in projects]
    for key in keys:
        if keys.count(key) > 1:
            raise ConfigError("projects", f"project key {key!r} is used twice")
    return Settings(
        team=team,
        store_path=_path(store.get("path", "mailbot.db"), "store.path", base),
        outbox=Outbox(
            maildir=_path(outbox.get("maildir", "outbox"), "outbox.maildir", base),
            per_address_per_hour=_int(outbox.get("per_address_per_hour", 5), "outbox.per_address_per_hour", 1),
            answer_since=_moment(outbox.get("answer_since"), "outbox.answer_since", team.zone),
        ),
        imap=_imap(data["imap"], base) if "imap" in data else None,
        smtp=_smtp(data["smtp"], base) if "smtp" in data else None,
        projects=projects,
        timeouts=_timeouts(_section(data, "timeouts")),
        calendar=_calendar(_section(data, "calendar")),
        digest=_digest_settings(_section(data, "digest")),
        reminders=_reminders(_section(data, "reminders")),
        alerts=_alerts(_section(data, "alerts")),
        surveys=_surveys(_section(data, "surveys")),
        templates_dir=_templates_dir(_section(data, "templates"), base),
        source=source,
    )


def _section(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(name, "must be a table")
    return value


def _only(section: Mapping[str, Any], name: str, allowed: set[str]) -> None:
    for key in section:
        if key not in allowed:
            raise ConfigError(f"{name}.{key}", f"unknown key (known: {', '.join(sorted(allowed))})")


def _str(value: Any, key: str, *, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise ConfigError(key, "is required")
        return ""
    if not isinstance(value, str):
        raise ConfigError(key, f"must be a string, not {type(value).__name__}")
    return value.strip()


def _int(value: Any, key: str, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, f"must be an integer, not {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(key, f"{value} is out of range ({bound})")
    return value


def _choice(value: Any, key: str, choices: tuple[str, ...]) -> str:
    text = _str(value, key, required=True).lower()
    if text not in choices:
        raise ConfigError(key, f"{value!r} is not one of {', '.join(choices)}")
    return text


def _address(value: Any, key: str) -> str:
    text = _str(value, key, required=True).lower()
    local, at, domain = text.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in text):
        raise ConfigError(key, f"{value!r} is not an email address")
    return text


def _domains(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(key, "must be a list of domain names")
    return tuple(v.strip().lower().lstrip("@") for v in value)


def _path(value: Any, key: str, base: Path) -> Path:
    path = Path(_str(value, key, required=True)).expanduser()
    return path if path.is_absolute() else base / path


def _team(team: dict[str, Any]) -> Team:
    _only(team, "team", {"name", "address", "domains", "timezone", "language", "trusted_authserv_id", "trust"})
    address = _address(team.get("address"), "team.address")
    domains = _domains(team.get("domains", [address.partition("@")[2]]), "team.domains")
    timezone = _str(team.get("timezone", "UTC"), "team.timezone", required=True)
    _zone(timezone, "team.timezone")
    return Team(
        name=_str(team.get("name", "mailbot"), "team.name") or "mailbot",
        address=address,
        domains=domains,
        timezone=timezone,
        language=_choice(team.get("language", "zh"), "team.language", LANGUAGES),
        trusted_authserv_id=_str(team.get("trusted_authserv_id", ""), "team.trusted_authserv_id"),
        trust=_choice(team.get("trust", "dmarc"), "team.trust", ("dmarc", "domain")),
    )


def _zone(name: str, key: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(key, f"{name!r} is not an IANA time zone such as Asia/Shanghai") from None
    return name


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(key, f"must be true or false, not {value!r}")
    return value


def _digest_settings(raw: dict[str, Any]) -> DigestSettings:
    _only(raw, "digest", {"review", "review_hours", "quiet_overdue_days", "quiet_undated_days"})
    return DigestSettings(review=_bool(raw.get("review", False), "digest.review"),
                          review_hours=_int(raw.get("review_hours", 4), "digest.review_hours", 1, 168),
                          quiet_overdue_days=_int(raw.get("quiet_overdue_days", 21), "digest.quiet_overdue_days", 1, 3650),
                          quiet_undated_days=_int(raw.get("quiet_undated_days", 28), "digest.quiet_undated_days", 1, 3650))


def _reminders(raw: dict[str, Any]) -> ReminderSettings:
    _only(raw, "reminders", {"before_due_working_days", "clients", "time", "review_list"})
    return ReminderSettings(
        before_due_working_days=_int(raw.get("before_due_working_days", 1), "reminders.before_due_working_days", 0, 20),
        clients=_bool(raw.get("clients", True), "reminders.clients"),
        time=_time(raw.get("time", "09:00"), "reminders.time"),
        review_list=_bool(raw.get("review_list", True), "reminders.review_list"),
    )


def _alerts(raw: dict[str, Any]) -> AlertSettings:
    _only(raw, "alerts", {"assess_within_hours", "overdue"})
    return AlertSettings(
        assess_within_hours=_int(raw.get("assess_within_hours", 48), "alerts.assess_within_hours", 1, 24 * 60),
        overdue=_bool(raw.get("overdue", True), "alerts.overdue"),
    )


def _surveys(raw: dict[str, Any]) -> SurveySettings:
    _only(raw, "surveys", {"scale", "reminder_working_days", "alert_at_or_below"})
    return SurveySettings(
        scale=_choice(raw.get("scale", "1-5"), "surveys.scale", ("1-5", "0-10")),
        reminder_working_days=_int(raw.get("reminder_working_days", 3), "surveys.reminder_working_days", 1, 30),
        alert_at_or_below=_int(raw["alert_at_or_below"], "surveys.alert_at_or_below", 0, 10) if "alert_at_or_below" in raw else None,
    )


def _templates_dir(raw: dict[str, Any], base: Path) -> Path | None:
    _only(raw, "templates", {"dir"})
    return _path(raw["dir"], "templates.dir", base) if raw.get("dir") else None


def _server(section: dict[str, Any], name: str, default_port: int, base: Path) -> dict[str, Any]:
    host = _str(section.get("host"), f"{name}.host", required=True)
    security = _choice(section.get("security", "ssl"), f"{name}.security", SECURITY)
    if security == "none" and host not in LOOPBACK:
        raise ConfigError(f"{name}.security", f"'none' is only allowed on loopback, not for host {host!r}")
    cafile = section.get("cafile")
    return {
        "host": host,
        "port": _int(section.get("port", default_port), f"{name}.port", 1, 65535),
        "security": security,
        "user": _str(section.get("user"), f"{name}.user"),
        "password": _str(section.get("password"), f"{name}.password"),
        "cafile": _path(cafile, f"{name}.cafile", base) if cafile else None,
    }


def _imap(section: Any, base: Path) -> Imap:
    if not isinstance(section, dict):
        raise ConfigError("imap", "must be a table")
    _only(section, "imap", {"host", "port", "security", "user", "password", "folder", "cafile", "processed", "processed_folder", "sent_folder"})
    default_port = 143 if section.get("security") in ("starttls", "none") else 993
    common = _server(section, "imap", default_port, base)
    return Imap(
        **common,
        folder=_str(section.get("folder", "INBOX"), "imap.folder", required=True),
        processed=_choice(section.get("processed", "keyword"), "imap.processed", ("keyword", "move")),
        processed_folder=_str(section.get("processed_folder", "mailbot/processed"), "imap.processed_folder", required=True),
        sent_folder=_str(section.get("sent_folder"), "imap.sent_folder") or None,
    )


def _smtp(section: Any, base: Path) -> Smtp:
    if not isinstance(section, dict):
        raise ConfigError("smtp", "must be a table")
    _only(section, "smtp", {"host", "port", "security", "user", "password", "cafile"})
    default_port = {"ssl": 465, "starttls": 587, "none": 25}.get(str(section.get("security", "ssl")), 465)
    return Smtp(**_server(section, "smtp", default_port, base))


def _timeouts(section: dict[str, Any]) -> Timeouts:
    _only(section, "timeouts", set(Timeouts.__dataclass_fields__))
    values = {}
    for key, value in section.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"timeouts.{key}", f"must be a positive number of seconds, not {value!r}")
        values[key] = float(value)
    limits = {"idle": (29 * 60.0, "servers drop IDLE after 29 minutes"), "poll": (30.0, "mail would wait too long")}
    for key, (limit, why) in limits.items():
        if values.get(key, 0) >= limit + (key == "poll"):
            raise ConfigError(f"timeouts.{key}", f"{values[key]:g} s is too long ({why}); at most {limit:g} s")
    return Timeouts(**values)


def _project(raw: Any, index: int, team: Team) -> Project:
    where = f"projects[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(where, "must be a table")
    _only(raw, where, {"key", "name", "tag", "language", "client_domains", "stakeholders", "milestones", "digest", "status_meeting",
                       "location", "meeting_url", "client_reminders", "survey_roles"})
    key = _str(raw.get("key"), f"{where}.key", required=True)
    if not key.replace("-", "").replace("_", "").isalnum():
        raise ConfigError(f"{where}.key", f"{key!r} may hold only letters, digits, '-' and '_'")
    stakeholders = []
    for i, s in enumerate(raw.get("stakeholders", [])):
        at = f"{where}.stakeholders[{i}]"
        if not isinstance(s, dict):
            raise ConfigError(at, "must be a table with name, address and party")
        _only(s, at, {"name", "address", "party", "timezone", "role"})
        zone = _str(s.get("timezone", ""), f"{at}.timezone")
        stakeholders.append(
            Stakeholder(
                name=_str(s.get("name"), f"{at}.name"),
                address=_address(s.get("address"), f"{at}.address"),
                party=_choice(s.get("party", "client"), f"{at}.party", PARTIES),
                timezone=_zone(zone, f"{at}.timezone") if zone else "",
                role=_str(s.get("role", ""), f"{at}.role"),
            )
        )
    milestones = []
    for i, m in enumerate(raw.get("milestones", [])):
        at = f"{where}.milestones[{i}]"
        if not isinstance(m, dict):
            raise ConfigError(at, "must be a table with name and due")
        _only(m, at, {"name", "due"})
        milestones.append(Milestone(name=_str(m.get("name"), f"{at}.name", required=True), due=_date(m.get("due"), f"{at}.due")))
    name = _str(raw.get("name", key), f"{where}.name") or key
    return Project(
        key=key,
        name=name,
        tag=_str(raw.get("tag", name), f"{where}.tag") or name,
        language=_choice(raw.get("language", team.language), f"{where}.language", LANGUAGES),
        client_domains=_domains(raw.get("client_domains", []), f"{where}.client_domains"),
        stakeholders=tuple(stakeholders),
        milestones=tuple(milestones),
        digest=_digest(raw.get("digest", {}), f"{where}.digest"),
        status_meeting=_status_meeting(raw["status_meeting"], f"{where}.status_meeting") if raw.get("status_meeting") else None,
        location=_str(raw.get("location", ""), f"{where}.location"),
        meeting_url=_str(raw.get("meeting_url", ""), f"{where}.meeting_url"),
        client_reminders=_bool(raw["client_reminders"], f"{where}.client_reminders") if "client_reminders" in raw else None,
        survey_roles=tuple(_str(r, f"{where}.survey_roles") for r in raw.get("survey_roles", [])),
    )


def _date(value: Any, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_str(value, key, required=True))
    except ValueError:
        raise ConfigError(key, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _moment(value: Any, key: str, zone: ZoneInfo) -> dt.datetime | None:
    """An ISO date or date-time; without an offset it is in the team's zone."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        try:
            moment = dt.datetime.fromisoformat(_str(value, key, required=True))
        except ValueError:
            raise ConfigError(key, f"{value!r} is not an ISO 8601 date or date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _digest(raw: Any, key: str) -> DigestSchedule:
    if raw is False:
        return DigestSchedule(enabled=False)
    if not isinstance(raw, dict):
        raise ConfigError(key, "must be a table such as { weekday = \"monday\", time = \"09:00\" } or false")
    _only(raw, key, {"weekday", "time", "enabled"})
    weekday = WEEKDAYS.index(_choice(raw.get("weekday", "monday"), f"{key}.weekday", WEEKDAYS))
    time = _time(raw.get("time", "09:00"), f"{key}.time")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{key}.enabled", "must be true or false")
    return DigestSchedule(weekday=weekday, time=time, enabled=enabled)


def _time(value: Any, key: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(_str(value, key, required=True))
    except ValueError:
        raise ConfigError(key, f"{value!r} is not a time of day (HH:MM)") from None


def _dates(value: Any, key: str) -> tuple[dt.date, ...]:
    if not isinstance(value, list):
        raise ConfigError(key, "must be a list of dates (YYYY-MM-DD)")
    return tuple(_date(v, f"{key}[{i}]") for i, v in enumerate(value))


def _calendar(raw: dict[str, Any]) -> CalendarSettings:
    allowed = {"country", "hours", "holidays", "working_days", "review_days_before", "review_time", "review_minutes", "language"}
    _only(raw, "calendar", allowed)
    defaults = CalendarSettings()
    hours = defaults.hours
    if "hours" in raw:
        if not isinstance(raw["hours"], list) or not raw["hours"]:
            raise ConfigError("calendar.hours", 'must be a list of ranges such as ["09:00-12:00", "13:30-18:00"]')
        ranges: list[tuple[dt.time, dt.time]] = []
        for i, text in enumerate(raw["hours"]):
            start, _, end = _str(text, f"calendar.hours[{i}]", required=True).partition("-")
            first, last = _time(start.strip(), f"calendar.hours[{i}]"), _time(end.strip(), f"calendar.hours[{i}]")
            if last <= first or (ranges and first < ranges[-1][1]):
                raise ConfigError(f"calendar.hours[{i}]", f"{text!r} must end after it starts and after the range before it")
            ranges.append((first, last))
        hours = tuple(ranges)
    return CalendarSettings(
        country=_str(raw.get("country", defaults.country), "calendar.country").upper(),
        hours=hours,
        holidays=_dates(raw.get("holidays", []), "calendar.holidays"),
        working_days=_dates(raw.get("working_days", []), "calendar.working_days"),
        review_days_before=_int(raw.get("review_days_before", defaults.review_days_before), "calendar.review_days_before", 0, 30),
        review_time=_time(raw.get("review_time", "10:00"), "calendar.review_time"),
        review_minutes=_int(raw.get("review_minutes", defaults.review_minutes), "calendar.review_minutes", 15, 480),
        language=_str(raw.get("language", ""), "calendar.language"),
    )


def _status_meeting(raw: Any, key: str) -> StatusMeeting:
    if not isinstance(raw, dict):
        raise ConfigError(key, 'must be a table such as { weekday = "wednesday", time = "10:00", every_weeks = 1 }')
    _only(raw, key, {"weekday", "time", "every_weeks", "minutes", "weeks"})
    every = _int(raw.get("every_weeks", 1), f"{key}.every_weeks", 1, 2)
    return StatusMeeting(
        weekday=WEEKDAYS.index(_choice(raw.get("weekday", "monday"), f"{key}.weekday", WEEKDAYS)),
        time=_time(raw.get("time", "10:00"), f"{key}.time"),
        every_weeks=every,
        minutes=_int(raw.get("minutes", 30), f"{key}.minutes", 15, 480),
        weeks=_int(raw.get("weeks", 26), f"{key}.weeks", 1, 104),
    )


def parsing_context(settings: Settings) -> Context:
    """What parsing needs to know of the team: its domains, zone and address, and the zones
    of stakeholders who write from elsewhere."""
    from parsing.pipeline import Context

    team = settings.team
    zones = tuple((person.address, person.timezone) for project in settings.projects for person in project.stakeholders
                  if person.address and person.timezone and person.timezone != team.timezone)
    ours = tuple(person.address for project in settings.projects for person in project.stakeholders if person.party == "us")
    return Context(team_domains=team.domains, timezone=team.timezone, own_addresses=(team.address,), writer_zones=zones,
                   team_addresses=ours)
