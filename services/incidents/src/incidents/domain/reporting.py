"""The reporting stages of NIS2 article 23 (Cyberbeveiligingswet, meldplicht).

Each stage is a version of the report that is kept: vroegtijdige waarschuwing (early
warning), incidentmelding (notification), tussentijds verslag (intermediate report, only
on the CSIRT's request), eindverslag (final report) or voortgangsverslag (progress
report, when the incident is still going on at the final deadline).

A draft of any stage keeps whatever was typed; only submitting checks completeness and
the order of stages.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import idna
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from incidents.domain.clock import Clock
from incidents.domain.deadlines import (
    Deadline,
    DeadlineKind,
    early_warning_deadline,
    final_deadline,
    final_deadline_after_progress,
    notification_deadline,
)
from incidents.domain.errors import DomainError


class Stage(StrEnum):
    EARLY_WARNING = "early_warning"
    NOTIFICATION = "notification"
    INTERMEDIATE = "intermediate"
    FINAL = "final"
    PROGRESS = "progress"


# --- field types -----------------------------------------------------------------------


class Answer(StrEnum):
    """Yes / no / not yet known: in the first hours "onbekend" is an honest answer."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


_ANSWER_SYNONYMS = {True: "yes", False: "no", "ja": "yes", "nee": "no", "onbekend": "unknown"}


def _read_answer(value: Any) -> Any:
    key = value.strip().lower() if isinstance(value, str) else value
    return _ANSWER_SYNONYMS.get(key, key) if isinstance(key, (str, bool)) else value


AnswerField = Annotated[Answer, BeforeValidator(_read_answer)]


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text.strip()


Text = Annotated[str, AfterValidator(_not_blank)]

