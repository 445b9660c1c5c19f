"""Matching feeds against the register: the real feed samples and the rules behind them."""

from __future__ import annotations

from weerbaar_platform.testing import shared_data
import io
import pathlib
import random
from datetime import UTC, datetime

import pytest

from incidents.domain.netdata import FeedReader, FeedUnreadable, MatchedBy, Register, match_feed, parse_feed_time

FEEDS = shared_data("feeds")

REGISTER = [
    ("org-address", "network", "198.51.100.0/24"),
    ("org-asn-a", "asn", "AS41881"),
    ("org-asn-b", "asn", "AS14618"),
    ("org-v6-wide", "network", "2001:db8::/32"),
    ("org-v6-narrow", "network", "2001:db8::/64"),
    ("org-v6-other", "network", "2001:db8:1::/48"),
    ("org-host", "domain", "example.local"),
]


def _match(text_or_path, register=REGISTER):
    if isinstance(text_or_path, pathlib.Path):
        with text_or_path.open(encoding="utf-8-sig", newline="") as feed:
            return match_feed(FeedReader(feed), Register(register))
    return match_feed(FeedReader(io.StringIO(text_or_path, newline="")), Register(register))


def test_log4shell_rows_of_one_address_make_one_finding_for_the_address_owner_not_the_asns():
    result = _match(FEEDS / "scan_log4shell_vulnerable.csv")
    assert set(result.findings) == {"org-address"}
    (finding,) = result.findings["org-address"]
    assert (finding.subject, finding.matched_by, finding.registration) == (
        "198.51.100.147", MatchedBy.NETWORK, "198.51.100.0/24")
    assert finding.rows == [1, 2, 3]
    assert (result.rows_total, result.rows_matched, result.rows_unmatched) == (3, 3, 0)


def test_log4shell_evidence_is_read_back_with_ports_and_times_in_utc():
    path = FEEDS / "scan_log4shell_vulnerable.csv"
    (finding,) = _match(path).findings["org-address"]
    with path.open(encoding="utf-8-sig", newline="") as feed:
        reader = FeedReader(feed)
        rows = reader.rows_by_number(set(finding.rows))
    records = [reader.layout.record(rows[n]) for n in finding.rows]
    assert [r.port for r in records] == [80, 443, 8080]
    assert {r.asn for r in records} == {41881, 14618}
    assert records[0].timestamp == datetime(2021, 12, 13, 13, 58, tzinfo=UTC)
    assert records[0].extra["tag"] == "cve-2021-44228"


def test_ipv6_telnet_rows_go_to_the_most_specific_registration_under_2001_db8():
    result = _match(FEEDS / "scan6_telnet.sanitized.csv")
    assert set(result.findings) == {"org-v6-narrow"}
    assert [f.subject for f in result.findings["org-v6-narrow"]] == ["2001:db8::12", "2001:db8::13"]


def test_ipv6_telnet_rows_go_to_the_owner_of_2001_db8_without_a_more_specific_one():
    register = [r for r in REGISTER if r[0] != "org-v6-narrow"]
    result = _match(FEEDS / "scan6_telnet.sanitized.csv", register)
    assert set(result.findings) == {"org-v6-wide"}
    assert all(f.registration == "2001:db8::/32" for f in result.findings["org-v6-wide"])


def test_the_result_does_not_depend_on_the_order_of_registration():
    feed = "ip\n198.51.100.7\n198.51.100.200\n192.0.2.9\n"
    register = [("a", "network", "198.51.100.0/24"), ("b", "network", "198.51.100.0/25"),
                ("c", "network", "198.51.100.0/24"), ("d", "network", "192.0.2.0/24")]
    outcomes = set()
    for seed in range(6):
        shuffled = register[:]
        random.Random(seed).shuffle(shuffled)
        result = _match(feed, shuffled)
        outcomes.add(tuple((org, f.subject) for org, fs in sorted(result.findings.items()) for f in fs))
    assert outcomes == {(("a", "198.51.100.200"), ("b", "198.51.100.7"), ("c", "198.51.100.200"),
                         ("d", "192.0.2.9"))}


def test_ipv4_mapped_ipv6_addresses_count_as_ipv4_and_group_with_the_plain_form():
    result = _match("ip,port\n::ffff:198.51.100.9,80\n198.51.100.9,443\n")
    (finding,) = result.findings["org-address"]
    assert (finding.subject, finding.rows) == ("198.51.100.9", [1, 2])


