"""Hostile and careless input against the services' HTTP APIs, in-process on the real
PostgreSQL and Kafka. Every refusal must be a 4xx naming the field, never a 5xx. Tests marked
xfail(strict=True) describe a bug found by the breaker session (see its report); they start
to XPASS, and so fail, once it is fixed: then drop the mark."""
import copy
import json
import tempfile
import uuid

import httpx
import pytest
from weerbaar_platform.testing import bearer, running_service

pytestmark = pytest.mark.stack

FORM = {
    "sector": "drinking_water", "rsin": "111222333", "legal_name": "Waterbedrijf Voorbeeld N.V.",
    "visiting_address": {"street": "Bezuidenhoutseweg", "house_number": "12", "postal_code": "2594 AV",
                         "city": "Den Haag", "country": "NL"},
    "email": "info@waterbedrijf.example.nl", "phone": "070 123 4567",
    "security_contact": {"phone_24x7": "+31 6 1234 5678", "email": "soc@waterbedrijf.example.nl"},
    "incident_official": {"name": "J. de Vries", "email": "j.devries@waterbedrijf.example.nl",
                          "phone": "+31 70 765 4321"},
    "group_mailbox": "csirt-meldingen@waterbedrijf.example.nl", "member_states": ["NL"],
    "size": {"employees": 900, "annual_turnover_eur": "300000000", "balance_sheet_total_eur": "1200000000"},
}


def form(**overrides):
    return copy.deepcopy(FORM) | {"kvk_number": str(10_000_000 + uuid.uuid4().int % 89_999_999)} | overrides


def person(signer, org=None, roles=("gebruiker",), **attested):
    return bearer(signer, person_id=uuid.uuid4(), organisation_id=org, roles=list(roles),
                  name="Breaker", email="breaker@example.nl", **attested)


def registrant(signer, body):
    """A person whose login attests the KvK number of the organisation they register."""
    return person(signer, kvk=body.get("kvk_number"))


def assert_field_refusal(resp: httpx.Response, field: str | None = None) -> None:
    """A 4xx with the error shape every service promises, naming the field."""
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
    errors = resp.json()["errors"]
    assert errors and all({"field", "code", "message_nl", "message_en"} <= set(e) for e in errors)
    if field is not None:
        assert field in {e["field"] for e in errors}, errors


