"""Matching feed rows to the organisations whose network data they concern.

Rules, in order, for each row:
1. by address: the organisation(s) owning the longest registered prefix that contains the
   address (IPv4-mapped IPv6 addresses count as IPv4). The same prefix registered by two
   organisations goes to both. The outcome never depends on the order of registration.
2. else by AS number (the row's ``asn`` column);
3. else by host name: the most specific registered domain that equals the host name or is a
   parent of it; a wildcard ``*.example.nl`` matches names below example.nl only.
A CIDR in the address column goes to every registration it intersects: the owner of the
longest prefix covering it, and the owners of registered prefixes inside it, whose findings
are marked ``partial`` so that a person reviews them before anything is sent. A CIDR that
intersects nothing falls through to rules 2 and 3. An address that cannot be read puts its
row on the review list and matches nothing. Rows that match nobody are counted.

Rows of the same address (or CIDR, or, without an address, host name) that go to the same
organisation by the same registration make one finding: one address on three ports with two
ASNs is one finding for the owner of the address.

Speed: one trie lookup per distinct address, rows kept as row numbers (the evidence is read
in a second pass, ``FeedReader.rows_by_number``), typed records only built on request
(``FeedLayout.record``), and the cyclic garbage collector paused while
millions of long-lived containers are made (it would rescan them again and again for
nothing: they hold no cycles).
"""

from __future__ import annotations

import bisect
import csv
import gc
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import pytricia

from incidents.domain.errors import Notice

from .feeds import FeedLayout, FeedReader, parse_feed_asn
from .messages import notice
from .models import Kind


class MatchedBy(StrEnum):
    NETWORK = "network"
    ASN = "asn"
    DOMAIN = "domain"


@dataclass(slots=True)
class Finding:
    organisation_id: str
    subject: str  # the address in RFC 5952 / dotted form, the CIDR, or the host name
    matched_by: MatchedBy
    registration: str  # the registered value that matched: "198.51.100.0/24", "AS64500"...
    rows: list[int]  # numbers of the feed's data rows (1-based); FeedReader.rows_by_number reads them
    partial: bool = False  # a CIDR that only partly lies in the registration: review first


@dataclass(frozen=True)
class ReviewItem:
    line: int
    value: str
    reason: Notice


@dataclass
class MatchResult:
    layout: FeedLayout
    findings: dict[str, list[Finding]]  # organisation id -> findings, sorted by subject
    rows_total: int
    rows_matched: int
    rows_unmatched: int
    review: list[ReviewItem]


Owners = tuple[str, ...]


