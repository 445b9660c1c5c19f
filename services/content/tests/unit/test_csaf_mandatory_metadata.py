"""Mandatory tests 6.1.12, 6.1.13, 6.1.15 and 6.1.23 - 6.1.26."""

import pytest

from content.domain.csaf.mandatory import metadata


def _paths(findings):
    return [f.path for f in findings]


def test_6_1_12_unregistered_language_fails(base_document):
    base_document["document"]["lang"] = "xx"
    assert _paths(metadata.language(base_document)) == ["/document/lang"]


@pytest.mark.parametrize("tag", ["en-US", "de-DE-1996", "i-default", "qtx", "en-QM", "en-Latn", "nl"])
def test_6_1_12_registered_private_use_and_discouraged_but_valid_languages_pass(base_document, tag):
    base_document["document"]["lang"] = tag
    assert metadata.language(base_document) == []


def test_6_1_12_source_language_is_checked_too(base_document):
    base_document["document"]["source_lang"] = "en-ZY"
    assert _paths(metadata.language(base_document)) == ["/document/source_lang"]


def test_6_1_13_malformed_package_url_fails(base_document):
    product = base_document["product_tree"]["branches"][0]["branches"][0]["branches"][0]["product"]
    product["product_identification_helper"] = {"purl": "pkg:maven/@1.0"}  # passes the schema pattern, has no name
    assert _paths(metadata.purl(base_document)) == [
        "/product_tree/branches/0/branches/0/branches/0/product/product_identification_helper/purl"]


def test_6_1_13_well_formed_package_url_passes(base_document):
    base_document["product_tree"]["full_product_names"] = [{"name": "lib", "product_id": "L1",
        "product_identification_helper": {"purl": "pkg:pypi/jsonschema@4.26.0"}}]
    assert metadata.purl(base_document) == []


def test_6_1_15_translation_without_source_language_fails(base_document):
    base_document["document"]["publisher"]["category"] = "translator"
    assert _paths(metadata.translator(base_document)) == ["/document/source_lang"]
    base_document["document"]["source_lang"] = "de"
    assert metadata.translator(base_document) == []


def test_6_1_23_same_cve_in_two_vulnerabilities_fails(base_document):
    base_document["vulnerabilities"].append({"cve": "CVE-2024-0001", "notes": [{"category": "description", "text": "again"}]})
    assert _paths(metadata.multiple_use_of_same_cve(base_document)) == ["/vulnerabilities/1/cve"]


def test_6_1_24_same_party_and_date_twice_in_involvements_fails(base_document):
    involvement = {"party": "vendor", "status": "in_progress", "date": "2024-01-01T10:00:00Z"}
    base_document["vulnerabilities"][0]["involvements"] = [
        involvement, {**involvement, "status": "completed", "date": "2024-01-01T11:00:00+01:00"}]
    assert _paths(metadata.multiple_definition_in_involvements(base_document)) == [
        "/vulnerabilities/0/involvements/1"]


def test_6_1_25_same_hash_algorithm_twice_for_one_file_fails(base_document):
    base_document["product_tree"]["full_product_names"] = [{"name": "file", "product_id": "F1",
        "product_identification_helper": {"hashes": [{"filename": "a.bin", "file_hashes": [
            {"algorithm": "sha256", "value": "a" * 64}, {"algorithm": "sha256", "value": "b" * 64}]}]}}]
    assert _paths(metadata.multiple_use_of_same_hash_algorithm(base_document)) == [
        "/product_tree/full_product_names/0/product_identification_helper/hashes/0/file_hashes/1/algorithm"]


@pytest.mark.parametrize("category", ["Security Advisory", "security-advisory", "VEX", "csaf_news", "CSAF Security Advisory"])
def test_6_1_26_category_posing_as_a_profile_fails(base_document, category):
    base_document["document"]["category"] = category
    assert _paths(metadata.prohibited_document_category_name(base_document)) == ["/document/category"]


@pytest.mark.parametrize("category", ["Cisco Security Advisory", "csaf_vex", "Beveiligingsadvies"])
def test_6_1_26_own_category_names_and_profile_values_pass(base_document, category):
    base_document["document"]["category"] = category
    assert metadata.prohibited_document_category_name(base_document) == []
