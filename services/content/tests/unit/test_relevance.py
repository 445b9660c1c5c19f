"""Is an advisory about a product the organisation runs?"""

from content.domain.csaf.products import Product
from content.domain.relevance import RunProduct, is_relevant, matches, relevant_products

IOS = Product("P1", "Cisco IOS 12.2SE 12.2(55)SE", vendor="Cisco", product="IOS", version="12.2SE")
BIOS = Product("P2", "Acme BIOS 2.1", vendor="Acme", product="BIOS")
TELNET_ON_RHEL = Product(
    "R1", "telnet-server as a component of RHEL 7.6", vendor="Red Hat", relationship="default_component_of",
    component=Product("C", "telnet-server-1:0.17-65.el7_6.x86_64"),
    platform=Product("L", "Red Hat Enterprise Linux Server AUS (v. 7.6)", vendor="Red Hat", product="Red Hat Enterprise Linux"))


def test_product_matches_case_insensitively_by_whole_words():
    assert matches(IOS, RunProduct("ios"))
    assert not matches(BIOS, RunProduct("IOS"))


def test_vendor_must_match_when_given():
    assert matches(IOS, RunProduct("IOS", vendor="cisco"))
    assert not matches(IOS, RunProduct("IOS", vendor="Juniper"))


def test_relationship_product_matches_from_either_side():
    assert matches(TELNET_ON_RHEL, RunProduct("Red Hat Enterprise Linux", vendor="Red Hat"))
    assert matches(TELNET_ON_RHEL, RunProduct("telnet-server"))


def test_advisory_is_relevant_when_any_affected_product_matches():
    assert relevant_products([BIOS, IOS], [RunProduct("IOS XE"), RunProduct("IOS")]) == (IOS,)
    assert is_relevant([BIOS, IOS], [RunProduct("ios")])
    assert not is_relevant([BIOS], [RunProduct("IOS")])
    assert not is_relevant([IOS], [])
