"""The CSIRT's pages: the register, incident triage, publishing with four eyes (CSAF upload,
TLP and audience, submit/approve/reject), and running a feed. Every page needs a staff role;
the owning service checks the precise one (analist, redacteur, csirt_beheerder)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from weerbaar_platform.errors import DomainError

from ..domain import parts
from ..domain.language import Texts
from ..domain.session import Session
from .api import stream_through
from .pages import back, error_summary, fetch, form_of, send, staff_session
from .web import language, render

router = APIRouter(include_in_schema=False)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

TRIAGE_STATUSES = (("new", "nieuw", "new"), ("triaged", "beoordeeld", "triaged"),
                   ("in_progress", "in behandeling", "in progress"),
                   ("waiting_for_organisation", "wacht op de organisatie", "waiting for the organisation"),
                   ("closed", "afgesloten", "closed"))
SEVERITIES = (("low", "laag", "low"), ("medium", "middel", "medium"), ("high", "hoog", "high"),
              ("critical", "kritiek", "critical"))
TLP_LABELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
CLASSIFICATIONS = (("essential", "essentieel", "essential"), ("important", "belangrijk", "important"),
                   ("not_in_scope", "niet NIS2", "not in NIS2 scope"))
PUBLICATION_ACTIONS = ("submit", "approve", "reject", "withdraw", "revise")


def not_found(request: Request, what_nl: str, what_en: str):
    return render(request, "error.html", status_code=404, title_nl="Niet gevonden", title_en="Not found",
                  message_nl=f"{what_nl} bestaat niet (meer).", message_en=f"{what_en} does not exist (any more).")


def _items(data: Any, key: str) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


# ------------------------------------------------------------------ register


@router.get("/csirt/register")
async def csirt_register(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    query = {k: v for k in ("q", "sector", "classification") if (v := request.query_params.get(k))}
    data, missing = await fetch(request, session, "registry", "/csirt/organisations", "register", params=query)
    return render(request, "csirt_register.html", title=t("Register", "Register"), data=data, missing=missing,
                  query=query)


# ------------------------------------------------------------------ triage


@router.get("/csirt/triage")
async def csirt_triage(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/csirt/incidents", "triage")
    deadlines, deadlines_missing = await fetch(request, session, "incidents", "/csirt/deadlines", "triage",
                                               params={"within_hours": 24})
    return render(request, "csirt_triage.html", title=t("Triage", "Triage"), incidents=_items(data, "items"),
                  missing=missing, deadlines=_items(deadlines, "items"), deadlines_missing=deadlines_missing,
                  statuses=TRIAGE_STATUSES)


def local_due(text: str) -> str | None:
    """A `datetime-local` input (Amsterdam time, as a person types it) as an aware instant."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text  # the service refuses it with its own message
    return (moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)).isoformat()


def triage_change(form: dict[str, str], current: dict | None) -> dict[str, Any]:
    """Only what the analyst changed; an emptied assignee unassigns."""
    body: dict[str, Any] = {}
    if form.get("status"):
        body["status"] = form["status"]
    if form.get("severity"):
        body["severity"] = form["severity"]
    assignee = (form.get("assignee") or "").strip() or None
    if assignee != ((current or {}).get("assignee") or None):
        body["assignee"] = assignee
    return body


async def _triage_page(request, session, incident_id: UUID, *, errors=(), form=None, status_code=200,
                       notice=None, missing=None):
    t = Texts(language(request))
    incident, incident_missing = await fetch(request, session, "incidents", f"/csirt/incidents/{incident_id}",
                                             "triage")
    if incident is None and incident_missing is None:
        return not_found(request, "Dit incident", "This incident")
    summary, by_field = error_summary(list(errors), language(request), {"status", "severity", "assignee", "text", "due"})
    return render(request, "csirt_incident.html", status_code=status_code,
                  title=t("Incident beoordelen", "Triage an incident"), incident=incident,
                  missing=missing or incident_missing, statuses=TRIAGE_STATUSES, severities=SEVERITIES,
                  form=form or {}, errors=summary, field_errors=by_field, notice=notice)


