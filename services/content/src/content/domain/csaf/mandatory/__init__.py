"""The mandatory tests of CSAF 2.0 section 6.1, one function each, keyed by section number.

Every function takes a document that already passed the JSON schema and returns its
failures (an empty list when the document passes).

6.1.28 - 6.1.33 come from CSAF 2.0 Errata 01.

Not implemented: 6.1.11 (CWE: needs the CWE catalogue to check that the id exists and the
name matches; the schema checks only the id's form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..findings import Finding
from . import errata, metadata, products, profiles, revisions, scores

MandatoryTest = Callable[[dict[str, Any]], list[Finding]]

MANDATORY_TESTS: dict[str, MandatoryTest] = {
    "6.1.1": products.missing_product_id_definition,
    "6.1.2": products.multiple_product_id_definition,
    "6.1.3": products.circular_product_id_definition,
    "6.1.4": products.missing_product_group_id_definition,
    "6.1.5": products.multiple_product_group_id_definition,
    "6.1.6": products.contradicting_product_status,
    "6.1.7": scores.multiple_scores_same_version,
    # 6.1.8 (invalid CVSS) is the JSON schema check of the CVSS objects: see schema.py.
    "6.1.9": scores.invalid_cvss_computation,
    "6.1.10": scores.inconsistent_cvss,
    "6.1.12": metadata.language,
    "6.1.13": metadata.purl,
    "6.1.14": revisions.sorted_revision_history,
    "6.1.15": metadata.translator,
    "6.1.16": revisions.latest_document_version,
    "6.1.17": revisions.document_status_draft,
    "6.1.18": revisions.released_revision_history,
    "6.1.19": revisions.pre_release_in_revision_history,
    "6.1.20": revisions.non_draft_document_version,
    "6.1.21": revisions.missing_item_in_revision_history,
    "6.1.22": revisions.multiple_definition_in_revision_history,
    "6.1.23": metadata.multiple_use_of_same_cve,
    "6.1.24": metadata.multiple_definition_in_involvements,
    "6.1.25": metadata.multiple_use_of_same_hash_algorithm,
    "6.1.26": metadata.prohibited_document_category_name,
    "6.1.27.1": profiles.document_notes,
    "6.1.27.2": profiles.document_references,
    "6.1.27.3": profiles.informational_without_vulnerabilities,
    "6.1.27.4": profiles.product_tree_present,
    "6.1.27.5": profiles.vulnerability_notes,
    "6.1.27.6": profiles.product_status_present,
    "6.1.27.7": profiles.vex_product_status,
    "6.1.27.8": profiles.vex_vulnerability_id,
    "6.1.27.9": profiles.vex_impact_statement,
    "6.1.27.10": profiles.vex_action_statement,
    "6.1.27.11": profiles.vulnerabilities_present,
    "6.1.28": errata.translation,
    "6.1.29": errata.remediation_without_product_reference,
    "6.1.30": errata.mixed_integer_and_semantic_versioning,
    "6.1.31": errata.version_range_in_product_version,
    "6.1.32": errata.flag_without_product_reference,
    "6.1.33": errata.multiple_flags_per_product,
}

NOT_IMPLEMENTED = ("6.1.11",)
