"""mailbot: the project's own email address.

The service package: configuration, the SQLite plan, applying findings, composing and sending
mail, the IMAP watcher and the CLI. The only package that does I/O; it uses `parsing` and
`scheduling`, which never import it.
"""

__version__ = "0.1.0"
