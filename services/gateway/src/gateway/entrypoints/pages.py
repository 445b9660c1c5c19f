"""The web pages: server-rendered, Dutch first, every form with the CSRF token, every part
whose service does not answer shown as "not available" while the rest of the page works.
Forms post back here; we call the owning service and redirect (post/redirect/get), or show the
form again with an error summary linked to the fields."""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from weerbaar_platform.auth import STAFF_ROLES
from weerbaar_platform.errors import DomainError

from ..adapters.upstream import SessionEnded, Unavailable
from ..domain import parts
from ..domain.language import Texts
from ..domain.session import Session
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
        return None, parts.unavailable(part, exc.reason)
    except SessionEnded:
        raise LoginRequired() from None
    if resp.status_code == 404:
        return None, None
    if resp.status_code != 200:
        return None, parts.unavailable(part, f"answered {resp.status_code}")
    try:
        return resp.json(), None
    except ValueError:
        return None, parts.unavailable(part, "invalid answer")


async def send(request: Request, session: Session, service: str, method: str, path: str, part: str,
               body: Any = None, headers: dict | None = None) -> tuple[Any, list[dict], dict | None]:
    """(answer, field errors, unavailable part) of a change made on the person's behalf."""
    try:
        resp = await extras(request)["upstream"].call(session, service, method, path, json=body, headers=headers)
    except Unavailable as exc:
        return None, [], parts.unavailable(part, exc.reason)
    except SessionEnded:
        raise LoginRequired() from None
    try:
        answer = resp.json() if resp.content else None
    except ValueError:
        answer = None
    if resp.status_code >= 400:
        errors = (answer or {}).get("errors") if isinstance(answer, dict) else None
        return answer, errors or [{"field": "(request)", "message_nl": "Het verzoek is geweigerd.",
                                   "message_en": "The request was refused."}], None
    return answer, [], None


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


@router.get("/toegankelijkheid")
async def accessibility(request: Request):
    return render(request, "accessibility.html", title=Texts(language(request))(
        "Toegankelijkheidsverklaring", "Accessibility statement"))


# ------------------------------------------------------------------ registration


REGISTRATION_FIELDS = ("sector", "subsector", "entity_type", "legal_name", "kvk_number", "rsin", "oin",
                       "street", "house_number", "postal_code", "city", "email", "phone",
                       "security_email", "official_name", "official_email", "official_phone",
                       "group_mailbox", "employees", "annual_turnover_eur", "balance_sheet_total_eur")


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
        "security_contact": {"email": opt("security_email")},
        "incident_official": {"name": opt("official_name"), "email": opt("official_email"),
                              "phone": opt("official_phone")},
        "group_mailbox": opt("group_mailbox"), "member_states": ["NL"],
    }
    if any(opt(k) for k in ("employees", "annual_turnover_eur", "balance_sheet_total_eur")):
        body["size"] = {"employees": opt("employees"), "annual_turnover_eur": opt("annual_turnover_eur"),
                        "balance_sheet_total_eur": opt("balance_sheet_total_eur")}
    return {k: v for k, v in body.items() if v is not None}


@router.get("/registratie")
async def registration_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    entry, entry_missing = (None, None)
    if session.acting_organisation:
        entry, entry_missing = await fetch(request, session, "registry",
                                           f"/organisations/{session.acting_organisation}", "registration")
    sectors, sectors_missing = await fetch(request, session, "registry", "/sectors", "registration")
    chosen = request.query_params.get("sector")
    return render(request, "registration.html", title=t("Registratie", "Registration"), entry=entry,
                  entry_missing=entry_missing, sectors=(sectors or {}).get("sectors", []),
                  sectors_missing=sectors_missing, chosen=chosen, form={"sector": chosen or ""}, field_errors={})


