"""Mandatory tests 6.1.7, 6.1.9 and 6.1.10: CVSS scores. (6.1.8 is the schema check.)"""

from __future__ import annotations

from typing import Any

from cvss import CVSS2, CVSS3, CVSSError

from ..findings import Finding, pointer

# JSON property of a CSAF cvss_v3 object -> (vector abbreviation, {vector value: property value}).
_V3_IMPACT = {"N": "NONE", "L": "LOW", "H": "HIGH"}
_V3_REQUIREMENT = {"X": "NOT_DEFINED", "L": "LOW", "M": "MEDIUM", "H": "HIGH"}
_V3_AV = {"N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"}
_V3_AC = {"L": "LOW", "H": "HIGH"}
_V3_UI = {"N": "NONE", "R": "REQUIRED"}
_V3_S = {"U": "UNCHANGED", "C": "CHANGED"}


def _modified(values: dict[str, str]) -> dict[str, str]:
    return {**values, "X": "NOT_DEFINED"}


V3_METRICS: dict[str, tuple[str, dict[str, str]]] = {
    "attackVector": ("AV", _V3_AV),
    "attackComplexity": ("AC", _V3_AC),
    "privilegesRequired": ("PR", _V3_IMPACT),
    "userInteraction": ("UI", _V3_UI),
    "scope": ("S", _V3_S),
    "confidentialityImpact": ("C", _V3_IMPACT),
    "integrityImpact": ("I", _V3_IMPACT),
    "availabilityImpact": ("A", _V3_IMPACT),
    "exploitCodeMaturity": ("E", {"X": "NOT_DEFINED", "U": "UNPROVEN", "P": "PROOF_OF_CONCEPT", "F": "FUNCTIONAL", "H": "HIGH"}),
    "remediationLevel": ("RL", {"X": "NOT_DEFINED", "O": "OFFICIAL_FIX", "T": "TEMPORARY_FIX", "W": "WORKAROUND", "U": "UNAVAILABLE"}),
    "reportConfidence": ("RC", {"X": "NOT_DEFINED", "U": "UNKNOWN", "R": "REASONABLE", "C": "CONFIRMED"}),
    "confidentialityRequirement": ("CR", _V3_REQUIREMENT),
    "integrityRequirement": ("IR", _V3_REQUIREMENT),
    "availabilityRequirement": ("AR", _V3_REQUIREMENT),
    "modifiedAttackVector": ("MAV", _modified(_V3_AV)),
    "modifiedAttackComplexity": ("MAC", _modified(_V3_AC)),
    "modifiedPrivilegesRequired": ("MPR", _modified(_V3_IMPACT)),
    "modifiedUserInteraction": ("MUI", _modified(_V3_UI)),
    "modifiedScope": ("MS", _modified(_V3_S)),
    "modifiedConfidentialityImpact": ("MC", _modified(_V3_IMPACT)),
    "modifiedIntegrityImpact": ("MI", _modified(_V3_IMPACT)),
    "modifiedAvailabilityImpact": ("MA", _modified(_V3_IMPACT)),
}

_V2_IMPACT = {"N": "NONE", "P": "PARTIAL", "C": "COMPLETE"}
_V2_REQUIREMENT = {"L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"}
V2_METRICS: dict[str, tuple[str, dict[str, str]]] = {
    "accessVector": ("AV", {"L": "LOCAL", "A": "ADJACENT_NETWORK", "N": "NETWORK"}),
    "accessComplexity": ("AC", {"H": "HIGH", "M": "MEDIUM", "L": "LOW"}),
    "authentication": ("Au", {"M": "MULTIPLE", "S": "SINGLE", "N": "NONE"}),
    "confidentialityImpact": ("C", _V2_IMPACT),
    "integrityImpact": ("I", _V2_IMPACT),
    "availabilityImpact": ("A", _V2_IMPACT),
    "exploitability": ("E", {"U": "UNPROVEN", "POC": "PROOF_OF_CONCEPT", "F": "FUNCTIONAL", "H": "HIGH", "ND": "NOT_DEFINED"}),
    "remediationLevel": ("RL", {"OF": "OFFICIAL_FIX", "TF": "TEMPORARY_FIX", "W": "WORKAROUND", "U": "UNAVAILABLE", "ND": "NOT_DEFINED"}),
    "reportConfidence": ("RC", {"UC": "UNCONFIRMED", "UR": "UNCORROBORATED", "C": "CONFIRMED", "ND": "NOT_DEFINED"}),
    "collateralDamagePotential": ("CDP", {"N": "NONE", "L": "LOW", "LM": "LOW_MEDIUM", "MH": "MEDIUM_HIGH", "H": "HIGH", "ND": "NOT_DEFINED"}),
    "targetDistribution": ("TD", {"N": "NONE", "L": "LOW", "M": "MEDIUM", "H": "HIGH", "ND": "NOT_DEFINED"}),
    "confidentialityRequirement": ("CR", _V2_REQUIREMENT),
    "integrityRequirement": ("IR", _V2_REQUIREMENT),
    "availabilityRequirement": ("AR", _V2_REQUIREMENT),
}


