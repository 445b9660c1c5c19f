"""Which address the public form's rate limit counts: X-Forwarded-For only from a trusted proxy."""

from starlette.requests import Request

from incidents.entrypoints.http_public import client_address


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": (peer, 1234)})


def test_an_untrusted_peer_is_counted_itself_whatever_it_claims():
    assert client_address(request_from("198.51.100.1", "203.0.113.9"), ["10.0.0.2"]) == "198.51.100.1"


def test_behind_the_gateway_the_right_most_untrusted_hop_is_the_client():
    # The client may put anything left of its own address; only what the proxy added counts.
    request = request_from("10.0.0.2", "1.2.3.4, 203.0.113.9")
    assert client_address(request, ["10.0.0.2"]) == "203.0.113.9"


def test_a_trusted_proxy_without_the_header_is_counted_itself():
    assert client_address(request_from("10.0.0.2"), ["10.0.0.2"]) == "10.0.0.2"


def test_a_trusted_network_covers_a_gateway_whose_address_is_not_fixed():
    request = request_from("172.18.0.7", "203.0.113.9")
    assert client_address(request, ["172.16.0.0/12"]) == "203.0.113.9"
    assert client_address(request_from("198.51.100.1", "203.0.113.9"), ["172.16.0.0/12"]) == "198.51.100.1"
