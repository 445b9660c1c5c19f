from datetime import datetime, timezone

import pytest

from registry.domain.classification import (
    Designation,
    DesignationGround,
    Nis2Class,
    OverrideRefused,
    accept_derived,
    classify,
    override,
)
from registry.domain.enterprise_size import SizeClass
from registry.domain.registration import parse_registration

M = 1_000_000


def sized(employees, turnover=0, balance=0):
    return {"employees": employees, "annual_turnover_eur": turnover,
            "balance_sheet_total_eur": balance}


def test_large_drinking_water_company_is_essential(registration_data):
    result = classify(parse_registration(registration_data()))
    assert result.value is Nis2Class.ESSENTIAL
    assert result.size_class is SizeClass.LARGE
    assert result.step_codes() == ["annex_i", "size_large", "annex_i_large"]
    assert result.steps[0].reference == "NIS2 Annex I, point 6"
    assert result.steps[-1].reference == "NIS2 art. 3(1)(a)"
    assert "Drinkwater" in result.steps[0].text_nl and "Drinking water" in result.steps[0].text_en


def test_medium_food_producer_is_important(registration_data):
    result = classify(parse_registration(registration_data(
        sector="food", size=sized(120, 30 * M, 20 * M))))
    assert result.value is Nis2Class.IMPORTANT
    assert result.step_codes() == ["annex_ii", "size_medium", "annex_ii_medium"]
    assert result.steps[1].text_en.startswith("50 or more employees")
    assert result.steps[-1].reference == "NIS2 art. 2(1), 3(2)"


