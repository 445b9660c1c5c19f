"""The audience as stored in the publications table (JSON) <-> the contract model the domain uses."""
from __future__ import annotations

from typing import Any

from weerbaar_contracts.events.content import Audience


def from_json(data: dict[str, Any]) -> Audience:
    return Audience.model_validate(data)


def to_json(audience: Audience) -> dict[str, Any]:
    # Each list as a sorted set: the same audience is stored the same way whatever order it was
    # sent in, so comparing two revisions' audiences does not report a change that is none.
    data = audience.model_dump(mode="json")
    return {key: sorted(set(value)) if isinstance(value, list) else value for key, value in data.items()}
