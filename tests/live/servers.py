"""Real mail servers on 127.0.0.1 for the live tests: Dovecot (IMAP, IMAPS, LMTP) and an SMTP relay.

    Dovecot                 one private instance: its own dovecot.conf, base_dir, state_dir, log
      .deliver(to, raw)     LMTP, one connection per recipient: the way an MTA hands mail over
      .imap(user)           a logged-in imapclient.IMAPClient for assertions
      .fetch_all(user)      every message of a folder as raw bytes, in UID order (BODY.PEEK: no \\Seen)
      .append(user, ...)    one message by IMAP APPEND (with an INTERNALDATE)
      .preload(user, msgs)  thousands of messages written straight into the Maildir, then indexed
      .reset()              every user's mail gone, UIDVALIDITY moved on
      .stop() .start() .restart() .kill()   same ports every time
    SmtpRelay(dovecot)      aiosmtpd on a free port; accepts any recipient, hands the mail of
                            Dovecot's users to Dovecot over LMTP, records every envelope
      .add_autoresponder(address)   a robot that answers everything it receives
    Tls                     a trustme CA and a server certificate for 127.0.0.1 and localhost

Nothing here needs systemd or system paths. `dovecot -F` is our child process in its own process
group (kill() reaches all of it; it dies with the test process, however that dies). Its files
live in /dev/shm when that is a roomy tmpfs (fast for 10,000-message Maildirs), else in $TMPDIR.
Started as root (CI), the Dovecot master runs as root, its internal processes as the Debian
package's `dovecot` user, the login processes as `dovenull`, and the mail processes (imap, lmtp)
as `dovecot` (Dovecot refuses mail access as root). Started as any other user, every process
runs as that user and nothing chroots. A missing `dovecot` binary raises `HarnessError` naming
scripts/ci-system-deps.sh: a missing server is a setup failure, never a skip.

Timings (2-CPU VM): start 0.1 s; stop() 1.1-1.4 s (Dovecot's own sleeps); kill() + start 0.1-0.2 s;
a wrong password is refused after 0.5 s (the auth process flushes failures on a 500 ms timer,
even with auth_failure_delay = 0); IDLE reports a delivery after 0.5 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import datetime as dt
import email
import email.message
import email.policy
import email.utils
import gc
import grp
import os
import pwd
import re
import shutil
import signal
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import imapclient
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", "")) or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm", path="/usr/bin:/usr/local/bin:/usr/sbin:" + os.environ.get("PATH", "")) or "/usr/bin/doveadm"
SETUP_HINT = "run `sudo scripts/ci-system-deps.sh` (installs dovecot-imapd and dovecot-lmtpd from Debian/Ubuntu)"

# Throw-away accounts. Every address here has a mailbox; the relay hands other addresses to nobody.
USERS: dict[str, str] = {
    "project@studio.example": "project-pw",
    "chen.jing@studio.example": "chen-pw",
    "li.wei@huajin.example": "li-pw",
    "zhang.min@huajin.example": "zhang-pw",
    "sam@acme.example": "sam-pw",
    "autoresponder@robot.example": "robot-pw",
}
PROJECT = "project@studio.example"
CLIENT = "li.wei@huajin.example"
ROBOT = "autoresponder@robot.example"
# The receiving server whose Authentication-Results mailbot believes (team.trusted_authserv_id);
# the loopback relay adds none, so a test's message carries the header its MX would have added.
AUTHSERV = "mx.studio.example"


class HarnessError(RuntimeError):
    """The live-test servers could not be set up; the message names the fix."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_for_greeting(port: int, prefix: bytes, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                if sock.recv(200).startswith(prefix):
                    return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


# --------------------------------------------------------------------------------------------- TLS


