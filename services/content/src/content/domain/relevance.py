"""Is an advisory about something an organisation runs?

An organisation lists the products it runs as (vendor, product), e.g. ("Cisco", "IOS XE").
An advisory is relevant when any of its affected products matches one of them. Matching is
case-insensitive and by whole words: "IOS" matches "Cisco IOS 12.2(55)SE" but not
"BIOS". A vendor, when given, must match as well. We compare against the product's name,
its vendor and product branches, and for a relationship product against both sides
("telnet as a component of Red Hat Enterprise Linux" is relevant to whoever runs either).
We lean to matching too much rather than too little: a missed warning costs more than an
extra one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .csaf.products import Product

_WORD = re.compile(r"[0-9a-z]+(?:\.[0-9a-z]+)*")


@dataclass(frozen=True)
class RunProduct:
    """A product an organisation says it runs."""

    product: str
    vendor: str | None = None


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").casefold())


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def _texts(product: Product) -> list[Product]:
    sides = [product]
    for side in (product.component, product.platform):
        if side is not None:
            sides.extend(_texts(side))
    return sides


def matches(product: Product, run: RunProduct) -> bool:
    for side in _texts(product):
        name_words = _words(side.name) + _words(side.product)
        if not _contains(name_words, _words(run.product)):
            continue
        if run.vendor is None or _contains(_words(side.vendor) + _words(side.name), _words(run.vendor)):
            return True
    return False


def relevant_products(affected: Iterable[Product], runs: Iterable[RunProduct]) -> tuple[Product, ...]:
    """The affected products that match something the organisation runs."""
    runs = tuple(runs)
    return tuple(p for p in affected if any(matches(p, run) for run in runs))


def is_relevant(affected: Iterable[Product], runs: Iterable[RunProduct]) -> bool:
    return bool(relevant_products(affected, runs))
