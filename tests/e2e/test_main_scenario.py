"""The main scenario on real input, end to end through the REAL local stack: every service as
its own process, logins through identity and the stand-in IdP, events over Kafka, mail through
SMTP into the mail catcher. The steps are tests/e2e/demo.py's (what `make demo` prints); here
each outcome is asserted. The `main_scenario` fixture (conftest.py) starts the stack and runs
the scenario once per test session; test_browser.py walks its pages afterwards.

The stand-in IdP's people are fixed (one KvK number), so on a machine where the demo ran before
the organisation, its members and the published advisory already exist: the scenario goes on
with them, and the mails asserted are those this run's own actions must cause."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from weerbaar_platform.testing import shared_data

pytestmark = pytest.mark.stack


def test_drinking_water_company_is_essential_with_its_reasoning(main_scenario):
    out = main_scenario
    c = out.classification
    assert c["final"] == "essential" and c["size_class"] == "large"
    assert [r["reference"] for r in c["reasoning"]][0] == "NIS2 Annex I, point 6"
    assert c["reasoning"][-1]["reference"] == "NIS2 art. 3(1)(a)"


def test_tricky_network_upload_gives_a_verdict_per_line(main_scenario):
    out = main_scenario
    report = out.upload["report"]
    by_line = {o["line"]: o for o in report["outcomes"]}
    assert report["summary"] == {"accepted": 9, "normalised": 9, "refused": 8}
    assert sorted(by_line) == [n for n in range(1, 28) if n != 26], "one outcome per line, the blank one skipped"
    for line in (9, 10, 17, 19, 20, 21, 22):  # never silently reinterpreted
        assert by_line[line]["status"] == "refused" and by_line[line]["refusal"]["message_en"], line
    expected = {e["line"]: e for e in json.loads(shared_data("netdata", "upload_networks_tricky.expected.json")
                                                 .read_text())}
    for line in (2, 3, 16):  # host bits set: refused, or normalised WITH a warning
        o = by_line[line]
        assert o["status"] == "refused" or (o["warnings"] and o["values"] == [expected[line]["normalised"]]), o
    for line in (1, 4, 13):
        assert by_line[line]["status"] == "accepted" and by_line[line]["values"] == [expected[line]["normalised"]]
    assert out.upload["applied"] in (True, False)  # False when an earlier run stored the same set
    assert out.upload["set_version"] >= 1


def test_incident_stages_and_deadlines_in_utc_and_amsterdam(main_scenario):
    out = main_scenario
    inc = out.incident
    deadlines = {d["kind"]: d for d in inc["deadlines"]}
    aware = datetime.fromisoformat(inc["became_aware_at"].replace("Z", "+00:00"))
    assert datetime.fromisoformat(deadlines["early_warning"]["due"].replace("Z", "+00:00")) == aware + timedelta(hours=24)
    assert datetime.fromisoformat(deadlines["notification"]["due"].replace("Z", "+00:00")) == aware + timedelta(hours=72)
    for d in deadlines.values():
        assert d["zone"] == "Europe/Amsterdam" and d["due_local"][-6:] in ("+01:00", "+02:00")
        assert datetime.fromisoformat(d["due_local"]) == datetime.fromisoformat(d["due"].replace("Z", "+00:00"))
    assert not deadlines["early_warning"]["open"] and not deadlines["early_warning"]["missed"]
    assert not deadlines["notification"]["open"] and not deadlines["notification"]["missed"]
    assert deadlines["final"]["open"]
    assert [r["stage"] for r in inc["reports"]] == ["early_warning", "notification"]


def test_invalid_csaf_is_refused_naming_test_611_and_one_is_published_amber_for_water(main_scenario):
    out = main_scenario
    refused = out.advisories["oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"]
    assert refused["status"] == 422 and "6.1.1" in refused["body"]["failed_tests"]
    for name in ("bsi-2022-0001.json", "cisco-sa-20180328-smi2.json", "rhsa-2022_0011.json"):
        assert out.advisories[name]["status"] in (201, 409), (name, out.advisories[name])  # 409: known already
    approved = out.approved
    assert approved["state"] == "published" and approved["tlp"] == "AMBER"
    assert approved["audience"]["sectors"] == ["drinking_water"]
    assert approved["approved_by"] and approved["approved_by"] not in approved["authors"]
    assert approved["id"] in out.reader_sees, "the water company reads the AMBER advisory for its sector"


def test_feed_finds_the_water_company_once_for_the_address(main_scenario):
    out = main_scenario
    run = out.feed_run
    assert run["rows_total"] == 3 and run["rows_matched"] == 3 and run["findings"] >= 1
    mine = [s for s in out.findings["finding_sets"] if s["feed_run_id"] == run["id"]]
    assert mine and mine[0]["findings"] == 1 and mine[0]["rows"] == 3, "three ports, two ASNs: one finding"


def test_dashboard_composes_every_part(main_scenario):
    out = main_scenario
    d = out.dashboard
    assert all(d[p]["status"] == "ok" for p in ("registration", "incidents", "advisories", "tasks")), d
    assert d["registration"]["data"]["classification"]["final"] == "essential"
    assert d["incidents"]["data"]["next_deadline"]["due"]


def test_the_expected_mails_arrived_in_the_smtp_catcher(main_scenario):
    out = main_scenario
    have = {(m["to"], m["kind"]) for m in out.mails}
    want = out.expected_mails()
    assert ("anna.devries@drinkwater.example.nl", "incident received") in want
    missing = [w for w in want if w not in have]
    assert not missing, f"missing mails {missing}; arrived: {json.dumps(out.mails, indent=1)}"
