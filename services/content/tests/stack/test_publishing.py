"""Four eyes, withdrawal, revisions of a CSAF advisory with what changed, sanitised Markdown,
and "relevant to me" from the products an organisation runs."""
import json
import uuid

import pytest
from weerbaar_contracts import topics
from weerbaar_platform.testing import eventually

from .conftest import as_json, csaf_file, publish, read_events, upload

pytestmark = pytest.mark.stack


async def test_the_author_of_a_draft_cannot_approve_it_and_a_second_editor_can(content, people, stack, namespace):
    author_id = uuid.uuid4()
    author = people.editor(author_id)
    draft = (await content.post("/publications", headers=author, json={
        "kind": "analysis", "title": "Analyse ransomware", "body_markdown": "# Bevindingen\n\nTekst.",
        "tlp": "GREEN", "audience": {"everyone": True}})).json()
    assert draft["state"] == "draft"
    assert (await content.post(f"/publications/{draft['id']}/submit", headers=author)).json()["state"] == "review"

    refused = await content.post(f"/publications/{draft['id']}/approve", headers=author)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "publishing.four_eyes"
    assert (await content.get(f"/publications/{draft['id']}", headers=author)).json()["state"] == "review"

    second = await content.post(f"/publications/{draft['id']}/approve", headers=people.editor())
    assert second.status_code == 200, second.text
    assert second.json()["state"] == "published"

    # A reader's own role is not enough to act as editor.
    reader = people.member(uuid.uuid4(), "beheerder_personen")
    assert (await content.post(f"/publications/{draft['id']}/withdraw", headers=reader,
                               json={"reason": "x"})).status_code == 403

    withdrawn = await content.post(f"/publications/{draft['id']}/withdraw", headers=author,
                                   json={"reason": "Bron bleek onjuist."})
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"
    events = await read_events(stack.kafka_bootstrap, namespace + topics.CONTENT_PUBLICATIONS,
                               until=lambda es: sum(e.subject == draft["id"] for e in es) >= 2)
    mine = [e for e in events if e.subject == draft["id"]]
    assert [e.type for e in mine] == ["nl.weerbaar.content.publication.published.v1",
                                      "nl.weerbaar.content.publication.withdrawn.v1"]
    assert mine[1].data["reason"] == "Bron bleek onjuist." and mine[1].data["audience"]["everyone"] is True


async def test_markdown_is_rendered_to_html_without_scripts(content, people):
    editor = people.editor()
    created = (await content.post("/publications", headers=editor, json={
        "kind": "news", "title": "Nieuws", "tlp": "CLEAR", "audience": {"everyone": True},
        "body_markdown": "**Let op** <script>alert(1)</script> [klik](javascript:alert(1))"})).json()
    html = (await content.get(f"/publications/{created['id']}", headers=editor)).json()["body_html"]
    assert "<strong>Let op</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html


