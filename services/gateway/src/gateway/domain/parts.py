"""The parts of a composed answer. Each part is either data or an `unavailable` part saying,
in both languages, which part is missing and that the rest of the page still works."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .wording import local_time, stage_name

PART_NAMES = {
    "registration": ("uw registratie en classificatie", "your registration and classification"),
    "incidents": ("uw openstaande incidenten", "your open incidents"),
    "advisories": ("de nieuwste beveiligingsadviezen", "the latest security advisories"),
    "tasks": ("uw openstaande taken", "your pending tasks"),
    "people": ("personen en rollen", "people and roles"),
    "netdata": ("netwerkgegevens", "network data"),
    "preferences": ("meldingsvoorkeuren", "notification preferences"),
    "register": ("het register", "the register"),
    "triage": ("incidenttriage", "incident triage"),
    "publishing": ("publiceren", "publishing"),
    "feeds": ("feeds", "feeds"),
}


def unavailable(part: str, reason: str, reference: str | None = None) -> dict[str, Any]:
    nl_name, en_name = PART_NAMES.get(part, (part, part))
    if reason == "failed":
        ref_nl = f" Vermeld kenmerk {reference} als u contact opneemt." if reference else ""
        ref_en = f" Quote reference {reference} if you contact us." if reference else ""
        nl = f"Bij het onderdeel {nl_name} ging iets mis aan onze kant.{ref_nl} De rest van de pagina werkt gewoon."
        en = f"Something went wrong on our side with the part {en_name}.{ref_en} The rest of the page works."
    elif reason == "outcome unknown":
        nl = (f"Het onderdeel {nl_name} antwoordde niet op tijd, en het is niet zeker of uw wijziging is "
              "opgeslagen. Kijk eerst of ze er staat voordat u haar opnieuw verstuurt.")
        en = (f"The part {en_name} did not answer in time, and it is not certain whether your change was "
              "saved. Check whether it is there before you send it again.")
    elif reason == "endpoint not available":
        nl = f"Het onderdeel {nl_name} is nog niet beschikbaar."
        en = f"The part {en_name} is not available yet."
    else:
        nl = (f"Het onderdeel {nl_name} is nu niet beschikbaar. De rest van de pagina werkt gewoon; "
              "probeer het over enkele minuten opnieuw.")
        en = (f"The part {en_name} is not available right now. The rest of the page works; "
              "try again in a few minutes.")
    return {"status": "unavailable", "message_nl": nl, "message_en": en}


def refused(part: str, answer: Any) -> dict[str, Any]:
    """A part the service refused to this person (e.g. a role they lack): its own reason."""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    nl_name, en_name = PART_NAMES.get(part, (part, part))
    return {"status": "unavailable",
            "message_nl": first.get("message_nl") or f"U heeft geen toegang tot {nl_name}.",
            "message_en": first.get("message_en") or f"You have no access to {en_name}."}


def available(data: Any) -> dict[str, Any]:
    return {"status": "ok", "data": data}


def _instant(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def incident_next_deadline(incident: dict) -> dict | None:
    """The earliest still-open deadline of one incident (as the incidents service lists them)."""
    open_ones = [(at, d) for d in incident.get("deadlines") or []
                 if isinstance(d, dict) and d.get("open") and (at := _instant(d.get("due")))]
    return min(open_ones, key=lambda pair: pair[0])[1] if open_ones else None


def next_deadline(incidents: list[dict]) -> dict | None:
    """The earliest open deadline among the open incidents, with the incident it belongs to."""
    found = []
    for incident in incidents:
        if (d := incident_next_deadline(incident)) is not None:
            found.append((_instant(d["due"]), {**d, "incident_id": incident.get("id"),
                                               "reference": incident.get("reference")}))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def pending_tasks(*, registration: dict | None, registered: bool | None, incidents: list[dict] | None,
                  roles: frozenset[str]) -> list[dict]:
    """What the person should do next, derived from the other parts."""
    tasks = []
    if registered is False:
        tasks.append({"kind": "register", "href": "/registratie",
                      "text_nl": "Registreer uw organisatie in het register.",
                      "text_en": "Register your organisation in the register."})
    for incident in incidents or []:
        d = incident_next_deadline(incident)
        if d is not None:
            tasks.append({"kind": "incident_stage", "href": f"/incidenten/{incident.get('id')}", "due": d["due"],
                          "text_nl": f"Incident {incident.get('reference')}: {stage_name(d.get('kind'), 'nl')} "
                                     f"uiterlijk {local_time(d['due'])}.",
                          "text_en": f"Incident {incident.get('reference')}: {stage_name(d.get('kind'), 'en')} "
                                     f"due {local_time(d['due'])}."})
        if incident.get("intermediate_requested"):
            tasks.append({"kind": "intermediate_report", "href": f"/incidenten/{incident.get('id')}",
                          "text_nl": f"Het CSIRT vraagt een tussentijdse rapportage voor {incident.get('reference')}.",
                          "text_en": f"The CSIRT asks for an intermediate report on {incident.get('reference')}."})
    tasks.sort(key=lambda t: t.get("due") or "9999")
    return tasks
