"""The kinds of message notify sends, each with its category (which decides whether a person
may postpone or refuse it)."""
from __future__ import annotations

from weerbaar_contracts.events.incidents import STAGE_NAMES

from .categories import Category

KIND_CATEGORY: dict[str, Category] = {
    "role_granted": Category.ROLES,
    "role_activated": Category.ROLES,
    "role_withdrawn": Category.ROLES,
    "person_removed": Category.ROLES,
    "invitation": Category.ROLES,  # mandatory: the invitee must learn of it
    "deadline_approaching": Category.DEADLINES,
    "deadline_missed": Category.DEADLINES,
    "intermediate_requested": Category.CSIRT_REQUESTS,
    "incident_reported": Category.INCIDENTS,
    "stage_submitted": Category.INCIDENTS,
    "findings_ready": Category.FINDINGS,
    "publication_published": Category.ADVISORIES,  # analyses and news: see category_of_publication
    "publication_revised": Category.ADVISORIES,
    "publication_withdrawn": Category.ADVISORIES,  # stored with the category of the publication
}

ROLE_LABELS = {
    "gebruiker": ("gebruiker", "user"),
    "beheerder_personen": ("beheerder persoon- en organisatiegegevens", "people and organisation administrator"),
    "beheerder_netwerk": ("beheerder netwerkgegevens", "network data administrator"),
    "analist": ("analist", "analyst"),
    "redacteur": ("redacteur", "editor"),
    "csirt_beheerder": ("beheerder CSIRT", "CSIRT administrator"),
}

STAGE_LABELS = STAGE_NAMES  # one wording for pages and mails (weerbaar_contracts)

PUBLICATION_LABELS = {
    "advisory": ("beveiligingsadvies", "security advisory"),
    "analysis": ("analyse", "analysis"),
    "news": ("nieuwsbericht", "news item"),
}


def category_of_publication(kind: str) -> Category:
    return Category.ADVISORIES if kind == "advisory" else Category.PUBLICATIONS
