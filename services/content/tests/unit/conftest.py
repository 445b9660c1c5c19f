from weerbaar_platform.testing import shared_data

# Fixtures for the content service's unit tests: the real CSAF files and a small valid
# CSAF document each test bends to break one rule.
import copy
import pathlib

import pytest

# shared/ lies beside the repository (in development and in CI alike).
CSAF_DATA = shared_data("csaf")

_BASE = {
    "document": {
        "category": "csaf_base",
        "csaf_version": "2.0",
        "lang": "en",
        "publisher": {"category": "coordinator", "name": "Test CSIRT", "namespace": "https://csirt.example"},
        "title": "Test advisory",
        "tracking": {
            "id": "TEST-2024-0001",
            "status": "final",
            "version": "2",
            "initial_release_date": "2024-01-01T10:00:00Z",
            "current_release_date": "2024-02-01T10:00:00Z",
            "revision_history": [
                {"number": "1", "date": "2024-01-01T10:00:00Z", "summary": "First release."},
                {"number": "2", "date": "2024-02-01T10:00:00Z", "summary": "Fix available."},
            ],
        },
    },
    "product_tree": {
        "branches": [{
            "category": "vendor", "name": "Example",
            "branches": [{
                "category": "product_name", "name": "Router",
                "branches": [
                    {"category": "product_version", "name": "1.0",
                     "product": {"name": "Example Router 1.0", "product_id": "P1"}},
                    {"category": "product_version", "name": "2.0",
                     "product": {"name": "Example Router 2.0", "product_id": "P2"}},
                ],
            }],
        }],
        "product_groups": [{"group_id": "G1", "product_ids": ["P1", "P2"]}],
    },
    "vulnerabilities": [{
        "cve": "CVE-2024-0001",
        "notes": [{"category": "description", "text": "A flaw."}],
        "product_status": {"known_affected": ["P1"], "fixed": ["P2"]},
        "scores": [{
            "products": ["P1"],
            "cvss_v3": {
                "version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "baseScore": 9.8,
                "baseSeverity": "CRITICAL",
                "attackVector": "NETWORK",
            },
        }],
        "remediations": [{"category": "vendor_fix", "details": "Update.", "product_ids": ["P1"], "group_ids": ["G1"]}],
    }],
}




@pytest.fixture
def csaf_data() -> pathlib.Path:
    """The folder with the real CSAF files of shared/data (beside the repository)."""
    return CSAF_DATA


@pytest.fixture
def base_document() -> dict:
    """A fresh copy of a small CSAF 2.0 document that passes every check."""
    return copy.deepcopy(_BASE)
