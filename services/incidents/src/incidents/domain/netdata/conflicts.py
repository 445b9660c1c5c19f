"""Claims that clash with another organisation's: flagged for a CSIRT analyst, never shared
silently.

Our decision, per kind:
- the same value (a prefix, an AS number, a domain; ``*.example.nl`` counts as the same
  domain as ``example.nl``) claimed by another organisation: reason ``same_value``. Feeds
  still reach both (nobody is left unwarned), but an analyst decides who really owns it.
- a prefix that overlaps another organisation's prefix (one lies inside the other): reason
  ``overlap``. It is often legitimate (a provider's block and a customer's network within it)
  and matching sends each address to the longest prefix, so nothing is shared; it is flagged
  because a wrong claim of a more specific prefix would take findings away from the owner.
- a domain below another organisation's domain (``shop.example.nl`` under ``example.nl``) is
  not flagged: delegating subdomains is ordinary, and the most specific domain wins.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Kind


class ConflictReason:
    SAME_VALUE = "same_value"
    OVERLAP = "overlap"


@dataclass(frozen=True)
class ClaimConflict:
    kind: Kind
    value: str
    reason: str
    others: tuple[tuple[str, str], ...]  # (other organisation id, the value it claims), sorted

    @property
    def other_organisation_ids(self) -> tuple[str, ...]:
        return tuple(sorted({organisation for organisation, _ in self.others}))


def domain_root(value: str) -> str:
    return value.removeprefix("*.")


def conflicts_of(clashes: Iterable[tuple[str, str, str, str]]) -> list[ClaimConflict]:
    """Group clashes ``(kind, our value, other organisation, its value)`` into one conflict per
    value of ours; ``same_value`` wins over ``overlap`` when both occur for one value."""
    grouped: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for kind, value, other, their_value in clashes:
        grouped.setdefault((kind, value), set()).add((other, their_value))
    conflicts = []
    for (kind, value), others in sorted(grouped.items()):
        kind = Kind(kind)
        same = any(_same(kind, value, theirs) for _, theirs in others)
        reason = ConflictReason.SAME_VALUE if same else ConflictReason.OVERLAP
        conflicts.append(ClaimConflict(kind, value, reason, tuple(sorted(others))))
    return conflicts


def _same(kind: Kind, ours: str, theirs: str) -> bool:
    if kind is Kind.DOMAIN:
        return domain_root(ours) == domain_root(theirs)
    return ours == theirs
