"""What identity's routes, handlers and schedulers share: settings, the domain clock, the key
ring and the upstream IdPs. Built in app.py, reached as `runtime.extras["identity"]`."""
from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from .adapters.keyring import KeyRing
from .adapters.upstream import UpstreamIdp
from .domain.clock import Clock
from .settings import IdentitySettings


@dataclass
class IdentityContext:
    settings: IdentitySettings
    clock: Clock
    keyring: KeyRing
    upstreams: dict[str, UpstreamIdp] = field(default_factory=dict)


def context_of(request: Request) -> IdentityContext:
    return request.app.state.runtime.extras["identity"]