def test_small_dns_provider_is_essential_regardless_of_size(registration_data):
    result = classify(parse_registration(registration_data(
        sector="digital_infrastructure",
        entity_type="digital_infrastructure.dns_service_provider", size=sized(4, M // 2, M // 2))))
    assert result.value is Nis2Class.ESSENTIAL
    assert result.size_class is SizeClass.MICRO
    assert result.step_codes() == ["annex_i", "size_micro", "size_independent_essential"]
    assert result.steps[-1].reference == "NIS2 art. 2(2)(a)(ii)-(iii), 3(1)(b)"


def test_small_retailer_is_not_in_scope(registration_data):
    result = classify(parse_registration(registration_data(
        sector="other", size=sized(30, 4 * M, 2 * M))))
    assert result.value is Nis2Class.NOT_IN_SCOPE
    assert result.step_codes() == ["not_in_annex", "size_small", "outside_annexes"]
    assert "vrijwillig" in result.steps[-1].text_nl.lower()
    assert result.steps[-1].reference == "NIS2 art. 2(1), 30"


def test_large_retailer_is_not_in_scope_either(registration_data):
    result = classify(parse_registration(registration_data(sector="other", size=sized(5000))))
    assert (result.value, result.steps[-1].code) == (Nis2Class.NOT_IN_SCOPE, "outside_annexes")


def test_small_entity_in_an_annex_sector_is_not_in_scope(registration_data):
    result = classify(parse_registration(registration_data(
        sector="digital_providers", entity_type="digital_providers.online_marketplace",
        size=sized(30, 4 * M, 2 * M))))
    assert result.value is Nis2Class.NOT_IN_SCOPE
    assert result.step_codes() == ["annex_ii", "size_small", "below_medium"]


def test_central_government_ministry_is_essential(registration_data):
    result = classify(parse_registration(registration_data(
        sector="public_administration", entity_type="public_administration.central_government",
        kvk_number=None, rsin=None, oin="00000001003214345000", size=None,
        legal_name="Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")))
    assert result.value is Nis2Class.ESSENTIAL
    assert result.size_class is None
    assert result.step_codes() == ["annex_i", "central_government"]
    assert result.steps[-1].reference == "NIS2 art. 2(2)(f)(i), 3(1)(d)"


def test_municipality_is_essential_under_the_cbw(registration_data):
    result = classify(parse_registration(registration_data(
        sector="public_administration", entity_type="public_administration.local",
        kvk_number=None, rsin=None, oin="00000001003214345000", size=None)))
    assert result.value is Nis2Class.ESSENTIAL
    assert result.steps[-1].code == "decentral_government_cbw"
    assert result.steps[-1].reference.startswith("Cbw")


def test_qualified_trust_service_provider_is_essential_even_when_micro(registration_data):
    result = classify(parse_registration(registration_data(
        sector="digital_infrastructure",
        entity_type="digital_infrastructure.trust_service_provider.qualified", size=sized(3))))
    assert result.value is Nis2Class.ESSENTIAL


@pytest.mark.parametrize("size,expected,step", [
    (sized(3), Nis2Class.IMPORTANT, "non_qualified_tsp"),
    (sized(80), Nis2Class.IMPORTANT, "non_qualified_tsp"),
    (sized(300), Nis2Class.ESSENTIAL, "non_qualified_tsp_large"),
])
def test_non_qualified_trust_service_provider_is_essential_only_when_large(
        registration_data, size, expected, step):
    result = classify(parse_registration(registration_data(
        sector="digital_infrastructure",
        entity_type="digital_infrastructure.trust_service_provider.non_qualified", size=size)))
    assert (result.value, result.steps[-1].code) == (expected, step)


@pytest.mark.parametrize("size,expected,reference", [
    (sized(9), Nis2Class.IMPORTANT, "NIS2 art. 2(2)(a)(i), 3(2)"),
    (sized(49), Nis2Class.IMPORTANT, "NIS2 art. 2(2)(a)(i), 3(2)"),
    (sized(50), Nis2Class.ESSENTIAL, "NIS2 art. 3(1)(c)"),
    (sized(250), Nis2Class.ESSENTIAL, "NIS2 art. 3(1)(a)"),
])
def test_public_electronic_communications_provider_is_essential_from_medium_size(
        registration_data, size, expected, reference):
    result = classify(parse_registration(registration_data(
        sector="digital_infrastructure",
        entity_type="digital_infrastructure.public_electronic_communications_service",
        size=size)))
    assert (result.value, result.steps[-1].reference) == (expected, reference)


@pytest.mark.parametrize("size,expected", [
    (sized(249, 50 * M, 43 * M + 1), Nis2Class.IMPORTANT),  # turnover at the ceiling: medium
    (sized(249, 50 * M + 1, 43 * M + 1), Nis2Class.ESSENTIAL),  # both above: large
    (sized(250), Nis2Class.ESSENTIAL),
    (sized(50), Nis2Class.IMPORTANT),
    (sized(49, 10 * M + 1, 10 * M), Nis2Class.NOT_IN_SCOPE),  # balance at the ceiling: small
    (sized(49, 10 * M + 1, 10 * M + 1), Nis2Class.IMPORTANT),
])
def test_annex_i_thresholds_at_their_edges(registration_data, size, expected):
    result = classify(parse_registration(registration_data(size=size)))
    assert result.value is expected


@pytest.mark.parametrize("size,expected", [
    (sized(250), Nis2Class.IMPORTANT),  # Annex II never makes an entity essential by size
    (sized(50), Nis2Class.IMPORTANT),
    (sized(49), Nis2Class.NOT_IN_SCOPE),
])
def test_annex_ii_thresholds_at_their_edges(registration_data, size, expected):
    result = classify(parse_registration(registration_data(sector="research", size=size)))
    assert result.value is expected


def test_critical_entity_under_cer_is_essential_whatever_its_size(registration_data):
    reg = parse_registration(registration_data(sector="food", size=sized(5)))
    result = classify(reg, [Designation(DesignationGround.CER_CRITICAL_ENTITY)])
    assert result.value is Nis2Class.ESSENTIAL
    assert result.steps[-1].reference == "NIS2 art. 2(3), 3(1)(f)"


def test_designation_as_important_makes_a_small_entity_important(registration_data):
    reg = parse_registration(registration_data(sector="food", size=sized(5)))
    # an iterator, read once, must still be honoured
    result = classify(reg, iter([Designation(DesignationGround.SOLE_PROVIDER, as_essential=False)]))
    assert result.value is Nis2Class.IMPORTANT
    assert result.steps[-1].code == "designated_sole_provider"


def test_every_step_has_dutch_english_and_a_reference(registration_data):
    for step in classify(parse_registration(registration_data())).steps:
        assert step.text_nl and step.text_en and step.reference


# --- analyst override


AT = datetime(2025, 3, 1, 10, 0, tzinfo=timezone.utc)


def test_override_keeps_the_derived_value_beside_the_final_one(registration_data):
    derived = classify(parse_registration(registration_data(sector="food", size=sized(5))))
    decision = override(derived, Nis2Class.IMPORTANT, reason="Enige leverancier van zuigelingenvoeding",
                        analyst="analist-17", at=AT)
    assert decision.is_overridden
    assert (decision.derived.value, decision.final_value) == (Nis2Class.NOT_IN_SCOPE,
                                                              Nis2Class.IMPORTANT)


@pytest.mark.parametrize("reason", ["", "   ", "omdat"])
def test_override_without_a_written_reason_is_refused(registration_data, reason):
    derived = classify(parse_registration(registration_data()))
    with pytest.raises(OverrideRefused) as caught:
        override(derived, Nis2Class.IMPORTANT, reason=reason, analyst="analist-17", at=AT)
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("reason", "override_reason_required")]


def test_override_to_the_derived_value_is_refused(registration_data):
    derived = classify(parse_registration(registration_data()))
    with pytest.raises(OverrideRefused) as caught:
        override(derived, Nis2Class.ESSENTIAL, reason="Bevestigd na gesprek met organisatie",
                 analyst="analist-17", at=AT)
    assert caught.value.errors[0].code == "override_same_as_derived"


def test_accepting_the_derived_classification_is_not_an_override(registration_data):
    decision = accept_derived(classify(parse_registration(registration_data())))
    assert not decision.is_overridden and decision.final_value is Nis2Class.ESSENTIAL


def test_of_several_designations_the_one_as_essential_counts(registration_data):
    reg = parse_registration(registration_data(sector="food", size=sized(5)))
    result = classify(reg, [Designation(DesignationGround.SOLE_PROVIDER, as_essential=False),
                            Designation(DesignationGround.SYSTEMIC_RISK, as_essential=True)])
    assert (result.value, result.steps[-1].code) == (Nis2Class.ESSENTIAL,
                                                     "designated_systemic_risk")