@dataclass(frozen=True)
class Tls:
    """A private CA (ca_file: what clients trust) and a server certificate for 127.0.0.1/localhost."""

    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def create(cls, folder: Path) -> Tls:
        try:
            import trustme
        except ImportError:  # pragma: no cover - a setup failure
            raise HarnessError("trustme is not installed: `pip install -e '.[test]'` (or `pip install trustme`)") from None
        folder.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA(organization_name="mailbot live tests")
        cert = ca.issue_cert(HOST, "localhost")
        tls = cls(folder / "ca.pem", folder / "server.pem", folder / "server.key")
        ca.cert_pem.write_to_path(str(tls.ca_file))
        cert.cert_chain_pems[0].write_to_path(str(tls.cert_file))
        for extra in cert.cert_chain_pems[1:]:
            extra.write_to_path(str(tls.cert_file), append=True)
        cert.private_key_pem.write_to_path(str(tls.key_file))
        os.chmod(tls.key_file, 0o600)
        return tls

    def client_context(self) -> ssl.SSLContext:
        """What a client configured with `cafile = ca_file` would build."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert_file), str(self.key_file))
        return context


# ----------------------------------------------------------------------------------------- Dovecot


CONF = """\
# Written by tests/live/servers.py: one private Dovecot on 127.0.0.1, no system paths.
instance_name = mailbot-{instance}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap lmtp
listen = {host}
shutdown_clients = yes

default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
mail_uid = {mail_uid}
mail_gid = {mail_gid}
first_valid_uid = {mail_uid}
last_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}
last_valid_gid = {mail_gid}

mail_location = maildir:~/Maildir
mail_fsync = never
mailbox_idle_check_interval = 1 secs
imap_idle_notify_interval = {idle_notify_interval} secs

auth_mechanisms = plain login
disable_plaintext_auth = no
auth_failure_delay = 0
auth_cache_size = 0
auth_verbose = yes

{ssl}

namespace inbox {{
  inbox = yes
  separator = {separator}
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = create
  }}
}}

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}

