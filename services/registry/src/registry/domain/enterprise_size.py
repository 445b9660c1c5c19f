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

from pydantic import BaseModel, ConfigDict, Field


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


class CompanySize(BaseModel):
    """Consolidated figures of the last closed financial year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    employees: int = Field(ge=0)  # annual work units (jaarlijkse arbeidseenheden)
    annual_turnover_eur: Decimal = Field(ge=0)
    balance_sheet_total_eur: Decimal = Field(ge=0)


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
