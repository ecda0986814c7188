"""Pure parsing: raw message bytes in, frozen dataclasses out (DESIGN.md, `parsing/`).

No network, no database, no clock: the message's own Date is the reference time.
"""

from parsing.errors import ParseError
from parsing.model import (
    Address,
    Attachment,
    CalendarPart,
    Category,
    Email,
    Extraction,
    Finding,
    Kind,
    Party,
    TimeExpression,
)


def __getattr__(name: str) -> object:
    # The pipeline compiles some thousand patterns; load it on first use so that `parsing.model` and
    # `parsing.errors` stay cheap to import (the CLI's --help, configuration errors).
    if name in ("Context", "extract", "extract_email"):
        from parsing import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'parsing' has no attribute {name!r}")


__all__ = [
    "Address",
    "Attachment",
    "CalendarPart",
    "Category",
    "Context",
    "Email",
    "Extraction",
    "Finding",
    "Kind",
    "ParseError",
    "Party",
    "TimeExpression",
    "extract",
    "extract_email",
]
