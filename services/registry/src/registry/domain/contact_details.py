"""E-mail addresses, phone numbers, postal addresses and EU member states of a registration.

Kept deliberately modest: we check what a person can get wrong in a form (a missing @, a
domain that cannot exist, a phone number with too few digits, a Dutch postcode in the wrong
shape) and leave deliverability to the e-mail the portal sends to confirm an address.
"""

from __future__ import annotations

import re
from typing import Annotated

import idna
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from registry.domain.errors import Problem, raise_problem

# ISO 3166-1 alpha-2 codes of the 27 EU Member States. Greece is GR in ISO 3166,
# although EU documents write EL.
EU_MEMBER_STATES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")
_DUTCH_POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


def _email(value: str) -> str:
    problem = Problem(
        "email_invalid",
        "Vul een geldig e-mailadres in, zoals naam@organisatie.nl.",
        "Enter a valid e-mail address, such as name@organisation.nl.",
    )
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or len(local) > 64 or not _LOCAL_PART.match(local):
        raise_problem(problem)
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise_problem(problem)
    try:
        # IDNA2008 with UTS 46 mapping, the same rules the network-data uploads use.
        ascii_domain = idna.encode(domain.rstrip("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise_problem(problem)
    if "." not in ascii_domain:
        raise_problem(problem)
    return f"{local}@{domain.rstrip('.').lower()}"


def _phone(value: str) -> str:
    """Normalise to E.164 (+31701234567). A number starting with a single 0 is Dutch."""
    value = value.strip()
    digits = re.sub(r"[^0-9]", "", value)
    if not _PHONE_CHARS.match(value) or value.count("+") > 1:
        digits = ""
    if value.startswith("+"):
        e164 = "+" + digits
    elif digits.startswith("00"):
        e164 = "+" + digits[2:]
    elif digits.startswith("0"):
        e164 = "+31" + digits[1:]
    else:
        e164 = ""
    # E.164 allows at most 15 digits; fewer than 8 is no reachable number anywhere in the EU.
    if not 8 <= len(e164) - 1 <= 15:
        raise_problem(
            Problem(
                "phone_invalid",
                "Vul een telefoonnummer in met netnummer, zoals 070 123 4567 of +31 70 123 4567.",
                "Enter a phone number with its area code, such as +31 70 123 4567.",
            )
        )
    return e164


def _member_state(value: str) -> str:
    code = value.strip().upper()
    if code == "EL":
        raise_problem(
            Problem(
                "member_state_use_iso_code",
                "Gebruik voor Griekenland de ISO-code GR (niet EL).",
                "Use the ISO code GR for Greece (not EL).",
            )
        )
    if code not in EU_MEMBER_STATES:
        raise_problem(
            Problem(
                "member_state_not_eu",
                f"'{value}' is geen lidstaat van de EU. Gebruik de tweeletterige ISO-code, "
                "zoals NL of BE.",
                f"'{value}' is not an EU Member State. Use the two-letter ISO code, such as "
                "NL or BE.",
            )
        )
    return code


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise_problem(
            Problem(
                "country_invalid",
                "Gebruik de tweeletterige ISO-landcode, zoals NL.",
                "Use the two-letter ISO country code, such as NL.",
            )
        )
    return code


EmailAddress = Annotated[str, AfterValidator(_email)]
PhoneNumber = Annotated[str, AfterValidator(_phone)]
MemberState = Annotated[str, AfterValidator(_member_state)]
CountryCode = Annotated[str, AfterValidator(_country)]

_Text = Annotated[str, Field(min_length=1, max_length=200)]


class Address(BaseModel):
    """A visiting or postal address. A Postbus is street 'Postbus' with its number."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    country: CountryCode = "NL"  # first: the postcode check below depends on it
    street: _Text
    house_number: Annotated[str, Field(min_length=1, max_length=20)]
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    city: _Text

    @field_validator("postal_code")
    @classmethod
    def _dutch_postcode(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("country") != "NL":
            return value
        match = _DUTCH_POSTCODE.match(value.upper())
        # Letter pairs SA, SD and SS are never issued in Dutch postcodes.
        if match is None or match.group(2) in {"SA", "SD", "SS"}:
            raise_problem(
                Problem(
                    "postal_code_invalid",
                    "Een Nederlandse postcode bestaat uit 4 cijfers en 2 letters, zoals 2595 AN.",
                    "A Dutch postal code is 4 digits and 2 letters, such as 2595 AN.",
                )
            )
        return f"{match.group(1)} {match.group(2)}"


class SecurityContact(BaseModel):
    """Reachable day and night: the CSIRT calls here when it sees something in your networks."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    phone_24x7: PhoneNumber
    email: EmailAddress
    name: Annotated[str, Field(max_length=200)] | None = None


class Official(BaseModel):
    """A named person, e.g. the official responsible for incident reports."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: _Text
    email: EmailAddress
    phone: PhoneNumber
