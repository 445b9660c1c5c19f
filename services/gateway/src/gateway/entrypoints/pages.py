"""The web pages: server-rendered, Dutch first, every form with the CSRF token, every part
whose service does not answer shown as "not available" while the rest of the page works.
Forms post back here; we call the owning service and redirect (post/redirect/get), or show the
form again with an error summary linked to the fields."""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from weerbaar_platform.auth import STAFF_ROLES
from weerbaar_platform import correlation
from weerbaar_platform.errors import DomainError

from ..adapters.upstream import NotAMember, SessionEnded, Unavailable
from ..domain import parts
from ..domain.language import Texts
from ..domain.session import Session, token_claims
from .api import compose_dashboard, stream_through
from .web import extras, language, login_redirect, render, session_of

router = APIRouter(include_in_schema=False)


class LoginRequired(Exception):
    """Handled in app.py: the browser goes to the login page and comes back afterwards."""


def page_session(request: Request) -> Session:
    session = session_of(request)
    if session is None:
        raise LoginRequired()
    return session


class StaffOnly(Exception):
    """Handled in app.py: a 403 page saying these pages are for CSIRT staff."""


def staff_session(request: Request) -> Session:
    session = page_session(request)
    if not session.has(*STAFF_ROLES):
        raise StaffOnly()
    return session


async def fetch(request: Request, session: Session, service: str, path: str, part: str,
                params=None) -> tuple[Any, dict | None]:
    """(data, None), or (None, an `unavailable` part). A 404 is (None, None): nothing there."""
    try:
        resp = await extras(request)["upstream"].call(session, service, "GET", path, params=params)
    except Unavailable as exc:
        return None, parts.unavailable(part, exc.reason, correlation.current())
    except SessionEnded:
        raise LoginRequired() from None
    if resp.status_code == 404:
        return None, None
    if resp.status_code in (401, 403):
        return None, parts.refused(part, _json_or_none(resp))
    if resp.status_code != 200:
        return None, parts.unavailable(part, f"answered {resp.status_code}")
    try:
        return resp.json(), None
    except ValueError:
        return None, parts.unavailable(part, "invalid answer")


async def call(request: Request, session: Session, service: str, method: str, path: str, part: str,
               **kw) -> tuple[Any, dict | None]:
    """(the service's response, None), or (None, an `unavailable` part)."""
    try:
        return await extras(request)["upstream"].call(session, service, method, path, **kw), None
    except Unavailable as exc:
        return None, parts.unavailable(part, exc.reason, correlation.current())
    except SessionEnded:
        raise LoginRequired() from None


def _json_or_none(resp) -> Any:
    try:
        return resp.json()
    except ValueError:
        return None


def refusal_of(resp) -> tuple[Any, list[dict]]:
    """(answer, field errors) of a service's response; no errors when it said yes."""
    try:
        answer = resp.json() if resp.content else None
    except ValueError:
        answer = None
    if resp.status_code < 400:
        return answer, []
    errors = (answer or {}).get("errors") if isinstance(answer, dict) else None
    return answer, errors or [{"field": "(request)", "message_nl": "Het verzoek is geweigerd.",
                               "message_en": "The request was refused."}]


async def send(request: Request, session: Session, service: str, method: str, path: str, part: str,
               body: Any = None, headers: dict | None = None) -> tuple[Any, list[dict], dict | None]:
    """(answer, field errors, unavailable part) of a change made on the person's behalf."""
    resp, missing = await call(request, session, service, method, path, part, json=body, headers=headers)
    if missing:
        return None, [], missing
    answer, errors = refusal_of(resp)
    return answer, errors, None


def error_summary(errors: list[dict], lang: str, known_fields: set[str]) -> tuple[list[dict], dict[str, str]]:
    """Errors for the summary (each linked to its field) and per field for the inputs."""
    t = Texts(lang)
    summary, by_field = [], {}
    for e in errors:
        message = t.pick(e)
        field = (e.get("field") or "").replace(".", "_")
        anchor = field if field in known_fields else "inhoud"
        summary.append({"anchor": anchor, "message": message})
        if field in known_fields:
            by_field.setdefault(field, message)
    return summary, by_field


