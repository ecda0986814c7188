import datetime as dt
from pathlib import Path

import pytest

from mailbot.config import ConfigError, load


def test_loads_contract_shape_with_projects(config_file: Path) -> None:
    settings = load(config_file, env={})
    assert settings.team.address == "project@studio.example"
    assert settings.team.domains == ("studio.example",)
    assert settings.team.timezone == "Asia/Shanghai"
    assert settings.store_path == config_file.parent / "mailbot.db"
    assert settings.outbox.maildir == config_file.parent / "outbox"
    assert settings.imap is None and settings.smtp is None
    project = settings.project("huajin-web")
    assert project.name == "华锦零售官网改版"
    assert project.client_domains == ("huajin.example",)
    assert [m.due for m in project.milestones] == [dt.date(2026, 3, 31), dt.date(2026, 5, 15)]
    assert project.stakeholder("LI.WEI@huajin.example").party == "client"
    assert project.digest.weekday == 0 and project.digest.time == dt.time(9, 0)


def test_environment_overrides_every_section(config_file: Path) -> None:
    env = {
        "MAILBOT_TEAM_TIMEZONE": "Europe/Berlin",
        "MAILBOT_TEAM_DOMAINS": "studio.example, studio.cn",
        "MAILBOT_STORE_PATH": "/tmp/other.db",
        "MAILBOT_IMAP_HOST": "127.0.0.1",
        "MAILBOT_IMAP_PORT": "1143",
        "MAILBOT_IMAP_SECURITY": "none",
        "MAILBOT_IMAP_PASSWORD": "s3cret",
        "MAILBOT_SMTP_HOST": "smtp.studio.example",
        "MAILBOT_TIMEOUTS_CONNECT": "2.5",
    }
    settings = load(config_file, env=env)
    assert settings.team.timezone == "Europe/Berlin"
    assert settings.team.domains == ("studio.example", "studio.cn")
    assert settings.store_path == Path("/tmp/other.db")
    assert settings.imap is not None and settings.imap.port == 1143 and settings.imap.password == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.smtp is not None and settings.smtp.port == 465 and settings.smtp.security == "ssl"
    assert settings.timeouts.connect == 2.5


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        ('[team]\naddress = "not-an-address"\n', "team.address"),
        ('[team]\naddress = "p@s.example"\ntimezone = "Mars/Olympus"\n', "team.timezone"),
        ('[team]\naddress = "p@s.example"\nlanguage = "fr"\n', "team.language"),
        ('[team]\naddress = "p@s.example"\ncolour = "blue"\n', "team.colour"),
        ('[team]\naddress = "p@s.example"\n[imap]\nhost = "imap.example"\nport = 99999\n', "imap.port"),
        ('[team]\naddress = "p@s.example"\n[imap]\nhost = "imap.example"\nsecurity = "none"\n', "imap.security"),
        ('[team]\naddress = "p@s.example"\n[[projects]]\nkey = "a"\nmilestones = [{ name = "x", due = "soon" }]\n', "projects[0].milestones[0].due"),
        ('[team]\naddress = "p@s.example"\n[[projects]]\nkey = "a"\nstakeholders = [{ name = "x", address = "x@y.example", party = "vendor" }]\n', "projects[0].stakeholders[0].party"),
        ('[team]\naddress = "p@s.example"\n[[projects]]\nkey = "a"\n[[projects]]\nkey = "a"\n', "projects"),
        ('[team]\naddress = "p@s.example"\n[bogus]\n', "bogus"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, snippet: str, key: str) -> None:
    path = tmp_path / "mailbot.toml"
    path.write_text(snippet, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, env={})
    assert info.value.key == key


def test_bad_environment_number_names_the_key(config_file: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(config_file, env={"MAILBOT_SMTP_HOST": "x.example", "MAILBOT_SMTP_PORT": "twenty-five"})
    assert info.value.key == "smtp.port"


def test_missing_named_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load(tmp_path / "absent.toml", env={})


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "mailbot.toml"
    path.write_text("[team\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load(path, env={})


def test_unknown_project_lists_known_keys(config_file: Path) -> None:
    settings = load(config_file, env={})
    with pytest.raises(ConfigError, match="huajin-web, acme-app"):
        settings.project("nope")


@pytest.mark.parametrize(("key", "value"), [("idle", 1800), ("poll", 45), ("retry", 0)])
def test_timeouts_are_bounded(tmp_path: Path, key: str, value: int) -> None:
    path = tmp_path / "mailbot.toml"
    path.write_text(f'[team]\naddress = "p@s.example"\n[timeouts]\n{key} = {value}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, env={})
    assert info.value.key == f"timeouts.{key}"


CONTRACT_ADDITIONS = """\
[team]
address = "project@studio.example"
domains = ["studio.example"]
trusted_authserv_id = "mx.studio.example"
trust = "domain"

[digest]
review = true
review_hours = 4
quiet_overdue_days = 14
quiet_undated_days = 30

[reminders]
before_due_working_days = 2
clients = false

[surveys]
scale = "0-10"
reminder_working_days = 3

[templates]
dir = "my-templates"

[[projects]]
key = "p"
location = "会议室 12F / Room 12F"
meeting_url = "https://meeting.example/abc"
stakeholders = [
  { name = "Tom Baker", address = "tom@client.example", party = "client", timezone = "America/Chicago", role = "sponsor" },
]
"""


def test_every_key_of_the_contracts_additions_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mailbot.toml"
    path.write_text(CONTRACT_ADDITIONS, encoding="utf-8")
    settings = load(path, env={})
    assert (settings.team.trusted_authserv_id, settings.team.trust) == ("mx.studio.example", "domain")
    assert (settings.digest.review, settings.reminders.before_due_working_days, settings.reminders.clients) == (True, 2, False)
    assert (settings.digest.quiet_overdue_days, settings.digest.quiet_undated_days) == (14, 30)
    assert (settings.surveys.scale, settings.templates_dir) == ("0-10", tmp_path / "my-templates")
    (project,) = settings.projects
    assert (project.location, project.meeting_url) == ("会议室 12F / Room 12F", "https://meeting.example/abc")
    assert (project.stakeholders[0].timezone, project.stakeholders[0].role) == ("America/Chicago", "sponsor")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('trust = "domain"', 'trust = "anyone"', "team.trust"),
        ('scale = "0-10"', 'scale = "1-7"', "surveys.scale"),
        ('timezone = "America/Chicago"', 'timezone = "Chicago"', "projects[0].stakeholders[0].timezone"),
        ("clients = false", 'clients = "no"', "reminders.clients"),
    ],
)
def test_a_wrong_value_among_the_additions_names_its_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = tmp_path / "mailbot.toml"
    path.write_text(CONTRACT_ADDITIONS.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(path, env={})
    assert info.value.key == key
