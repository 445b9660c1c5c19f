"""Network data through HTTP on the real PostgreSQL and Kafka: every real upload file's
per-line outcomes, modes and kept versions, the size limit, conflicts, and proof."""
from __future__ import annotations

import json
import uuid

import pytest
from weerbaar_contracts import topics
from weerbaar_platform.testing import eventually

from .conftest import kafka_events
from .netdata_support import (NETDATA, TxtServer, analist, beheerder, configure, outbox, unit_expectations,
                              upload)

pytestmark = pytest.mark.stack


def _by_line(report):
    return {o["line"]: o for o in report["outcomes"]}


def _codes(outcome):
    return tuple([outcome["refusal"]["code"]] if outcome["refusal"] else [w["code"] for w in outcome["warnings"]])


async def test_every_netdata_file_through_http_upload_gives_its_expected_outcomes(service, signer):
    """The unit tests' decisions per line, now through the HTTP upload and stored."""
    unit = unit_expectations()
    configure(service)

    # Networks: 27 lines, refusals among them, so applied with partial=true.
    org = uuid.uuid4()
    resp = await upload(service, beheerder(signer, org), (NETDATA / "upload_networks_tricky.txt").read_bytes(),
                        kind="network", partial="true", filename="upload_networks_tricky.txt")
    assert resp.status_code == 200, resp.text
    by_line = _by_line(resp.json()["report"])
    for entry in json.loads((NETDATA / "upload_networks_tricky.expected.json").read_text(encoding="utf-8")):
        line = entry["line"]
        if entry["expect"] == "ignore blank line":
            assert line not in by_line
            continue
        status, codes = unit.NETWORK_DECISIONS[line]
        outcome = by_line[line]
        assert (outcome["status"], _codes(outcome)) == (status, codes), line
        expected_values = ("10.0.0.0/8",) if line == 23 else unit._expected_values(entry)
        assert tuple(outcome["values"]) == expected_values, line
        for notice in outcome["warnings"] + ([outcome["refusal"]] if outcome["refusal"] else []):
            assert notice["message_nl"] and notice["message_en"] and notice["message_nl"] != notice["message_en"]
    registered = (await service.get("/netdata/registrations", headers=beheerder(signer, org))).json()
    stored = {r["value"] for r in registered["registrations"]}
    accepted = {v for o in by_line.values() if o["status"] != "refused" for v in o["values"]}
    assert stored == accepted and "198.51.100.0/24" in stored

    # Domains: compared entry by entry with the expected file, in order.
    org = uuid.uuid4()
    resp = await upload(service, beheerder(signer, org), (NETDATA / "upload_domains_tricky.txt").read_bytes(),
                        kind="domain", partial="true")
    assert resp.status_code == 200, resp.text
    outcomes = resp.json()["report"]["outcomes"]
    expected = json.loads((NETDATA / "upload_domains_tricky.expected.json").read_text(encoding="utf-8"))
    lines = (NETDATA / "upload_domains_tricky.txt").read_text(encoding="utf-8").splitlines()
    assert len(outcomes) == len(expected)
    for outcome, entry in zip(outcomes, expected, strict=True):
        raw = lines[outcome["line"] - 1]
        status, codes = unit.DOMAIN_DECISIONS[raw]
        assert (outcome["status"], _codes(outcome)) == (status, codes), raw
        if "normalised" in entry:
            assert outcome["values"] == [entry["normalised"]], raw

    # The three files without refusals are applied as they are.
    cases = {
        "upload_excel_utf8bom_semicolon_crlf.csv": ("csv", [["192.0.2.0/24"], ["2001:db8:1::/48"], ["AS64496"],
                                                            ["xn--bcher-kva.example"], ["*.example.org"]]),
        "spamhaus_drop.sanitized.txt": ("text", [["198.51.100.0/25"], ["2001:db8:8000::/33"]]),
        "dshield_block.sanitized.txt": ("csv", [["192.0.2.0/24"], ["198.51.100.0/24"]]),
    }
    for name, (fmt, values) in cases.items():
        resp = await upload(service, beheerder(signer, uuid.uuid4()), (NETDATA / name).read_bytes())
        assert resp.status_code == 200, (name, resp.text)
        body = resp.json()
        assert body["applied"] and body["report"]["format"] == fmt, name
        assert [o["values"] for o in body["report"]["outcomes"]] == values, name
        assert {o["status"] for o in body["report"]["outcomes"]} == {"accepted"}, name
    excel = (await upload(service, beheerder(signer, uuid.uuid4()),
                          (NETDATA / "upload_excel_utf8bom_semicolon_crlf.csv").read_bytes(), dry_run="true")).json()
    assert excel["report"]["header"] == ["type", "value", "comment"]
    assert excel["report"]["outcomes"][1]["comment"] == "Datacenter; rack 4"


