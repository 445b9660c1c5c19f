"""A registration in the entity register (entiteitenregister) of the Cbw and the Netcode.

Validation happens field by field so that a refused form says which field is wrong, in
Dutch and English (`field_errors`). Rules that compare fields are field validators that
read fields declared earlier (`info.data`): that is why the field order below matters, and
why a later check is skipped when the field it depends on was itself refused (one mistake,
one message).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from registry.domain.contact_details import (
    EU_MEMBER_STATES,
    Address,
    EmailAddress,
    MemberState,
    Official,
    PhoneNumber,
    SecurityContact,
)
from registry.domain.enterprise_size import CompanySize
from registry.domain.errors import FieldError, Problem, field_errors, raise_problem
from registry.domain.identifiers import KvkNumber, Oin, Rsin
from registry.domain.sectors import SECTORS, Sector, entity_types_for

PUBLIC_ADMINISTRATION = "public_administration"
ELECTRICITY = "energy.electricity"


class NetcodeImpact(StrEnum):
    """Impact level of an electricity entity under the network code on cybersecurity."""

    HIGH_IMPACT = "high_impact"
    CRITICAL_IMPACT = "critical_impact"


def _visible_name(name: str) -> str:
    # Stripping leaves zero-width spaces and direction marks: a name made only of those
    # shows as nothing in every list, so at least one letter or digit is required. Control
    # characters (NUL, escape, line breaks) never belong in a name and break storage and logs.
    if not any(ch.isalnum() for ch in name) or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise_problem(Problem(
            "name_not_visible",
            "Vul de statutaire naam in: ten minste één letter of cijfer, zonder stuurtekens.",
            "Enter the legal name: at least one letter or digit, without control characters.",
        ))
    return name


def _at_most_all_member_states(value: Any) -> Any:
    # Checked before each code is read: the EU has 27 member states, and a list of 100,000
    # codes is refused at once, not after validating every one of them.
    if isinstance(value, list | tuple) and len(value) > len(EU_MEMBER_STATES):
        raise_problem(Problem(
            "member_states_too_many",
            f"Kies hoogstens {len(EU_MEMBER_STATES)} lidstaten; elke lidstaat één keer.",
            f"Choose at most {len(EU_MEMBER_STATES)} Member States; each one once.",
        ))
    return value


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # --- what the organisation does (first: the identifier rules depend on it) ---
    sector: str
    subsector: str | None = Field(default=None, validate_default=True)
    entity_type: str | None = Field(default=None, validate_default=True)
    is_government_body: bool = False

    # --- who it is ---
    kvk_number: KvkNumber | None = Field(default=None, validate_default=True)
    rsin: Rsin | None = Field(default=None, validate_default=True)
    oin: Oin | None = Field(default=None, validate_default=True)
    legal_name: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_visible_name)]

    # --- where and how to reach it ---
    visiting_address: Address
    postal_address: Address | None = None  # absent: post goes to the visiting address
    email: EmailAddress
    phone: PhoneNumber
    security_contact: SecurityContact
    incident_official: Official  # the official responsible for incident reports
    group_mailbox: EmailAddress | None = None

    # --- scope ---
    # where it provides services (NIS2 art. 2(1))
    member_states: Annotated[tuple[MemberState, ...], BeforeValidator(_at_most_all_member_states)]
    size: CompanySize | None = Field(default=None, validate_default=True)
    netcode: NetcodeImpact | None = None

    @property
    def is_government(self) -> bool:
        return self.is_government_body or self.sector == PUBLIC_ADMINISTRATION

    @property
    def effective_postal_address(self) -> Address:
        return self.postal_address or self.visiting_address

    # ---------------------------------------------------------------- sector rules

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value not in SECTORS:
            raise_problem(
                Problem(
                    "sector_unknown",
                    f"'{value}' is geen sector uit bijlage I of II van de NIS2-richtlijn.",
                    f"'{value}' is not a sector of Annex I or II of the NIS2 Directive.",
                )
            )
        return value

    @field_validator("subsector")
    @classmethod
    def _subsector_of_sector(cls, value: str | None, info: ValidationInfo) -> str | None:
        sector: Sector | None = SECTORS.get(info.data.get("sector", ""))
        if sector is None:
            return value
        if value is None:
            if sector.has_subsectors:
                choices = ", ".join(s.code for s in sector.subsectors)
                raise_problem(
                    Problem(
                        "subsector_required",
                        f"Kies een subsector van {sector.name_nl}: {choices}.",
                        f"Choose a subsector of {sector.name_en}: {choices}.",
                    )
                )
            return None
        if sector.subsector(value) is None:
            raise_problem(
                Problem(
                    "subsector_not_in_sector",
                    f"Subsector '{value}' hoort niet bij sector {sector.name_nl}.",
                    f"Subsector '{value}' does not belong to sector {sector.name_en}.",
                )
            )
        return value

    @field_validator("entity_type")
    @classmethod
    def _entity_type_of_sector(cls, value: str | None, info: ValidationInfo) -> str | None:
        sector = SECTORS.get(info.data.get("sector", ""))
        if sector is None or "subsector" not in info.data:
            return value  # the sector or subsector was refused already
        subsector = info.data["subsector"]
        options = entity_types_for(sector.code, subsector)
        if value is None:
            if len(options) == 1:
                return options[0].code  # nothing to choose: the one type there is
            if len(options) > 1:
                raise_problem(
                    Problem(
                        "entity_type_required",
                        "Kies het type entiteit dat uw organisatie is in deze (sub)sector.",
                        "Choose the type of entity your organisation is in this (sub)sector.",
                    )
                )
            return None
        if value not in {t.code for t in options}:
            raise_problem(
                Problem(
                    "entity_type_not_in_sector",
                    f"Type entiteit '{value}' hoort niet bij de gekozen (sub)sector.",
                    f"Entity type '{value}' does not belong to the chosen (sub)sector.",
                )
            )
        return value

    # ---------------------------------------------------------------- identifier rules

    @staticmethod
    def _government(info: ValidationInfo) -> bool:
        return bool(info.data.get("is_government_body")) or (
            info.data.get("sector") == PUBLIC_ADMINISTRATION
        )

    @field_validator("kvk_number")
    @classmethod
    def _kvk_for_non_government(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and not cls._government(info):
            raise_problem(
                Problem(
                    "kvk_number_required",
                    "Vul het KvK-nummer van uw organisatie in (8 cijfers).",
                    "Enter your organisation's KvK (Chamber of Commerce) number (8 digits).",
                )
            )
        return value

    @field_validator("rsin")
    @classmethod
    def _rsin_for_non_government(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and not cls._government(info):
            raise_problem(
                Problem(
                    "rsin_required",
                    "Vul het RSIN van uw organisatie in (9 cijfers, staat op het uittreksel "
                    "uit het Handelsregister).",
                    "Enter your organisation's RSIN (9 digits, shown on the extract from the "
                    "Dutch Business Register).",
                )
            )
        return value

    @field_validator("oin")
    @classmethod
    def _oin_for_government(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and cls._government(info):
            raise_problem(
                Problem(
                    "oin_required",
                    "Een overheidsorganisatie vult haar OIN in (20 cijfers, te vinden in het "
                    "OIN-register van Logius).",
                    "A government body enters its OIN (20 digits, found in the Logius OIN "
                    "register).",
                )
            )
        return value

    # ---------------------------------------------------------------- scope rules

    @field_validator("member_states")
    @classmethod
    def _unique_member_states(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Checked here, not with min_length: pydantic would also call a list with one bad
        # code 'too short', giving two messages for one mistake.
        if not value:
            raise_problem(
                Problem(
                    "member_states_required",
                    "Kies ten minste één EU-lidstaat waar uw organisatie diensten verleent.",
                    "Choose at least one EU Member State where your organisation provides "
                    "services.",
                )
            )
        return tuple(dict.fromkeys(value))  # 'NL, nl' is one country, said twice

    @field_validator("size")
    @classmethod
    def _size_needed(cls, value: CompanySize | None, info: ValidationInfo) -> CompanySize | None:
        # Public administration is in scope whatever its size; other entities need it.
        if value is None and info.data.get("sector") not in (None, PUBLIC_ADMINISTRATION):
            raise_problem(
                Problem(
                    "size_required",
                    "Vul het aantal medewerkers, de jaaromzet en het balanstotaal in.",
                    "Enter the number of employees, the annual turnover and the balance-sheet "
                    "total.",
                )
            )
        return value

    @field_validator("netcode")
    @classmethod
    def _netcode_only_for_electricity(
        cls, value: NetcodeImpact | None, info: ValidationInfo
    ) -> NetcodeImpact | None:
        if value is None or "sector" not in info.data:
            return value
        if info.data.get("subsector") != ELECTRICITY:
            raise_problem(
                Problem(
                    "netcode_not_electricity",
                    "De Netcode (cyberbeveiliging) geldt alleen voor entiteiten in de "
                    "subsector elektriciteit.",
                    "The network code on cybersecurity applies only to entities in the "
                    "electricity subsector.",
                )
            )
        return value


class RegistrationRefused(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__(", ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = errors


def parse_registration(data: Mapping[str, Any]) -> Registration:
    """A Registration from form or API data; RegistrationRefused lists every field error."""
    try:
        return Registration.model_validate(data)
    except ValidationError as exc:
        raise RegistrationRefused(field_errors(exc)) from exc


def unattested_identifier(*, login_kvk: str | None, login_oin: str | None,
                          kvk: str | None, oin: str | None) -> str | None:
    """The identifier of a registration its login does not attest ("kvk_number" or "oin"), or
    None when the login speaks for every identifier the registration names (at least one).
    eHerkenning carries the KvK number, SSOnRijk the OIN; without this anyone with a login could
    claim any company or government body, become its first people admin, and receive the
    invitations meant for it."""
    if not (kvk or oin):
        return "kvk_number"
    if kvk and kvk != login_kvk:
        return "kvk_number"
    if oin and oin != login_oin:
        return "oin"
    return None
