"""What an upload of network data (netwerkgegevens) turns into."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from incidents.domain.errors import Notice


class Kind(StrEnum):
    NETWORK = "network"  # an IPv4 or IPv6 prefix; a single address is a /32 or /128
    ASN = "asn"  # an AS number, stored as "AS64500"
    DOMAIN = "domain"  # a domain name as A-labels, or "*.name" for a wildcard


class Status(StrEnum):
    ACCEPTED = "accepted"
    NORMALISED = "normalised"  # accepted, with at least one warning the person must see
    REFUSED = "refused"


@dataclass(frozen=True)
class Parsed:
    """One value read by a kind's parser: the canonical values and how we read them."""

    kind: Kind
    values: tuple[str, ...]
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class EntryOutcome:
    """The outcome of one entry of an upload.

    ``line`` is the line in a text or CSV file, or the 1-based position in a JSON list.
    ``values`` holds the canonical values to register (a range may give several prefixes);
    it is empty when the entry is refused. ``notes`` never change the outcome: they point at
    duplicates and overlaps inside the same upload.
    """

    line: int
    input: str
    status: Status
    kind: Kind | None = None
    values: tuple[str, ...] = ()
    warnings: tuple[Notice, ...] = ()
    refusal: Notice | None = None
    notes: tuple[Notice, ...] = ()
    comment: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Warning codes, or the refusal code: what a test or a client keys on."""
        if self.refusal is not None:
            return (self.refusal.code,)
        return tuple(w.code for w in self.warnings)


@dataclass(frozen=True)
class Registration:
    """One registered value of an organisation: what the matcher works from."""

    kind: Kind
    value: str


@dataclass(frozen=True)
class UploadResult:
    format: str  # "text", "csv", "json"
    outcomes: tuple[EntryOutcome, ...]
    problems: tuple[Notice, ...] = field(default=())  # about the file as a whole
    header: tuple[str, ...] = ()  # a CSV header row as read (lower case), empty when there was none

    def registrations(self) -> frozenset[Registration]:
        """The distinct values to register: everything not refused."""
        return frozenset(
            Registration(o.kind, v)
            for o in self.outcomes
            if o.status is not Status.REFUSED and o.kind is not None
            for v in o.values
        )
