"""The filesystem storage keeps only complete files; domain refusals map to HTTP answers."""

import pytest

from incidents.adapters.storage import FilesystemStorage
from incidents.domain.attachments import AttachmentTooLarge
from incidents.domain.errors import DomainError
from incidents.domain.reporting import complete_report
from incidents.entrypoints.common import field_errors, status_for

KEY = "0123456789abcdef0123456789abcdef"


async def test_a_saved_file_reads_back_whole(tmp_path):
    storage = FilesystemStorage(tmp_path)

    async def chunks():
        yield b"evidence "
        yield b"bytes"

    await storage.save(KEY, chunks())
    assert b"".join([c async for c in storage.read(KEY)]) == b"evidence bytes"
    await storage.delete(KEY)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


async def test_a_save_that_fails_midway_leaves_nothing(tmp_path):
    storage = FilesystemStorage(tmp_path)

    async def chunks():
        yield b"x" * 100
        raise AttachmentTooLarge(100)

    with pytest.raises(AttachmentTooLarge):
        await storage.save(KEY, chunks())
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_keys_cannot_name_a_path(tmp_path):
    with pytest.raises(ValueError):
        FilesystemStorage(tmp_path)._path("../../etc/passwd")


def test_an_incomplete_report_gives_one_error_per_field_with_422():
    with pytest.raises(DomainError) as refused:
        complete_report("early_warning", {"suspected_malicious": "ja"})
    errors = field_errors(refused.value)
    assert {e.field for e in errors} == {"cross_border_impact", "contact"}
    assert status_for(refused.value) == 422


def test_order_refusals_are_conflicts_and_too_large_is_413():
    assert status_for(DomainError("stage", "early_warning_first", "nl", "en")) == 409
    assert status_for(AttachmentTooLarge(10)) == 413