async def form_of(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ------------------------------------------------------------------ public pages


@router.get("/")
async def home(request: Request):
    session = session_of(request)
    if session is None:
        return render(request, "home.html", title="Weerbaar",
                      logged_out=request.query_params.get("uitgelogd") == "1")
    try:
        board = await compose_dashboard(extras(request)["upstream"], session)
    except SessionEnded:
        raise LoginRequired() from None
    return render(request, "dashboard.html", title=Texts(language(request))("Overzicht", "Dashboard"), board=board)


PUBLIC_REPORT_FIELDS = {"contact_name", "contact_email", "contact_phone", "organisation_name", "title",
                        "description", "became_aware_at"}
#: The incidents service's field names, as the page's inputs.
_PUBLIC_REPORT_INPUTS = {"contact.name": "contact_name", "contact.email": "contact_email",
                         "contact.phone": "contact_phone"}


@router.get("/melden")
async def public_report_page(request: Request):
    t = Texts(language(request))
    return render(request, "public_report.html", title=t("Incident melden", "Report an incident"), form={},
                  field_errors={}, reference=None)


@router.post("/melden")
async def public_report_submit(request: Request):
    """The report form anyone may use, passed to the incidents service with the sender's address
    (which it rate-limits on); the answer is the reference, or what to correct."""
    t, lang = Texts(language(request)), language(request)
    form = await form_of(request)
    opt = lambda k: (form.get(k) or "").strip() or None  # noqa: E731
    body = {"contact": {"name": form.get("contact_name", ""), "email": form.get("contact_email", ""),
                        "phone": opt("contact_phone")},
            "organisation_name": opt("organisation_name"), "title": form.get("title", ""),
            "description": form.get("description", ""), "became_aware_at": opt("became_aware_at")}
    settings = request.app.state.settings
    client = request.client.host if request.client else "unknown"
    try:
        resp = await extras(request)["http"].post(
            settings.service_url("incidents") + "/public/reports", json=body,
            headers={"X-Forwarded-For": client, correlation.HEADER: correlation.current() or ""},
            timeout=settings.service_write_timeout_seconds)
    except httpx.HTTPError:  # the service is down or slow: say so, keep what was typed
        resp = None
    if resp is not None and resp.status_code == 201:
        return render(request, "public_report.html", title=t("Melding ontvangen", "Report received"), form={},
                      field_errors={}, reference=resp.json().get("reference"), status_code=201)
    if resp is not None and resp.status_code in (413, 422, 429):
        errors = [{**e, "field": _PUBLIC_REPORT_INPUTS.get(e.get("field"), e.get("field"))}
                  for e in resp.json().get("errors", [])]
        status = resp.status_code
    else:
        errors = [parts.unavailable("incidents", "unavailable")]
        status = 503
    summary, by_field = error_summary(errors, lang, PUBLIC_REPORT_FIELDS)
    return render(request, "public_report.html", title=t("Incident melden", "Report an incident"), form=form,
                  field_errors=by_field, errors=summary, reference=None, status_code=status)


@router.get("/toegankelijkheid")
async def accessibility(request: Request):
    return render(request, "accessibility.html", title=Texts(language(request))(
        "Toegankelijkheidsverklaring", "Accessibility statement"))


# ------------------------------------------------------------------ registration


REGISTRATION_FIELDS = ("sector", "subsector", "entity_type", "legal_name", "kvk_number", "rsin", "oin",
                       "street", "house_number", "postal_code", "city", "email", "phone",
                       "security_email", "security_phone", "official_name", "official_email", "official_phone",
                       "group_mailbox", "employees", "annual_turnover_eur", "balance_sheet_total_eur")
#: The registry's nested fields <-> the flat HTML form (the rest have the same name).
NESTED_FIELDS = {
    "visiting_address.street": "street", "visiting_address.house_number": "house_number",
    "visiting_address.postal_code": "postal_code", "visiting_address.city": "city",
    "security_contact.email": "security_email", "security_contact.phone_24x7": "security_phone",
    "incident_official.name": "official_name", "incident_official.email": "official_email",
    "incident_official.phone": "official_phone", "size.employees": "employees",
    "size.annual_turnover_eur": "annual_turnover_eur", "size.balance_sheet_total_eur": "balance_sheet_total_eur",
}


def registration_errors(errors: list[dict]) -> list[dict]:
    """The registry's error fields (`security_contact.email`) named as the form's inputs."""
    out = []
    for e in errors:
        field = str(e.get("field") or "")
        nested = next((flat for path, flat in NESTED_FIELDS.items() if field == path or field.startswith(path + ".")),
                      None)
        if nested is None and "." in field:
            nested = next((flat for path, flat in NESTED_FIELDS.items() if path.startswith(field + ".")), None)
        out.append({**e, "field": nested or field})
    return out


def registration_body(form: dict[str, str]) -> dict[str, Any]:
    """The registry's registration form from the flat HTML form."""
    def opt(name):
        value = (form.get(name) or "").strip()
        return value or None

    body: dict[str, Any] = {
        "sector": opt("sector"), "subsector": opt("subsector"), "entity_type": opt("entity_type"),
        "legal_name": opt("legal_name"), "kvk_number": opt("kvk_number"), "rsin": opt("rsin"), "oin": opt("oin"),
        "visiting_address": {"street": opt("street"), "house_number": opt("house_number"),
                             "postal_code": opt("postal_code"), "city": opt("city"), "country": "NL"},
        "email": opt("email"), "phone": opt("phone"),
        "security_contact": {"email": opt("security_email"), "phone_24x7": opt("security_phone")},
        "incident_official": {"name": opt("official_name"), "email": opt("official_email"),
                              "phone": opt("official_phone")},
        "group_mailbox": opt("group_mailbox"), "member_states": ["NL"],
    }
    if any(opt(k) for k in ("employees", "annual_turnover_eur", "balance_sheet_total_eur")):
        body["size"] = {"employees": opt("employees"), "annual_turnover_eur": opt("annual_turnover_eur"),
                        "balance_sheet_total_eur": opt("balance_sheet_total_eur")}
    return {k: v for k, v in body.items() if v is not None}


def registration_form(registration: dict[str, Any]) -> dict[str, str]:
    """The flat HTML form, filled from a stored registration (for the edit page)."""
    form = {k: registration.get(k) for k in REGISTRATION_FIELDS if not isinstance(registration.get(k), dict)}
    for path, flat in NESTED_FIELDS.items():
        outer, inner = path.split(".")
        form[flat] = (registration.get(outer) or {}).get(inner)
    return {k: "" if v is None else str(v) for k, v in form.items()}


async def act_for_new_organisation(request: Request, session: Session, organisation_id: str,
                                   wait_seconds: float) -> Session | None:
    """Act for an organisation the person just registered. identity makes them its people admin
    when the registry's event reaches it, a moment after the registry answered; until then it
    refuses, so ask again for a few seconds instead of failing the page."""
    deadline = time.monotonic() + wait_seconds
    pause = 0.1
    while True:
        try:
            return await extras(request)["upstream"].fresh(session, organisation_id=organisation_id)
        except NotAMember:
            if time.monotonic() + pause > deadline:
                return None
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)
        except (SessionEnded, Unavailable):
            return None


