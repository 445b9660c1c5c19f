from decimal import Decimal

import pytest

from registry.domain.enterprise_size import CompanySize, SizeClass, size_class

M = 1_000_000


def size(employees: int, turnover: float, balance: float) -> SizeClass:
    return size_class(CompanySize(
        employees=employees, annual_turnover_eur=Decimal(str(turnover)),
        balance_sheet_total_eur=Decimal(str(balance)))).size_class


def test_250_employees_is_large_whatever_the_money():
    assert size(250, 0, 0) is SizeClass.LARGE


def test_249_employees_with_modest_finances_is_medium():
    assert size(249, 1 * M, 1 * M) is SizeClass.MEDIUM


def test_large_by_money_needs_both_turnover_above_50m_and_balance_above_43m():
    assert size(10, 50 * M + 1, 43 * M + 1) is SizeClass.LARGE


@pytest.mark.parametrize("turnover,balance", [(50 * M, 43 * M + 1), (50 * M + 1, 43 * M),
                                              (60 * M, 1 * M), (1 * M, 60 * M)])
def test_staying_at_or_below_one_money_ceiling_keeps_an_enterprise_below_large(turnover, balance):
    assert size(100, turnover, balance) is SizeClass.MEDIUM


def test_50_employees_is_at_least_medium():
    assert size(50, 0, 0) is SizeClass.MEDIUM


def test_49_employees_with_small_finances_is_small():
    assert size(49, 10 * M, 10 * M) is SizeClass.SMALL


def test_medium_by_money_needs_both_turnover_and_balance_above_10m():
    assert size(5, 10 * M + 1, 10 * M + 1) is SizeClass.MEDIUM
    assert size(5, 10 * M + 1, 10 * M) is SizeClass.SMALL
    assert size(5, 10 * M, 10 * M + 1) is SizeClass.SMALL


def test_micro_is_below_10_employees_and_a_2m_money_ceiling():
    assert size(9, 2 * M, 2 * M) is SizeClass.MICRO
    assert size(10, 0, 0) is SizeClass.SMALL
    assert size(9, 2 * M + 1, 2 * M + 1) is SizeClass.SMALL


def test_finding_says_which_test_exceeded_the_ceiling():
    finding = size_class(CompanySize(employees=10, annual_turnover_eur=Decimal(60 * M),
                                     balance_sheet_total_eur=Decimal(50 * M)))
    assert (finding.size_class, finding.exceeded_by) == (SizeClass.LARGE, "financial")


@pytest.mark.parametrize("field", ["employees", "annual_turnover_eur", "balance_sheet_total_eur"])
def test_true_or_false_is_not_a_number(field):
    from pydantic import ValidationError

    from registry.domain.enterprise_size import CompanySize

    figures = {"employees": 10, "annual_turnover_eur": "1000", "balance_sheet_total_eur": "1000", field: True}
    with pytest.raises(ValidationError) as refused:
        CompanySize.model_validate(figures)
    assert refused.value.errors()[0]["loc"] == (field,)
    assert refused.value.errors()[0]["ctx"]["message_nl"].startswith("Vul een getal in")
    assert CompanySize.model_validate({**figures, field: "12"}) is not None  # a form's text still reads
