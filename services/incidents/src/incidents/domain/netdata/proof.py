"""Proof that an organisation owns what it registered.

A domain is proven by a DNS TXT record that only its owner can publish: the portal gives a
token, the organisation publishes ``<label>.<domain> TXT "weerbaar-verification=<token>"``,
and the portal looks it up. A wildcard ``*.example.nl`` is proven at ``example.nl``. A prefix
or AS number is proven by a CSIRT analyst's approval (checks against RIPE data may come later).
"""
from __future__ import annotations

from dataclasses import dataclass

from incidents.domain.errors import Notice

from .models import Kind

PREFIX = "weerbaar-verification="


class ProofMethod:
    DNS_TXT = "dns_txt"
    ANALYST_APPROVAL = "analyst_approval"


def method_for(kind: Kind) -> str:
    return ProofMethod.DNS_TXT if kind is Kind.DOMAIN else ProofMethod.ANALYST_APPROVAL


def challenge_name(domain: str, label: str) -> str:
    """Where the TXT record is looked for: under the domain, or under a wildcard's parent."""
    return f"{label}.{domain.removeprefix('*.').rstrip('.')}"


def challenge_value(token: str) -> str:
    return PREFIX + token


@dataclass(frozen=True)
class TxtCheck:
    proven: bool
    reason: Notice | None = None


def check_txt(records: list[str] | None, token: str, name: str) -> TxtCheck:
    """Whether the TXT records found at ``name`` (None: the name does not exist) prove ``token``."""
    if records is None or not records:
        return TxtCheck(False, Notice(
            "value", "txt_record_missing",
            f"Er staat geen TXT-record op {name}. Publiceer het record en probeer het over een paar "
            "minuten opnieuw (DNS kan even nodig hebben).",
            f"There is no TXT record at {name}. Publish the record and try again in a few minutes "
            "(DNS may take a while)."))
    if challenge_value(token) in (r.strip() for r in records):
        return TxtCheck(True)
    ours = [r for r in records if r.strip().startswith(PREFIX)]
    detail_nl = " Er staat wel een Weerbaar-token, maar een ander." if ours else ""
    detail_en = " There is a Weerbaar token, but a different one." if ours else ""
    return TxtCheck(False, Notice(
        "value", "txt_record_mismatch",
        f"Het TXT-record op {name} bevat niet de waarde die het portaal gaf.{detail_nl} "
        f"Zet er precies '{challenge_value(token)}' in.",
        f"The TXT record at {name} does not hold the value the portal gave.{detail_en} "
        f"Put exactly '{challenge_value(token)}' in it."))
