"""How a sending attempt ends, and when to try again."""
from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    SENT = "sent"
    TEMPORARY = "temporary"  # 4xx, connection lost, timeout: try again later
    PERMANENT = "permanent"  # 5xx: the relay refuses for good


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    reason: str = ""
    #: the server saw the end of the DATA exchange: it may have accepted the message
    uncertain: bool = False


def outcome_of_code(code: int) -> Outcome:
    if 200 <= code < 300:
        return Outcome.SENT
    if 500 <= code < 600:
        return Outcome.PERMANENT
    return Outcome.TEMPORARY


def backoff_seconds(attempts: int, *, base: float, ceiling: float, jitter: float = 0.1,
                    rnd: random.Random | None = None) -> float:
    """Exponential: base, 2*base, 4*base... capped at `ceiling`, with a little jitter so that
    many messages refused at once do not all come back at the same second."""
    delay = min(ceiling, base * (2 ** max(0, attempts - 1)))
    spread = (rnd or random).uniform(-jitter, jitter) * delay
    return max(0.0, delay + spread)
