"""A document without a TLP label must never default to public."""
import pytest
from pydantic import ValidationError

from content.settings import ContentSettings

_REQUIRED = dict(database_url="postgresql://u@h/db", kafka_bootstrap="h:9092", http_port=1, token_jwks='{"keys": []}')


@pytest.mark.parametrize("label", ["CLEAR", "white", "TLP:CLEAR"])
def test_default_tlp_may_not_be_clear(label):
    with pytest.raises(ValidationError, match="must not default to CLEAR"):
        ContentSettings(**_REQUIRED, default_tlp=label)


def test_default_tlp_is_amber_unless_configured():
    assert ContentSettings(**_REQUIRED).default_tlp == "AMBER"
    assert ContentSettings(**_REQUIRED, default_tlp="green").default_tlp == "GREEN"
