"""Weerbaar's event contracts: the one place where an event is defined, versioned and documented.

- `envelope.CloudEvent`: the CloudEvents 1.0 envelope every message on Kafka carries.
- `base.EventPayload`: the base of every payload; each payload class names its type, version,
  topic and aggregate (the Kafka key).
- `topics`: all topic names.
- `catalog`: every payload class, looked up by CloudEvents `type`.
"""
from .base import EventPayload
from .envelope import CloudEvent, new_event

__all__ = ["CloudEvent", "EventPayload", "new_event"]
