"""Reading IP prefixes, single addresses and ranges as a network-data beheerder writes them.

Python's ``ipaddress`` is lenient in ways that would register the wrong network without a
word: it reads ``203.0.113.0/0.0.0.255`` (a host mask) as a /24, accepts zone indexes and
treats ``::ffff:192.0.2.1`` as an IPv6 address that no IPv4 prefix contains. So the text is
checked here first and ``ipaddress`` only builds what has been checked.
"""

from __future__ import annotations

import ipaddress
import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from incidents.domain.errors import Notice

from .messages import notice, refuse
from .models import Kind, Parsed

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

_DIGITS = re.compile(r"[0-9]+")
_RANGE = re.compile(r"([0-9A-Fa-f:.]+)\s*-\s*([0-9A-Fa-f:.]+)")
_IPV6_LIKE = re.compile(r"[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%\S*)?(/\S*)?(\s*-\s*\S+)?")

# Blocks that identify no organisation on the internet (IANA special-purpose registries).
# Documentation blocks are kept apart: the project's own test data and demo use them.
_SPECIAL: tuple[tuple[Network, str], ...] = tuple(
    (ipaddress.ip_network(net), name)
    for net, name in (
        ("0.0.0.0/8", "this network"),
        ("10.0.0.0/8", "RFC 1918 private"),
        ("100.64.0.0/10", "shared address space"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "RFC 1918 private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "RFC 1918 private"),
        ("198.18.0.0/15", "benchmarking"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b::/96", "NAT64"),
        ("64:ff9b:1::/48", "local NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/23", "IETF protocol assignments"),
        ("fc00::/7", "unique local"),
        ("fe80::/10", "link-local"),
        ("ff00::/8", "multicast"),
    )
)
_DOCUMENTATION: tuple[tuple[Network, str], ...] = tuple(
    (ipaddress.ip_network(net), name)
    for net, name in (
        ("192.0.2.0/24", "TEST-NET-1"),
        ("198.51.100.0/24", "TEST-NET-2"),
        ("203.0.113.0/24", "TEST-NET-3"),
        ("2001:db8::/32", "IPv6 documentation"),
        ("3fff::/20", "IPv6 documentation"),
    )
)
# Shorter than this is more than any single organisation plausibly holds: warn.
_VERY_LARGE = {4: 8, 6: 16}


def looks_like_network(text: str) -> bool:
    """True when ``text`` is written like an address, prefix or range (not like a name)."""
    s = text.strip()
    if ":" in s:
        return _IPV6_LIKE.fullmatch(s) is not None
    head = s.split("/", 1)[0].split("-", 1)[0].strip()
    return bool(head) and all(part.isdigit() for part in head.split(".")) and head.count(".") >= 2


def parse_network(text: str, *, warn_documentation: bool = False) -> Parsed:
    """Read one prefix, address or range; raise ``Refused`` with the reason when it is wrong."""
    value = text.strip()
    if "%" in value:
        raise refuse("zone_index", value=value)
    if (m := _RANGE.fullmatch(value)) is not None:
        return _parse_range(value, m.group(1), m.group(2), warn_documentation)

    addr_text, slash, suffix = value.partition("/")
    address = _address(addr_text, value)
    warnings: list[Notice] = []
    maximum = address.max_prefixlen
    netmask_used = False
    if not slash:
        length = maximum
    elif _DIGITS.fullmatch(suffix):
        length = int(suffix)
        if length > maximum:
            raise refuse(
                "prefix_length_out_of_range", length=length, version=address.version, maximum=maximum
            )
    elif address.version == 4 and "." in suffix:
        length = _netmask_length(suffix, value)
        netmask_used = True
    else:
        raise refuse("invalid_network", value=value)

    network = ipaddress.ip_network((address, length), strict=False)
    canonical = str(network)
    if netmask_used:
        warnings.append(notice("netmask_notation", value=value, normalised=canonical))
    if slash and network.network_address != address:
        warnings.append(notice("host_bits_set", value=value, normalised=canonical))
    if isinstance(network, IPv6Network) and network.network_address.ipv4_mapped is not None:
        network = _unmap(network, value)
        warnings.append(notice("ipv4_mapped", value=value, normalised=str(network)))
    if network.prefixlen == 0:
        raise refuse("whole_internet", value=value, version=network.version)
    warnings.extend(_special_warnings(network, warn_documentation))
    return Parsed(Kind.NETWORK, (str(network),), tuple(warnings))


def parse_range_with_length(start: str, end: str, length: str, *, warn_documentation: bool = False) -> Parsed:
    """A block-list row giving start, end and prefix length (DShield): all three must agree."""
    shown = f"{start} - {end} /{length}"
    first, last = _address(start.strip(), shown), _address(end.strip(), shown)
    if first.version != last.version or not _DIGITS.fullmatch(length.strip()):
        raise refuse("range_length_mismatch", value=shown)
    networks = list(ipaddress.summarize_address_range(first, last)) if first <= last else []
    if len(networks) != 1 or networks[0].prefixlen != int(length):
        raise refuse("range_length_mismatch", value=shown)
    network = networks[0]
    if network.prefixlen == 0:
        raise refuse("whole_internet", value=shown, version=network.version)
    return Parsed(Kind.NETWORK, (str(network),), _special_warnings(network, warn_documentation))


def _parse_range(value: str, start: str, end: str, warn_documentation: bool) -> Parsed:
    first, last = _address(start, value), _address(end, value)
    if first.version != last.version:
        raise refuse("range_mixed_versions", value=value)
    if first > last:
        raise refuse("range_reversed", value=value)
    # summarize_address_range yields at most two prefixes per bit: never enumerates addresses.
    networks = list(ipaddress.summarize_address_range(first, last))  # type: ignore[arg-type]
    if networks[0].prefixlen == 0:
        raise refuse("whole_internet", value=value, version=first.version)
    shown = ", ".join(str(n) for n in networks)
    if len(networks) == 1:
        warnings = [notice("range_converted", value=value, normalised=shown)]
    else:
        warnings = [notice("range_split", value=value, normalised=shown, count=len(networks))]
    for network in networks:
        for w in _special_warnings(network, warn_documentation):
            if w not in warnings:
                warnings.append(w)
    return Parsed(Kind.NETWORK, tuple(str(n) for n in networks), tuple(warnings))


def _address(text: str, whole: str) -> Address:
    if ":" in text:
        try:
            return IPv6Address(text)
        except ValueError:
            raise refuse("invalid_network", value=whole) from None
    octets = text.split(".")
    if len(octets) != 4 or not all(_DIGITS.fullmatch(o) for o in octets):
        raise refuse("invalid_network", value=whole)
    if any(len(o) > 1 and o[0] == "0" for o in octets):
        raise refuse("leading_zero_octet", value=whole)
    if any(int(o) > 255 for o in octets):
        raise refuse("octet_out_of_range", value=whole)
    return IPv4Address(text)


def _netmask_length(mask_text: str, whole: str) -> int:
    mask = int(_address(mask_text, whole))
    inverted = mask ^ 0xFFFFFFFF
    if inverted & (inverted + 1) == 0:  # ones then zeros: a netmask
        return 32 - inverted.bit_length()
    if mask & (mask + 1) == 0:  # zeros then ones: a host mask, which ipaddress reads silently
        raise refuse("hostmask_notation", value=whole, length=32 - mask.bit_length())
    raise refuse("noncontiguous_netmask", value=whole)


def _unmap(network: IPv6Network, value: str) -> IPv4Network:
    if network.prefixlen < 96:
        raise refuse("mapped_prefix_too_short", value=value)
    mapped = network.network_address.ipv4_mapped
    assert mapped is not None
    return IPv4Network((mapped, network.prefixlen - 96))


def _special_warnings(network: Network, warn_documentation: bool) -> tuple[Notice, ...]:
    canonical = str(network)
    warnings = []
    special = [name for block, name in _SPECIAL if block.version == network.version and block.overlaps(network)]  # type: ignore[arg-type]
    if special:
        names = ", ".join(dict.fromkeys(special))
        warnings.append(notice("special_purpose_range", normalised=canonical, names=names))
    if warn_documentation:
        doc = [name for block, name in _DOCUMENTATION if block.version == network.version and block.overlaps(network)]  # type: ignore[arg-type]
        if doc:
            warnings.append(notice("documentation_range", normalised=canonical, names=", ".join(doc)))
    if network.prefixlen < _VERY_LARGE[network.version]:
        warnings.append(notice("very_large_prefix", normalised=canonical))
    return tuple(warnings)
