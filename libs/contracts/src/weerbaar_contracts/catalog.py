"""Every event payload class, looked up by its CloudEvents `type`."""
from __future__ import annotations

from .base import EventPayload
from .events import content, identity, incidents, netdata, notify, registry


def _collect() -> dict[str, type[EventPayload]]:
    found: dict[str, type[EventPayload]] = {}
    for module in (identity, registry, incidents, netdata, content, notify):
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, EventPayload)
                    and "event_type" in obj.__dict__ and obj.__module__ == module.__name__):
                t = obj.cloudevents_type()
                if t in found:
                    raise RuntimeError(f"two payload classes claim {t}")
                found[t] = obj
    return found


EVENTS: dict[str, type[EventPayload]] = _collect()


def payload_class(cloudevents_type: str) -> type[EventPayload] | None:
    return EVENTS.get(cloudevents_type)