async def test_refused_lines_change_nothing_unless_partial_is_asked(service, signer):
    org = uuid.uuid4()
    headers = beheerder(signer, org)
    resp = await upload(service, headers, "192.0.2.0/24\n10.0.0.1/33\n")
    assert resp.status_code == 422
    body = resp.json()
    assert body["errors"][0]["code"] == "upload_has_refused_lines" and body["applied"] is False
    assert _by_line(body["report"])[2]["refusal"]["code"] == "prefix_length_out_of_range"
    assert (await service.get("/netdata/registrations", headers=headers)).json()["registrations"] == []
    dry = await upload(service, headers, "192.0.2.0/24\n", dry_run="true")
    assert dry.status_code == 200 and dry.json()["applied"] is False
    assert (await service.get("/netdata/versions", headers=headers)).json()["versions"] == []


async def test_replace_add_remove_keep_every_version_and_announce_each_change(service, signer):
    org = uuid.uuid4()
    headers = beheerder(signer, org)
    first = await upload(service, headers, "192.0.2.0/24\nAS64500\nexample.nl\n")
    assert first.json()["set_version"] == 1
    added = await upload(service, headers, "198.51.100.0/24\n", mode="add")
    assert added.json()["change"]["added"] == [{"kind": "network", "value": "198.51.100.0/24"}]
    removed = await upload(service, headers, "AS64500\nAS64501\n", mode="remove")
    body = removed.json()
    assert body["set_version"] == 3
    assert body["change"]["removed"] == [{"kind": "asn", "value": "AS64500"}]
    assert body["change"]["not_found"] == [{"kind": "asn", "value": "AS64501"}]
    replaced = await upload(service, headers, "2001:db8::/32\n", mode="replace")
    assert replaced.json()["set_version"] == 4
    same_again = await upload(service, headers, "2001:db8::/32\n", mode="replace")
    assert same_again.json()["applied"] is False and same_again.json()["set_version"] == 4

    current = (await service.get("/netdata/registrations", headers=headers)).json()
    assert [(r["kind"], r["value"]) for r in current["registrations"]] == [("network", "2001:db8::/32")]
    versions = (await service.get("/netdata/versions", headers=headers)).json()["versions"]
    assert [(v["version"], v["mode"], v["size"]) for v in versions] == [
        (4, "replace", 1), (3, "remove", 3), (2, "add", 4), (1, "replace", 3)]
    old = (await service.get("/netdata/versions/2", headers=headers)).json()
    assert {e["value"] for e in old["entries"]} == {"192.0.2.0/24", "198.51.100.0/24", "AS64500", "example.nl"}
    assert (await service.get("/netdata/versions/9", headers=headers)).status_code == 404
    # Another organisation's data is not found, not forbidden.
    other = beheerder(signer, uuid.uuid4())
    assert (await service.get(f"/netdata/versions?organisation_id={org}", headers=other)).status_code == 404

    changed = [e for e in await outbox(service, "netdata.network_data.changed") if e["organisation_id"] == str(org)]
    assert [(e["set_version"], e["mode"], e["prefixes"], e["asns"], e["domains"]) for e in changed] == [
        (1, "replace", 1, 1, 1), (2, "add", 2, 1, 1), (3, "remove", 2, 0, 1), (4, "replace", 1, 0, 0)]


async def test_only_a_beheerder_netwerkgegevens_of_the_organisation_uploads(service, signer, people):
    org = uuid.uuid4()
    resp = await upload(service, people.member(org, "gebruiker"), "192.0.2.0/24\n")
    assert resp.status_code == 403
    resp = await upload(service, analist(signer), "192.0.2.0/24\n")
    assert resp.status_code == 403
    assert (await service.post("/netdata/uploads", content=b"192.0.2.0/24\n")).status_code == 401


