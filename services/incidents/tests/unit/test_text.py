"""Titles a person typed: stripped first, then something readable must be left."""

import pytest
from pydantic import TypeAdapter, ValidationError

from incidents.domain.public_report import PublicReport
from incidents.domain.text import Title

TITLE = TypeAdapter(Title)


def test_a_title_is_stored_without_surrounding_white_space():
    assert TITLE.validate_python("  Phishing bij de helpdesk \n") == "Phishing bij de helpdesk"


@pytest.mark.parametrize("title", ["Ransomware", "DDoS 2025", "ايميل مزيف", "5"])
def test_a_title_with_a_letter_or_digit_in_any_script_is_accepted(title):
    assert TITLE.validate_python(title) == title


@pytest.mark.parametrize("title", ["   ", "", "\u202e", "\u200b\u200b", " \u200f ", "!!!", "\t\n"])
def test_a_title_without_any_letter_or_digit_is_refused_in_both_languages(title):
    with pytest.raises(ValidationError) as refused:
        TITLE.validate_python(title)
    (error,) = refused.value.errors()
    assert error["type"] == "blank"
    assert error["ctx"]["message_nl"] and error["ctx"]["message_en"]


def test_the_public_form_refuses_a_title_of_only_a_direction_mark():
    with pytest.raises(ValidationError) as refused:
        PublicReport.model_validate({"contact": {"name": "P", "email": "p@example.org"}, "title": "\u202e",
                                     "description": "d"})
    assert {e["loc"] for e in refused.value.errors()} == {("title",)}
