"""Fixtures for the live tests: a real Dovecot and an SMTP relay on 127.0.0.1.

    dovecot_server   session: one Dovecot for the whole run (IMAP, IMAPS/STARTTLS, LMTP)
    dovecot          per test: that server, running, every mailbox empty before and after
    smtp_relay       per test: an aiosmtpd relay in front of it; vary it with
                     @pytest.mark.relay(security="starttls", auth=True)
    live_config      per test: a mailbot.toml pointing at both (LiveConfig(path, env))

Every test under tests/live gets the `live` marker. No Dovecot installed is a setup failure
(the message names scripts/ci-system-deps.sh), never a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from live.servers import Dovecot, HarnessError, LiveConfig, SmtpRelay, live_env, live_toml

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "relay(security='none', auth=False): settings of the smtp_relay fixture for one test")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    try:
        server = Dovecot()
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        server.start()
    except HarnessError as exc:
        server.close()
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.close()


@pytest.fixture
def dovecot(dovecot_server: Dovecot) -> Iterator[Dovecot]:
    """The session's Dovecot, started again if an earlier test stopped it, with empty mailboxes."""
    dovecot_server.start()
    dovecot_server.reset()
    yield dovecot_server
    dovecot_server.start()
    dovecot_server.reset()


@pytest.fixture
def smtp_relay(request: pytest.FixtureRequest, dovecot: Dovecot) -> Iterator[SmtpRelay]:
    marker = request.node.get_closest_marker("relay")
    relay = SmtpRelay(dovecot, **(marker.kwargs if marker else {}))
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture
def live_config(tmp_path: Path, dovecot: Dovecot, smtp_relay: SmtpRelay) -> LiveConfig:
    """mailbot.toml for project@studio.example on the live servers (security "none", loopback)."""
    path = tmp_path / "mailbot.toml"
    path.write_text(live_toml(dovecot, smtp_relay), encoding="utf-8")
    return LiveConfig(path, live_env(dovecot))
