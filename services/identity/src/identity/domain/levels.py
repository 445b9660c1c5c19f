"""eHerkenning assurance levels (betrouwbaarheidsniveaus). The portal needs EH2+ (loa2plus);
loa3 and loa4 are higher and accepted, loa2 and below are refused."""
from __future__ import annotations

PREFIX = "urn:etoegang:core:assurance-class:"
#: From low to high, as eHerkenning orders them.
ORDER = ("loa1", "loa2", "loa2plus", "loa3", "loa4")
MINIMUM = "loa2plus"
LABELS = {"loa1": "EH1", "loa2": "EH2", "loa2plus": "EH2+", "loa3": "EH3", "loa4": "EH4"}


def level_of(acr: str | None) -> str | None:
    """The level named by an `acr` value, or None for a value that is not an eHerkenning level."""
    if not acr or not acr.startswith(PREFIX):
        return None
    level = acr.removeprefix(PREFIX)
    return level if level in ORDER else None


def is_sufficient(acr: str | None, minimum: str = MINIMUM) -> bool:
    level = level_of(acr)
    return level is not None and ORDER.index(level) >= ORDER.index(minimum)


def label(acr: str | None) -> str:
    level = level_of(acr)
    return LABELS[level] if level else (acr or "onbekend/unknown")
