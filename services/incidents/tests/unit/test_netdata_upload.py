"""Uploads of network data: each real input file's right outcome, and the rules behind it."""

from __future__ import annotations

import json
import pathlib

import pytest
from weerbaar_platform.testing import shared_data

from incidents.domain.netdata import Kind, Refused, Status, parse_entry, parse_upload

DATA = shared_data("netdata")

A, N, R = Status.ACCEPTED, Status.NORMALISED, Status.REFUSED

# Our decision per line where the expected file leaves room: (status, warning or refusal codes).
# Normalised values come from the expected file itself.
NETWORK_DECISIONS = {
    1: (A, ()), 2: (N, ("host_bits_set",)), 3: (N, ("host_bits_set",)), 4: (A, ()), 5: (A, ()),
    6: (A, ()), 7: (N, ("netmask_notation",)), 8: (R, ("hostmask_notation",)),
    9: (R, ("noncontiguous_netmask",)), 10: (R, ("leading_zero_octet",)),
    11: (N, ("range_converted",)), 12: (N, ("range_split",)), 13: (A, ()), 14: (A, ()), 15: (A, ()),
    16: (N, ("host_bits_set",)), 17: (R, ("prefix_length_out_of_range",)), 18: (N, ("ipv4_mapped",)),
    19: (R, ("zone_index",)), 20: (R, ("octet_out_of_range",)), 21: (R, ("whole_internet",)),
    22: (R, ("whole_internet",)), 23: (N, ("special_purpose_range",)), 24: (A, ()),
    25: (N, ("trailing_separator",)), 27: (A, ()),
}
DOMAIN_DECISIONS = {
    "example.org": (A, ()), "EXAMPLE.ORG.": (A, ()), "*.example.org": (A, ()),
    "*.*.example.org": (R, ("wildcard_not_leftmost",)), "sub.*.example.org": (R, ("wildcard_not_leftmost",)),
    ".example.org": (R, ("empty_label",)), "bücher.example": (A, ()), "xn--bcher-kva.example": (A, ()),
    "faß.example": (N, ("idna_deviation",)), "MÜNCHEN.example": (A, ()), "☕.example": (R, ("invalid_idna",)),
    "xn--53hy7af013i.example": (R, ("invalid_idna",)),
    "host-192-0-2-43.00-ebgp-core1-k.301-fra-col-1.static.customer.example.org": (A, ()),
    "a" * 64 + ".example.org": (R, ("label_too_long",)), "example..org": (R, ("empty_label",)),
    "ex ample.org": (R, ("invalid_character",)), "_dmarc.example.org": (R, ("not_a_hostname",)),
    "https://www.example.org/path": (R, ("url_not_domain",)), "abuse@example.org": (R, ("email_not_domain",)),
    "192.0.2.1": (R, ("address_in_domain_list",)), "example": (R, ("single_label",)),
}


def _upload(name: str, kind: Kind | None = None):
    return parse_upload((DATA / name).read_bytes(), kind=kind)


def _expected_values(entry: dict) -> tuple[str, ...]:
    normalised = entry.get("normalised")
    if normalised is None:
        return ()
    return tuple(normalised) if isinstance(normalised, list) else (normalised,)


def test_every_line_of_the_tricky_networks_file_gets_its_expected_outcome():
    result = _upload("upload_networks_tricky.txt", Kind.NETWORK)
    by_line = {o.line: o for o in result.outcomes}
    expected = json.loads((DATA / "upload_networks_tricky.expected.json").read_text(encoding="utf-8"))
    for entry in expected:
        line = entry["line"]
        if entry["expect"] == "ignore blank line":
            assert line not in by_line
            continue
        outcome = by_line[line]
        status, codes = NETWORK_DECISIONS[line]
        assert (outcome.status, outcome.codes) == (status, codes), line
        # Line 23 ("reject or warn", no value given): we warn, so the value is stored as written.
        expected_values = ("10.0.0.0/8",) if line == 23 else _expected_values(entry)
        assert outcome.values == expected_values, line
        if status is R:
            assert outcome.refusal is not None and outcome.refusal.message_nl and outcome.refusal.message_en


