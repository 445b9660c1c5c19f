"""The CSIRT's own judgement of an advisory, as NCSC-NL puts it in its CSAF documents.

Older NCSC advisories rate probability ("kans") and damage ("schade") as high, medium or
low; newer ones only say whether acting is urgent ("urgent") or not ("normal"). We look for
these in `document.notes` (a note titled Kans/Schade/Urgentie, or its English title) and in
`document.aggregate_severity.text` (free text such as "Kans: medium, Schade: high",
"medium/high" or "urgent"). What we cannot read stays None; we never guess a rating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Level(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Urgency(str, Enum):
    URGENT = "urgent"
    NORMAL = "normal"


_LEVELS = {
    "high": Level.HIGH, "hoog": Level.HIGH, "h": Level.HIGH,
    "medium": Level.MEDIUM, "middel": Level.MEDIUM, "gemiddeld": Level.MEDIUM, "m": Level.MEDIUM,
    "low": Level.LOW, "laag": Level.LOW, "l": Level.LOW,
}
_URGENCIES = {"urgent": Urgency.URGENT, "spoed": Urgency.URGENT, "normal": Urgency.NORMAL, "normaal": Urgency.NORMAL,
              "niet urgent": Urgency.NORMAL, "not urgent": Urgency.NORMAL}
_PROBABILITY_TITLES = ("kans", "probability", "likelihood")
_DAMAGE_TITLES = ("schade", "damage", "impact")
_URGENCY_TITLES = ("urgentie", "urgency")
_LEVEL_WORD = r"(high|hoog|medium|middel|gemiddeld|low|laag)"


@dataclass(frozen=True)
class CsirtRating:
    probability: Level | None = None  # kans
    damage: Level | None = None  # schade
    urgency: Urgency | None = None
    aggregate_severity: str | None = None  # the text as published, for display


def _level(text: str) -> Level | None:
    return _LEVELS.get(text.strip().lower().rstrip("."))


def _urgency(text: str) -> Urgency | None:
    return _URGENCIES.get(text.strip().lower().rstrip("."))


def _from_notes(notes: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for note in notes:
        title = note.get("title", "").strip().lower()
        if title in _PROBABILITY_TITLES and _level(note["text"]):
            found["probability"] = _level(note["text"])
        elif title in _DAMAGE_TITLES and _level(note["text"]):
            found["damage"] = _level(note["text"])
        elif title in _URGENCY_TITLES and _urgency(note["text"]):
            found["urgency"] = _urgency(note["text"])
    return found


def _from_aggregate_severity(text: str) -> dict[str, Any]:
    lowered = text.strip().lower()
    found: dict[str, Any] = {}
    if (urgency := _urgency(lowered)) is not None:
        found["urgency"] = urgency
        return found
    probability = re.search(rf"(kans|probability|likelihood)\s*[:=]?\s*{_LEVEL_WORD}", lowered)
    damage = re.search(rf"(schade|damage|impact)\s*[:=]?\s*{_LEVEL_WORD}", lowered)
    if probability:
        found["probability"] = _LEVELS[probability[2]]
    if damage:
        found["damage"] = _LEVELS[damage[2]]
    pair = re.fullmatch(rf"{_LEVEL_WORD}\s*/\s*{_LEVEL_WORD}", lowered)  # NCSC's "kans/schade" shorthand
    if pair and not found:
        found = {"probability": _LEVELS[pair[1]], "damage": _LEVELS[pair[2]]}
    return found


def csirt_rating(document: dict[str, Any]) -> CsirtRating:
    meta = document["document"]
    severity = (meta.get("aggregate_severity") or {}).get("text")
    found = _from_aggregate_severity(severity) if severity else {}
    found.update(_from_notes(meta.get("notes", [])))  # an explicit note wins over free text
    return CsirtRating(aggregate_severity=severity, **found)
