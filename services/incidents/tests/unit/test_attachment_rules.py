"""Counting, hashing and recognising an attachment while it streams in."""

import hashlib

import pytest

from incidents.domain.attachments import (
    AttachmentMeter,
    AttachmentTooLarge,
    detect_type,
    safe_filename,
)


def test_meter_counts_and_hashes_across_chunks():
    meter = AttachmentMeter(limit=100)
    for chunk in (b"abc", b"def", b""):
        meter.feed(chunk)
    assert meter.size == 6 and meter.sha256 == hashlib.sha256(b"abcdef").hexdigest()


def test_meter_refuses_on_the_chunk_that_passes_the_limit():
    meter = AttachmentMeter(limit=10)
    meter.feed(b"x" * 10)  # exactly the limit is fine
    with pytest.raises(AttachmentTooLarge) as refused:
        meter.feed(b"x")
    assert refused.value.field == "file" and refused.value.code == "too_large"


@pytest.mark.parametrize("declared", ["11", " 11 "])
def test_declared_length_over_the_limit_is_refused_before_reading(declared):
    with pytest.raises(AttachmentTooLarge):
        AttachmentMeter(limit=10).check_declared(declared)


@pytest.mark.parametrize("declared", [None, "10", "0", "not-a-number"])
def test_declared_length_within_or_unknown_is_checked_while_streaming(declared):
    AttachmentMeter(limit=10).check_declared(declared)


def test_type_comes_from_the_content_not_the_name():
    assert detect_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == "application/pdf"
    assert detect_type(b"\x89PNG\r\n\x1a\n" + b"\0" * 32) == "image/png"
    assert detect_type("Logregel met één accent\n".encode()) == "text/plain"
    assert detect_type(b"\x00\x01\x02\xff\xfe") == "application/octet-stream"


def test_filename_loses_its_path_and_control_characters():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\jan\\log\n.txt") == "log_.txt"
    assert safe_filename("") == "bijlage"
    assert len(safe_filename("a" * 1000)) == 200


def test_a_name_that_would_read_otherwise_on_screen_is_made_plain():
    assert safe_filename("évil\u202egpj.exe") == "évil_gpj.exe"  # not shown as "éviléxe.jpg"
    assert safe_filename("rapport\u200b.pdf") == "rapport_.pdf"
    assert safe_filename("verslag-2025.pdf") == "verslag-2025.pdf"