def _score_objects(document: dict[str, Any]):
    """(vulnerability index, score index, "cvss_v2"/"cvss_v3", object) for every CVSS object."""
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        for s, score in enumerate(vulnerability.get("scores", [])):
            for kind in ("cvss_v2", "cvss_v3"):
                if kind in score:
                    yield v, s, kind, score[kind]


def multiple_scores_same_version(document: dict[str, Any]) -> list[Finding]:
    """6.1.7: per vulnerability, a product has at most one CVSS score of each CVSS version."""
    findings = []
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        seen: dict[tuple[str, str], int] = {}
        for s, score in enumerate(vulnerability.get("scores", [])):
            versions = [score[k]["version"] for k in ("cvss_v2", "cvss_v3") if k in score]
            for i, pid in enumerate(score.get("products", [])):
                for version in versions:
                    if (pid, version) in seen:
                        findings.append(Finding(
                            "6.1.7", pointer("vulnerabilities", v, "scores", s, "products", i),
                            f"Product {pid!r} has more than one CVSS {version} score for this vulnerability.",
                            f"Product {pid!r} heeft meer dan een CVSS {version}-score voor deze kwetsbaarheid."))
                    seen[(pid, version)] = s
    return findings


def _computed(kind: str, vector: str) -> dict[str, Any]:
    """What the vector computes to, by CSAF property name; raises CVSSError on a bad vector."""
    if kind == "cvss_v3":
        c3 = CVSS3(vector)
        scores, severities = c3.scores(), c3.severities()
        return {
            "baseScore": scores[0], "baseSeverity": severities[0].upper(),
            "temporalScore": scores[1], "temporalSeverity": severities[1].upper(),
            "environmentalScore": scores[2], "environmentalSeverity": severities[2].upper(),
        }
    c2 = CVSS2(vector)
    base, temporal, environmental = c2.scores()
    # Without temporal (environmental) metrics CVSS v2 defines no such score; the cvss
    # library then returns None and a stated score has nothing to contradict.
    return {"baseScore": base, "temporalScore": temporal, "environmentalScore": environmental}


def invalid_cvss_computation(document: dict[str, Any]) -> list[Finding]:
    """6.1.9: the scores and severities stated match what the vector computes to."""
    findings = []
    for v, s, kind, cvss in _score_objects(document):
        try:
            expected = _computed(kind, cvss["vectorString"])
        except (CVSSError, KeyError):
            continue  # a malformed vector is a schema failure (6.1.8), reported there
        for name, value in expected.items():
            if name in cvss and value is not None and cvss[name] != value:
                findings.append(Finding(
                    "6.1.9", pointer("vulnerabilities", v, "scores", s, kind, name),
                    f"{name} is {cvss[name]!r} but the vector {cvss['vectorString']} computes to {value!r}.",
                    f"{name} is {cvss[name]!r} maar de vector {cvss['vectorString']} levert {value!r} op."))
    return findings


def _vector_metrics(kind: str, vector: str) -> dict[str, str]:
    parts = vector.split("/")
    if kind == "cvss_v3":
        parts = parts[1:]  # drop "CVSS:3.x"
    return dict(part.split(":", 1) for part in parts if ":" in part)


def inconsistent_cvss(document: dict[str, Any]) -> list[Finding]:
    """6.1.10: the metric properties of a CVSS object say the same as its vector.

    Only metrics that both the vector and the properties state can contradict each other;
    a property for a metric the vector leaves out is extra information (the OASIS test
    files treat it so; recommended test 6.2.x territory), not a contradiction.
    """
    findings = []
    for v, s, kind, cvss in _score_objects(document):
        table = V3_METRICS if kind == "cvss_v3" else V2_METRICS
        in_vector = _vector_metrics(kind, cvss.get("vectorString", ""))
        for name, (abbreviation, values) in table.items():
            if name not in cvss or abbreviation not in in_vector:
                continue
            expected = values.get(in_vector[abbreviation])
            if cvss[name] != expected:
                findings.append(Finding(
                    "6.1.10", pointer("vulnerabilities", v, "scores", s, kind, name),
                    f"{name} is {cvss[name]!r} but the vector says {expected} ({abbreviation}:{in_vector[abbreviation]}).",
                    f"{name} is {cvss[name]!r} maar de vector zegt {expected} ({abbreviation}:{in_vector[abbreviation]})."))
    return findings