service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
    ssl = yes
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = {host}
    port = {lmtp_port}
  }}
}}
# Otherwise every wrong password makes the next logins from 127.0.0.1 wait 2-15 s.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
{unprivileged}"""

# Started by an ordinary user: chroot needs root, so imap-login and anvil must not chroot.
UNPRIVILEGED = """\
service imap-login {
  chroot =
}
service anvil {
  chroot =
}
"""

SSL_ON = """\
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
{dh}"""


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL the Dovecot master when the test process dies,
    however it dies; its own children follow the master. No stray servers after a killed run."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _scratch() -> str | None:
    """/dev/shm when it is a roomy tmpfs: creating 10,000 files there takes 0.3 s, not 1-7 s on a busy disk.
    (Docker's default /dev/shm is 64 MB: too small, so then the usual temp folder.)"""
    try:
        stats = os.statvfs("/dev/shm")
    except OSError:
        return None
    roomy = stats.f_bavail * stats.f_frsize >= 512 * 2**20
    return "/dev/shm" if roomy and os.access("/dev/shm", os.W_OK | os.X_OK) else None


class Dovecot:
    """A private Dovecot on free ports of 127.0.0.1. Use as a context manager or start()/close()."""

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        users: dict[str, str] | None = None,
        tls: bool = True,
        separator: str = "/",
        idle_notify_interval: int = 120,
    ) -> None:
        if not Path(DOVECOT).is_file() or not Path(DOVEADM).is_file():
            raise HarnessError(f"Dovecot is not installed ({DOVECOT} or {DOVEADM} missing): {SETUP_HINT}")
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-", dir=_scratch())) if root is None else Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.users = dict(USERS if users is None else users)
        self.host = HOST
        self.imap_port = free_port()
        self.imaps_port = free_port()
        self.lmtp_port = free_port()
        self.separator = separator
        self.config_file = self.root / "dovecot.conf"
        self.log_file = self.root / "dovecot.log"
        self.mail_root = self.root / "mail"
        self._process: subprocess.Popen[bytes] | None = None
        self._uid, self._gid = self._accounts()
        self.root.chmod(0o755)  # the mail processes (user `dovecot` under root) must reach mail/
        self.mail_root.mkdir(exist_ok=True)
        self._chown(self.mail_root)
        self.tls = Tls.create(self.root / "tls") if tls else None
        self._write_config(separator, idle_notify_interval)

    # -- lifecycle

    def _accounts(self) -> tuple[int, int]:
        if os.geteuid() != 0:
            return os.geteuid(), os.getegid()
        try:
            account = pwd.getpwnam("dovecot")
            pwd.getpwnam("dovenull")
        except KeyError:
            raise HarnessError(f"running as root needs the `dovecot` and `dovenull` users of the Debian package: {SETUP_HINT}") from None
        return account.pw_uid, account.pw_gid

    def _write_config(self, separator: str, idle_notify_interval: int) -> None:
        if os.geteuid() == 0:
            internal_user, internal_group, login_user = "dovecot", grp.getgrgid(self._gid).gr_name, "dovenull"
        else:
            internal_user = login_user = pwd.getpwuid(self._uid).pw_name
            internal_group = grp.getgrgid(self._gid).gr_name
        if self.tls:
            dh = "ssl_dh = </usr/share/dovecot/dh.pem\n" if Path("/usr/share/dovecot/dh.pem").is_file() else ""
            ssl_block = SSL_ON.format(cert=self.tls.cert_file, key=self.tls.key_file, dh=dh)
        else:
            ssl_block = "ssl = no"
        self.config_file.write_text(
            CONF.format(
                instance=self.root.name,
                root=self.root,
                host=self.host,
                internal_user=internal_user,
                internal_group=internal_group,
                login_user=login_user,
                mail_uid=self._uid,
                mail_gid=self._gid,
                idle_notify_interval=idle_notify_interval,
                ssl=ssl_block,
                separator=separator,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port if self.tls else 0,
                lmtp_port=self.lmtp_port,
                unprivileged="" if os.geteuid() == 0 else UNPRIVILEGED,
            ),
            encoding="utf-8",
        )
        lines = [f"{user}:{{PLAIN}}{password}::::{self.mail_root / user}::" for user, password in self.users.items()]
        (self.root / "users").write_text("\n".join(lines) + "\n", encoding="utf-8")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 10.0) -> Dovecot:
        """Start the master in the foreground (our child: no pid files, no zombies) and wait for greetings."""
        if self.running:
            return self
        with (self.root / "dovecot.stderr").open("ab") as stderr:
            self._process = subprocess.Popen(
                [DOVECOT, "-F", "-c", str(self.config_file)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: kill() reaches every child
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + timeout
        ready = _wait_for_greeting(self.imap_port, b"* OK", deadline) and _wait_for_greeting(self.lmtp_port, b"220", deadline)
        if not ready or not self.running:
            self.kill()
            raise HarnessError(f"Dovecot did not start within {timeout} s. Its complaints:\n{self.log_tail()}")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Graceful: SIGTERM, clients get `* BYE Server shutting down`. Takes 1.1-2 s (Dovecot's own sleeps)."""
        if not self.running:
            return
        assert self._process is not None
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """Hard: SIGKILL to every Dovecot process at once, clients see the connection drop. Instant."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        self._process = None

    def restart(self, *, hard: bool = False) -> Dovecot:
        """Stop (or kill) and start again on the same ports and with the same mail."""
        self.kill() if hard else self.stop()
        return self.start()

    def close(self) -> None:
        self.kill()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for path in (self.root / "dovecot.stderr", self.log_file):
            if path.is_file():
                text += path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- accounts and folders on disk

    def password(self, user: str) -> str:
        return self.users[user]

    def home(self, user: str) -> Path:
        return self.mail_root / user

    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        """The folder's directory on disk (Maildir++: INBOX is the root, `a/b` is `.a.b`)."""
        base = self.home(user) / "Maildir"
        if folder.upper() == "INBOX":
            return base
        return base / ("." + folder.replace(self.separator, "."))

    def reset(self, users: Iterable[str] | None = None) -> None:
        """Delete all mail and folders; keep the UIDVALIDITY counter so a recreated folder gets a new one."""
        for user in self.users if users is None else users:
            base = self.home(user) / "Maildir"
            if not base.is_dir():
                continue
            for entry in base.iterdir():
                if entry.name.startswith("dovecot-uidvalidity"):
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            os.chown(path, self._uid, self._gid)

    def _make_maildir(self, user: str, folder: str) -> Path:
        box = self.maildir(user, folder)
        for path in (self.home(user), self.home(user) / "Maildir", box, box / "cur", box / "new", box / "tmp"):
            if not path.is_dir():
                path.mkdir(mode=0o700)
                self._chown(path)
        if folder.upper() != "INBOX" and not (box / "maildirfolder").exists():
            (box / "maildirfolder").touch()
            self._chown(box / "maildirfolder")
        return box

    # -- mail in

    def deliver(self, to: str | Iterable[str], raw: bytes, *, mail_from: str = "sender@outside.example") -> None:
        """Deliver over LMTP, one connection per recipient (smtplib.LMTP mishandles several at once)."""
        for rcpt in [to] if isinstance(to, str) else list(to):
            with smtplib.LMTP(self.host, self.lmtp_port, local_hostname="harness.test", timeout=10) as lmtp:
                lmtp.sendmail(mail_from, [rcpt], raw)

    def append(
        self,
        user: str,
        folder: str,
        raw: bytes,
        date: dt.datetime | None = None,
        flags: Iterable[bytes | str] = (),
    ) -> int:
        """IMAP APPEND (creating the folder if needed); returns the new UID."""
        with self.imap(user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags), msg_time=date)
        match = re.search(rb"APPENDUID \d+ (\d+)", response)
        if not match:
            raise HarnessError(f"APPEND gave no APPENDUID: {response!r}")
        return int(match.group(1))

    def preload(
        self,
        user: str,
        messages: Iterable[bytes | tuple[bytes, dt.datetime]],
        folder: str = "INBOX",
        *,
        seen: bool = True,
    ) -> int:
        """Write messages straight into the Maildir's cur/ (INTERNALDATE = the given date via mtime),
        then let Dovecot index them. UIDs follow the order given. 10,000 messages take about a second.
        Returns the number written. Meant for a folder no client has open."""
        box = self._make_maildir(user, folder)
        # Dovecot sorts new files by the timestamp in their names before giving out UIDs;
        # a counter in that place keeps UIDs in the order given, whatever the dates.
        stamp = 1_000_000_000 + len(os.listdir(box / "cur")) + len(os.listdir(box / "new"))
        info = ":2,S" if seen else ":2,"
        now = time.time()
        chown = os.geteuid() == 0
        count = 0
        for count, item in enumerate(messages, start=1):
            raw, date = item if isinstance(item, tuple) else (item, None)
            path = box / "cur" / f"{stamp + count}.P{os.getpid()}Q{count}.preload,S={len(raw)}{info}"
            when = date.timestamp() if date is not None else now
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:  # descriptor calls: a third faster than path calls for 10,000 files
                os.write(fd, raw)
                os.utime(fd, (when, when))
                if chown:
                    os.fchown(fd, self._uid, self._gid)
            finally:
                os.close(fd)
        self.doveadm("mailbox", "status", "-u", user, "messages", folder)  # sync: give out the UIDs now
        return count

    # -- mail out (assertions)

    def client_context(self) -> ssl.SSLContext:
        if self.tls is None:
            raise HarnessError("this Dovecot was started with tls=False")
        return self.tls.client_context()

    def imap(self, user: str, *, security: str = "none", password: str | None = None, timeout: float = 10) -> imapclient.IMAPClient:
        """A logged-in IMAPClient; security none (port imap_port), starttls (same port) or ssl (imaps_port)."""
        if security == "ssl":
            client = imapclient.IMAPClient(self.host, self.imaps_port, ssl=True, ssl_context=self.client_context(), timeout=timeout)
        else:
            client = imapclient.IMAPClient(self.host, self.imap_port, ssl=False, timeout=timeout)
            if security == "starttls":
                client.starttls(self.client_context())
        try:
            client.login(user, self.users[user] if password is None else password)
        except Exception:
            with contextlib.suppress(Exception):
                client.shutdown()
            raise
        return client

    def fetch_all(self, user: str, folder: str = "INBOX") -> list[bytes]:
        """Every message of the folder, raw, in UID order; read-only, so flags stay as they are."""
        with self.imap(user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            data = client.fetch(uids, ["BODY.PEEK[]"])
            return [data[uid][b"BODY[]"] for uid in sorted(uids)]

    def count(self, user: str, folder: str = "INBOX") -> int:
        with self.imap(user) as client:
            if folder.upper() != "INBOX" and not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])

    def wait_for_count(self, user: str, count: int, folder: str = "INBOX", timeout: float = 5.0) -> int:
        """Poll until the folder holds at least `count` messages; returns the count or raises AssertionError."""
        deadline = time.monotonic() + timeout
        while True:
            have = self.count(user, folder)
            if have >= count or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert have >= count, f"{user} {folder}: {have} messages after {timeout} s, wanted {count}"
        return have

    def doveadm(self, *args: str) -> str:
        result = subprocess.run([DOVEADM, "-c", str(self.config_file), *args], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise HarnessError(f"doveadm {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
        return result.stdout


# -------------------------------------------------------------------------------------- SMTP relay


@dataclass(frozen=True)
class Envelope:
    """One message accepted by the relay."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    delivered: tuple[str, ...]  # the recipients that have a mailbox in Dovecot
    authenticated_as: str | None = None

    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


def make_reply(raw: bytes, from_address: str, body: str = "Thank you for your message. This is an automatic reply.") -> tuple[str, bytes]:
    """A robot's answer: Re: subject, In-Reply-To and References, and no Auto-Submitted header.
    Returns (the address it goes to, the raw reply)."""
    original = email.message_from_bytes(raw, policy=email.policy.default)
    to = email.utils.parseaddr(str(original.get("Reply-To") or original.get("From") or ""))[1]
    subject = str(original.get("Subject") or "")
    reply = email.message.EmailMessage()
    reply["From"] = from_address
    reply["To"] = to
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    reply["Date"] = email.utils.formatdate(localtime=False)
    reply["Message-ID"] = email.utils.make_msgid(domain=from_address.partition("@")[2] or "robot.example")
    message_id = str(original.get("Message-ID") or "").strip()
    if message_id:
        reply["In-Reply-To"] = message_id
        reply["References"] = (str(original.get("References") or "") + " " + message_id).strip()
    reply.set_content(body)
    return to, reply.as_bytes()


@dataclass
class AutoResponder:
    """Answers every message sent to `address` through the relay, back to its From (or Reply-To)."""

    address: str
    limit: int = 50  # the harness's own loop guard; mailbot's must trip long before this
    delay: float = 0.0
    body: str = "Thank you for your message. This is an automatic reply."
    received: list[Envelope] = field(default_factory=list)
    replies: list[tuple[str, bytes]] = field(default_factory=list)  # (to, raw)
    suppressed: int = 0


class _Handler:
    def __init__(self, relay: SmtpRelay) -> None:
        self.relay = relay

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if self.relay.auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        reply = self.relay.rejections.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        data = envelope.original_content or envelope.content
        local = [r for r in envelope.rcpt_tos if r.lower() in self.relay.dovecot.users]
        try:
            await asyncio.to_thread(self.relay.dovecot.deliver, local, data, mail_from=envelope.mail_from or "")
        except (OSError, smtplib.SMTPException) as exc:
            return f"451 4.3.0 mailbox server unavailable: {exc}"
        login = getattr(session, "auth_data", None)
        accepted = Envelope(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
            delivered=tuple(local),
            authenticated_as=login.login.decode() if isinstance(login, LoginPassword) else None,
        )
        with self.relay.lock:
            self.relay.envelopes.append(accepted)
        for rcpt in envelope.rcpt_tos:
            responder = self.relay.responders.get(rcpt.lower())
            if responder is not None:
                task = asyncio.get_running_loop().create_task(self.relay._respond(responder, accepted))
                self.relay._tasks.add(task)
                task.add_done_callback(self.relay._tasks.discard)
        return "250 OK delivered"


class _Controller(Controller):
    """aiosmtpd's Controller, remembering its sessions so stop() can drop them like a crash would."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions: weakref.WeakSet[Any] = weakref.WeakSet()

    def factory(self) -> Any:
        smtp = super().factory()
        self.sessions.add(smtp)
        return smtp

    async def _drop_sessions(self) -> None:
        for smtp in list(self.sessions):
            if smtp.transport is not None:
                smtp.transport.abort()
        # Let the transports' connection_lost callbacks close the sockets. A TLS transport that is
        # still shutting down needs a few loop turns more than a plain one; stopping the loop
        # before that leaves an unclosed socket (a ResourceWarning, an error under -W error).
        for _ in range(20):
            await asyncio.sleep(0.005)

    def stop(self, no_assert: bool = False) -> None:
        if self.loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._drop_sessions(), self.loop).result(timeout=5)
        super().stop(no_assert)


class SmtpRelay:
    """An SMTP server on 127.0.0.1 that hands mail for Dovecot's users to Dovecot (LMTP).

    security: "none" (plain), "starttls" (offered, not required) or "ssl" (implicit TLS).
    auth: require AUTH PLAIN/LOGIN with a Dovecot user's password (allowed without TLS: loopback).
    Every accepted message is in `envelopes`. `rejections[address] = "550 5.1.1 no such user"`
    makes RCPT fail for that address. stop()/start() keep the port.
    """

    def __init__(self, dovecot: Dovecot, *, security: str = "none", auth: bool = False, port: int | None = None) -> None:
        if security not in ("none", "starttls", "ssl"):
            raise ValueError(f"security must be none, starttls or ssl, not {security!r}")
        if security != "none" and dovecot.tls is None:
            raise HarnessError("TLS for the relay needs a Dovecot created with tls=True (it owns the certificate)")
        self.dovecot = dovecot
        self.security = security
        self.auth = auth
        self.host = HOST
        self.port = port or free_port()
        self.envelopes: list[Envelope] = []
        self.rejections: dict[str, str] = {}
        self.responders: dict[str, AutoResponder] = {}
        self.lock = threading.Lock()
        self._controller: _Controller | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if self.dovecot.users.get(user) == password:
                return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    def start(self) -> SmtpRelay:
        if self._controller is not None:
            return self
        kwargs: dict[str, Any] = {"server_hostname": "relay.test", "ready_timeout": 10.0}
        if self.auth:
            # auth_required would warn (an error under filterwarnings=error); RCPT enforces it instead.
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        if self.security == "starttls":
            kwargs.update(tls_context=self.dovecot.tls.server_context(), require_starttls=False)  # type: ignore[union-attr]
        if self.security == "ssl":
            kwargs.update(ssl_context=self.dovecot.tls.server_context())  # type: ignore[union-attr]
        # aiosmtpd's Controller closes its loop on stop(): a new one per start, on the same port.
        controller = _Controller(_Handler(self), hostname=self.host, port=self.port, **kwargs)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Open connections are dropped and the port refuses connections until start()."""
        if self._controller is not None:
            controller, self._controller = self._controller, None
            controller.stop()
            # A TLS transport that was still shutting down when aiosmtpd closed its loop keeps
            # its socket until garbage collection; collect it here, where it belongs, rather than
            # in whichever later test the collector happens to run (unclosed-socket warning).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                del controller
                gc.collect()

    def restart(self) -> SmtpRelay:
        self.stop()
        return self.start()

    def __enter__(self) -> SmtpRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def clear(self) -> None:
        with self.lock:
            self.envelopes.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Envelope]:
        """Wait until at least `count` envelopes were accepted; returns them all (AssertionError if not)."""
        deadline = time.monotonic() + timeout
        while len(self.envelopes) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        with self.lock:
            got = list(self.envelopes)
        assert len(got) >= count, f"relay accepted {len(got)} messages in {timeout} s, wanted {count}"
        return got

    def send(self, mail_from: str, to: str | Iterable[str], raw: bytes) -> None:
        """Submit a message the way a client's mail program would (plain SMTP, no AUTH needed unless auth=True)."""
        rcpts = [to] if isinstance(to, str) else list(to)
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, local_hostname="client.test", timeout=10, context=self.dovecot.client_context())
        else:
            client = smtplib.SMTP(self.host, self.port, local_hostname="client.test", timeout=10)
        with client:
            if self.security == "starttls":
                client.starttls(context=self.dovecot.client_context())
            if self.auth:
                client.login(mail_from, self.dovecot.users[mail_from])
            client.sendmail(mail_from, rcpts, raw)

    # -- the robot

    def add_autoresponder(self, address: str = ROBOT, *, limit: int = 50, delay: float = 0.0, body: str | None = None) -> AutoResponder:
        """From now on every message to `address` gets an automatic reply, delivered to the sender's
        mailbox over LMTP (if the sender has one) and recorded in responder.replies."""
        responder = AutoResponder(address=address, limit=limit, delay=delay)
        if body is not None:
            responder.body = body
        self.responders[address.lower()] = responder
        return responder

    async def _respond(self, responder: AutoResponder, envelope: Envelope) -> None:
        responder.received.append(envelope)
        if len(responder.replies) >= responder.limit:
            responder.suppressed += 1
            return
        if responder.delay:
            await asyncio.sleep(responder.delay)
        to, raw = make_reply(envelope.data, responder.address, responder.body)
        responder.replies.append((to, raw))
        if to.lower() in self.dovecot.users:
            with contextlib.suppress(OSError, smtplib.SMTPException):  # Dovecot down: the reply is lost, as in life
                await asyncio.to_thread(self.dovecot.deliver, to, raw, mail_from=responder.address)


def message(
    *,
    sender: str = CLIENT,
    to: str = PROJECT,
    subject: str = "首页设计",
    body: str = "我们会在下周五之前提交首页设计稿。",
    date: dt.datetime | None = None,
    message_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A small, well-formed message for tests (UTF-8, Message-ID and Date filled in)."""
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date or dt.datetime.now(dt.timezone.utc))
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain=sender.partition("@")[2] or "test.example")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


OLD = (
    "From: 李伟 <li.wei@huajin.example>\r\n"
    "To: project@studio.example\r\n"
    "Subject: =?utf-8?b?5pen6YKu5Lu2?= {i}\r\n"
    "Date: {date}\r\n"
    "Message-ID: <old-{i}@huajin.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "旧邮件 number {i}.\r\n"
)


def messages(count: int, *, start: dt.datetime | None = None, step: dt.timedelta = dt.timedelta(minutes=7)) -> Iterator[tuple[bytes, dt.datetime]]:
    """`count` distinct old messages (Subject 旧邮件 <i>, Message-ID <old-<i>@huajin.example>) with
    increasing dates, for preload(). A template, not the email package: 10,000 in ~50 ms."""
    when = start or dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for i in range(count):
        yield OLD.format(i=i, date=email.utils.format_datetime(when)).encode(), when
        when += step


# ------------------------------------------------------------------------------------ mailbot.toml


LIVE_TOML = """\
[team]
name = "Studio"
address = "{user}"
domains = ["studio.example"]
timezone = "Asia/Shanghai"
language = "zh"
trusted_authserv_id = "{authserv}"

[store]
path = "mailbot.db"

[imap]
host = "{host}"
port = {imap_port}
security = "{imap_security}"
user = "{user}"
folder = "{folder}"
{imap_cafile}
[smtp]
host = "{host}"
port = {smtp_port}
security = "{smtp_security}"
user = "{user}"
{smtp_cafile}
[outbox]
maildir = "outbox"

[[projects]]
key = "huajin-web"
name = "华锦零售官网改版"
language = "zh"
client_domains = ["huajin.example"]
stakeholders = [
  {{ name = "李伟", address = "li.wei@huajin.example", party = "client" }},
  {{ name = "张敏", address = "zhang.min@huajin.example", party = "client" }},
  {{ name = "Chen Jing", address = "chen.jing@studio.example", party = "us" }},
]
milestones = [
  {{ name = "首页设计", due = "2026-03-31" }},
  {{ name = "上线", due = "2026-05-15" }},
]
{extra}"""


def live_toml(
    dovecot: Dovecot,
    relay: SmtpRelay,
    *,
    imap_security: str = "none",
    folder: str = "INBOX",
    user: str = PROJECT,
    extra: str = "",
) -> str:
    """A mailbot.toml (CONTRACT.md shape) for `user` on these servers. imap_security "ssl" uses the
    IMAPS port, "starttls"/"none" the plain one; the SMTP side follows relay.security. A CA file
    line is written whenever TLS is in play. Passwords are not in it: MAILBOT_*_PASSWORD."""
    ca = f'cafile = "{dovecot.tls.ca_file}"\n' if dovecot.tls else ""
    return LIVE_TOML.format(
        host=dovecot.host,
        user=user,
        folder=folder,
        imap_port=dovecot.imaps_port if imap_security == "ssl" else dovecot.imap_port,
        imap_security=imap_security,
        imap_cafile=ca if imap_security != "none" else "",
        smtp_port=relay.port,
        smtp_security=relay.security,
        smtp_cafile=ca if relay.security != "none" else "",
        extra=extra,
        authserv=AUTHSERV,
    )


class LiveConfig(NamedTuple):
    path: Path  # mailbot.toml; the store (mailbot.db) and the outbox Maildir go beside it
    env: dict[str, str]  # MAILBOT_IMAP_PASSWORD and MAILBOT_SMTP_PASSWORD


def live_env(dovecot: Dovecot, user: str = PROJECT) -> dict[str, str]:
    """The secrets mailbot reads from the environment, for `user` (IMAP and SMTP share them)."""
    return {"MAILBOT_IMAP_PASSWORD": dovecot.password(user), "MAILBOT_SMTP_PASSWORD": dovecot.password(user)}
