"""Reporting stages of NIS2 art. 23: drafts, completeness, order and deadlines."""

from datetime import UTC, datetime, timedelta

import pytest

from incidents.domain.clock import ManualClock
from incidents.domain.deadlines import DeadlineKind
from incidents.domain.errors import DomainError
from incidents.domain.reporting import (
    Answer,
    Indicator,
    Stage,
    check_order,
    complete_report,
    open_reporting,
    problems_in,
    record_incident_end,
    request_intermediate,
    save_draft,
    submit_stage,
)

AWARE = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)

EARLY_WARNING = {
    "suspected_malicious": True,
    "cross_border_impact": "onbekend",
    "contact": {"name": "J. de Vries", "email": "soc@example.org", "phone": "+31 70 123 4567"},
}
NOTIFICATION = {
    "initial_assessment": "Ransomware op het kantoornetwerk, OT niet geraakt.",
    "severity": "high",
    "impact": "Kantoorautomatisering twee dagen onbruikbaar.",
    "indicators_of_compromise": [{"type": "ipv4", "value": "192.0.2.10"}],
}
INTERMEDIATE = {"status_update": "Back-ups teruggezet."}
PROGRESS = {"status_update": "Herstel loopt nog.", "mitigation_ongoing": "Netwerk opnieuw ingericht."}
FINAL = {
    "description": "Toegang via een onbeheerde VPN-account.",
    "severity": "high",
    "impact": "Twee dagen verstoring.",
    "threat_type_or_root_cause": "Ransomware na credential stuffing.",
    "mitigation_applied": "MFA verplicht, account verwijderd.",
    "cross_border_impact": "nee",
}


@pytest.fixture
def clock():
    return ManualClock(AWARE + timedelta(hours=2))


def opened(in_scope=True):
    state, _ = open_reporting(in_nis2_scope=in_scope, became_aware_at=AWARE)
    return state


def submitted(state, clock, *steps):
    for stage, data in steps:
        state = submit_stage(state, stage, data, clock=clock).state
    return state


def kinds(deadlines):
    return [d.kind for d in deadlines]


# --- drafts and completeness ---------------------------------------------------------------


def test_draft_keeps_everything_typed_even_invalid_or_incomplete_values(clock):
    typed = {"severity": "heel erg", "impact": "", "whatever": 1}
    draft = save_draft(Stage.NOTIFICATION, typed, clock=clock)
    assert dict(draft.data) == typed
    assert draft.saved_at == clock.now()


def test_draft_is_a_copy_so_later_edits_do_not_change_it(clock):
    typed = {"impact": "eerste versie"}
    draft = save_draft(Stage.NOTIFICATION, typed, clock=clock)
    typed["impact"] = "gewijzigd"
    assert draft.data["impact"] == "eerste versie"


def test_problems_in_a_draft_name_each_missing_field():
    problems = {p.field: p.code for p in problems_in(Stage.EARLY_WARNING, {"suspected_malicious": "ja"})}
    assert problems == {"cross_border_impact": "required", "contact": "required"}


def test_complete_early_warning_has_no_problems():
    assert problems_in(Stage.EARLY_WARNING, EARLY_WARNING) == ()


def test_incomplete_report_is_refused_with_one_error_per_field_in_both_languages():
    with pytest.raises(DomainError) as refused:
        complete_report(Stage.FINAL, {"description": "x"})
    error = refused.value
    assert error.code == "report_incomplete"
    assert {d.field for d in error.details} == {
        "severity", "impact", "threat_type_or_root_cause", "mitigation_applied", "cross_border_impact",
    }
    assert all(d.message_nl and d.message_en for d in error.details)


def test_blank_text_does_not_count_as_filled_in():
    data = dict(NOTIFICATION, impact="   ")
    assert [(p.field, p.code) for p in problems_in(Stage.NOTIFICATION, data)] == [("impact", "invalid")]


