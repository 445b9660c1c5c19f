"""Mandatory tests 6.1.27.1 - 6.1.27.11: what each CSAF profile (document category) requires."""

from __future__ import annotations

from typing import Any

from ..findings import Finding, pointer
from ..tree import group_members

_INFORMATIONAL = ("csaf_informational_advisory", "csaf_security_incident_response")
_ADVISORY_OR_VEX = ("csaf_security_advisory", "csaf_vex")


def _category(document: dict[str, Any]) -> str:
    return document["document"]["category"]


def document_notes(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.1: informational advisories and incident responses carry a describing note."""
    if _category(document) not in _INFORMATIONAL:
        return []
    wanted = {"description", "details", "general", "summary"}
    if any(note["category"] in wanted for note in document["document"].get("notes", [])):
        return []
    return [Finding("6.1.27.1", pointer("document", "notes"),
                    "This profile needs a document note of category description, details, general or summary.",
                    "Dit profiel vraagt een documentnotitie van categorie description, details, general of summary.")]


def document_references(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.2: informational advisories and incident responses carry an external reference."""
    if _category(document) not in _INFORMATIONAL:
        return []
    if any(ref.get("category", "external") == "external" for ref in document["document"].get("references", [])):
        return []
    return [Finding("6.1.27.2", pointer("document", "references"),
                    "This profile needs at least one external reference.",
                    "Dit profiel vraagt ten minste een externe verwijzing.")]


def informational_without_vulnerabilities(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.3: an informational advisory has no vulnerabilities element."""
    if _category(document) == "csaf_informational_advisory" and "vulnerabilities" in document:
        return [Finding("6.1.27.3", pointer("vulnerabilities"),
                        "An informational advisory may not list vulnerabilities; use a security advisory.",
                        "Een informatief advies mag geen kwetsbaarheden bevatten; gebruik een beveiligingsadvies.")]
    return []


def product_tree_present(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.4: security advisories and VEX documents have a product tree."""
    if _category(document) in _ADVISORY_OR_VEX and "product_tree" not in document:
        return [Finding("6.1.27.4", pointer("product_tree"),
                        "This profile needs a product tree.", "Dit profiel vraagt een productboom.")]
    return []


def vulnerability_notes(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.5: in security advisories and VEX documents each vulnerability has notes."""
    if _category(document) not in _ADVISORY_OR_VEX:
        return []
    return [
        Finding("6.1.27.5", pointer("vulnerabilities", v, "notes"),
                "Each vulnerability in this profile needs notes.",
                "Elke kwetsbaarheid in dit profiel vraagt notities.")
        for v, vulnerability in enumerate(document.get("vulnerabilities", []))
        if "notes" not in vulnerability
    ]


def product_status_present(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.6: in a security advisory each vulnerability has a product status."""
    if _category(document) != "csaf_security_advisory":
        return []
    return [
        Finding("6.1.27.6", pointer("vulnerabilities", v, "product_status"),
                "Each vulnerability in a security advisory needs a product status.",
                "Elke kwetsbaarheid in een beveiligingsadvies vraagt een productstatus.")
        for v, vulnerability in enumerate(document.get("vulnerabilities", []))
        if "product_status" not in vulnerability
    ]


_VEX_STATUSES = ("fixed", "known_affected", "known_not_affected", "under_investigation")


def vex_product_status(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.7: in VEX each vulnerability says fixed, affected, not affected or under investigation."""
    if _category(document) != "csaf_vex":
        return []
    return [
        Finding("6.1.27.7", pointer("vulnerabilities", v, "product_status"),
                "A VEX vulnerability needs fixed, known_affected, known_not_affected or under_investigation.",
                "Een VEX-kwetsbaarheid vraagt fixed, known_affected, known_not_affected of under_investigation.")
        for v, vulnerability in enumerate(document.get("vulnerabilities", []))
        if not any(s in (vulnerability.get("product_status") or {}) for s in _VEX_STATUSES)
    ]


def vex_vulnerability_id(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.8: in VEX each vulnerability has a CVE or another id."""
    if _category(document) != "csaf_vex":
        return []
    return [
        Finding("6.1.27.8", pointer("vulnerabilities", v),
                "A VEX vulnerability needs a cve or ids.", "Een VEX-kwetsbaarheid vraagt een cve of ids.")
        for v, vulnerability in enumerate(document.get("vulnerabilities", []))
        if "cve" not in vulnerability and "ids" not in vulnerability
    ]


def _covered(items: list[dict[str, Any]], groups: dict[str, list[str]]) -> set[str]:
    """Product ids named by items (flags, threats, remediations) directly or through groups."""
    covered: set[str] = set()
    for item in items:
        covered.update(item.get("product_ids", []))
        for gid in item.get("group_ids", []):
            covered.update(groups.get(gid, []))
    return covered


def vex_impact_statement(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.9: in VEX each known-not-affected product has an impact statement (flag or impact threat)."""
    if _category(document) != "csaf_vex":
        return []
    groups = group_members(document)
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        impact = [t for t in vulnerability.get("threats", []) if t["category"] == "impact"]
        covered = _covered(vulnerability.get("flags", []) + impact, groups)
        for i, pid in enumerate((vulnerability.get("product_status") or {}).get("known_not_affected", [])):
            if pid not in covered:
                findings.append(Finding(
                    "6.1.27.9", pointer("vulnerabilities", v, "product_status", "known_not_affected", i),
                    f"Product {pid!r} is not affected but no flag or impact statement says why.",
                    f"Product {pid!r} is niet kwetsbaar maar geen vlag of impactverklaring zegt waarom."))
    return findings


def vex_action_statement(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.10: in VEX each known-affected product has an action statement (remediation)."""
    if _category(document) != "csaf_vex":
        return []
    groups = group_members(document)
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        covered = _covered(vulnerability.get("remediations", []), groups)
        for i, pid in enumerate((vulnerability.get("product_status") or {}).get("known_affected", [])):
            if pid not in covered:
                findings.append(Finding(
                    "6.1.27.10", pointer("vulnerabilities", v, "product_status", "known_affected", i),
                    f"Product {pid!r} is affected but no remediation says what to do.",
                    f"Product {pid!r} is kwetsbaar maar geen maatregel zegt wat te doen."))
    return findings


def vulnerabilities_present(document: dict[str, Any]) -> list[Finding]:
    """6.1.27.11: security advisories and VEX documents list vulnerabilities."""
    if _category(document) in _ADVISORY_OR_VEX and "vulnerabilities" not in document:
        return [Finding("6.1.27.11", pointer("vulnerabilities"),
                        "This profile needs vulnerabilities.", "Dit profiel vraagt kwetsbaarheden.")]
    return []