async def test_a_200_mb_upload_is_refused_by_size_without_being_read(service, signer):
    configure(service)  # the default limit: 10 MB
    size = 200 * 1024 * 1024
    chunk = b"192.0.2.0/24\n" * 5000
    consumed = 0

    async def body():
        nonlocal consumed
        while consumed < size:
            consumed += len(chunk)
            yield chunk

    headers = {**beheerder(signer, uuid.uuid4()), "Content-Length": str(size)}
    resp = await service.post("/netdata/uploads", content=body(), headers=headers)
    assert resp.status_code == 413
    assert resp.json()["errors"][0]["code"] == "too_large"
    assert "MB" in resp.json()["errors"][0]["message_nl"]
    assert consumed == 0  # refused on the declared length: not one byte was read

    consumed = 0  # without a declared length (chunked): reading stops just past the limit
    resp = await service.post("/netdata/uploads", content=body(), headers=beheerder(signer, uuid.uuid4()))
    assert resp.status_code == 413
    assert 10 * 1024 * 1024 < consumed <= 10 * 1024 * 1024 + 2 * len(chunk)


async def test_a_value_claimed_by_another_organisation_is_flagged_for_an_analyst(service, signer, namespace):
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert (await upload(service, beheerder(signer, first), "45.83.64.0/24\nAS64510\nconflict.example\n")).status_code == 200
    resp = await upload(service, beheerder(signer, second), "45.83.64.0/24\nAS64510\n*.conflict.example\n")
    raised = {(c["kind"], c["value"], c["reason"]) for c in resp.json()["conflicts"]}
    assert raised == {("network", "45.83.64.0/24", "same_value"), ("asn", "AS64510", "same_value"),
                      ("domain", "*.conflict.example", "same_value")}
    resp = await upload(service, beheerder(signer, third), "45.83.64.128/25\n")
    assert [(c["value"], c["reason"]) for c in resp.json()["conflicts"]] == [("45.83.64.128/25", "overlap")]

    # The organisation sees its value is under review, not who else claims it.
    mine = (await service.get("/netdata/registrations", headers=beheerder(signer, first))).json()["registrations"]
    assert {r["value"]: r["under_review"] for r in mine} == {
        "45.83.64.0/24": True, "AS64510": True, "conflict.example": True}
    assert "others" not in json.dumps(mine)

    assert (await service.get("/netdata/conflicts", headers=beheerder(signer, first))).status_code == 403
    listed = (await service.get("/netdata/conflicts", headers=analist(signer))).json()["conflicts"]
    ours = [c for c in listed if c["organisation_id"] in (str(second), str(third))]
    assert {(c["value"], tuple(o["organisation_id"] for o in c["others"])) for c in ours} == {
        ("45.83.64.0/24", (str(first),)), ("AS64510", (str(first),)), ("*.conflict.example", (str(first),)),
        ("45.83.64.128/25", tuple(sorted((str(first), str(second)))))}
    conflict_id = next(c["id"] for c in ours if c["value"] == "45.83.64.128/25")
    resolved = await service.post(f"/netdata/conflicts/{conflict_id}/resolve", headers=analist(signer),
                                  json={"resolution": "both_legitimate", "note": "klant van provider"})
    assert resolved.json()["status"] == "resolved"
    assert (await service.post(f"/netdata/conflicts/{conflict_id}/resolve", headers=analist(signer),
                               json={"resolution": "both_legitimate"})).status_code == 404

    async def on_kafka():
        events = await kafka_events(service.app.state.runtime.settings.kafka_bootstrap, namespace + topics.NETDATA)
        return [e["data"] for e in events if e["type"] == "nl.weerbaar.netdata.conflict.raised.v1"
                and e["data"]["organisation_id"] in (str(second), str(third))]

    events = await eventually(lambda: _at_least(on_kafka, 4), timeout=30)
    assert {(e["value"], e["reason"]) for e in events} == {
        ("45.83.64.0/24", "same_value"), ("AS64510", "same_value"), ("*.conflict.example", "same_value"),
        ("45.83.64.128/25", "overlap")}


async def _at_least(fetch, n):
    found = await fetch()
    return found if len(found) >= n else None


