"""Validation of whole uploads: the real files of shared/data/csaf and broken bytes."""

import json

from content.domain.csaf.mandatory import MANDATORY_TESTS
from content.domain.csaf.validate import MAX_NESTING, nesting_depth, validate_csaf, validate_document


def test_bsi_advisory_is_accepted(csaf_data):
    result = validate_csaf((csaf_data / "bsi-2022-0001.json").read_bytes())
    assert result.valid, result.findings


def test_large_cisco_advisory_with_custom_category_is_accepted(csaf_data):
    result = validate_csaf((csaf_data / "cisco-sa-20180328-smi2.json").read_bytes())
    assert result.valid, result.findings


def test_red_hat_advisory_with_relationship_products_is_accepted(csaf_data):
    result = validate_csaf((csaf_data / "rhsa-2022_0011.json").read_bytes())
    assert result.valid, result.findings


def test_schema_valid_document_with_undefined_product_id_is_refused_naming_6_1_1(csaf_data):
    result = validate_csaf((csaf_data / "oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json").read_bytes())
    assert not result.valid
    assert result.failed_tests == ("6.1.1",)
    assert result.paths_of("6.1.1") == (
        "/product_tree/product_groups/0/product_ids/0",
        "/product_tree/product_groups/0/product_ids/1",
    )
    assert "CSAFPID-9080700" in result.findings[0].message_en
    assert "CSAFPID-9080700" in result.findings[0].message_nl


def test_utf8_byte_order_mark_is_accepted(base_document):
    raw = b"\xef\xbb\xbf" + json.dumps(base_document).encode("utf-8")
    assert validate_csaf(raw).valid


def test_bytes_that_are_not_json_are_refused_as_json():
    result = validate_csaf(b"{not json")
    assert result.failed_tests == ("json",) and result.document is None


def test_bytes_that_are_not_utf8_are_refused_as_json():
    assert validate_csaf(b'{"a": "\xff"}').failed_tests == ("json",)


def test_json_that_is_not_an_object_is_refused():
    assert validate_csaf(b"[1, 2]").failed_tests == ("json",)


def test_schema_violation_names_the_path(base_document):
    del base_document["document"]["title"]
    result = validate_document(base_document)
    assert result.failed_tests == ("schema",)
    assert result.paths_of("schema") == ("/document",)


def test_impossible_date_is_a_schema_violation(base_document):
    base_document["document"]["tracking"]["current_release_date"] = "2024-02-30T10:00:00Z"
    result = validate_document(base_document)
    assert result.paths_of("schema") == ("/document/tracking/current_release_date",)


def test_cvss_object_not_matching_its_schema_fails_6_1_8(base_document):
    base_document["vulnerabilities"][0]["scores"][0]["cvss_v3"]["attackVector"] = "SATELLITE"
    result = validate_document(base_document)
    assert result.failed_tests == ("6.1.8",)
    assert result.paths_of("6.1.8")[0].startswith("/vulnerabilities/0/scores/0/cvss_v3")


def test_cvss_v2_object_not_matching_its_schema_fails_6_1_8(base_document):
    base_document["vulnerabilities"][0]["scores"].append(
        {"products": ["P1"], "cvss_v2": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:C/I:C/A:C", "baseScore": 11}})
    assert validate_document(base_document).failed_tests == ("6.1.8",)


def test_mandatory_tests_do_not_run_on_a_document_the_schema_refuses(base_document):
    base_document["document"]["csaf_version"] = "1.2"
    base_document["product_tree"]["product_groups"][0]["product_ids"] = ["P1", "NOPE"]
    assert validate_document(base_document).failed_tests == ("schema",)


def test_every_mandatory_test_passes_the_sample_document(base_document):
    assert {test: run(base_document) for test, run in MANDATORY_TESTS.items() if run(base_document)} == {}


def test_deeply_nested_json_is_refused_as_invalid_json_not_a_crash():
    result = validate_csaf(b"[" * 100_000 + b"]" * 100_000)
    assert result.failed_tests == ("json",) and result.document is None
    assert "100" in result.findings[0].message_en and "100" in result.findings[0].message_nl


def test_an_object_nested_past_the_limit_but_parseable_is_refused_before_the_schema(base_document):
    deep: object = "x"
    for _ in range(500):
        deep = {"a": deep}
    result = validate_csaf(json.dumps(base_document | {"x_deep": deep}).encode())
    assert result.failed_tests == ("json",)


def test_real_advisories_stay_far_below_the_nesting_limit(csaf_data):
    for path in csaf_data.glob("*.json"):
        assert nesting_depth(json.loads(path.read_bytes())) < MAX_NESTING / 4, path.name
