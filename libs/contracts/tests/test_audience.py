"""The audience rule (weerbaar_contracts.audience): who a publication reaches, by TLP label and
audience. Content's visibility and notify's fan-out both rest on it."""
from uuid import uuid4

import pytest

from weerbaar_contracts.audience import (
    OrganisationProfile, reach, reaches_anyone, reaches_organisation, reaches_person)
from weerbaar_contracts.events.content import Audience

ENERGY_ESSENTIAL = OrganisationProfile(uuid4(), "essential", frozenset({"energy"}),
                                       frozenset({"energy.electricity"}), netcode=True)
ENERGY_IMPORTANT = OrganisationProfile(uuid4(), "important", frozenset({"energy"}), frozenset({"energy.gas"}))
WATER_IMPORTANT = OrganisationProfile(uuid4(), "important", frozenset({"drinking_water"}))
SHOP = OrganisationProfile(uuid4(), "not_in_scope")
GONE = OrganisationProfile(uuid4(), "essential", frozenset({"energy"}), registered=False)
ALL = (ENERGY_ESSENTIAL, ENERGY_IMPORTANT, WATER_IMPORTANT, SHOP)


def _reached(tlp, audience, orgs=ALL):
    return [org for org in orgs if reaches_organisation(tlp, audience, org)]


@pytest.mark.parametrize("tlp", ["CLEAR", "GREEN", "AMBER"])
def test_everyone_reaches_every_registered_organisation(tlp):
    assert _reached(tlp, Audience(everyone=True)) == list(ALL)


def test_classification_reaches_only_that_classification_including_not_in_scope():
    assert _reached("GREEN", Audience(classifications=["essential"])) == [ENERGY_ESSENTIAL]
    assert _reached("CLEAR", Audience(classifications=["not_in_scope"])) == [SHOP]


def test_sector_or_subsector_are_one_kind_and_or_within_it():
    assert _reached("AMBER", Audience(sectors=["energy"])) == [ENERGY_ESSENTIAL, ENERGY_IMPORTANT]
    assert _reached("AMBER", Audience(subsectors=["energy.electricity"])) == [ENERGY_ESSENTIAL]
    either = Audience(sectors=["drinking_water"], subsectors=["energy.gas"])
    assert _reached("CLEAR", either) == [ENERGY_IMPORTANT, WATER_IMPORTANT]


def test_different_kinds_of_criteria_combine_with_and():
    assert _reached("GREEN", Audience(classifications=["essential"], sectors=["energy"])) == [ENERGY_ESSENTIAL]
    assert _reached("GREEN", Audience(classifications=["important"], sectors=["energy"], netcode=True)) == []
    assert _reached("GREEN", Audience(classifications=["important", "essential"], netcode=True)) == [ENERGY_ESSENTIAL]


def test_netcode_reaches_netcode_entities_only():
    assert _reached("GREEN", Audience(netcode=True)) == [ENERGY_ESSENTIAL]


def test_named_organisation_is_in_whatever_the_profile_says():
    assert _reached("AMBER", Audience(sectors=["energy"], organisation_ids=[SHOP.id])) == [
        ENERGY_ESSENTIAL, ENERGY_IMPORTANT, SHOP]


def test_audience_without_any_criterion_reaches_no_one():
    assert _reached("CLEAR", Audience()) == []
    assert not reaches_anyone("CLEAR", Audience())


def test_deregistered_organisation_is_reached_by_nothing():
    for tlp in ("CLEAR", "AMBER", "AMBER+STRICT"):
        assert not reaches_organisation(tlp, Audience(everyone=True, organisation_ids=[GONE.id]), GONE)


def test_amber_strict_stays_within_named_organisations_even_if_everyone_or_profile_match():
    audience = Audience(everyone=True, sectors=["energy"], organisation_ids=[WATER_IMPORTANT.id])
    assert _reached("AMBER+STRICT", audience) == [WATER_IMPORTANT]
    assert not reaches_anyone("AMBER+STRICT", Audience(everyone=True))
    assert reaches_anyone("AMBER+STRICT", Audience(organisation_ids=[SHOP.id]))


def test_red_reaches_only_named_people_not_their_colleagues_nor_their_organisation():
    ceo, colleague = uuid4(), uuid4()
    audience = Audience(everyone=True, organisation_ids=[WATER_IMPORTANT.id], person_ids=[ceo])
    assert _reached("RED", audience) == []
    assert reaches_person("RED", audience, ceo, WATER_IMPORTANT)
    assert reaches_person("RED", audience, ceo, None)  # as a person, whatever their organisation
    assert not reaches_person("RED", audience, colleague, WATER_IMPORTANT)
    assert reach("RED", audience).person_ids == {ceo}
    assert not reaches_anyone("RED", Audience(organisation_ids=[WATER_IMPORTANT.id]))


def test_named_people_do_not_widen_a_label_below_red():
    person = uuid4()
    assert not reaches_person("AMBER", Audience(sectors=["energy"], person_ids=[person]), person, WATER_IMPORTANT)


def test_a_person_is_reached_through_the_organisation_they_act_for():
    audience = Audience(everyone=True)
    assert reaches_person("GREEN", audience, uuid4(), SHOP)
    assert not reaches_person("GREEN", audience, uuid4(), None)  # acting for no (known) organisation
    assert not reaches_person("GREEN", audience, uuid4(), GONE)


def test_label_may_be_written_as_tlp_2_text_or_an_enum():
    from enum import Enum

    class Label(str, Enum):
        RED = "RED"

    person = uuid4()
    audience = Audience(everyone=True, person_ids=[person])
    assert _reached("tlp:red", audience) == [] and _reached(Label.RED, audience) == []
    assert reaches_person(Label.RED, audience, person, None)
