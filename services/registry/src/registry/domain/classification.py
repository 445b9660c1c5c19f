"""NIS2 classification: essential (vitaal/essentieel), important (belangrijk) or not in scope.

Follows NIS2 articles 2 (scope) and 3 (essential and important entities) with the choices
of the Dutch Cyberbeveiligingswet (Cbw) where we know them. The result keeps every step of
the reasoning with its legal reference, because an organisation that disagrees (and the
analyst who looks at it) must be able to see why, not only what.

Order of the rules matters: the size-independent cases come first, then the general
size-cap rule of article 2(1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from registry.domain.enterprise_size import SizeClass, SizeFinding, at_least_medium, size_class
from registry.domain.errors import FieldError
from registry.domain.registration import Registration
from registry.domain.sectors import SECTORS, Annex, Sector, Subsector, annex_reference


class Nis2Class(StrEnum):
    ESSENTIAL = "essential"  # essentiële entiteit; in MijnNCSC "vitaal/essentieel"
    IMPORTANT = "important"  # belangrijke entiteit
    NOT_IN_SCOPE = "not_in_scope"  # valt niet onder de Cbw

    @property
    def label_nl(self) -> str:
        return {"essential": "vitaal/essentieel", "important": "belangrijk",
                "not_in_scope": "niet NIS2"}[self.value]

    @property
    def label_en(self) -> str:
        return {"essential": "essential", "important": "important", "not_in_scope": "not in NIS2 scope"}[self.value]


@dataclass(frozen=True)
class ReasoningStep:
    code: str
    text_nl: str
    text_en: str
    reference: str


@dataclass(frozen=True)
class Classification:
    value: Nis2Class
    size_class: SizeClass | None  # None when size did not matter and was not given
    steps: tuple[ReasoningStep, ...]

    def step_codes(self) -> list[str]:
        return [s.code for s in self.steps]


class DesignationGround(StrEnum):
    """Why a Member State named an entity, whatever its size (NIS2 art. 2(2)(b)-(e), 2(3))."""

    SOLE_PROVIDER = "sole_provider"  # 2(2)(b)
    PUBLIC_SAFETY_IMPACT = "public_safety_impact"  # 2(2)(c)
    SYSTEMIC_RISK = "systemic_risk"  # 2(2)(d)
    NATIONAL_IMPORTANCE = "national_importance"  # 2(2)(e)
    CER_CRITICAL_ENTITY = "cer_critical_entity"  # 2(3): critical entity under Directive 2022/2557


@dataclass(frozen=True)
class Designation:
    """An aanwijzing by the competent authority; not something a registrant declares."""

    ground: DesignationGround
    as_essential: bool = True  # 2(2)(b)-(e) designations may also be as important entity


# Entity types in scope whatever their size (art. 2(2)(a)); their class is set in art. 3.
QUALIFIED_TSP = "digital_infrastructure.trust_service_provider.qualified"
NON_QUALIFIED_TSP = "digital_infrastructure.trust_service_provider.non_qualified"
TLD_REGISTRY = "digital_infrastructure.tld_name_registry"
DNS_PROVIDER = "digital_infrastructure.dns_service_provider"
PUBLIC_ECN = "digital_infrastructure.public_electronic_communications_network"
PUBLIC_ECS = "digital_infrastructure.public_electronic_communications_service"
CENTRAL_GOVERNMENT = "public_administration.central_government"
REGIONAL_GOVERNMENT = "public_administration.regional"
LOCAL_GOVERNMENT = "public_administration.local"

# The Cbw treats every overheidsinstantie it covers, provinces, municipalities and water
# boards included, as an essential entity. NIS2 itself would make a regional body that a
# Member State brings in an important entity (art. 3(2)). Kept as one switch because it is a
# national choice that may change with the final text of the law.
CBW_DECENTRAL_GOVERNMENT_ESSENTIAL = True


def _step(code: str, nl: str, en: str, ref: str) -> ReasoningStep:
    return ReasoningStep(code, nl, en, ref)


_SIZE_NL = {"micro": "micro-onderneming", "small": "kleine onderneming",
            "medium": "middelgrote onderneming", "large": "grote onderneming"}
_SIZE_EN = {"micro": "micro enterprise", "small": "small enterprise",
            "medium": "medium-sized enterprise", "large": "large enterprise"}
_SME_REF = "Recommendation 2003/361/EC, Annex art. 2; NIS2 art. 2(1)"


def _size_step(finding: SizeFinding) -> ReasoningStep:
    cls = finding.size_class.value
    if finding.ceiling is None:
        return _step("size_micro",
                     "Minder dan 10 medewerkers en jaaromzet of balanstotaal niet boven "
                     "EUR 2 mln: micro-onderneming.",
                     "Fewer than 10 employees and turnover or balance-sheet total not above "
                     "EUR 2 million: micro enterprise.", _SME_REF)
    c = finding.ceiling
    turnover_m, balance_m = int(c.turnover_eur) // 1_000_000, int(c.balance_sheet_eur) // 1_000_000
    if finding.exceeded_by == "employees":
        nl = f"{c.employees} of meer medewerkers: {_SIZE_NL[cls]}."
        en = f"{c.employees} or more employees: {_SIZE_EN[cls]}."
    else:
        nl = (f"Minder dan {c.employees} medewerkers, maar jaaromzet boven EUR {turnover_m} mln "
              f"én balanstotaal boven EUR {balance_m} mln: {_SIZE_NL[cls]}.")
        en = (f"Fewer than {c.employees} employees, but turnover above EUR {turnover_m} million "
              f"and balance-sheet total above EUR {balance_m} million: {_SIZE_EN[cls]}.")
    return _step(f"size_{cls}", nl, en, _SME_REF)


_Outcome = tuple[Nis2Class, ReasoningStep] | None


def _annex_step(sector: Sector, subsector: Subsector | None) -> ReasoningStep:
    if sector.annex is None:
        return _step(
            "not_in_annex",
            "De activiteit van de organisatie staat niet in bijlage I of II van de "
            "NIS2-richtlijn.",
            "The organisation's activity is not listed in Annex I or II of the NIS2 Directive.",
            annex_reference(sector))
    name_nl = subsector.name_nl if subsector else sector.name_nl
    name_en = subsector.name_en if subsector else sector.name_en
    high = sector.annex is Annex.I
    annex_nl = "I (hoge kriticiteit)" if high else "II (andere kritieke sectoren)"
    annex_en = "I (high criticality)" if high else "II (other critical sectors)"
    return _step(
        f"annex_{sector.annex.value.lower()}",
        f"{name_nl} staat in bijlage {annex_nl} van de NIS2-richtlijn.",
        f"{name_en} is listed in Annex {annex_en} of the NIS2 Directive.",
        annex_reference(sector, subsector))


def _by_designation(designations: tuple[Designation, ...]) -> _Outcome:
    """An aanwijzing by the authority decides, whatever size would say."""
    if any(d.ground is DesignationGround.CER_CRITICAL_ENTITY for d in designations):
        return Nis2Class.ESSENTIAL, _step(
            "designated_critical_entity",
            "Aangewezen als kritieke entiteit (CER-richtlijn, Wwke): essentieel, ongeacht de "
            "omvang.",
            "Identified as a critical entity under the CER Directive: essential, regardless "
            "of size.", "NIS2 art. 2(3), 3(1)(f)")
    # Several designations: the strongest counts.
    for designation in sorted(designations, key=lambda d: not d.as_essential):
        value = Nis2Class.ESSENTIAL if designation.as_essential else Nis2Class.IMPORTANT
        return value, _step(
            f"designated_{designation.ground.value}",
            f"Door de bevoegde autoriteit aangewezen ({designation.ground.value}) als "
            f"{value.label_nl} entiteit, ongeacht de omvang.",
            f"Designated by the competent authority ({designation.ground.value}) as "
            f"{value.value} entity, regardless of size.",
            "NIS2 art. 2(2)(b)-(e), " + ("3(1)(e)" if designation.as_essential else "3(2)"))
    return None


def _by_public_administration(entity_type: str | None) -> _Outcome:
    if entity_type == CENTRAL_GOVERNMENT:
        return Nis2Class.ESSENTIAL, _step(
            "central_government",
            "Overheidsinstantie van de centrale overheid: essentieel, ongeacht de omvang.",
            "Public administration entity of central government: essential, regardless of "
            "size.", "NIS2 art. 2(2)(f)(i), 3(1)(d)")
    if entity_type not in (REGIONAL_GOVERNMENT, LOCAL_GOVERNMENT):
        return None
    if CBW_DECENTRAL_GOVERNMENT_ESSENTIAL:
        return Nis2Class.ESSENTIAL, _step(
            "decentral_government_cbw",
            "Decentrale overheid (provincie, gemeente of waterschap): de Cbw merkt deze aan "
            "als essentiële entiteit, ongeacht de omvang.",
            "Decentral government (province, municipality or water board): the Cbw treats it "
            "as an essential entity, regardless of size.",
            "Cbw (Kamerstukken 36 764); NIS2 art. 2(2)(f)(ii), 2(5)(a)")
    return Nis2Class.IMPORTANT, _step(
        "decentral_government_nis2",
        "Decentrale overheid die de lidstaat onder de wet brengt: belangrijk.",
        "Decentral government brought in by the Member State: important.",
        "NIS2 art. 2(2)(f)(ii), 2(5)(a), 3(2)")


def _by_size_independent_type(entity_type: str | None, size: SizeClass | None) -> _Outcome:
    """Digital infrastructure in scope whatever its size (art. 2(2)(a))."""
    if entity_type in (QUALIFIED_TSP, TLD_REGISTRY, DNS_PROVIDER):
        return Nis2Class.ESSENTIAL, _step(
            "size_independent_essential",
            "Gekwalificeerde verlener van vertrouwensdiensten, register voor "
            "topleveldomeinnamen of DNS-dienstverlener: essentieel, ongeacht de omvang.",
            "Qualified trust service provider, TLD name registry or DNS service provider: "
            "essential, regardless of size.", "NIS2 art. 2(2)(a)(ii)-(iii), 3(1)(b)")
    if entity_type in (PUBLIC_ECN, PUBLIC_ECS):
        if size is SizeClass.LARGE:
            return Nis2Class.ESSENTIAL, _step(
                "public_electronic_communications_large",
                "Aanbieder van openbare elektronische communicatie, groot: essentieel.",
                "Provider of public electronic communications, large: essential.",
                "NIS2 art. 3(1)(a)")
        if size is SizeClass.MEDIUM:
            return Nis2Class.ESSENTIAL, _step(
                "public_electronic_communications_medium",
                "Aanbieder van openbare elektronische communicatie, middelgroot: essentieel.",
                "Provider of public electronic communications, medium-sized: essential.",
                "NIS2 art. 3(1)(c)")
        return Nis2Class.IMPORTANT, _step(
            "public_electronic_communications_small",
            "Aanbieder van openbare elektronische communicatie, klein of micro: valt ongeacht "
            "de omvang onder de wet, maar is niet essentieel, dus belangrijk.",
            "Provider of public electronic communications, small or micro: in scope "
            "regardless of size, but not essential, so important.",
            "NIS2 art. 2(2)(a)(i), 3(2)")
    if entity_type == NON_QUALIFIED_TSP:
        if size is SizeClass.LARGE:
            return Nis2Class.ESSENTIAL, _step(
                "non_qualified_tsp_large",
                "Niet-gekwalificeerde verlener van vertrouwensdiensten, groot (bijlage I): "
                "essentieel.",
                "Non-qualified trust service provider, large (Annex I): essential.",
                "NIS2 art. 3(1)(a)")
        return Nis2Class.IMPORTANT, _step(
            "non_qualified_tsp",
            "Niet-gekwalificeerde verlener van vertrouwensdiensten, niet groot: valt ongeacht "
            "de omvang onder de wet, belangrijk.",
            "Non-qualified trust service provider, not large: in scope regardless of size, "
            "important.", "NIS2 art. 2(2)(a)(ii), 3(2)")
    return None


def _by_size(annex: Annex | None, size: SizeClass | None) -> tuple[Nis2Class, ReasoningStep]:
    """The general size-cap rule of art. 2(1), which only reaches the annexes' sectors."""
    if annex is None:
        return Nis2Class.NOT_IN_SCOPE, _step(
            "outside_annexes",
            "Geen sector uit de bijlagen, dus niet NIS2, ongeacht de omvang. Vrijwillig melden "
            "blijft mogelijk.",
            "No sector of the annexes, so not in scope, whatever the size. Voluntary reporting "
            "remains possible.", "NIS2 art. 2(1), 30")
    if size is None or not at_least_medium(size):
        return Nis2Class.NOT_IN_SCOPE, _step(
            "below_medium",
            "Kleiner dan middelgroot en geen van de gevallen die ongeacht de omvang onder de "
            "wet vallen: niet NIS2. Vrijwillig melden blijft mogelijk.",
            "Smaller than medium-sized and none of the cases in scope regardless of size: not "
            "in scope. Voluntary reporting remains possible.", "NIS2 art. 2(1), 30")
    if annex is Annex.I and size is SizeClass.LARGE:
        return Nis2Class.ESSENTIAL, _step(
            "annex_i_large",
            "Bijlage I en boven het plafond voor middelgrote ondernemingen: essentieel.",
            "Annex I and above the ceiling for medium-sized enterprises: essential.",
            "NIS2 art. 3(1)(a)")
    if annex is Annex.I:
        return Nis2Class.IMPORTANT, _step(
            "annex_i_medium",
            "Bijlage I en middelgroot: niet essentieel, dus belangrijk.",
            "Annex I and medium-sized: not essential, so important.", "NIS2 art. 2(1), 3(2)")
    return Nis2Class.IMPORTANT, _step(
        f"annex_ii_{size.value}",
        "Bijlage II en middelgroot of groot: belangrijk.",
        "Annex II and medium-sized or large: important.", "NIS2 art. 2(1), 3(2)")


