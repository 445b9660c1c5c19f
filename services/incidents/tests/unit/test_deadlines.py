"""Deadlines of NIS2 art. 23 and how a reporter's "became aware at" is read."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from weerbaar_platform.testing import shared_data

from incidents.domain.clock import ManualClock, SystemClock
from incidents.domain.deadlines import (
    Deadline,
    DeadlineKind,
    add_one_month,
    early_warning_deadline,
    final_deadline,
    final_deadline_after_progress,
    notification_deadline,
    reminder_schedule,
    resolve_became_aware,
    resolve_incident_end,
    to_amsterdam,
)
from incidents.domain.errors import DomainError

GROUND_TRUTH = shared_data("incidents", "nis2_early_warning_naive_dst_times.json")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def clock():
    return ManualClock(utc(2025, 11, 1, 12, 0))


# --- the ground-truth cases (nis2_early_warning_naive_dst_times.json) -------------------


def test_naive_time_on_a_normal_day_is_read_as_amsterdam_time(clock):
    moment = resolve_became_aware("2025-10-20 14:30:00", clock=clock)
    assert moment.at == utc(2025, 10, 20, 12, 30)  # CEST, UTC+2
    assert not moment.ambiguous and moment.notice is None


def test_time_with_offset_is_used_as_given(clock):
    # incident.submitted_at in the ground-truth file
    moment = resolve_became_aware("2025-10-27T01:15:00+01:00", clock=clock)
    assert moment.at == utc(2025, 10, 27, 0, 15)
    assert not moment.ambiguous


def test_ambiguous_autumn_time_is_flagged_and_the_earlier_instant_used(clock):
    # incident.became_aware_at in the ground-truth file: 02:30 happened in CEST and in CET.
    moment = resolve_became_aware("2025-10-26 02:30:00", clock=clock)
    assert moment.ambiguous
    assert moment.at == utc(2025, 10, 26, 0, 30)  # 02:30 CEST
    assert moment.later_alternative == utc(2025, 10, 26, 1, 30)  # 02:30 CET
    assert moment.notice.code == "ambiguous_local_time"
    assert "twee keer" in moment.notice.message_nl and "twice" in moment.notice.message_en


def test_ambiguous_autumn_time_gives_the_earlier_deadlines(clock):
    moment = resolve_became_aware("2025-10-26 02:30:00", clock=clock)
    assert early_warning_deadline(moment.at).due == utc(2025, 10, 27, 0, 30)
    assert notification_deadline(moment.at).due == utc(2025, 10, 29, 0, 30)


def test_nonexistent_spring_time_is_refused(clock):
    # incident.first_detected_at in the ground-truth file: 02:00-03:00 was skipped.
    with pytest.raises(DomainError) as refused:
        resolve_became_aware("2025-03-30T02:30:00", clock=clock)
    assert refused.value.code == "nonexistent_local_time"
    assert refused.value.field == "became_aware_at"
    assert "bestaat niet" in refused.value.message_nl
    assert "does not exist" in refused.value.message_en


def test_ground_truth_file_early_warning_is_on_time_with_the_earlier_deadline():
    incident = json.loads(GROUND_TRUTH.read_text())["incident"]
    submitted = datetime.fromisoformat(incident["submitted_at"])
    clock = ManualClock(submitted)

    aware = resolve_became_aware(incident["became_aware_at"], clock=clock)
    assert aware.ambiguous
    assert submitted <= early_warning_deadline(aware.at).due
    with pytest.raises(DomainError, match="nonexistent_local_time"):
        resolve_became_aware(incident["first_detected_at"], clock=clock)


# --- other refusals ---------------------------------------------------------------------


def test_awareness_in_the_future_is_refused(clock):
    with pytest.raises(DomainError) as refused:
        resolve_became_aware(clock.now() + timedelta(hours=1), clock=clock)
    assert refused.value.code == "aware_in_future"


def test_awareness_a_little_ahead_is_accepted_as_clock_skew(clock):
    ahead = clock.now() + timedelta(minutes=3)
    assert resolve_became_aware(ahead, clock=clock).at == ahead


def test_unreadable_time_is_refused_with_an_example(clock):
    with pytest.raises(DomainError) as refused:
        resolve_became_aware("gisteren rond drie uur", clock=clock)
    assert refused.value.code == "invalid_datetime"
    assert "2025-10-26 14:30" in refused.value.message_en


# --- statutory deadlines ------------------------------------------------------------------


def test_early_warning_is_due_24_hours_after_becoming_aware():
    assert early_warning_deadline(utc(2025, 5, 1, 9)) == Deadline(DeadlineKind.EARLY_WARNING, utc(2025, 5, 2, 9))


def test_notification_is_due_72_hours_after_becoming_aware():
    assert notification_deadline(utc(2025, 5, 1, 9)) == Deadline(DeadlineKind.NOTIFICATION, utc(2025, 5, 4, 9))


def test_24_hours_across_the_dst_change_are_real_hours_not_wall_clock():
    # Aware at 12:00 CEST on 25 Oct; 24 real hours later it is 11:00 CET on the 26th.
    due = early_warning_deadline(utc(2025, 10, 25, 10)).due
    assert to_amsterdam(due).strftime("%Y-%m-%d %H:%M %z") == "2025-10-26 11:00 +0100"


def test_final_is_due_one_calendar_month_after_the_notification():
    assert final_deadline(utc(2025, 5, 14, 8)).due == utc(2025, 6, 14, 8)


def test_one_month_after_january_31_is_the_last_day_of_february():
    assert to_amsterdam(add_one_month(utc(2025, 1, 31, 9))).date().isoformat() == "2025-02-28"
    assert to_amsterdam(add_one_month(utc(2024, 1, 31, 9))).date().isoformat() == "2024-02-29"


def test_one_month_keeps_the_amsterdam_wall_clock_time_across_dst():
    # 14:00 CET in March -> 14:00 CEST in April, which is one UTC hour earlier.
    assert add_one_month(utc(2025, 3, 10, 13)) == utc(2025, 4, 10, 12)


def test_one_month_is_counted_on_the_amsterdam_calendar_not_utc():
    # 31 Jan 23:30 UTC is already 1 Feb in Amsterdam: the month ends on 1 March.
    assert to_amsterdam(add_one_month(utc(2025, 1, 31, 23, 30))).date().isoformat() == "2025-03-01"


def test_one_month_after_december_is_january_next_year():
    assert add_one_month(utc(2025, 12, 15, 10)) == utc(2026, 1, 15, 10)


def test_final_after_progress_is_due_one_month_after_the_incident_ended():
    assert final_deadline_after_progress(utc(2025, 7, 2, 10)) == Deadline(DeadlineKind.FINAL, utc(2025, 8, 2, 10))


def test_deadlines_refuse_naive_datetimes():
    with pytest.raises(ValueError):
        early_warning_deadline(datetime(2025, 5, 1, 9))


def test_to_amsterdam_shows_a_utc_deadline_in_local_time():
    shown = to_amsterdam(utc(2025, 7, 1, 10))
    assert (shown.hour, shown.utcoffset()) == (12, timedelta(hours=2))


# --- reminders ------------------------------------------------------------------------------


def test_short_deadlines_get_reminders_6_hours_and_1_hour_before():
    due = utc(2025, 5, 2, 9)
    schedule = reminder_schedule(Deadline(DeadlineKind.EARLY_WARNING, due))
    assert schedule.reminders == (utc(2025, 5, 2, 3), utc(2025, 5, 2, 8))
    assert schedule.missed_at == due


def test_final_deadline_gets_reminders_7_days_and_1_day_before():
    due = utc(2025, 6, 14, 8)
    schedule = reminder_schedule(Deadline(DeadlineKind.FINAL, due))
    assert schedule.reminders == (utc(2025, 6, 7, 8), utc(2025, 6, 13, 8))
    assert schedule.missed_at == due


def test_reminders_already_past_are_left_out():
    due = utc(2025, 5, 4, 9)
    schedule = reminder_schedule(Deadline(DeadlineKind.NOTIFICATION, due), after=due - timedelta(hours=2))
    assert schedule.reminders == (utc(2025, 5, 4, 8),)


# --- clocks -----------------------------------------------------------------------------------


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(datetime.fromisoformat("2025-05-01T11:00:00+02:00"))
    assert clock.now() == utc(2025, 5, 1, 9)
    clock.advance(timedelta(hours=25))
    assert clock.now() == utc(2025, 5, 2, 10)


def test_manual_clock_refuses_a_naive_time():
    with pytest.raises(ValueError):
        ManualClock(datetime(2025, 5, 1, 9))


def test_system_clock_gives_utc():
    assert SystemClock().now().utcoffset() == timedelta(0)


# --- absurd years: refused by name, never an overflow ------------------------------------


@pytest.mark.parametrize("typed", [
    "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "0001-01-01 00:00", "1999-12-31T23:59:59Z",
    "2000-01-01T00:30:00+01:00", "0025-10-20 14:30",
])
def test_awareness_before_2000_is_refused_naming_the_field(clock, typed):
    with pytest.raises(DomainError) as refused:
        resolve_became_aware(typed, clock=clock)
    assert (refused.value.field, refused.value.code) == ("became_aware_at", "moment_out_of_range")
    assert "2000" in refused.value.message_nl and "2000" in refused.value.message_en


@pytest.mark.parametrize("typed", ["9999-12-31T23:59:59-12:00", "9999-12-31 23:59", "9998-12-31T23:59:59-12:00",
                                   "2999-01-01T00:00:00Z"])
def test_awareness_at_the_end_of_the_calendar_is_refused_without_overflow(clock, typed):
    with pytest.raises(DomainError) as refused:
        resolve_became_aware(typed, clock=clock)
    assert refused.value.field == "became_aware_at"
    assert refused.value.code in ("moment_out_of_range", "aware_in_future")


def test_awareness_on_the_first_instant_of_2000_is_accepted(clock):
    assert resolve_became_aware("2000-01-01T00:00:00Z", clock=clock).at == utc(2000, 1, 1)


@pytest.mark.parametrize("typed", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "morgen"])
def test_incident_end_is_read_with_its_own_field_name(typed):
    with pytest.raises(DomainError) as refused:
        resolve_incident_end(typed)
    assert refused.value.field == "incident_ended_at"


def test_incident_end_in_a_dst_gap_names_the_end_field():
    with pytest.raises(DomainError) as refused:
        resolve_incident_end("2025-03-30 02:30")
    assert (refused.value.field, refused.value.code) == ("incident_ended_at", "nonexistent_local_time")


@pytest.mark.parametrize("value", ["2025-10-26", "20251026", " 2025-03-30 "])
def test_a_date_without_a_time_is_refused_not_read_as_midnight(value):
    from incidents.domain.deadlines import read_moment

    with pytest.raises(DomainError) as refused:
        read_moment(value, field="became_aware_at")
    assert refused.value.code == "time_missing" and refused.value.field == "became_aware_at"
    assert "14:30" in refused.value.message_nl and "14:30" in refused.value.message_en
