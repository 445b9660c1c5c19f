"""Each CSAF file of shared/data/csaf ingests or is refused as its README row says, through
the HTTP API on the real PostgreSQL and Kafka."""
import uuid

import pytest

from .conftest import as_json, csaf_file, publish, upload

pytestmark = pytest.mark.stack


async def test_bsi_advisory_with_tlp_white_is_ingested_as_clear_public_with_products_resolved(
        content, people, registry):
    editor = people.editor()
    response = await upload(content, editor, csaf_file("bsi-2022-0001.json"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["tracking_id"], body["tlp"], body["tlp_defaulted"], body["document_label"]) == \
        ("BSI-2022-0001", "CLEAR", False, "WHITE")
    assert body["affected"] and all(p["resolved"] for p in body["affected"])
    assert all(p["vendor"] and p["name"] != p["product_id"] for p in body["affected"])  # names, not bare ids

    # A draft is the editors' business: a reader does not see it yet.
    organisation = await registry.register("transport", "transport.water", "important")
    reader = people.member(organisation)
    assert (await content.get(f"/publications/{body['id']}", headers=reader)).status_code == 404

    await publish(content, people, body["id"])  # CLEAR starts with the audience "everyone"

    async def seen():
        return (await content.get(f"/publications/{body['id']}", headers=reader)).status_code == 200
    from weerbaar_platform.testing import eventually
    await eventually(seen, timeout=30)  # once the registry's event has reached the read model
    detail = (await content.get(f"/publications/{body['id']}", headers=reader)).json()
    assert detail["tlp"] == "CLEAR" and detail["advisory"]["cves"] == ["CVE-2022-27193"]
    assert {p["product_id"] for p in detail["advisory"]["affected"]} == {p["product_id"] for p in body["affected"]}

    download = await content.get(f"/publications/{body['id']}/csaf", headers=reader)
    assert download.status_code == 200
    assert download.content == csaf_file("bsi-2022-0001.json")  # the original, byte for byte
    assert "attachment" in download.headers["content-disposition"]


async def test_cisco_advisory_without_tlp_gets_the_configured_default_recorded_never_clear(content, people):
    editor = people.editor()
    response = await upload(content, editor, csaf_file("cisco-sa-20180328-smi2.json"), multipart=True,
                            filename="cisco-sa-20180328-smi2.json")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["tlp"], body["tlp_defaulted"], body["document_label"]) == ("AMBER", True, None)
    assert len(body["affected"]) == 259 and all(p["resolved"] for p in body["affected"])

    detail = (await content.get(f"/publications/{body['id']}", headers=editor)).json()
    assert detail["tlp"] == "AMBER" and detail["tlp_defaulted"] is True
    assert detail["audience"]["everyone"] is False  # no label is never "for everyone"

    # Without a chosen audience it cannot even go to review.
    refused = await content.post(f"/publications/{body['id']}/submit", headers=editor)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "publishing.audience_reaches_no_one"


async def test_red_hat_advisory_resolves_every_product_through_relationships(content, people):
    response = await upload(content, people.editor(), csaf_file("rhsa-2022_0011.json"))
    assert response.status_code == 201, response.text
    body = response.json()
    document = as_json(csaf_file("rhsa-2022_0011.json"))
    listed = {pid for v in document["vulnerabilities"] for ids in v["product_status"].values() for pid in ids}
    resolved = {p["product_id"]: p for p in body["fixed"]}
    assert set(resolved) == listed
    assert all(p["resolved"] and p["relationship"] == "default_component_of" for p in resolved.values())
    assert all(p["component"] and p["platform"] and " as a component of " in p["description"]
               for p in resolved.values())


async def test_document_breaking_mandatory_test_6_1_1_is_refused_and_never_distributed(content, people):
    editor = people.editor()
    raw = csaf_file("oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json")
    response = await upload(content, editor, raw)
    assert response.status_code == 422
    body = response.json()
    assert body["failed_tests"] == ["6.1.1"]
    assert {e["path"] for e in body["errors"]} == {"/product_tree/product_groups/0/product_ids/0",
                                                   "/product_tree/product_groups/0/product_ids/1"}
    assert all(e["code"] == "csaf.6.1.1" and e["message_nl"] and e["message_en"] for e in body["errors"])

    tracking_id = as_json(raw)["document"]["tracking"]["id"]
    listed = (await content.get("/publications", headers=editor, params={"limit": 200})).json()["items"]
    assert all((item["advisory"] or {}).get("tracking_id") != tracking_id for item in listed)
    refusals = (await content.get("/advisories/refusals", headers=editor)).json()
    assert refusals[0]["failed_tests"] == ["6.1.1"]


async def test_a_byte_order_mark_is_accepted(content, people):
    document = as_json(csaf_file("bsi-2022-0001.json"))
    document["document"]["tracking"]["id"] = f"BOM-{uuid.uuid4().hex[:8]}"
    import json
    raw = b"\xef\xbb\xbf" + json.dumps(document).encode()
    response = await upload(content, people.editor(), raw, multipart=True)
    assert response.status_code == 201, response.text
    assert response.json()["tracking_id"] == document["document"]["tracking"]["id"]


async def test_only_editors_upload(content, people):
    organisation = uuid.uuid4()
    response = await upload(content, people.member(organisation, "beheerder_personen"), csaf_file("bsi-2022-0001.json"))
    assert response.status_code == 403
