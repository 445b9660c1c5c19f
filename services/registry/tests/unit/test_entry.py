from registry.domain.classification import Nis2Class
from registry.domain.entry import assess, changed_fields, entitlements_as_json, reasoning_as_json
from registry.domain.registration import parse_registration


def test_override_decides_entitlements_but_the_derived_value_stays(registration_data):
    reg = parse_registration(registration_data(sector="other"))
    assessment = assess(reg, Nis2Class.IMPORTANT)
    assert (assessment.derived.value, assessment.final) == (Nis2Class.NOT_IN_SCOPE,
                                                            Nis2Class.IMPORTANT)
    assert "incident_reporting.statutory" in assessment.entitlements


def test_entitlements_json_gives_deadlines_in_hours(registration_data):
    result = entitlements_as_json(assess(parse_registration(registration_data())).entitlements)
    assert result["incident_deadlines"] == {"early_warning_hours": 24,
                                            "incident_notification_hours": 72,
                                            "final_report_months": 1}
    assert result["services"] == sorted(result["services"])


def test_reasoning_json_keeps_both_languages_and_the_reference(registration_data):
    steps = reasoning_as_json(assess(parse_registration(registration_data())).derived)
    assert [s["code"] for s in steps] == ["annex_i", "size_large", "annex_i_large"]
    assert set(steps[0]) == {"code", "text_nl", "text_en", "reference"}


def test_changed_fields_names_top_level_fields_only_once():
    before = {"legal_name": "A", "security_contact": {"email": "a@x.nl", "phone_24x7": "1"}}
    after = {"legal_name": "A", "security_contact": {"email": "b@x.nl", "phone_24x7": "1"},
             "group_mailbox": "g@x.nl"}
    assert changed_fields(before, after) == ["group_mailbox", "security_contact"]
    assert changed_fields(after, after) == []
