"""Mandatory tests 6.1.27.x (what each CSAF profile requires) and 6.1.28 - 6.1.33 (Errata 01)."""

from content.domain.csaf.mandatory import errata, profiles


def _paths(findings):
    return [f.path for f in findings]


def _as(document, category):
    document["document"]["category"] = category
    return document


def test_6_1_27_1_informational_advisory_without_describing_note_fails(base_document):
    doc = _as(base_document, "csaf_informational_advisory")
    assert _paths(profiles.document_notes(doc)) == ["/document/notes"]
    doc["document"]["notes"] = [{"category": "summary", "text": "What happened."}]
    assert profiles.document_notes(doc) == []


def test_6_1_27_2_incident_response_without_external_reference_fails(base_document):
    doc = _as(base_document, "csaf_security_incident_response")
    doc["document"]["references"] = [{"category": "self", "summary": "this", "url": "https://csirt.example/a"}]
    assert _paths(profiles.document_references(doc)) == ["/document/references"]


def test_6_1_27_3_informational_advisory_with_vulnerabilities_fails(base_document):
    assert _paths(profiles.informational_without_vulnerabilities(
        _as(base_document, "csaf_informational_advisory"))) == ["/vulnerabilities"]


def test_6_1_27_4_security_advisory_without_product_tree_fails(base_document):
    del base_document["product_tree"]
    assert _paths(profiles.product_tree_present(_as(base_document, "csaf_security_advisory"))) == ["/product_tree"]


def test_6_1_27_5_vex_vulnerability_without_notes_fails(base_document):
    del base_document["vulnerabilities"][0]["notes"]
    assert _paths(profiles.vulnerability_notes(_as(base_document, "csaf_vex"))) == ["/vulnerabilities/0/notes"]


def test_6_1_27_6_security_advisory_vulnerability_without_product_status_fails(base_document):
    del base_document["vulnerabilities"][0]["product_status"]
    assert _paths(profiles.product_status_present(_as(base_document, "csaf_security_advisory"))) == [
        "/vulnerabilities/0/product_status"]


def test_6_1_27_7_vex_with_only_first_affected_status_fails(base_document):
    base_document["vulnerabilities"][0]["product_status"] = {"first_affected": ["P1"]}
    assert _paths(profiles.vex_product_status(_as(base_document, "csaf_vex"))) == [
        "/vulnerabilities/0/product_status"]


def test_6_1_27_8_vex_vulnerability_without_any_id_fails(base_document):
    del base_document["vulnerabilities"][0]["cve"]
    assert _paths(profiles.vex_vulnerability_id(_as(base_document, "csaf_vex"))) == ["/vulnerabilities/0"]


def test_6_1_27_9_vex_not_affected_product_without_impact_statement_fails(base_document):
    base_document["vulnerabilities"][0]["product_status"] = {"known_not_affected": ["P1", "P2"]}
    base_document["vulnerabilities"][0]["flags"] = [{"label": "vulnerable_code_not_present", "product_ids": ["P1"]}]
    assert _paths(profiles.vex_impact_statement(_as(base_document, "csaf_vex"))) == [
        "/vulnerabilities/0/product_status/known_not_affected/1"]


def test_6_1_27_10_vex_affected_product_without_action_statement_fails(base_document):
    base_document["vulnerabilities"][0]["remediations"] = [{"category": "none_available", "details": "-", "product_ids": ["P2"]}]
    assert _paths(profiles.vex_action_statement(_as(base_document, "csaf_vex"))) == [
        "/vulnerabilities/0/product_status/known_affected/0"]


def test_6_1_27_10_action_statement_through_a_product_group_counts(base_document):
    base_document["vulnerabilities"][0]["remediations"] = [{"category": "workaround", "details": "-", "group_ids": ["G1"]}]
    assert profiles.vex_action_statement(_as(base_document, "csaf_vex")) == []


def test_6_1_27_11_security_advisory_without_vulnerabilities_fails(base_document):
    del base_document["vulnerabilities"]
    assert _paths(profiles.vulnerabilities_present(_as(base_document, "csaf_security_advisory"))) == ["/vulnerabilities"]


def test_profile_tests_leave_csaf_base_alone(base_document):
    del base_document["vulnerabilities"]
    del base_document["product_tree"]
    assert profiles.product_tree_present(base_document) == profiles.vulnerabilities_present(base_document) == []


def test_6_1_28_translation_into_its_own_language_fails(base_document):
    base_document["document"]["source_lang"] = "en"
    assert _paths(errata.translation(base_document)) == ["/document/source_lang"]


def test_6_1_29_remediation_without_products_fails(base_document):
    base_document["vulnerabilities"][0]["remediations"].append({"category": "mitigation", "details": "Block port."})
    assert _paths(errata.remediation_without_product_reference(base_document)) == ["/vulnerabilities/0/remediations/1"]


def test_6_1_30_mixed_integer_and_semantic_versions_fail(base_document):
    base_document["document"]["tracking"]["revision_history"][0]["number"] = "1.0.0"
    assert _paths(errata.mixed_integer_and_semantic_versioning(base_document)) == [
        "/document/tracking/revision_history/0/number"]


def test_6_1_31_version_range_in_product_version_branch_fails(base_document):
    branch = base_document["product_tree"]["branches"][0]["branches"][0]["branches"][1]
    branch["name"] = "2.0 and later"
    assert _paths(errata.version_range_in_product_version(base_document)) == [
        "/product_tree/branches/0/branches/0/branches/1/name"]
    branch["name"] = "after-eight"  # a name, not a range
    assert errata.version_range_in_product_version(base_document) == []


def test_6_1_32_flag_without_products_fails(base_document):
    base_document["vulnerabilities"][0]["flags"] = [{"label": "component_not_present"}]
    assert _paths(errata.flag_without_product_reference(base_document)) == ["/vulnerabilities/0/flags/0"]


def test_6_1_33_product_with_two_flags_through_a_group_fails(base_document):
    base_document["vulnerabilities"][0]["flags"] = [
        {"label": "component_not_present", "product_ids": ["P2"]},
        {"label": "vulnerable_code_not_present", "group_ids": ["G1"]},
    ]
    assert _paths(errata.multiple_flags_per_product(base_document)) == ["/vulnerabilities/0/flags/1"]