@router.get("/csirt/triage/{incident_id}")
async def csirt_incident(request: Request, incident_id: UUID, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    done = {"beoordeeld": t("De beoordeling is opgeslagen.", "The triage was saved."),
            "notitie": t("De notitie is toegevoegd.", "The note was added."),
            "tussentijds": t("De organisatie is om een tussentijdse rapportage gevraagd.",
                             "The organisation was asked for an intermediate report.")}
    return await _triage_page(request, session, incident_id, notice=done.get(request.query_params.get("ok", "")))


async def _triage_action(request, session, incident_id: UUID, method: str, path: str, body, done: str, form):
    _, errors, missing = await send(request, session, "incidents", method, f"/csirt/incidents/{incident_id}{path}",
                                    "triage", body)
    if not errors and not missing:
        return back(f"/csirt/triage/{incident_id}?ok={done}")
    return await _triage_page(request, session, incident_id, errors=errors, form=form, missing=missing,
                              status_code=422 if errors else 503)


@router.post("/csirt/triage/{incident_id}/beoordelen")
async def csirt_incident_triage(request: Request, incident_id: UUID, session: Session = Depends(staff_session)):
    form = await form_of(request)
    current, _ = await fetch(request, session, "incidents", f"/csirt/incidents/{incident_id}", "triage")
    return await _triage_action(request, session, incident_id, "PATCH", "", triage_change(form, current),
                                "beoordeeld", form)


@router.post("/csirt/triage/{incident_id}/notitie")
async def csirt_incident_note(request: Request, incident_id: UUID, session: Session = Depends(staff_session)):
    form = await form_of(request)
    return await _triage_action(request, session, incident_id, "POST", "/notes", {"text": form.get("text", "")},
                                "notitie", form)


@router.post("/csirt/triage/{incident_id}/tussentijds")
async def csirt_incident_intermediate(request: Request, incident_id: UUID, session: Session = Depends(staff_session)):
    form = await form_of(request)
    due = local_due(form.get("due", ""))
    return await _triage_action(request, session, incident_id, "POST", "/intermediate-requests",
                                {"due": due} if due else {}, "tussentijds", form)


# ------------------------------------------------------------------ publishing


@router.get("/csirt/publiceren")
async def csirt_publishing(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    state = request.query_params.get("state") or "review"
    data, missing = await fetch(request, session, "content", "/publications", "publishing", params={"state": state})
    return render(request, "csirt_publishing.html", title=t("Publiceren", "Publishing"),
                  items=_items(data, "items"), missing=missing, state=state)


async def _csaf_page(request, session, *, refusal=None, status_code=200, missing=None):
    t = Texts(language(request))
    refusals, refusals_missing = await fetch(request, session, "content", "/advisories/refusals", "publishing")
    return render(request, "csirt_csaf.html", status_code=status_code,
                  title=t("CSAF-advies uploaden", "Upload a CSAF advisory"), refusal=refusal,
                  refusals=refusals if isinstance(refusals, list) else [], refusals_missing=refusals_missing,
                  missing=missing,
                  errors=[{"anchor": "file", "message": t.pick(e)} for e in (refusal or {}).get("errors", [])[:1]])


@router.get("/csirt/publiceren/csaf")
async def csirt_csaf(request: Request, session: Session = Depends(staff_session)):
    return await _csaf_page(request, session)


@router.post("/csirt/publiceren/csaf")
async def csirt_csaf_upload(request: Request, session: Session = Depends(staff_session)):
    """The document goes through as the browser sent it (multipart keeps its file name, which
    the refusal list shows)."""
    try:
        resp = await stream_through(request, session, "content", "/advisories", "publishing")
        answer, status, missing = json.loads(resp.body), resp.status_code, None
    except DomainError as exc:
        answer, status = {"errors": [e.as_dict() for e in exc.errors]}, exc.status
        missing = parts.unavailable("publishing", "unavailable") if exc.status == 503 else None
    if status < 400 and isinstance(answer, dict) and answer.get("id"):
        return back(f"/csirt/publiceren/{answer['id']}?ok=csaf")
    return await _csaf_page(request, session, refusal=None if missing else answer, status_code=status,
                            missing=missing)


def audience_of(form: dict[str, str]) -> tuple[dict[str, Any], list[dict]]:
    """The contract's Audience from the form's checkboxes and lists; malformed ids are errors."""
    errors = []

    def ids(field: str) -> list[str]:
        found = []
        for line in (form.get(field) or "").replace(",", "\n").splitlines():
            if not (value := line.strip()):
                continue
            try:
                found.append(str(UUID(value)))
            except ValueError:
                errors.append({"field": field, "code": "invalid_id",
                               "message_nl": f"'{value}' is geen geldig kenmerk (UUID); één per regel.",
                               "message_en": f"'{value}' is not a valid id (UUID); one per line."})
        return found

    audience = {
        "everyone": bool(form.get("everyone")),
        "classifications": [c for c, *_ in CLASSIFICATIONS if form.get(f"class_{c}")],
        "sectors": sorted(k.removeprefix("sector_") for k in form if k.startswith("sector_")),
        "subsectors": sorted(k.removeprefix("subsector_") for k in form if k.startswith("subsector_")),
        "netcode": bool(form.get("netcode")),
        "organisation_ids": ids("organisation_ids"),
        "person_ids": ids("person_ids"),
    }
    return audience, errors


def audience_form(audience: dict | None) -> dict[str, str]:
    a = audience or {}
    form = {"everyone": "on" if a.get("everyone") else "", "netcode": "on" if a.get("netcode") else "",
            "organisation_ids": "\n".join(a.get("organisation_ids") or []),
            "person_ids": "\n".join(a.get("person_ids") or [])}
    form |= {f"class_{c}": "on" for c in a.get("classifications") or []}
    form |= {f"sector_{s}": "on" for s in a.get("sectors") or []}
    form |= {f"subsector_{s}": "on" for s in a.get("subsectors") or []}
    return form


def publication_errors(errors: list[dict]) -> list[dict]:
    """content's fields (`audience.organisation_ids.0`) as the form's inputs."""
    out = []
    for e in errors:
        field = str(e.get("field") or "")
        for name in ("organisation_ids", "person_ids", "tlp", "note", "reason"):
            if name in field.split("."):
                field = name
        out.append({**e, "field": field})
    return out


async def _publication_page(request, session, publication_id: UUID, *, errors=(), form=None, status_code=200,
                            notice=None, missing=None):
    t = Texts(language(request))
    item, item_missing = await fetch(request, session, "content", f"/publications/{publication_id}", "publishing")
    if item is None and item_missing is None:
        return not_found(request, "Deze publicatie", "This publication")
    sectors, sectors_missing = await fetch(request, session, "registry", "/sectors", "registration")
    summary, by_field = error_summary(publication_errors(list(errors)), language(request),
                                      {"tlp", "organisation_ids", "person_ids", "note", "reason"})
    if form is None:
        form = audience_form((item or {}).get("audience")) | {"tlp": (item or {}).get("tlp") or ""}
    return render(request, "csirt_publication.html", status_code=status_code,
                  title=(item or {}).get("title") or t("Publicatie", "Publication"), item=item,
                  missing=missing or item_missing, sectors=_items(sectors, "sectors"),
                  sectors_missing=sectors_missing, tlp_labels=TLP_LABELS, classifications=CLASSIFICATIONS,
                  form=form, errors=summary, field_errors=by_field, notice=notice)


@router.get("/csirt/publiceren/{publication_id}")
async def csirt_publication(request: Request, publication_id: UUID, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    done = {"csaf": t("Het CSAF-document is aanvaard en staat als concept klaar.",
                      "The CSAF document was accepted and is ready as a draft."),
            "bewerkt": t("TLP en doelgroep zijn opgeslagen.", "TLP and audience were saved."),
            "submit": t("Ter beoordeling aangeboden; een tweede redacteur keurt haar goed.",
                        "Submitted for review; a second editor approves it."),
            "approve": t("Goedgekeurd en gepubliceerd.", "Approved and published."),
            "reject": t("Teruggestuurd naar de auteur.", "Sent back to the author."),
            "withdraw": t("Ingetrokken.", "Withdrawn."),
            "revise": t("Een nieuwe revisie staat als concept klaar; de gepubliceerde blijft zichtbaar tot "
                        "de nieuwe is goedgekeurd.", "A new revision is ready as a draft; the published one "
                        "stays visible until the new one is approved.")}
    return await _publication_page(request, session, publication_id,
                                   notice=done.get(request.query_params.get("ok", "")))


@router.post("/csirt/publiceren/{publication_id}/bewerken")
async def csirt_publication_edit(request: Request, publication_id: UUID, session: Session = Depends(staff_session)):
    form = await form_of(request)
    audience, errors = audience_of(form)
    if not errors:
        body = {"audience": audience} | ({"tlp": form["tlp"]} if form.get("tlp") else {})
        _, errors, missing = await send(request, session, "content", "PATCH", f"/publications/{publication_id}",
                                        "publishing", body)
        if not errors and not missing:
            return back(f"/csirt/publiceren/{publication_id}?ok=bewerkt")
    else:
        missing = None
    return await _publication_page(request, session, publication_id, errors=errors, form=form, missing=missing,
                                   status_code=422 if errors else 503)


@router.post("/csirt/publiceren/{publication_id}/{action}")
async def csirt_publication_action(request: Request, publication_id: UUID, action: str,
                                   session: Session = Depends(staff_session)):
    if action not in PUBLICATION_ACTIONS:
        return back(f"/csirt/publiceren/{publication_id}")
    form = await form_of(request)
    body = {"reject": {"note": form.get("note", "")}, "withdraw": {"reason": form.get("reason", "")}}.get(action, {})
    answer, errors, missing = await send(request, session, "content", "POST",
                                         f"/publications/{publication_id}/{action}", "publishing", body)
    if not errors and not missing:
        return back(f"/csirt/publiceren/{publication_id}?ok={action}")
    return await _publication_page(request, session, publication_id, errors=errors, missing=missing,
                                   status_code=(403 if any(e.get("code") == "publishing.four_eyes" for e in errors)
                                                else 422) if errors else 503)


# ------------------------------------------------------------------ feeds


async def _organisation_names(request, session) -> dict[str, str]:
    """Names for the organisation ids of a feed run; without the register, the ids stay."""
    data, _ = await fetch(request, session, "registry", "/csirt/organisations", "register",
                          params={"page_size": 200})
    return {o.get("id"): o.get("legal_name") for o in _items(data, "items") if isinstance(o, dict)}


@router.get("/csirt/feeds")
async def csirt_feeds(request: Request, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    data, missing = await fetch(request, session, "incidents", "/netdata/feed-runs", "feeds")
    return render(request, "csirt_feeds.html", title=t("Feeds", "Feeds"), runs=_items(data, "feed_runs"),
                  missing=missing)


@router.post("/csirt/feeds/upload")
async def csirt_feed_run(request: Request, session: Session = Depends(staff_session)):
    """The feed is streamed through; its name is the file's name unless `name` is given."""
    t = Texts(language(request))
    try:
        resp = await stream_through(request, session, "incidents", "/netdata/feed-runs", "feeds", form_file=True,
                                    filename_as="name")
        run, status, missing = json.loads(resp.body), resp.status_code, None
    except DomainError as exc:
        run, status = {"errors": [e.as_dict() for e in exc.errors]}, exc.status
        missing = parts.unavailable("feeds", "unavailable") if exc.status == 503 else None
    if status < 400 and isinstance(run, dict) and run.get("id"):
        return back(f"/csirt/feeds/{run['id']}")
    errors = (run or {}).get("errors") if isinstance(run, dict) else None
    return render(request, "csirt_feeds.html", status_code=status, title=t("Feeds", "Feeds"), runs=[],
                  missing=missing, errors=[{"anchor": "file", "message": t.pick(e)} for e in errors or []])


@router.get("/csirt/feeds/{run_id}")
async def csirt_feed_run_detail(request: Request, run_id: UUID, session: Session = Depends(staff_session)):
    t = Texts(language(request))
    run, missing = await fetch(request, session, "incidents", f"/netdata/feed-runs/{run_id}", "feeds")
    if run is None and missing is None:
        return not_found(request, "Deze feedrun", "This feed run")
    names = await _organisation_names(request, session) if run else {}
    return render(request, "csirt_feed_run.html", title=t("Feedrun", "Feed run"), run=run if isinstance(run, dict) else None,
                  missing=missing, names=names)
