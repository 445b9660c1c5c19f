"""Fault plans: scripted SMTP replies for one recipient, so delivery code can be tested on failures."""

import re
import threading
from collections import deque
from typing import Literal

from pydantic import BaseModel, Field, field_validator

_REPLY = re.compile(r"^[245]\d\d( .*)?$")


class FaultPlan(BaseModel):
    """E.g. {"rcpt": "x@example.nl", "replies": ["451 4.3.0 try later", "250"]}.

    Each time `rcpt` comes up at `stage` (its RCPT TO command, or the DATA of a message to it),
    the next reply is used; a 2xx reply means "behave normally". When the replies run out the
    plan ends, unless `repeat_last` keeps answering with the last one (a mailbox that stays gone).
    """

    rcpt: str
    replies: list[str] = Field(min_length=1)
    stage: Literal["rcpt", "data"] = "rcpt"
    repeat_last: bool = False

    @field_validator("replies")
    @classmethod
    def _smtp_replies(cls, replies: list[str]) -> list[str]:
        for reply in replies:
            if not _REPLY.match(reply):
                raise ValueError(f"not an SMTP reply (three digits 2xx/4xx/5xx, then text): {reply!r}")
        return replies


class FaultPlans:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # the SMTP side and the HTTP side may run in different threads
        self._plans: dict[tuple[str, str], tuple[deque[str], bool]] = {}

    def set(self, plan: FaultPlan) -> None:
        with self._lock:
            self._plans[(plan.rcpt.lower(), plan.stage)] = (deque(plan.replies), plan.repeat_last)

    def next_reply(self, rcpt: str, stage: str) -> str | None:
        """The scripted reply for this recipient at this stage, or None to behave normally."""
        key = (rcpt.lower(), stage)
        with self._lock:
            if key not in self._plans:
                return None
            replies, repeat_last = self._plans[key]
            reply = replies[0] if repeat_last and len(replies) == 1 else replies.popleft()
            if not replies:
                del self._plans[key]
        return None if reply.startswith("2") else reply

    def pending(self) -> list[dict]:
        with self._lock:
            return [{"rcpt": rcpt, "stage": stage, "replies": list(replies), "repeat_last": repeat}
                    for (rcpt, stage), (replies, repeat) in self._plans.items()]

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()
