"""The base of every event payload."""
from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventPayload(BaseModel):
    """A versioned event payload.

    Subclasses set `event_type` (dotted, past tense: `registry.entity.registered`), `version`
    (an int; a breaking change is a new class with version + 1, published side by side),
    `topic` and `aggregate` (the field whose value is the Kafka key and the CloudEvents subject).

    Consumers ignore fields they do not know (`extra="ignore"`), so a producer may add optional
    fields within a version without breaking anyone.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    version: ClassVar[int]
    topic: ClassVar[str]
    aggregate: ClassVar[str]
    summary: ClassVar[str] = ""

    @classmethod
    def cloudevents_type(cls) -> str:
        return f"nl.weerbaar.{cls.event_type}.v{cls.version}"

    @classmethod
    def schema_name(cls) -> str:
        return f"{cls.event_type}.v{cls.version}"

    @classmethod
    def dataschema(cls) -> str:
        return f"urn:weerbaar:schema:{cls.schema_name()}"

    def key(self) -> str:
        return str(getattr(self, self.aggregate))
