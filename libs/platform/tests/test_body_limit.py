"""Request bodies are bounded before the handler runs, whatever their type; only the paths a
service names as streamed are left to their endpoints (which keep limits of their own)."""
import httpx
import pytest
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

    @application.post("/files/{name}/upload")
    async def take_upload(request: Request):
        size = sum([len(chunk) async for chunk in request.stream()])
        return {"received": size}

    application.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT, streamed=[r"/files/[^/]+/upload"])
    return application


async def post(application, path="/json", **kw):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://svc") as client:
        return await client.post(path, **kw)


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


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=B", "application/x+json", "text/plain", None])
async def test_any_other_type_is_bounded_too(content_type):
    """A multipart form would be spooled to disk whole, a "+json" body read into memory."""
    application = app()
    headers = {"Content-Type": content_type} if content_type else {}
    resp = await post(application, content=b"y" * 10_000, headers=headers)
    assert resp.status_code == 413 and application.state.handled == []


async def test_a_streamed_upload_path_is_left_to_its_endpoint():
    application = app()
    resp = await post(application, "/files/report/upload", content=b"y" * 10_000,
                      headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert resp.status_code == 200 and resp.json()["received"] == 10_000
    assert (await post(application, "/files/report/upload/x", content=b"y" * 10_000)).status_code in (404, 413)
