"""Mandatory tests 6.1.28 - 6.1.33, added to CSAF 2.0 by its Errata 01."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..findings import Finding, pointer
from ..tree import group_members
from ..versions import parse_version


def translation(document: dict[str, Any]) -> list[Finding]:
    """6.1.28: a translation's language differs from its source language."""
    meta = document["document"]
    if "lang" in meta and meta.get("source_lang") == meta["lang"]:
        return [Finding("6.1.28", pointer("document", "source_lang"),
                        "The source language equals the document language.",
                        "De brontaal is gelijk aan de taal van het document.")]
    return []


def _without_product_reference(document: dict[str, Any], member: str, test: str, en: str, nl: str) -> list[Finding]:
    return [
        Finding(test, pointer("vulnerabilities", v, member, n), en, nl)
        for v, vulnerability in enumerate(document.get("vulnerabilities", []))
        for n, item in enumerate(vulnerability.get(member, []))
        if not item.get("product_ids") and not item.get("group_ids")
    ]


def remediation_without_product_reference(document: dict[str, Any]) -> list[Finding]:
    """6.1.29: a remediation names the products (or groups) it is for."""
    return _without_product_reference(document, "remediations", "6.1.29",
                                      "This remediation names no product_ids or group_ids.",
                                      "Deze maatregel noemt geen product_ids of group_ids.")


def flag_without_product_reference(document: dict[str, Any]) -> list[Finding]:
    """6.1.32: a flag names the products (or groups) it is for."""
    return _without_product_reference(document, "flags", "6.1.32",
                                      "This flag names no product_ids or group_ids.",
                                      "Deze vlag noemt geen product_ids of group_ids.")


def mixed_integer_and_semantic_versioning(document: dict[str, Any]) -> list[Finding]:
    """6.1.30: the version and all revision numbers use the same versioning scheme."""
    tracking = document["document"]["tracking"]
    version = parse_version(tracking["version"])
    if version is None:
        return []
    return [
        Finding("6.1.30", pointer("document", "tracking", "revision_history", index, "number"),
                f"Revision {item['number']} mixes integer and semantic versioning.",
                f"Revisie {item['number']} mengt gehele en semantische versienummering.")
        for index, item in enumerate(tracking["revision_history"])
        if (other := parse_version(item["number"])) is not None and other.semantic != version.semantic
    ]


# A product_version branch names one version; these spell a range ("4.2 and later", "<= 4.1").
# Words count only when standing alone: "after-eight" is a version name, "after 4.2" a range.
_RANGE_WORDS = re.compile(r"(?:^|\s)(after|all|before|earlier|later|prior|versions)(?:\s|$)")


def version_range_in_product_version(document: dict[str, Any]) -> list[Finding]:
    """6.1.31: a branch of category product_version does not hold a version range."""
    findings = []

    def visit(branches: list[dict[str, Any]], parts: tuple) -> None:
        for index, branch in enumerate(branches):
            here = (*parts, index)
            name = branch["name"].lower()
            if branch["category"] == "product_version" and ("<" in name or ">" in name or _RANGE_WORDS.search(name)):
                findings.append(Finding("6.1.31", pointer(*here, "name"),
                                        f"{branch['name']!r} is a version range; use product_version_range.",
                                        f"{branch['name']!r} is een versiebereik; gebruik product_version_range."))
            visit(branch.get("branches", []), (*here, "branches"))

    visit((document.get("product_tree") or {}).get("branches", []), ("product_tree", "branches"))
    return findings


def multiple_flags_per_product(document: dict[str, Any]) -> list[Finding]:
    """6.1.33: per vulnerability, a product carries at most one VEX justification flag."""
    groups = group_members(document)
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        flags_of: dict[str, set[int]] = defaultdict(set)
        for n, flag in enumerate(vulnerability.get("flags", [])):
            for pid in flag.get("product_ids", []):
                flags_of[pid].add(n)
            for gid in flag.get("group_ids", []):
                for pid in groups.get(gid, []):
                    flags_of[pid].add(n)
        for pid, flags in flags_of.items():
            if len(flags) > 1:
                findings.append(Finding("6.1.33", pointer("vulnerabilities", v, "flags", max(flags)),
                                        f"Product {pid!r} has more than one flag for this vulnerability.",
                                        f"Product {pid!r} heeft meer dan een vlag voor deze kwetsbaarheid."))
    return findings
