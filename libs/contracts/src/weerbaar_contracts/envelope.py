"""The CloudEvents 1.0 envelope (JSON event format) with Weerbaar's correlation id extension."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .base import EventPayload


class CloudEvent(BaseModel):
    """One event as it travels on Kafka, serialised as a CloudEvents JSON document."""

    model_config = ConfigDict(extra="allow")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    subject: str | None = None
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    # CloudEvents extension attribute names are lower-case letters and digits only.
    correlationid: str | None = None
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> "CloudEvent":
        return cls.model_validate_json(raw)


def new_event(payload: EventPayload, *, source: str, correlation_id: str | None = None,
              event_id: str | None = None, time: datetime | None = None) -> CloudEvent:
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=payload.cloudevents_type(),
        subject=payload.key(),
        time=time or datetime.now(timezone.utc),
        dataschema=payload.dataschema(),
        correlationid=correlation_id,
        data=payload.model_dump(mode="json"),
    )
