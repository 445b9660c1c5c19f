"""The service's settings refuse what would be unsafe in production, naming the variable."""

import pytest
from pydantic import ValidationError

from incidents.settings import IncidentsSettings

BASE = dict(database_url="postgresql://x@127.0.0.1/x", kafka_bootstrap="127.0.0.1:9092", http_port=1,
            token_jwks_url="http://identity/.well-known/jwks.json")


def test_a_relative_attachment_directory_is_refused_in_production():
    with pytest.raises(ValidationError, match="WEERBAAR_INCIDENTS_ATTACHMENT_DIR"):
        IncidentsSettings(**BASE, environment="production", attachment_dir="data/attachments")


def test_an_absolute_attachment_directory_is_accepted_in_production(tmp_path):
    assert IncidentsSettings(**BASE, environment="production", attachment_dir=tmp_path).attachment_dir == tmp_path


def test_development_may_keep_attachments_under_the_working_directory():
    assert IncidentsSettings(**BASE, environment="development").attachment_max_bytes == 25 * 1024 * 1024


def test_a_trusted_proxy_that_is_no_address_stops_start_up():
    import pytest
    from pydantic import ValidationError

    from incidents.settings import IncidentsSettings

    base = dict(environment="test", database_url="postgresql://x/y", kafka_bootstrap="k:1", http_port=1,
                token_jwks_url="http://identity/jwks")
    assert IncidentsSettings(**base, trusted_proxies=["127.0.0.1", "10.0.0.0/8"]).trusted_proxies
    with pytest.raises(ValidationError) as refused:
        IncidentsSettings(**base, trusted_proxies=["gateway"])
    assert "trusted_proxies" in str(refused.value)
