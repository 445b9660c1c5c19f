"""A person's browser session as the gateway keeps it: who they are, which organisations they
may act for (with the roles usable now), the tokens (server side only) and the CSRF token."""
from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from uuid import UUID

from weerbaar_platform.auth import STAFF_ROLES

#: Refresh this long before the access token expires, so a call never leaves with a dying token.
REFRESH_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class Organisation:
    id: UUID
    name: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Session:
    id_hash: str
    person_id: UUID
    name: str
    email: str
    language: str
    organisations: tuple[Organisation, ...]
    acting_organisation: UUID | None
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    csrf_token: str
    expires_at: datetime
    #: the roles usable now, as the access token says (what every service will go by)
    token_roles: tuple[str, ...] = field(default=())

    @property
    def acting(self) -> Organisation | None:
        return next((o for o in self.organisations if o.id == self.acting_organisation), None)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.token_roles)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & set(STAFF_ROLES))

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def needs_refresh(self, now: datetime) -> bool:
        return now >= self.access_expires_at - REFRESH_MARGIN

    def owns(self, organisation_id: UUID) -> bool:
        """The only organisation whose data this session reads or writes is the acting one."""
        return self.acting_organisation is not None and organisation_id == self.acting_organisation


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def from_token_response(body: dict, *, id_hash: str, csrf_token: str, now: datetime,
                        max_age: timedelta) -> Session:
    """Build a session from identity's /token answer (see the login protocol)."""
    person = body["person"]
    orgs = tuple(Organisation(UUID(o["id"]), o.get("name", ""), tuple(o.get("roles", [])))
                 for o in body.get("organisations", []))
    acting = body.get("acting_organisation_id")
    return Session(
        id_hash=id_hash, person_id=UUID(person["id"]), name=person.get("name", ""),
        email=person.get("email", ""), language=person.get("language") or "nl", organisations=orgs,
        acting_organisation=UUID(acting) if acting else None, access_token=body["access_token"],
        access_expires_at=now + timedelta(seconds=int(body.get("expires_in", 300))),
        refresh_token=body["refresh_token"], csrf_token=csrf_token, expires_at=now + max_age,
        token_roles=tuple(token_claims(body["access_token"]).get("roles", [])))


def token_claims(access_token: str) -> dict:
    """The claims of an access token we received from identity ourselves, server to server.
    Read for display and for early refusals only; every service verifies the signature."""
    try:
        payload = access_token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def with_tokens(session: Session, body: dict, now: datetime) -> Session:
    """The session after a refresh: rotated tokens, and roles as identity says they are now."""
    fresh = from_token_response(body, id_hash=session.id_hash, csrf_token=session.csrf_token,
                                now=now, max_age=timedelta(0))
    return replace(fresh, expires_at=session.expires_at)
