#!/bin/sh
# Install the system packages mailbot's live tests need (tests/live): Dovecot's IMAP and LMTP
# servers, and Chromium with a CJK font (headless, for the summary's screenshot), from Debian or Ubuntu. The tests start their own private Dovecot on 127.0.0.1 with
# their own configuration, so the system service is neither needed nor started.
#
#   sudo scripts/ci-system-deps.sh          install if missing; a quick no-op when present
#   sudo scripts/ci-system-deps.sh --force  run apt-get even when everything is present
#
# Idempotent. Python packages (aiosmtpd, trustme, ...) come from `pip install -e '.[test]'`.
set -eu

PACKAGES="dovecot-imapd dovecot-lmtpd chromium fonts-wqy-zenhei"
FORCE=no
[ "${1:-}" = "--force" ] && FORCE=yes

say() { printf 'ci-system-deps: %s\n' "$*"; }

installed() {
    for package in $PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || return 1
    done
    [ -x /usr/sbin/dovecot ] && command -v doveadm >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "this script knows Debian and Ubuntu (apt-get) only; install Dovecot 2.3 with IMAP and LMTP by hand"
    exit 1
fi

if [ "$FORCE" = no ] && installed; then
    say "nothing to do: $PACKAGES already installed ($(/usr/sbin/dovecot --version))"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        say "not root: running again with sudo"
        exec sudo "$0" "$@"
    fi
    say "must run as root (or with sudo) to install $PACKAGES"
    exit 1
fi

# A policy-rc.d that exits 101 tells invoke-rc.d (and deb-systemd-invoke) not to start services:
# installing Dovecot must not start a system Dovecot. Put back whatever was there before.
POLICY=/usr/sbin/policy-rc.d
BACKUP=""
if [ -e "$POLICY" ]; then
    BACKUP=$(mktemp)
    cp -p "$POLICY" "$BACKUP"
fi
restore() {
    if [ -n "$BACKUP" ]; then
        cp -p "$BACKUP" "$POLICY" && rm -f "$BACKUP"
    else
        rm -f "$POLICY"
    fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' >"$POLICY"
chmod 755 "$POLICY"

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
apt-get update -qq
say "apt-get install $PACKAGES"
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null

if ! installed; then
    say "apt-get finished but $PACKAGES are not all installed"
    exit 1
fi
say "installed: $PACKAGES ($(/usr/sbin/dovecot --version)); system service not started"
