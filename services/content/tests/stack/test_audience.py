"""Who sees what follows the register: a TLP:AMBER advisory for the drinking-water sector
reaches a drinking-water organisation, is "not found" (404, not 403) for another sector, and
moves with a change of sector that the registry announces on Kafka."""
import json
import uuid

import pytest
from weerbaar_contracts import topics
from weerbaar_platform.testing import eventually

from .conftest import as_json, csaf_file, publish, read_events, upload

pytestmark = pytest.mark.stack

DRINKING_WATER = {"sectors": ["drinking_water"]}


def _amber_advisory() -> bytes:
    """The BSI advisory under a fresh tracking id, labelled AMBER by its publisher."""
    document = as_json(csaf_file("bsi-2022-0001.json"))
    document["document"]["tracking"]["id"] = f"WATER-{uuid.uuid4().hex[:8]}"
    document["document"]["distribution"]["tlp"]["label"] = "AMBER"
    return json.dumps(document).encode()


async def _status(content, publication_id, headers) -> int:
    return (await content.get(f"/publications/{publication_id}", headers=headers)).status_code


async def _listed(content, publication_id, headers) -> bool:
    items = (await content.get("/publications", headers=headers, params={"limit": 200})).json()["items"]
    return any(item["id"] == publication_id for item in items)


async def test_sector_audience_with_amber_follows_the_registration(content, people, registry, stack, namespace):
    water = await registry.register("drinking_water", classification="essential")
    energy = await registry.register("energy", "energy.electricity", classification="essential")
    water_reader, energy_reader = people.member(water), people.member(energy)

    uploaded = (await upload(content, people.editor(), _amber_advisory())).json()
    assert uploaded["tlp"] == "AMBER"
    publication_id = uploaded["id"]
    await publish(content, people, publication_id, audience=DRINKING_WATER)

    async def water_sees():
        return await _status(content, publication_id, water_reader) == 200
    await eventually(water_sees, timeout=30)
    assert await _listed(content, publication_id, water_reader)
    assert await _status(content, publication_id, energy_reader) == 404
    assert not await _listed(content, publication_id, energy_reader)
    assert (await content.get(f"/publications/{publication_id}/csaf", headers=energy_reader)).status_code == 404

    # The energy company turns out to supply drinking water; the water company moves to waste water.
    await registry.update(energy, "drinking_water")
    await registry.update(water, "waste_water")

    async def energy_sees():
        return await _status(content, publication_id, energy_reader) == 200
    await eventually(energy_sees, timeout=30)

    async def water_no_longer_sees():
        return await _status(content, publication_id, water_reader) == 404
    await eventually(water_no_longer_sees, timeout=30)
    assert not await _listed(content, publication_id, water_reader)

    # CSIRT staff see everything, whatever their organisation.
    assert await _status(content, publication_id, people.editor()) == 200

    # The event that lets notify fan out names the audience and the label.
    published = await read_events(
        stack.kafka_bootstrap, namespace + topics.CONTENT_PUBLICATIONS,
        until=lambda events: any(e.subject == publication_id for e in events))
    event = next(e for e in published if e.subject == publication_id)
    assert event.type == "nl.weerbaar.content.publication.published.v1"
    assert event.data["tlp"] == "AMBER" and event.data["kind"] == "advisory"
    assert event.data["audience"]["sectors"] == ["drinking_water"]
    assert event.data["audience"]["everyone"] is False


async def test_amber_strict_stays_within_named_organisations_and_red_with_named_people(content, people, registry):
    named = await registry.register("drinking_water")
    colleague_sector = await registry.register("drinking_water")
    editor = people.editor()
    strict = (await content.post("/publications", headers=editor, json={
        "kind": "analysis", "title": "Gerichte analyse", "body_markdown": "Alleen voor u.", "tlp": "AMBER+STRICT",
        "audience": {"sectors": ["drinking_water"], "organisation_ids": [str(named)]}})).json()
    await publish(content, people, strict["id"], author=editor)
    person = uuid.uuid4()
    red = (await content.post("/publications", headers=editor, json={
        "kind": "news", "title": "Voor één persoon", "body_markdown": "x", "tlp": "RED",
        "audience": {"everyone": True, "person_ids": [str(person)]}})).json()
    await publish(content, people, red["id"], author=editor)

    async def named_sees():
        return await _status(content, strict["id"], people.member(named)) == 200
    await eventually(named_sees, timeout=30)
    assert await _status(content, strict["id"], people.member(colleague_sector)) == 404
    assert await _status(content, red["id"], people.member(named)) == 404
    assert await _status(content, red["id"], people.member(colleague_sector, person_id=person)) == 200
