"""HTTP side of the mail catcher: read what arrived, clear it, and script SMTP faults."""

from html import escape

from fastapi import FastAPI, HTTPException, Query, Response
from fastapi.responses import HTMLResponse

from .faults import FaultPlan, FaultPlans
from .store import MessageStore, StoredMessage

_NOT_FOUND = {"message_nl": "Bericht niet gevonden.", "message_en": "Message not found."}


def _detail(stored: StoredMessage) -> dict:
    message = stored.parsed()
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    attachments = [{"filename": part.get_filename(), "content_type": part.get_content_type(),
                    "size": len(part.get_payload(decode=True) or b"")} for part in message.iter_attachments()]
    return {
        "id": stored.id, "received_at": stored.received_at,
        "envelope": {"from": stored.envelope_from, "to": stored.envelope_to},
        "from": str(message.get("From", "")), "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")), "date": str(message.get("Date", "")),
        # First value of each header; /raw has every line as received.
        "headers": {name: str(value) for name, value in reversed(message.items())},
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "attachments": attachments,
    }


def _page(summaries: list[dict]) -> str:
    rows = "\n".join(
        f"<tr><td>{m['id']}</td><td>{escape(m['date'])}</td><td>{escape(m['from'])}</td>"
        f"<td>{escape(', '.join(m['to']))}</td><td>{escape(m['subject'])}</td>"
        f'<td><a href="/api/messages/{m["id"]}">json</a> <a href="/api/messages/{m["id"]}/raw">raw</a></td></tr>'
        for m in summaries)
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Mailbox (dev)</title>
<style>body{{font-family:sans-serif}}td,th{{padding:.2rem .6rem;text-align:left}}</style></head><body>
<h1>Ontvangen berichten / Received messages ({len(summaries)})</h1>
<table><tr><th>#</th><th>Datum / Date</th><th>Van / From</th><th>Aan / To</th><th>Onderwerp / Subject</th>
<th></th></tr>{rows}</table></body></html>"""


def create_app(store: MessageStore, faults: FaultPlans) -> FastAPI:
    app = FastAPI(title="Weerbaar mail catcher (development only)")

    def found(message_id: int) -> StoredMessage:
        stored = store.get(message_id)
        if stored is None:
            raise HTTPException(404, detail=_NOT_FOUND)
        return stored

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return _page(store.summaries())

    @app.get("/api/messages")
    def list_messages(to: str | None = Query(None), subject: str | None = Query(None)) -> list[dict]:
        return store.summaries(to=to, subject=subject)

    @app.get("/api/messages/{message_id}")
    def read_message(message_id: int) -> dict:
        return _detail(found(message_id))

    @app.get("/api/messages/{message_id}/raw")
    def raw_message(message_id: int) -> Response:
        return Response(found(message_id).raw, media_type="message/rfc822")

    @app.delete("/api/messages", status_code=204)
    def clear_messages() -> None:
        store.clear()

    @app.get("/api/faults")
    def list_faults() -> list[dict]:
        return faults.pending()

    @app.post("/api/faults", status_code=201)
    def add_fault(plan: FaultPlan) -> FaultPlan:
        faults.set(plan)
        return plan

    @app.delete("/api/faults", status_code=204)
    def clear_faults() -> None:
        faults.clear()

    return app
