import pytest
from identity.settings import DEV_IDP_CLIENT_SECRET, IdentitySettings
from pydantic import ValidationError

BASE = {"database_url": "postgresql://x@h/db", "kafka_bootstrap": "h:9092", "http_port": 28081}


def test_local_defaults_in_development_need_no_token_jwks():
    s = IdentitySettings(environment="development", idp_base="http://127.0.0.1:28090", **BASE)
    assert s.callback_url("eherkenning") == "http://127.0.0.1:28081/login/eherkenning/callback"
    assert s.client("gateway") is not None and s.csirt_oins


def test_production_refuses_development_secrets_and_names_missing_settings():
    with pytest.raises(ValidationError) as missing:
        IdentitySettings(**BASE)
    assert "WEERBAAR_IDENTITY_PUBLIC_URL" in str(missing.value) and "WEERBAAR_IDENTITY_IDP_BASE" in str(missing.value)
    with pytest.raises(ValidationError, match="development secrets"):
        IdentitySettings(public_url="https://id.example", idp_base="https://idp.example",
                         idp_client_secret=DEV_IDP_CLIENT_SECRET,
                         clients=[{"client_id": "gateway", "client_secret": "0123456789abcdef0",
                                   "redirect_uris": ["https://portal.example/cb"]}], **BASE)

