"""The portal's advisory list filters (day, CVE, product, score, ratings) over the real shared
CSAF files, on the real PostgreSQL and Kafka: each filter keeps exactly the advisories it names."""
from datetime import date, timedelta

import pytest
from weerbaar_platform.testing import eventually

from .conftest import csaf_file, publish, upload

pytestmark = pytest.mark.stack

FILES = {"bsi": "bsi-2022-0001.json", "cisco": "cisco-sa-20180328-smi2.json", "redhat": "rhsa-2022_0011.json"}


async def test_each_filter_keeps_exactly_the_advisories_it_names(content, people, registry):
    ids = {}
    for name, file in FILES.items():
        uploaded = await upload(content, people.editor(), csaf_file(file))
        assert uploaded.status_code == 201, uploaded.text
        ids[name] = uploaded.json()["id"]
        await publish(content, people, ids[name], audience={"everyone": True}, tlp="CLEAR")
    reader = people.member(await registry.register("drinking_water"))

    async def listed(**params) -> set[str]:
        response = await content.get("/publications", headers=reader, params={"kind": "advisory", **params})
        assert response.status_code == 200, response.text
        return {next(n for n, i in ids.items() if i == item["id"]) for item in response.json()["items"]
                if item["id"] in ids.values()}

    await eventually(lambda: _all_seen(listed), timeout=30)  # the registry's event reached the read model

    details = {n: (await content.get(f"/publications/{i}", headers=reader)).json()["advisory"] for n, i in ids.items()}
    assert await listed(cve="CVE-2022-27193") == {"bsi"}
    assert await listed(cve=details["redhat"]["cves"][0].lower()) == {"redhat"}  # case does not matter
    assert await listed(product="IOS XE") == {"cisco"}
    today = date.today()
    assert await listed(published_from=today.isoformat(), published_to=today.isoformat()) == set(FILES)
    assert await listed(published_from=(today + timedelta(days=1)).isoformat()) == set()
    assert await listed(published_to=(today - timedelta(days=1)).isoformat()) == set()

    scores = {n: d.get("max_base_score") for n, d in details.items() if d.get("max_base_score") is not None}
    assert scores, details
    top = max(scores.values())
    assert await listed(min_score=top) == {n for n, s in scores.items() if s >= top}
    assert await listed(min_score=0) == set(scores)
    refused = await content.get("/publications", headers=reader, params={"min_score": 11})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "min_score"


async def _all_seen(listed):
    return await listed() == set(FILES)