def classify(
    registration: Registration, designations: Iterable[Designation] = ()
) -> Classification:
    """The derived classification, with every step that led to it."""
    sector = SECTORS[registration.sector]
    subsector = sector.subsector(registration.subsector) if registration.subsector else None
    steps = [_annex_step(sector, subsector)]
    finding = size_class(registration.size) if registration.size else None
    if finding:
        steps.append(_size_step(finding))
    size = finding.size_class if finding else None

    # First rule that applies decides: designation, public administration, the
    # size-independent digital infrastructure, and only then the general size rule.
    value, last = (
        _by_designation(tuple(designations))
        or _by_public_administration(registration.entity_type)
        or _by_size_independent_type(registration.entity_type, size)
        or _by_size(sector.annex, size)
    )
    return Classification(value, size, (*steps, last))


# ------------------------------------------------------------------ analyst override


MIN_OVERRIDE_REASON = 10


class OverrideRefused(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__(", ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class ClassificationDecision:
    """What the register holds: the derived classification and the value that counts."""

    derived: Classification
    final_value: Nis2Class
    override_reason: str | None = None
    overridden_by: str | None = None
    overridden_at: datetime | None = None

    @property
    def is_overridden(self) -> bool:
        return self.override_reason is not None


def accept_derived(derived: Classification) -> ClassificationDecision:
    return ClassificationDecision(derived, derived.value)


def override(
    derived: Classification, final_value: Nis2Class, *, reason: str, analyst: str,
    at: datetime,
) -> ClassificationDecision:
    """An analyst sets another value; the derived one is kept beside it, never replaced."""
    errors: list[FieldError] = []
    if len(reason.strip()) < MIN_OVERRIDE_REASON:
        errors.append(FieldError(
            "reason", "override_reason_required",
            f"Schrijf op waarom u afwijkt van de afgeleide classificatie (ten minste "
            f"{MIN_OVERRIDE_REASON} tekens).",
            f"Write down why you depart from the derived classification (at least "
            f"{MIN_OVERRIDE_REASON} characters)."))
    if final_value == derived.value:
        errors.append(FieldError(
            "final_value", "override_same_as_derived",
            "Deze waarde is gelijk aan de afgeleide classificatie; er valt niets te wijzigen.",
            "This value equals the derived classification; there is nothing to override."))
    if not analyst.strip():
        errors.append(FieldError(
            "analyst", "override_analyst_required",
            "Vermeld wie de classificatie wijzigt.", "State who changes the classification."))
    if at.tzinfo is None or at.utcoffset() is None:
        errors.append(FieldError(
            "at", "override_time_without_zone",
            "Het tijdstip moet een tijdzone hebben.", "The time must carry a time zone."))
    if errors:
        raise OverrideRefused(errors)
    return ClassificationDecision(derived, final_value, reason.strip(), analyst, at)
