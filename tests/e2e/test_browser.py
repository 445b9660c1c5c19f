"""The portal in a real browser: Debian's Chromium driven by playwright-core (Node), axe-core
injected into every page; no page may have a serious or critical accessibility violation,
and the CSP must hold (no violation reported by the browser).

The gateway runs in this process on a real port, on the real PostgreSQL and Kafka; the other
services are the gateway tests' stand-ins (the full scenario against the real services is
tests/e2e/demo.py, walked in the last test here through the real stack)."""
from __future__ import annotations

import asyncio
import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "services/gateway/tests"))

from gateway_testkit import FEED_RUN_ID, INCIDENT_ID, PUBLICATION_ID, person, portal_on_a_port  # noqa: E402

pytestmark = pytest.mark.stack
CHROMIUM = "/usr/bin/chromium"
NODE_MODULES = ROOT / "services/gateway/node_modules"


async def walk(base: str, steps: list[dict], tmp_path: Path) -> list[dict]:
    steps_file = tmp_path / "steps.json"
    steps_file.write_text(json.dumps(steps))
    proc = await asyncio.create_subprocess_exec(
        "node", str(ROOT / "tests/e2e/browser/walk.mjs"), base, str(steps_file),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=240)
    results = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    problems = [r for r in results if r.get("error") or r.get("serious")]
    assert proc.returncode == 0 and not problems, json.dumps(problems or results, indent=1) + err.decode()[-2000:]
    return results


def needs_browser():
    if not Path(CHROMIUM).exists() or not shutil.which("node") or not (NODE_MODULES / "playwright-core").exists():
        pytest.fail("the browser test needs /usr/bin/chromium (apt-get install chromium), node and "
                    "`npm ci` in services/gateway (make setup)")


async def test_every_page_of_an_organisation_passes_axe_in_chromium(stack, kafka_namespace, signer, tmp_path):
    needs_browser()
    who = person("Anna", org=uuid.uuid4())
    upload = ROOT.parent / "shared/data/netdata/upload_networks_tricky.txt"
    steps = [
        {"name": "home", "path": "/", "keyboard": True, "expect": "Welkom"},
        {"name": "login choice", "path": "/login", "expect": "eHerkenning"},
        {"name": "login with eHerkenning -> dashboard", "click": "#login-eherkenning", "expect": "Waterbedrijf Voorbeeld"},
        {"name": "dashboard in English", "path": "/?lang=en", "expect": "Open incidents"},
        {"name": "dashboard back in Dutch", "path": "/?lang=nl", "expect": "Openstaande incidenten"},
        {"name": "registration", "path": "/registratie", "expect": "vitaal/essentieel"},
        {"name": "registration edit", "path": "/registratie/wijzigen", "expect": "Registratie wijzigen"},
        {"name": "registration history", "path": "/registratie/geschiedenis", "expect": "Gewijzigde velden"},
        {"name": "people and roles", "path": "/personen", "expect": "minstens één beheerder"},
        {"name": "incidents", "path": "/incidenten", "expect": "Nieuw incident melden"},
        {"name": "incident form with errors", "fill": {"#title": " ", "#became_aware_at": "2025-03-14T09:30"},
         "submit": "form[action='/incidenten'] button[type=submit]", "expect": "Vul een omschrijving in", "status": 422},
        {"name": "network data", "path": "/netwerkgegevens", "expect": "Bestand uploaden"},
        {"name": "network data upload", "upload": {"#file": str(upload)} if upload.exists() else {},
         "submit": "form[enctype='multipart/form-data'] button[type=submit]", "expect": "Verslag per regel"},
        {"name": "domain proof", "path": "/netwerkgegevens",
         "click": "form[action='/netwerkgegevens/domeinbewijs'] button", "expect": "Publiceer dit record"},
        {"name": "advisories", "path": "/adviezen", "expect": "Log4Shell"},
        {"name": "notification preferences", "path": "/voorkeuren", "expect": "Meldingsvoorkeuren"},
        {"name": "notification preferences: mandatory ones fixed", "path": "/voorkeuren", "expect": "verplicht"},
        {"name": "accessibility statement", "path": "/toegankelijkheid", "expect": "WCAG"},
        {"name": "rijkshuisstijl theme", "path": "/?theme=rijkshuisstijl", "expect": "Neutrale weergave"},
        {"name": "logout", "submit": "form[action='/logout'] button", "expect": "U bent uitgelogd"},
    ]
    async with portal_on_a_port(stack, kafka_namespace, signer, who) as (base, world):
        results = await walk(base, steps, tmp_path)
    assert [r["name"] for r in results] == [s["name"] for s in steps]
    assert world.revoked, "logout revoked the refresh token"


