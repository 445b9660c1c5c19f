"""Reading an upload of network data (netwerkgegevens) from a beheerder netwerkgegevens.

An upload is plain text (one entry per line, ``#`` and ``;`` comments, as block lists such
as Spamhaus DROP are written), CSV in any common dialect (Excel writes a BOM, ``;`` and
CRLF) or JSON (a list of strings or of objects). Every entry gets an outcome of its own;
nothing is dropped or reinterpreted without a warning, and blank and comment lines are the
only lines that get no outcome.

Format detection, in order:
1. JSON when the first character that is not white space is ``[`` or ``{``;
2. text when, after removing comment lines and trailing comments (white space, then ``;``
   or ``#``), every line holds one field;
3. CSV when a delimiter (tab, ``;``, ``,``, ``|``) splits every line into the same number
   (two or more) of fields, respecting quotes;
4. text otherwise.
A CSV header row is recognised by a known column name in it (``type``/``value``/...,
Dutch names too); without one, the value column is the first that holds a valid entry.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

import pytricia

from incidents.domain.errors import Notice

from .asns import looks_like_asn, parse_asn
from .domains import parse_domain
from .messages import Refused, notice
from .models import EntryOutcome, Kind, Parsed, Status, UploadResult
from .networks import looks_like_network, parse_network, parse_range_with_length

_TRAILING_COMMENT = re.compile(r"\s+[;#].*$")
_COMMENT_START = ("#", ";")
_DELIMITERS = ("\t", ";", ",", "|")
# The longest line a text or CSV upload may have: an entry with its comment fits many times
# over, and it stays far below the csv module's own field limit (128 KiB).
MAX_LINE_CHARS = 4096

# Column names, English and Dutch, lower case.
_VALUE_COLUMNS = ("value", "waarde", "entry", "prefix", "network", "netwerk", "cidr", "asn", "domain", "domein")
_TYPE_COLUMNS = ("type", "kind", "soort")
_COMMENT_COLUMNS = ("comment", "comments", "opmerking", "description", "omschrijving", "name", "naam")
_START_COLUMNS = ("start", "begin", "first")
_END_COLUMNS = ("end", "einde", "last")
_LENGTH_COLUMNS = ("netblock", "prefixlen", "prefix_length", "length", "lengte")
_HEADER_NAMES = frozenset(_VALUE_COLUMNS + _TYPE_COLUMNS + _COMMENT_COLUMNS + _START_COLUMNS + _END_COLUMNS + _LENGTH_COLUMNS)
# What a type column or a JSON key may say, and the kind it means.
_TYPE_VALUES = {
    "cidr": Kind.NETWORK, "ip": Kind.NETWORK, "prefix": Kind.NETWORK, "network": Kind.NETWORK,
    "netwerk": Kind.NETWORK, "range": Kind.NETWORK, "ipv4": Kind.NETWORK, "ipv6": Kind.NETWORK,
    "asn": Kind.ASN, "as": Kind.ASN,
    "domain": Kind.DOMAIN, "domein": Kind.DOMAIN, "fqdn": Kind.DOMAIN, "hostname": Kind.DOMAIN,
}
_KIND_NAMES = {
    Kind.NETWORK: ("IP-adres, prefix of bereik", "IP address, prefix or range"),
    Kind.ASN: ("AS-nummer", "AS number"),
    Kind.DOMAIN: ("domeinnaam", "domain name"),
}


def parse_entry(text: str, *, kind: Kind | None = None, warn_documentation: bool = False) -> Parsed:
    """Read one value; ``kind`` None reads the kind from the value's form.

    Raises ``Refused`` with the reason when the value cannot be registered.
    """
    value = text.strip()
    if kind is None:
        kind = Kind.NETWORK if looks_like_network(value) else Kind.ASN if looks_like_asn(value) else Kind.DOMAIN
    elif kind is Kind.NETWORK and not looks_like_network(value):
        nl, en = _KIND_NAMES[kind]
        raise Refused(notice("wrong_kind", value=value, expected_nl=nl, expected_en=en))
    if kind is Kind.NETWORK:
        return parse_network(value, warn_documentation=warn_documentation)
    if kind is Kind.ASN:
        return parse_asn(value, warn_documentation=warn_documentation)
    return parse_domain(value, warn_documentation=warn_documentation)


def parse_upload(data: bytes, *, kind: Kind | None = None, warn_documentation: bool = False) -> UploadResult:
    """Read an uploaded file; ``kind`` is the list it was uploaded as (None: mixed)."""
    text = _decode(data)
    if text is None:
        return UploadResult("text", (), (notice("not_utf8", field="file"),))
    if text.lstrip()[:1] in ("[", "{"):
        fmt, outcomes, problems = "json", *_json_outcomes(text, kind, warn_documentation)
        return UploadResult(fmt, tuple(_with_notes(outcomes)), tuple(problems))
    # JSON may be one long line; text and CSV hold one short entry per line.
    too_long = next((n for n, line in enumerate(text.split("\n"), start=1) if len(line) > MAX_LINE_CHARS), None)
    if too_long is not None:
        return UploadResult("text", (), (notice("line_too_long", field="file", line=too_long, limit=MAX_LINE_CHARS),))
    try:
        delimiter = _sniff_delimiter(text)
        if delimiter is None:
            return UploadResult("text", tuple(_with_notes(list(_text_outcomes(text, kind, warn_documentation)))), ())
        header: list[str] = []
        outcomes = list(_csv_outcomes(text, delimiter, kind, warn_documentation, header))
    except csv.Error as exc:
        # A quote left open can swallow the rest of the file into one field past csv's limit.
        return UploadResult("csv", (), (notice("csv_unreadable", field="file", reason=str(exc)),))
    return UploadResult("csv", tuple(_with_notes(outcomes)), (), tuple(header))


# -- decoding and format detection -------------------------------------------------------


def _decode(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        try:
            text = data.decode("utf-8-sig")  # strips the BOM Excel writes; json.loads fails on it
        except UnicodeDecodeError:
            return None
    # One line ending, so line numbers match what an editor shows.
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _content_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith(_COMMENT_START)]


def _sniff_delimiter(text: str) -> str | None:
    lines = _content_lines(text)[:200]
    if not lines or all(_field_count(_TRAILING_COMMENT.sub("", line), d) == 1 for line in lines for d in _DELIMITERS):
        return None
    for delimiter in _DELIMITERS:
        counts = {_field_count(line, delimiter) for line in lines}
        if len(counts) == 1 and counts.pop() >= 2:
            return delimiter
    return None


def _field_count(line: str, delimiter: str) -> int:
    return len(next(csv.reader([line], delimiter=delimiter)))


# -- the three formats --------------------------------------------------------------------


def _outcome(line: int, raw: str, value: str, kind: Kind | None, warn_doc: bool,
             extra_warnings: tuple[Notice, ...] = (), comment: str | None = None) -> EntryOutcome:
    if not value.strip():
        return EntryOutcome(line, raw, Status.REFUSED, kind, refusal=notice("empty_value"), comment=comment)
    try:
        parsed = parse_entry(value, kind=kind, warn_documentation=warn_doc)
    except Refused as refused:
        return EntryOutcome(line, raw, Status.REFUSED, kind, refusal=refused.reason, comment=comment)
    return _accepted(line, raw, parsed, extra_warnings, comment)


def _accepted(line: int, raw: str, parsed: Parsed, extra_warnings: tuple[Notice, ...] = (),
              comment: str | None = None) -> EntryOutcome:
    warnings = extra_warnings + parsed.warnings
    status = Status.NORMALISED if warnings else Status.ACCEPTED
    return EntryOutcome(line, raw, status, parsed.kind, parsed.values, warnings, comment=comment)


def _text_outcomes(text: str, kind: Kind | None, warn_doc: bool) -> Iterator[EntryOutcome]:
    first = True
    for number, raw in enumerate(text.split("\n"), start=1):
        value = raw.strip()
        if not value or value.startswith(_COMMENT_START):
            continue
        if first and value.lower() in _HEADER_NAMES:
            first = False
            continue
        first = False
        value = _TRAILING_COMMENT.sub("", value)
        warnings: tuple[Notice, ...] = ()
        if value[-1:] in (",", ";"):
            warnings = (notice("trailing_separator", value=value),)
            value = value.rstrip(",;").strip()
        yield _outcome(number, raw, value, kind, warn_doc, warnings)


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _csv_outcomes(text: str, delimiter: str, kind: Kind | None, warn_doc: bool,
                  header_out: list[str]) -> Iterator[EntryOutcome]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = ((reader.line_num, row) for row in reader
            if any(c.strip() for c in row) and not row[0].lstrip().startswith(_COMMENT_START))
    first = next(rows, None)
    if first is None:
        return
    header = [c.strip().lower() for c in first[1]]
    if _HEADER_NAMES.intersection(header):
        header_out.extend(header)
        data: Iterable[tuple[int, list[str]]] = rows
    else:
        header = []
        data = _chain(first, rows)
    value_col = _column(header, _VALUE_COLUMNS)
    type_col = _column(header, _TYPE_COLUMNS)
    comment_col = _column(header, _COMMENT_COLUMNS)
    start_col, end_col = _column(header, _START_COLUMNS), _column(header, _END_COLUMNS)
    length_col = _column(header, _LENGTH_COLUMNS)
    if value_col is None and not header:
        value_col = _guess_value_column(first[1], kind)

    for number, row in data:
        cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
        comment = cell(comment_col) or None
        if value_col is None and start_col is not None and end_col is not None:
            yield _range_outcome(number, cell(start_col), cell(end_col), cell(length_col), warn_doc, comment)
            continue
        value = cell(value_col if value_col is not None else 0)
        row_kind = kind
        if type_col is not None and cell(type_col):
            row_kind = _TYPE_VALUES.get(cell(type_col).lower())
            if row_kind is None or (kind is not None and row_kind is not kind):
                refusal = notice("unknown_type", field="type", type=cell(type_col))
                yield EntryOutcome(number, value, Status.REFUSED, refusal=refusal, comment=comment)
                continue
        yield _outcome(number, value, value, row_kind, warn_doc, comment=comment)


def _range_outcome(number: int, start: str, end: str, length: str, warn_doc: bool, comment: str | None) -> EntryOutcome:
    raw = f"{start} - {end}" + (f" /{length}" if length else "")
    if not length:
        return _outcome(number, raw, f"{start} - {end}", Kind.NETWORK, warn_doc, comment=comment)
    try:
        parsed = parse_range_with_length(start, end, length, warn_documentation=warn_doc)
    except Refused as refused:
        return EntryOutcome(number, raw, Status.REFUSED, Kind.NETWORK, refusal=refused.reason, comment=comment)
    return _accepted(number, raw, parsed, comment=comment)


def _chain(first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


def _guess_value_column(row: list[str], kind: Kind | None) -> int:
    for index, cell in enumerate(row):
        try:
            parse_entry(cell, kind=kind)
        except Refused:
            continue
        return index
    return 0


def _json_outcomes(text: str, kind: Kind | None, warn_doc: bool) -> tuple[list[EntryOutcome], list[Notice]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [notice("invalid_json", field="file", reason=str(exc))]
    except RecursionError:
        # An upload is a flat list; thousands of nested brackets are an attack or a broken export.
        return [], [notice("json_too_deep", field="file")]
    if not isinstance(items, list):
        return [], [notice("json_not_a_list", field="file")]
    outcomes = []
    for position, item in enumerate(items, start=1):
        item_kind, comment = kind, None
        if isinstance(item, dict):
            lowered = {str(k).lower(): v for k, v in item.items()}
            key = next((k for k in _VALUE_COLUMNS if k in lowered), None)
            value = lowered.get(key) if key else None
            type_name = lowered.get("type") or lowered.get("kind") or (key if key in _TYPE_VALUES else None)
            if type_name is not None:
                item_kind = _TYPE_VALUES.get(str(type_name).lower())
                if item_kind is None:
                    refusal = notice("unknown_type", field="type", type=type_name)
                    outcomes.append(EntryOutcome(position, json.dumps(item), Status.REFUSED, refusal=refusal))
                    continue
            comment = lowered.get("comment")
            item = value
        if isinstance(item, bool) or not isinstance(item, str | int):
            outcomes.append(EntryOutcome(position, json.dumps(item), Status.REFUSED, refusal=notice("json_bad_item")))
            continue
        if isinstance(item, int):  # a bare number can only be an AS number
            item, item_kind = str(item), item_kind or Kind.ASN
        outcomes.append(_outcome(position, item, item, item_kind, warn_doc, comment=comment))
    return outcomes, []


# -- notes across the whole upload --------------------------------------------------------


def _with_notes(outcomes: list[EntryOutcome]) -> Iterator[EntryOutcome]:
    """Point at duplicates and at values covered by another value of the same upload."""
    first_seen: dict[tuple[Kind, str], int] = {}
    networks = pytricia.PyTricia(128)
    for outcome in outcomes:
        for value in outcome.values:
            if (outcome.kind, value) not in first_seen:
                first_seen[(outcome.kind, value)] = outcome.line  # type: ignore[index]
                if outcome.kind is Kind.NETWORK:
                    networks[value] = outcome.line
    for outcome in outcomes:
        notes: list[Notice] = []
        for value in outcome.values:
            line = first_seen[(outcome.kind, value)]  # type: ignore[index]
            if line != outcome.line:
                notes.append(notice("duplicate", field=None, line=line))
            elif outcome.kind is Kind.NETWORK and (parent := networks.parent(value)) is not None:
                notes.append(notice("covered_by", field=None, covering=parent, line=networks[parent]))
            elif outcome.kind is Kind.DOMAIN and (parent := _registered_parent(value, first_seen)) is not None:
                notes.append(notice("covered_by", field=None, covering=parent[0], line=parent[1]))
        if notes:
            outcome = EntryOutcome(**{**outcome.__dict__, "notes": tuple(dict.fromkeys(notes))})
        yield outcome


def _registered_parent(name: str, seen: dict[tuple[Kind, str], int]) -> tuple[str, int] | None:
    # A plain registration covers its subdomains, so *.x is covered by x, and a.x by x or *.x.
    labels = name.split(".")
    start = 1 if labels[0] == "*" else 0
    candidates = []
    for i in range(start, len(labels) - 1):
        suffix = ".".join(labels[i:])
        if i > start or start == 1:
            candidates.append(suffix)
        if i > start:
            candidates.append("*." + suffix)
    for candidate in candidates:
        if candidate != name and (Kind.DOMAIN, candidate) in seen:
            return candidate, seen[(Kind.DOMAIN, candidate)]
    return None
