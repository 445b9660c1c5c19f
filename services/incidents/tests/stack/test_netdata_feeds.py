"""Feed runs on the real PostgreSQL and Kafka: the real feed samples go to the right owners,
one FindingsReadyV1 per organisation comes out of Kafka, each organisation sees only its own
findings, and the longest prefix wins whatever the order of registration."""
from __future__ import annotations

import uuid

import pytest
from weerbaar_contracts import topics
from weerbaar_platform.testing import eventually

from .conftest import kafka_events
from .netdata_support import FEEDS, analist, beheerder, configure, upload

pytestmark = pytest.mark.stack


async def _run(service, signer, name, body: bytes | str):
    data = body.encode() if isinstance(body, str) else body
    resp = await service.post("/netdata/feed-runs", params={"name": name}, content=data,
                              headers={**analist(signer), "Content-Type": "text/csv"})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _sets(run) -> dict[str, tuple[int, int]]:
    return {s["organisation_id"]: (s["findings"], s["rows"]) for s in run["finding_sets"]}


async def _findings_ready(service, namespace, run_ids, expected: int):
    async def read():
        events = await kafka_events(service.app.state.runtime.settings.kafka_bootstrap, namespace + topics.NETDATA)
        found = [e for e in events if e["type"] == "nl.weerbaar.netdata.findings.ready.v1"
                 and e["data"]["feed_run_id"] in run_ids]
        return found if len(found) >= expected else None
    return await eventually(read, timeout=30)


async def test_the_real_feeds_go_to_their_owners_through_kafka(service, signer, namespace):
    configure(service, evidence_rows_per_finding=2)
    org = {name: uuid.uuid4() for name in ("address", "asn", "v6_wide", "v6_narrow", "host")}
    uploads = {"address": "198.51.100.0/24\n", "asn": "AS41881\nAS14618\n", "v6_wide": "2001:db8::/32\n",
               "v6_narrow": "2001:db8::/64\n", "host": "example.local\n"}
    for name, text in uploads.items():
        resp = await upload(service, beheerder(signer, org[name]), text)
        assert resp.status_code == 200 and resp.json()["applied"], resp.text

    log4shell = await _run(service, signer, "shadowserver log4shell",
                           (FEEDS / "scan_log4shell_vulnerable.csv").read_bytes())
    # One address on three ports with two ASNs: one finding, for the owner of the address.
    assert _sets(log4shell) == {str(org["address"]): (1, 3)}
    assert (log4shell["rows_total"], log4shell["rows_matched"], log4shell["rows_unmatched"]) == (3, 3, 0)

    telnet = await _run(service, signer, "shadowserver telnet ipv6", (FEEDS / "scan6_telnet.sanitized.csv").read_bytes())
    assert _sets(telnet) == {str(org["v6_narrow"]): (2, 2)}  # the /64, not the /32 around it

    fallback = await _run(service, signer, "fallbacks", "ip,asn,hostname\n203.0.113.5,AS41881,\n"
                          "203.0.113.6,64998,router.Example.Local.\n203.0.113.7,,\n203.0.113.7,,\n")
    assert _sets(fallback) == {str(org["asn"]): (1, 1), str(org["host"]): (1, 1)}
    assert (fallback["rows_total"], fallback["rows_matched"], fallback["rows_unmatched"]) == (4, 2, 2)

    events = await _findings_ready(service, namespace, {log4shell["id"], telnet["id"], fallback["id"]}, 4)
    assert sorted((e["data"]["feed_name"], e["data"]["organisation_id"], e["data"]["findings"], e["data"]["rows"])
                  for e in events) == sorted([
        ("shadowserver log4shell", str(org["address"]), 1, 3),
        ("shadowserver telnet ipv6", str(org["v6_narrow"]), 2, 2),
        ("fallbacks", str(org["asn"]), 1, 1), ("fallbacks", str(org["host"]), 1, 1)])
    assert all(e["subject"] == e["data"]["organisation_id"] for e in events)  # keyed by organisation

    # The owner reads its findings with the evidence; times in the feed are UTC.
    mine = await service.get(f"/netdata/findings/{log4shell['id']}", headers=beheerder(signer, org["address"]))
    (finding,) = mine.json()["findings"]
    assert (finding["subject"], finding["matched_by"], finding["registration"], finding["row_count"]) == (
        "198.51.100.147", "network", "198.51.100.0/24", 3)
    assert [e["port"] for e in finding["evidence"]] == [80, 443]  # evidence capped at 2 rows, count exact
    assert finding["evidence"][0]["timestamp"] == "2021-12-13T13:58:00+00:00"
    assert finding["evidence"][0]["extra"]["tag"] == "cve-2021-44228"
    listed = (await service.get("/netdata/findings", headers=beheerder(signer, org["address"]))).json()
    assert [s["feed_run_id"] for s in listed["finding_sets"]] == [log4shell["id"]]

    # Another organisation: not found, whether it asks by id or names the owner.
    other = beheerder(signer, org["asn"])
    assert (await service.get(f"/netdata/findings/{log4shell['id']}", headers=other)).status_code == 404
    assert (await service.get(f"/netdata/findings/{log4shell['id']}?organisation_id={org['address']}",
                              headers=other)).status_code == 404
    # Staff may look at any organisation's findings; organisations cannot run feeds.
    staff = await service.get(f"/netdata/findings/{log4shell['id']}?organisation_id={org['address']}",
                              headers=analist(signer))
    assert staff.status_code == 200
    refused = await service.post("/netdata/feed-runs", params={"name": "x"}, content=b"ip\n198.51.100.1\n",
                                 headers=beheerder(signer, org["address"]))
    assert refused.status_code == 403


