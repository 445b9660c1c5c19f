"""Errors a person can act on: every 4xx names the field and the reason in Dutch and English;
a 5xx never carries a stack trace (the log has it, under the correlation id)."""
from __future__ import annotations

import logging

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import correlation
from .problems import Conflict, DomainError, FieldError, NotFound  # noqa: F401  (re-exported)

log = logging.getLogger(__name__)


#: Dutch text for pydantic's error types; English comes from pydantic itself.
_NL = {
    "missing": "Dit veld is verplicht.",
    "string_too_short": "Deze tekst is te kort.",
    "string_too_long": "Deze tekst is te lang.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "value_error": "Deze waarde is ongeldig.",
    "int_parsing": "Vul een geheel getal in.",
    "float_parsing": "Vul een getal in.",
    "bool_parsing": "Vul ja of nee in.",
    "uuid_parsing": "Dit is geen geldige id.",
    "datetime_parsing": "Dit is geen geldig tijdstip.",
    "datetime_from_date_parsing": "Dit is geen geldig tijdstip.",
    "timezone_aware": "Geef een tijdstip met tijdzone.",
    "literal_error": "Kies een van de toegestane waarden.",
    "enum": "Kies een van de toegestane waarden.",
    "greater_than_equal": "Deze waarde is te klein.",
    "less_than_equal": "Deze waarde is te groot.",
    "greater_than": "Deze waarde is te klein.",
    "less_than": "Deze waarde is te groot.",
    "json_invalid": "De gegevens zijn geen geldige JSON.",
    "model_attributes_type": "Deze gegevens hebben niet de juiste vorm.",
    "dict_type": "Deze gegevens hebben niet de juiste vorm.",
    "list_type": "Geef een lijst.",
    "extra_forbidden": "Dit veld is onbekend; laat het weg.",
    "int_type": "Vul een geheel getal in.",
    "float_type": "Vul een getal in.",
    "string_type": "Vul een tekst in.",
    "bool_type": "Vul ja of nee in.",
    "decimal_parsing": "Vul een getal in.",
    "date_parsing": "Dit is geen geldige datum.",
    "url_parsing": "Dit is geen geldig webadres.",
    "too_short": "Deze lijst heeft te weinig onderdelen.",
    "too_long": "Deze lijst heeft te veel onderdelen.",
}

#: The same, with the limit or the choices pydantic gives (its `ctx`).
_NL_WITH_CONTEXT = {
    "string_too_short": "Deze tekst is te kort (minstens {min_length} tekens).",
    "string_too_long": "Deze tekst is te lang (hoogstens {max_length} tekens).",
    "greater_than_equal": "Deze waarde is te klein (minstens {ge}).",
    "less_than_equal": "Deze waarde is te groot (hoogstens {le}).",
    "greater_than": "Deze waarde is te klein (meer dan {gt}).",
    "less_than": "Deze waarde is te groot (minder dan {lt}).",
    "literal_error": "Kies een van: {expected}.",
    "enum": "Kies een van: {expected}.",
    "too_short": "Deze lijst heeft te weinig onderdelen (minstens {min_length}).",
    "too_long": "Deze lijst heeft te veel onderdelen (hoogstens {max_length}).",
}


def _dutch(kind: str, ctx: dict, msg_en: str) -> str:
    if ctx.get("message_nl"):
        return ctx["message_nl"]
    if kind in ("too_long", "too_short") and ctx.get("field_type") not in (None, "List", "Tuple", "Set"):
        kind = "string_" + kind  # an annotated str (an e-mail address) reports as a Value, not a list
    template = _NL_WITH_CONTEXT.get(kind)
    if template:
        try:
            return template.format(**ctx).replace("' or '", "', '")
        except (KeyError, IndexError, ValueError):
            pass
    if kind in _NL and kind != "value_error":
        return _NL[kind]
    # A rule of our own without a Dutch text: say at least what pydantic said.
    return f"Deze waarde is ongeldig: {msg_en}"


