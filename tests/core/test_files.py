"""imf.write_atomic: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import pytest

import imf


def test_writes_replace_the_file_and_leave_no_temporary_files(tmp_path):
    target = tmp_path / "docs" / "a.md"
    imf.write_atomic(target, "one\n")
    imf.write_atomic(target, "two\r\nлиния\n")
    assert target.read_bytes() == "two\r\nлиния\n".encode()
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]
    assert target.stat().st_mode & 0o777 == 0o644
    imf.write_atomic(target, "private\n", mode=0o600)
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "index.html"
    imf.write_atomic(target, "old page")
    with pytest.raises(UnicodeEncodeError):
        imf.write_atomic(target, "new page \udc80")
    assert target.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (" 1.5 ", 1.5), ("-3", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_seconds(header, expected):
    assert imf.parse_retry_after(header) == expected


def test_retry_after_http_date():
    assert imf.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412460.0) == 20.0
    assert imf.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0) == 0.0
