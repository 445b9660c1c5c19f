"""The main scenario, run once per test session against the real local stack: the test of its
outcomes (test_main_scenario.py) and the browser walk over its pages (test_browser.py) share it."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def load_demo():
    spec = importlib.util.spec_from_file_location("weerbaar_e2e_demo", HERE / "demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["weerbaar_e2e_demo"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def real_stack():
    """Every service as its own process (idempotent: starts only what is not running yet),
    and where to reach the gateway, the IdP and the mail catcher."""
    from weerbaar_platform.testing import load_local_stack

    load_local_stack().up(infra_only=False)
    return load_demo().Urls.of_local_stack()


@pytest.fixture(scope="session")
def main_scenario(real_stack):
    demo = load_demo()
    lines: list[str] = []
    try:
        return demo.Scenario(real_stack, say=lines.append).run()
    except demo.StepFailed as exc:
        pytest.fail(f"{exc}\n--- what the scenario said before:\n" + "\n".join(lines[-40:]))