async def test_the_longest_prefix_wins_whatever_the_order_of_registration(service, signer, namespace):
    wide_first, narrow_later = uuid.uuid4(), uuid.uuid4()
    narrow_first, wide_later = uuid.uuid4(), uuid.uuid4()
    await upload(service, beheerder(signer, wide_first), "192.0.2.0/24\n")
    await upload(service, beheerder(signer, narrow_later), "192.0.2.0/25\n")
    await upload(service, beheerder(signer, narrow_first), "100.64.10.0/25\n")
    feed = "ip\n192.0.2.10\n192.0.2.200\n100.64.10.10\n100.64.10.200\n"

    before = await _run(service, signer, "before", feed)
    assert _sets(before) == {str(narrow_later): (1, 1), str(wide_first): (1, 1), str(narrow_first): (1, 1)}
    assert before["rows_unmatched"] == 1

    await upload(service, beheerder(signer, wide_later), "100.64.10.0/24\n")
    after = await _run(service, signer, "after", feed)  # the register in memory was rebuilt
    assert _sets(after) == {str(narrow_later): (1, 1), str(wide_first): (1, 1),
                            str(narrow_first): (1, 1), str(wide_later): (1, 1)}
    subjects = {}
    for organisation in (wide_first, narrow_later, narrow_first, wide_later):
        got = await service.get(f"/netdata/findings/{after['id']}", headers=beheerder(signer, organisation))
        subjects[organisation] = [f["subject"] for f in got.json()["findings"]]
    assert subjects == {narrow_later: ["192.0.2.10"], wide_first: ["192.0.2.200"],
                        narrow_first: ["100.64.10.10"], wide_later: ["100.64.10.200"]}
    # Overlapping claims of two organisations are flagged for an analyst, not shared.
    conflicts = (await service.get("/netdata/conflicts", headers=analist(signer))).json()["conflicts"]
    assert {(c["value"], c["reason"]) for c in conflicts} >= {("192.0.2.0/25", "overlap"), ("100.64.10.0/24", "overlap")}


async def test_a_feed_too_large_is_refused_before_it_is_read(service, signer):
    configure(service, feed_max_bytes=4096)
    try:
        resp = await service.post("/netdata/feed-runs", params={"name": "big"}, content=b"ip\n" + b"192.0.2.1\n" * 1000,
                                  headers=analist(signer))
        assert resp.status_code == 413
    finally:
        configure(service)