def test_early_warning_requires_the_contact_details_of_the_responsible_official():
    data = dict(EARLY_WARNING, contact={"name": "J. de Vries", "email": "geen-adres", "phone": "070"})
    assert [p.field for p in problems_in(Stage.EARLY_WARNING, data)] == ["contact.email"]


def test_answers_accept_dutch_words_and_booleans():
    report = complete_report(Stage.EARLY_WARNING, EARLY_WARNING)
    assert report.suspected_malicious is Answer.YES
    assert report.cross_border_impact is Answer.UNKNOWN


def test_unknown_field_is_refused_on_submit_so_a_typo_is_not_silently_dropped():
    problems = problems_in(Stage.INTERMEDIATE, dict(INTERMEDIATE, stauts="x"))
    assert [(p.field, p.code) for p in problems] == [("stauts", "unknown_field")]


@pytest.mark.parametrize(
    ("kind", "typed", "canonical"),
    [
        ("ipv4", " 192.0.2.10 ", "192.0.2.10"),
        ("ipv6", "2001:DB8:0::1", "2001:db8::1"),
        ("domain", "Bücher.Example.", "bücher.example"),
        ("url", "https://evil.example/x?a=1", "https://evil.example/x?a=1"),
        ("sha256", "A" * 64, "a" * 64),
    ],
)
def test_indicators_are_kept_in_canonical_form(kind, typed, canonical):
    assert Indicator(type=kind, value=typed).value == canonical


@pytest.mark.parametrize(
    ("kind", "value"),
    [("ipv4", "192.0.2.300"), ("ipv6", "192.0.2.1"), ("domain", "-bad-.example"), ("url", "evil.example/x"), ("sha256", "abc")],
)
def test_invalid_indicators_are_refused(kind, value):
    data = dict(NOTIFICATION, indicators_of_compromise=[{"type": kind, "value": value}])
    assert [p.field for p in problems_in(Stage.NOTIFICATION, data)] == ["indicators_of_compromise.0.value"]


# --- order of stages -----------------------------------------------------------------------


def test_opening_an_in_scope_incident_starts_the_24_and_72_hour_deadlines():
    _, deadlines = open_reporting(in_nis2_scope=True, became_aware_at=AWARE)
    assert [(d.kind, d.due) for d in deadlines] == [
        (DeadlineKind.EARLY_WARNING, AWARE + timedelta(hours=24)),
        (DeadlineKind.NOTIFICATION, AWARE + timedelta(hours=72)),
    ]


def test_voluntary_reporter_has_no_statutory_deadlines(clock):
    _, deadlines = open_reporting(in_nis2_scope=False, became_aware_at=AWARE)
    assert deadlines == ()
    outcome = submit_stage(opened(in_scope=False), Stage.EARLY_WARNING, EARLY_WARNING, clock=clock)
    assert outcome.deadlines == ()
    assert not outcome.report.late


def test_notification_before_early_warning_is_refused(clock):
    with pytest.raises(DomainError) as refused:
        submit_stage(opened(), Stage.NOTIFICATION, NOTIFICATION, clock=clock)
    assert (refused.value.field, refused.value.code) == ("stage", "early_warning_first")


def test_order_is_checked_before_completeness(clock):
    with pytest.raises(DomainError) as refused:
        submit_stage(opened(), Stage.FINAL, {}, clock=clock)
    assert refused.value.code == "early_warning_first"


def test_early_warning_leaves_the_notification_deadline_open(clock):
    outcome = submit_stage(opened(), Stage.EARLY_WARNING, EARLY_WARNING, clock=clock)
    assert outcome.state.early_warning_at == clock.now()
    assert kinds(outcome.deadlines) == [DeadlineKind.NOTIFICATION]
    assert outcome.report.stage is Stage.EARLY_WARNING and not outcome.report.late


def test_early_warning_cannot_be_submitted_twice(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING))
    with pytest.raises(DomainError) as refused:
        check_order(state, Stage.EARLY_WARNING)
    assert refused.value.code == "stage_already_submitted"


