"""Reading domain names, per label, with IDNA2008 and UTS 46 (the ``idna`` package).

Python's built-in ``idna`` codec implements IDNA2003: it turns ``faß.example`` into
``fass.example`` (someone else's domain) and, applied to a whole name, fails on names longer
than 63 octets. It is never used here. Names are stored as lower-case A-labels without the
root dot; a wildcard ``*.example.nl`` is stored as written and matches names *below*
example.nl (a plain registration of example.nl already covers its subdomains when matching).
"""

from __future__ import annotations

import re
import urllib.parse

import idna

from .messages import notice, refuse
from .models import Kind, Parsed
from .networks import looks_like_network

_DEVIATIONS = frozenset("ßς\u200c\u200d")  # read differently by IDNA2003 and IDNA2008
_FORBIDDEN = re.compile(r"[\s/\\:;,@!\"'<>()\[\]{}|?#%]")
_DOCUMENTATION = ("example", "example.com", "example.net", "example.org", "test", "invalid", "localhost")


def parse_domain(text: str, *, warn_documentation: bool = False) -> Parsed:
    value = text.strip()
    if "://" in value:
        host = urllib.parse.urlsplit(value).hostname or ""
        raise refuse("url_not_domain", value=value, suggestion=host)
    if looks_like_network(value):
        raise refuse("address_in_domain_list", value=value)
    if "@" in value:
        raise refuse("email_not_domain", value=value, suggestion=value.rpartition("@")[2])
    if (bad := _FORBIDDEN.search(value)) is not None:
        raise refuse("invalid_character", value=value, character=bad.group())

    name = value[:-1] if value.endswith(".") else value  # the root dot names the same domain
    labels = name.split(".")
    if any(not label for label in labels):
        raise refuse("empty_label", value=value, suggestion=".".join(x for x in labels if x))
    wildcard = labels[0] == "*"
    if wildcard:
        labels = labels[1:]
    if any("*" in label for label in labels):
        raise refuse("wildcard_not_leftmost", value=value)
    if len(labels) < 2:
        raise refuse("wildcard_too_broad" if wildcard else "single_label", value=value)
    if labels[-1].isdigit():
        raise refuse("numeric_tld", value=value)

    a_labels = []
    warnings = []
    for label in labels:
        a_label, mapped, deviation = _a_label(label, value)
        a_labels.append(a_label)
        warnings.extend(w for w in (mapped, deviation) if w and w not in warnings)
    ascii_name = ".".join(a_labels)
    if len(ascii_name) > 253:
        raise refuse("name_too_long", value=value, length=len(ascii_name))
    stored = f"*.{ascii_name}" if wildcard else ascii_name

    notices = []
    if "mapped" in warnings:
        notices.append(notice("uts46_mapped", value=value, normalised=stored))
    if "deviation" in warnings:
        notices.append(notice("idna_deviation", value=value, normalised=stored))
    if warn_documentation and any(ascii_name == d or ascii_name.endswith("." + d) for d in _DOCUMENTATION):
        notices.append(notice("documentation_range", normalised=stored, names="RFC 2606"))
    return Parsed(Kind.DOMAIN, (stored,), tuple(notices))


def _a_label(label: str, whole: str) -> tuple[str, str | None, str | None]:
    """One label as an A-label, plus whether UTS 46 mapped it and whether it has a deviation."""
    if "_" in label:
        # Valid in DNS (_dmarc, _sip._tcp) but never a host name, so no feed will carry it.
        raise refuse("not_a_hostname", value=whole)
    if label.isascii() and len(label) > 63:
        raise refuse("label_too_long", value=whole, length=len(label))
    try:
        remapped = idna.uts46_remap(label, std3_rules=True, transitional=False)
        a_label = idna.alabel(remapped).decode("ascii")
        if a_label.startswith("xn--"):
            # An A-label as input must decode to a valid U-label that encodes back to it.
            if idna.alabel(idna.ulabel(a_label)).decode("ascii") != a_label:
                raise idna.IDNAError("A-label does not round-trip")
    except idna.IDNAError as exc:
        if "too long" in str(exc).lower():
            raise refuse("label_too_long", value=whole, length=len(label.encode("utf-8"))) from None
        raise refuse("invalid_idna", value=whole, label=label, reason=str(exc)) from None
    if len(a_label) > 63:
        raise refuse("label_too_long", value=whole, length=len(a_label))
    mapped = "mapped" if remapped != label.lower() else None
    deviation = "deviation" if _DEVIATIONS & set(remapped) else None
    return a_label.lower(), mapped, deviation