async def test_every_csirt_page_passes_axe_in_chromium(stack, kafka_namespace, signer, tmp_path):
    needs_browser()
    who = person("Sanne", org=uuid.uuid4(), roles=("analist", "redacteur", "csirt_beheerder"))
    steps = [
        {"name": "login", "path": "/login"},
        {"name": "login with eHerkenning", "click": "#login-eherkenning"},
        {"name": "register", "path": "/csirt/register", "expect": "Exporteren als CSV"},
        {"name": "triage", "path": "/csirt/triage", "expect": "Triage"},
        {"name": "publishing", "path": "/csirt/publiceren", "expect": "vier ogen"},
        {"name": "feeds", "path": "/csirt/feeds", "expect": "Feed draaien"},
        {"name": "triage of one incident", "path": f"/csirt/triage/{INCIDENT_ID}", "expect": "Interne notities"},
        {"name": "triage: add a note", "fill": {"#text": "Gebeld met de organisatie."},
         "submit": "form[action$='/notitie'] button[type=submit]", "expect": "De notitie is toegevoegd"},
        {"name": "publication: TLP and audience", "path": f"/csirt/publiceren/{PUBLICATION_ID}",
         "expect": "TLP en doelgroep"},
        {"name": "publication: audience with errors", "fill": {"#organisation_ids": "geen-kenmerk"},
         "submit": "form[action$='/bewerken'] button[type=submit]", "expect": "geen geldig kenmerk", "status": 422},
        {"name": "CSAF upload and refusals", "path": "/csirt/publiceren/csaf", "expect": "6.1.1"},
        {"name": "feed run", "path": f"/csirt/feeds/{FEED_RUN_ID}", "expect": "Regels om na te kijken"},
    ]
    async with portal_on_a_port(stack, kafka_namespace, signer, who) as (base, _):
        await walk(base, steps, tmp_path)


# ---------------------------------------------------------------------- the real stack


def login_steps(who: str, person: str, button: str, idp: str = "eherkenning", expect: str | None = None) -> list[dict]:
    """Through the login choice and the stand-in IdP's person picker (a real page of the local
    stack's IdP), back through identity to the gateway."""
    return [
        {"name": f"login choice ({who})", "path": "/login", "expect": "eHerkenning"},
        {"name": f"IdP person picker ({who})", "click": f"#login-{idp}", "expect": person},
        {"name": f"picked {person}", "click": f"button[value='{button}']", **({"expect": expect} if expect else {})},
    ]


def logout_step(who: str) -> dict:
    return {"name": f"logout ({who})", "submit": "form[action='/logout'] button", "expect": "U bent uitgelogd"}


async def test_main_scenario_in_chromium_through_the_real_stack(main_scenario, real_stack, tmp_path):
    """The pages of the main scenario against the real gateway and services, after the scenario
    ran (tests/e2e/conftest.py): every login goes through identity and the IdP's picker page."""
    needs_browser()
    from weerbaar_platform.testing import shared_data

    upload = shared_data("netdata", "upload_networks_tricky.txt")
    steps = [
        # A person whose organisation is not registered yet lands in the registration wizard.
        *login_steps("new organisation", "Fatima el Amrani", "energie-loa4", expect="Sector"),
        {"name": "registration wizard", "path": "/registratie?sector=drinking_water", "expect": "Sector"},
        logout_step("new organisation"),
        # The drinking-water company's first person.
        *login_steps("water company", "Anna de Vries", "drinkwater-beheerder", expect="Waterbedrijf Voorbeeld"),
        {"name": "dashboard", "path": "/", "keyboard": True, "expect": main_scenario.incident["reference"]},
        {"name": "registration with its classification", "path": "/registratie", "expect": "ssentie"},
        {"name": "people and roles", "path": "/personen", "expect": "Bram Jansen"},
        {"name": "incidents", "path": "/incidenten", "expect": main_scenario.incident["reference"]},
        {"name": "incident with its deadlines", "path": f"/incidenten/{main_scenario.incident['id']}",
         "expect": main_scenario.incident["reference"]},
        {"name": "advisories", "path": "/adviezen", "expect": main_scenario.approved["title"][:40]},
        {"name": "advisory detail", "path": f"/adviezen/{main_scenario.approved['id']}", "expect": "AMBER"},
        logout_step("water company"),
        # The colleague, network-data admin: the set, and an upload with refused lines.
        *login_steps("colleague", "Bram Jansen", "drinkwater-collega", expect="Waterbedrijf Voorbeeld"),
        {"name": "network data", "path": "/netwerkgegevens", "expect": "198.51.100.0/24"},
        {"name": "network data upload: the per-line report, nothing changed", "upload": {"#file": str(upload)},
         "submit": "form[enctype='multipart/form-data'] button[type=submit]", "expect": "Verslag per regel",
         "status": 422},
        logout_step("colleague"),
        # CSIRT staff: the editor and analyst of the scenario.
        *login_steps("CSIRT", "Eva Smit", "csirt-analist", idp="ssonrijk"),
        {"name": "publishing: published", "path": "/csirt/publiceren?state=published",
         "expect": main_scenario.approved["title"][:40]},
        {"name": "CSAF upload and refusals", "path": "/csirt/publiceren/csaf", "expect": "6.1.1"},
        {"name": "feeds", "path": "/csirt/feeds", "expect": "scan_log4shell_vulnerable"},
        {"name": "register", "path": "/csirt/register", "expect": "Waterbedrijf Voorbeeld"},
        {"name": "triage", "path": "/csirt/triage", "expect": main_scenario.incident["reference"]},
        logout_step("CSIRT"),
    ]
    results = await walk(real_stack.gateway, steps, tmp_path)
    assert [r["name"] for r in results] == [s["name"] for s in steps]
