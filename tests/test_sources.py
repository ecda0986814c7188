import mailbox
from pathlib import Path

from mailbot.sources import count_messages, read_sources

MSG = b"From: a@b.example\r\nSubject: %d\r\nMessage-ID: <%d@b.example>\r\n\r\nbody %d\r\n"


def _msg(n: int) -> bytes:
    return MSG % (n, n, n)


def test_reads_eml_files_mbox_and_maildir_in_order(tmp_path: Path) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(_msg(1))
    box = mailbox.mbox(tmp_path / "box.mbox")
    for n in (2, 3):
        box.add(_msg(n))
    box.close()
    maildir = mailbox.Maildir(tmp_path / "md")
    maildir.add(_msg(4))
    maildir.close()
    items = list(read_sources([str(eml), str(tmp_path / "box.mbox"), str(tmp_path / "md")]))
    assert [i.error for i in items] == [None] * 4
    assert [i.raw.split(b"Subject: ")[1][:1] for i in items] == [b"1", b"2", b"3", b"4"]
    assert items[1].source.endswith("box.mbox#1") and items[2].source.endswith("box.mbox#2")
    assert all(i.received is not None for i in items)


def test_missing_path_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    eml = tmp_path / "ok.eml"
    eml.write_bytes(_msg(1))
    items = list(read_sources([str(tmp_path / "absent.eml"), str(eml)]))
    assert items[0].error == "no such file or folder"
    assert items[1].error is None and items[1].raw == _msg(1)


def test_plain_folder_is_read_as_message_files(tmp_path: Path) -> None:
    for n in (2, 1):
        (tmp_path / f"{n}.eml").write_bytes(_msg(n))
    (tmp_path / ".hidden").write_bytes(b"x")
    items = list(read_sources([str(tmp_path)]))
    assert [Path(i.source).name for i in items] == ["1.eml", "2.eml"]
    assert count_messages([str(tmp_path)]) == 2


def test_stdin(tmp_path: Path) -> None:
    (item,) = read_sources(["-"], stdin=_msg(7))
    assert item.source == "-" and item.raw == _msg(7)
