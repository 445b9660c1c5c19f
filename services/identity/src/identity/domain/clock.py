"""The domain clock. Role activation and invitation expiry read time through it, so tests can
move time forward; protocol times (token expiry, codes, rate windows) use the wall clock."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class SettableClock:
    """A clock for tests: starts at the real time and moves only when told."""

    def __init__(self, start: datetime | None = None):
        self.now = start or system_clock()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
