"""mailbot's exception tree. Callers catch by what they can do about it::

    MailbotError
    ├── ConfigError        bad or missing configuration: fix the file or the variable (exit 2)
    ├── StoreError         the SQLite plan cannot be opened or written
    ├── MailboxError       the IMAP side (connect, login, capability)
    └── DeliveryError      the SMTP side: the message stays queued in the outbox

An input path that cannot be read is not an exception: `sources.read_sources` yields it with
its reason and the batch goes on. A message that cannot be parsed raises `parsing.ParseError` (parsing does not import mailbot);
the service records it on the stored raw message and goes on with the batch.
Foreign exceptions (sqlite3, imapclient, aiosmtplib) are translated at the adapter that meets
them, with ``raise ... from exc``, and the message names the fix where there is one.
"""

from parsing.errors import ParseError


class MailbotError(Exception):
    """Root of every error mailbot raises on purpose."""


class ConfigError(MailbotError):
    """The configuration is wrong; `key` names the offending setting (e.g. ``imap.port``)."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"configuration: {key}: {problem}")


class StoreError(MailbotError):
    """The plan database cannot be opened, migrated or written."""


class MailboxError(MailbotError):
    """The IMAP server could not be reached or used."""


class DeliveryError(MailbotError):
    """A message could not be handed to the SMTP server; it stays queued."""


__all__ = [
    "ConfigError",
    "DeliveryError",
    "MailboxError",
    "MailbotError",
    "ParseError",
    "StoreError",
]
