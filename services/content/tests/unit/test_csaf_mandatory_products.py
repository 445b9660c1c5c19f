"""Mandatory tests 6.1.1 - 6.1.6 on product ids and product groups."""

from content.domain.csaf.mandatory import products
from content.domain.csaf.validate import validate_document


def _paths(findings):
    return [f.path for f in findings]


def test_6_1_1_reference_to_undefined_product_fails(base_document):
    base_document["vulnerabilities"][0]["product_status"]["known_affected"].append("P9")
    assert _paths(products.missing_product_id_definition(base_document)) == [
        "/vulnerabilities/0/product_status/known_affected/1"]
    assert validate_document(base_document).failed_tests == ("6.1.1",)


def test_6_1_1_products_defined_by_relationships_count_as_defined(base_document):
    base_document["product_tree"]["relationships"] = [{
        "category": "installed_on", "product_reference": "P1", "relates_to_product_reference": "P2",
        "full_product_name": {"name": "Router 1.0 on Router 2.0", "product_id": "R1"}}]
    base_document["vulnerabilities"][0]["product_status"]["known_affected"].append("R1")
    assert products.missing_product_id_definition(base_document) == []


def test_6_1_2_product_defined_twice_fails(base_document):
    base_document["product_tree"]["full_product_names"] = [{"name": "Other", "product_id": "P1"}]
    assert _paths(products.multiple_product_id_definition(base_document)) == [
        "/product_tree/full_product_names/0/product_id"]


def test_6_1_3_relationship_that_defines_a_product_in_terms_of_itself_fails(base_document):
    base_document["product_tree"]["relationships"] = [{
        "category": "installed_on", "product_reference": "R1", "relates_to_product_reference": "P2",
        "full_product_name": {"name": "Loop", "product_id": "R1"}}]
    assert _paths(products.circular_product_id_definition(base_document)) == [
        "/product_tree/relationships/0/full_product_name/product_id"]


def test_6_1_3_indirect_cycle_through_two_relationships_fails(base_document):
    base_document["product_tree"]["relationships"] = [
        {"category": "installed_on", "product_reference": "R2", "relates_to_product_reference": "P2",
         "full_product_name": {"name": "A", "product_id": "R1"}},
        {"category": "installed_on", "product_reference": "R1", "relates_to_product_reference": "P1",
         "full_product_name": {"name": "B", "product_id": "R2"}},
    ]
    assert len(products.circular_product_id_definition(base_document)) == 2


def test_6_1_4_reference_to_undefined_group_fails(base_document):
    base_document["vulnerabilities"][0]["remediations"][0]["group_ids"] = ["G9"]
    assert _paths(products.missing_product_group_id_definition(base_document)) == [
        "/vulnerabilities/0/remediations/0/group_ids/0"]


def test_6_1_5_group_defined_twice_fails(base_document):
    base_document["product_tree"]["product_groups"].append({"group_id": "G1", "product_ids": ["P1", "P2"]})
    assert _paths(products.multiple_product_group_id_definition(base_document)) == [
        "/product_tree/product_groups/1/group_id"]


def test_6_1_6_product_both_affected_and_fixed_fails(base_document):
    base_document["vulnerabilities"][0]["product_status"]["fixed"].append("P1")
    assert _paths(products.contradicting_product_status(base_document)) == [
        "/vulnerabilities/0/product_status/known_affected/0", "/vulnerabilities/0/product_status/fixed/1"]


def test_6_1_6_recommended_does_not_contradict_affected(base_document):
    base_document["vulnerabilities"][0]["product_status"]["recommended"] = ["P1"]
    assert products.contradicting_product_status(base_document) == []