def field_errors_from_pydantic(errors, *, skip_location_prefix: bool = True) -> list[FieldError]:
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        if skip_location_prefix and loc and loc[0] in ("body", "query", "path", "header", "cookie"):
            loc = loc[1:]
        kind = err.get("type", "value_error")
        # Invalid JSON is located by character position, which names no field.
        field = "(body)" if kind == "json_invalid" else ".".join(str(p) for p in loc) or "(body)"
        msg_en = err.get("msg", "Invalid value")
        if kind == "value_error" and msg_en.startswith("Value error, "):
            msg_en = msg_en.removeprefix("Value error, ")
        out.append(FieldError(field, kind, _dutch(kind, err.get("ctx") or {}, msg_en), msg_en))
    return out


def _body(errors: list[FieldError]) -> dict:
    return {"errors": [e.as_dict() for e in errors], "correlation_id": correlation.current()}


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError):
        return JSONResponse(_body(exc.errors), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        return JSONResponse(_body(field_errors_from_pydantic(exc.errors())), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        nl = {401: "U bent niet ingelogd of uw sessie is verlopen.", 403: "U heeft hiervoor geen rechten.",
              404: "Niet gevonden.", 405: "Deze methode is hier niet toegestaan.",
              413: "Het bestand of verzoek is te groot.", 429: "Te veel verzoeken; probeer het later opnieuw."}
        err = FieldError("(request)", f"http_{exc.status_code}", nl.get(exc.status_code, "Verzoek geweigerd."),
                         str(exc.detail))
        return JSONResponse(_body([err]), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(asyncpg.DataError)
    async def _unstorable(_: Request, exc: asyncpg.DataError):
        # The database refused a value the request carried (a NUL character, a number or date
        # out of range): the caller's input, not our fault; the transaction rolled back.
        log.warning("input refused by the database", extra={"sqlstate": exc.sqlstate, "error": str(exc)[:200]})
        if exc.sqlstate in NUL_SQLSTATES:
            err = FieldError("(body)", "nul_character",
                             "Een tekst bevat een NUL-teken (\\u0000), dat niet kan worden opgeslagen. Verwijder het.",
                             "A text contains a NUL character (\\u0000), which cannot be stored. Remove it.")
        else:
            err = FieldError("(body)", "value_not_storable",
                             "Een waarde valt buiten wat kan worden opgeslagen (bijvoorbeeld een te groot getal of een onmogelijke datum).",
                             "A value is outside what can be stored (for example a number too large or an impossible date).")
        return JSONResponse(_body([err]), status_code=422)

    @app.exception_handler(UnicodeEncodeError)
    async def _unencodable(_: Request, exc: UnicodeEncodeError):
        # JSON may carry "\ud800", half of a UTF-16 pair: Python reads it into a string that
        # cannot be written as UTF-8, so neither the database nor a service behind us takes it.
        log.warning("input with a character that cannot be encoded", extra={"error": str(exc)[:200]})
        err = FieldError("(body)", "invalid_character",
                         "Een tekst bevat een ongeldig teken (een losse helft van een UTF-16-paar, zoals \\ud800). "
                         "Verwijder het of typ het teken opnieuw.",
                         "A text contains an invalid character (half of a UTF-16 pair, such as \\ud800). "
                         "Remove it or type the character again.")
        return JSONResponse(_body([err]), status_code=422)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception):
        # Reached only when the correlation middleware is not around the failing part.
        log.exception("unhandled error")
        return internal_error_response()


#: SQLSTATEs for characters PostgreSQL cannot store: NUL in text, \u0000 in jsonb.
NUL_SQLSTATES = {"22021", "22P05"}


def internal_error_response() -> JSONResponse:
    err = FieldError("(server)", "internal_error",
                     "Er ging iets mis aan onze kant. Vermeld dit kenmerk als u contact opneemt.",
                     "Something went wrong on our side. Quote this reference if you contact us.")
    return JSONResponse(_body([err]), status_code=500)
