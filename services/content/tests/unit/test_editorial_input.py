"""What an editor may send for a publication: a readable title and an audience without typos."""

import pytest
from pydantic import ValidationError
from weerbaar_contracts.events.content import Audience

from content.entrypoints.editorial import AudienceInput, NewPublication, PublicationEdit

VALID = {"kind": "news", "title": "Nieuwe phishinggolf", "body_markdown": "b", "tlp": "CLEAR",
         "audience": {"sectors": ["drinking_water"]}}


def _fields(refused: ValidationError) -> set[str]:
    return {".".join(map(str, e["loc"])) for e in refused.errors()}


@pytest.mark.parametrize("audience", [{"x": 1}, {"sector": ["drinking_water"]}, {"everyone": True, "al": True}])
def test_an_unknown_audience_key_is_refused_by_name(audience):
    with pytest.raises(ValidationError) as refused:
        NewPublication.model_validate(VALID | {"audience": audience})
    assert {e["type"] for e in refused.value.errors()} == {"extra_forbidden"}
    assert all(f.startswith("audience.") for f in _fields(refused.value))


def test_an_unknown_audience_key_is_refused_when_editing_too():
    with pytest.raises(ValidationError) as refused:
        PublicationEdit.model_validate({"audience": {"x": 1}})
    assert _fields(refused.value) == {"audience.x"}


def test_the_contract_itself_still_ignores_unknown_keys_for_event_consumers():
    assert Audience.model_validate({"everyone": True, "x": 1}) == Audience(everyone=True)


def test_the_audience_input_becomes_the_plain_contract_model():
    contract = NewPublication.model_validate(VALID).audience.as_contract()
    assert type(contract) is Audience and contract.sectors == ["drinking_water"]
    assert isinstance(AudienceInput(everyone=True).as_contract(), Audience)


@pytest.mark.parametrize("title", ["   ", "", "\u200b", "\u202e", "---"])
def test_a_title_without_a_letter_or_digit_is_refused(title):
    with pytest.raises(ValidationError) as refused:
        NewPublication.model_validate(VALID | {"title": title})
    assert _fields(refused.value) == {"title"}


def test_a_title_is_kept_without_surrounding_white_space():
    assert NewPublication.model_validate(VALID | {"title": "  Ransomware  "}).title == "Ransomware"
    assert PublicationEdit.model_validate({"title": " Nieuws "}).title == "Nieuws"