@router.get("/registratie")
async def registration_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    entry, entry_missing = (None, None)
    notice = t("De wijziging is opgeslagen.", "The change was saved.") if request.query_params.get("gewijzigd") else None
    new_org = request.query_params.get("organisatie")
    if request.query_params.get("geregistreerd") and new_org and session.acting_organisation != new_org:
        try:
            UUID(new_org)
        except ValueError:
            new_org = None
        if new_org and (fresh := await act_for_new_organisation(request, session, new_org, wait_seconds=2.0)):
            session = fresh
        else:
            notice = t("Uw registratie is ontvangen. Uw rol als beheerder wordt zo actief: ververs deze "
                       "pagina over enkele seconden.",
                       "Your registration was received. Your admin role becomes active in a moment: "
                       "reload this page in a few seconds.")
    if session.acting_organisation:
        entry, entry_missing = await fetch(request, session, "registry",
                                           f"/organisations/{session.acting_organisation}", "registration")
    sectors, sectors_missing = await fetch(request, session, "registry", "/sectors", "registration")
    chosen = request.query_params.get("sector")
    return render(request, "registration.html", title=t("Registratie", "Registration"), entry=entry,
                  entry_missing=entry_missing, sectors=(sectors or {}).get("sectors", []),
                  sectors_missing=sectors_missing, chosen=chosen, form=_registration_start(session, chosen),
                  field_errors={}, notice=notice)


