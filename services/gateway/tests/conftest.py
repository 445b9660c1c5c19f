"""Fixtures of the gateway's tests; the stand-ins live in gateway_testkit.py."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway_testkit import running_portal  # noqa: E402


@pytest.fixture
async def portal(stack, kafka_namespace, signer):
    async with running_portal(stack, kafka_namespace, signer) as p:
        yield p
