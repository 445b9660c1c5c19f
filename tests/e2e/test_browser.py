"""The portal in a real browser: Debian's Chromium driven by playwright-core (Node), axe-core
injected into every page; no page may have a serious or critical accessibility violation,
and the CSP must hold (no violation reported by the browser).

The gateway runs in this process on a real port, on the real PostgreSQL and Kafka; the other
services are the gateway tests' stand-ins (the full scenario against the real services is
tests/e2e/demo.py)."""
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

from gateway_testkit import person, portal_on_a_port  # noqa: E402

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
        {"name": "registration", "path": "/registratie", "expect": "essential"},
        {"name": "people and roles", "path": "/personen", "expect": "minstens één beheerder"},
        {"name": "incidents", "path": "/incidenten", "expect": "Nieuw incident melden"},
        {"name": "incident form with errors", "fill": {"#title": " ", "#became_aware_at": "2025-03-14T09:30"},
         "submit": "form[action='/incidenten'] button[type=submit]", "expect": "Vul een omschrijving in", "status": 422},
        {"name": "network data", "path": "/netwerkgegevens", "expect": "Bestand uploaden"},
        {"name": "network data upload", "upload": {"#file": str(upload)} if upload.exists() else {},
         "submit": "form[enctype='multipart/form-data'] button[type=submit]", "expect": "Verslag per regel"},
        {"name": "advisories", "path": "/adviezen", "expect": "Log4Shell"},
        {"name": "notification preferences", "path": "/voorkeuren", "expect": "Meldingsvoorkeuren"},
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
    ]
    async with portal_on_a_port(stack, kafka_namespace, signer, who) as (base, _):
        await walk(base, steps, tmp_path)
