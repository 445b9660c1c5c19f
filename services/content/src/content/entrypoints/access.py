"""Who is asking: the token's principal as the domain's Viewer or Editor, and the domain's
refusals as HTTP answers."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from weerbaar_platform import correlation
from weerbaar_platform.auth import REDACTEUR, Principal

from ..adapters import organisations
from ..domain.errors import DomainError
from ..domain.publishing import Editor
from ..domain.visibility import Viewer

# Refusals that are about who acts or about the state, not about what was sent.
_STATUS = {
    "publishing.not_editor": 403,
    "publishing.four_eyes": 403,
    "publishing.wrong_state": 409,
}


async def viewer_for(conn, principal: Principal) -> Viewer:
    return Viewer(person_id=principal.person_id,
                  organisation=await organisations.facts(conn, principal.organisation_id),
                  csirt_staff=principal.is_staff)


def editor_of(principal: Principal) -> Editor:
    return Editor(person_id=str(principal.person_id), is_editor=principal.has(REDACTEUR))


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _refused(_: Request, exc: DomainError):
        error = {"field": exc.field or "(request)", "code": exc.code,
                 "message_nl": exc.message_nl, "message_en": exc.message_en}
        return JSONResponse({"errors": [error], "correlation_id": correlation.current()},
                            status_code=_STATUS.get(exc.code, 422))
