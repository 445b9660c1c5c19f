"""The gateway in front of the real registry and incidents services (in-process, each on its
own database of the real PostgreSQL and the shared Kafka namespace): another organisation's
ids get 404 through every layer, and a network-data upload is streamed through and comes back
with the service's per-line report."""
from __future__ import annotations

import contextlib
import re
import functools
import uuid
from pathlib import Path

import httpx
import pytest
from gateway_testkit import HostRouter, Portal, World, fake_identity, fake_service, person
from weerbaar_platform.testing import running_service

pytestmark = pytest.mark.stack
DATA = Path(__file__).resolve().parents[5] / "shared/data"


@contextlib.asynccontextmanager
async def portal_with_real_services(stack, kafka_namespace, signer):
    from gateway.app import create_app
    from gateway.settings import GatewaySettings
    from incidents.app import create_app as incidents_app
    from incidents.settings import IncidentsSettings
    from registry.app import create_app as registry_app
    from registry.settings import RegistrySettings

    world = World(signer=signer)
    async with running_service(registry_app, RegistrySettings, stack, kafka_namespace, signer, label="reg") as reg, \
            running_service(incidents_app, IncidentsSettings, stack, kafka_namespace, signer, label="inc") as inc:
        apps = {"identity": fake_identity(world), "registry": reg.app, "incidents": inc.app,
                "content": fake_service(world, "content"), "notify": fake_service(world, "notify")}
        router = HostRouter(apps)
        settings = {f"{h}_url": f"http://{h}" for h in apps} | {
            "identity_client_secret": "test-client-secret", "session_secret": "r" * 40,
            "public_url": "http://127.0.0.1:28080"}
        async with running_service(functools.partial(create_app, http_transport=router), GatewaySettings, stack,
                                   kafka_namespace, signer, label="gw", **settings) as gw:
            yield Portal(gw, world, router, apps)


async def test_real_services_answer_404_for_another_organisations_incident_and_the_upload_report(
        stack, kafka_namespace, signer):
    async with portal_with_real_services(stack, kafka_namespace, signer) as portal:
        org_a, org_b = uuid.uuid4(), uuid.uuid4()
        b_client = portal.new_client()
        await portal.login(person("Bea", org=org_b), client=b_client)
        b_csrf = await portal.csrf(b_client)
        opened = await b_client.post(f"/api/organisations/{org_b}/incidents", headers={"X-CSRF-Token": b_csrf},
                                     json={"title": "Storing zuiveringsinstallatie",
                                           "became_aware_at": "2025-03-14T09:30:00+01:00"})
        assert opened.status_code in (200, 201), opened.text
        incident_b = opened.json()["id"]
        assert (await b_client.get(f"/api/organisations/{org_b}/incidents/{incident_b}")).status_code == 200

        await portal.login(person("Ali", org=org_a))
        csrf = await portal.csrf()
        for method, path in [("GET", f"/api/organisations/{org_a}/incidents/{incident_b}"),
                             ("GET", f"/api/organisations/{org_a}/incidents/{incident_b}/stix"),
                             ("GET", f"/api/organisations/{org_a}/incidents/{incident_b}/drafts/early_warning"),
                             ("PUT", f"/api/organisations/{org_a}/incidents/{incident_b}/drafts/early_warning"),
                             ("POST", f"/api/organisations/{org_a}/incidents/{incident_b}/stages/early_warning"),
                             ("POST", f"/api/organisations/{org_a}/incidents/{incident_b}/end"),
                             ("GET", f"/api/organisations/{org_b}/incidents/{incident_b}"),
                             ("GET", f"/api/organisations/{org_b}"),
                             ("GET", f"/api/organisations/{org_a}")]:
            body = {"incident_ended_at": "2025-03-15T10:00:00+01:00"} if path.endswith("/end") else {}
            resp = await portal.client.request(method, path, headers={"X-CSRF-Token": csrf}, json=body)
            assert resp.status_code == 404, (method, path, resp.status_code, resp.text)
        assert (await portal.client.get(f"/incidenten/{incident_b}")).status_code == 404

        tricky = (DATA / "netdata/upload_networks_tricky.txt").read_bytes()
        upload = await portal.client.post(f"/netwerkgegevens/upload?csrf_token={csrf}",
                                          files={"file": ("upload_networks_tricky.txt", tricky, "text/plain")})
        assert upload.status_code in (200, 422), upload.text
        page = upload.text
        assert "Verslag per regel" in page and "upload-summary" in page
        lines = [line for line in tricky.decode().splitlines() if line.strip() and not line.startswith("#")]
        assert page.count('<tr class="utrecht-table__row"><td class="utrecht-table__cell">') >= len(lines) // 2
        api = await portal.client.post(f"/api/organisations/{org_a}/netdata/uploads?dry_run=true",
                                       headers={"X-CSRF-Token": csrf, "Content-Type": "text/plain"}, content=tricky)
        assert api.status_code in (200, 422), api.text
        assert api.json()["report"]["outcomes"], api.text


