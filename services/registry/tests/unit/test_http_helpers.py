import pytest
from weerbaar_platform.errors import DomainError

from registry.entrypoints.exports import _cell
from registry.entrypoints.views import etag, expected_version


@pytest.mark.parametrize("header,version", [('"3"', 3), (' "3" ', 3), ("12", 12)])
def test_if_match_carries_the_version(header, version):
    assert expected_version(header) == version
    assert expected_version(etag(version)) == version


@pytest.mark.parametrize("header,code", [(None, "precondition_required"),
                                         ("", "precondition_required"),
                                         ("*", "if_match_invalid"), ('"v3"', "if_match_invalid")])
def test_if_match_missing_or_unreadable_is_428(header, code):
    with pytest.raises(DomainError) as caught:
        expected_version(header)
    assert (caught.value.status, caught.value.errors[0].code) == (428, code)


@pytest.mark.parametrize("header", ['W/"3"', 'w/"3"', ' W/"1"'])
def test_a_weak_etag_never_matches_so_if_match_fails_with_412(header):
    with pytest.raises(DomainError) as caught:
        expected_version(header)
    assert (caught.value.status, caught.value.errors[0].code) == (412, "if_match_weak")
    assert caught.value.errors[0].field == "If-Match"


@pytest.mark.parametrize("value,cell", [
    ("=SUM(A1)", "'=SUM(A1)"), ("@cmd", "'@cmd"), ("+31612345678", "+31612345678"),
    ("-12", "-12"), ("+1 evil()", "'+1 evil()"), (["NL", "BE"], "NL BE"), (None, ""),
    (True, "true"),
])
def test_csv_cells_are_text_not_formulas(value, cell):
    assert _cell(value) == cell
