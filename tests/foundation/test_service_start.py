"""A service refuses to start on a missing or invalid setting and names it; /readyz follows
its database and Kafka going away and coming back."""
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STACK = ROOT / "deploy/local/weerbaar_stack.py"


def run_registry(env: dict[str, str], **kw) -> subprocess.Popen:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_REGISTRY_")}
    return subprocess.Popen([sys.executable, "-m", "registry"], env={**clean, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_missing_settings_stop_start_up_naming_each_variable():
    proc = run_registry({"WEERBAAR_REGISTRY_KAFKA_BOOTSTRAP": "127.0.0.1:1"})
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "WEERBAAR_REGISTRY_DATABASE_URL: missing" in err
    assert "WEERBAAR_REGISTRY_HTTP_PORT: missing" in err
    assert "Traceback" not in err


def test_invalid_setting_is_named_with_the_reason():
    proc = run_registry({"WEERBAAR_REGISTRY_DATABASE_URL": "mysql://nope",
                         "WEERBAAR_REGISTRY_KAFKA_BOOTSTRAP": "127.0.0.1:1",
                         "WEERBAAR_REGISTRY_HTTP_PORT": "seventy"})
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "WEERBAAR_REGISTRY_DATABASE_URL: String should match pattern" in err
    assert "WEERBAAR_REGISTRY_HTTP_PORT: Input should be a valid integer" in err


def test_services_refuse_to_start_without_a_way_to_check_tokens():
    proc = run_registry({"WEERBAAR_REGISTRY_DATABASE_URL": "postgresql://x@127.0.0.1:1/x",
                         "WEERBAAR_REGISTRY_KAFKA_BOOTSTRAP": "127.0.0.1:1",
                         "WEERBAAR_REGISTRY_HTTP_PORT": "1"})
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert "set WEERBAAR_REGISTRY_TOKEN_JWKS_URL" in err and "WEERBAAR_REGISTRY_TOKEN_JWKS" in err


@pytest.mark.stack
def test_readyz_follows_postgres_and_kafka(stack):
    # A private PostgreSQL and Kafka, so stopping them does not disturb other tests. Its state
    # lives under .state/ because PostgreSQL runs as another user when tests run as root.
    state = ROOT / ".state" / "readyz-test"
    shutil.rmtree(state, ignore_errors=True)
    pg_port, kafka_port, controller_port, http_port = free_ports(4)
    env = {**os.environ, "WEERBAAR_STATE_DIR": str(state), "WEERBAAR_PG_PORT": str(pg_port),
           "WEERBAAR_KAFKA_PORT": str(kafka_port), "WEERBAAR_KAFKA_CONTROLLER_PORT": str(controller_port)}

    def stack_cmd(*args):
        subprocess.run([sys.executable, str(STACK), *args], env=env, check=True, timeout=180)

    stack_cmd("up", "--bare")
    service = run_registry({
        "WEERBAAR_REGISTRY_DATABASE_URL": f"postgresql://weerbaar@127.0.0.1:{pg_port}/weerbaar_registry",
        "WEERBAAR_REGISTRY_KAFKA_BOOTSTRAP": f"127.0.0.1:{kafka_port}",
        "WEERBAAR_REGISTRY_HTTP_PORT": str(http_port), "WEERBAAR_REGISTRY_ENVIRONMENT": "test",
        "WEERBAAR_REGISTRY_TOKEN_JWKS_URL": "http://127.0.0.1:9/jwks.json"})
    try:
        readyz = f"http://127.0.0.1:{http_port}/readyz"
        wait_status(readyz, 200)
        stack_cmd("stop", "postgres")
        body = wait_status(readyz, 503)
        assert any(p.startswith("database") for p in body["problems"])
        stack_cmd("start", "postgres")
        wait_status(readyz, 200)
        stack_cmd("stop", "kafka")
        body = wait_status(readyz, 503)
        assert any(p.startswith("kafka") for p in body["problems"])
        stack_cmd("start", "kafka")
        wait_status(readyz, 200, timeout=90)
    finally:
        service.kill()
        service.communicate()
        stack_cmd("down")
        shutil.rmtree(state, ignore_errors=True)


def free_ports(n: int) -> list[int]:
    """Free ports BELOW the ephemeral range: this test stops Kafka while clients keep retrying
    it, and a client retrying a port inside the ephemeral range can connect to itself and hold
    that port, so the broker could not come back."""
    ports: list[int] = []
    for candidate in random.sample(range(20000, 27999), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
        ports.append(candidate)
        if len(ports) == n:
            return ports
    raise RuntimeError("no free ports below the ephemeral range")


def wait_status(url: str, code: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            r = httpx.get(url, timeout=6)
            last = r.status_code
            if r.status_code == code:
                return r.json()
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.5)
    raise AssertionError(f"/readyz did not answer {code} within {timeout}s (last: {last})")