async def test_a_newer_revision_replaces_the_shown_version_keeps_the_old_and_says_what_changed(
        content, people, registry, stack, namespace):
    document = as_json(csaf_file("bsi-2022-0001.json"))
    tracking_id = f"REV-{uuid.uuid4().hex[:8]}"
    document["document"]["tracking"]["id"] = tracking_id
    first = (await upload(content, people.editor(), json.dumps(document).encode())).json()
    await publish(content, people, first["id"])

    # Version 2: a second CVE, and one product moves from affected to fixed.
    second_doc = json.loads(json.dumps(document))
    tracking = second_doc["document"]["tracking"]
    tracking["version"] = "2"
    tracking["current_release_date"] = "2022-04-01T10:00:00.000Z"
    tracking["revision_history"].append({"number": "2", "date": "2022-04-01T10:00:00.000Z", "summary": "Update"})
    vulnerability = second_doc["vulnerabilities"][0]
    moved = vulnerability["product_status"]["known_affected"].pop()
    vulnerability["product_status"].setdefault("fixed", []).append(moved)
    second_doc["vulnerabilities"].append({"cve": "CVE-2022-99999", "notes": [{"category": "description", "text": "x"}],
                                          "product_status": {"known_affected": [moved]}})
    editor = people.editor()
    uploaded = await upload(content, editor, json.dumps(second_doc).encode())
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["revision"] == 2 and uploaded.json()["state"] == "draft"

    reader = people.member(await registry.register("health"))

    async def reader_sees_version(version):
        response = await content.get(f"/publications/{first['id']}", headers=reader)
        return response.status_code == 200 and response.json()["advisory"]["version"] == version
    await eventually(lambda: reader_sees_version("1"), timeout=30)  # the draft does not hide what is out

    stale = await upload(content, editor, json.dumps(document).encode())
    assert stale.status_code == 409  # an older version never replaces a newer one

    await publish(content, people, first["id"], author=editor)
    detail = (await content.get(f"/publications/{first['id']}", headers=reader)).json()
    assert detail["advisory"]["version"] == "2" and detail["revision"] == 2
    assert "CVE-2022-99999" in detail["changes"]["cves_added"]
    assert any(c["status"] == "fixed" and moved in c["added"] for c in detail["changes"]["products_changed"])
    assert [v["csaf_version"] for v in detail["versions"]] == ["1", "2"]
    old = await content.get(f"/publications/{first['id']}/csaf", headers=reader, params={"version": "1"})
    assert old.status_code == 200 and json.loads(old.content)["document"]["tracking"]["version"] == "1"

    events = await read_events(stack.kafka_bootstrap, namespace + topics.CONTENT_PUBLICATIONS,
                               until=lambda es: any(e.subject == first["id"] and "revised" in e.type for e in es))
    revised = next(e for e in events if e.subject == first["id"] and "revised" in e.type)
    assert revised.data["revision"] == 2 and "CVE added: CVE-2022-99999" in revised.data["changes"]


async def test_advisories_about_products_an_organisation_runs_are_marked_relevant(content, people, registry):
    organisation = await registry.register("digital_infrastructure")
    admin = people.member(organisation, "beheerder_personen")
    user = people.member(organisation, "gebruiker")
    assert (await content.post("/organisations/me/products", headers=user,
                               json={"vendor": "Cisco", "product": "IOS XE"})).status_code == 403
    added = await content.post("/organisations/me/products", headers=admin, json={"vendor": "Cisco", "product": "IOS XE"})
    assert added.status_code == 201, added.text

    document = as_json(csaf_file("cisco-sa-20180328-smi2.json"))
    document["document"]["tracking"]["id"] = f"cisco-{uuid.uuid4().hex[:8]}"
    cisco = (await upload(content, people.editor(), json.dumps(document).encode())).json()
    await publish(content, people, cisco["id"], audience={"sectors": ["digital_infrastructure"]})
    bsi = as_json(csaf_file("bsi-2022-0001.json"))
    bsi["document"]["tracking"]["id"] = f"other-{uuid.uuid4().hex[:8]}"
    other = (await upload(content, people.editor(), json.dumps(bsi).encode())).json()
    await publish(content, people, other["id"])

    async def relevant_ids():
        response = await content.get("/publications", headers=user, params={"relevant": "true", "limit": 200})
        return {item["id"] for item in response.json()["items"]}
    await eventually(lambda: _contains(relevant_ids, cisco["id"]), timeout=30)
    assert other["id"] not in await relevant_ids()
    detail = (await content.get(f"/publications/{cisco['id']}", headers=user)).json()
    assert detail["relevant"] and all("IOS XE" in p["name"] for p in detail["relevant_products"])

    by_cve = (await content.get("/publications", headers=user, params={"cve": "cve-2018-0171"})).json()["items"]
    assert cisco["id"] in {item["id"] for item in by_cve} and other["id"] not in {item["id"] for item in by_cve}


async def _contains(fetch, wanted):
    return wanted in await fetch()
