"""What the portal keeps of a valid CSAF document, and what changed between two revisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import DomainError
from ..tlp import Tlp
from .products import Product, product_named, resolve_products
from .ratings import CsirtRating, csirt_rating

# CSAF product status lists, grouped the way a reader of an advisory thinks about them.
AFFECTED = ("known_affected", "first_affected", "last_affected")
FIXED = ("fixed", "first_fixed")
NOT_AFFECTED = ("known_not_affected",)
UNDER_INVESTIGATION = ("under_investigation",)


@dataclass(frozen=True)
class Score:
    """A CVSS v3 score of one vulnerability for one product."""

    cve: str | None
    product_id: str
    product_name: str
    base_score: float
    vector: str
    version: str


@dataclass(frozen=True)
class Vulnerability:
    cve: str | None
    title: str | None
    affected: tuple[Product, ...]
    fixed: tuple[Product, ...]
    not_affected: tuple[Product, ...]
    under_investigation: tuple[Product, ...]


@dataclass(frozen=True)
class Advisory:
    tracking_id: str
    version: str
    status: str
    category: str
    publisher: str
    initial_release_date: datetime
    current_release_date: datetime
    title: str
    summary: str | None
    # None when the document carries no TLP label: the caller applies its configured
    # default and records that it did so; no label never silently means "public".
    tlp: Tlp | None
    cves: tuple[str, ...]
    scores: tuple[Score, ...]
    vulnerabilities: tuple[Vulnerability, ...]
    rating: CsirtRating
    products: dict[str, Product] = field(repr=False, compare=False)

    def _union(self, member: str) -> tuple[Product, ...]:
        seen: dict[str, Product] = {}
        for vulnerability in self.vulnerabilities:
            for product in getattr(vulnerability, member):
                seen.setdefault(product.product_id, product)
        return tuple(seen.values())

    @property
    def affected(self) -> tuple[Product, ...]:
        return self._union("affected")

    @property
    def fixed(self) -> tuple[Product, ...]:
        return self._union("fixed")

    @property
    def not_affected(self) -> tuple[Product, ...]:
        return self._union("not_affected")

    @property
    def under_investigation(self) -> tuple[Product, ...]:
        return self._union("under_investigation")


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))


def _products(status: dict[str, list[str]], lists: tuple[str, ...], catalog: dict[str, Product]) -> tuple[Product, ...]:
    ids = dict.fromkeys(pid for name in lists for pid in status.get(name, []))
    return tuple(product_named(catalog, pid) for pid in ids)


def extract_advisory(document: dict[str, Any]) -> Advisory:
    """Read an Advisory from a document that passed validation."""
    meta = document["document"]
    tracking = meta["tracking"]
    catalog = resolve_products(document)
    label = ((meta.get("distribution") or {}).get("tlp") or {}).get("label")

    vulnerabilities, scores = [], []
    for item in document.get("vulnerabilities", []):
        status = item.get("product_status") or {}
        vulnerabilities.append(Vulnerability(
            cve=item.get("cve"), title=item.get("title"),
            affected=_products(status, AFFECTED, catalog),
            fixed=_products(status, FIXED, catalog),
            not_affected=_products(status, NOT_AFFECTED, catalog),
            under_investigation=_products(status, UNDER_INVESTIGATION, catalog),
        ))
        for score in item.get("scores", []):
            cvss = score.get("cvss_v3")
            if cvss is None:
                continue
            for pid in score["products"]:
                scores.append(Score(cve=item.get("cve"), product_id=pid, product_name=product_named(catalog, pid).name,
                                    base_score=cvss["baseScore"], vector=cvss["vectorString"], version=cvss["version"]))

    summaries = [n["text"] for n in meta.get("notes", []) if n["category"] == "summary"]
    return Advisory(
        tracking_id=tracking["id"], version=tracking["version"], status=tracking["status"],
        category=meta["category"], publisher=meta["publisher"]["name"],
        initial_release_date=_instant(tracking["initial_release_date"]),
        current_release_date=_instant(tracking["current_release_date"]),
        title=meta["title"], summary="\n\n".join(summaries) or None,
        tlp=Tlp.from_label(label) if label else None,
        cves=tuple(dict.fromkeys(v.cve for v in vulnerabilities if v.cve)),
        scores=tuple(scores), vulnerabilities=tuple(vulnerabilities),
        rating=csirt_rating(document), products=catalog,
    )


@dataclass(frozen=True)
class ProductChange:
    """Products that entered or left one status list (affected, fixed...) between revisions."""

    status: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class ScoreChange:
    cve: str | None
    product_id: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class AdvisoryDiff:
    tracking_id: str
    version_before: str
    version_after: str
    status_before: str
    status_after: str
    cves_added: tuple[str, ...]
    cves_removed: tuple[str, ...]
    products_changed: tuple[ProductChange, ...]
    scores_changed: tuple[ScoreChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.version_before != self.version_after or self.status_before != self.status_after
                    or self.cves_added or self.cves_removed or self.products_changed or self.scores_changed)


def diff_advisories(before: Advisory, after: Advisory) -> AdvisoryDiff:
    """What changed from one revision of an advisory to the next. Product lists compare
    by product id across all vulnerabilities; scores by (CVE, product)."""
    if before.tracking_id != after.tracking_id:
        raise DomainError(
            code="csaf.diff.different_advisories", field="tracking_id",
            message_nl=f"Dit zijn twee verschillende adviezen ({before.tracking_id} en {after.tracking_id}).",
            message_en=f"These are two different advisories ({before.tracking_id} and {after.tracking_id}).")
    changes = []
    for status in ("affected", "fixed", "not_affected", "under_investigation"):
        old = {p.product_id for p in getattr(before, status)}
        new = {p.product_id for p in getattr(after, status)}
        if old != new:
            changes.append(ProductChange(status, tuple(sorted(new - old)), tuple(sorted(old - new))))
    old_scores = {(s.cve, s.product_id): s.base_score for s in before.scores}
    new_scores = {(s.cve, s.product_id): s.base_score for s in after.scores}
    score_changes = tuple(
        ScoreChange(cve, pid, old_scores.get((cve, pid)), new_scores.get((cve, pid)))
        for cve, pid in sorted(old_scores.keys() | new_scores.keys(), key=lambda k: (k[0] or "", k[1]))
        if old_scores.get((cve, pid)) != new_scores.get((cve, pid))
    )
    return AdvisoryDiff(
        tracking_id=after.tracking_id,
        version_before=before.version, version_after=after.version,
        status_before=before.status, status_after=after.status,
        cves_added=tuple(c for c in after.cves if c not in before.cves),
        cves_removed=tuple(c for c in before.cves if c not in after.cves),
        products_changed=tuple(changes), scores_changed=score_changes,
    )
