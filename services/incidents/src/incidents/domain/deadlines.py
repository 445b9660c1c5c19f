"""Statutory deadlines of NIS2 article 23 (Cyberbeveiligingswet) and their reminders.

All instants are kept in UTC. Only reading a reporter's wall-clock time and showing a
deadline back to a person involve Europe/Amsterdam.
"""

from __future__ import annotations

import re

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from incidents.domain.clock import Clock
from incidents.domain.errors import DomainError, Notice

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

EARLY_WARNING_WITHIN = timedelta(hours=24)
NOTIFICATION_WITHIN = timedelta(hours=72)

# Reporters' and our clocks are never perfectly in step; a moment of becoming aware a
# few minutes "in the future" is skew, not a typo.
CLOCK_SKEW_TOLERANCE = timedelta(minutes=5)


class DeadlineKind(StrEnum):
    EARLY_WARNING = "early_warning"
    NOTIFICATION = "notification"
    FINAL = "final"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: datetime  # UTC


@dataclass(frozen=True)
class AwarenessMoment:
    """When the organisation became aware of the incident, resolved to one UTC instant.

    ``ambiguous`` is set when a local time given without offset happened twice (autumn
    DST change); ``at`` is then the earlier instant and ``later_alternative`` the other.
    """

    at: datetime
    ambiguous: bool = False
    later_alternative: datetime | None = None
    notice: Notice | None = None


# No moment a constituent reports lies before this: earlier ones are typos (year 1, a
# two-digit year read as the first century). The floor also keeps every instant far from
# the ends of Python's calendar, so offset and deadline arithmetic cannot overflow.
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
# Wall-clock years outside this window are refused before any offset is applied: a UTC
# offset shifts an instant by less than a day, so conversion inside it never overflows.
_SAFE_WALL_YEARS = range(EARLIEST_MOMENT.year - 1, 9999)


def resolve_became_aware(
    value: datetime | str,
    *,
    clock: Clock,
    zone: ZoneInfo = AMSTERDAM,
    skew: timedelta = CLOCK_SKEW_TOLERANCE,
) -> AwarenessMoment:
    """Turn the reporter's "became aware at" into a UTC instant, or refuse it.

    With an offset the value is taken as is. Without one it is read as wall-clock time
    in ``zone``: a time that happened twice is flagged and the earlier instant used
    (the stricter deadlines); a time that never happened is refused. The moment must lie
    between ``EARLIEST_MOMENT`` and now (plus clock skew).
    """
    moment = read_moment(value, field="became_aware_at", zone=zone)
    if moment.at > clock.now() + skew:
        raise DomainError(
            "became_aware_at",
            "aware_in_future",
            "Het moment van kennisname ligt in de toekomst. Controleer datum, tijd en tijdzone.",
            "The moment of becoming aware lies in the future. Check the date, time and time zone.",
        )
    return moment


def resolve_incident_end(value: datetime | str, *, zone: ZoneInfo = AMSTERDAM) -> AwarenessMoment:
    """The end of an incident, read by the same zone rules as the moment of becoming aware.

    Whether it lies between that moment and now is ``reporting.record_incident_end``'s rule.
    """
    return read_moment(value, field="incident_ended_at", zone=zone)


def read_moment(value: datetime | str, *, field: str, zone: ZoneInfo = AMSTERDAM) -> AwarenessMoment:
    """One instant a person typed, as UTC; refused (naming ``field``) when unreadable,
    nonexistent in ``zone`` or before ``EARLIEST_MOMENT``."""
    local = _parse(value, field)
    if local.year not in _SAFE_WALL_YEARS:
        raise _out_of_range(field)
    if local.tzinfo is not None and local.utcoffset() is not None:
        moment = AwarenessMoment(at=local.astimezone(UTC))
    else:
        moment = _resolve_wall_time(local, zone, field)
    if moment.at < EARLIEST_MOMENT:
        raise _out_of_range(field)
    return moment


def _out_of_range(field: str) -> DomainError:
    return DomainError(
        field,
        "moment_out_of_range",
        "Dit tijdstip moet tussen 1 januari 2000 en nu liggen. Controleer het jaartal.",
        "This moment must lie between 1 January 2000 and now. Check the year.",
    )


_DATE_ONLY = re.compile(r"^\s*\d{4}-?\d{2}-?\d{2}\s*$")


def _parse(value: datetime | str, field: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if _DATE_ONLY.match(value):
        # fromisoformat would read it as midnight; a deadline from a guessed time is wrong.
        raise DomainError(
            field,
            "time_missing",
            f"Bij '{value.strip()}' ontbreekt de tijd; vul ook het tijdstip in, bijvoorbeeld {value.strip()} 14:30.",
            f"'{value.strip()}' has no time; add the time of day too, for example {value.strip()} 14:30.",
        )
    try:
        # Python 3.11 reads both "2025-10-26 02:30:00" and "...T02:30:00+01:00" / "Z".
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            field,
            "invalid_datetime",
            f"'{value}' is geen geldige datum en tijd; gebruik bijvoorbeeld 2025-10-26 14:30.",
            f"'{value}' is not a valid date and time; use for example 2025-10-26 14:30.",
        ) from None


