"""Composition root of the identity service."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from weerbaar_contracts.events.identity import (PersonJoinedV1, PersonRemovedV1, RoleActivatedV1,
                                                RoleGrantedV1, RoleWithdrawnV1)
from weerbaar_platform.service import ServiceSpec, build_app

from .adapters import store
from .adapters.keyring import KeyRing, KeyRingVerifier
from .adapters.upstream import UpstreamIdp
from .context import IdentityContext
from .domain.clock import Clock, system_clock
from .domain.login import IDPS
from .entrypoints import login, oauth, people
from .entrypoints.handlers import registry_handlers
from .entrypoints.schedulers import housekeeping, role_activation
from .settings import IdentitySettings


def create_app(settings: IdentitySettings, clock: Clock = system_clock) -> FastAPI:
    keyring = KeyRing()
    ctx = IdentityContext(settings=settings, clock=clock, keyring=keyring)

    async def start_identity(runtime) -> None:
        runtime.extras["identity"] = ctx
        await keyring.start(runtime.pool)
        async with runtime.pool.acquire() as conn:
            # The CSIRT's own organisation is not registered like the others; it simply exists.
            await store.upsert_organisation(conn, id=settings.csirt_organisation_id,
                                            legal_name=settings.csirt_organisation_name, kvk=None,
                                            oin=settings.csirt_oins[0] if settings.csirt_oins else None,
                                            version=0, is_csirt=True)
        for idp in IDPS:
            ctx.upstreams[idp] = UpstreamIdp(idp, issuer=settings.upstream_issuer(idp),
                                             client_id=settings.idp_client_id,
                                             client_secret=settings.idp_client_secret,
                                             redirect_uri=settings.callback_url(idp),
                                             backchannel=settings.upstream_backchannel(idp))

    spec = ServiceSpec(
        name="identity",
        description="Federated login through SSOnRijk and eHerkenning; people, memberships, roles and tokens.",
        migrations=Path(__file__).parent / "migrations",
        routers=[login.router, oauth.router, people.router],
        handlers=registry_handlers(ctx),
        produces=[PersonJoinedV1, RoleGrantedV1, RoleActivatedV1, RoleWithdrawnV1, PersonRemovedV1],
        on_start=[start_identity],
        background=[role_activation(ctx), housekeeping(ctx)],
        token_verifier=KeyRingVerifier(keyring),
    )
    return build_app(spec, settings)
