"""Every warning, refusal and note of the network-data rules, in Dutch and English.

One catalogue keeps the codes stable (a front end or an API client may key on them) and
keeps the two languages side by side, so a translation is never forgotten.
"""

from __future__ import annotations

from incidents.domain.errors import Notice

# code -> (Dutch, English); placeholders are filled by ``notice``.
CATALOGUE: dict[str, tuple[str, str]] = {
    # -- refusals: networks
    "invalid_network": (
        "'{value}' is geen geldig IP-adres, prefix of bereik.",
        "'{value}' is not a valid IP address, prefix or range.",
    ),
    "leading_zero_octet": (
        "'{value}' heeft een octet met een voorloopnul; dat kan octaal of decimaal bedoeld zijn. Schrijf het zonder voorloopnullen.",
        "'{value}' has an octet with a leading zero, which may mean octal or decimal. Write it without leading zeros.",
    ),
    "octet_out_of_range": (
        "'{value}' heeft een octet groter dan 255.",
        "'{value}' has an octet greater than 255.",
    ),
    "prefix_length_out_of_range": (
        "Prefixlengte /{length} bestaat niet voor IPv{version} (hoogstens /{maximum}).",
        "Prefix length /{length} does not exist for IPv{version} (at most /{maximum}).",
    ),
    "hostmask_notation": (
        "'{value}' gebruikt een hostmasker (wildcard-masker). Schrijf de prefixlengte, bijvoorbeeld /{length}.",
        "'{value}' uses a host mask (wildcard mask). Write the prefix length instead, for example /{length}.",
    ),
    "noncontiguous_netmask": (
        "Het netmasker in '{value}' is niet aaneengesloten en beschrijft geen prefix.",
        "The netmask in '{value}' is not contiguous and describes no prefix.",
    ),
    "zone_index": (
        "'{value}' bevat een zone-index (%...), die alleen op één machine betekenis heeft.",
        "'{value}' carries a zone index (%...), which only means something on one machine.",
    ),
    "whole_internet": (
        "'{value}' zou het hele IPv{version}-internet claimen.",
        "'{value}' would claim the whole IPv{version} internet.",
    ),
    "range_reversed": (
        "In het bereik '{value}' ligt het begin na het einde.",
        "In the range '{value}' the start lies after the end.",
    ),
    "range_mixed_versions": (
        "Het bereik '{value}' mengt IPv4 en IPv6.",
        "The range '{value}' mixes IPv4 and IPv6.",
    ),
    "range_length_mismatch": (
        "Begin, einde en prefixlengte in '{value}' passen niet bij elkaar.",
        "Start, end and prefix length in '{value}' do not agree.",
    ),
    "mapped_prefix_too_short": (
        "'{value}' is een IPv4-mapped IPv6-prefix korter dan /96; registreer het IPv4-netwerk zelf.",
        "'{value}' is an IPv4-mapped IPv6 prefix shorter than /96; register the IPv4 network itself.",
    ),
    # -- refusals: AS numbers
    "invalid_asn": (
        "'{value}' is geen geldig AS-nummer (bijvoorbeeld AS64500).",
        "'{value}' is not a valid AS number (for example AS64500).",
    ),
    "asn_out_of_range": (
        "AS-nummer '{value}' is groter dan 4294967295.",
        "AS number '{value}' is greater than 4294967295.",
    ),
    "asn_reserved": (
        "AS{asn} is door IANA gereserveerd ({why}) en hoort bij geen enkele organisatie.",
        "AS{asn} is reserved by IANA ({why}) and belongs to no organisation.",
    ),
    "asn_private": (
        "AS{asn} is een privé AS-nummer; het is niet uniek en kan geen organisatie aanwijzen.",
        "AS{asn} is a private AS number; it is not unique and cannot identify an organisation.",
    ),
    # -- refusals: domain names
    "empty_label": (
        "'{value}' bevat een leeg label (twee punten achter elkaar of een punt vooraan). Bedoelt u '{suggestion}'?",
        "'{value}' contains an empty label (two dots in a row or a leading dot). Did you mean '{suggestion}'?",
    ),
    "label_too_long": (
        "Een label in '{value}' is {length} octetten lang; het maximum is 63.",
        "A label in '{value}' is {length} octets long; the maximum is 63.",
    ),
    "name_too_long": (
        "'{value}' is {length} octetten lang; een domeinnaam is hoogstens 253 octetten.",
        "'{value}' is {length} octets long; a domain name has at most 253 octets.",
    ),
    "invalid_character": (
        "'{value}' bevat een teken dat niet in een domeinnaam mag ('{character}').",
        "'{value}' contains a character not allowed in a domain name ('{character}').",
    ),
    "invalid_idna": (
        "Het label '{label}' in '{value}' is geen geldig IDNA2008-label: {reason}",
        "The label '{label}' in '{value}' is not a valid IDNA2008 label: {reason}",
    ),
    "not_a_hostname": (
        "'{value}' is een DNS-naam met '_' maar geen hostnaam; registreer het domein zelf.",
        "'{value}' is a DNS name with '_' but not a host name; register the domain itself.",
    ),
    "wildcard_not_leftmost": (
        "In '{value}' mag alleen het meest linkse label een wildcard '*' zijn.",
        "In '{value}' only the leftmost label may be a wildcard '*'.",
    ),
    "wildcard_too_broad": (
        "'{value}' zou alle namen onder een topdomein claimen.",
        "'{value}' would claim every name under a top-level domain.",
    ),
    "single_label": (
        "'{value}' heeft maar één label; geef de volledige domeinnaam, bijvoorbeeld example.nl.",
        "'{value}' has a single label; give the full domain name, for example example.nl.",
    ),
    "numeric_tld": (
        "'{value}' eindigt op een numeriek label en is dus geen domeinnaam.",
        "'{value}' ends in a numeric label and so is not a domain name.",
    ),
    "url_not_domain": (
        "'{value}' is een URL; voer alleen de domeinnaam in ('{suggestion}').",
        "'{value}' is a URL; enter only the domain name ('{suggestion}').",
    ),
    "email_not_domain": (
        "'{value}' is een e-mailadres; voer alleen de domeinnaam in ('{suggestion}').",
        "'{value}' is an e-mail address; enter only the domain name ('{suggestion}').",
    ),
    "address_in_domain_list": (
        "'{value}' is een IP-adres of netwerk; zet het in de lijst met netwerken.",
        "'{value}' is an IP address or network; put it in the list of networks.",
    ),
    # -- refusals: rows and files
    "wrong_kind": (
        "'{value}' is geen {expected_nl}.",
        "'{value}' is not a {expected_en}.",
    ),
    "unknown_type": (
        "Onbekend type '{type}'; gebruik cidr, asn of domain.",
        "Unknown type '{type}'; use cidr, asn or domain.",
    ),
    "empty_value": (
        "Deze regel heeft geen waarde.",
        "This line has no value.",
    ),
    "not_utf8": (
        "Het bestand is geen UTF-8. Sla het op als 'CSV UTF-8' of als platte tekst in UTF-8.",
        "The file is not UTF-8. Save it as 'CSV UTF-8' or as plain text in UTF-8.",
    ),
    "invalid_json": (
        "Het bestand lijkt JSON maar kan niet worden gelezen: {reason}",
        "The file looks like JSON but cannot be read: {reason}",
    ),
    "json_not_a_list": (
        "Een JSON-upload moet een lijst van teksten of van objecten zijn.",
        "A JSON upload must be a list of strings or of objects.",
    ),
    "json_too_deep": (
        "Het JSON-bestand is te diep genest. Een upload is een platte lijst van teksten of objecten.",
        "The JSON file is nested too deeply. An upload is a flat list of strings or objects.",
    ),
    "line_too_long": (
        "Regel {line} is langer dan {limit} tekens; een regel bevat één waarde. Controleer het bestand.",
        "Line {line} is longer than {limit} characters; a line holds one value. Check the file.",
    ),
    "csv_unreadable": (
        "Het CSV-bestand kan niet worden gelezen (staat er een aanhalingsteken open?): {reason}",
        "The CSV file cannot be read (is a quote left open?): {reason}",
    ),
    "json_bad_item": (
        "Dit item is geen tekst, getal of object met een 'value'.",
        "This item is not a string, a number or an object with a 'value'.",
    ),
    # -- warnings: accepted, but read in a way the person must see
    "host_bits_set": (
        "Host-bits gezet: '{value}' gelezen als {normalised}.",
        "Host bits set: '{value}' read as {normalised}.",
    ),
    "netmask_notation": (
        "Netmaskernotatie: '{value}' gelezen als {normalised}.",
        "Netmask notation: '{value}' read as {normalised}.",
    ),
    "range_converted": (
        "Bereik '{value}' opgeslagen als {normalised}.",
        "Range '{value}' stored as {normalised}.",
    ),
    "range_split": (
        "Bereik '{value}' valt niet op een prefixgrens en is opgeslagen als {count} prefixen: {normalised}.",
        "Range '{value}' is not aligned to a prefix and is stored as {count} prefixes: {normalised}.",
    ),
    "ipv4_mapped": (
        "IPv4-mapped IPv6-adres '{value}' gelezen als IPv4 {normalised}.",
        "IPv4-mapped IPv6 address '{value}' read as IPv4 {normalised}.",
    ),
    "special_purpose_range": (
        "{normalised} valt in een bijzonder adresblok ({names}) en wijst op internet geen organisatie aan.",
        "{normalised} lies in a special-purpose block ({names}) and identifies no organisation on the internet.",
    ),
    "documentation_range": (
        "{normalised} is een documentatieblok of -nummer ({names}).",
        "{normalised} is a documentation block or number ({names}).",
    ),
    "very_large_prefix": (
        "{normalised} is een zeer groot netwerk; controleer of uw organisatie het echt in gebruik heeft.",
        "{normalised} is a very large network; check that your organisation really holds it.",
    ),
    "trailing_separator": (
        "Scheidingsteken aan het eind van '{value}' genegeerd.",
        "Separator at the end of '{value}' ignored.",
    ),
    "asdot_notation": (
        "Asdot-notatie: '{value}' gelezen als {normalised}.",
        "Asdot notation: '{value}' read as {normalised}.",
    ),
    "idna_deviation": (
        "'{value}' bevat een teken (ß, ς, ZWJ of ZWNJ) dat oudere software (IDNA2003) anders leest; "
        "opgeslagen als {normalised}. Registreer de IDNA2003-vorm apart als u die ook bezit.",
        "'{value}' contains a character (ß, ς, ZWJ or ZWNJ) that older software (IDNA2003) reads "
        "differently; stored as {normalised}. Register the IDNA2003 form separately if you hold it too.",
    ),
    "uts46_mapped": (
        "'{value}' bevat tekens die volgens UTS 46 zijn omgezet; opgeslagen als {normalised}.",
        "'{value}' contains characters mapped under UTS 46; stored as {normalised}.",
    ),
    # -- notes: nothing was reinterpreted, but the person may want to know
    "duplicate": (
        "Zelfde waarde als regel {line}; één keer opgeslagen.",
        "Same value as line {line}; stored once.",
    ),
    "covered_by": (
        "Valt binnen {covering} (regel {line}).",
        "Lies within {covering} (line {line}).",
    ),
}


def notice(code: str, field: str | None = "value", **params: object) -> Notice:
    """Build the ``Notice`` for ``code`` with both languages filled in."""
    nl, en = CATALOGUE[code]
    return Notice(field=field, code=code, message_nl=nl.format(**params), message_en=en.format(**params))


class Refused(Exception):
    """Raised inside the parsers when an entry is refused; carries the reason."""

    def __init__(self, reason: Notice) -> None:
        super().__init__(reason.code)
        self.reason = reason


def refuse(code: str, **params: object) -> Refused:
    return Refused(notice(code, **params))