class Register:
    """The registered network data of all organisations, ready for lookups."""

    def __init__(self, registrations: Iterable[tuple[str, str | Kind, str]]) -> None:
        networks: dict[str, set[str]] = {}
        asns: dict[int, set[str]] = {}
        names: dict[str, set[str]] = {}
        wildcards: dict[str, set[str]] = {}
        for organisation_id, kind, value in registrations:
            kind = Kind(kind)
            if kind is Kind.NETWORK:
                networks.setdefault(_canonical_prefix(value), set()).add(organisation_id)
            elif kind is Kind.ASN:
                number = parse_feed_asn(value)
                if number is None:
                    raise ValueError(f"not an AS number: {value!r}")
                asns.setdefault(number, set()).add(organisation_id)
            else:
                name = value.strip().lower().rstrip(".")
                table = wildcards if name.startswith("*.") else names
                table.setdefault(name.removeprefix("*."), set()).add(organisation_id)
        # Values hold (prefix, owners) so one lookup gives both; owners sorted: no order effects.
        self.networks = pytricia.PyTricia(128)
        for prefix, owners in networks.items():
            self.networks[prefix] = (prefix, tuple(sorted(owners)))
        self.asns = {str(n): tuple(sorted(o)) for n, o in asns.items()}
        self.names = {n: tuple(sorted(o)) for n, o in names.items()}
        self.wildcards = {n: tuple(sorted(o)) for n, o in wildcards.items()}
        self._starts: dict[int, list[tuple[int, int, str]]] | None = None

    def owners_of_address(self, address: str) -> tuple[str, Owners] | None:
        """(matching prefix, owners) for an address, or None; raises ValueError if unreadable."""
        hit = self.networks.get(address)
        if hit is None and ":" in address and "." in address:
            mapped = ipaddress.IPv6Address(address).ipv4_mapped
            if mapped is not None:
                hit = self.networks.get(str(mapped))
        return hit

    def owners_of_asn(self, text: str) -> tuple[str, Owners] | None:
        owners = self.asns.get(text)
        if owners is None:
            number = parse_feed_asn(text)
            owners = self.asns.get(str(number)) if number is not None else None
        return None if owners is None else (f"AS{parse_feed_asn(text)}", owners)

    def owners_of_hostname(self, hostname: str) -> tuple[str, Owners] | None:
        labels = hostname.strip().lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            suffix = ".".join(labels[i:])
            exact = self.names.get(suffix)
            wild = self.wildcards.get(suffix) if i > 0 else None
            if exact and wild:
                return suffix, tuple(sorted(set(exact) | set(wild)))
            if exact:
                return suffix, exact
            if wild:
                return f"*.{suffix}", wild
        return None

    def owners_within(self, network: str) -> list[tuple[str, Owners]]:
        """Registrations strictly inside a CIDR (for rows that name a whole network)."""
        outer = ipaddress.ip_network(network)
        if self._starts is None:  # built on the first CIDR row only: most feeds have none
            self._starts = {4: [], 6: []}
            for prefix in self.networks:
                net = ipaddress.ip_network(prefix)
                self._starts[net.version].append((int(net.network_address), net.prefixlen, prefix))
            for starts in self._starts.values():
                starts.sort()
        starts = self._starts[outer.version]
        low = bisect.bisect_left(starts, (int(outer.network_address), outer.prefixlen + 1, ""))
        high = bisect.bisect_right(starts, (int(outer.broadcast_address), 256, ""))
        # Prefixes nest or are disjoint: one starting inside the CIDR and longer lies within it.
        return [self.networks[prefix] for _, length, prefix in starts[low:high] if length > outer.prefixlen]


def match_feed(feed: FeedReader, register: Register) -> MatchResult:
    layout = feed.layout
    if layout.ip is None and layout.asn is None and layout.hostname is None:
        raise ValueError("feed has no ip, asn or hostname column")
    ip_col = layout.ip if layout.ip is not None else 1 << 30  # a column no row has
    by_address: dict[str, list] = {}  # raw address -> [(prefix, owners), row number, ...]
    no_prefix: set[str] = set()  # addresses known to lie in no registered prefix
    other: dict[tuple[str, MatchedBy, str, str, bool], list[int]] = {}
    review: list[ReviewItem] = []
    total = unmatched = 0
    get = register.networks.get
    groups_get = by_address.get

    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for row in feed:
            if not row:
                continue  # a blank line
            total += 1
            try:
                address = row[ip_col]
            except IndexError:
                address = ""
            group = groups_get(address)
            if group is not None:
                group.append(total)
                continue
            # First sight of this address (or a repeat of one outside every prefix).
            if address and address not in no_prefix:
                hit = None
                if "/" in address or ":" in address and "." in address:
                    outcome = _match_special(address, total, register, feed, other, review)
                    if outcome is not False:
                        continue  # matched, or unreadable and on the review list
                else:
                    try:
                        hit = get(address)
                    except ValueError:
                        stripped = address.strip()
                        if stripped == address or not stripped:
                            review.append(_unreadable(feed, address))
                            continue
                        try:
                            hit = get(stripped)
                        except ValueError:
                            review.append(_unreadable(feed, address))
                            continue
                if hit is not None:
                    by_address[address] = [hit, total]
                    continue
                no_prefix.add(address)
            if not _match_fallback(row, address, total, register, layout, other):
                unmatched += 1
        findings = _findings(by_address, other)
    except csv.Error as exc:
        raise feed.unreadable(exc) from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return MatchResult(layout, findings, total, total - unmatched - len(review), unmatched, review)


def _unreadable(feed: FeedReader, address: str) -> ReviewItem:
    return ReviewItem(feed.line_number, address, notice("invalid_network", field="ip", value=address))


