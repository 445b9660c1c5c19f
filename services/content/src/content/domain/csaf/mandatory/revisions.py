"""Mandatory tests 6.1.14 and 6.1.16 - 6.1.22: document version, status and revision history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..findings import Finding, pointer
from ..versions import Version, parse_version

_RELEASED = ("final", "interim")


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))


def _history_by_date(document: dict[str, Any]) -> list[tuple[int, Version]]:
    """(original index, version) of each revision, sorted ascending by date.

    Equal dates keep version order, so two entries made at the same moment never count
    as "out of order".
    """
    items = []
    for index, item in enumerate(document["document"]["tracking"]["revision_history"]):
        version = parse_version(item["number"])
        if version is not None:
            items.append((_instant(item["date"]), version.sort_key(), index, version))
    items.sort(key=lambda entry: (entry[0], entry[1]))
    return [(index, version) for _, _, index, version in items]


def _revision_path(index: int, *rest: str) -> str:
    return pointer("document", "tracking", "revision_history", index, *rest)


def sorted_revision_history(document: dict[str, Any]) -> list[Finding]:
    """6.1.14: sorted by date, the revision numbers ascend as well."""
    history = _history_by_date(document)
    return [
        Finding("6.1.14", _revision_path(index, "number"),
                f"Revision {later.text} is dated after revision {earlier.text} but has a lower number.",
                f"Revisie {later.text} is later gedateerd dan revisie {earlier.text} maar heeft een lager nummer.")
        for (_, earlier), (index, later) in zip(history, history[1:])
        if later.sort_key() < earlier.sort_key()
    ]


def latest_document_version(document: dict[str, Any]) -> list[Finding]:
    """6.1.16: document.tracking.version is the number of the latest revision.

    Build metadata never counts; a pre-release part does not count while the status is draft.
    """
    tracking = document["document"]["tracking"]
    version = parse_version(tracking["version"])
    history = _history_by_date(document)
    if version is None or not history:
        return []
    latest = history[-1][1]
    if tracking["status"] == "draft":
        same = version.without_pre_release() == latest.without_pre_release()
    else:
        same = version.without_build() == latest.without_build()
    if same:
        return []
    return [Finding("6.1.16", pointer("document", "tracking", "version"),
                    f"Document version {version.text} is not the latest revision ({latest.text}).",
                    f"Documentversie {version.text} is niet de laatste revisie ({latest.text}).")]


def document_status_draft(document: dict[str, Any]) -> list[Finding]:
    """6.1.17: version 0, 0.y.z or a pre-release version means the status is draft."""
    tracking = document["document"]["tracking"]
    version = parse_version(tracking["version"])
    if version is None or tracking["status"] == "draft":
        return []
    if version.is_zero or version.is_pre_release:
        return [Finding("6.1.17", pointer("document", "tracking", "status"),
                        f"Version {version.text} is not a release, so the status must be draft.",
                        f"Versie {version.text} is geen release, dus de status moet draft (concept) zijn.")]
    return []


def released_revision_history(document: dict[str, Any]) -> list[Finding]:
    """6.1.18: a final or interim document has no revision numbered 0 or 0.y.z."""
    if document["document"]["tracking"]["status"] not in _RELEASED:
        return []
    return [
        Finding("6.1.18", _revision_path(index, "number"),
                f"A released document may not list pre-release revision {version.text}.",
                f"Een uitgebracht document mag geen revisie {version.text} (van voor de release) bevatten.")
        for index, version in _history_by_date(document)
        if version.is_zero
    ]


def pre_release_in_revision_history(document: dict[str, Any]) -> list[Finding]:
    """6.1.19: no revision number carries a pre-release part (like 1.0.0-rc.1)."""
    return [
        Finding("6.1.19", _revision_path(index, "number"),
                f"Revision {version.text} is a pre-release version; the history lists releases only.",
                f"Revisie {version.text} is een pre-releaseversie; de historie bevat alleen releases.")
        for index, version in _history_by_date(document)
        if version.is_pre_release
    ]


def non_draft_document_version(document: dict[str, Any]) -> list[Finding]:
    """6.1.20: a final or interim document's version has no pre-release part."""
    tracking = document["document"]["tracking"]
    version = parse_version(tracking["version"])
    if tracking["status"] in _RELEASED and version is not None and version.is_pre_release:
        return [Finding("6.1.20", pointer("document", "tracking", "version"),
                        f"A {tracking['status']} document cannot have pre-release version {version.text}.",
                        f"Een document met status {tracking['status']} kan geen pre-releaseversie {version.text} hebben.")]
    return []


def missing_item_in_revision_history(document: dict[str, Any]) -> list[Finding]:
    """6.1.21: sorted by date, the (major) version numbers start at 0 or 1 and skip none."""
    history = _history_by_date(document)
    if not history:
        return []
    findings = []
    first_index, first = history[0]
    if first.major not in (0, 1):
        findings.append(Finding("6.1.21", _revision_path(first_index, "number"),
                                f"The first revision is {first.text}; it must be 0 or 1 (major version).",
                                f"De eerste revisie is {first.text}; die moet 0 of 1 zijn (hoofdversie)."))
    for (_, earlier), (index, later) in zip(history, history[1:]):
        if later.major > earlier.major + 1:
            findings.append(Finding("6.1.21", _revision_path(index, "number"),
                                    f"Revision history jumps from {earlier.text} to {later.text}; a version is missing.",
                                    f"De revisiehistorie springt van {earlier.text} naar {later.text}; er ontbreekt een versie."))
    return findings


def multiple_definition_in_revision_history(document: dict[str, Any]) -> list[Finding]:
    """6.1.22: each revision number appears once."""
    seen: set[str] = set()
    findings = []
    for index, item in enumerate(document["document"]["tracking"]["revision_history"]):
        if item["number"] in seen:
            findings.append(Finding("6.1.22", _revision_path(index, "number"),
                                    f"Revision number {item['number']} appears more than once.",
                                    f"Revisienummer {item['number']} komt meer dan eens voor."))
        seen.add(item["number"])
    return findings
