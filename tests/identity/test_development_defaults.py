"""Across services: identity's and the gateway's development defaults fit each other."""
def test_development_defaults_let_the_gateway_log_in_with_its_own_defaults():
    """Docker Compose starts identity and the gateway without the local stack's explicit client
    registration: their development defaults must fit each other exactly."""
    from gateway.settings import GatewaySettings
    from identity.settings import IdentitySettings

    gateway = GatewaySettings(environment="development", database_url="postgresql://x/y", kafka_bootstrap="k:1",
                              token_jwks_url="http://identity/jwks", http_port=28080)
    identity = IdentitySettings(environment="development", database_url="postgresql://x/y", kafka_bootstrap="k:1",
                                idp_base="http://idp", http_port=28081)
    client = identity.client(gateway.client_id)
    assert client is not None
    assert client.client_secret == gateway.identity_client_secret.get_secret_value()
    assert gateway.callback_url in client.redirect_uris
