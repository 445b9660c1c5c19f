"""Who may see a publication: TLP 2.0 label plus audience."""

import pytest

from content.domain.tlp import Tlp
from content.domain.visibility import (
    Audience, Classification, OrganisationFacts, PublicationState, Viewer, Visible, may_see)

ENERGY_ESSENTIAL = OrganisationFacts("org-energy", Classification.ESSENTIAL, frozenset({"energy"}),
                                     frozenset({"electricity"}), netcode=True)
WATER_IMPORTANT = OrganisationFacts("org-water", Classification.IMPORTANT, frozenset({"drinking_water"}))
SHOP = OrganisationFacts("org-shop", Classification.NOT_IN_SCOPE)


def _viewer(org, person="p-1", staff=False):
    return Viewer(person_id=person, organisation=org, csirt_staff=staff)


def _see(tlp, audience, org, **kwargs):
    return may_see(Visible(tlp, audience), _viewer(org, **kwargs))


def test_tlp_labels_read_tlp_1_white_as_clear():
    assert Tlp.from_label("WHITE") is Tlp.CLEAR
    assert Tlp.from_label("TLP:AMBER+STRICT") is Tlp.AMBER_STRICT


@pytest.mark.parametrize("tlp", [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER])
def test_audience_everyone_reaches_every_organisation(tlp):
    assert all(_see(tlp, Audience(everyone=True), org) for org in (ENERGY_ESSENTIAL, WATER_IMPORTANT, SHOP))


def test_classification_audience_reaches_only_that_classification():
    audience = Audience(classifications=frozenset({Classification.ESSENTIAL}))
    assert _see(Tlp.GREEN, audience, ENERGY_ESSENTIAL)
    assert not _see(Tlp.GREEN, audience, WATER_IMPORTANT)


def test_not_in_scope_organisations_can_be_targeted():
    audience = Audience(classifications=frozenset({Classification.NOT_IN_SCOPE}))
    assert _see(Tlp.CLEAR, audience, SHOP) and not _see(Tlp.CLEAR, audience, ENERGY_ESSENTIAL)


def test_sector_or_subsector_picks_the_organisations_in_it():
    assert _see(Tlp.AMBER, Audience(sectors=frozenset({"energy"})), ENERGY_ESSENTIAL)
    assert _see(Tlp.AMBER, Audience(subsectors=frozenset({"electricity"})), ENERGY_ESSENTIAL)
    assert not _see(Tlp.AMBER, Audience(sectors=frozenset({"energy"})), WATER_IMPORTANT)


def test_different_kinds_of_criteria_combine_with_and():
    audience = Audience(classifications=frozenset({Classification.IMPORTANT}), sectors=frozenset({"energy"}))
    assert not _see(Tlp.GREEN, audience, ENERGY_ESSENTIAL)  # energy, but essential
    assert not _see(Tlp.GREEN, audience, WATER_IMPORTANT)  # important, but water


def test_netcode_audience_reaches_netcode_entities_only():
    assert _see(Tlp.GREEN, Audience(netcode=True), ENERGY_ESSENTIAL)
    assert not _see(Tlp.GREEN, Audience(netcode=True), WATER_IMPORTANT)


def test_named_organisation_is_in_whatever_the_profile_says():
    audience = Audience(sectors=frozenset({"energy"}), organisations=frozenset({"org-shop"}))
    assert _see(Tlp.AMBER, audience, SHOP)


def test_audience_without_any_criterion_reaches_no_one():
    assert not _see(Tlp.CLEAR, Audience(), ENERGY_ESSENTIAL)


def test_amber_strict_stays_within_named_organisations_even_if_the_profile_matches():
    audience = Audience(everyone=True, organisations=frozenset({"org-water"}))
    assert _see(Tlp.AMBER_STRICT, audience, WATER_IMPORTANT)
    assert not _see(Tlp.AMBER_STRICT, audience, ENERGY_ESSENTIAL)


def test_red_reaches_only_named_people_not_their_colleagues():
    audience = Audience(organisations=frozenset({"org-water"}), people=frozenset({"p-ceo"}))
    assert _see(Tlp.RED, audience, WATER_IMPORTANT, person="p-ceo")
    assert not _see(Tlp.RED, audience, WATER_IMPORTANT, person="p-colleague")


def test_csirt_staff_see_everything_including_drafts():
    draft = Visible(Tlp.RED, Audience(), PublicationState.DRAFT)
    assert may_see(draft, _viewer(None, staff=True))


def test_constituency_does_not_see_drafts_or_publications_under_review():
    for state in (PublicationState.DRAFT, PublicationState.REVIEW):
        assert not may_see(Visible(Tlp.CLEAR, Audience(everyone=True), state), _viewer(SHOP))


def test_withdrawn_publication_stays_visible_to_its_audience():
    assert may_see(Visible(Tlp.CLEAR, Audience(everyone=True), PublicationState.WITHDRAWN), _viewer(SHOP))


def test_person_without_organisation_sees_no_audience_publication():
    assert not _see(Tlp.CLEAR, Audience(everyone=True), None)