def test_notification_starts_the_one_month_final_deadline(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING))
    clock.advance(timedelta(hours=30))
    outcome = submit_stage(state, Stage.NOTIFICATION, NOTIFICATION, clock=clock)
    assert [(d.kind, d.due) for d in outcome.deadlines] == [
        (DeadlineKind.FINAL, datetime(2025, 6, 2, 17, 0, tzinfo=UTC)),
    ]


def test_late_submission_is_accepted_and_marked_late(clock):
    clock.set(AWARE + timedelta(hours=25))
    outcome = submit_stage(opened(), Stage.EARLY_WARNING, EARLY_WARNING, clock=clock)
    assert outcome.report.late


def test_final_before_notification_is_refused(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING))
    with pytest.raises(DomainError) as refused:
        check_order(state, Stage.FINAL)
    assert refused.value.code == "notification_first"


def test_intermediate_report_without_a_csirt_request_is_refused(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    with pytest.raises(DomainError) as refused:
        check_order(state, Stage.INTERMEDIATE)
    assert refused.value.code == "intermediate_not_requested"


def test_intermediate_report_answers_one_request(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    state = submit_stage(request_intermediate(state), Stage.INTERMEDIATE, INTERMEDIATE, clock=clock).state
    assert state.intermediate_count == 1 and not state.intermediate_requested
    with pytest.raises(DomainError):
        check_order(state, Stage.INTERMEDIATE)


def test_csirt_cannot_request_an_intermediate_report_before_the_notification(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING))
    with pytest.raises(DomainError) as refused:
        request_intermediate(state)
    assert refused.value.code == "intermediate_not_possible"


def test_final_report_closes_the_reporting(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    outcome = submit_stage(state, Stage.FINAL, FINAL, clock=clock)
    assert outcome.deadlines == ()
    with pytest.raises(DomainError) as refused:
        check_order(outcome.state, Stage.INTERMEDIATE)
    assert refused.value.code == "reporting_closed"


def test_progress_report_suspends_the_final_deadline_until_the_incident_ends(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    clock.advance(timedelta(days=30))
    outcome = submit_stage(state, Stage.PROGRESS, PROGRESS, clock=clock)
    assert outcome.deadlines == ()

    clock.advance(timedelta(days=10))
    ended = clock.now() - timedelta(days=2)
    _, deadlines = record_incident_end(outcome.state, ended, clock=clock)
    assert [(d.kind, d.due) for d in deadlines] == [(DeadlineKind.FINAL, ended + timedelta(days=30))]


def test_final_after_progress_is_late_only_against_the_end_of_incident_month(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    clock.advance(timedelta(days=30))
    state = submit_stage(state, Stage.PROGRESS, PROGRESS, clock=clock).state
    clock.advance(timedelta(days=20))
    state, _ = record_incident_end(state, clock.now(), clock=clock)
    clock.advance(timedelta(days=20))  # 70 days after the notification, 20 after the end
    assert not submit_stage(state, Stage.FINAL, FINAL, clock=clock).report.late


def test_progress_report_after_the_incident_ended_is_refused(clock):
    state = submitted(opened(), clock, (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION))
    state, _ = record_incident_end(state, clock.now(), clock=clock)
    with pytest.raises(DomainError) as refused:
        check_order(state, Stage.PROGRESS)
    assert refused.value.code == "incident_ended"


def test_only_one_progress_report_is_accepted(clock):
    state = submitted(
        opened(), clock,
        (Stage.EARLY_WARNING, EARLY_WARNING), (Stage.NOTIFICATION, NOTIFICATION), (Stage.PROGRESS, PROGRESS),
    )
    with pytest.raises(DomainError) as refused:
        check_order(state, Stage.PROGRESS)
    assert refused.value.code == "stage_already_submitted"


def test_incident_end_in_the_future_is_refused(clock):
    with pytest.raises(DomainError) as refused:
        record_incident_end(opened(), clock.now() + timedelta(hours=1), clock=clock)
    assert refused.value.code == "end_out_of_range"