async def test_a_domain_is_proven_by_its_dns_txt_record_and_a_wrong_record_is_refused(service, signer):
    org = uuid.uuid4()
    headers = beheerder(signer, org)
    await upload(service, headers, "proof.example\n*.wild.example\nwrong.example\n")
    records: dict[str, list[str]] = {}
    dns_server = await TxtServer.start(records)
    try:
        configure(service, dns_nameservers=[f"127.0.0.1:{dns_server.port}"], dns_timeout_seconds=2)
        challenge = (await service.post("/netdata/claims/challenge", headers=headers,
                                        json={"value": "PROOF.example."})).json()
        assert challenge["record_name"] == "_weerbaar-challenge.proof.example"
        assert challenge["record_value"].startswith("weerbaar-verification=")
        again = (await service.post("/netdata/claims/challenge", headers=headers, json={"value": "proof.example"}))
        assert again.json()["record_value"] == challenge["record_value"]  # stable until proven

        missing = await service.post("/netdata/claims/verify", headers=headers, json={"value": "proof.example"})
        assert missing.status_code == 422 and missing.json()["errors"][0]["code"] == "txt_record_missing"

        records["_weerbaar-challenge.proof.example"] = ["v=spf1 -all", challenge["record_value"]]
        proven = await service.post("/netdata/claims/verify", headers=headers, json={"value": "proof.example"})
        assert proven.status_code == 200, proven.text
        assert proven.json()["proven"] is True
        assert "_weerbaar-challenge.proof.example" in dns_server.queries

        wild = (await service.post("/netdata/claims/challenge", headers=headers, json={"value": "*.wild.example"})).json()
        assert wild["record_name"] == "_weerbaar-challenge.wild.example"

        await service.post("/netdata/claims/challenge", headers=headers, json={"value": "wrong.example"})
        records["_weerbaar-challenge.wrong.example"] = ["weerbaar-verification=someone-elses-token"]
        mismatch = await service.post("/netdata/claims/verify", headers=headers, json={"value": "wrong.example"})
        assert mismatch.status_code == 422
        error = mismatch.json()["errors"][0]
        assert error["code"] == "txt_record_mismatch" and "ander" in error["message_nl"]
    finally:
        dns_server.close()
        configure(service)

    state = {r["value"]: r["proof"] for r in
             (await service.get("/netdata/registrations", headers=headers)).json()["registrations"]}
    assert state["proof.example"]["status"] == "proven" and state["proof.example"]["method"] == "dns_txt"
    assert state["wrong.example"]["status"] == "unproven"
    assert state["*.wild.example"]["status"] == "unproven" and state["*.wild.example"]["challenge_issued"]
    # Only a registered domain can be challenged.
    assert (await service.post("/netdata/claims/challenge", headers=headers,
                               json={"value": "not-mine.example"})).status_code == 404
    proven_events = [e for e in await outbox(service, "netdata.claim.proven") if e["organisation_id"] == str(org)]
    assert proven_events == [{"organisation_id": str(org), "kind": "domain", "value": "proof.example",
                              "method": "dns_txt"}]


async def test_a_prefix_or_as_number_is_proven_by_an_analysts_approval(service, signer):
    org = uuid.uuid4()
    headers = beheerder(signer, org)
    assert (await upload(service, headers, "192.0.2.0/24\nAS64497\n")).status_code == 200
    body = {"organisation_id": str(org), "kind": "network", "value": "192.0.2.0/24"}
    assert (await service.post("/netdata/claims/approve", headers=headers, json=body)).status_code == 403
    approved = await service.post("/netdata/claims/approve", headers=analist(signer), json=body)
    assert approved.status_code == 200 and approved.json()["proven"] is True
    again = await service.post("/netdata/claims/approve", headers=analist(signer), json=body)
    assert again.json()["already"] is True
    unknown = {"organisation_id": str(org), "kind": "asn", "value": "AS64498"}
    assert (await service.post("/netdata/claims/approve", headers=analist(signer), json=unknown)).status_code == 404

    state = {r["value"]: r["proof"]["status"] for r in
             (await service.get("/netdata/registrations", headers=headers)).json()["registrations"]}
    assert state == {"192.0.2.0/24": "proven", "AS64497": "unproven"}
    events = [e for e in await outbox(service, "netdata.claim.proven") if e["organisation_id"] == str(org)]
    assert [(e["kind"], e["value"], e["method"]) for e in events] == [("network", "192.0.2.0/24", "analyst_approval")]
