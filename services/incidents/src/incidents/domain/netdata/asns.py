"""Reading AS numbers: ``AS64500``, ``64500`` and asdot ``1.10`` (= AS65546).

Policy, following the IANA special-purpose AS number registry:
- refused: 0 (RFC 7607), 23456 (AS_TRANS), 65535 and 4294967295 (last of each range),
  65552-131071 (IANA reserved), and the private ranges 64512-65534 and
  4200000000-4294967294: a private number is not unique, so it cannot point at one
  organisation;
- documentation numbers 64496-64511 and 65536-65551 are accepted, like documentation IP
  blocks, because the project's test data and demo use them; with ``warn_documentation``
  they get a warning.
"""

from __future__ import annotations

import re

from .messages import notice, refuse
from .models import Kind, Parsed

_PLAIN = re.compile(r"(?i)(?:AS\s?)?([0-9]+)")
_ASDOT = re.compile(r"(?i)(?:AS\s?)?([0-9]+)\.([0-9]+)")
_MAX = 0xFFFFFFFF

_RESERVED: tuple[tuple[int, int, str], ...] = (
    (0, 0, "RFC 7607"),
    (23456, 23456, "AS_TRANS, RFC 6793"),
    (65535, 65535, "RFC 7300"),
    (65552, 131071, "IANA reserved"),
    (_MAX, _MAX, "RFC 7300"),
)
_PRIVATE = ((64512, 65534), (4200000000, 4294967294))
_DOCUMENTATION = ((64496, 64511), (65536, 65551))


def looks_like_asn(text: str) -> bool:
    s = text.strip()
    return bool(_PLAIN.fullmatch(s) or _ASDOT.fullmatch(s))


def parse_asn(text: str, *, warn_documentation: bool = False) -> Parsed:
    value = text.strip()
    warnings = []
    if m := _PLAIN.fullmatch(value):
        digits = m.group(1)
        if len(digits) > 1 and digits[0] == "0":
            raise refuse("invalid_asn", value=value)
        asn = int(digits)
    elif m := _ASDOT.fullmatch(value):
        high, low = m.group(1), m.group(2)
        if any(len(p) > 1 and p[0] == "0" for p in (high, low)) or int(high) > 0xFFFF or int(low) > 0xFFFF:
            raise refuse("invalid_asn", value=value)
        asn = int(high) * 65536 + int(low)
        warnings.append(notice("asdot_notation", value=value, normalised=f"AS{asn}"))
    else:
        raise refuse("invalid_asn", value=value)

    if asn > _MAX:
        raise refuse("asn_out_of_range", value=value)
    for low, high, why in _RESERVED:
        if low <= asn <= high:
            raise refuse("asn_reserved", asn=asn, why=why)
    if any(low <= asn <= high for low, high in _PRIVATE):
        raise refuse("asn_private", asn=asn)
    if warn_documentation and any(low <= asn <= high for low, high in _DOCUMENTATION):
        warnings.append(notice("documentation_range", normalised=f"AS{asn}", names="RFC 5398"))
    return Parsed(Kind.ASN, (f"AS{asn}",), tuple(warnings))
