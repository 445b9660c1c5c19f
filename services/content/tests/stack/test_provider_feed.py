"""Pulling from a CSAF provider: provider-metadata.json with a directory (index.txt) and a
ROLIE feed, served by a local HTTP server from the files of shared/data/csaf. Valid documents
arrive as drafts (an editor still publishes them); the broken one is refused."""
import asyncio
import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weerbaar_platform.testing import eventually, running_service

from content.app import create_app
from content.settings import ContentSettings

from .conftest import CSAF_DATA

pytestmark = pytest.mark.stack


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def provider(tmp_path):
    (tmp_path / "white").mkdir()
    (tmp_path / "feed").mkdir()
    shutil.copy(CSAF_DATA / "rhsa-2022_0011.json", tmp_path / "white")
    (tmp_path / "white" / "index.txt").write_text("rhsa-2022_0011.json\n")
    for name in ("bsi-2022-0001.json", "oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"):
        shutil.copy(CSAF_DATA / name, tmp_path / "feed")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (tmp_path / "feed" / "feed.json").write_text(json.dumps({"feed": {"id": "test", "title": "t", "entry": [
        {"id": n, "content": {"type": "application/json", "src": f"{base}/feed/{n}"}}
        for n in ("bsi-2022-0001.json", "oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json")]}}))
    (tmp_path / "provider-metadata.json").write_text(json.dumps({
        "canonical_url": f"{base}/provider-metadata.json", "role": "csaf_provider",
        "distributions": [{"directory_url": f"{base}/white/"},
                          {"rolie": {"feeds": [{"summary": "TLP:WHITE", "tlp_label": "WHITE",
                                                "url": f"{base}/feed/feed.json"}]}}]}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{base}/provider-metadata.json"
    server.shutdown()
    server.server_close()


async def test_documents_from_a_provider_arrive_as_drafts_and_broken_ones_are_refused(
        stack, kafka_namespace, signer, people, provider):
    async with running_service(create_app, ContentSettings, stack, kafka_namespace, signer, label="feed",
                               csaf_provider_urls=[provider], csaf_poll_seconds=0.5) as client:
        editor = people.editor()

        async def drafts():
            items = (await client.get("/publications", headers=editor)).json()["items"]
            return {i["advisory"]["tracking_id"]: i["state"] for i in items} if len(items) >= 2 else None
        found = await eventually(drafts, timeout=30)
        assert found == {"BSI-2022-0001": "draft", "RHSA-2022:0011": "draft"}

        refusals = (await client.get("/advisories/refusals", headers=editor)).json()
        assert [r["failed_tests"] for r in refusals] == [["6.1.1"]]
        assert refusals[0]["filename"].endswith("oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json")

        # Polled again and again (every 0.5 s), an unchanged document is taken in once.
        await asyncio.sleep(1.5)
        async with client.app.state.runtime.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM csaf_documents") == 2
            assert await conn.fetchval("SELECT count(*) FROM csaf_refusals") == 1

