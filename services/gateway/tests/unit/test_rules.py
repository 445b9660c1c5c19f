"""The gateway's rules, without I/O: PKCE, safe redirects, the dashboard's parts and tasks,
the session's ownership rule, settings that refuse unsafe values, security.txt."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from gateway.domain import parts, pkce
from gateway.domain.language import Texts, choose
from gateway.domain.session import Organisation, Session
from gateway.entrypoints.public import security_txt
from gateway.settings import GatewaySettings

BASE = dict(database_url="postgresql://x@127.0.0.1/x", kafka_bootstrap="127.0.0.1:1", http_port=1,
            token_jwks_url="http://identity/jwks")


def test_pkce_s256_matches_the_rfc_7636_example():
    assert pkce.code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert len(pkce.new_code_verifier()) >= 43 and pkce.new_state() != pkce.new_state()


@pytest.mark.parametrize("value, expected", [("/incidenten", "/incidenten"), ("//evil.example", "/"),
                                             ("https://evil.example", "/"), ("/\\evil", "/"), (None, "/")])
def test_return_to_stays_on_this_site(value, expected):
    assert pkce.safe_return_to(value) == expected


def test_next_deadline_is_the_earliest_open_one_across_incidents():
    incidents = [
        {"id": "a", "reference": "A", "deadlines": [{"kind": "final", "due": "2030-02-01T00:00:00+00:00", "open": True},
                                                    {"kind": "early_warning", "due": "2029-01-01T00:00:00Z", "open": False}]},
        {"id": "b", "reference": "B", "deadlines": [{"kind": "notification", "due": "2030-01-03T00:00:00+01:00", "open": True}]},
    ]
    best = parts.next_deadline(incidents)
    assert best["reference"] == "B" and best["kind"] == "notification"
    assert parts.next_deadline([{"deadlines": []}]) is None


def test_tasks_come_from_registration_and_incidents_soonest_first():
    tasks = parts.pending_tasks(registration=None, registered=False, roles=frozenset(), incidents=[
        {"id": "x", "reference": "X", "intermediate_requested": True,
         "deadlines": [{"kind": "notification", "due": "2030-01-03T00:00:00Z", "open": True}]}])
    kinds = [t["kind"] for t in tasks]
    assert kinds[0] == "incident_stage" and "register" in kinds and "intermediate_report" in kinds


def test_an_unavailable_part_says_which_part_in_both_languages():
    part = parts.unavailable("advisories", "timeout")
    assert part["status"] == "unavailable" and "adviezen" in part["message_nl"] and "advisories" in part["message_en"]
    assert "nog niet" in parts.unavailable("people", "endpoint not available")["message_nl"]


def test_a_session_owns_only_its_acting_organisation():
    mine, other = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(timezone.utc)
    s = Session("h", uuid.uuid4(), "n", "e", "nl", (Organisation(mine, "A"), Organisation(other, "B")), mine,
                "t", now + timedelta(seconds=20), "r", "c", now + timedelta(hours=1))
    assert s.owns(mine) and not s.owns(other)
    assert s.needs_refresh(now)  # 20 s left is inside the margin


def test_language_is_dutch_unless_english_is_asked():
    assert choose(None, None) == "nl" and choose("en", "nl") == "en" and choose("fr", "en") == "en"
    assert Texts("en")("ja", "yes") == "yes" and Texts("nl").pick({"message_nl": "a", "message_en": "b"}) == "a"


def test_production_refuses_development_secrets_and_plain_http():
    with pytest.raises(ValidationError, match="IDENTITY_CLIENT_SECRET"):
        GatewaySettings(environment="production", public_url="https://portal.example", **BASE)
    with pytest.raises(ValidationError, match="COOKIE_SECURE"):
        GatewaySettings(environment="development", public_url="https://portal.example", cookie_secure=False, **BASE)
    with pytest.raises(ValidationError, match="PUBLIC_URL"):
        GatewaySettings(environment="production", identity_client_secret="x" * 40, session_secret="y" * 40,
                        public_url="http://portal.example", **BASE)
    ok = GatewaySettings(environment="production", identity_client_secret="x" * 40, session_secret="y" * 40,
                         public_url="https://portal.example", **BASE)
    assert ok.secure_cookies and ok.callback_url == "https://portal.example/login/callback"
    local = GatewaySettings(environment="development", **BASE)
    assert not local.secure_cookies  # the local stack on http://127.0.0.1


def test_security_txt_has_the_required_fields():
    text = security_txt(contact="mailto:csirt@x.example", public_url="https://p.example/", valid_days=180,
                        now=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert "Contact: mailto:csirt@x.example\n" in text and "Expires: 2025-06-30T00:00:00Z\n" in text
    assert "Preferred-Languages: nl, en\n" in text and "Canonical: https://p.example/.well-known/security.txt" in text
