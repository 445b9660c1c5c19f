"""The daily digest ("dagelijks overzicht"): once a day, at a set local hour, one mail per person
with every item that waited for it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class DueDigest:
    day: date
    #: items that arrived up to this moment belong to this day's digest; later ones wait a day
    cutoff: datetime


def due_digest(now: datetime, *, hour: int, zone: str) -> DueDigest:
    """The digest due at `now`: today's once the digest hour has passed, else yesterday's (sent
    then, or now if we were down at that hour). Items newer than its cutoff wait."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    day = local.date() if local.time() >= time(hour) else local.date() - timedelta(days=1)
    return DueDigest(day, datetime.combine(day, time(hour), tzinfo=tz))


def digest_key(person_id, day: date) -> str:
    """The event id of a digest message: one digest per person per day, however often the job runs."""
    return f"digest:{person_id}:{day.isoformat()}"
