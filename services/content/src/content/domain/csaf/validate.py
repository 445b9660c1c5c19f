"""Is this upload a CSAF 2.0 document we may distribute? Parse, schema, mandatory tests.

JSON Schema validation alone lets through documents that break the standard (an
undefined product id, contradicting statuses...); the mandatory tests of section 6.1 catch
those. A document that fails any of them is refused and never distributed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding
from .mandatory import MANDATORY_TESTS
from .schema import schema_findings

_BOM = b"\xef\xbb\xbf"
# Real advisories nest a few dozen levels at most (branches in branches of the product tree);
# far deeper input is an attack on the recursive schema and mandatory-test walkers.
MAX_NESTING = 100


@dataclass(frozen=True)
class CsafValidation:
    """The outcome. `document` is the parsed JSON when it could be parsed."""

    document: dict[str, Any] | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return self.document is not None and not self.findings

    @property
    def failed_tests(self) -> tuple[str, ...]:
        """The failing tests, each once, in the order first reported ("schema", "6.1.1", ...)."""
        return tuple(dict.fromkeys(f.test for f in self.findings))

    def paths_of(self, test: str) -> tuple[str, ...]:
        return tuple(f.path for f in self.findings if f.test == test)


def parse(raw: bytes) -> tuple[dict[str, Any] | None, Finding | None]:
    """The JSON object in `raw` (UTF-8, a leading BOM allowed), or why it is not one."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]  # editors on Windows save one; it is not part of the JSON
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, Finding("json", "", "The file is not UTF-8 text.", "Het bestand is geen UTF-8-tekst.")
    except json.JSONDecodeError as error:
        return None, Finding("json", "", f"The file is not valid JSON: {error}.",
                             f"Het bestand is geen geldige JSON: {error}.")
    except RecursionError:
        return None, _too_deep()
    if not isinstance(document, dict):
        return None, Finding("json", "", "A CSAF document is a JSON object.", "Een CSAF-document is een JSON-object.")
    if nesting_depth(document) > MAX_NESTING:
        return None, _too_deep()
    return document, None


def nesting_depth(value: Any) -> int:
    """How many objects and arrays lie inside each other at the deepest point (without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        node, depth = todo.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _too_deep() -> Finding:
    return Finding("json", "", f"The file nests objects and arrays more than {MAX_NESTING} levels deep; "
                               "a CSAF document never does.",
                   f"Het bestand nest objecten en lijsten meer dan {MAX_NESTING} niveaus diep; "
                   "een CSAF-document doet dat nooit.")


def validate_document(document: dict[str, Any]) -> CsafValidation:
    """Schema first; the mandatory tests only run on a document the schema accepts,
    because they rely on the shapes the schema guarantees."""
    findings = schema_findings(document)
    if not findings:
        for run in MANDATORY_TESTS.values():
            findings.extend(run(document))
    return CsafValidation(document=document, findings=tuple(findings))


def validate_csaf(raw: bytes) -> CsafValidation:
    """Validate uploaded bytes as a CSAF 2.0 document."""
    document, problem = parse(raw)
    if problem is not None:
        return CsafValidation(document=None, findings=(problem,))
    return validate_document(document)