def _registration_start(session: Session, sector: str | None) -> dict[str, str]:
    """A new registration starts with what the login already says: eHerkenning's KvK number or
    SSOnRijk's OIN (the registry accepts no other)."""
    claims = token_claims(session.access_token)
    return {"sector": sector or "", "kvk_number": claims.get("kvk") or "", "oin": claims.get("oin") or ""}


@router.post("/registratie")
async def registration_submit(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    form = await form_of(request)
    answer, errors, missing = await send(request, session, "registry", "POST", "/organisations", "registration",
                                         registration_body(form))
    if not errors and not missing:
        organisation_id = str(answer.get("id", ""))
        if await act_for_new_organisation(request, session, organisation_id, wait_seconds=5.0):
            return back("/registratie?geregistreerd=1")
        return back(f"/registratie?geregistreerd=1&organisatie={quote(organisation_id)}")
    sectors, sectors_missing = await fetch(request, session, "registry", "/sectors", "registration")
    summary, by_field = error_summary(registration_errors(errors), language(request), set(REGISTRATION_FIELDS))
    return render(request, "registration.html", status_code=422 if errors else 503,
                  title=t("Registratie", "Registration"), entry=None, entry_missing=missing,
                  sectors=(sectors or {}).get("sectors", []), sectors_missing=sectors_missing,
                  chosen=form.get("sector"), form=form, errors=summary, field_errors=by_field)


# ------------------------------------------------------------------ people and roles


@router.get("/personen")
async def people_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    people, missing = (None, parts.unavailable("people", "no organisation"))
    if session.acting_organisation:
        people, missing = await fetch(request, session, "identity",
                                      f"/organisations/{session.acting_organisation}/members", "people")
    return render(request, "people.html", title=t("Personen en rollen", "People and roles"), people=people,
                  missing=missing, field_errors={}, form={},
                  notice=t("Gedaan.", "Done.") if request.query_params.get("ok") else None)


@router.post("/personen/uitnodigen")
async def people_invite(request: Request, session: Session = Depends(page_session)):
    form = await form_of(request)
    org = session.acting_organisation
    _, errors, missing = await send(request, session, "identity", "POST", f"/organisations/{org}/invitations",
                                    "people", {"email": form.get("email", ""),
                                               "roles": [r for r in ("gebruiker", "beheerder_personen", "beheerder_netwerk") if form.get(f"role_{r}")]})
    return await _people_result(request, session, errors, missing, form)


@router.post("/personen/{person_id}/rollen")
async def people_grant(request: Request, person_id: UUID, session: Session = Depends(page_session)):
    form = await form_of(request)
    org = session.acting_organisation
    _, errors, missing = await send(request, session, "identity", "POST",
                                    f"/organisations/{org}/members/{person_id}/roles", "people",
                                    {"role": form.get("role", "")})
    return await _people_result(request, session, errors, missing, form)


@router.post("/personen/{person_id}/rollen/{role}/intrekken")
async def people_withdraw(request: Request, person_id: UUID, role: str, session: Session = Depends(page_session)):
    org = session.acting_organisation
    _, errors, missing = await send(request, session, "identity", "DELETE",
                                    f"/organisations/{org}/members/{person_id}/roles/{role}", "people")
    return await _people_result(request, session, errors, missing, {})


async def _people_result(request, session, errors, missing, form):
    if not errors and not missing:
        return back("/personen?ok=1")
    t = Texts(language(request))
    people, people_missing = await fetch(request, session, "identity",
                                         f"/organisations/{session.acting_organisation}/members", "people")
    summary, by_field = error_summary(errors, language(request), {"email", "name", "role"})
    return render(request, "people.html", status_code=422 if errors else 503,
                  title=t("Personen en rollen", "People and roles"), people=people, missing=missing or people_missing,
                  errors=summary, field_errors=by_field, form=form)


# ------------------------------------------------------------------ incidents


STAGES = ("early_warning", "notification", "intermediate", "final", "progress")


@router.get("/incidenten")
async def incidents_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/incidents", "incidents")
    return render(request, "incidents.html", title=t("Incidenten", "Incidents"),
                  incidents=(data or {}).get("items", []), missing=missing, form={}, field_errors={})


@router.post("/incidenten")
async def incidents_open(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    form = await form_of(request)
    answer, errors, missing = await send(request, session, "incidents", "POST", "/incidents", "incidents",
                                         {"title": form.get("title", ""), "became_aware_at": form.get("became_aware_at", "")})
    if not errors and not missing:
        return back(f"/incidenten/{answer['id']}")
    data, _ = await fetch(request, session, "incidents", "/incidents", "incidents")
    summary, by_field = error_summary(errors, language(request), {"title", "became_aware_at"})
    return render(request, "incidents.html", status_code=422 if errors else 503, title=t("Incidenten", "Incidents"),
                  incidents=(data or {}).get("items", []), missing=missing, form=form, errors=summary,
                  field_errors=by_field)


@router.get("/incidenten/{incident_id}")
async def incident_page(request: Request, incident_id: UUID, session: Session = Depends(page_session)):
    t = Texts(language(request))
    incident, missing = await fetch(request, session, "incidents", f"/incidents/{incident_id}", "incidents")
    if incident is None and missing is None:
        return render(request, "error.html", status_code=404, title_nl="Niet gevonden", title_en="Not found",
                      message_nl="Dit incident bestaat niet of is niet van uw organisatie.",
                      message_en="This incident does not exist or is not your organisation's.")
    return render(request, "incident.html", title=t("Incident", "Incident"), incident=incident, missing=missing,
                  stages=STAGES, field_errors={}, form={},
                  notice=t("Opgeslagen.", "Saved.") if request.query_params.get("ok") else None)


def _stage_data(form: dict[str, str]) -> dict[str, Any]:
    """Stage fields are posted as `f_<name>`; empty ones are left out (the service says what is missing)."""
    return {k[2:]: v for k, v in form.items() if k.startswith("f_") and v.strip()}


@router.post("/incidenten/{incident_id}/{stage}")
async def incident_stage(request: Request, incident_id: UUID, stage: str, session: Session = Depends(page_session)):
    t = Texts(language(request))
    if stage not in STAGES:
        return back(f"/incidenten/{incident_id}")
    form = await form_of(request)
    data = _stage_data(form)
    if form.get("action") == "draft":
        _, errors, missing = await send(request, session, "incidents", "PUT",
                                        f"/incidents/{incident_id}/drafts/{stage}", "incidents", data)
    else:
        _, errors, missing = await send(request, session, "incidents", "POST",
                                        f"/incidents/{incident_id}/stages/{stage}", "incidents", {"data": data})
    if not errors and not missing:
        return back(f"/incidenten/{incident_id}?ok=1")
    incident, _ = await fetch(request, session, "incidents", f"/incidents/{incident_id}", "incidents")
    summary, by_field = error_summary([{**e, "field": "f_" + str(e.get("field", "")).split(".")[-1]} for e in errors],
                                      language(request), {"f_" + k for k in form if k.startswith("f_")} | {
                                          k for k in form if k.startswith("f_")})
    return render(request, "incident.html", status_code=422 if errors else 503, title=t("Incident", "Incident"),
                  incident=incident, missing=missing, stages=STAGES, errors=summary, field_errors=by_field,
                  form=form, open_stage=stage)


# ------------------------------------------------------------------ network data


@router.get("/netwerkgegevens")
async def netdata_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/netdata/registrations", "netdata")
    findings, findings_missing = await fetch(request, session, "incidents", "/netdata/findings", "netdata")
    proven = request.query_params.get("bewezen")
    return render(request, "netdata.html", title=t("Netwerkgegevens", "Network data"), netdata=data,
                  missing=missing, findings=findings, findings_missing=findings_missing, report=None,
                  notice=t(f"Het eigendom van {proven} is bewezen.", f"Ownership of {proven} is proven.")
                  if proven else None)


@router.post("/netwerkgegevens/upload")
async def netdata_upload(request: Request, session: Session = Depends(page_session)):
    """The file is streamed through to the incidents service; its per-line report is shown."""
    t = Texts(language(request))
    try:
        resp = await stream_through(request, session, "incidents", "/netdata/uploads", "netdata", form_file=True)
        report, status, missing = json.loads(resp.body), resp.status_code, None
    except DomainError as exc:
        report, status = {"errors": [e.as_dict() for e in exc.errors]}, exc.status
        missing = parts.unavailable("netdata", "unavailable") if exc.status == 503 else None
    return render(request, "netdata.html", status_code=status if status >= 400 else 200,
                  title=t("Netwerkgegevens", "Network data"), netdata=None, missing=missing, findings=None,
                  findings_missing=None, report=report)


async def _domain_proof_page(request, session, value: str, *, errors=(), status_code=200):
    """The TXT record to publish for `value` (incidents hands out the same token until proven)."""
    t = Texts(language(request))
    record, problems, missing = await send(request, session, "incidents", "POST", "/netdata/claims/challenge",
                                           "netdata", {"value": value})
    summary, by_field = error_summary(list(errors) + problems, language(request), {"value"})
    return render(request, "netdata_proof.html", status_code=422 if problems else (503 if missing else status_code),
                  title=t("Eigendom van een domein bewijzen", "Prove ownership of a domain"), value=value,
                  record=None if problems else record, missing=missing, errors=summary, field_errors=by_field)


@router.post("/netwerkgegevens/domeinbewijs")
async def domain_proof(request: Request, session: Session = Depends(page_session)):
    form = await form_of(request)
    return await _domain_proof_page(request, session, (form.get("value") or "").strip())


@router.post("/netwerkgegevens/domeinbewijs/controleren")
async def domain_proof_check(request: Request, session: Session = Depends(page_session)):
    form = await form_of(request)
    value = (form.get("value") or "").strip()
    answer, errors, missing = await send(request, session, "incidents", "POST", "/netdata/claims/verify",
                                         "netdata", {"value": value})
    if not errors and not missing and isinstance(answer, dict) and answer.get("proven"):
        return back(f"/netwerkgegevens?bewezen={quote(answer.get('value') or value)}")
    if missing:
        errors = [{"field": "value", **missing}]
    return await _domain_proof_page(request, session, value, errors=errors, status_code=422)


# ------------------------------------------------------------------ advisories and analyses


FILTERS = ("kind", "cve", "product", "probability", "damage", "urgency", "relevant", "published_from", "published_to",
           "min_score")


@router.get("/adviezen")
async def advisories_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    chosen = {k: v for k in FILTERS if (v := request.query_params.get(k))}
    data, missing = await fetch(request, session, "content", "/publications", "advisories", params=chosen)
    return render(request, "advisories.html", title=t("Adviezen en analyses", "Advisories and analyses"),
                  items=(data or {}).get("items", []), total=(data or {}).get("total", 0), missing=missing,
                  chosen=chosen)


@router.get("/adviezen/{publication_id}")
async def advisory_page(request: Request, publication_id: UUID, session: Session = Depends(page_session)):
    t = Texts(language(request))
    item, missing = await fetch(request, session, "content", f"/publications/{publication_id}", "advisories")
    if item is None and missing is None:
        return render(request, "error.html", status_code=404, title_nl="Niet gevonden", title_en="Not found",
                      message_nl="Deze publicatie bestaat niet of is niet voor uw organisatie bestemd.",
                      message_en="This publication does not exist or is not meant for your organisation.")
    return render(request, "advisory.html", title=(item or {}).get("title") or t("Advies", "Advisory"),
                  item=item, missing=missing)


# ------------------------------------------------------------------ notification preferences


DELIVERIES = ("immediately", "digest", "off")


def preferences_change(form: dict[str, str], shown: list[dict]) -> dict[str, Any]:
    """notify's PUT body: the choice per category posted as `categories_<category>`. Mandatory
    categories have no input on the page; a value posted for one anyway goes through, so that
    notify (the owner of the rule) refuses it and the person is told why."""
    known = {c["category"] for c in shown} if shown else None
    chosen = {}
    for key, value in form.items():
        if key.startswith("categories_") and value in DELIVERIES:
            category = key.removeprefix("categories_")
            if known is None or category in known:
                chosen[category] = value
    return {"categories": chosen}


async def _preferences_page(request, session, *, status_code=200, errors=(), posted=None, notice=None,
                            missing=None):
    t = Texts(language(request))
    prefs, prefs_missing = await fetch(request, session, "notify", "/preferences", "preferences")
    categories = (prefs or {}).get("categories") if isinstance(prefs, dict) else None
    summary, by_field = error_summary(list(errors), language(request),
                                      {f"categories_{c['category']}" for c in categories or []})
    return render(request, "preferences.html", status_code=status_code,
                  title=t("Meldingsvoorkeuren", "Notification preferences"),
                  categories=categories if isinstance(categories, list) else None,
                  missing=missing or prefs_missing, posted=posted or {}, deliveries=DELIVERIES,
                  errors=summary, field_errors=by_field, notice=notice)


@router.get("/voorkeuren")
async def preferences_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    return await _preferences_page(request, session,
                                   notice=t("Opgeslagen.", "Saved.") if request.query_params.get("ok") else None)


@router.post("/voorkeuren")
async def preferences_save(request: Request, session: Session = Depends(page_session)):
    form = await form_of(request)
    shown, _ = await fetch(request, session, "notify", "/preferences", "preferences")
    body = preferences_change(form, (shown or {}).get("categories") if isinstance(shown, dict) else None)
    _, errors, missing = await send(request, session, "notify", "PUT", "/preferences", "preferences", body)
    if not errors and not missing:
        return back("/voorkeuren?ok=1")
    return await _preferences_page(request, session, status_code=422 if errors else 503, errors=errors,
                                   posted=form, missing=missing)


def login_required_handler(request: Request, exc: LoginRequired) -> Response:
    return login_redirect(request)


def staff_only_handler(request: Request, exc: StaffOnly) -> Response:
    return render(request, "error.html", status_code=403, title_nl="Alleen voor het CSIRT", title_en="CSIRT staff only",
                  message_nl="Deze pagina is alleen voor medewerkers van het CSIRT.",
                  message_en="This page is for CSIRT staff only.")
