from registry.domain.eu_report import belongs_in_report, counts_per_sector, report_row
from registry.domain.registration import parse_registration


def stored(registration_data, **overrides):
    return parse_registration(registration_data(**overrides)).model_dump(mode="json")


def test_report_row_has_the_article_3_4_fields_and_no_ip_ranges(registration_data):
    row = report_row(stored(registration_data, member_states=["NL", "DE"]), "essential")
    assert row["legal_name"] == "Waterbedrijf Voorbeeld N.V."
    assert (row["annex"], row["sector"], row["sector_name_en"]) == ("I", "drinking_water",
                                                                     "Drinking water")
    assert row["address"] == "Bezuidenhoutseweg 12, 2594 AV Den Haag, NL"
    assert row["member_states"] == ["NL", "DE"] and row["phone"] == "+31701234567"
    assert not any("ip" in key.split("_") for key in row)


def test_report_takes_entities_in_scope_and_article_27_providers_only():
    assert belongs_in_report("important", None, "registered")
    assert not belongs_in_report("not_in_scope", "food.food_business", "registered")
    assert belongs_in_report("not_in_scope", "digital_infrastructure.cdn_provider", "registered")
    assert not belongs_in_report("essential", None, "deregistered")


def test_counts_per_sector_split_essential_and_important():
    rows = [{"sector": "food", "subsector": None, "classification": c}
            for c in ("important", "important", "essential", "not_in_scope")]
    assert counts_per_sector(rows) == [
        {"sector": "food", "subsector": None, "essential": 1, "important": 2}]
