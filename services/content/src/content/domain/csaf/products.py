"""Human names for the product ids of a CSAF document.

Products are defined in three places: leaves of `product_tree.branches` (vendor /
product / version above them), `full_product_names`, and `relationships` (a product that
is "X as a component of Y", which may itself be part of a further relationship).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .tree import iter_branch_products

# Branch categories that say who makes a product and what it is called.
_VENDOR = ("vendor",)
_PRODUCT = ("product_name", "product_family")
_VERSION = ("product_version", "product_version_range", "service_pack", "patch_level")


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    cpe: str | None = None
    purl: str | None = None
    # For a product defined by a relationship: how it relates, and the two sides.
    relationship: str | None = None
    component: "Product | None" = None
    platform: "Product | None" = None
    resolved: bool = True


def _helper(full_product_name: dict[str, Any]) -> dict[str, Any]:
    return full_product_name.get("product_identification_helper") or {}


def _nearest(trail: tuple[dict[str, Any], ...], categories: tuple[str, ...]) -> str | None:
    for branch in reversed(trail):
        if branch.get("category") in categories:
            return branch["name"]
    return None


def resolve_products(document: dict[str, Any]) -> dict[str, Product]:
    """Product id -> Product, for every product the document defines."""
    tree = document.get("product_tree") or {}
    catalog: dict[str, Product] = {}
    for fpn, _, trail in iter_branch_products(tree.get("branches", []), ("product_tree", "branches")):
        catalog[fpn["product_id"]] = Product(
            product_id=fpn["product_id"], name=fpn["name"],
            vendor=_nearest(trail, _VENDOR), product=_nearest(trail, _PRODUCT), version=_nearest(trail, _VERSION),
            cpe=_helper(fpn).get("cpe"), purl=_helper(fpn).get("purl"))
    for fpn in tree.get("full_product_names", []):
        catalog[fpn["product_id"]] = Product(
            product_id=fpn["product_id"], name=fpn["name"], cpe=_helper(fpn).get("cpe"), purl=_helper(fpn).get("purl"))

    # Relationships may build on each other; resolve in rounds until nothing changes.
    pending = [r for r in tree.get("relationships", []) if "full_product_name" in r]
    while pending:
        progressed, waiting = False, []
        for relation in pending:
            component = catalog.get(relation["product_reference"])
            platform = catalog.get(relation["relates_to_product_reference"])
            if component is None or platform is None:
                waiting.append(relation)
                continue
            fpn = relation["full_product_name"]
            catalog[fpn["product_id"]] = Product(
                product_id=fpn["product_id"], name=fpn["name"],
                vendor=component.vendor or platform.vendor, product=component.product, version=component.version,
                cpe=_helper(fpn).get("cpe"), purl=_helper(fpn).get("purl"),
                relationship=relation["category"], component=component, platform=platform)
            progressed = True
        if not progressed:
            break  # a reference to nothing; mandatory test 6.1.1 refuses such documents
        pending = waiting
    return catalog


def product_named(catalog: dict[str, Product], product_id: str) -> Product:
    """The product, or a stand-in that shows the bare id when the document never defines it."""
    return catalog.get(product_id) or Product(product_id=product_id, name=product_id, resolved=False)


def describe(product: Product) -> str:
    """One line for a person: the relationship spelled out from both sides when there is one."""
    if product.component is not None and product.platform is not None:
        link = {
            "default_component_of": "as a component of",
            "external_component_of": "as an external component of",
            "installed_on": "installed on",
            "installed_with": "installed with",
            "optional_component_of": "as an optional component of",
        }.get(product.relationship or "", "with")
        return f"{describe(product.component)} {link} {describe(product.platform)}"
    return product.name
