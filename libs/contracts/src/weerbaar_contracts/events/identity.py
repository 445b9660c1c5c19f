"""Events of the identity service: people, memberships and roles. Keyed by organisation so the
membership history of one organisation stays in order (the last-admin rule depends on it)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import EmailStr

from .. import topics
from ..base import EventPayload

#: gebruiker (user), beheerder persoon- en organisatiegegevens (people and organisation admin),
#: beheerder netwerkgegevens (network data admin), and the CSIRT's own staff roles.
Role = Literal["gebruiker", "beheerder_personen", "beheerder_netwerk", "analist", "redacteur", "csirt_beheerder"]


class _IdentityEvent(EventPayload):
    topic = topics.IDENTITY_PEOPLE
    aggregate = "organisation_id"


class PersonJoinedV1(_IdentityEvent):
    event_type = "identity.person.joined"
    version = 1
    summary = "A person became a member of an organisation (first admin, or an accepted invitation)."
    organisation_id: UUID
    person_id: UUID
    name: str
    email: EmailStr
    language: Literal["nl", "en"] = "nl"


class RoleGrantedV1(_IdentityEvent):
    event_type = "identity.role.granted"
    version = 1
    summary = "A role was given; it becomes usable at usable_from."
    organisation_id: UUID
    person_id: UUID
    role: Role
    granted_by: UUID | None
    usable_from: datetime


class RoleActivatedV1(_IdentityEvent):
    event_type = "identity.role.activated"
    version = 1
    summary = "A granted role became usable; the person is told by e-mail."
    organisation_id: UUID
    person_id: UUID
    role: Role
    #: Added within v1 (optional): whom to tell and in which language, so notify needs no lookup.
    name: str | None = None
    email: EmailStr | None = None
    language: Literal["nl", "en"] | None = None
    organisation_name: str | None = None


class RoleWithdrawnV1(_IdentityEvent):
    event_type = "identity.role.withdrawn"
    version = 1
    organisation_id: UUID
    person_id: UUID
    role: Role
    withdrawn_by: UUID | None


class PersonRemovedV1(_IdentityEvent):
    event_type = "identity.person.removed"
    version = 1
    organisation_id: UUID
    person_id: UUID
    removed_by: UUID | None


class InvitationCreatedV1(_IdentityEvent):
    event_type = "identity.invitation.created"
    version = 1
    summary = ("A people admin invited someone by e-mail; notify sends the invitation. The person "
               "accepts by logging in with an eHerkenning or SSOnRijk login of the same organisation.")
    organisation_id: UUID
    invitation_id: UUID
    email: EmailStr
    roles: list[Role]
    invited_by: UUID
    organisation_name: str = ""
    expires_at: datetime
