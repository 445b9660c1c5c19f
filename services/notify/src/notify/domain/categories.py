"""What a person can choose about their mail: per category, immediately, in a daily digest, or
not at all. Some categories are mandatory ("verplicht"): the law or the CSIRT needs the person
to know, so they always arrive at once."""
from __future__ import annotations

from enum import StrEnum

from weerbaar_platform.errors import DomainError, FieldError


class Category(StrEnum):
    ROLES = "roles"                    # rolwijzigingen: role given, usable, withdrawn, removed
    DEADLINES = "deadlines"            # wettelijke termijnen: statutory deadline reminders
    CSIRT_REQUESTS = "csirt_requests"  # verzoeken van het CSIRT: e.g. an intermediate report
    INCIDENTS = "incidents"            # ontvangstbevestigingen van meldingen: receipts
    ADVISORIES = "advisories"          # beveiligingsadviezen
    PUBLICATIONS = "publications"      # analyses en nieuws
    FINDINGS = "findings"              # bevindingen in uw netwerken (feeds)


class Delivery(StrEnum):
    IMMEDIATELY = "immediately"  # direct
    DIGEST = "digest"            # dagelijks overzicht
    OFF = "off"                  # uit


MANDATORY = frozenset({Category.ROLES, Category.DEADLINES, Category.CSIRT_REQUESTS})

LABELS: dict[Category, tuple[str, str]] = {
    Category.ROLES: ("Wijzigingen in uw rollen", "Changes to your roles"),
    Category.DEADLINES: ("Herinneringen aan wettelijke termijnen", "Statutory deadline reminders"),
    Category.CSIRT_REQUESTS: ("Verzoeken van het CSIRT", "Requests from the CSIRT"),
    Category.INCIDENTS: ("Ontvangstbevestigingen van meldingen", "Receipts of incident reports"),
    Category.ADVISORIES: ("Nieuwe beveiligingsadviezen", "New security advisories"),
    Category.PUBLICATIONS: ("Analyses en nieuws", "Analyses and news"),
    Category.FINDINGS: ("Bevindingen in uw netwerken", "Findings in your networks"),
}


def effective(category: Category, chosen: Delivery | None) -> Delivery:
    """How a message of this category reaches a person, given what they chose (None: default)."""
    if category in MANDATORY:
        return Delivery.IMMEDIATELY
    return chosen or Delivery.IMMEDIATELY


def check_choices(choices: dict[Category, Delivery]) -> None:
    """Refuse any choice other than `immediately` for a mandatory category, naming each one."""
    errors = [FieldError(
        f"categories.{category.value}", "mandatory_category",
        f"'{LABELS[category][0]}' is verplicht: deze berichten ontvangt u altijd direct, omdat de wet "
        "of het CSIRT dat vraagt. Kies 'immediately' of laat deze categorie weg.",
        f"'{LABELS[category][1]}' is mandatory: these messages always arrive at once, because the law "
        "or the CSIRT requires it. Choose 'immediately' or leave this category out.")
        for category, delivery in choices.items()
        if category in MANDATORY and delivery is not Delivery.IMMEDIATELY]
    if errors:
        raise DomainError.many(errors)
