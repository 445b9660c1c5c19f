"""Codes and instants as a person reads them on a page."""
from gateway.domain.wording import local_time, stage_name
from weerbaar_platform.text import sentence


def test_stages_read_by_their_names_in_both_languages():
    assert stage_name("final") == "eindverslag" and stage_name("final", "en") == "final report"
    assert stage_name("early_warning", "en") == "early warning"
    assert stage_name("something_new") == "something_new"  # an unknown code is shown, not hidden


def test_instants_read_as_amsterdam_wall_clock_time():
    assert local_time("2027-01-04T05:24:53.133492+00:00") == "04-01-2027 06:24 CET"
    assert local_time("2026-07-01T10:00:00+00:00") == "01-07-2026 12:00 CEST"
    assert local_time("not a time") == "not a time" and local_time(None) == ""


def test_a_name_ending_in_a_full_stop_ends_the_sentence_once():
    assert sentence("Waterbedrijf Voorbeeld N.V.") == "Waterbedrijf Voorbeeld N.V."
    assert sentence("Zuivel B.V") == "Zuivel B.V."
