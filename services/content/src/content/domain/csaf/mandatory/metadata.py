"""Mandatory tests on document metadata and identifiers: 6.1.12, 6.1.13, 6.1.15, 6.1.23 - 6.1.26."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from language_tags import tags
from packageurl import PackageURL

from ..findings import Finding, pointer
from ..tree import iter_full_product_names


# Private-use subtags (RFC 5646 section 2.2) are valid but the registry lists them only as
# ranges, which the language-tags library does not expand; we stand in a registered subtag.
_PRIVATE_LANGUAGE = re.compile(r"^q[a-t][a-z]$", re.IGNORECASE)
_PRIVATE_SCRIPT = re.compile(r"^qa(a[a-z]|b[a-x])$", re.IGNORECASE)
_PRIVATE_REGION = re.compile(r"^(aa|q[m-z]|x[a-z]|zz)$", re.IGNORECASE)


# language-tags error codes for what RFC 5646 discourages but allows: a deprecated tag or
# subtag ("iw"), a script equal to the language's suppress-script ("en-Latn"). Refusing an
# advisory for those would be wrong.
_TOLERATED_ERRORS = {1, 10, 11}  # ERR_DEPRECATED, ERR_SUPPRESS_SCRIPT, ERR_SUBTAG_DEPRECATED


def _is_well_formed_and_registered(value: str) -> bool:
    return all(error.code in _TOLERATED_ERRORS for error in tags.tag(value).errors)


def _is_language_tag(value: str) -> bool:
    if _is_well_formed_and_registered(value):
        return True
    subtags = value.split("-")
    if _PRIVATE_LANGUAGE.match(subtags[0]):
        subtags[0] = "en"
    for i, subtag in enumerate(subtags[1:3], start=1):
        if _PRIVATE_SCRIPT.match(subtag):
            subtags[i] = "Cyrl"
        elif _PRIVATE_REGION.match(subtag):
            subtags[i] = "US"
    return _is_well_formed_and_registered("-".join(subtags))


def language(document: dict[str, Any]) -> list[Finding]:
    """6.1.12: document.lang and document.source_lang are language tags that exist (IANA registry)."""
    findings = []
    for member in ("lang", "source_lang"):
        value = document["document"].get(member)
        if value is not None and not _is_language_tag(value):
            findings.append(Finding(
                "6.1.12", pointer("document", member),
                f"{value!r} is not a valid language tag (BCP 47).",
                f"{value!r} is geen geldige taalcode (BCP 47)."))
    return findings


def purl(document: dict[str, Any]) -> list[Finding]:
    """6.1.13: every package URL parses as a purl."""
    findings = []
    for product, parts in iter_full_product_names(document):
        value = (product.get("product_identification_helper") or {}).get("purl")
        if value is None:
            continue
        try:
            PackageURL.from_string(value)
        except ValueError as error:
            findings.append(Finding(
                "6.1.13", pointer(*parts, "product_identification_helper", "purl"),
                f"{value!r} is not a valid package URL: {error}.",
                f"{value!r} is geen geldige package-URL (purl): {error}."))
    return findings


def translator(document: dict[str, Any]) -> list[Finding]:
    """6.1.15: a translation (publisher category "translator") says its source language."""
    meta = document["document"]
    if meta["publisher"]["category"] == "translator" and "source_lang" not in meta:
        return [Finding(
            "6.1.15", pointer("document", "source_lang"),
            "The publisher is a translator, so document.source_lang must be given.",
            "De uitgever is een vertaler, dus document.source_lang moet zijn ingevuld.")]
    return []


def multiple_use_of_same_cve(document: dict[str, Any]) -> list[Finding]:
    """6.1.23: a CVE appears in only one vulnerability."""
    seen: set[str] = set()
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        cve = vulnerability.get("cve")
        if cve is None:
            continue
        if cve in seen:
            findings.append(Finding(
                "6.1.23", pointer("vulnerabilities", v, "cve"),
                f"{cve} is used by more than one vulnerability.",
                f"{cve} wordt door meer dan een kwetsbaarheid gebruikt."))
        seen.add(cve)
    return findings


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))


def multiple_definition_in_involvements(document: dict[str, Any]) -> list[Finding]:
    """6.1.24: per vulnerability, no two involvements have the same party and date."""
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        seen: set[tuple[str, datetime | None]] = set()
        for i, involvement in enumerate(vulnerability.get("involvements", [])):
            date = involvement.get("date")
            key = (involvement["party"], _instant(date) if date else None)
            if key in seen:
                findings.append(Finding(
                    "6.1.24", pointer("vulnerabilities", v, "involvements", i),
                    f"Involvement of party {key[0]!r} at this date is given more than once.",
                    f"Betrokkenheid van partij {key[0]!r} op deze datum staat er meer dan eens."))
            seen.add(key)
    return findings


def multiple_use_of_same_hash_algorithm(document: dict[str, Any]) -> list[Finding]:
    """6.1.25: within one file's hashes, each algorithm appears once."""
    findings = []
    for product, parts in iter_full_product_names(document):
        hashes = (product.get("product_identification_helper") or {}).get("hashes", [])
        for h, item in enumerate(hashes):
            seen: set[str] = set()
            for i, file_hash in enumerate(item.get("file_hashes", [])):
                algorithm = file_hash["algorithm"]
                if algorithm in seen:
                    findings.append(Finding(
                        "6.1.25",
                        pointer(*parts, "product_identification_helper", "hashes", h, "file_hashes", i, "algorithm"),
                        f"Hash algorithm {algorithm!r} is used more than once for the same file.",
                        f"Hash-algoritme {algorithm!r} komt meer dan eens voor bij hetzelfde bestand."))
                seen.add(algorithm)
    return findings


PROFILE_CATEGORIES = (
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
)
# Names (with and without "csaf_") and titles of the profiles other than CSAF Base, normalised.
_PROFILE_NAMES = ("securityincidentresponse", "informationaladvisory", "securityadvisory", "vex")
_PROHIBITED_NAMES = {*_PROFILE_NAMES, *("csaf" + name for name in _PROFILE_NAMES)}
_IGNORED_CHARACTERS = re.compile(r"[\s_\-]")


def prohibited_document_category_name(document: dict[str, Any]) -> list[Finding]:
    """6.1.26: a custom category does not pose as one of the CSAF profiles.

    It must not start with the reserved prefix "csaf_" (unless it is a profile's own value)
    and must not equal a profile's name or title once case, dashes, underscores and
    whitespace are ignored.
    """
    category = document["document"]["category"]
    if category in PROFILE_CATEGORIES:
        return []
    reserved_prefix = category.lower().startswith("csaf_")
    lookalike = _IGNORED_CHARACTERS.sub("", category).lower() in _PROHIBITED_NAMES
    if reserved_prefix or lookalike:
        return [Finding(
            "6.1.26", pointer("document", "category"),
            f"Document category {category!r} is reserved for or mimics a CSAF profile.",
            f"Documentcategorie {category!r} is voorbehouden aan of lijkt op een CSAF-profiel.")]
    return []
