"""Where a CSAF document defines and uses product ids and product group ids.

Each function yields (id, JSON Pointer) pairs so that tests can name the exact place.
The places are the ones the CSAF 2.0 schema types as product_id_t / products_t /
product_group_id_t / product_groups_t.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .findings import pointer

# Lists of product ids inside a vulnerability, by member name.
PRODUCT_STATUS_LISTS = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)


def iter_branch_products(
    branches: list[dict[str, Any]], parts: tuple[str | int, ...], trail: tuple[dict[str, Any], ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...], tuple[dict[str, Any], ...]]]:
    """Every full product name in a branch tree, with its path and the branches above it."""
    for index, branch in enumerate(branches):
        here = (*parts, index)
        if "product" in branch:
            yield branch["product"], (*here, "product"), (*trail, branch)
        if "branches" in branch:
            yield from iter_branch_products(branch["branches"], (*here, "branches"), (*trail, branch))


def iter_full_product_names(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...]]]:
    """Every full_product_name_t in the product tree, with the path parts to it."""
    tree = document.get("product_tree") or {}
    for product, parts, _ in iter_branch_products(tree.get("branches", []), ("product_tree", "branches")):
        yield product, parts
    for index, product in enumerate(tree.get("full_product_names", [])):
        yield product, ("product_tree", "full_product_names", index)
    for index, relation in enumerate(tree.get("relationships", [])):
        if "full_product_name" in relation:
            yield relation["full_product_name"], ("product_tree", "relationships", index, "full_product_name")


def product_definitions(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for product, parts in iter_full_product_names(document):
        if "product_id" in product:
            yield product["product_id"], pointer(*parts, "product_id")


def product_references(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every place that refers to a product id defined elsewhere."""
    tree = document.get("product_tree") or {}
    for g, group in enumerate(tree.get("product_groups", [])):
        for i, pid in enumerate(group.get("product_ids", [])):
            yield pid, pointer("product_tree", "product_groups", g, "product_ids", i)
    for r, relation in enumerate(tree.get("relationships", [])):
        for member in ("product_reference", "relates_to_product_reference"):
            if member in relation:
                yield relation[member], pointer("product_tree", "relationships", r, member)
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        base = ("vulnerabilities", v)
        for status, ids in (vulnerability.get("product_status") or {}).items():
            for i, pid in enumerate(ids):
                yield pid, pointer(*base, "product_status", status, i)
        for member, key in (("remediations", "product_ids"), ("threats", "product_ids"), ("flags", "product_ids"), ("scores", "products")):
            for n, item in enumerate(vulnerability.get(member, [])):
                for i, pid in enumerate(item.get(key, [])):
                    yield pid, pointer(*base, member, n, key, i)


def group_definitions(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for g, group in enumerate((document.get("product_tree") or {}).get("product_groups", [])):
        yield group["group_id"], pointer("product_tree", "product_groups", g, "group_id")


def group_references(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for v, vulnerability in enumerate(document.get("vulnerabilities", [])):
        for member in ("remediations", "threats", "flags"):
            for n, item in enumerate(vulnerability.get(member, [])):
                for i, gid in enumerate(item.get("group_ids", [])):
                    yield gid, pointer("vulnerabilities", v, member, n, "group_ids", i)


def group_members(document: dict[str, Any]) -> dict[str, list[str]]:
    """Product group id -> the product ids in it."""
    return {
        group["group_id"]: list(group.get("product_ids", []))
        for group in (document.get("product_tree") or {}).get("product_groups", [])
    }
