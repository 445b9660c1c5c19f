"""An extracted advisory as plain JSON, for storage and for the portal API, and back.

What we keep of a document is small next to the document itself (the Cisco advisory lists
259 products): the facts a reader filters and reads by, and each product listed under a
status, already resolved to its name, vendor and relationship sides.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .extract import Advisory, AdvisoryDiff
from .products import Product, describe

STATUSES = ("affected", "fixed", "not_affected", "under_investigation")


def product_json(product: Product) -> dict[str, Any]:
    return {
        "product_id": product.product_id, "name": product.name, "description": describe(product),
        "vendor": product.vendor, "product": product.product, "version": product.version,
        "cpe": product.cpe, "purl": product.purl, "relationship": product.relationship,
        "component": product_json(product.component) if product.component else None,
        "platform": product_json(product.platform) if product.platform else None,
        "resolved": product.resolved,
    }


def product_from_json(data: dict[str, Any]) -> Product:
    return Product(
        product_id=data["product_id"], name=data["name"], vendor=data.get("vendor"), product=data.get("product"),
        version=data.get("version"), cpe=data.get("cpe"), purl=data.get("purl"),
        relationship=data.get("relationship"),
        component=product_from_json(data["component"]) if data.get("component") else None,
        platform=product_from_json(data["platform"]) if data.get("platform") else None,
        resolved=data.get("resolved", True),
    )


def advisory_json(advisory: Advisory) -> dict[str, Any]:
    rating = advisory.rating
    return {
        "tracking_id": advisory.tracking_id, "version": advisory.version, "status": advisory.status,
        "category": advisory.category, "publisher": advisory.publisher,
        "initial_release_date": advisory.initial_release_date.isoformat(),
        "current_release_date": advisory.current_release_date.isoformat(),
        "title": advisory.title, "summary": advisory.summary,
        "tlp_label": advisory.tlp.value if advisory.tlp else None,
        "cves": list(advisory.cves),
        "scores": [asdict(s) for s in advisory.scores],
        "max_base_score": max((s.base_score for s in advisory.scores), default=None),
        "rating": {
            "probability": rating.probability.value if rating.probability else None,
            "damage": rating.damage.value if rating.damage else None,
            "urgency": rating.urgency.value if rating.urgency else None,
            "aggregate_severity": rating.aggregate_severity,
        },
        "vulnerabilities": [
            {"cve": v.cve, "title": v.title, **{s: [p.product_id for p in getattr(v, s)] for s in STATUSES}}
            for v in advisory.vulnerabilities
        ],
        **{s: [product_json(p) for p in getattr(advisory, s)] for s in STATUSES},
    }


def affected_products(record: dict[str, Any]) -> tuple[Product, ...]:
    return tuple(product_from_json(p) for p in record.get("affected", []))


def diff_json(diff: AdvisoryDiff) -> dict[str, Any]:
    return {**asdict(diff), "summary": describe_diff(diff)}


def describe_diff(diff: AdvisoryDiff) -> list[str]:
    """The changes in short English lines, for the event and the reader's "what changed"."""
    lines = []
    if diff.version_before != diff.version_after:
        lines.append(f"version {diff.version_before} -> {diff.version_after}")
    if diff.status_before != diff.status_after:
        lines.append(f"status {diff.status_before} -> {diff.status_after}")
    lines += [f"CVE added: {c}" for c in diff.cves_added]
    lines += [f"CVE removed: {c}" for c in diff.cves_removed]
    for change in diff.products_changed:
        if change.added:
            lines.append(f"{change.status.replace('_', ' ')}: added {', '.join(change.added)}")
        if change.removed:
            lines.append(f"{change.status.replace('_', ' ')}: removed {', '.join(change.removed)}")
    for score in diff.scores_changed:
        lines.append(f"CVSS {score.cve or ''} {score.product_id}: {score.before} -> {score.after}".replace("  ", " "))
    return lines
