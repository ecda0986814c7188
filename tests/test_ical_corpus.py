"""scheduling.ical over real clients' calendars in ../shared/corpora (skipped where absent).

- bluemind-imip: every REPLY from Google, iOS, Outlook, Android, BlueMind gives the PARTSTAT
  upstream expects (or, for the three Outlook-for-Mac replies upstream only parses, the one in
  the file); Google's COUNTER is a COUNTER although its MIME part says method=REPLY; the .ics
  attached without iMIP semantics is not a reply; every calendar reads the METHOD/UID/PARTSTATs
  of `decoded_index.json`.
- mailing-list-archives: every text/calendar part reads the METHOD/UID/SEQUENCE/PARTSTATs of
  `index.json` and none is taken for a reply.
- icalendar: every file reads or fails with a CalendarError, never anything else.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from parsing.mime import read_email
from scheduling.ical import CalendarError, CalendarInfo, read_calendar, read_reply

pytestmark = [pytest.mark.corpus, pytest.mark.filterwarnings("ignore::icalendar.error.GloballyUniqueTZIDGuessed")]

BLUEMIND = "bluemind-imip"
DATA = "plugins/net.bluemind.imip.parser.tests/data"

# Files whose decoded_index facts we knowingly do not reproduce, and why.
KNOWN = {
    # VTODO tasks: mailbot reads VEVENTs (meetings) only.
    f"{DATA}/bm.task.invite.eml": "VTODO",
    f"{DATA}/bm.task.update.eml": "VTODO",
    f"{DATA}/bm.task.cancel.eml": "VTODO",
    # A folded ATTENDEE line continued with U+00A0 instead of a space: icalendar cannot read it.
    "parent/calendar/net.bluemind.calendar.service.tests/ics/colon_tzid.ics": "broken folding",
    # TRIGGER:P180S (seconds without T) makes icalendar refuse the whole file: a clean CalendarError.
    "parent/calendar/net.bluemind.calendar.service.tests/ics/obm.ics": "CalendarError",
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def calendar_texts(path: Path) -> list[tuple[str | bytes, str | None]]:
    """(iCalendar text, MIME method= parameter) for each calendar of a .eml, or the .ics itself."""
    if path.suffix == ".eml":
        return [(part.text, part.method) for part in read_email(path.read_bytes()).calendars]
    return [(path.read_bytes(), None)]


def facts(info: CalendarInfo) -> tuple[str | None, str | None, list[str]]:
    event = info.events[0] if info.events else None
    if event is None:
        return info.method, None, []
    return info.method, event.uid or None, [a.partstat for a in event.attendees]


def expected_facts(entry: dict[str, Any]) -> tuple[str | None, str | None, list[str]]:
    return entry["method"], entry["uid"], [a["partstat"] or "NEEDS-ACTION" for a in entry["attendees"]]


# --- bluemind-imip: replies ------------------------------------------------------------------------


def reply_cases(root: Path) -> list[tuple[str, str]]:
    """(file, expected PARTSTAT) for every REPLY mail: upstream's expectation, else the file's own."""
    upstream = {c["file"]: c for c in load(root / "expected_upstream.json")["cases"]}
    decoded = {f["file"]: f for f in load(root / "decoded_index.json")["files"]}
    cases = []
    for path in sorted((root / DATA).glob("*.eml")):
        name = f"{DATA}/{path.name}"
        if ".reply." not in path.name and not path.name.endswith(".reply.eml"):
            continue
        expected = upstream.get(name, {}).get("attendee_partstat")
        if expected is None:
            expected = decoded[name]["calendar_parts"][0]["attendees"][0]["partstat"]
        cases.append((name, expected))
    return cases


def test_every_reply_gives_its_partstat(corpora: Path) -> None:
    root = corpora / BLUEMIND
    cases = reply_cases(root)
    assert len(cases) == 14  # Google ×4, iOS ×3, Outlook for Mac ×3, Android ×2, BlueMind ×1, BlueMind MAPI ×1
    right = []
    for name, expected in cases:
        texts = calendar_texts(root / name)
        assert texts, f"{name}: no calendar part found"
        for text, mime_method in texts:
            reply = read_reply(text, mime_method=mime_method)
            assert reply is not None, name
            assert reply.method == "REPLY", name
            assert reply.partstat == expected, name
            assert reply.uid and "@" in reply.address, name
        right.append(name)
    assert len(right) == len(cases)


def test_bluemind_reply_is_included_and_accepted(corpora: Path) -> None:
    (text, method), *_ = calendar_texts(corpora / BLUEMIND / DATA / "bluemind.reply.eml")
    reply = read_reply(text, mime_method=method)
    assert reply is not None and reply.partstat == "ACCEPTED"
    assert reply.address == "evelyne.dutouron@ledepartement00.zz"


def test_google_counter_is_a_counter(corpora: Path) -> None:
    texts = calendar_texts(corpora / BLUEMIND / DATA / "google_counter.eml")
    assert texts[0][1] == "COUNTER" or texts[0][1] == "REPLY"  # whatever the MIME part says …
    for text, _mime in texts:
        reply = read_reply(text, mime_method="REPLY")  # … the VCALENDAR's METHOD:COUNTER wins
        assert reply is not None and reply.method == "COUNTER" and reply.partstat == "TENTATIVE"
        assert reply.uid == "36da4919-6cf5-4ce9-aa18-6e56c1da2298"
        assert reply.proposed is not None
        assert reply.proposed.start == dt.datetime(2021, 1, 13, 18, 45, tzinfo=dt.timezone.utc)
        assert reply.proposed.duration == dt.timedelta(hours=1)


def test_bluemind_counter_ics(corpora: Path) -> None:
    path = corpora / BLUEMIND / "plugins/net.bluemind.lmtp.filter.imip.tests/ics/bluemind.counter.ics"
    reply = read_reply(path.read_bytes())
    assert reply is not None and reply.method == "COUNTER" and reply.proposed is not None
    assert reply.proposed.start.utcoffset() == dt.timedelta(hours=7)  # Asia/Ho_Chi_Minh
    declined = corpora / BLUEMIND / "plugins/net.bluemind.lmtp.filter.imip.tests/ics/bluemind.declinecounter.ics"
    assert read_reply(declined.read_bytes()) is None  # DECLINECOUNTER is the organizer's, not a reply


def test_an_attached_ics_is_not_a_reply(corpora: Path) -> None:
    texts = calendar_texts(corpora / BLUEMIND / DATA / "not.imip.1.eml")
    assert texts
    for text, mime_method in texts:
        assert read_reply(text, mime_method=mime_method) is None


def test_invitations_are_not_replies(corpora: Path) -> None:
    upstream = load(corpora / BLUEMIND / "expected_upstream.json")["cases"]
    requests = [c["file"] for c in upstream if c.get("method") in ("REQUEST", "CANCEL") and c["file"].endswith(".eml")]
    assert len(requests) >= 10
    for name in requests:
        for text, mime_method in calendar_texts(corpora / BLUEMIND / name):
            assert read_reply(text, mime_method=mime_method) is None, name


def test_upstream_methods_and_sequences(corpora: Path) -> None:
    for case in load(corpora / BLUEMIND / "expected_upstream.json")["cases"]:
        if "method" not in case or case["file"] in KNOWN:
            continue
        if case.get("recognised_as_imip") is False:
            continue
        texts = calendar_texts(corpora / BLUEMIND / case["file"])
        info = read_calendar(texts[0][0])
        assert info.method == case["method"], case["file"]
        if case.get("sequence_gt_0"):
            assert info.events[0].sequence > 0, case["file"]
        if "dtstart_utc" in case:
            start = info.events[0].start
            assert isinstance(start, dt.datetime)
            assert start.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z") == case["dtstart_utc"]
        if "first_attendee_mailto" in case:
            assert info.events[0].attendees[0].address == case["first_attendee_mailto"]


# --- bluemind-imip: every calendar's facts -----------------------------------------------------------


def test_every_bluemind_calendar_reads_its_facts(corpora: Path) -> None:
    root = corpora / BLUEMIND
    checked = 0
    for entry in load(root / "decoded_index.json")["files"]:
        if entry["file"] in KNOWN:
            continue
        expected = entry["calendar_parts"] if entry["kind"] == "email" else entry["calendar"]
        for (text, _mime), wanted in zip(calendar_texts(root / entry["file"]), expected):
            assert facts(read_calendar(text)) == expected_facts(wanted), entry["file"]
            checked += 1
    assert checked >= 90


def test_known_failures_fail_cleanly(corpora: Path) -> None:
    with pytest.raises(CalendarError):
        read_calendar((corpora / BLUEMIND / "parent/calendar/net.bluemind.calendar.service.tests/ics/obm.ics").read_bytes())


def test_outlook_zone_names_are_resolved(corpora: Path) -> None:
    """Outlook's "Sarajevo, Skopje, Warsaw, Zagreb" and "Romance Standard Time" come with their
    VTIMEZONE; Exchange's "(UTC+01:00) Bruxelles, …" without one resolves by its offset."""
    root = corpora / BLUEMIND
    (text, _), *_ = calendar_texts(root / DATA / "outlook.reply.accept.eml")
    start = read_calendar(text).events[0].start
    assert isinstance(start, dt.datetime) and start.utcoffset() == dt.timedelta(hours=2)  # May: CEST
    (text, _), *_ = calendar_texts(root / DATA / "exanchage.invite.eml")
    start = read_calendar(text).events[0].start
    assert isinstance(start, dt.datetime) and start.utcoffset() == dt.timedelta(hours=2)
    colon = (root / "parent/calendar/net.bluemind.calendar.service.tests/ics/colon_tzid.ics").read_bytes()
    start = read_calendar(colon).events[0].start
    assert isinstance(start, dt.datetime) and start.utcoffset() == dt.timedelta(hours=1)  # January


