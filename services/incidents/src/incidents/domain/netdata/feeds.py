"""Reading a feed that the CSIRT runs against the registered networks.

A feed is a Shadowserver-style CSV, mapped by header name (``timestamp``, ``ip``, ``port``,
``asn``, ``hostname``/``domain``...; other columns are kept as extra data), or a plain list
of addresses, one per line. The matcher only looks at the address, AS number and host name
columns of each row and keeps only row numbers; the rows themselves are read again in a
second pass (``FeedReader.rows_by_number``) when the evidence for an organisation is put
together, and typed only then (``FeedLayout.record``). So memory does not grow with the width
of the feed, and the evidence is exactly what the source said.

Times in such feeds are UTC written without an offset: they are read as UTC.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

_ALIASES = {
    "timestamp": ("timestamp", "time", "date", "datetime", "first_seen"),
    "ip": ("ip", "src_ip", "source_ip", "ip_address", "address", "addr", "cidr"),
    "port": ("port", "src_port", "source_port"),
    "protocol": ("protocol", "transport"),
    "asn": ("asn", "src_asn", "as"),
    "hostname": ("hostname", "domain", "host", "fqdn", "src_hostname"),
}
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class FeedRecord:
    """The typed view of one feed row."""

    ip: str | None
    timestamp: datetime | None
    port: int | None
    protocol: str | None
    asn: int | None
    hostname: str | None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedLayout:
    """Which column holds what; ``None`` when the feed has no such column."""

    columns: tuple[str, ...]
    delimiter: str = ","
    ip: int | None = None
    timestamp: int | None = None
    port: int | None = None
    protocol: int | None = None
    asn: int | None = None
    hostname: int | None = None

    def record(self, row: list[str]) -> FeedRecord:
        """Read one row into typed fields."""
        cell = lambda i: (row[i].strip() or None) if i is not None and i < len(row) else None  # noqa: E731
        known = {self.ip, self.timestamp, self.port, self.protocol, self.asn, self.hostname}
        extra = {name: row[i] for i, name in enumerate(self.columns) if i not in known and i < len(row)}
        return FeedRecord(
            ip=cell(self.ip),
            timestamp=parse_feed_time(cell(self.timestamp)),
            port=int(p) if (p := cell(self.port)) and p.isdigit() else None,
            protocol=cell(self.protocol),
            asn=parse_feed_asn(cell(self.asn)),
            hostname=cell(self.hostname),
            extra=extra,
        )


def parse_feed_time(text: str | None) -> datetime | None:
    """A feed time; one without an offset is UTC (Shadowserver and most feeds write UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_feed_asn(text: str | None) -> int | None:
    if not text:
        return None
    digits = text.strip().upper().removeprefix("AS")
    return int(digits) if digits.isdigit() else None


class FeedReader:
    """Rows of a feed as lists of strings, straight from ``csv.reader``.

    ``lines`` is any iterable of lines with their endings (an open file with ``newline=""``,
    or a list). Blank lines come through as empty rows, which readers skip; ``row_number``
    counts the non-empty data rows, the same way in every pass over the same feed.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._consumed = 0
        first = self._first_line()
        self.layout, header = _layout(first)
        if header or first is None:
            source: Iterator[str] = self._lines
        else:  # a plain list: the first line is data, comment lines are blanked
            self._consumed -= 1
            source = _uncommented(_chain([first], self._lines))
        self._reader = csv.reader(source, delimiter=self.layout.delimiter)

    @property
    def line_number(self) -> int:
        """The physical line (1-based) where the row last read ends."""
        return self._consumed + self._reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self._reader

    def rows_by_number(self, wanted: set[int]) -> dict[int, list[str]]:
        """A second pass: the rows whose number (see ``Finding.rows``) is in ``wanted``."""
        found: dict[int, list[str]] = {}
        number = 0
        try:
            for row in self._reader:
                if row:
                    number += 1
                    if number in wanted:
                        found[number] = row
        except csv.Error as exc:
            raise self.unreadable(exc) from None
        return found

    def unreadable(self, exc: csv.Error) -> FeedUnreadable:
        """``csv.Error`` (a field over csv's 128 KiB limit, a stray NUL) as a refusal with a place."""
        return FeedUnreadable(f"line {self.line_number}: {exc}")

    def _first_line(self) -> str | None:
        for line in self._lines:
            self._consumed += 1
            if line.strip() and not line.startswith("#"):
                return line.lstrip("\ufeff")
        return None


class FeedUnreadable(ValueError):
    """The feed cannot be read as CSV; the message says where and why."""


def _uncommented(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield "\n" if line.startswith("#") else line


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _layout(first: str | None) -> tuple[FeedLayout, bool]:
    if first is None:
        return FeedLayout(columns=("ip",), ip=0), False
    delimiter = max(_DELIMITERS, key=first.count)
    try:
        cells = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:
        raise FeedUnreadable(f"first line: {exc}") from None
    is_header = any(c in _ALIASES["ip"] or c in _ALIASES["hostname"] for c in cells)
    if not is_header:  # a plain list of addresses, one per line
        return FeedLayout(columns=("ip",), delimiter=delimiter, ip=0), False
    found = {}
    for role, aliases in _ALIASES.items():
        found[role] = next((cells.index(a) for a in aliases if a in cells), None)
    return FeedLayout(columns=tuple(cells), delimiter=delimiter, **found), True
