"""Errors reach people as 4xx with the field and the reason, or as a 500 with a reference they
can quote; never as a stack trace."""
import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from weerbaar_platform import errors
from weerbaar_platform.correlation import CorrelationMiddleware


def app_with(route) -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)
    errors.install(app)
    app.get("/x")(route)
    return app


async def call(app, **headers):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://t") as client:
        return await client.get("/x", headers=headers)


async def test_an_unexpected_error_answers_500_with_the_callers_correlation_id():
    async def boom():
        raise RuntimeError("secret internals")
    r = await call(app_with(boom), **{"X-Correlation-ID": "ticket-42"})
    assert r.status_code == 500
    assert r.json()["correlation_id"] == "ticket-42" and r.headers["x-correlation-id"] == "ticket-42"
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert r.json()["errors"][0]["message_nl"].startswith("Er ging iets mis")


@pytest.mark.parametrize("exc, code", [
    (asyncpg.CharacterNotInRepertoireError("invalid byte sequence for encoding UTF8: 0x00"), "nul_character"),
    (asyncpg.UntranslatableCharacterError("unsupported Unicode escape sequence"), "nul_character"),
    (asyncpg.NumericValueOutOfRangeError("value out of range for type integer"), "value_not_storable"),
])
async def test_values_the_database_cannot_store_are_the_callers_422(exc, code):
    async def store():
        raise exc
    r = await call(app_with(store))
    assert r.status_code == 422
    body = r.json()["errors"][0]
    assert body["code"] == code and body["message_nl"] and body["message_en"]


def test_visible_text_refuses_blank_invisible_and_control_characters():
    from pydantic import TypeAdapter, ValidationError

    from weerbaar_platform.text import VisibleText

    title = TypeAdapter(VisibleText(20))
    assert title.validate_python("  Storing  ") == "Storing"
    for bad, code in (("   ", "blank"), ("\u200b\u202e", "blank"), ("a\x00b", "control_character"),
                      ("x" * 21, "string_too_long")):
        with pytest.raises(ValidationError) as refused:
            title.validate_python(bad)
        assert refused.value.errors()[0]["type"] == code


def test_dutch_messages_carry_the_limit_or_the_choices_and_json_errors_name_the_body():
    from typing import Literal

    from pydantic import BaseModel, Field, ValidationError, field_validator

    class Form(BaseModel):
        title: str = Field(max_length=5)
        tlp: Literal["CLEAR", "GREEN"]
        count: int = Field(ge=1)
        code: str

        @field_validator("code")
        @classmethod
        def _code(cls, value):
            raise ValueError("codes start with NL")

    try:
        Form.model_validate({"title": "te lange titel", "tlp": "PURPLE", "count": 0, "code": "x"})
    except ValidationError as exc:
        found = {e.field: e.message_nl for e in errors.field_errors_from_pydantic(exc.errors())}
    assert found["title"] == "Deze tekst is te lang (hoogstens 5 tekens)."
    assert found["tlp"] == "Kies een van: 'CLEAR', 'GREEN'."
    assert found["count"] == "Deze waarde is te klein (minstens 1)."
    assert found["code"] == "Deze waarde is ongeldig: codes start with NL"

    try:
        Form.model_validate_json(b"{'a':1}")
    except ValidationError as exc:
        [invalid] = errors.field_errors_from_pydantic(exc.errors())
    assert (invalid.field, invalid.code) == ("(body)", "json_invalid")


def test_a_too_long_value_that_is_no_list_is_not_called_a_list():
    [error] = errors.field_errors_from_pydantic([{"type": "too_long", "loc": ("body", "email"),
                                                  "msg": "Value should have at most 254 items",
                                                  "ctx": {"field_type": "Value", "max_length": 254}}])
    assert error.message_nl == "Deze tekst is te lang (hoogstens 254 tekens)."
