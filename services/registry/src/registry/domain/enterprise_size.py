"""Enterprise size under Commission Recommendation 2003/361/EC (Annex, article 2).

The Recommendation defines each class by a ceiling: an enterprise stays within it when it
has fewer staff than the headcount limit AND its turnover OR its balance-sheet total stays at
or below the money limit. So it EXCEEDS a ceiling when

    employees >= limit  OR  (turnover > turnover limit AND balance sheet > balance limit)

NIS2 article 2(1) brings in enterprises that are medium-sized or exceed the medium ceiling
(large). Staff count is in annual work units and the figures are those of the enterprise
together with its partner and linked enterprises (Annex, articles 3 to 6); the registrant
gives those consolidated figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from registry.domain.errors import Problem, raise_problem


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


@dataclass(frozen=True)
class Ceiling:
    size_class: SizeClass
    employees: int
    turnover_eur: Decimal
    balance_sheet_eur: Decimal


MEDIUM_CEILING = Ceiling(SizeClass.MEDIUM, 250, Decimal(50_000_000), Decimal(43_000_000))
SMALL_CEILING = Ceiling(SizeClass.SMALL, 50, Decimal(10_000_000), Decimal(10_000_000))
MICRO_CEILING = Ceiling(SizeClass.MICRO, 10, Decimal(2_000_000), Decimal(2_000_000))


# Upper bounds far above any real enterprise (the largest employers have a few million staff,
# the largest turnovers are below a trillion euro): they only stop typos and hostile input
# (10**30, a 5000-digit amount, 1e999999999) before they reach arithmetic and storage.
MAX_EMPLOYEES = 10_000_000
MAX_AMOUNT_EUR = Decimal(10) ** 13
_CENT = Decimal("0.01")


def _plausible_headcount(value: int) -> int:
    if value > MAX_EMPLOYEES:
        raise_problem(Problem(
            "employees_implausible",
            "Vul het aantal medewerkers (jaarlijkse arbeidseenheden) in; meer dan 10 miljoen is niet mogelijk.",
            "Enter the number of employees (annual work units); more than 10 million is not possible.",
        ))
    return value


def _plausible_amount(value: Decimal) -> Decimal:
    if value > MAX_AMOUNT_EUR:
        raise_problem(Problem(
            "amount_implausible",
            "Vul het bedrag in euro in; meer dan 10 biljoen euro is niet mogelijk.",
            "Enter the amount in euros; more than 10 trillion euros is not possible.",
        ))
    if value != value.quantize(_CENT):
        raise_problem(Problem(
            "amount_fraction_of_cent",
            "Een bedrag heeft hoogstens twee cijfers achter de komma.",
            "An amount has at most two digits after the decimal point.",
        ))
    return value


def _not_a_yes_or_no(value):
    """JSON's true and false are not numbers, though Python would count them as 1 and 0."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "int_type", "Enter a number, not true or false.",
            {"message_nl": "Vul een getal in, niet true of false.", "message_en": "Enter a number, not true or false."})
    return value


#: Euros: finite (pydantic refuses NaN and Infinity), not negative, plausible, whole cents.
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False), AfterValidator(_plausible_amount),
                   BeforeValidator(_not_a_yes_or_no)]


class CompanySize(BaseModel):
    """Consolidated figures of the last closed financial year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    employees: Annotated[int, Field(ge=0), AfterValidator(_plausible_headcount), BeforeValidator(_not_a_yes_or_no)]  # annual work units (jaarlijkse arbeidseenheden)
    annual_turnover_eur: Amount
    balance_sheet_total_eur: Amount


@dataclass(frozen=True)
class SizeFinding:
    size_class: SizeClass
    # Which test put the enterprise above the next-lower ceiling: "employees", "financial"
    # or None for micro. Kept so the classification can explain itself.
    exceeded_by: str | None
    ceiling: Ceiling | None


def exceeds(ceiling: Ceiling, size: CompanySize) -> str | None:
    """'employees' or 'financial' when the ceiling is exceeded, else None."""
    if size.employees >= ceiling.employees:
        return "employees"
    if (
        size.annual_turnover_eur > ceiling.turnover_eur
        and size.balance_sheet_total_eur > ceiling.balance_sheet_eur
    ):
        return "financial"
    return None


def size_class(size: CompanySize) -> SizeFinding:
    """The class whose ceiling is not exceeded; LARGE when even the medium one is."""
    for ceiling, above in (
        (MEDIUM_CEILING, SizeClass.LARGE),
        (SMALL_CEILING, SizeClass.MEDIUM),
        (MICRO_CEILING, SizeClass.SMALL),
    ):
        reason = exceeds(ceiling, size)
        if reason:
            return SizeFinding(above, reason, ceiling)
    return SizeFinding(SizeClass.MICRO, None, None)


def at_least_medium(size_class_: SizeClass) -> bool:
    return size_class_ in (SizeClass.MEDIUM, SizeClass.LARGE)
