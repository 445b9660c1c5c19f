"""CSAF 2.0 JSON Schema check, offline.

The CSAF schema refers to the FIRST CVSS schemas by their https URIs; we answer those
references from the vendored copies in `schemas/`, so validation never touches the network.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

from .findings import Finding, pointer

_CSAF_SCHEMA_FILE = "csaf_json_schema.json"
# The URI each CVSS schema is referenced by in the CSAF schema -> the vendored file.
_REFERENCED = {
    "https://www.first.org/cvss/cvss-v2.0.json": "cvss-v2.0.json",
    "https://www.first.org/cvss/cvss-v3.0.json": "cvss-v3.0.json",
    "https://www.first.org/cvss/cvss-v3.1.json": "cvss-v3.1.json",
}

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S*$")


def _load(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas").joinpath(name).read_text("utf-8")
    return json.loads(text)


def _registry() -> Registry:
    pairs: list[tuple[str, Resource]] = []
    for uri, name in _REFERENCED.items():
        resource = Resource.from_contents(_load(name))
        pairs.append((uri, resource))
        # The 3.1 schema names itself "...cvss-v3.1.json?20211103"; its internal "#/..."
        # references resolve against that id, so it must be known under it too.
        own_id = resource.id()
        if own_id and own_id != uri:
            pairs.append((own_id, resource))
    return Registry().with_resources(pairs)


# jsonschema only checks "date-time" and "uri" when optional extra packages are present;
# we check them ourselves so the result does not depend on what happens to be installed.
_formats = FormatChecker()


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))  # ValueError: no such date
    return True


@_formats.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI_SCHEME.match(value))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(
        _load(_CSAF_SCHEMA_FILE), registry=_registry(), format_checker=_formats
    )


def schema_findings(document: Any) -> list[Finding]:
    """Every JSON Schema violation of `document`, in document order.

    A violation inside a CVSS object is mandatory test 6.1.8 (invalid CVSS), which the
    standard defines as "the CVSS object validates against its FIRST schema".
    """
    findings = []
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        # A failed "oneOf" (the CVSS v3.0/v3.1 choice) says little; its closest sub-error says why.
        detail = best_match(error.context) if error.context else error
        parts = list(detail.absolute_path)
        in_cvss = any(p in ("cvss_v2", "cvss_v3") for p in parts)
        reason = detail.message if len(detail.message) <= 300 else detail.message[:297] + "..."
        findings.append(
            Finding(
                test="6.1.8" if in_cvss else "schema",
                path=pointer(*parts),
                message_en=f"Does not match the CSAF 2.0 JSON schema: {reason}",
                message_nl=f"Voldoet niet aan het CSAF 2.0 JSON-schema: {reason}",
            )
        )
    return findings
