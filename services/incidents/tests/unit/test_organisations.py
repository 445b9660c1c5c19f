"""Which organisations report with statutory deadlines."""

import pytest

from incidents.domain.organisations import reports_statutorily


@pytest.mark.parametrize("classification, statutory", [
    ("essential", True), ("important", True), ("not_in_scope", False)])
def test_essential_and_important_entities_report_statutorily(classification, statutory):
    assert reports_statutorily(classification) is statutory


def test_the_registry_entitlement_wins_over_the_classification():
    # A DORA bank is essential but reports to its supervisor; here only voluntarily.
    assert reports_statutorily("essential", ["incident_reporting.voluntary", "advisories.nis2"]) is False
    assert reports_statutorily("essential", ["incident_reporting.statutory"]) is True


def test_entitlements_about_other_services_do_not_decide_reporting():
    assert reports_statutorily("important", ["advisories.general"]) is True
