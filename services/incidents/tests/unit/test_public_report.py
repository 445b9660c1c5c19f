"""The public form's bounds."""

import pytest
from pydantic import ValidationError

from incidents.domain.public_report import PublicReport
from incidents.domain.triage import check_note
from incidents.domain.errors import DomainError

VALID = {"contact": {"name": "Petra", "email": "petra@Example.ORG"}, "title": "Phishing",
         "description": "Nagemaakte inlogpagina."}


def test_a_valid_report_is_read_with_a_normalised_address():
    assert PublicReport.model_validate(VALID).contact.email == "petra@example.org"


def test_control_characters_are_dropped_but_newlines_kept():
    report = PublicReport.model_validate({**VALID, "description": "regel 1\nregel\x1b[31m 2\x00"})
    assert report.description == "regel 1\nregel[31m 2"


@pytest.mark.parametrize("change, field", [
    ({"title": "x" * 201}, "title"),
    ({"description": "   "}, "description"),
    ({"homepage": "http://spam.example"}, "homepage"),
    ({"contact": {"name": "P", "email": "geen adres"}}, "contact.email"),
])
def test_out_of_bounds_fields_are_refused_by_name(change, field):
    with pytest.raises(ValidationError) as refused:
        PublicReport.model_validate({**VALID, **change})
    assert field in {".".join(map(str, e["loc"])) for e in refused.value.errors()}


def test_an_empty_note_is_refused():
    with pytest.raises(DomainError) as refused:
        check_note("  ")
    assert refused.value.field == "text"
