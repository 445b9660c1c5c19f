"""Changing the registration and reading its history. The change carries the version the
person saw (the registry's ETag, sent back as If-Match): when someone else changed the
registration in between, the registry refuses (409) and the page says so and offers a reload,
rather than overwriting a change the person never saw."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ..domain.language import Texts
from ..domain.session import Session
from .pages import (REGISTRATION_FIELDS, back, call, error_summary, fetch, form_of, page_session, refusal_of,
                    registration_body, registration_errors, registration_form)
from .web import language, render

router = APIRouter(include_in_schema=False)


def _not_registered(request: Request):
    return render(request, "error.html", status_code=404, title_nl="Nog niet geregistreerd",
                  title_en="Not registered yet",
                  message_nl="Uw organisatie staat nog niet in het register. Registreer haar eerst.",
                  message_en="Your organisation is not in the register yet. Register it first.")


def changed_registration(current: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The registration as it was, with the form's fields put over it: what the page does not
    show (sector, member states, postal address, Netcode) stays as it is."""
    edited = registration_body({**form, **{k: current.get(k) or "" for k in ("sector", "subsector", "entity_type")}})
    merged = {**current, **edited}
    for optional in ("kvk_number", "rsin", "oin", "group_mailbox", "size"):
        if optional not in edited:
            merged.pop(optional, None)  # emptied in the form: removed (the registry says if it is needed)
    merged["member_states"] = current.get("member_states") or ["NL"]
    return merged


async def _entry(request: Request, session: Session):
    """(entry, etag, unavailable part); (None, None, None) when there is no registration."""
    org = session.acting_organisation
    if org is None:
        return None, None, None
    resp, missing = await call(request, session, "registry", "GET", f"/organisations/{org}", "registration")
    if missing or resp.status_code == 404:
        return None, None, missing
    entry, errors = refusal_of(resp)
    return (None if errors else entry), resp.headers.get("etag"), None


@router.get("/registratie/wijzigen")
async def registration_edit(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    entry, etag, missing = await _entry(request, session)
    if entry is None and missing is None:
        return _not_registered(request)
    return render(request, "registration_edit.html", status_code=503 if missing else 200,
                  title=t("Registratie wijzigen", "Change the registration"), entry=entry, etag=etag,
                  missing=missing, form=registration_form((entry or {}).get("registration") or {}),
                  field_errors={}, stale=False)


@router.post("/registratie/wijzigen")
async def registration_change(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    form = await form_of(request)
    entry, _, missing = await _entry(request, session)
    if entry is None and missing is None:
        return _not_registered(request)
    stale, errors = False, []
    if not missing:
        body = changed_registration(entry.get("registration") or {}, form)
        resp, missing = await call(request, session, "registry", "PUT",
                                   f"/organisations/{session.acting_organisation}", "registration",
                                   json=body, headers={"If-Match": form.get("etag") or ""})
        if resp is not None:
            _, errors = refusal_of(resp)
            if not errors:
                return back("/registratie?gewijzigd=1")
            stale = resp.status_code in (409, 428)
    if stale:
        errors = [{"field": "reload", "message_nl": "Iemand anders heeft deze gegevens intussen gewijzigd. "
                   "Laad de pagina opnieuw en breng uw wijziging daarna opnieuw aan.",
                   "message_en": "Someone else changed these details in the meantime. Reload the page and "
                   "make your change again."}]
    summary, by_field = error_summary(registration_errors(errors), language(request),
                                      set(REGISTRATION_FIELDS) | {"reload"})
    return render(request, "registration_edit.html", status_code=409 if stale else (422 if errors else 503),
                  title=t("Registratie wijzigen", "Change the registration"), entry=entry,
                  etag=form.get("etag"), missing=missing, form=form, errors=summary, field_errors=by_field,
                  stale=stale)


@router.get("/registratie/geschiedenis")
async def registration_history(request: Request, session: Session = Depends(page_session)):
    t = Texts(language(request))
    data, missing = (None, None)
    if session.acting_organisation:
        data, missing = await fetch(request, session, "registry",
                                    f"/organisations/{session.acting_organisation}/history", "registration")
    if data is None and missing is None:
        return _not_registered(request)
    versions = (data or {}).get("versions") if isinstance(data, dict) else None
    return render(request, "registration_history.html", title=t("Geschiedenis van de registratie",
                                                                 "History of the registration"),
                  versions=sorted(versions, key=lambda v: -int(v.get("version") or 0))
                  if isinstance(versions, list) else None, missing=missing)
