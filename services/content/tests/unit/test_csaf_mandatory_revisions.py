"""Mandatory tests 6.1.14 and 6.1.16 - 6.1.22 on version, status and revision history."""

from content.domain.csaf.mandatory import revisions
from content.domain.csaf.versions import parse_version


def _tracking(document):
    return document["document"]["tracking"]


def _history(document, *numbers):
    _tracking(document)["revision_history"] = [
        {"number": n, "date": f"2024-0{i + 1}-01T10:00:00Z", "summary": "r"} for i, n in enumerate(numbers)]


def _paths(findings):
    return [f.path for f in findings]


def test_semantic_versions_order_pre_releases_before_the_release():
    assert parse_version("1.0.0-rc.2").sort_key() < parse_version("1.0.0").sort_key()
    assert parse_version("1.0.0-rc.2").sort_key() < parse_version("1.0.0-rc.10").sort_key()
    assert parse_version("1.2") is None  # neither an integer nor major.minor.patch


def test_6_1_14_revision_numbers_going_down_over_time_fail(base_document):
    _history(base_document, "2", "1")
    _tracking(base_document)["version"] = "1"
    assert _paths(revisions.sorted_revision_history(base_document)) == [
        "/document/tracking/revision_history/1/number"]


def test_6_1_16_version_that_is_not_the_latest_revision_fails(base_document):
    _tracking(base_document)["version"] = "1"
    assert _paths(revisions.latest_document_version(base_document)) == ["/document/tracking/version"]


def test_6_1_16_build_metadata_is_ignored(base_document):
    _history(base_document, "1.0.0", "1.1.0+build.7")
    _tracking(base_document)["version"] = "1.1.0+build.8"
    assert revisions.latest_document_version(base_document) == []


def test_6_1_16_draft_may_carry_a_pre_release_of_the_latest_revision(base_document):
    _history(base_document, "1.0.0", "2.0.0")
    _tracking(base_document).update(version="2.0.0-rc.1", status="draft")
    assert revisions.latest_document_version(base_document) == []


def test_6_1_17_version_zero_with_status_final_fails(base_document):
    _history(base_document, "0")
    _tracking(base_document)["version"] = "0"
    assert _paths(revisions.document_status_draft(base_document)) == ["/document/tracking/status"]
    _tracking(base_document)["status"] = "draft"
    assert revisions.document_status_draft(base_document) == []


def test_6_1_18_final_document_listing_a_zero_revision_fails(base_document):
    _history(base_document, "0", "1")
    _tracking(base_document)["version"] = "1"
    assert _paths(revisions.released_revision_history(base_document)) == [
        "/document/tracking/revision_history/0/number"]


def test_6_1_19_pre_release_in_revision_history_fails(base_document):
    _history(base_document, "1.0.0-rc.1", "1.0.0")
    assert _paths(revisions.pre_release_in_revision_history(base_document)) == [
        "/document/tracking/revision_history/0/number"]


def test_6_1_20_interim_document_with_pre_release_version_fails(base_document):
    _tracking(base_document).update(version="2.0.0-alpha", status="interim")
    assert _paths(revisions.non_draft_document_version(base_document)) == ["/document/tracking/version"]


def test_6_1_21_gap_in_revision_numbers_fails(base_document):
    _history(base_document, "1", "3")
    assert _paths(revisions.missing_item_in_revision_history(base_document)) == [
        "/document/tracking/revision_history/1/number"]


def test_6_1_21_history_starting_above_one_fails(base_document):
    _history(base_document, "2.0.0")
    assert _paths(revisions.missing_item_in_revision_history(base_document)) == [
        "/document/tracking/revision_history/0/number"]


def test_6_1_21_minor_steps_of_semantic_versions_may_skip(base_document):
    _history(base_document, "1.0.0", "1.4.0", "2.0.0")
    assert revisions.missing_item_in_revision_history(base_document) == []


def test_6_1_22_same_revision_number_twice_fails(base_document):
    _history(base_document, "1", "2", "2")
    assert _paths(revisions.multiple_definition_in_revision_history(base_document)) == [
        "/document/tracking/revision_history/2/number"]