def test_every_line_of_the_tricky_domains_file_gets_its_expected_outcome():
    result = _upload("upload_domains_tricky.txt", Kind.DOMAIN)
    expected = json.loads((DATA / "upload_domains_tricky.expected.json").read_text(encoding="utf-8"))
    assert len(result.outcomes) == len(expected) == len(DOMAIN_DECISIONS)
    lines = (DATA / "upload_domains_tricky.txt").read_text(encoding="utf-8").splitlines()
    for outcome, entry in zip(result.outcomes, expected, strict=True):
        raw = lines[outcome.line - 1]
        status, codes = DOMAIN_DECISIONS[raw]
        assert (outcome.status, outcome.codes) == (status, codes), raw
        if "normalised" in entry:
            assert outcome.values == (entry["normalised"],), raw


def test_sharp_s_is_kept_under_idna2008_not_folded_to_ss():
    assert parse_entry("faß.example", kind=Kind.DOMAIN).values == ("xn--fa-hia.example",)


def test_duplicates_after_normalisation_are_stored_once_and_pointed_out():
    result = _upload("upload_networks_tricky.txt", Kind.NETWORK)
    by_line = {o.line: o for o in result.outcomes}
    assert [n.code for n in by_line[6].notes] == ["duplicate"]
    assert "line 4" in by_line[6].notes[0].message_en
    assert [n.code for n in by_line[14].notes] == ["duplicate"]
    values = [r.value for r in result.registrations()]
    assert values.count("198.51.100.0/24") == 1 and values.count("2001:db8::/32") == 1


def test_a_more_specific_prefix_is_noted_as_covered_by_the_wider_one():
    by_line = {o.line: o for o in _upload("upload_networks_tricky.txt", Kind.NETWORK).outcomes}
    assert [n.code for n in by_line[5].notes] == ["covered_by"]
    assert "198.51.100.0/24" in by_line[5].notes[0].message_en


def test_excel_csv_with_bom_semicolons_crlf_and_quoted_delimiter_reads_as_five_records():
    result = _upload("upload_excel_utf8bom_semicolon_crlf.csv")
    assert result.format == "csv"
    assert result.header == ("type", "value", "comment")
    assert [(o.kind, o.values) for o in result.outcomes] == [
        (Kind.NETWORK, ("192.0.2.0/24",)),
        (Kind.NETWORK, ("2001:db8:1::/48",)),
        (Kind.ASN, ("AS64496",)),
        (Kind.DOMAIN, ("xn--bcher-kva.example",)),
        (Kind.DOMAIN, ("*.example.org",)),
    ]
    assert result.outcomes[1].comment == "Datacenter; rack 4"
    assert all(o.status is A for o in result.outcomes)


def test_spamhaus_drop_comments_are_skipped_and_two_networks_read():
    result = _upload("spamhaus_drop.sanitized.txt")
    assert result.format == "text"
    assert [o.values for o in result.outcomes] == [("198.51.100.0/25",), ("2001:db8:8000::/33",)]
    assert all(o.status is A for o in result.outcomes)


def test_dshield_start_end_and_length_columns_read_as_two_networks():
    result = _upload("dshield_block.sanitized.txt")
    assert [o.values for o in result.outcomes] == [("192.0.2.0/24",), ("198.51.100.0/24",)]
    assert all(o.status is A for o in result.outcomes)


def test_dshield_row_whose_length_disagrees_with_its_range_is_refused():
    data = b"Start\tEnd\tNetblock\n192.0.2.0\t192.0.2.255\t25\n"
    (outcome,) = parse_upload(data).outcomes
    assert outcome.codes == ("range_length_mismatch",)


def test_json_upload_with_bom_reads_strings_numbers_and_objects():
    data = "\ufeff" + json.dumps(["192.0.2.0/24", 64500, {"type": "domain", "value": "Example.NL"}, {"x": 1}])
    result = parse_upload(data.encode("utf-8"))
    assert result.format == "json"
    assert [(o.status, o.values) for o in result.outcomes] == [
        (A, ("192.0.2.0/24",)), (A, ("AS64500",)), (A, ("example.nl",)), (R, ()),
    ]