@router.post("/registratie")
async def registration_submit(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    form = await form_of(request)
    answer, errors, missing = await send(request, session, "registry", "POST", "/organisations", "registration",
                                         registration_body(form))
    if not errors and not missing:
        try:  # identity made the person beheerder of the new organisation: act for it now
            await extras(request)["upstream"].fresh(session, organisation_id=answer["id"])
        except (SessionEnded, KeyError, TypeError):
            pass
        return back("/registratie?geregistreerd=1")
    sectors, sectors_missing = await fetch(request, session, "registry", "/sectors", "registration")
    summary, by_field = error_summary(errors, language(request), set(REGISTRATION_FIELDS))
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
    return render(request, "netdata.html", title=t("Netwerkgegevens", "Network data"), netdata=data,
                  missing=missing, findings=findings, findings_missing=findings_missing, report=None)


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


# ------------------------------------------------------------------ advisories and analyses


FILTERS = ("kind", "cve", "product", "probability", "damage", "urgency", "relevant", "published_from", "published_to")


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


@router.get("/voorkeuren")
async def preferences_page(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    prefs, missing = await fetch(request, session, "notify", "/preferences", "preferences")
    return render(request, "preferences.html", title=t("Meldingsvoorkeuren", "Notification preferences"),
                  prefs=prefs, missing=missing,
                  notice=t("Opgeslagen.", "Saved.") if request.query_params.get("ok") else None)


@router.post("/voorkeuren")
async def preferences_save(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    form = await form_of(request)
    body = {"channels": {k[4:]: v for k, v in form.items() if k.startswith("pref")},
            "digest": form.get("digest") or None}
    _, errors, missing = await send(request, session, "notify", "PUT", "/preferences", "preferences", body)
    if not errors and not missing:
        return back("/voorkeuren?ok=1")
    summary, _ = error_summary(errors, language(request), set())
    return render(request, "preferences.html", status_code=422 if errors else 503,
                  title=t("Meldingsvoorkeuren", "Notification preferences"), prefs=None, missing=missing,
                  errors=summary)


# ------------------------------------------------------------------ CSIRT staff


@router.get("/csirt/register")
async def csirt_register(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    query = {k: v for k in ("q", "sector", "classification") if (v := request.query_params.get(k))}
    data, missing = await fetch(request, session, "registry", "/csirt/organisations", "register", params=query)
    return render(request, "csirt_register.html", title=t("Register", "Register"), data=data, missing=missing,
                  query=query)


@router.get("/csirt/triage")
async def csirt_triage(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/csirt/incidents", "triage")
    deadlines, deadlines_missing = await fetch(request, session, "incidents", "/csirt/deadlines", "triage",
                                               params={"within_hours": 24})
    return render(request, "csirt_triage.html", title=t("Triage", "Triage"), data=data, missing=missing,
                  deadlines=deadlines, deadlines_missing=deadlines_missing)


@router.get("/csirt/publiceren")
async def csirt_publishing(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "content", "/publications", "publishing",
                                params={"state": request.query_params.get("state") or "review"})
    refusals, refusals_missing = await fetch(request, session, "content", "/advisories/refusals", "publishing")
    return render(request, "csirt_publishing.html", title=t("Publiceren", "Publishing"), data=data,
                  missing=missing, refusals=refusals, refusals_missing=refusals_missing,
                  state=request.query_params.get("state") or "review")


@router.post("/csirt/publiceren/{publication_id}/{action}")
async def csirt_publishing_action(request: Request, publication_id: UUID, action: str,
                                  session: Session = Depends(staff_session)):
    if action not in ("submit", "approve", "reject", "withdraw"):
        return back("/csirt/publiceren")
    form = await form_of(request)
    body = {"reason": form["reason"]} if form.get("reason") else {}
    _, errors, missing = await send(request, session, "content", "POST",
                                    f"/publications/{publication_id}/{action}", "publishing", body)
    if not errors and not missing:
        return back("/csirt/publiceren?state=published" if action == "approve" else "/csirt/publiceren")
    t = Texts(language(request))
    summary, _ = error_summary(errors, language(request), set())
    return render(request, "csirt_publishing.html", status_code=422 if errors else 503,
                  title=t("Publiceren", "Publishing"), data=None, missing=missing, refusals=None,
                  refusals_missing=None, state="review", errors=summary)


@router.get("/csirt/feeds")
async def csirt_feeds(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/netdata/feed-runs", "feeds")
    return render(request, "csirt_feeds.html", title=t("Feeds", "Feeds"), data=data, missing=missing, report=None)


@router.post("/csirt/feeds/upload")
async def csirt_feed_run(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    try:
        resp = await stream_through(request, session, "incidents", "/netdata/feed-runs", "feeds", form_file=True,
                                    params={"name": request.query_params.get("name") or "feed"})
        report, status, missing = json.loads(resp.body), resp.status_code, None
    except DomainError as exc:
        report, status = {"errors": [e.as_dict() for e in exc.errors]}, exc.status
        missing = parts.unavailable("feeds", "unavailable") if exc.status == 503 else None
    return render(request, "csirt_feeds.html", status_code=status if status >= 400 else 200,
                  title=t("Feeds", "Feeds"), data=None, missing=missing, report=report)


def login_required_handler(request: Request, exc: LoginRequired) -> Response:
    return login_redirect(request)


def staff_only_handler(request: Request, exc: StaffOnly) -> Response:
    return render(request, "error.html", status_code=403, title_nl="Alleen voor het CSIRT", title_en="CSIRT staff only",
                  message_nl="Deze pagina is alleen voor medewerkers van het CSIRT.",
                  message_en="This page is for CSIRT staff only.")
