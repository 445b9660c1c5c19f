"""The table of pass-through routes: gateway path (under /api) -> owning service and path.
Organisation-scoped routes all start with /organisations/{organisation_id}, which the gateway
checks against the session's acting organisation before forwarding (see passthrough.py)."""
from __future__ import annotations

import re

from .passthrough import Route

ORG = "/organisations/{organisation_id}"

ROUTES: list[Route] = [
    # ---------------------------------------------------------------- registry
    Route("GET", "/sectors", "registry", "/sectors", "person", "NIS2 sectors and subsectors", "registration"),
    Route("POST", "/organisations", "registry", "/organisations", "person",
          "Register an organisation (the classification comes back with its reasoning)", "registration", body=True),
    Route("GET", ORG, "registry", "/organisations/{organisation_id}", "org",
          "The registration and its classification", "registration"),
    Route("PUT", ORG, "registry", "/organisations/{organisation_id}", "org",
          "Change the registration (If-Match with the last ETag)", "registration", body=True),
    Route("GET", ORG + "/entitlements", "registry", "/organisations/{organisation_id}/entitlements", "org",
          "What the classification entitles the organisation to", "registration"),
    Route("GET", ORG + "/history", "registry", "/organisations/{organisation_id}/history", "org",
          "Every version of the registration", "registration"),
    Route("POST", ORG + "/deregistration", "registry", "/organisations/{organisation_id}/deregistration", "org",
          "Leave the register", "registration", body=True),

    # ---------------------------------------------------------------- identity: people and roles
    Route("GET", ORG + "/members", "identity", "/organisations/{organisation_id}/members", "org",
          "People of the organisation and their roles (usable and pending)", "people"),
    Route("POST", ORG + "/members/{person_id}/roles", "identity",
          "/organisations/{organisation_id}/members/{person_id}/roles", "org",
          "Give a role (usable one hour later)", "people", body=True),
    Route("DELETE", ORG + "/members/{person_id}/roles/{role}", "identity",
          "/organisations/{organisation_id}/members/{person_id}/roles/{role}", "org",
          "Withdraw a role (never the last beheerder's)", "people"),
    Route("DELETE", ORG + "/members/{person_id}", "identity", "/organisations/{organisation_id}/members/{person_id}",
          "org", "Remove a person from the organisation", "people"),
    Route("GET", ORG + "/invitations", "identity", "/organisations/{organisation_id}/invitations", "org",
          "Open invitations", "people"),
    Route("POST", ORG + "/invitations", "identity", "/organisations/{organisation_id}/invitations", "org",
          "Invite a colleague", "people", body=True),
    Route("DELETE", ORG + "/invitations/{invitation_id}", "identity",
          "/organisations/{organisation_id}/invitations/{invitation_id}", "org", "Withdraw an invitation", "people"),
    Route("GET", ORG + "/audit", "identity", "/organisations/{organisation_id}/audit", "org",
          "Who changed which role when", "people"),

    # ---------------------------------------------------------------- incidents
    Route("GET", ORG + "/incidents", "incidents", "/incidents", "org", "The organisation's incidents", "incidents"),
    Route("POST", ORG + "/incidents", "incidents", "/incidents", "org",
          "Open an incident (the deadlines start from the moment of becoming aware)", "incidents", body=True),
    Route("GET", ORG + "/incidents/{incident_id}", "incidents", "/incidents/{incident_id}", "org",
          "One incident with its stages and deadlines", "incidents"),
    Route("GET", ORG + "/incidents/{incident_id}/drafts/{stage}", "incidents",
          "/incidents/{incident_id}/drafts/{stage}", "org", "The draft of a stage", "incidents"),
    Route("PUT", ORG + "/incidents/{incident_id}/drafts/{stage}", "incidents",
          "/incidents/{incident_id}/drafts/{stage}", "org", "Save the draft of a stage", "incidents", body=True),
    Route("POST", ORG + "/incidents/{incident_id}/stages/{stage}", "incidents",
          "/incidents/{incident_id}/stages/{stage}", "org", "Submit a stage", "incidents", body=True),
    Route("POST", ORG + "/incidents/{incident_id}/end", "incidents", "/incidents/{incident_id}/end", "org",
          "Record that the incident ended", "incidents", body=True),
    Route("GET", ORG + "/incidents/{incident_id}/stix", "incidents", "/incidents/{incident_id}/stix", "org",
          "The incident as a STIX 2.1 bundle", "incidents"),

    # ---------------------------------------------------------------- network data (incidents)
    Route("GET", ORG + "/netdata/registrations", "incidents", "/netdata/registrations", "org",
          "Registered networks, AS numbers and domains", "netdata"),
    Route("GET", ORG + "/netdata/versions", "incidents", "/netdata/versions", "org",
          "Every version of the registered set", "netdata"),
    Route("POST", ORG + "/netdata/claims/challenge", "incidents", "/netdata/claims/challenge", "org",
          "Get the DNS record that proves ownership of a domain", "netdata", body=True),
    Route("POST", ORG + "/netdata/claims/verify", "incidents", "/netdata/claims/verify", "org",
          "Check the proof of domain ownership now", "netdata", body=True),
    Route("GET", ORG + "/netdata/findings", "incidents", "/netdata/findings", "org",
          "Findings from feeds in our networks", "netdata"),
    Route("GET", ORG + "/incidents/{incident_id}/attachments", "incidents", "/incidents/{incident_id}/attachments",
          "org", "Attachments of an incident", "incidents"),

    # ---------------------------------------------------------------- content
    Route("GET", "/publications", "content", "/publications", "person",
          "Advisories, analyses and news the organisation may see (filters as query)", "advisories"),
    Route("GET", "/publications/{publication_id}", "content", "/publications/{publication_id}", "person",
          "One publication", "advisories"),
    Route("GET", "/publications/{publication_id}/csaf", "content", "/publications/{publication_id}/csaf", "person",
          "The CSAF 2.0 document of an advisory", "advisories"),
    Route("GET", ORG + "/products", "content", "/organisations/me/products", "org",
          "Products the organisation runs (for relevance)", "advisories"),
    Route("POST", ORG + "/products", "content", "/organisations/me/products", "org",
          "Add a product the organisation runs", "advisories", body=True),
    Route("DELETE", ORG + "/products/{product_id}", "content", "/organisations/me/products/{product_id}", "org",
          "Remove a product", "advisories"),

    # ---------------------------------------------------------------- notify
    Route("GET", ORG + "/preferences", "notify", "/preferences", "org", "My notification preferences",
          "preferences"),
    Route("PUT", ORG + "/preferences", "notify", "/preferences", "org", "Change my notification preferences",
          "preferences", body=True),

    # ---------------------------------------------------------------- CSIRT staff
    Route("GET", "/csirt/organisations", "registry", "/csirt/organisations", "staff", "Search the register",
          "register"),
    Route("GET", "/csirt/organisations/export", "registry", "/csirt/organisations/export", "staff",
          "Export the register (CSV or JSON)", "register"),
    Route("GET", "/csirt/organisations/eu-report", "registry", "/csirt/organisations/eu-report", "staff",
          "The NIS2 article 3(4) report to the EU", "register"),
    Route("POST", "/csirt/organisations/{organisation_id}/classification", "registry",
          "/csirt/organisations/{organisation_id}/classification", "staff", "Override a classification",
          "register", body=True),
    Route("GET", "/csirt/incidents", "incidents", "/csirt/incidents", "staff", "All incidents, for triage", "triage"),
    Route("GET", "/csirt/deadlines", "incidents", "/csirt/deadlines", "staff", "Deadlines close or missed", "triage"),
    Route("GET", "/csirt/incidents/{incident_id}", "incidents", "/csirt/incidents/{incident_id}", "staff",
          "One incident with the CSIRT's notes", "triage"),
    Route("PATCH", "/csirt/incidents/{incident_id}", "incidents", "/csirt/incidents/{incident_id}", "staff",
          "Triage: priority, status, handler", "triage", body=True),
    Route("POST", "/csirt/incidents/{incident_id}/notes", "incidents", "/csirt/incidents/{incident_id}/notes",
          "staff", "Add an internal note", "triage", body=True),
    Route("POST", "/csirt/incidents/{incident_id}/intermediate-requests", "incidents",
          "/csirt/incidents/{incident_id}/intermediate-requests", "staff", "Ask for an intermediate report",
          "triage", body=True),
    Route("GET", "/csirt/advisories/refusals", "content", "/advisories/refusals", "staff",
          "CSAF documents that were refused, with the failed tests", "publishing"),
    Route("POST", "/csirt/publications", "content", "/publications", "staff", "Write an analysis or news item",
          "publishing", body=True),
    Route("PATCH", "/csirt/publications/{publication_id}", "content", "/publications/{publication_id}", "staff",
          "Edit a draft (title, summary, TLP, audience)", "publishing", body=True),
    Route("POST", "/csirt/publications/{publication_id}/submit", "content", "/publications/{publication_id}/submit",
          "staff", "Submit for review", "publishing", body=True),
    Route("POST", "/csirt/publications/{publication_id}/reject", "content", "/publications/{publication_id}/reject",
          "staff", "Send back to the author", "publishing", body=True),
    Route("POST", "/csirt/publications/{publication_id}/approve", "content",
          "/publications/{publication_id}/approve", "staff", "Approve (a second editor: four eyes)", "publishing",
          body=True),
    Route("POST", "/csirt/publications/{publication_id}/revise", "content",
          "/publications/{publication_id}/revise", "staff",
          "Start the next revision as a draft (the published one stays shown until it is approved)", "publishing"),
    Route("POST", "/csirt/publications/{publication_id}/withdraw", "content",
          "/publications/{publication_id}/withdraw", "staff", "Withdraw a publication", "publishing", body=True),
    Route("GET", "/csirt/feed-runs", "incidents", "/netdata/feed-runs", "staff", "Feed runs", "feeds"),
    Route("GET", "/csirt/feed-runs/{run_id}", "incidents", "/netdata/feed-runs/{run_id}", "staff", "One feed run",
          "feeds"),
    Route("GET", "/csirt/netdata/conflicts", "incidents", "/netdata/conflicts", "staff",
          "Networks claimed by more than one organisation", "feeds"),
]

