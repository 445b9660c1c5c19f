"""The publishing workflow: draft, review, published, withdrawn; four eyes; editors only."""

from datetime import datetime, timezone
from uuid import uuid4

import pytest

from content.domain.errors import DomainError
from content.domain.publishing import (
    Editor, approve, edit, new_draft, reject, revise, submit_for_review, withdraw)
from content.domain.tlp import Tlp
from content.domain.visibility import Audience, PublicationState

AUTHOR = Editor("p-author", is_editor=True)
REVIEWER = Editor("p-reviewer", is_editor=True)
READER = Editor("p-reader", is_editor=False)
NOW = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def _draft():
    return new_draft("pub-1", "Kwetsbaarheid in X", "Tekst", Tlp.GREEN, Audience(everyone=True), AUTHOR)


def _published():
    return approve(submit_for_review(_draft(), AUTHOR), REVIEWER, NOW)


def _raises(code, action, *args, **kwargs):
    with pytest.raises(DomainError) as raised:
        action(*args, **kwargs)
    assert raised.value.code == code
    assert raised.value.message_nl and raised.value.message_en
    return raised.value


def test_draft_goes_through_review_to_published():
    published = _published()
    assert published.state is PublicationState.PUBLISHED
    assert (published.approved_by, published.published_at) == ("p-reviewer", NOW)


def test_author_cannot_approve_own_publication():
    error = _raises("publishing.four_eyes", approve, submit_for_review(_draft(), AUTHOR), AUTHOR, NOW)
    assert "vier-ogenprincipe" in error.message_nl and "four-eyes" in error.message_en


def test_whoever_edited_a_draft_cannot_approve_it_either():
    edited = edit(_draft(), REVIEWER, body_markdown="Betere tekst")
    _raises("publishing.four_eyes", approve, submit_for_review(edited, AUTHOR), REVIEWER, NOW)


def test_only_editors_may_act():
    _raises("publishing.not_editor", new_draft, "p", "t", "b", Tlp.CLEAR, Audience(), READER)
    _raises("publishing.not_editor", submit_for_review, _draft(), READER)
    _raises("publishing.not_editor", approve, submit_for_review(_draft(), AUTHOR), READER, NOW)


def test_draft_cannot_be_published_without_review():
    _raises("publishing.wrong_state", approve, _draft(), REVIEWER, NOW)


def test_published_publication_cannot_be_edited_in_place():
    _raises("publishing.wrong_state", edit, _published(), AUTHOR, title="Nieuw")


def test_reviewer_can_send_back_to_draft_with_a_note():
    rejected = reject(submit_for_review(_draft(), AUTHOR), REVIEWER, "Bron ontbreekt")
    assert rejected.state is PublicationState.DRAFT and rejected.review_notes == ("Bron ontbreekt",)


def test_withdrawal_records_reason_person_and_time():
    withdrawn = withdraw(_published(), REVIEWER, "  Onjuist advies  ", NOW)
    assert withdrawn.state is PublicationState.WITHDRAWN
    assert (withdrawn.withdrawal.reason, withdrawn.withdrawal.by, withdrawn.withdrawal.at) == ("Onjuist advies", "p-reviewer", NOW)


def test_withdrawal_needs_a_reason():
    _raises("publishing.withdrawal_reason_missing", withdraw, _published(), REVIEWER, "   ", NOW)


def test_only_published_publications_can_be_withdrawn():
    _raises("publishing.wrong_state", withdraw, _draft(), REVIEWER, "reden", NOW)


def test_revision_of_published_publication_is_a_new_draft_needing_new_approval():
    revision = revise(_published(), REVIEWER)
    assert (revision.state, revision.revision, revision.authors) == (PublicationState.DRAFT, 2, frozenset({"p-reviewer"}))
    assert revision.approved_by is None
    _raises("publishing.four_eyes", approve, submit_for_review(revision, REVIEWER), REVIEWER, NOW)
    assert approve(submit_for_review(revision, REVIEWER), AUTHOR, NOW).state is PublicationState.PUBLISHED


@pytest.mark.parametrize("tlp, audience", [
    (Tlp.GREEN, Audience()),  # no criterion at all
    (Tlp.AMBER_STRICT, Audience(everyone=True)),  # AMBER+STRICT needs named organisations
    (Tlp.RED, Audience(organisation_ids=[uuid4()])),  # RED needs named people
])
def test_a_draft_whose_audience_reaches_no_one_cannot_go_to_review(tlp, audience):
    draft = new_draft("p", "t", "b", tlp, audience, AUTHOR)
    _raises("publishing.audience_reaches_no_one", submit_for_review, draft, AUTHOR)


def test_a_draft_for_named_people_under_red_can_go_to_review():
    draft = new_draft("p", "t", "b", Tlp.RED, Audience(person_ids=[uuid4()]), AUTHOR)
    assert submit_for_review(draft, AUTHOR).state.value == "review"


def test_a_refusal_can_be_raised_again_through_other_layers():
    # Web frameworks re-raise exceptions, which sets __traceback__ on them; a frozen
    # dataclass refused that and turned every refusal into a server error.
    try:
        try:
            submit_for_review(new_draft("p", "t", "b", Tlp.GREEN, Audience(), AUTHOR), AUTHOR)
        except DomainError as error:
            error.__traceback__ = None  # what anyio/starlette do when they re-raise
            raise error
    except DomainError as error:
        assert error.code == "publishing.audience_reaches_no_one"


def test_whoever_submits_a_draft_nobody_typed_cannot_approve_it():
    """An advisory pulled from a CSAF provider is drafted by the feed, not by a person: the editor
    who submits it vouches for it, and a second editor must approve it."""
    feed = Editor("feed", is_editor=True)
    pulled = new_draft("pub-2", "CSAF van leverancier", "", Tlp.CLEAR, Audience(everyone=True), feed)
    in_review = submit_for_review(pulled, REVIEWER)
    _raises("publishing.four_eyes", approve, in_review, REVIEWER, NOW)
    assert approve(in_review, AUTHOR, NOW).approved_by == "p-author"
