"""Failpoints: named places where a test can make the process die on the spot, to prove that
nothing is lost or done twice. Active only when `WEERBAAR_FAILPOINTS` names them (comma
separated); in a normal run `hit` is a set lookup and nothing more."""
from __future__ import annotations

import os
import signal

_ACTIVE = frozenset(filter(None, os.environ.get("WEERBAAR_FAILPOINTS", "").split(",")))


def hit(name: str) -> None:
    if name in _ACTIVE:
        os.kill(os.getpid(), signal.SIGKILL)
