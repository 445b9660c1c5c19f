from registry.domain.sectors import SECTORS, Annex, all_entity_types, entity_types_for, sectors_in


def test_annex_i_has_the_eleven_sectors_of_high_criticality():
    assert [s.code for s in sectors_in(Annex.I)] == [
        "energy", "transport", "banking", "financial_market_infrastructures", "health",
        "drinking_water", "waste_water", "digital_infrastructure", "ict_service_management",
        "public_administration", "space",
    ]


def test_annex_ii_has_the_seven_other_critical_sectors():
    assert [s.code for s in sectors_in(Annex.II)] == [
        "postal_courier", "waste_management", "chemicals", "food", "manufacturing",
        "digital_providers", "research",
    ]


def test_energy_has_the_five_subsectors_of_the_annex():
    assert [s.code for s in SECTORS["energy"].subsectors] == [
        "energy.electricity", "energy.district_heating_cooling", "energy.oil", "energy.gas",
        "energy.hydrogen",
    ]


def test_manufacturing_has_the_six_subsectors_of_annex_ii_point_5():
    assert len(SECTORS["manufacturing"].subsectors) == 6
    assert SECTORS["manufacturing"].subsector("manufacturing.medical_devices").annex_point == "5(a)"


def test_electricity_lists_its_seven_entity_types():
    codes = {t.code for t in entity_types_for("energy", "energy.electricity")}
    assert codes == {f"energy.electricity.{s}" for s in (
        "supply_undertaking", "dso", "tso", "producer", "nemo", "market_participant",
        "recharging_point_operator")}


def test_digital_infrastructure_splits_trust_services_and_electronic_communications():
    codes = {t.code.removeprefix("digital_infrastructure.")
             for t in entity_types_for("digital_infrastructure")}
    assert codes == {
        "ixp_provider", "dns_service_provider", "tld_name_registry", "cloud_computing_provider",
        "data_centre_provider", "cdn_provider", "trust_service_provider.qualified",
        "trust_service_provider.non_qualified", "public_electronic_communications_network",
        "public_electronic_communications_service",
    }


def test_every_code_is_unique_and_starts_with_its_parent():
    codes = []
    for sector, subsector, entity_type in all_entity_types():
        parent = subsector.code if subsector else sector.code
        assert entity_type.code.startswith(parent + ".")
        codes.append(entity_type.code)
    assert len(codes) == len(set(codes))


def test_every_sector_subsector_and_type_has_dutch_and_english_names():
    for sector, subsector, entity_type in all_entity_types():
        for thing in (sector, subsector, entity_type):
            if thing is not None:
                assert thing.name_nl and thing.name_en


def test_an_annex_sector_has_entity_types_either_itself_or_on_each_subsector():
    for sector in SECTORS.values():
        if sector.annex is None:
            continue
        if sector.has_subsectors:
            assert not sector.entity_types
            assert all(s.entity_types for s in sector.subsectors)
        else:
            assert sector.entity_types


def test_other_sector_lies_outside_both_annexes_and_has_no_entity_types():
    other = SECTORS["other"]
    assert other.annex is None and not other.entity_types and not other.subsectors