def _resolve_wall_time(naive: datetime, zone: ZoneInfo, field: str) -> AwarenessMoment:
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    # zoneinfo quietly accepts times inside the spring gap; a round trip through UTC
    # shows them, because they come back as a different wall-clock time.
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise DomainError(
            field,
            "nonexistent_local_time",
            f"{naive:%Y-%m-%d %H:%M} bestaat niet in {zone.key}: de klok sprong die nacht "
            "een uur vooruit (zomertijd). Geef de tijd met UTC-verschil, bijvoorbeeld +01:00 of +02:00.",
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks went forward an "
            "hour that night (summer time). Give the time with its UTC offset, e.g. +01:00 or +02:00.",
        )
    if earlier.utcoffset() == later.utcoffset():
        return AwarenessMoment(at=earlier.astimezone(UTC))
    first, second = earlier.astimezone(UTC), later.astimezone(UTC)
    return AwarenessMoment(
        at=first,
        ambiguous=True,
        later_alternative=second,
        notice=Notice(
            field,
            "ambiguous_local_time",
            f"{naive:%Y-%m-%d %H:%M} kwam in {zone.key} twee keer voor (einde zomertijd). "
            f"We gaan uit van de eerste keer ({earlier:%H:%M %z}); de termijnen rekenen daarmee.",
            f"{naive:%Y-%m-%d %H:%M} happened twice in {zone.key} (end of summer time). "
            f"We use the first one ({earlier:%H:%M %z}); the deadlines are counted from it.",
        ),
    )


def early_warning_deadline(became_aware_at: datetime) -> Deadline:
    return Deadline(DeadlineKind.EARLY_WARNING, _utc(became_aware_at) + EARLY_WARNING_WITHIN)


def notification_deadline(became_aware_at: datetime) -> Deadline:
    return Deadline(DeadlineKind.NOTIFICATION, _utc(became_aware_at) + NOTIFICATION_WITHIN)


def final_deadline(notification_submitted_at: datetime) -> Deadline:
    return Deadline(DeadlineKind.FINAL, add_one_month(notification_submitted_at))


def final_deadline_after_progress(incident_ended_at: datetime) -> Deadline:
    """After a progress report the final report is due a month after the incident ended."""
    return Deadline(DeadlineKind.FINAL, add_one_month(incident_ended_at))


def add_one_month(moment: datetime) -> datetime:
    """One calendar month later, counted on the Dutch calendar and clock.

    Same day next month at the same Amsterdam wall-clock time. When that day does not
    exist the last day of that month is used (31 January -> 28/29 February, 31 March ->
    30 April): the deadline never spills into the month after next, and it never comes
    later than a reporter reading "one month" would expect. A wall-clock time that
    happens twice that day takes the first; one that does not exist moves forward with
    the clocks (02:30 -> 03:30 summer time).
    """
    local = _utc(moment).astimezone(AMSTERDAM)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day, fold=0).astimezone(UTC)


def to_amsterdam(moment: datetime) -> datetime:
    """For showing a stored UTC instant to a person in the Netherlands."""
    return _utc(moment).astimezone(AMSTERDAM)


# How long before each deadline a reminder goes out. The short deadlines get a
# working-shift warning and a last call; the month-long one a week's and a day's notice.
REMINDERS_BEFORE: dict[DeadlineKind, tuple[timedelta, ...]] = {
    DeadlineKind.EARLY_WARNING: (timedelta(hours=6), timedelta(hours=1)),
    DeadlineKind.NOTIFICATION: (timedelta(hours=6), timedelta(hours=1)),
    DeadlineKind.FINAL: (timedelta(days=7), timedelta(days=1)),
}


@dataclass(frozen=True)
class ReminderSchedule:
    deadline: Deadline
    reminders: tuple[datetime, ...]  # UTC, earliest first
    missed_at: datetime  # the instant the deadline counts as missed


def reminder_schedule(deadline: Deadline, *, after: datetime | None = None) -> ReminderSchedule:
    """The reminder instants for one deadline; those not after ``after`` are left out.

    Passing ``after`` (usually now) keeps a late-opened incident from getting a burst of
    reminders whose moment has already gone.
    """
    due = _utc(deadline.due)
    instants = sorted(due - before for before in REMINDERS_BEFORE[deadline.kind])
    if after is not None:
        instants = [at for at in instants if at > _utc(after)]
    return ReminderSchedule(deadline=deadline, reminders=tuple(instants), missed_at=due)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("deadline arithmetic needs a timezone-aware datetime")
    return moment.astimezone(UTC)
