"""Errors raised by `parsing`.

`parsing` never imports `mailbot`, so its one error lives here; `mailbot.errors` names it as
the `ParseError` branch of its tree.
"""


class ParseError(ValueError):
    """A message that cannot be read at all (not RFC 5322, empty, an Outlook .msg file...).

    The message says what was wrong in words a user can act on. Repairable damage (bad
    charsets, broken MIME) is not an error: it is repaired and listed in `Email.defects`.
    """
