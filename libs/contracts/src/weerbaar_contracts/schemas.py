"""JSON Schemas of the event payloads: generated from the models, checked in per version, and
a compatibility check that a change within one version is safe for consumers.

    python -m weerbaar_contracts.schemas write    # refuses to overwrite with a breaking change
    python -m weerbaar_contracts.schemas check    # exit 1 when a model breaks its checked-in schema

Within one version a producer may only add optional fields. Breaking (for a consumer that was
built against the old schema): a field removed or renamed, an optional field made required, a
type changed, an enum narrowed. Such a change is a new version: a new payload class.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .catalog import EVENTS

SCHEMA_DIR = Path(__file__).parent / "schemas"


def generate(cls) -> dict[str, Any]:
    schema = cls.model_json_schema(mode="serialization")
    schema["$id"] = cls.dataschema()
    schema["x-cloudevents-type"] = cls.cloudevents_type()
    schema["x-topic"] = cls.topic
    schema["x-key"] = cls.aggregate
    return schema


def schema_path(cls) -> Path:
    return SCHEMA_DIR / f"{cls.schema_name()}.json"


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/"), ref
        node = root["$defs"][ref.removeprefix("#/$defs/")]
    return node


def _types(node: dict[str, Any], root: dict[str, Any]) -> set[str]:
    """The set of JSON shapes a value may take, flattened over anyOf/oneOf and enums."""
    node = _resolve(node, root)
    out: set[str] = set()
    for key in ("anyOf", "oneOf"):
        for alt in node.get(key, []):
            out |= _types(alt, root)
    if "const" in node:
        out.add(f"const:{json.dumps(node['const'])}")
    if "enum" in node:
        out |= {f"const:{json.dumps(v)}" for v in node["enum"]}
    t = node.get("type")
    if t and "enum" not in node and "const" not in node:
        fmt = node.get("format")
        for one in (t if isinstance(t, list) else [t]):
            out.add(f"{one}:{fmt}" if fmt else one)
    return out


def breaking_changes(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """What in `new` breaks a consumer written against `old`. Empty means compatible."""
    problems: list[str] = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_req, new_req = set(old.get("required", [])), set(new.get("required", []))
    for name in old_props:
        if name not in new_props:
            problems.append(f"{path}{name}: removed or renamed")
    for name in new_req - old_req:
        if name in old_props:
            problems.append(f"{path}{name}: was optional, now required")
        else:
            problems.append(f"{path}{name}: new required field")
    for name, old_node in old_props.items():
        if name not in new_props:
            continue
        o, n = _resolve(old_node, old), _resolve(new_props[name], new)
        old_t, new_t = _types(o, old), _types(n, new)
        if old_t and not old_t <= new_t:
            problems.append(f"{path}{name}: type changed from {sorted(old_t)} to {sorted(new_t)}")
        if "properties" in o or "properties" in n:
            problems += breaking_changes({**o, "$defs": old.get("$defs", {})},
                                        {**n, "$defs": new.get("$defs", {})}, f"{path}{name}.")
        if o.get("type") == "array" and isinstance(o.get("items"), dict):
            oi, ni = _resolve(o["items"], old), _resolve(n.get("items", {}), new)
            if "properties" in oi:
                problems += breaking_changes({**oi, "$defs": old.get("$defs", {})},
                                             {**ni, "$defs": new.get("$defs", {})}, f"{path}{name}[].")
    return problems


def check_all() -> dict[str, list[str]]:
    """Each model against its checked-in schema: breaking changes, and missing schema files."""
    report: dict[str, list[str]] = {}
    for cls in EVENTS.values():
        p = schema_path(cls)
        if not p.exists():
            report[cls.cloudevents_type()] = [f"no checked-in schema at {p.name}: run `make schemas`"]
            continue
        problems = breaking_changes(json.loads(p.read_text()), generate(cls))
        if problems:
            report[cls.cloudevents_type()] = problems
    return report


def write_all() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    problems = check_all()
    breaking = {k: v for k, v in problems.items() if not v[0].startswith("no checked-in")}
    if breaking:
        for t, items in breaking.items():
            print(f"{t}: breaking change within a version, make a new version instead:", *items,
                  sep="\n  ", file=sys.stderr)
        return 1
    for cls in EVENTS.values():
        schema_path(cls).write_text(json.dumps(generate(cls), indent=2, sort_keys=True) + "\n")
    print(f"wrote {len(EVENTS)} schemas to {SCHEMA_DIR}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["write"]:
        return write_all()
    report = check_all()
    for t, items in report.items():
        print(t, *items, sep="\n  ")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
