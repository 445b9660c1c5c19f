"""Mandatory tests 6.1.1 - 6.1.6: product ids and product group ids."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..findings import Finding, pointer
from ..tree import group_definitions, group_references, product_definitions, product_references


def missing_product_id_definition(document: dict[str, Any]) -> list[Finding]:
    """6.1.1: every product id that is referred to is defined in the product tree."""
    defined = {pid for pid, _ in product_definitions(document)}
    return [
        Finding("6.1.1", path, f"Product id {pid!r} is used but never defined in the product tree.",
                f"Product-id {pid!r} wordt gebruikt maar nergens in de productboom gedefinieerd.")
        for pid, path in product_references(document)
        if pid not in defined
    ]


def multiple_product_id_definition(document: dict[str, Any]) -> list[Finding]:
    """6.1.2: a product id is defined only once."""
    seen: set[str] = set()
    findings = []
    for pid, path in product_definitions(document):
        if pid in seen:
            findings.append(Finding("6.1.2", path, f"Product id {pid!r} is defined more than once.",
                                    f"Product-id {pid!r} is meer dan eens gedefinieerd."))
        seen.add(pid)
    return findings


def circular_product_id_definition(document: dict[str, Any]) -> list[Finding]:
    """6.1.3: a product defined by a relationship does not, through relationships, depend on itself."""
    relations = (document.get("product_tree") or {}).get("relationships", [])
    depends_on: dict[str, set[str]] = defaultdict(set)
    for relation in relations:
        new_id = relation.get("full_product_name", {}).get("product_id")
        if new_id is not None:
            depends_on[new_id] |= {relation.get("product_reference"), relation.get("relates_to_product_reference")} - {None}

    def reaches_itself(start: str) -> bool:
        stack, visited = list(depends_on.get(start, ())), set()
        while stack:
            current = stack.pop()
            if current == start:
                return True
            if current not in visited:
                visited.add(current)
                stack.extend(depends_on.get(current, ()))
        return False

    findings = []
    for index, relation in enumerate(relations):
        new_id = relation.get("full_product_name", {}).get("product_id")
        if new_id is not None and reaches_itself(new_id):
            findings.append(Finding(
                "6.1.3", pointer("product_tree", "relationships", index, "full_product_name", "product_id"),
                f"Product id {new_id!r} is defined in terms of itself (circular relationship).",
                f"Product-id {new_id!r} is via relaties in termen van zichzelf gedefinieerd (kringverwijzing)."))
    return findings


def missing_product_group_id_definition(document: dict[str, Any]) -> list[Finding]:
    """6.1.4: every product group id that is referred to is defined."""
    defined = {gid for gid, _ in group_definitions(document)}
    return [
        Finding("6.1.4", path, f"Product group id {gid!r} is used but never defined.",
                f"Productgroep-id {gid!r} wordt gebruikt maar nergens gedefinieerd.")
        for gid, path in group_references(document)
        if gid not in defined
    ]


def multiple_product_group_id_definition(document: dict[str, Any]) -> list[Finding]:
    """6.1.5: a product group id is defined only once."""
    seen: set[str] = set()
    findings = []
    for gid, path in group_definitions(document):
        if gid in seen:
            findings.append(Finding("6.1.5", path, f"Product group id {gid!r} is defined more than once.",
                                    f"Productgroep-id {gid!r} is meer dan eens gedefinieerd."))
        seen.add(gid)
    return findings


# The four product status groups of CSAF 2.0 section 3.2.3.9; a product is in at most one.
_STATUS_GROUP = {
    "first_affected": "affected",
    "known_affected": "affected",
    "last_affected": "affected",
    "known_not_affected": "not affected",
    "first_fixed": "fixed",
    "fixed": "fixed",
    "under_investigation": "under investigation",
}


def contradicting_product_status(document: dict[str, Any]) -> list[Finding]:
    """6.1.6: per vulnerability, a product is not both e.g. affected and fixed."""
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        groups_of: dict[str, set[str]] = defaultdict(set)
        places: dict[str, list[str]] = defaultdict(list)
        for status, ids in (vulnerability.get("product_status") or {}).items():
            if status not in _STATUS_GROUP:
                continue  # "recommended" says nothing about being affected
            for i, pid in enumerate(ids):
                groups_of[pid].add(_STATUS_GROUP[status])
                places[pid].append(pointer("vulnerabilities", v, "product_status", status, i))
        for pid, groups in groups_of.items():
            if len(groups) > 1:
                names = ", ".join(sorted(groups))
                findings.extend(
                    Finding("6.1.6", path, f"Product {pid!r} has contradicting statuses: {names}.",
                            f"Product {pid!r} heeft tegenstrijdige statussen: {names}.")
                    for path in places[pid]
                )
    return findings