#: Uploads are streamed through (see api.stream_through), never read whole by the gateway.
UPLOADS: list[Route] = [
    Route("POST", ORG + "/netdata/uploads", "incidents", "/netdata/uploads", "org",
          "Upload network data (IP ranges, AS numbers, domains); answers with the per-line report", "netdata"),
    Route("POST", "/csirt/advisories", "content", "/advisories", "staff",
          "Ingest a CSAF 2.0 advisory (refused ones name the failed tests)", "publishing"),
    Route("POST", "/csirt/feed-runs", "incidents", "/netdata/feed-runs", "staff",
          "Run a feed (scan or sinkhole report) against the registered networks (query: name)", "feeds"),
    Route("POST", ORG + "/incidents/{incident_id}/attachments", "incidents", "/incidents/{incident_id}/attachments",
          "org", "Attach a file to an incident", "incidents"),
]


#: The pages whose forms stream a file through (see pages.py and pages_csirt.py).
STREAMED_PAGES = ("/netwerkgegevens/upload", "/csirt/publiceren/csaf", "/csirt/feeds/upload")


def streamed_paths() -> tuple[str, ...]:
    """The gateway's paths whose bodies are streamed through to a service (regular expressions);
    every other body is bounded by the platform's body limit."""
    api = tuple("/api" + re.sub(r"\{\w+\}", "[^/]+", u.path) for u in UPLOADS)
    return api + tuple(re.escape(p) for p in STREAMED_PAGES)
