"""What an upstream login says about a person, and the rules applied to it."""
from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from . import levels

IDPS = ("ssonrijk", "eherkenning")


@dataclass(frozen=True)
class UpstreamLogin:
    """The verified claims of one login at SSOnRijk or eHerkenning."""

    idp: str
    subject: str          # eHerkenning: the acting person's pseudonym
    name: str
    email: str
    organisation_name: str
    kvk: str | None = None
    oin: str | None = None
    acr: str | None = None

    @classmethod
    def from_claims(cls, idp: str, claims: dict) -> "UpstreamLogin":
        return cls(idp=idp, subject=str(claims["sub"]), name=str(claims.get("name") or ""),
                   email=str(claims.get("email") or "").strip(),
                   organisation_name=str(claims.get("organization_name") or ""),
                   kvk=claims.get("kvk") if idp == "eherkenning" else None,
                   oin=claims.get("oin") if idp == "ssonrijk" else None, acr=claims.get("acr"))

    @property
    def account(self) -> str:
        return f"{self.idp}:{self.subject}"

    @property
    def level(self) -> str | None:
        return levels.level_of(self.acr) if self.idp == "eherkenning" else None


@dataclass(frozen=True)
class OrganisationKeys:
    id: UUID
    legal_name: str
    kvk: str | None
    oin: str | None


def speaks_for(login: UpstreamLogin, org: OrganisationKeys) -> bool:
    """An eHerkenning login speaks for the KvK number it carries, an SSOnRijk login for its OIN."""
    if login.idp == "eherkenning":
        return bool(login.kvk) and login.kvk == org.kvk
    return bool(login.oin) and login.oin == org.oin


def is_staff_login(login: UpstreamLogin, csirt_oins: list[str]) -> bool:
    return login.idp == "ssonrijk" and bool(login.oin) and login.oin in csirt_oins


def choose_acting(memberships: list[OrganisationKeys], login: UpstreamLogin | None,
                  preferred: UUID | None = None) -> UUID | None:
    """The organisation a person acts for: the one asked for if they belong to it, else the one
    their login speaks for, else the first they belong to, else none."""
    ids = [m.id for m in memberships]
    if preferred in ids:
        return preferred
    if login is not None:
        for org in memberships:
            if speaks_for(login, org):
                return org.id
    return ids[0] if ids else None
