"""Mandatory tests 6.1.7, 6.1.9 and 6.1.10 on CVSS scores."""

from content.domain.csaf.mandatory import scores


def _cvss(document):
    return document["vulnerabilities"][0]["scores"][0]["cvss_v3"]


def test_6_1_7_two_scores_of_same_cvss_version_for_one_product_fail(base_document):
    base_document["vulnerabilities"][0]["scores"].append(
        {"products": ["P1"], "cvss_v3": dict(_cvss(base_document))})
    assert [f.path for f in scores.multiple_scores_same_version(base_document)] == [
        "/vulnerabilities/0/scores/1/products/0"]


def test_6_1_7_a_v3_0_and_a_v3_1_score_for_one_product_may_coexist(base_document):
    base_document["vulnerabilities"][0]["scores"].append({"products": ["P1"], "cvss_v3": {
        "version": "3.0", "vectorString": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "baseScore": 9.8, "baseSeverity": "CRITICAL"}})
    assert scores.multiple_scores_same_version(base_document) == []


def test_6_1_9_base_score_that_the_vector_does_not_compute_to_fails(base_document):
    _cvss(base_document)["baseScore"] = 7.5
    findings = scores.invalid_cvss_computation(base_document)
    assert [f.path for f in findings] == ["/vulnerabilities/0/scores/0/cvss_v3/baseScore"]
    assert "9.8" in findings[0].message_en


def test_6_1_9_wrong_severity_fails(base_document):
    _cvss(base_document)["baseSeverity"] = "HIGH"
    assert [f.path for f in scores.invalid_cvss_computation(base_document)] == [
        "/vulnerabilities/0/scores/0/cvss_v3/baseSeverity"]


def test_6_1_9_temporal_score_is_checked_too(base_document):
    cvss = _cvss(base_document)
    cvss["vectorString"] += "/E:U/RL:O/RC:C"
    cvss["temporalScore"] = 9.8  # the vector computes 8.5
    assert [f.path for f in scores.invalid_cvss_computation(base_document)] == [
        "/vulnerabilities/0/scores/0/cvss_v3/temporalScore"]


def test_6_1_9_cvss_v2_base_score_is_checked(base_document):
    base_document["vulnerabilities"][0]["scores"].append({"products": ["P1"], "cvss_v2": {
        "version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:C/I:C/A:C", "baseScore": 9.0}})
    assert [f.path for f in scores.invalid_cvss_computation(base_document)] == [
        "/vulnerabilities/0/scores/1/cvss_v2/baseScore"]


def test_6_1_10_property_contradicting_the_vector_fails(base_document):
    _cvss(base_document)["attackVector"] = "LOCAL"
    assert [f.path for f in scores.inconsistent_cvss(base_document)] == [
        "/vulnerabilities/0/scores/0/cvss_v3/attackVector"]


def test_6_1_10_property_for_a_metric_the_vector_leaves_out_is_no_contradiction(base_document):
    _cvss(base_document)["modifiedAttackVector"] = "LOCAL"
    assert scores.inconsistent_cvss(base_document) == []


def test_6_1_10_cvss_v2_property_contradicting_the_vector_fails(base_document):
    base_document["vulnerabilities"][0]["scores"].append({"products": ["P2"], "cvss_v2": {
        "version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:C/I:C/A:C", "baseScore": 10.0,
        "authentication": "SINGLE"}})
    assert [f.path for f in scores.inconsistent_cvss(base_document)] == [
        "/vulnerabilities/0/scores/1/cvss_v2/authentication"]
