"""Proof of ownership by DNS TXT, and which claims of two organisations conflict."""
from __future__ import annotations

from incidents.domain.netdata import Kind
from incidents.domain.netdata.conflicts import ConflictReason, conflicts_of
from incidents.domain.netdata.proof import ProofMethod, challenge_name, challenge_value, check_txt, method_for

NAME = "_weerbaar-challenge.example.nl"


def test_the_challenge_lives_under_the_domain_and_under_a_wildcards_parent():
    assert challenge_name("example.nl", "_weerbaar-challenge") == NAME
    assert challenge_name("*.example.nl", "_weerbaar-challenge") == NAME


def test_the_txt_record_with_the_given_token_proves_the_domain_among_other_records():
    check = check_txt(["v=spf1 -all", challenge_value("tok-1")], "tok-1", NAME)
    assert check.proven and check.reason is None


def test_a_record_with_another_token_is_a_mismatch_that_says_so_in_both_languages():
    check = check_txt([challenge_value("someone-else")], "tok-1", NAME)
    assert not check.proven
    assert check.reason.code == "txt_record_mismatch"
    assert "ander" in check.reason.message_nl and "different" in check.reason.message_en
    assert challenge_value("tok-1") in check.reason.message_en


def test_no_record_or_no_name_is_reported_as_missing():
    assert check_txt([], "tok-1", NAME).reason.code == "txt_record_missing"
    assert check_txt(None, "tok-1", NAME).reason.code == "txt_record_missing"


def test_the_token_must_match_exactly_not_as_a_prefix():
    assert not check_txt([challenge_value("tok-10")], "tok-1", NAME).proven


def test_domains_are_proven_by_dns_and_prefixes_and_as_numbers_by_an_analyst():
    assert method_for(Kind.DOMAIN) == ProofMethod.DNS_TXT
    assert method_for(Kind.NETWORK) == method_for(Kind.ASN) == ProofMethod.ANALYST_APPROVAL


def test_the_same_value_wins_over_an_overlap_and_others_are_listed_once_sorted():
    (conflict,) = conflicts_of([
        ("network", "192.0.2.0/24", "org-b", "192.0.2.0/25"),
        ("network", "192.0.2.0/24", "org-a", "192.0.2.0/24"),
        ("network", "192.0.2.0/24", "org-a", "192.0.2.0/24"),
    ])
    assert conflict.reason == ConflictReason.SAME_VALUE
    assert conflict.others == (("org-a", "192.0.2.0/24"), ("org-b", "192.0.2.0/25"))
    assert conflict.other_organisation_ids == ("org-a", "org-b")


def test_a_prefix_inside_anothers_is_an_overlap_and_a_wildcard_is_the_same_domain():
    conflicts = conflicts_of([("network", "192.0.2.128/25", "org-a", "192.0.2.0/24"),
                              ("domain", "*.example.nl", "org-b", "example.nl")])
    assert [(c.kind, c.value, c.reason) for c in conflicts] == [
        (Kind.DOMAIN, "*.example.nl", ConflictReason.SAME_VALUE),
        (Kind.NETWORK, "192.0.2.128/25", ConflictReason.OVERLAP)]