IndicatorType = Literal["ipv4", "ipv6", "domain", "url", "sha256"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Indicator(BaseModel):
    """One indicator of compromise, checked and written in its canonical form."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: IndicatorType
    value: str

    @field_validator("value")
    @classmethod
    def _canonical(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("type")
        return value.strip() if kind is None else _canonical_indicator(kind, value.strip())


def _canonical_indicator(kind: str, value: str) -> str:
    match kind:
        case "ipv4":
            return str(ipaddress.IPv4Address(value))
        case "ipv6":
            return str(ipaddress.IPv6Address(value))
        case "domain":
            # Keep the Unicode form people read; the STIX export writes the A-label.
            try:
                return idna.decode(idna.encode(value.rstrip("."), uts46=True))
            except idna.IDNAError as exc:
                raise ValueError(f"not a valid domain name: {exc}") from None
        case "url":
            parts = urlsplit(value)
            if parts.scheme.lower() not in {"http", "https", "ftp"} or not parts.hostname:
                raise ValueError("a URL needs a scheme (http, https, ftp) and a host")
            return value
        case "sha256":
            if not _SHA256.fullmatch(value.lower()):
                raise ValueError("a SHA-256 hash is 64 hexadecimal characters")
            return value.lower()
    raise ValueError(f"unknown indicator type {kind}")


def _email(value: str) -> str:
    # A shape check only (one "@", a valid domain): email-validator is not among the
    # project's dependencies, and whether the address receives mail is notify's concern.
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or " " in local or "." not in domain:
        raise ValueError("not an e-mail address")
    try:
        idna.encode(domain, uts46=True)
    except idna.IDNAError:
        raise ValueError("not an e-mail address") from None
    return f"{local}@{domain.lower()}"


Email = Annotated[str, AfterValidator(_email)]


class ContactPerson(BaseModel):
    """The Cbw asks for the contact details of the person responsible for the report."""

    model_config = ConfigDict(extra="forbid")

    name: Text
    email: Email
    phone: Text


# --- one model per stage; required fields are the ones the law asks for ---------------


class _StageReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EarlyWarning(_StageReport):
    """Art. 23(4)(a): within 24 hours of becoming aware."""

    suspected_malicious: AnswerField  # suspected unlawful or malicious act?
    cross_border_impact: AnswerField
    contact: ContactPerson  # Cyberbeveiligingswet addition
    summary: str | None = None


class Notification(_StageReport):
    """Art. 23(4)(b): within 72 hours; updates the early warning, first assessment."""

    early_warning_update: str | None = None
    initial_assessment: Text
    severity: Severity
    impact: Text
    indicators_of_compromise: list[Indicator] = Field(default_factory=list)


class Intermediate(_StageReport):
    """Art. 23(4)(c): only when the CSIRT asks for it."""

    status_update: Text
    severity: Severity | None = None
    impact: str | None = None
    indicators_of_compromise: list[Indicator] = Field(default_factory=list)


class Final(_StageReport):
    """Art. 23(4)(d): within one month of the notification."""

    description: Text
    severity: Severity
    impact: Text
    threat_type_or_root_cause: Text
    mitigation_applied: Text
    mitigation_ongoing: str | None = None
    cross_border_impact: AnswerField
    cross_border_details: str | None = None
    indicators_of_compromise: list[Indicator] = Field(default_factory=list)


class Progress(_StageReport):
    """Art. 23(4)(e): the incident is still going on when the final report is due."""

    status_update: Text
    mitigation_ongoing: Text
    indicators_of_compromise: list[Indicator] = Field(default_factory=list)


StageReport = EarlyWarning | Notification | Intermediate | Final | Progress

STAGE_MODELS: dict[Stage, type[_StageReport]] = {
    Stage.EARLY_WARNING: EarlyWarning,
    Stage.NOTIFICATION: Notification,
    Stage.INTERMEDIATE: Intermediate,
    Stage.FINAL: Final,
    Stage.PROGRESS: Progress,
}


# --- drafts and completeness ------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """What was typed so far, kept verbatim: even a half-filled or wrong value survives."""

    stage: Stage
    data: Mapping[str, Any]
    saved_at: datetime


def save_draft(stage: Stage, data: Mapping[str, Any], *, clock: Clock) -> Draft:
    return Draft(stage=Stage(stage), data=dict(data), saved_at=clock.now())


def problems_in(stage: Stage, data: Mapping[str, Any]) -> tuple[DomainError, ...]:
    """What still stands between this draft and submitting it; empty when complete."""
    try:
        STAGE_MODELS[Stage(stage)].model_validate(dict(data))
    except ValidationError as exc:
        return tuple(_field_error(err) for err in exc.errors())
    return ()


def complete_report(stage: Stage, data: Mapping[str, Any]) -> StageReport:
    """The stage's report if every required field is there and valid; else one error per field."""
    try:
        return STAGE_MODELS[Stage(stage)].model_validate(dict(data))  # type: ignore[return-value]
    except ValidationError as exc:
        details = tuple(_field_error(err) for err in exc.errors())
    raise DomainError(
        None,
        "report_incomplete",
        "Het verslag is nog niet compleet; vul de gemarkeerde velden aan.",
        "The report is not complete yet; fill in the marked fields.",
        details=details,
    )


def _field_error(err: Mapping[str, Any]) -> DomainError:
    field = ".".join(str(part) for part in err["loc"]) or None
    if err["type"] == "missing":
        return DomainError(field, "required", "Dit veld is verplicht.", "This field is required.")
    if err["type"] == "extra_forbidden":
        return DomainError(
            field, "unknown_field", "Dit veld hoort niet bij dit verslag.",
            "This field does not belong to this report.",
        )
    return DomainError(
        field, "invalid", f"Deze waarde is ongeldig ({err['msg']}).", f"This value is invalid ({err['msg']}).",
    )


# --- order of stages and the deadlines that follow --------------------------------------


class ReportingState(BaseModel):
    """Where an incident stands in the reporting procedure; instants in UTC.

    ``in_nis2_scope`` is False for organisations that report voluntarily (art. 30):
    the same stages, but no statutory deadlines.
    """

    model_config = ConfigDict(frozen=True)

    in_nis2_scope: bool
    became_aware_at: AwareDatetime
    early_warning_at: AwareDatetime | None = None
    notification_at: AwareDatetime | None = None
    intermediate_requested: bool = False
    intermediate_count: int = 0
    progress_at: AwareDatetime | None = None
    incident_ended_at: AwareDatetime | None = None
    final_at: AwareDatetime | None = None


@dataclass(frozen=True)
class SubmittedReport:
    """One kept version of the report."""

    stage: Stage
    version: int
    submitted_at: datetime
    content: StageReport
    late: bool  # submitted after its statutory deadline


@dataclass(frozen=True)
class Submission:
    state: ReportingState
    report: SubmittedReport
    deadlines: tuple[Deadline, ...]  # the statutory deadlines still open after this step


def open_reporting(*, in_nis2_scope: bool, became_aware_at: datetime) -> tuple[ReportingState, tuple[Deadline, ...]]:
    state = ReportingState(in_nis2_scope=in_nis2_scope, became_aware_at=became_aware_at.astimezone(UTC))
    return state, open_deadlines(state)


def submit_stage(
    state: ReportingState, stage: Stage, data: Mapping[str, Any], *, clock: Clock, version: int = 1
) -> Submission:
    """Submit one stage now: order first (cheaper to hear), then completeness.

    ``version`` is the report's version number as the caller keeps it (one per submission).
    """
    stage = Stage(stage)
    check_order(state, stage)
    content = complete_report(stage, data)
    now = clock.now().astimezone(UTC)
    due = _due_for(state, stage)
    new_state = _advance(state, stage, now)
    report = SubmittedReport(stage, version, now, content, late=due is not None and now > due.due)
    return Submission(new_state, report, open_deadlines(new_state))


def check_order(state: ReportingState, stage: Stage) -> None:
    """Strict order: early warning, notification, intermediate (on request), final or progress."""
    if state.final_at is not None:
        raise _order_error(
            "reporting_closed",
            "Het eindverslag is al ingediend; er kan niets meer worden ingediend.",
            "The final report has been submitted; nothing more can be submitted.",
        )
    if stage is Stage.EARLY_WARNING:
        if state.early_warning_at is not None:
            raise _already(stage)
        return
    if state.early_warning_at is None:
        raise _order_error(
            "early_warning_first",
            "Dien eerst de vroegtijdige waarschuwing in.",
            "Submit the early warning first.",
        )
    if stage is Stage.NOTIFICATION:
        if state.notification_at is not None:
            raise _already(stage)
        return
    if state.notification_at is None:
        raise _order_error(
            "notification_first",
            "Dien eerst de incidentmelding in.",
            "Submit the incident notification first.",
        )
    if stage is Stage.INTERMEDIATE and not state.intermediate_requested:
        raise _order_error(
            "intermediate_not_requested",
            "Een tussentijds verslag is alleen nodig als het CSIRT erom vraagt; dat is niet gebeurd.",
            "An intermediate report is only needed when the CSIRT asks for one; it has not.",
        )
    if stage is Stage.PROGRESS:
        if state.progress_at is not None:
            raise _already(stage)
        if state.incident_ended_at is not None:
            raise _order_error(
                "incident_ended",
                "Het incident is afgelopen; dien het eindverslag in in plaats van een voortgangsverslag.",
                "The incident has ended; submit the final report instead of a progress report.",
            )


def request_intermediate(state: ReportingState) -> ReportingState:
    """The CSIRT asks for an intermediate report (status update)."""
    if state.notification_at is None or state.final_at is not None:
        raise _order_error(
            "intermediate_not_possible",
            "Een tussentijds verslag kan alleen tussen incidentmelding en eindverslag worden gevraagd.",
            "An intermediate report can only be requested between the notification and the final report.",
        )
    return state.model_copy(update={"intermediate_requested": True})


def record_incident_end(state: ReportingState, ended_at: datetime, *, clock: Clock) -> tuple[ReportingState, tuple[Deadline, ...]]:
    """The incident is over; after a progress report this starts the final report's month."""
    ended = ended_at.astimezone(UTC)
    if ended > clock.now() or ended < state.became_aware_at:
        raise DomainError(
            "incident_ended_at",
            "end_out_of_range",
            "Het einde van het incident moet tussen het moment van kennisname en nu liggen.",
            "The end of the incident must lie between the moment of becoming aware and now.",
        )
    new_state = state.model_copy(update={"incident_ended_at": ended})
    return new_state, open_deadlines(new_state)


def open_deadlines(state: ReportingState) -> tuple[Deadline, ...]:
    """The statutory deadlines not yet met; none for voluntary reporters or once closed."""
    if not state.in_nis2_scope or state.final_at is not None:
        return ()
    deadlines = []
    if state.early_warning_at is None:
        deadlines.append(early_warning_deadline(state.became_aware_at))
    if state.notification_at is None:
        deadlines.append(notification_deadline(state.became_aware_at))
    final = _final_due(state)
    if final is not None:
        deadlines.append(final)
    return tuple(deadlines)


def _final_due(state: ReportingState) -> Deadline | None:
    if state.progress_at is not None:
        # The month runs from the incident's end, which may not be known yet.
        return None if state.incident_ended_at is None else final_deadline_after_progress(state.incident_ended_at)
    if state.notification_at is not None:
        return final_deadline(state.notification_at)
    return None


def _due_for(state: ReportingState, stage: Stage) -> Deadline | None:
    if not state.in_nis2_scope:
        return None
    match stage:
        case Stage.EARLY_WARNING:
            return early_warning_deadline(state.became_aware_at)
        case Stage.NOTIFICATION:
            return notification_deadline(state.became_aware_at)
        case Stage.FINAL:
            return _final_due(state)
        case Stage.PROGRESS:
            # The progress report is what is due *at* the final deadline.
            return final_deadline(state.notification_at) if state.notification_at else None
    return None  # intermediate: the CSIRT's request sets no statutory term


def _advance(state: ReportingState, stage: Stage, now: datetime) -> ReportingState:
    match stage:
        case Stage.EARLY_WARNING:
            return state.model_copy(update={"early_warning_at": now})
        case Stage.NOTIFICATION:
            return state.model_copy(update={"notification_at": now})
        case Stage.INTERMEDIATE:
            return state.model_copy(
                update={"intermediate_requested": False, "intermediate_count": state.intermediate_count + 1}
            )
        case Stage.PROGRESS:
            return state.model_copy(update={"progress_at": now})
        case Stage.FINAL:
            return state.model_copy(update={"final_at": now, "intermediate_requested": False})
    raise AssertionError(stage)


def _already(stage: Stage) -> DomainError:
    return _order_error(
        "stage_already_submitted",
        f"Dit verslag ({stage.value}) is al ingediend.",
        f"This report ({stage.value}) has already been submitted.",
    )


def _order_error(code: str, nl: str, en: str) -> DomainError:
    return DomainError("stage", code, nl, en)


__all__ = [
    "Answer", "ContactPerson", "Deadline", "DeadlineKind", "Draft", "EarlyWarning", "Final",
    "Indicator", "Intermediate", "Notification", "Progress", "ReportingState", "Severity",
    "Stage", "StageReport", "SubmittedReport", "Submission", "check_order", "complete_report",
    "open_deadlines", "open_reporting", "problems_in", "record_incident_end",
    "request_intermediate", "save_draft", "submit_stage",
]