async def test_evidence_goes_through_the_gateway_as_a_form_and_comes_back_byte_for_byte(
        stack, kafka_namespace, signer):
    import hashlib

    async with portal_with_real_services(stack, kafka_namespace, signer) as portal:
        org_a, org_b = uuid.uuid4(), uuid.uuid4()
        await portal.login(person("Bea", org=org_b))
        csrf = await portal.csrf()
        opened = await portal.client.post(f"/api/organisations/{org_b}/incidents", headers={"X-CSRF-Token": csrf},
                                          json={"title": "Phishing", "became_aware_at": "2025-03-14T09:30:00+01:00"})
        incident = opened.json()["id"]
        evidence = b"%PDF-1.7\n" + bytes(range(256)) * 40
        sent = await portal.client.post(f"/api/organisations/{org_b}/incidents/{incident}/attachments",
                                        headers={"X-CSRF-Token": csrf},
                                        files={"file": ("mail-headers.pdf", evidence, "application/pdf")})
        assert sent.status_code == 201, sent.text
        stored = sent.json()
        assert stored["sha256"] == hashlib.sha256(evidence).hexdigest() and stored["size"] == len(evidence)
        assert stored["filename"] == "mail-headers.pdf"

        path = f"/api/organisations/{org_b}/incidents/{incident}/attachments/{stored['id']}"
        fetched = await portal.client.get(path)
        assert fetched.status_code == 200 and fetched.content == evidence
        assert fetched.headers["content-disposition"].startswith("attachment;")
        assert fetched.headers["x-content-type-options"] == "nosniff"
        assert fetched.headers["content-type"] == "application/octet-stream"

        await portal.login(person("Ali", org=org_a))
        assert (await portal.client.get(path)).status_code == 404
        other = f"/api/organisations/{org_a}/incidents/{incident}/attachments/{stored['id']}"
        assert (await portal.client.get(other)).status_code == 404


async def test_anyone_can_report_an_incident_without_logging_in(stack, kafka_namespace, signer):
    async with portal_with_real_services(stack, kafka_namespace, signer) as portal:
        form = {"contact_name": "Sam Jansen", "contact_email": "sam@example.nl", "title": "Phishing op onze site",
                "description": "Bezoekers krijgen een nagemaakte inlogpagina te zien.",
                "became_aware_at": "2025-10-26T02:30"}
        page = await portal.client.get("/melden")
        assert page.status_code == 200 and 'action="/melden"' in page.text

        missing = await portal.client.post("/melden", data={**form, "contact_email": ""})
        assert missing.status_code == 422, missing.text
        assert 'href="#contact_email"' in missing.text and 'Sam Jansen' in missing.text  # what was typed stays

        sent = await portal.client.post("/melden", data=form)
        assert sent.status_code == 201, sent.text
        reference = re.search(r"<strong>([^<]+)</strong>", sent.text).group(1)
        assert reference.strip()

        # A foreign site cannot post it in someone's name: the origin check still holds.
        forged = await portal.client.post("/melden", data=form, headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403
        framed = await portal.client.post("/melden", data=form, headers={"Origin": "null"})
        assert framed.status_code == 403


async def test_an_analyst_sees_who_reported_through_the_public_form_and_what(stack, kafka_namespace, signer):
    async with portal_with_real_services(stack, kafka_namespace, signer) as portal:
        sent = await portal.client.post("/melden", data={
            "contact_name": "Sam Jansen", "contact_email": "sam@example.nl", "contact_phone": "+31 6 1111 2222",
            "title": "Phishing op onze site", "description": "Bezoekers krijgen een nagemaakte inlogpagina.\nSinds gisteren."})
        assert sent.status_code == 201, sent.text
        await portal.login(person("Eva", org=None, roles=("analist",)))
        listing = await portal.client.get("/csirt/triage")
        incident_id = re.search(r'href="/csirt/triage/([0-9a-f-]{36})"', listing.text).group(1)
        page = await portal.client.get(f"/csirt/triage/{incident_id}")
        assert page.status_code == 200, page.text
        for shown in ("Sam Jansen", "sam@example.nl", "+31 6 1111 2222", "nagemaakte inlogpagina"):
            assert shown in page.text, shown
        assert 'datetime="None"' not in page.text


async def test_evidence_is_one_whole_file_or_nothing(stack, kafka_namespace, signer):
    """Found by breaking it: two file parts were stored joined as one attachment, and a form
    without its closing boundary was stored as if complete."""
    async with portal_with_real_services(stack, kafka_namespace, signer) as portal:
        org = uuid.uuid4()
        await portal.login(person("Bea", org=org))
        csrf = await portal.csrf()
        incident = (await portal.client.post(f"/api/organisations/{org}/incidents", headers={"X-CSRF-Token": csrf},
                    json={"title": "Phishing", "became_aware_at": "2025-03-14T09:30:00+01:00"})).json()["id"]
        path = f"/api/organisations/{org}/incidents/{incident}/attachments"

        def form(*parts: bytes, closed: bool = True) -> bytes:
            body = b"".join(b'--B\r\nContent-Disposition: form-data; name="file"; filename="%s.txt"\r\n'
                            b"Content-Type: text/plain\r\n\r\n%s\r\n" % (p[:1], p) for p in parts)
            return body + (b"--B--\r\n" if closed else b"")
        headers = {"X-CSRF-Token": csrf, "Content-Type": "multipart/form-data; boundary=B"}
        two = await portal.client.post(path, headers=headers, content=form(b"AAAA", b"BBBB"))
        assert two.status_code == 422 and two.json()["errors"][0]["code"] == "more_than_one_file"
        cut = await portal.client.post(path, headers=headers, content=form(b"CCCC", closed=False))
        assert cut.status_code == 422 and cut.json()["errors"][0]["code"] == "incomplete_form"
        stored = (await portal.client.get(path)).json()["items"]
        assert stored == []
        whole = await portal.client.post(path, headers=headers, content=form(b"DDDD"))
        assert whole.status_code == 201 and whole.json()["size"] == 4
