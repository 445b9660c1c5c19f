"""Events of the notify service."""
from __future__ import annotations

from uuid import UUID

from .. import topics
from ..base import EventPayload


class DeliveryFailedV1(EventPayload):
    event_type = "notify.delivery.failed"
    version = 1
    topic = topics.NOTIFY_DELIVERY
    aggregate = "message_id"
    summary = "A message could not be delivered (permanent SMTP failure); the reason is kept."
    message_id: UUID
    reference: str
    recipient: str
    reason: str
