"""The clock is a port: rules ask it for "now" so tests can pin time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; for tests and replays."""

    def __init__(self, at: datetime) -> None:
        self._at = _as_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = _as_utc(at)

    def advance(self, by: timedelta) -> None:
        self._at += by


def _as_utc(at: datetime) -> datetime:
    # A naive instant here is a programming error, not user input: refuse it loudly.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("ManualClock needs a timezone-aware datetime")
    return at.astimezone(UTC)