# --- mailing-list archives -----------------------------------------------------------------------------


def test_mailing_list_calendar_parts(corpora: Path) -> None:
    root = corpora / "mailing-list-archives"
    right = total = 0
    for entry in load(root / "index.json"):
        expected = entry.get("calendar_parts_decoded")
        if not expected:
            continue
        parts = read_email((root / entry["file"]).read_bytes()).calendars
        assert len(parts) == len(expected), entry["file"]
        for part, wanted in zip(parts, expected):
            total += 1
            info = read_calendar(part.text)
            assert facts(info) == expected_facts(wanted), entry["file"]
            assert info.events[0].sequence == int(wanted["sequence"] or 0), entry["file"]
            assert read_reply(part.text, mime_method=part.method) is None, entry["file"]
            right += 1
    assert (right, total) == (45, 45)


# --- icalendar's own test files ---------------------------------------------------------------------------


def test_icalendar_corpus_reads_or_fails_cleanly(corpora: Path) -> None:
    root = corpora / "icalendar"
    read = failed = 0
    for entry in load(root / "index.json"):
        path = root / entry["file"]
        if path.suffix != ".ics":
            continue
        try:
            info = read_calendar(path.read_bytes())
        except CalendarError:
            failed += 1
            continue
        read += 1
        assert info.method == entry["method"], entry["file"]
    assert read >= 170
    # The deliberately broken files: the readable event of parsing_error.ics is read (tolerance),
    # the impossible UTC offset is a CalendarError.
    calendars = root / "src/icalendar/tests/calendars"
    info = read_calendar((calendars / "parsing_error.ics").read_bytes())
    assert info.method == "PUBLISH" and len(info.events) == 2
    with pytest.raises(CalendarError, match="Offset"):
        read_calendar((calendars / "parsing_error_in_UTC_offset.ics").read_bytes())
