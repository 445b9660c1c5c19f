"""What the portal keeps of an advisory, read from the real files and small variations."""

import copy
import json

import pytest

from content.domain.csaf.extract import diff_advisories, extract_advisory
from content.domain.csaf.products import describe
from content.domain.csaf.ratings import Level, Urgency, csirt_rating
from content.domain.csaf.validate import validate_csaf
from content.domain.errors import DomainError
from content.domain.tlp import Tlp


def _load(csaf_data, name):
    result = validate_csaf((csaf_data / name).read_bytes())
    assert result.valid, result.findings
    return result.document


def test_bsi_advisory_is_read_with_tlp_white_as_clear(csaf_data):
    advisory = extract_advisory(_load(csaf_data, "bsi-2022-0001.json"))
    assert advisory.tracking_id == "BSI-2022-0001"
    assert (advisory.version, advisory.status) == ("1", "final")
    assert advisory.tlp is Tlp.CLEAR
    assert advisory.cves == ("CVE-2022-27193",)
    assert advisory.initial_release_date.isoformat() == "2022-03-17T13:03:42.105000+00:00"


def test_bsi_affected_products_resolve_through_branches(csaf_data):
    advisory = extract_advisory(_load(csaf_data, "bsi-2022-0001.json"))
    assert [p.name for p in advisory.affected][0] == "CSAF Tools CVRF-CSAF-Converter 1.0.0-alpha"
    assert len(advisory.affected) == 5 and all(p.resolved for p in advisory.affected)
    first = advisory.affected[0]
    assert (first.vendor, first.product, first.version) == ("CSAF Tools", "CVRF-CSAF-Converter", "1.0.0-alpha")
    assert [p.name for p in advisory.fixed] == ["CSAF Tools CVRF-CSAF-Converter 1.0.0-rc2"]


def test_bsi_cvss_v3_scores_are_kept_per_product(csaf_data):
    advisory = extract_advisory(_load(csaf_data, "bsi-2022-0001.json"))
    assert len(advisory.scores) == 5
    score = advisory.scores[0]
    assert (score.cve, score.product_id, score.base_score, score.version) == ("CVE-2022-27193", "CSAFPID-0001", 6.1, "3.1")
    assert score.vector.startswith("CVSS:3.1/AV:L")


def test_cisco_advisory_without_tlp_leaves_the_label_to_the_caller(csaf_data):
    advisory = extract_advisory(_load(csaf_data, "cisco-sa-20180328-smi2.json"))
    assert advisory.tlp is None  # never silently CLEAR: the caller applies and records its default
    assert advisory.category == "Cisco Security Advisory"
    assert len(advisory.affected) == 259 and all(p.resolved for p in advisory.affected)
    assert advisory.summary.startswith("A vulnerability in the Smart Install feature")


def test_red_hat_products_that_exist_only_through_relationships_all_resolve(csaf_data):
    document = _load(csaf_data, "rhsa-2022_0011.json")
    advisory = extract_advisory(document)
    fixed_ids = {pid for v in document["vulnerabilities"] for pid in v["product_status"]["fixed"]}
    assert {p.product_id for p in advisory.fixed} == fixed_ids
    assert all(p.resolved and p.component and p.platform for p in advisory.fixed)
    product = advisory.products["7Server-7.6.AUS:telnet-1:0.17-65.el7_6.src"]
    assert describe(product) == "telnet-1:0.17-65.el7_6.src as a component of Red Hat Enterprise Linux Server AUS (v. 7.6)"
    assert product.vendor == "Red Hat"


def test_notes_of_category_summary_are_the_summary(base_document):
    base_document["document"]["notes"] = [{"category": "summary", "text": "In short."},
                                          {"category": "details", "text": "At length."}]
    assert extract_advisory(base_document).summary == "In short."


