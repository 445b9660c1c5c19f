import pytest
from pydantic import ValidationError

from registry.domain.errors import field_errors
from registry.domain.registration import (
    NetcodeImpact,
    Registration,
    RegistrationRefused,
    parse_registration,
)


def refusal(data) -> dict[str, str]:
    """field -> code of every error in a refused registration."""
    with pytest.raises(RegistrationRefused) as caught:
        parse_registration(data)
    return {e.field: e.code for e in caught.value.errors}


def test_valid_registration_is_accepted_and_normalised(registration_data):
    reg = parse_registration(registration_data(member_states=["nl", "BE", "NL"]))
    assert reg.phone == "+31701234567"
    assert reg.member_states == ("NL", "BE")
    # drinking water has a single entity type, so it is filled in
    assert reg.entity_type == "drinking_water.supplier_distributor"
    assert reg.effective_postal_address == reg.visiting_address


def test_invalid_kvk_number_is_refused_on_its_field_in_dutch_and_english(registration_data):
    with pytest.raises(RegistrationRefused) as caught:
        parse_registration(registration_data(kvk_number="1234567"))
    [error] = caught.value.errors
    assert error.field == "kvk_number" and error.code == "kvk_number_invalid"
    assert "KvK-nummer" in error.message_nl and "KvK" in error.message_en


def test_unknown_sector_is_refused(registration_data):
    assert refusal(registration_data(sector="fishing")) == {"sector": "sector_unknown"}


def test_subsector_outside_its_sector_is_refused(registration_data):
    errors = refusal(registration_data(sector="energy", subsector="transport.rail"))
    assert errors == {"subsector": "subsector_not_in_sector"}


def test_sector_with_subsectors_needs_one(registration_data):
    assert refusal(registration_data(sector="transport")) == {"subsector": "subsector_required"}


def test_subsector_given_for_a_sector_without_subsectors_is_refused(registration_data):
    errors = refusal(registration_data(sector="health", subsector="energy.gas",
                                       entity_type="health.healthcare_provider"))
    assert errors == {"subsector": "subsector_not_in_sector"}


def test_entity_type_is_required_where_the_sector_lists_several(registration_data):
    errors = refusal(registration_data(sector="energy", subsector="energy.electricity"))
    assert errors == {"entity_type": "entity_type_required"}


def test_entity_type_of_another_subsector_is_refused(registration_data):
    errors = refusal(registration_data(sector="energy", subsector="energy.electricity",
                                       entity_type="energy.gas.dso"))
    assert errors == {"entity_type": "entity_type_not_in_sector"}


def test_missing_security_contact_is_refused(registration_data):
    errors = refusal(registration_data(security_contact=None))
    assert errors == {"security_contact": "missing"}


def test_security_contact_without_24x7_phone_is_refused_on_the_nested_field(registration_data):
    errors = refusal(registration_data(security_contact={"email": "soc@example.nl"}))
    assert errors == {"security_contact.phone_24x7": "missing"}


def test_bad_rsin_is_refused(registration_data):
    assert refusal(registration_data(rsin="123456789")) == {"rsin": "rsin_checksum"}


def test_private_organisation_needs_kvk_number_and_rsin(registration_data):
    errors = refusal(registration_data(kvk_number=None, rsin=None))
    assert errors == {"kvk_number": "kvk_number_required", "rsin": "rsin_required"}


def test_public_administration_needs_an_oin_but_no_kvk_number_or_size(registration_data):
    data = registration_data(sector="public_administration",
                             entity_type="public_administration.central_government",
                             kvk_number=None, rsin=None, size=None)
    assert refusal(data) == {"oin": "oin_required"}
    reg = parse_registration({**data, "oin": "00000001003214345000"})
    assert reg.is_government and reg.size is None


def test_government_body_in_another_sector_needs_an_oin(registration_data):
    errors = refusal(registration_data(is_government_body=True, kvk_number=None, rsin=None))
    assert errors == {"oin": "oin_required"}


def test_non_eu_member_state_is_refused_with_its_position(registration_data):
    errors = refusal(registration_data(member_states=["NL", "GB"]))
    assert errors == {"member_states[1]": "member_state_not_eu"}


