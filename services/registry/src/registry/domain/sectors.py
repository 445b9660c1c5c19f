"""The sectors of NIS2 (Directive (EU) 2022/2555) Annex I and II, as the Cbw takes them over.

Every sector, subsector and entity type has a stable code that other services and events
may store: `energy`, `energy.electricity`, `energy.electricity.dso`. Codes never change
meaning; a new legal text gets new codes. Dutch names follow the Dutch text of the
directive (richtlijn) as far as we know it; English names follow the English text.

Where the directive lists the kinds of entity in a (sub)sector ("entiteitstype"), a
registration names one of them when there is more than one to choose from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Annex(StrEnum):
    I = "I"  # Bijlage I: sectoren met een hoge mate van kriticiteit (sectors of high criticality)
    II = "II"  # Bijlage II: andere kritieke sectoren (other critical sectors)


@dataclass(frozen=True)
class EntityType:
    code: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class Subsector:
    code: str
    name_nl: str
    name_en: str
    annex_point: str
    entity_types: tuple[EntityType, ...]


@dataclass(frozen=True)
class Sector:
    code: str
    name_nl: str
    name_en: str
    annex: Annex | None  # None: outside NIS2, registered for voluntary services only
    annex_point: str
    subsectors: tuple[Subsector, ...] = ()
    # Only for sectors without subsectors; otherwise the types live on the subsectors.
    entity_types: tuple[EntityType, ...] = ()

    @property
    def has_subsectors(self) -> bool:
        return bool(self.subsectors)

    def subsector(self, code: str) -> Subsector | None:
        return next((s for s in self.subsectors if s.code == code), None)


def _types(leaf: str, *rows: tuple[str, str, str]) -> tuple[EntityType, ...]:
    return tuple(EntityType(f"{leaf}.{slug}", nl, en) for slug, nl, en in rows)


def _sub(code: str, nl: str, en: str, point: str, *rows: tuple[str, str, str]) -> Subsector:
    return Subsector(code, nl, en, point, _types(code, *rows))


# --- Annex I: sectors of high criticality -------------------------------------------------

_ENERGY = Sector(
    "energy", "Energie", "Energy", Annex.I, "1",
    subsectors=(
        _sub(
            "energy.electricity", "Elektriciteit", "Electricity", "1(a)",
            ("supply_undertaking",
             "Elektriciteitsbedrijven die de functie 'levering' verrichten",
             "Electricity undertakings carrying out the function of supply"),
            ("dso", "Distributiesysteembeheerders", "Distribution system operators"),
            ("tso", "Transmissiesysteembeheerders", "Transmission system operators"),
            ("producer", "Producenten", "Producers"),
            ("nemo", "Benoemde elektriciteitsmarktbeheerders (NEMO's)",
             "Nominated electricity market operators (NEMOs)"),
            ("market_participant",
             "Marktdeelnemers die aggregatie-, vraagrespons- of energieopslagdiensten verlenen",
             "Market participants providing aggregation, demand response or energy storage "
             "services"),
            ("recharging_point_operator",
             "Exploitanten van een laadpunt die verantwoordelijk zijn voor het beheer en de "
             "exploitatie van een laadpunt dat een oplaaddienst aan eindgebruikers levert",
             "Operators of a recharging point responsible for the management and operation of "
             "a recharging point that provides a recharging service to end users"),
        ),
        _sub(
            "energy.district_heating_cooling", "Stadsverwarming en -koeling",
            "District heating and cooling", "1(b)",
            ("operator", "Exploitanten van stadsverwarming of stadskoeling",
             "Operators of district heating or district cooling"),
        ),
        _sub(
            "energy.oil", "Aardolie", "Oil", "1(c)",
            ("pipeline_operator", "Exploitanten van oliepijpleidingen",
             "Operators of oil transmission pipelines"),
            ("production_refining_operator",
             "Exploitanten van voorzieningen voor de productie, raffinage en behandeling, "
             "opslag en transmissie van olie",
             "Operators of oil production, refining and treatment facilities, storage and "
             "transmission"),
            ("central_stockholding_entity", "Centrale entiteiten voor voorraadvorming",
             "Central stockholding entities"),
        ),
        _sub(
            "energy.gas", "Aardgas", "Gas", "1(d)",
            ("supply_undertaking", "Leveringsbedrijven", "Supply undertakings"),
            ("dso", "Distributiesysteembeheerders", "Distribution system operators"),
            ("tso", "Transmissiesysteembeheerders", "Transmission system operators"),
            ("storage_system_operator", "Opslagsysteembeheerders", "Storage system operators"),
            ("lng_system_operator", "LNG-systeembeheerders", "LNG system operators"),
            ("natural_gas_undertaking", "Aardgasbedrijven", "Natural gas undertakings"),
            ("refining_treatment_operator",
             "Exploitanten van voorzieningen voor de raffinage en behandeling van aardgas",
             "Operators of natural gas refining and treatment facilities"),
        ),
        _sub(
            "energy.hydrogen", "Waterstof", "Hydrogen", "1(e)",
            ("operator", "Exploitanten van productie, opslag en transmissie van waterstof",
             "Operators of hydrogen production, storage and transmission"),
        ),
    ),
)

_TRANSPORT = Sector(
    "transport", "Vervoer", "Transport", Annex.I, "2",
    subsectors=(
        _sub(
            "transport.air", "Luchtvervoer", "Air", "2(a)",
            ("air_carrier", "Luchtvaartmaatschappijen die voor commerciële doeleinden worden "
             "gebruikt", "Air carriers used for commercial purposes"),
            ("airport", "Luchthavenbeheerders, luchthavens (waaronder kernluchthavens) en "
             "entiteiten die bijbehorende installaties op luchthavens exploiteren",
             "Airport managing bodies, airports (including core airports) and entities "
             "operating ancillary installations contained within airports"),
            ("air_traffic_control", "Exploitanten van luchtverkeersleiding die "
             "luchtverkeersleidingsdiensten (ATC) verlenen",
             "Traffic management control operators providing air traffic control (ATC) "
             "services"),
        ),
        _sub(
            "transport.rail", "Spoorvervoer", "Rail", "2(b)",
            ("infrastructure_manager", "Infrastructuurbeheerders", "Infrastructure managers"),
            ("railway_undertaking", "Spoorwegondernemingen, met inbegrip van exploitanten van "
             "dienstvoorzieningen", "Railway undertakings, including operators of service "
             "facilities"),
        ),
        _sub(
            "transport.water", "Vervoer over water", "Water", "2(c)",
            ("transport_company", "Vervoersbedrijven voor personen- en vrachtvervoer over "
             "binnenwateren, over zee en langs de kust (niet de afzonderlijke schepen)",
             "Inland, sea and coastal passenger and freight water transport companies (not "
             "the individual vessels)"),
            ("port_managing_body", "Beheerders van havens, met inbegrip van hun "
             "havenfaciliteiten, en entiteiten die werken en uitrusting in havens exploiteren",
             "Managing bodies of ports, including their port facilities, and entities "
             "operating works and equipment contained within ports"),
            ("vts_operator", "Exploitanten van verkeersbegeleidingssystemen (VTS)",
             "Operators of vessel traffic services (VTS)"),
        ),
        _sub(
            "transport.road", "Wegvervoer", "Road", "2(d)",
            ("road_authority", "Wegenautoriteiten die verantwoordelijk zijn voor "
             "verkeersmanagement", "Road authorities responsible for traffic management "
             "control"),
            ("its_operator", "Exploitanten van intelligente vervoerssystemen",
             "Operators of intelligent transport systems"),
        ),
    ),
)

_BANKING = Sector(
    "banking", "Bankwezen", "Banking", Annex.I, "3",
    entity_types=_types("banking", ("credit_institution", "Kredietinstellingen",
                                    "Credit institutions")),
)

_FMI = Sector(
    "financial_market_infrastructures", "Infrastructuur voor de financiële markt",
    "Financial market infrastructures", Annex.I, "4",
    entity_types=_types(
        "financial_market_infrastructures",
        ("trading_venue_operator", "Exploitanten van handelsplatformen",
         "Operators of trading venues"),
        ("central_counterparty", "Centrale tegenpartijen (CTP's)",
         "Central counterparties (CCPs)"),
    ),
)

_HEALTH = Sector(
    "health", "Gezondheidszorg", "Health", Annex.I, "5",
    entity_types=_types(
        "health",
        ("healthcare_provider", "Zorgaanbieders", "Healthcare providers"),
        ("eu_reference_laboratory", "EU-referentielaboratoria", "EU reference laboratories"),
        ("medicinal_products_rnd", "Entiteiten die onderzoek en ontwikkeling van "
         "geneesmiddelen verrichten", "Entities carrying out research and development "
         "activities of medicinal products"),
        ("pharmaceutical_manufacturer", "Entiteiten die farmaceutische grondstoffen en "
         "farmaceutische producten vervaardigen (NACE Rev. 2, afdeling 21)",
         "Entities manufacturing basic pharmaceutical products and pharmaceutical "
         "preparations (NACE Rev. 2, division 21)"),
        ("critical_medical_device_manufacturer", "Entiteiten die medische hulpmiddelen "
         "vervaardigen die tijdens een noodsituatie op het gebied van de volksgezondheid als "
         "kritiek worden beschouwd", "Entities manufacturing medical devices considered "
         "critical during a public health emergency"),
    ),
)

_DRINKING_WATER = Sector(
    "drinking_water", "Drinkwater", "Drinking water", Annex.I, "6",
    entity_types=_types("drinking_water", (
        "supplier_distributor",
        "Leveranciers en distributeurs van voor menselijke consumptie bestemd water",
        "Suppliers and distributors of water intended for human consumption")),
)

_WASTE_WATER = Sector(
    "waste_water", "Afvalwater", "Waste water", Annex.I, "7",
    entity_types=_types("waste_water", (
        "undertaking",
        "Ondernemingen die stedelijk, huishoudelijk of industrieel afvalwater opvangen, "
        "lozen of behandelen",
        "Undertakings collecting, disposing of or treating urban, domestic or industrial "
        "waste water")),
)

_DIGITAL_INFRASTRUCTURE = Sector(
    "digital_infrastructure", "Digitale infrastructuur", "Digital infrastructure", Annex.I, "8",
    entity_types=_types(
        "digital_infrastructure",
        ("ixp_provider", "Aanbieders van internetknooppunten",
         "Internet Exchange Point providers"),
        ("dns_service_provider", "DNS-dienstverleners, met uitzondering van exploitanten van "
         "rootnaamservers", "DNS service providers, excluding operators of root name servers"),
        ("tld_name_registry", "Registers voor topleveldomeinnamen", "TLD name registries"),
        ("cloud_computing_provider", "Aanbieders van cloudcomputingdiensten",
         "Cloud computing service providers"),
        ("data_centre_provider", "Aanbieders van datacentrumdiensten",
         "Data centre service providers"),
        ("cdn_provider", "Aanbieders van netwerken voor de levering van inhoud (CDN)",
         "Content delivery network providers"),
        ("trust_service_provider.qualified", "Gekwalificeerde verleners van vertrouwensdiensten",
         "Qualified trust service providers"),
        ("trust_service_provider.non_qualified",
         "Niet-gekwalificeerde verleners van vertrouwensdiensten",
         "Non-qualified trust service providers"),
        ("public_electronic_communications_network",
         "Aanbieders van openbare elektronische-communicatienetwerken",
         "Providers of public electronic communications networks"),
        ("public_electronic_communications_service",
         "Aanbieders van openbare elektronische-communicatiediensten",
         "Providers of publicly available electronic communications services"),
    ),
)

_ICT_SERVICE_MANAGEMENT = Sector(
    "ict_service_management", "Beheer van ICT-diensten (business-to-business)",
    "ICT service management (business-to-business)", Annex.I, "9",
    entity_types=_types(
        "ict_service_management",
        ("managed_service_provider", "Aanbieders van beheerde diensten",
         "Managed service providers"),
        ("managed_security_service_provider", "Aanbieders van beheerde beveiligingsdiensten",
         "Managed security service providers"),
    ),
)

_PUBLIC_ADMINISTRATION = Sector(
    "public_administration", "Overheid", "Public administration", Annex.I, "10",
    entity_types=_types(
        "public_administration",
        ("central_government", "Overheidsinstanties van de centrale overheid (Rijksoverheid)",
         "Public administration entities of central government"),
        ("regional", "Overheidsinstanties op regionaal niveau (provincies)",
         "Public administration entities at regional level (provinces)"),
        # Not in Annex I: NIS2 art. 2(5)(a) lets a Member State add local government; the
        # Cbw brings gemeenten (municipalities) and waterschappen (water boards) in.
        ("local", "Overheidsinstanties op lokaal niveau (gemeenten, waterschappen)",
         "Public administration entities at local level (municipalities, water boards)"),
    ),
)

_SPACE = Sector(
    "space", "Ruimtevaart", "Space", Annex.I, "11",
    entity_types=_types("space", (
        "ground_infrastructure_operator",
        "Exploitanten van grondinfrastructuur die de levering van diensten vanuit de ruimte "
        "ondersteunen (niet: aanbieders van openbare elektronische-communicatienetwerken)",
        "Operators of ground-based infrastructure that support the provision of space-based "
        "services (excluding providers of public electronic communications networks)")),
)

# --- Annex II: other critical sectors ------------------------------------------------------

_POSTAL = Sector(
    "postal_courier", "Post- en koeriersdiensten", "Postal and courier services", Annex.II, "1",
    entity_types=_types("postal_courier", (
        "postal_service_provider",
        "Aanbieders van postdiensten, met inbegrip van aanbieders van koeriersdiensten",
        "Postal service providers, including providers of courier services")),
)

_WASTE_MANAGEMENT = Sector(
    "waste_management", "Afvalbeheer", "Waste management", Annex.II, "2",
    entity_types=_types("waste_management", (
        "undertaking",
        "Ondernemingen die afvalbeheer uitvoeren, als dat hun voornaamste economische "
        "activiteit is",
        "Undertakings carrying out waste management, where that is their principal economic "
        "activity")),
)

_CHEMICALS = Sector(
    "chemicals", "Vervaardiging, productie en distributie van chemische stoffen",
    "Manufacture, production and distribution of chemicals", Annex.II, "3",
    entity_types=_types(
        "chemicals",
        ("substance_manufacturer_distributor", "Ondernemingen die stoffen vervaardigen of "
         "stoffen of mengsels distribueren (REACH)", "Undertakings manufacturing substances "
         "or distributing substances or mixtures (REACH)"),
        ("article_producer", "Ondernemingen die voorwerpen produceren uit stoffen of mengsels "
         "(REACH)", "Undertakings producing articles from substances or mixtures (REACH)"),
    ),
)

_FOOD = Sector(
    "food", "Productie, verwerking en distributie van levensmiddelen",
    "Production, processing and distribution of food", Annex.II, "4",
    entity_types=_types("food", (
        "food_business",
        "Levensmiddelenbedrijven die zich bezighouden met groothandel en industriële "
        "productie en verwerking",
        "Food businesses engaged in wholesale distribution and industrial production and "
        "processing")),
)

_MANUFACTURER = ("manufacturer", "Ondernemingen die deze producten vervaardigen",
                 "Undertakings manufacturing these products")

_MANUFACTURING = Sector(
    "manufacturing", "Vervaardiging", "Manufacturing", Annex.II, "5",
    subsectors=(
        _sub(
            "manufacturing.medical_devices",
            "Vervaardiging van medische hulpmiddelen en medische hulpmiddelen voor "
            "in-vitrodiagnostiek",
            "Manufacture of medical devices and in vitro diagnostic medical devices", "5(a)",
            ("medical_device_manufacturer", "Entiteiten die medische hulpmiddelen "
             "vervaardigen (behalve de kritieke hulpmiddelen van Bijlage I, punt 5)",
             "Entities manufacturing medical devices (other than the critical devices of "
             "Annex I, point 5)"),
            ("ivd_manufacturer", "Entiteiten die medische hulpmiddelen voor "
             "in-vitrodiagnostiek vervaardigen",
             "Entities manufacturing in vitro diagnostic medical devices"),
        ),
        _sub("manufacturing.computer_electronic_optical",
             "Vervaardiging van informaticaproducten en van elektronische en optische "
             "producten (NACE Rev. 2, afdeling 26)",
             "Manufacture of computer, electronic and optical products (NACE Rev. 2, "
             "division 26)", "5(b)", _MANUFACTURER),
        _sub("manufacturing.electrical_equipment",
             "Vervaardiging van elektrische apparatuur (NACE Rev. 2, afdeling 27)",
             "Manufacture of electrical equipment (NACE Rev. 2, division 27)", "5(c)",
             _MANUFACTURER),
        _sub("manufacturing.machinery",
             "Vervaardiging van machines, apparaten en werktuigen, n.e.g. (NACE Rev. 2, "
             "afdeling 28)",
             "Manufacture of machinery and equipment n.e.c. (NACE Rev. 2, division 28)",
             "5(d)", _MANUFACTURER),
        _sub("manufacturing.motor_vehicles",
             "Vervaardiging van motorvoertuigen, aanhangwagens en opleggers (NACE Rev. 2, "
             "afdeling 29)",
             "Manufacture of motor vehicles, trailers and semi-trailers (NACE Rev. 2, "
             "division 29)", "5(e)", _MANUFACTURER),
        _sub("manufacturing.other_transport_equipment",
             "Vervaardiging van andere transportmiddelen (NACE Rev. 2, afdeling 30)",
             "Manufacture of other transport equipment (NACE Rev. 2, division 30)", "5(f)",
             _MANUFACTURER),
    ),
)

_DIGITAL_PROVIDERS = Sector(
    "digital_providers", "Digitale aanbieders", "Digital providers", Annex.II, "6",
    entity_types=_types(
        "digital_providers",
        ("online_marketplace", "Aanbieders van onlinemarktplaatsen",
         "Providers of online marketplaces"),
        ("online_search_engine", "Aanbieders van onlinezoekmachines",
         "Providers of online search engines"),
        ("social_networking_platform", "Aanbieders van platforms voor sociale "
         "netwerkdiensten", "Providers of social networking services platforms"),
    ),
)

_RESEARCH = Sector(
    "research", "Onderzoek", "Research", Annex.II, "7",
    entity_types=_types("research", ("research_organisation", "Onderzoeksorganisaties",
                                     "Research organisations")),
)

# The portal also serves organisations outside NIS2 (MijnNCSC: "NIS2 / niet NIS2"); they
# register under this sector, which no annex lists.
OTHER = Sector("other", "Overig (geen NIS2-sector)", "Other (no NIS2 sector)", None, "-")

SECTORS: dict[str, Sector] = {
    s.code: s
    for s in (
        _ENERGY, _TRANSPORT, _BANKING, _FMI, _HEALTH, _DRINKING_WATER, _WASTE_WATER,
        _DIGITAL_INFRASTRUCTURE, _ICT_SERVICE_MANAGEMENT, _PUBLIC_ADMINISTRATION, _SPACE,
        _POSTAL, _WASTE_MANAGEMENT, _CHEMICALS, _FOOD, _MANUFACTURING, _DIGITAL_PROVIDERS,
        _RESEARCH, OTHER,
    )
}


def get_sector(code: str) -> Sector | None:
    return SECTORS.get(code)


def sectors_in(annex: Annex) -> list[Sector]:
    return [s for s in SECTORS.values() if s.annex is annex]


def entity_types_for(sector_code: str, subsector_code: str | None = None) -> tuple[EntityType, ...]:
    """The entity types to choose from for a sector, or for one of its subsectors."""
    sector = SECTORS.get(sector_code)
    if sector is None:
        return ()
    if subsector_code is None:
        return sector.entity_types
    subsector = sector.subsector(subsector_code)
    return subsector.entity_types if subsector else ()


def all_entity_types() -> Iterator[tuple[Sector, Subsector | None, EntityType]]:
    for sector in SECTORS.values():
        for entity_type in sector.entity_types:
            yield sector, None, entity_type
        for subsector in sector.subsectors:
            for entity_type in subsector.entity_types:
                yield sector, subsector, entity_type


def annex_reference(sector: Sector, subsector: Subsector | None = None) -> str:
    """'NIS2 Annex I, point 1(a)' style reference, used in classification reasoning."""
    if sector.annex is None:
        return "NIS2 art. 2(1), Annex I and II"
    point = subsector.annex_point if subsector else sector.annex_point
    return f"NIS2 Annex {sector.annex.value}, point {point}"