def test_products_are_sorted_into_affected_fixed_not_affected_and_under_investigation(base_document):
    base_document["product_tree"]["full_product_names"] = [{"name": "X", "product_id": "X"},
                                                          {"name": "Y", "product_id": "Y"}]
    base_document["vulnerabilities"][0]["product_status"].update(
        last_affected=["P1"], known_not_affected=["X"], under_investigation=["Y"])
    advisory = extract_advisory(base_document)
    assert [p.product_id for p in advisory.affected] == ["P1"]  # known_ and last_affected: once
    assert [p.product_id for p in advisory.not_affected] == ["X"]
    assert [p.product_id for p in advisory.under_investigation] == ["Y"]


@pytest.mark.parametrize("notes, probability, damage", [
    ([{"category": "general", "title": "Kans", "text": "medium"},
      {"category": "general", "title": "Schade", "text": "high"}], Level.MEDIUM, Level.HIGH),
    ([{"category": "general", "title": "Probability", "text": "Low"}], Level.LOW, None),
])
def test_csirt_probability_and_damage_are_read_from_notes(base_document, notes, probability, damage):
    base_document["document"]["notes"] = notes
    rating = csirt_rating(base_document)
    assert (rating.probability, rating.damage) == (probability, damage)


@pytest.mark.parametrize("text, probability, damage, urgency", [
    ("Kans: medium, Schade: high", Level.MEDIUM, Level.HIGH, None),
    ("medium/high", Level.MEDIUM, Level.HIGH, None),
    ("Urgent", None, None, Urgency.URGENT),
    ("normaal", None, None, Urgency.NORMAL),
    ("Moderate", None, None, None),  # a vendor's own scale: kept as text, not guessed
])
def test_csirt_ratings_are_read_from_aggregate_severity(base_document, text, probability, damage, urgency):
    base_document["document"]["aggregate_severity"] = {"text": text}
    rating = csirt_rating(base_document)
    assert (rating.probability, rating.damage, rating.urgency) == (probability, damage, urgency)
    assert rating.aggregate_severity == text


def test_diff_reports_version_status_cves_products_and_scores(base_document):
    before = extract_advisory(base_document)
    changed = copy.deepcopy(base_document)
    tracking = changed["document"]["tracking"]
    tracking["version"] = "3"
    tracking["revision_history"].append({"number": "3", "date": "2024-03-01T10:00:00Z", "summary": "More."})
    vulnerability = changed["vulnerabilities"][0]
    vulnerability["product_status"] = {"fixed": ["P1", "P2"]}
    vulnerability["scores"][0]["cvss_v3"].update(
        vectorString="CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", baseScore=8.1, baseSeverity="HIGH")
    changed["vulnerabilities"].append({"cve": "CVE-2024-0002", "notes": [{"category": "description", "text": "b"}]})
    assert validate_csaf(json.dumps(changed).encode()).valid
    diff = diff_advisories(before, extract_advisory(changed))
    assert (diff.version_before, diff.version_after) == ("2", "3")
    assert diff.cves_added == ("CVE-2024-0002",) and diff.cves_removed == ()
    assert {(c.status, c.added, c.removed) for c in diff.products_changed} == {
        ("affected", (), ("P1",)), ("fixed", ("P1",), ())}
    assert [(s.product_id, s.before, s.after) for s in diff.scores_changed] == [("P1", 9.8, 8.1)]
    assert diff.changed


def test_diff_of_identical_revisions_reports_no_change(base_document):
    advisory = extract_advisory(base_document)
    assert not diff_advisories(advisory, advisory).changed


def test_diff_refuses_two_different_advisories(base_document):
    other = copy.deepcopy(base_document)
    other["document"]["tracking"]["id"] = "OTHER-1"
    with pytest.raises(DomainError) as raised:
        diff_advisories(extract_advisory(base_document), extract_advisory(other))
    assert raised.value.code == "csaf.diff.different_advisories"
    assert raised.value.message_nl and raised.value.message_en
