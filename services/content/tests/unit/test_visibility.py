"""Who may see a publication: content's own rules on staff and publication state. The audience
and TLP rule itself is shared (weerbaar_contracts.audience) and tested in libs/contracts."""
from uuid import uuid4

import pytest

from content.domain.tlp import Tlp
from content.domain.visibility import Audience, OrganisationProfile, PublicationState, Viewer, Visible, may_see

SHOP = OrganisationProfile(uuid4(), "not_in_scope")
WATER = OrganisationProfile(uuid4(), "important", frozenset({"drinking_water"}))


def _viewer(org, person=None, staff=False):
    return Viewer(person_id=person or uuid4(), organisation=org, csirt_staff=staff)


def test_tlp_labels_read_tlp_1_white_as_clear():
    assert Tlp.from_label("WHITE") is Tlp.CLEAR
    assert Tlp.from_label("TLP:AMBER+STRICT") is Tlp.AMBER_STRICT


def test_csirt_staff_see_everything_including_drafts():
    draft = Visible(Tlp.RED, Audience(), PublicationState.DRAFT)
    assert may_see(draft, _viewer(None, staff=True))


@pytest.mark.parametrize("state", [PublicationState.DRAFT, PublicationState.REVIEW])
def test_constituency_does_not_see_drafts_or_publications_under_review(state):
    assert not may_see(Visible(Tlp.CLEAR, Audience(everyone=True), state), _viewer(SHOP))
    red = uuid4()
    assert not may_see(Visible(Tlp.RED, Audience(person_ids=[red]), state), _viewer(None, person=red))


def test_withdrawn_publication_stays_visible_to_its_audience():
    assert may_see(Visible(Tlp.CLEAR, Audience(everyone=True), PublicationState.WITHDRAWN), _viewer(SHOP))


def test_published_follows_the_shared_audience_rule():
    audience = Audience(sectors=["drinking_water"])
    assert may_see(Visible(Tlp.AMBER, audience), _viewer(WATER))
    assert not may_see(Visible(Tlp.AMBER, audience), _viewer(SHOP))
    assert not may_see(Visible(Tlp.CLEAR, Audience(everyone=True)), _viewer(None))
    person = uuid4()
    red = Visible(Tlp.RED, Audience(organisation_ids=[WATER.id], person_ids=[person]))
    assert may_see(red, _viewer(None, person=person)) and not may_see(red, _viewer(WATER))
