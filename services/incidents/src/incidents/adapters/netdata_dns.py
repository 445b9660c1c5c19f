"""Looking up TXT records for the DNS proof of a domain, with dnspython.

The resolver can be pointed at given nameservers (a test's own DNS server on 127.0.0.1, or a
validating resolver the CSIRT trusts); by default it uses the system's configuration.
"""
from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

EXTRAS_KEY = "netdata_dns"


class DnsLookupFailed(Exception):
    """The lookup gave no answer at all (timeout, SERVFAIL): not the same as 'no record'."""


def _nameserver(spec: str) -> dns.nameserver.Do53Nameserver:
    host, port = spec, 53
    if spec.startswith("["):  # [2001:db8::53]:5353
        host, _, rest = spec[1:].partition("]")
        port = int(rest.removeprefix(":") or 53)
    elif spec.count(":") == 1:
        host, _, text = spec.partition(":")
        port = int(text)
    return dns.nameserver.Do53Nameserver(host, port)


class TxtLookup:
    def __init__(self, nameservers: list[str], timeout: float = 5.0) -> None:
        self._resolver = dns.asyncresolver.Resolver(configure=not nameservers)
        if nameservers:
            self._resolver.nameservers = [_nameserver(s) for s in nameservers]
        self._resolver.lifetime = timeout
        self._resolver.cache = None  # a re-check after publishing must see the new record

    async def txt(self, name: str) -> list[str] | None:
        """The TXT strings at ``name`` ([] when it has none), None when the name does not exist."""
        try:
            answer = await self._resolver.resolve(name, "TXT", search=False)
        except dns.resolver.NXDOMAIN:
            return None
        except dns.resolver.NoAnswer:
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
            raise DnsLookupFailed(type(exc).__name__) from exc
        # A TXT record may be split into several strings of at most 255 bytes: they join.
        return [b"".join(r.strings).decode("utf-8", "replace") for r in answer]


def txt_lookup(runtime, settings) -> TxtLookup:
    lookup = runtime.extras.get(EXTRAS_KEY)
    if lookup is None:
        lookup = runtime.extras[EXTRAS_KEY] = TxtLookup(settings.dns_nameservers, settings.dns_timeout_seconds)
    return lookup