def unraised(client) -> httpx.AsyncClient:
    """A client on the same app that turns an unhandled error into the 500 a real server sends."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=client.app, raise_app_exceptions=False),
                             base_url="http://breaker")


@pytest.fixture(scope="module")
def namespace():
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture(scope="module")
async def registry(stack, namespace, signer):
    from registry.app import create_app
    from registry.settings import RegistrySettings
    async with running_service(create_app, RegistrySettings, stack, namespace, signer, label="registry") as client:
        async with unraised(client) as plain:
            yield plain


@pytest.fixture(scope="module")
async def incidents(stack, namespace, signer):
    from incidents.app import create_app
    from incidents.settings import IncidentsSettings
    async with running_service(create_app, IncidentsSettings, stack, namespace, signer, label="incidents",
                               attachment_dir=tempfile.mkdtemp(), public_report_rate_limit=1000) as client:
        async with unraised(client) as plain:
            yield plain


@pytest.fixture(scope="module")
async def content(stack, namespace, signer):
    from content.app import create_app
    from content.settings import ContentSettings
    async with running_service(create_app, ContentSettings, stack, namespace, signer, label="content",
                               default_tlp="AMBER") as client:
        async with unraised(client) as plain:
            yield plain


# ------------------------------------------------------------------ registry: what holds


async def test_registration_refusals_name_the_field_and_change_nothing(registry, signer):
    body = form()
    created = await registry.post("/organisations", json=body, headers=registrant(signer, body))
    assert created.status_code == 201, created.text
    org = created.json()["id"]
    admin = person(signer, org, ["gebruiker", "beheerder_personen"])
    before = (await registry.get(f"/organisations/{org}", headers=admin)).json()
    bad = [form(size={"employees": -1, "annual_turnover_eur": "1", "balance_sheet_total_eur": "1"}),
           form(kvk_number="１２３４５６７８"), form(email="a@b.nl\r\nBcc: x@y.nl"), form(sector=5)]
    for body in bad:
        assert_field_refusal(await registry.put(f"/organisations/{org}", json=body,
                                                headers=admin | {"If-Match": '"1"'}))
    other = person(signer, str(uuid.uuid4()), ["gebruiker", "beheerder_personen"])
    assert (await registry.get(f"/organisations/{org}", headers=other)).status_code == 404
    assert (await registry.get(f"/organisations/{org}", headers=admin)).json() == before


async def test_one_of_many_simultaneous_identical_registrations_wins(registry, signer):
    import asyncio
    body = form()
    me = registrant(signer, body)
    answers = await asyncio.gather(*[registry.post("/organisations", json=body, headers=me) for _ in range(6)])
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5


# ------------------------------------------------------------------ registry: bugs found


async def test_nul_byte_in_legal_name_is_refused(registry, signer):
    body = form(legal_name="Water\u0000bedrijf")
    resp = await registry.post("/organisations", json=body, headers=registrant(signer, body))
    assert_field_refusal(resp, "legal_name")


async def test_weak_etag_in_if_match_is_refused(registry, signer):
    body = form()
    org = (await registry.post("/organisations", json=body, headers=registrant(signer, body))).json()["id"]
    admin = person(signer, org, ["gebruiker", "beheerder_personen"])
    current = await registry.get(f"/organisations/{org}", headers=admin)
    resp = await registry.put(f"/organisations/{org}", json=form(),
                              headers=admin | {"If-Match": "W/" + current.headers["etag"]})
    assert resp.status_code == 412 and resp.json()["errors"][0]["field"] == "If-Match"
    assert (await registry.get(f"/organisations/{org}", headers=admin)).headers["etag"] == current.headers["etag"]


@pytest.mark.parametrize("change, field", [
    ({"size": {"employees": 10**30, "annual_turnover_eur": "1", "balance_sheet_total_eur": "1"}}, "size.employees"),
    ({"size": {"employees": 1, "annual_turnover_eur": "9" * 5000, "balance_sheet_total_eur": "1"}},
     "size.annual_turnover_eur"),
    ({"size": {"employees": 1, "annual_turnover_eur": "1e999999999", "balance_sheet_total_eur": "1"}},
     "size.annual_turnover_eur"),
    ({"member_states": ["NL"] * 100_000}, "member_states"),
    ({"legal_name": "\u200b\u200b\u202e"}, "legal_name"),
], ids=["employees", "turnover-digits", "turnover-exponent", "member-states", "invisible-name"])
async def test_implausible_registration_values_are_refused(registry, signer, change, field):
    body = form(**change)
    assert_field_refusal(await registry.post("/organisations", json=body, headers=registrant(signer, body)), field)


async def test_a_megabyte_deregistration_reason_is_refused_and_nothing_changes(registry, signer):
    body = form()
    org = (await registry.post("/organisations", json=body, headers=registrant(signer, body))).json()["id"]
    admin = person(signer, org, ["gebruiker", "beheerder_personen"])
    too_big = await registry.post(f"/organisations/{org}/deregistration", json={"reason": "x" * 2_000_000},
                                  headers=admin)
    assert too_big.status_code == 413 and too_big.json()["errors"][0]["code"] == "body_too_large"
    resp = await registry.post(f"/organisations/{org}/deregistration", json={"reason": "x" * 100_000},
                               headers=admin)
    assert_field_refusal(resp, "reason")
    assert (await registry.get(f"/organisations/{org}", headers=admin)).json()["status"] == "registered"


# ------------------------------------------------------------------ incidents


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00",
                                    "9999-12-31T23:59:59-12:00"])
async def test_absurd_awareness_years_are_refused(incidents, signer, moment):
    resp = await incidents.post("/incidents", json={"title": "x", "became_aware_at": moment},
                                headers=person(signer, str(uuid.uuid4())))
    assert_field_refusal(resp, "became_aware_at")


async def test_public_form_refuses_absurd_awareness_year(incidents):
    body = {"contact": {"name": "A", "email": "a@example.nl"}, "title": "t", "description": "d",
            "became_aware_at": "0001-01-01T00:00:00+14:00"}
    assert_field_refusal(await incidents.post("/public/reports", json=body), "became_aware_at")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
async def test_absurd_incident_end_is_refused(incidents, signer, moment):
    me = person(signer, str(uuid.uuid4()))
    opened = await incidents.post("/incidents", json={"title": "x", "became_aware_at": "2025-01-01T10:00:00Z"},
                                  headers=me)
    assert opened.status_code == 201, opened.text
    resp = await incidents.post(f"/incidents/{opened.json()['id']}/end", json={"incident_ended_at": moment}, headers=me)
    assert_field_refusal(resp, "incident_ended_at")


async def test_nul_bytes_in_incident_text_are_refused(incidents, signer):
    me = person(signer, str(uuid.uuid4()))
    assert_field_refusal(await incidents.post("/incidents", json={"title": "a\u0000b",
                                                                  "became_aware_at": "2025-01-01T10:00:00Z"}, headers=me))


async def test_half_a_utf16_pair_in_incident_text_is_refused_and_nothing_is_stored(incidents, signer):
    org = str(uuid.uuid4())
    me = person(signer, org)
    body = b'{"title": "Storing \\ud800", "description": "half a pair: \\udc00", "became_aware_at": "2025-01-01T10:00:00Z"}'
    resp = await incidents.post("/incidents", content=body, headers=me | {"Content-Type": "application/json"})
    assert_field_refusal(resp)
    assert (await incidents.get("/incidents", headers=me)).json()["items"] == []


async def test_a_150_mb_draft_is_refused_and_the_stored_draft_stays(incidents, signer):
    org = str(uuid.uuid4())
    me = person(signer, org)
    opened = await incidents.post("/incidents", json={"title": "Storing", "became_aware_at": "2025-01-01T10:00:00Z"},
                                  headers=me)
    draft = f"/incidents/{opened.json()['id']}/drafts/final"
    saved = await incidents.put(draft, json={"description": "wat we tot nu toe weten"}, headers=me)
    assert saved.status_code in (200, 204), saved.text
    before = (await incidents.get(draft, headers=me)).json()
    huge = b'{"description": "' + b"x" * (150 * 1024 * 1024) + b'"}'
    resp = await incidents.put(draft, content=huge, headers=me | {"Content-Type": "application/json"})
    assert resp.status_code == 413 and resp.json()["errors"][0]["code"] == "body_too_large"
    assert (await incidents.get(draft, headers=me)).json() == before


@pytest.mark.parametrize("title", ["   ", "\u202e"], ids=["spaces", "rtl-mark"])
async def test_blank_incident_title_is_refused(incidents, signer, title):
    resp = await incidents.post("/incidents", json={"title": title, "became_aware_at": "2025-01-01T10:00:00Z"},
                                headers=person(signer, str(uuid.uuid4())))
    assert_field_refusal(resp, "title")


@pytest.mark.parametrize("body", [b"1" * 200_000, b"[" * 100_000 + b"]" * 100_000], ids=["long-line", "deep-json"])
async def test_netdata_upload_of_pathological_file_is_refused(incidents, signer, body):
    nb = person(signer, str(uuid.uuid4()), ["gebruiker", "beheerder_netwerk"])
    assert_field_refusal(await incidents.post("/netdata/uploads?dry_run=true", content=body, headers=nb), "file")


async def test_netdata_version_beyond_int32_is_not_found(incidents, signer):
    nb = person(signer, str(uuid.uuid4()), ["gebruiker", "beheerder_netwerk"])
    resp = await incidents.get("/netdata/versions/99999999999999999999", headers=nb)
    assert resp.status_code in (404, 422), resp.status_code


async def test_feed_run_with_a_field_over_the_csv_limit_is_refused(incidents, signer):
    feed = b"ip,hostname\n198.51.100.1," + b"a" * 200_000 + b"\n"
    resp = await incidents.post("/netdata/feed-runs?name=breaker", content=feed,
                                headers=person(signer, roles=["analist"]))
    assert_field_refusal(resp, "file")


# ------------------------------------------------------------------ content


async def test_deeply_nested_advisory_is_refused(content, signer):
    resp = await content.post("/advisories", content=b"[" * 100_000 + b"]" * 100_000,
                              headers=person(signer, roles=["redacteur"]) | {"Content-Type": "application/json"})
    assert 400 <= resp.status_code < 500, resp.status_code


@pytest.mark.parametrize("change, field", [
    ({"audience": {"x": 1}}, "audience.x"), ({"audience": {"sector": ["drinking_water"]}}, "audience.sector"),
    ({"title": "   "}, "title"), ({"title": "\u200b"}, "title"),
], ids=["unknown-key", "typo-key", "blank-title", "zero-width-title"])
async def test_publication_with_unknown_audience_key_or_blank_title_is_refused(content, signer, change, field):
    body = {"kind": "news", "title": "t", "body_markdown": "b", "tlp": "CLEAR", "audience": {"everyone": True}}
    resp = await content.post("/publications", json=body | change, headers=person(signer, roles=["redacteur"]))
    assert_field_refusal(resp, field)


async def test_nul_in_publication_title_is_refused(content, signer):
    body = {"kind": "news", "title": "t\u0000", "body_markdown": "b", "tlp": "CLEAR", "audience": {"everyone": True}}
    assert_field_refusal(await content.post("/publications", json=body, headers=person(signer, roles=["redacteur"])))


# ------------------------------------------------------------------ notify


@pytest.fixture(scope="module")
async def notify(stack, namespace, signer):
    from notify.app import create_app
    from notify.settings import NotifySettings
    async with running_service(create_app, NotifySettings, stack, namespace, signer, label="notify",
                               smtp_host=stack.smtp_host or "127.0.0.1", smtp_port=stack.smtp_port or 28025,
                               portal_base_url="https://portaal.weerbaar.test", digest_poll_seconds=3600) as client:
        async with unraised(client) as plain:
            yield plain


async def test_mandatory_notification_category_cannot_be_switched_off(notify, signer):
    resp = await notify.put("/preferences", json={"categories": {"deadlines": "off"}}, headers=person(signer))
    assert_field_refusal(resp, "categories.deadlines")


async def test_nul_in_message_reference_is_not_found(notify, signer):
    resp = await notify.get("/messages/%00", headers=person(signer))
    assert resp.status_code in (404, 422), resp.status_code


async def test_a_refusal_carries_the_callers_reference(notify, signer):
    # Once a 500 (a NUL reaching PostgreSQL, answered outside the correlation scope); now the
    # caller's 422 with the reference. A real 500's reference: libs/platform/tests/test_errors.py.
    resp = await notify.get("/messages/%00", headers=person(signer) | {"X-Correlation-Id": "breaker-ref-1"})
    assert resp.status_code == 422
    assert resp.json()["correlation_id"] == "breaker-ref-1"
    assert resp.headers["x-correlation-id"] == "breaker-ref-1"
