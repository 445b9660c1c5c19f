"""A change within one event version must stay readable for consumers built against the old
schema. These tests prove the checker catches each kind of break, and run it over every
checked-in schema, against the live models and against each schema's own git history."""
import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import ClassVar, Literal
from uuid import uuid4

import pytest
from pydantic import BaseModel

from weerbaar_contracts import CloudEvent, new_event
from weerbaar_contracts.base import EventPayload
from weerbaar_contracts.catalog import EVENTS
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_contracts.schemas import SCHEMA_DIR, breaking_changes, check_all, generate


class _Base(EventPayload):
    topic: ClassVar[str] = "t"
    aggregate: ClassVar[str] = "org"
    event_type: ClassVar[str] = "test.thing.happened"
    version: ClassVar[int] = 1


class Original(_Base):
    org: str
    count: int
    note: str | None = None
    colour: Literal["red", "green"] = "red"


def schema_of(fields: dict) -> dict:
    model = type("Changed", (_Base,), {"__annotations__": {k: v[0] for k, v in fields.items()},
                                        **{k: v[1] for k, v in fields.items() if v[1] is not ...}})
    return generate(model)


ORIGINAL = {"org": (str, ...), "count": (int, ...), "note": (str | None, None),
            "colour": (Literal["red", "green"], "red")}


def test_adding_an_optional_field_is_compatible():
    new = schema_of({**ORIGINAL, "extra": (str | None, None)})
    assert breaking_changes(generate(Original), new) == []


def test_removing_a_field_breaks():
    fields = dict(ORIGINAL)
    del fields["note"]
    assert any("note: removed" in p for p in breaking_changes(generate(Original), schema_of(fields)))


def test_renaming_a_field_breaks():
    fields = dict(ORIGINAL)
    fields["amount"] = fields.pop("count")
    problems = breaking_changes(generate(Original), schema_of(fields))
    assert any(p.startswith("count: removed") for p in problems)


def test_making_an_optional_field_required_breaks():
    new = schema_of({**ORIGINAL, "note": (str, ...)})
    assert any("note: was optional, now required" in p for p in breaking_changes(generate(Original), new))


def test_adding_a_required_field_breaks():
    new = schema_of({**ORIGINAL, "must": (str, ...)})
    assert any("must: new required field" in p for p in breaking_changes(generate(Original), new))


def test_changing_a_type_breaks():
    new = schema_of({**ORIGINAL, "count": (str, ...)})
    assert any("count: type changed" in p for p in breaking_changes(generate(Original), new))


def test_narrowing_an_enum_breaks_and_widening_does_not():
    narrower = schema_of({**ORIGINAL, "colour": (Literal["red"], "red")})
    wider = schema_of({**ORIGINAL, "colour": (Literal["red", "green", "blue"], "red")})
    assert any("colour: type changed" in p for p in breaking_changes(generate(Original), narrower))
    assert breaking_changes(generate(Original), wider) == []


def test_every_event_has_a_checked_in_schema_its_model_still_satisfies():
    assert check_all() == {}


def _history(path: Path) -> list[str]:
    out = subprocess.run(["git", "log", "--format=%H", "--", str(path)], cwd=path.parent,
                         capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_no_checked_in_schema_ever_broke_an_earlier_commit_of_itself():
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        current = json.loads(path.read_text())
        rel = path.relative_to(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path.parent,
                                              capture_output=True, text=True).stdout.strip())
        for commit in _history(path):
            shown = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=path.parent,
                                   capture_output=True, text=True)
            if shown.returncode != 0:
                continue
            assert breaking_changes(json.loads(shown.stdout), current) == [], (path.name, commit)



def test_event_types_carry_their_version_and_are_unique():
    assert all(t.startswith("nl.weerbaar.") and t.rsplit(".", 1)[1].startswith("v") for t in EVENTS)
    assert len({c.dataschema() for c in EVENTS.values()}) == len(EVENTS)


def test_envelope_round_trips_as_cloudevents_json():
    org, person = uuid4(), uuid4()
    payload = EntityRegisteredV1(
        organisation_id=org, registration_version=1, legal_name="Waterbedrijf Voorbeeld N.V.",
        kvk="12345678", sector="drinking_water", classification="essential",
        registered_by=person, registered_by_name="Anna", registered_by_email="anna@example.nl")
    event = new_event(payload, source="/weerbaar/registry", correlation_id="c-1",
                      time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    doc = json.loads(event.to_bytes())
    assert doc["specversion"] == "1.0" and doc["type"] == "nl.weerbaar.registry.entity.registered.v1"
    assert doc["subject"] == str(org) and doc["correlationid"] == "c-1"
    assert doc["dataschema"] == "urn:weerbaar:schema:registry.entity.registered.v1"
    back = EVENTS[doc["type"]].model_validate(CloudEvent.from_bytes(event.to_bytes()).data)
    assert back == payload


def test_consumers_ignore_fields_added_later_within_a_version():
    data = {"organisation_id": str(uuid4()), "reason": "left scope", "added_in_a_later_minor": 1}
    assert EVENTS["nl.weerbaar.registry.entity.deregistered.v1"].model_validate(data).reason == "left scope"
