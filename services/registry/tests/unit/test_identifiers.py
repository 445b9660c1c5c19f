import pytest

from registry.domain.identifiers import (
    kvk_number_problem,
    oin_problem,
    passes_elfproef,
    rsin_problem,
)


@pytest.mark.parametrize("value", ["12345678", "01234567", " 12345678 "])
def test_kvk_number_of_eight_digits_is_accepted(value):
    assert kvk_number_problem(value) is None


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234 5678", "1234567a", "١٢٣٤٥٦٧٨", ""])
def test_kvk_number_that_is_not_exactly_eight_ascii_digits_is_refused(value):
    problem = kvk_number_problem(value)
    assert problem is not None and problem.code == "kvk_number_invalid"
    assert "8 cijfers" in problem.message_nl and "8 digits" in problem.message_en


def test_elfproef_weights_nine_to_two_and_minus_one():
    # 1*9+1*8+1*7+2*6+2*5+2*4+3*3+3*2-3*1 = 66, a multiple of 11
    assert passes_elfproef("111222333")
    assert not passes_elfproef("111222334")


def test_rsin_passing_the_elfproef_is_accepted():
    assert rsin_problem("003214345") is None


def test_rsin_failing_the_elfproef_is_refused_with_checksum_code():
    problem = rsin_problem("123456789")
    assert problem is not None and problem.code == "rsin_checksum"
    assert "elfproef" in problem.message_nl


@pytest.mark.parametrize("value", ["11122233", "1112223330", "11122233x"])
def test_rsin_of_wrong_length_is_refused_with_format_code(value):
    assert rsin_problem(value).code == "rsin_format"


def test_rsin_of_all_zeros_is_refused_although_it_passes_the_sum():
    assert passes_elfproef("000000000")
    assert rsin_problem("000000000").code == "rsin_checksum"


def test_oin_derived_from_a_valid_rsin_is_accepted():
    assert oin_problem("00000001003214345000") is None


def test_oin_derived_from_an_rsin_that_fails_the_elfproef_is_refused():
    assert oin_problem("00000001123456789000").code == "oin_embedded_rsin_invalid"


def test_oin_derived_from_a_kvk_number_must_end_in_four_zeros():
    assert oin_problem("00000003123456780000") is None
    assert oin_problem("00000003123456780001").code == "oin_embedded_kvk_invalid"


@pytest.mark.parametrize("value", ["0000000100321434500", "000000010032143450000", "0" * 20,
                                   "0000000A003214345000"])
def test_oin_that_is_not_twenty_digits_is_refused(value):
    assert oin_problem(value).code == "oin_format"
