"""Helpers of the network-data stack tests: tokens per role, uploads, settings, a DNS server."""
from __future__ import annotations

import asyncio
import importlib.util
import json
import pathlib
import uuid

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
from weerbaar_platform.testing import bearer, shared_data

from incidents.adapters.netdata_dns import EXTRAS_KEY as DNS_KEY
from incidents.adapters.netdata_settings import EXTRAS_KEY as SETTINGS_KEY, NetdataSettings

SHARED = shared_data()
NETDATA, FEEDS = SHARED / "netdata", SHARED / "feeds"


def unit_expectations():
    """The per-line decisions the unit tests hold for the tricky files (one source of truth)."""
    path = pathlib.Path(__file__).resolve().parents[1] / "unit" / "test_netdata_upload.py"
    spec = importlib.util.spec_from_file_location("netdata_upload_expectations", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def beheerder(signer, organisation_id, person_id=None) -> dict[str, str]:
    return bearer(signer, person_id=person_id or uuid.uuid4(), organisation_id=organisation_id,
                  roles=["gebruiker", "beheerder_netwerk"])


def analist(signer) -> dict[str, str]:
    return bearer(signer, person_id=uuid.uuid4(), roles=["analist"])


async def upload(client, headers, body: bytes | str, **params):
    data = body.encode() if isinstance(body, str) else body
    return await client.post("/netdata/uploads", content=data, params=params,
                             headers={**headers, "Content-Type": "text/plain"})


def configure(client, **settings) -> None:
    """New network-data settings for the running service (the resolver is rebuilt from them)."""
    extras = client.app.state.runtime.extras
    extras[SETTINGS_KEY] = NetdataSettings(**settings)
    extras.pop(DNS_KEY, None)


async def outbox(client, event_type: str) -> list[dict]:
    async with client.app.state.runtime.pool.acquire() as conn:
        rows = await conn.fetch("SELECT payload FROM outbox ORDER BY id")
    events = [json.loads(bytes(r["payload"])) for r in rows]
    return [e["data"] for e in events if e["type"] == f"nl.weerbaar.{event_type}.v1"]


class TxtServer(asyncio.DatagramProtocol):
    """A tiny authoritative DNS server on 127.0.0.1 answering TXT queries from a dict."""

    def __init__(self, records: dict[str, list[str]]):
        self.records = records
        self.queries: list[str] = []

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        if name not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and self.records[name]:
            response.answer.append(dns.rrset.from_text(
                question.name, 60, "IN", "TXT", *(json.dumps(v) for v in self.records[name])))
        self.transport.sendto(response.to_wire(), addr)

    @classmethod
    async def start(cls, records):
        server = cls(records)
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            lambda: server, local_addr=("127.0.0.1", 0))
        server.port = transport.get_extra_info("sockname")[1]
        return server

    def close(self):
        self.transport.close()
