"""Schemathesis fuzzes every operation of the gateway's OpenAPI document, logged in (session
cookie + CSRF token), and finds no 5xx. The gateway runs on a real port; the services behind it
are the stand-ins of gateway_testkit (which answer whatever they are sent)."""
from __future__ import annotations

import asyncio
import re
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from gateway_testkit import person, portal_on_a_port

pytestmark = pytest.mark.stack
MAX_EXAMPLES = 25


async def test_schemathesis_finds_no_server_error(stack, kafka_namespace, signer, tmp_path):
    pytest.importorskip("schemathesis")
    org = uuid.uuid4()
    who = person("Fuzz", org=org, roles=("gebruiker", "beheerder_personen", "beheerder_netwerk", "analist", "redacteur"))
    async with portal_on_a_port(stack, kafka_namespace, signer, who, upload_rate_per_minute=10_000) as (base, _):
        async with httpx.AsyncClient(base_url=base) as browser:
            start = await browser.get("/login/eherkenning", follow_redirects=False)
            auth = await browser.get(start.headers["location"])
            await browser.get(auth.headers["location"])
            session = (await browser.get("/api/session")).json()
            cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        report = tmp_path / "junit.xml"
        proc = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "schemathesis"), "run", f"{base}/openapi.json",
            "--checks", "not_a_server_error", "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
            "--header", f"Cookie: {cookie}", "--header", f"X-CSRF-Token: {session['csrf_token']}",
            "--exclude-path", "/api/session/organisation",  # would only switch away from the org under test
            "--report", "junit", "--report-dir", str(tmp_path), "--no-color", "--seed", "1",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=540)
    text = out.decode()
    print(text[-3000:])
    assert proc.returncode == 0, text[-6000:]
    cases = re.search(r"(\d+) generated", text)
    assert cases and int(cases.group(1)) > 100, text[-2000:]
