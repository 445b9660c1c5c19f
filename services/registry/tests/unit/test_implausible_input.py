"""Careless and hostile registration input: refused by field, in Dutch and English, with
bounds far above any real organisation."""

import pytest
from weerbaar_platform.errors import DomainError

from registry.commands import MAX_DEREGISTRATION_REASON, deregistration_reason
from registry.domain.registration import RegistrationRefused, parse_registration

SIZE = {"employees": 900, "annual_turnover_eur": "300000000", "balance_sheet_total_eur": "1200000000"}


def refusal(data) -> dict[str, str]:
    with pytest.raises(RegistrationRefused) as caught:
        parse_registration(data)
    assert all(e.message_nl and e.message_en for e in caught.value.errors)
    return {e.field: e.code for e in caught.value.errors}


@pytest.mark.parametrize("change, field, code", [
    ({"employees": 10**30}, "size.employees", "employees_implausible"),
    ({"employees": 10_000_001}, "size.employees", "employees_implausible"),
    ({"annual_turnover_eur": "9" * 5000}, "size.annual_turnover_eur", "amount_implausible"),
    ({"annual_turnover_eur": "1e999999999"}, "size.annual_turnover_eur", "amount_implausible"),
    ({"annual_turnover_eur": "Infinity"}, "size.annual_turnover_eur", "finite_number"),
    ({"balance_sheet_total_eur": "NaN"}, "size.balance_sheet_total_eur", "finite_number"),
    ({"balance_sheet_total_eur": "1e-999999999"}, "size.balance_sheet_total_eur", "amount_fraction_of_cent"),
])
def test_implausible_sizes_are_refused_on_their_field(registration_data, change, field, code):
    assert refusal(registration_data(size=SIZE | change)) == {field: code}


def test_the_largest_plausible_figures_are_accepted(registration_data):
    reg = parse_registration(registration_data(size={
        "employees": 10_000_000, "annual_turnover_eur": "10000000000000", "balance_sheet_total_eur": "0.01"}))
    assert reg.size.employees == 10_000_000


def test_a_list_longer_than_the_27_member_states_is_refused_at_once(registration_data):
    assert refusal(registration_data(member_states=["NL"] * 100_000)) == {"member_states": "member_states_too_many"}


def test_all_27_member_states_are_accepted(registration_data):
    everyone = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
                "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
    assert len(parse_registration(registration_data(member_states=everyone)).member_states) == 27


@pytest.mark.parametrize("name", ["\u200b\u200b\u200b", "\u202e", " \u200f\u200e ", "   ", "---"])
def test_a_legal_name_without_a_letter_or_digit_is_refused(registration_data, name):
    assert set(refusal(registration_data(legal_name=name)).items()) <= {
        ("legal_name", "name_not_visible"), ("legal_name", "string_too_short")}
    assert "legal_name" in refusal(registration_data(legal_name=name))


@pytest.mark.parametrize("name", ["Water\u0000bedrijf", "Water\x1b[31mbedrijf", "Water\nbedrijf"])
def test_a_legal_name_with_control_characters_is_refused_on_its_field(registration_data, name):
    assert refusal(registration_data(legal_name=name)) == {"legal_name": "name_not_visible"}


def test_a_legal_name_in_another_script_is_accepted(registration_data):
    assert parse_registration(registration_data(legal_name="Ελληνική Εταιρεία Ύδρευσης")).legal_name


def test_a_deregistration_reason_is_stripped_and_bounded():
    assert deregistration_reason("  Buiten scope sinds 2025.  ") == "Buiten scope sinds 2025."
    assert len(deregistration_reason("x" * MAX_DEREGISTRATION_REASON)) == MAX_DEREGISTRATION_REASON
    with pytest.raises(DomainError) as refused:
        deregistration_reason("x" * 2_000_000)
    assert (refused.value.errors[0].field, refused.value.errors[0].code) == ("reason", "deregistration_reason_too_long")
    with pytest.raises(DomainError) as refused:
        deregistration_reason("kort")
    assert refused.value.errors[0].code == "deregistration_reason_required"