def _match_special(address, number, register, feed, other, review) -> bool | None:
    """CIDRs and IPv4-mapped addresses; True matched, False no prefix, None unreadable."""
    try:
        network = ipaddress.ip_network(address.strip(), strict=False)
    except ValueError:
        review.append(_unreadable(feed, address))
        return None
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped is not None:
        if network.prefixlen < 96:
            review.append(_unreadable(feed, address))
            return None
        network = ipaddress.IPv4Network((network.network_address.ipv4_mapped, network.prefixlen - 96))
    subject = str(network) if "/" in address else str(network.network_address)
    key = str(network)
    hits: list[tuple[tuple[str, Owners], bool]] = []
    covering = register.networks.get(key)
    if covering is not None:
        hits.append((covering, False))
    hits.extend((inner, True) for inner in register.owners_within(key) if inner[0] != key)
    for (prefix, owners), partial in hits:
        for organisation_id in owners:
            other.setdefault((organisation_id, MatchedBy.NETWORK, prefix, subject, partial), []).append(number)
    return bool(hits)


def _match_fallback(row, address, number, register, layout, other) -> bool:
    hit, how = None, None
    if layout.asn is not None and layout.asn < len(row) and row[layout.asn].strip():
        hit, how = register.owners_of_asn(row[layout.asn].strip()), MatchedBy.ASN
    hostname = row[layout.hostname].strip() if layout.hostname is not None and layout.hostname < len(row) else ""
    if hit is None and hostname:
        hit, how = register.owners_of_hostname(hostname), MatchedBy.DOMAIN
    if hit is None:
        return False
    registration, owners = hit
    subject = _canonical_address(address.strip()) if address.strip() else hostname.lower().rstrip(".")
    for organisation_id in owners:
        other.setdefault((organisation_id, how, registration, subject, False), []).append(number)
    return True


def _findings(by_address: dict[str, list], other: dict) -> dict[str, list[Finding]]:
    result: dict[str, list[Finding]] = {}
    respelled: dict[tuple[str, str, str], Finding] = {}  # IPv6 spellings that are not canonical
    network = MatchedBy.NETWORK
    for address, group in by_address.items():
        prefix, owners = group[0]
        rows = group[1:]
        subject = address
        if ":" in address or address != address.strip():
            subject = _canonical_ipv6(address.strip()) if ":" in address else address.strip()
        for organisation_id in owners:
            if subject != address:
                # Merge "2001:DB8::1" with "2001:db8::1": one address, one finding.
                finding = respelled.get((organisation_id, prefix, subject))
                if finding is not None:
                    finding.rows.extend(rows)
                    continue
            finding = Finding(organisation_id, subject, network, prefix, rows if len(owners) == 1 else list(rows))
            if subject != address:
                respelled[(organisation_id, prefix, subject)] = finding
            result.setdefault(organisation_id, []).append(finding)
    # Rows of mapped addresses or CIDRs (matched on the slow path) may belong to a finding
    # made above; only those keys are looked for, the rest cannot collide.
    wanted = {key for key in other if key[1] is network and not key[4]}
    index = {}
    if wanted:
        index = {key: f for findings in result.values() for f in findings
                 if (key := (f.organisation_id, f.matched_by, f.registration, f.subject, f.partial)) in wanted}
    for key, rows in other.items():
        finding = index.get(key)
        if finding is None:
            organisation_id, how, registration, subject, partial = key
            finding = index[key] = Finding(organisation_id, subject, how, registration, rows, partial)
            result.setdefault(organisation_id, []).append(finding)
        else:
            finding.rows.extend(rows)
    for findings in result.values():
        findings.sort(key=_order)
        for finding in findings:
            if len(finding.rows) > 1:
                finding.rows.sort()
    return result


def _order(finding: Finding) -> tuple[str, str, str]:
    return (finding.subject, finding.matched_by, finding.registration)


def _canonical_address(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def _canonical_ipv6(address: str) -> str:
    # inet_ntop gives the RFC 5952 form in C, far faster than ipaddress; forms with an
    # embedded IPv4 part are left to ipaddress so that they read like everywhere else.
    try:
        text = socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, address))
    except OSError:
        return _canonical_address(address)
    return _canonical_address(address) if "." in text else text


def _canonical_prefix(value: str) -> str:
    network = ipaddress.ip_network(value.strip(), strict=True)
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped is not None:
        network = ipaddress.IPv4Network((network.network_address.ipv4_mapped, max(network.prefixlen - 96, 0)))
    return str(network)