def test_spellings_of_one_ipv6_address_group_into_one_finding():
    result = _match("ip\n2001:DB8::12\n2001:0db8:0:0::12\n")
    (finding,) = result.findings["org-v6-narrow"]
    assert (finding.subject, finding.rows) == ("2001:db8::12", [1, 2])


def test_without_an_address_match_the_as_number_decides():
    result = _match("ip,asn\n203.0.113.5,AS14618\n")
    (finding,) = result.findings["org-asn-b"]
    assert (finding.matched_by, finding.registration, finding.subject) == (MatchedBy.ASN, "AS14618", "203.0.113.5")


def test_without_address_or_asn_match_a_parent_domain_of_the_hostname_decides():
    result = _match("ip,asn,hostname\n203.0.113.5,64999,Router.Example.Local.\n")
    (finding,) = result.findings["org-host"]
    assert (finding.matched_by, finding.registration) == (MatchedBy.DOMAIN, "example.local")


def test_a_wildcard_matches_names_below_it_only():
    register = [("w", "domain", "*.example.nl")]
    result = _match("hostname\nwww.example.nl\nexample.nl\n", register)
    assert [f.subject for f in result.findings["w"]] == ["www.example.nl"]
    assert result.rows_unmatched == 1


def test_the_most_specific_domain_wins():
    register = [("parent", "domain", "example.nl"), ("child", "domain", "shop.example.nl")]
    result = _match("hostname\na.shop.example.nl\nwww.example.nl\n", register)
    assert [f.subject for f in result.findings["child"]] == ["a.shop.example.nl"]
    assert [f.subject for f in result.findings["parent"]] == ["www.example.nl"]


def test_a_cidr_row_goes_to_the_covering_owner_and_partly_to_owners_inside_it():
    register = [("wide", "network", "2001:db8::/32"), ("inner", "network", "2001:db8:0:1::/64"),
                ("elsewhere", "network", "192.0.2.0/24")]
    result = _match("ip\n2001:db8::/48\n", register)
    assert [(f.registration, f.partial) for f in result.findings["wide"]] == [("2001:db8::/32", False)]
    assert [(f.registration, f.partial) for f in result.findings["inner"]] == [("2001:db8:0:1::/64", True)]
    assert "elsewhere" not in result.findings


def test_rows_that_match_nobody_are_counted_and_unreadable_addresses_go_to_review():
    result = _match("ip\n203.0.113.1\n203.0.113.1\n192.000.002.001\nnot-an-address\n")
    assert result.findings == {}
    assert (result.rows_total, result.rows_matched, result.rows_unmatched) == (4, 0, 2)
    assert [(item.line, item.value) for item in result.review] == [(4, "192.000.002.001"), (5, "not-an-address")]


def test_a_plain_list_of_addresses_is_a_feed_too():
    result = _match("# sinkhole hits\n198.51.100.1\n\n2001:db8::1\n")
    assert set(result.findings) == {"org-address", "org-v6-narrow"}


def test_feed_times_without_offset_are_utc_and_offsets_are_converted():
    assert parse_feed_time("2021-12-13 13:58:00") == datetime(2021, 12, 13, 13, 58, tzinfo=UTC)
    assert parse_feed_time("2021-12-13T14:58:00+01:00") == datetime(2021, 12, 13, 13, 58, tzinfo=UTC)


@pytest.mark.parametrize("feed", [
    "ip,hostname\n198.51.100.1," + "a" * 200_000 + "\n",  # a field over csv's 128 KiB limit
    "1" * 200_000 + "\n",  # the first line itself
    'ip,hostname\n198.51.100.1,"' + "x\n" * 70_000,  # a quote left open swallows the rest
], ids=["long-field", "long-first-line", "open-quote"])
def test_a_field_beyond_the_csv_limit_makes_the_feed_unreadable_with_its_place(feed):
    with pytest.raises(FeedUnreadable, match="line|first line"):
        _match(feed)


def test_a_field_beyond_the_csv_limit_in_the_evidence_pass_is_unreadable_too():
    reader = FeedReader(io.StringIO("ip,note\n198.51.100.1,ok\n198.51.100.2," + "a" * 200_000 + "\n", newline=""))
    with pytest.raises(FeedUnreadable):
        reader.rows_by_number({1, 2})
