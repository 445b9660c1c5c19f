"""Why a login is refused, and what the person can do about it, in Dutch and English."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class Refusal(Exception):
    code: str
    title_nl: str
    title_en: str
    reason_nl: str
    reason_en: str
    todo_nl: str
    todo_en: str
    status: int = 403


def level_too_low(level_label: str) -> Refusal:
    return Refusal(
        "level_too_low", "Betrouwbaarheidsniveau te laag", "Assurance level too low",
        f"U logde in met eHerkenning op niveau {level_label}. Dit portaal vraagt minimaal EH2+.",
        f"You logged in with eHerkenning at level {level_label}. This portal needs at least EH2+.",
        "Vraag de beheerder eHerkenning van uw organisatie om een middel op niveau EH2+ of hoger "
        "(EH3, EH4), en log daarmee opnieuw in.",
        "Ask your organisation's eHerkenning administrator for a means at level EH2+ or higher "
        "(EH3, EH4), and log in again with it.")


def invitation_mismatch(org_name: str, idp: str) -> Refusal:
    what_nl = "KvK-nummer" if idp == "eherkenning" else "OIN"
    what_en = "KvK number" if idp == "eherkenning" else "OIN"
    return Refusal(
        "invitation_mismatch", "Uitnodiging past niet bij deze inlog", "Invitation does not match this login",
        f"U bent uitgenodigd voor {org_name}, maar u logde in voor een organisatie met een ander {what_nl}.",
        f"You were invited to {org_name}, but you logged in for an organisation with another {what_en}.",
        f"Log opnieuw in met eHerkenning of SSOnRijk van {org_name} zelf. Lukt dat niet, vraag dan "
        "de beheerder die u uitnodigde om een nieuwe uitnodiging.",
        f"Log in again with the eHerkenning or SSOnRijk of {org_name} itself. If that fails, ask the "
        "admin who invited you for a new invitation.")


def login_not_verified(detail: str) -> Refusal:
    return Refusal(
        "not_verified", "Inloggen niet gelukt", "Login failed",
        "Wij konden de inlog niet controleren. Uit veiligheid is de inlog geweigerd.",
        f"We could not verify the login ({detail}). For your safety it was refused.",
        "Begin opnieuw vanaf de inlogpagina van het portaal. Blijft dit gebeuren, neem dan contact op.",
        "Start again from the portal's login page. If this keeps happening, contact us.", 400)


def login_expired() -> Refusal:
    return Refusal(
        "state_invalid", "Inlogpoging verlopen of ongeldig", "Login attempt expired or invalid",
        "Deze inlogpoging is verlopen, al gebruikt, of klopt niet.",
        "This login attempt expired, was already used, or does not match.",
        "Begin opnieuw vanaf de inlogpagina van het portaal.",
        "Start again from the portal's login page.", 400)


def upstream_error(error: str) -> Refusal:
    return Refusal(
        "upstream_error", "Inloggen afgebroken", "Login cancelled",
        "Het inlogmiddel heeft de inlog niet voltooid.",
        f"The login means did not complete the login ({error}).",
        "Begin opnieuw vanaf de inlogpagina van het portaal.",
        "Start again from the portal's login page.", 400)


def too_many_attempts() -> Refusal:
    return Refusal(
        "rate_limited", "Te veel inlogpogingen", "Too many login attempts",
        "Er zijn in korte tijd te veel inlogpogingen gedaan.",
        "Too many login attempts were made in a short time.",
        "Wacht enkele minuten en probeer het opnieuw.",
        "Wait a few minutes and try again.", 429)


def bad_request(reason_en: str) -> Refusal:
    return Refusal(
        "invalid_request", "Ongeldige inlogaanvraag", "Invalid login request",
        "De toepassing die u hierheen stuurde deed een ongeldige aanvraag.",
        f"The application that sent you here made an invalid request ({reason_en}).",
        "Ga terug naar het portaal en begin opnieuw.", "Go back to the portal and start again.", 400)


def upstream_unavailable(idp_title: str) -> Refusal:
    return Refusal(
        "upstream_unavailable", "Inlogdienst niet bereikbaar", "Login service unreachable",
        f"{idp_title} is op dit moment niet bereikbaar.", f"{idp_title} cannot be reached at the moment.",
        "Probeer het over enkele minuten opnieuw.", "Try again in a few minutes.", 503)