def test_greece_must_be_given_as_iso_gr_not_el(registration_data):
    assert refusal(registration_data(member_states=["EL"])) == {
        "member_states[0]": "member_state_use_iso_code"}
    assert parse_registration(registration_data(member_states=["GR"])).member_states == ("GR",)


def test_at_least_one_member_state_is_required(registration_data):
    assert refusal(registration_data(member_states=[])) == {"member_states": "member_states_required"}


def test_netcode_is_refused_outside_the_electricity_subsector(registration_data):
    errors = refusal(registration_data(netcode="high_impact"))
    assert errors == {"netcode": "netcode_not_electricity"}


def test_netcode_is_accepted_for_electricity(registration_data):
    reg = parse_registration(registration_data(
        sector="energy", subsector="energy.electricity", entity_type="energy.electricity.tso",
        netcode="critical_impact"))
    assert reg.netcode is NetcodeImpact.CRITICAL_IMPACT


def test_dutch_postcode_is_checked_and_normalised(registration_data):
    bad = registration_data(visiting_address={
        "street": "Straat", "house_number": "1", "postal_code": "12345", "city": "Ergens"})
    assert refusal(bad) == {"visiting_address.postal_code": "postal_code_invalid"}
    good = registration_data(visiting_address={
        "street": "Straat", "house_number": "1", "postal_code": "2595an", "city": "Den Haag"})
    assert parse_registration(good).visiting_address.postal_code == "2595 AN"


def test_foreign_postcode_is_not_held_to_the_dutch_format(registration_data):
    data = registration_data(visiting_address={
        "street": "Rue de la Loi", "house_number": "16", "postal_code": "1000",
        "city": "Bruxelles", "country": "BE"})
    assert parse_registration(data).visiting_address.country == "BE"


@pytest.mark.parametrize("email", ["no-at-sign.nl", "a@localhost", "a..b@example.nl", "@example.nl",
                                   "a b@example.nl", "a@-bad-.nl"])
def test_malformed_email_is_refused(registration_data, email):
    assert refusal(registration_data(email=email)) == {"email": "email_invalid"}


def test_phone_with_too_few_digits_is_refused(registration_data):
    assert refusal(registration_data(phone="12345")) == {"phone": "phone_invalid"}


def test_every_error_is_reported_at_once(registration_data):
    errors = refusal(registration_data(kvk_number="abc", rsin="123456789",
                                       security_contact=None, sector="nope"))
    assert errors == {"sector": "sector_unknown", "kvk_number": "kvk_number_invalid",
                      "rsin": "rsin_checksum", "security_contact": "missing"}


def test_field_errors_give_dutch_text_for_pydantic_builtin_errors(registration_data):
    with pytest.raises(ValidationError) as caught:
        Registration.model_validate(registration_data(legal_name=None))
    [error] = field_errors(caught.value)
    assert error.as_dict() == {"field": "legal_name", "code": "missing",
                               "message_nl": "Dit veld is verplicht.",
                               "message_en": "This field is required."}


def test_unknown_fields_are_refused_rather_than_ignored(registration_data):
    assert refusal(registration_data(vital=True)) == {"vital": "extra_forbidden"}


def test_a_login_speaks_only_for_the_identifiers_it_attests():
    from registry.domain.registration import unattested_identifier as gap

    assert gap(login_kvk="12345678", login_oin=None, kvk="12345678", oin=None) is None
    assert gap(login_kvk=None, login_oin="00000001003214345000", kvk=None, oin="00000001003214345000") is None
    assert gap(login_kvk="87654321", login_oin=None, kvk="12345678", oin=None) == "kvk_number"
    assert gap(login_kvk=None, login_oin=None, kvk="12345678", oin=None) == "kvk_number"
    assert gap(login_kvk=None, login_oin="00000001003214345000", kvk="12345678", oin=None) == "kvk_number"
    assert gap(login_kvk=None, login_oin=None, kvk=None, oin=None) == "kvk_number"
    # A KvK login cannot claim an OIN beside its KvK number (the ministry's, say).
    assert gap(login_kvk="87654321", login_oin=None, kvk="87654321", oin="00000001003214345000") == "oin"
