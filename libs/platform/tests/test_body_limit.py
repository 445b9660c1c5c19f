"""Bodies a handler reads whole are bounded before the handler runs; streamed uploads are not
touched here (their endpoints keep their own limits)."""
import httpx
from fastapi import FastAPI, Request
from weerbaar_platform.bodylimit import BodyLimitMiddleware

LIMIT = 4096


def app() -> FastAPI:
    application = FastAPI()
    application.state.handled = []

    @application.post("/json")
    async def take_json(request: Request):
        body = await request.body()
        application.state.handled.append(len(body))
        return {"received": len(body)}

    application.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT)
    return application


async def post(application, **kw):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://svc") as client:
        return await client.post("/json", **kw)


async def test_a_json_body_within_the_limit_reaches_the_handler_whole():
    application = app()
    resp = await post(application, json={"text": "x" * 3000})
    assert resp.status_code == 200 and resp.json()["received"] > 3000


async def test_a_declared_or_streamed_json_body_over_the_limit_is_refused_before_the_handler():
    application = app()
    declared = await post(application, json={"text": "x" * 5000})
    assert declared.status_code == 413
    error = declared.json()["errors"][0]
    assert error["code"] == "body_too_large" and "4 kB" in error["message_nl"] and "4 kB" in error["message_en"]

    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(10):
            yield b"x" * 1000
    streamed = await post(application, content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert application.state.handled == []


async def test_an_upload_of_another_type_is_left_to_its_endpoint():
    application = app()
    resp = await post(application, content=b"y" * 10_000, headers={"Content-Type": "application/octet-stream"})
    assert resp.status_code == 200 and resp.json()["received"] == 10_000