def test_a_file_that_is_not_utf8_is_refused_as_a_whole_with_a_hint():
    result = parse_upload("192.0.2.0/24 ; café".encode("cp1252"))
    assert result.outcomes == ()
    assert result.problems[0].code == "not_utf8"
    assert "CSV UTF-8" in result.problems[0].message_nl


def test_a_range_is_never_enumerated_even_when_huge():
    parsed = parse_entry("1.0.0.1 - 223.255.255.254")
    assert 1 < len(parsed.values) <= 64
    assert parsed.warnings[0].code == "range_split"


@pytest.mark.parametrize(
    ("text", "value", "codes"),
    [
        ("AS64500", "AS64500", ()),
        ("as64500", "AS64500", ()),
        ("64500", "AS64500", ()),
        ("1.10", "AS65546", ("asdot_notation",)),
        ("AS64496", "AS64496", ()),  # documentation: accepted, like documentation IP blocks
        ("AS65536", "AS65536", ()),
    ],
)
def test_as_numbers_are_read_in_plain_and_asdot_notation(text, value, codes):
    parsed = parse_entry(text, kind=Kind.ASN)
    assert (parsed.values, tuple(w.code for w in parsed.warnings)) == ((value,), codes)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("AS0", "asn_reserved"), ("AS23456", "asn_reserved"), ("AS65535", "asn_reserved"),
        ("AS4294967295", "asn_reserved"), ("AS70000", "asn_reserved"),
        ("AS64512", "asn_private"), ("AS65534", "asn_private"), ("AS4200000000", "asn_private"),
        ("AS4294967296", "asn_out_of_range"), ("AS64x", "invalid_asn"), ("1.65536", "invalid_asn"),
    ],
)
def test_reserved_private_and_malformed_as_numbers_are_refused(text, code):
    with pytest.raises(Refused) as caught:
        parse_entry(text, kind=Kind.ASN)
    assert caught.value.reason.code == code


def test_documentation_ranges_warn_when_the_policy_asks_for_it():
    parsed = parse_entry("192.0.2.0/24", warn_documentation=True)
    assert [w.code for w in parsed.warnings] == ["documentation_range"]
    assert parse_entry("192.0.2.0/24").warnings == ()


def test_a_network_list_refuses_what_is_not_a_network():
    with pytest.raises(Refused) as caught:
        parse_entry("example.org", kind=Kind.NETWORK)
    assert caught.value.reason.code == "wrong_kind"


def test_a_mixed_list_reads_each_kind_from_its_form():
    assert parse_entry("2001:db8::/48").kind is Kind.NETWORK
    assert parse_entry("AS64500").kind is Kind.ASN
    assert parse_entry("example.nl").kind is Kind.DOMAIN


def test_private_ranges_are_accepted_with_a_warning_naming_the_block():
    parsed = parse_entry("192.168.1.0/24")
    assert [w.code for w in parsed.warnings] == ["special_purpose_range"]
    assert "RFC 1918" in parsed.warnings[0].message_en


# --- pathological files: refused as a whole with the reason, never an exception ----------


def test_a_line_longer_than_the_limit_refuses_the_file_naming_the_line():
    result = parse_upload(b"192.0.2.0/24\n" + b"1" * 200_000 + b"\n")
    assert [(p.field, p.code) for p in result.problems] == [("file", "line_too_long")]
    assert "2" in result.problems[0].message_en and result.outcomes == ()


def test_a_json_file_on_one_long_line_is_still_read():
    entries = [f"10.{i // 256}.{i % 256}.0/24" for i in range(20_000)]
    result = parse_upload(json.dumps(entries).encode())
    assert result.problems == () and len(result.outcomes) == 20_000


def test_deeply_nested_json_is_refused_as_too_deep():
    result = parse_upload(b"[" * 100_000 + b"]" * 100_000)
    assert [(p.field, p.code) for p in result.problems] == [("file", "json_too_deep")]


def test_a_csv_quote_left_open_is_refused_as_unreadable():
    result = parse_upload(b'value;comment\n192.0.2.0/24;"open\n' + b"192.0.2.1;x\n" * 20_000)
    assert [(p.field, p.code) for p in result.problems] == [("file", "csv_unreadable")]
