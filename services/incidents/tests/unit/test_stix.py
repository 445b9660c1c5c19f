"""STIX 2.1 export of an incident report."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from incidents.domain.clock import ManualClock
from incidents.domain.errors import DomainError
from incidents.domain.reporting import Indicator, Stage, complete_report, open_reporting, submit_stage
from incidents.domain.stix import IncidentExport, Organisation, stix_pattern, to_stix_bundle

AWARE = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
ORG = Organisation(id="org-42", name="Example Waterbedrijf B.V.")

EARLY_WARNING = {
    "suspected_malicious": "ja",
    "cross_border_impact": "onbekend",
    "contact": {"name": "J. de Vries", "email": "soc@example.org", "phone": "+31 70 123 4567"},
    "summary": "Ransomware op kantoornetwerk",
}
NOTIFICATION = {
    "initial_assessment": "Versleutelde bestandsservers.",
    "severity": "high",
    "impact": "Kantoor twee dagen plat.",
    "indicators_of_compromise": [
        {"type": "ipv4", "value": "192.0.2.10"},
        {"type": "domain", "value": "bücher.example"},
    ],
}

# Common properties every STIX 2.1 SDO and SRO must carry, and what each type adds.
COMMON_REQUIRED = {"type", "spec_version", "id", "created", "modified"}
TYPE_REQUIRED = {
    "identity": {"name"},
    "incident": {"name"},
    "indicator": {"pattern", "pattern_type", "valid_from"},
    "relationship": {"relationship_type", "source_ref", "target_ref"},
}
STIX_TIMESTAMP_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def reports():
    clock = ManualClock(AWARE + timedelta(hours=1))
    state, _ = open_reporting(in_nis2_scope=True, became_aware_at=AWARE)
    first = submit_stage(state, Stage.EARLY_WARNING, EARLY_WARNING, clock=clock)
    clock.advance(timedelta(hours=20, microseconds=123_456))
    second = submit_stage(first.state, Stage.NOTIFICATION, NOTIFICATION, clock=clock, version=2)
    return [first.report, second.report]


def export(**changes):
    fields = {"id": "inc-2025-0001", "organisation": ORG, "title": "Ransomware op kantoornetwerk", "reports": reports()}
    return IncidentExport(**(fields | changes))


def by_type(bundle, stix_type):
    return [o for o in bundle["objects"] if o["type"] == stix_type]


def test_every_object_has_the_required_stix_21_properties():
    bundle = to_stix_bundle(export())
    assert bundle["type"] == "bundle" and re.fullmatch(f"bundle--{UUID}", bundle["id"])
    for obj in bundle["objects"]:
        missing = (COMMON_REQUIRED | TYPE_REQUIRED[obj["type"]]) - obj.keys()
        assert not missing, (obj["type"], missing)
        assert obj["spec_version"] == "2.1"
        assert re.fullmatch(f"{obj['type']}--{UUID}", obj["id"])


def test_timestamps_are_rfc3339_utc_with_milliseconds():
    bundle = to_stix_bundle(export())
    incident = by_type(bundle, "incident")[0]
    assert incident["created"] == "2025-10-26T01:30:00.000Z"
    assert incident["modified"] == "2025-10-26T21:30:00.123Z"
    for obj in bundle["objects"]:
        for key in ("created", "modified", "valid_from"):
            if key in obj:
                assert STIX_TIMESTAMP_MS.fullmatch(obj[key]), (key, obj[key])


def test_bundle_holds_identity_incident_and_one_indicator_with_relationship_per_ioc():
    bundle = to_stix_bundle(export())
    identity = by_type(bundle, "identity")[0]
    incident = by_type(bundle, "incident")[0]
    indicators = by_type(bundle, "indicator")
    relationships = by_type(bundle, "relationship")

    assert identity["name"] == ORG.name and identity["identity_class"] == "organization"
    assert incident["name"] == "Ransomware op kantoornetwerk"
    assert incident["created_by_ref"] == identity["id"]
    assert len(indicators) == 2
    assert {(r["source_ref"], r["relationship_type"], r["target_ref"]) for r in relationships} == {
        (i["id"], "indicates", incident["id"]) for i in indicators
    }


def test_reexport_is_identical():
    assert to_stix_bundle(export()) == to_stix_bundle(export())


def test_ids_follow_the_incident_id():
    one = {o["type"]: o["id"] for o in to_stix_bundle(export())["objects"]}
    other = {o["type"]: o["id"] for o in to_stix_bundle(export(id="inc-2025-0002"))["objects"]}
    assert all(one[t] != other[t] for t in one)


def test_a_new_stage_keeps_ids_and_moves_modified():
    both = reports()
    earlier = to_stix_bundle(export(reports=both[:1], indicators=[Indicator(type="ipv4", value="192.0.2.10")]))
    later = to_stix_bundle(export(reports=both))
    incident_before, incident_after = by_type(earlier, "incident")[0], by_type(later, "incident")[0]
    assert incident_before["id"] == incident_after["id"]
    assert incident_before["modified"] < incident_after["modified"]
    assert earlier["id"] != later["id"]


def test_indicators_given_and_in_reports_appear_once():
    extra = [Indicator(type="ipv4", value="192.0.2.10"), Indicator(type="sha256", value="ab" * 32)]
    patterns = [i["pattern"] for i in by_type(to_stix_bundle(export(indicators=extra)), "indicator")]
    assert sorted(patterns) == sorted([
        "[ipv4-addr:value = '192.0.2.10']",
        f"[file:hashes.'SHA-256' = '{'ab' * 32}']",
        "[domain-name:value = 'xn--bcher-kva.example']",
    ])


@pytest.mark.parametrize(
    ("kind", "value", "pattern"),
    [
        ("ipv4", "192.0.2.10", "[ipv4-addr:value = '192.0.2.10']"),
        ("ipv6", "2001:db8::1", "[ipv6-addr:value = '2001:db8::1']"),
        ("domain", "bücher.example", "[domain-name:value = 'xn--bcher-kva.example']"),
        ("url", "https://evil.example/it's", "[url:value = 'https://evil.example/it\\'s']"),
        ("sha256", "0" * 64, f"[file:hashes.'SHA-256' = '{'0' * 64}']"),
    ],
)
def test_each_indicator_type_becomes_its_stix_pattern(kind, value, pattern):
    assert stix_pattern(Indicator(type=kind, value=value)) == pattern


def test_incident_description_comes_from_the_latest_stage():
    incident = by_type(to_stix_bundle(export()), "incident")[0]
    assert incident["description"] == "Incident notification: Versleutelde bestandsservers."


def test_incident_without_submitted_reports_is_not_exported():
    with pytest.raises(DomainError) as refused:
        to_stix_bundle(export(reports=[]))
    assert refused.value.code == "nothing_to_export"


def test_indicator_is_valid_from_the_first_report():
    bundle = to_stix_bundle(export())
    assert {i["valid_from"] for i in by_type(bundle, "indicator")} == {"2025-10-26T01:30:00.000Z"}
