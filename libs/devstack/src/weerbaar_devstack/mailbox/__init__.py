"""Mail catcher: an SMTP server that keeps every message, with an HTTP API to read them (development only)."""

from .api import create_app
from .faults import FaultPlan, FaultPlans
from .settings import MailboxSettings
from .smtp import CatchingHandler, start_smtp_server
from .store import MessageStore

__all__ = ["create_app", "FaultPlan", "FaultPlans", "MailboxSettings", "CatchingHandler", "start_smtp_server",
           "MessageStore", "serve"]


async def serve(settings: MailboxSettings) -> None:
    """Runs SMTP and HTTP on one event loop until cancelled or interrupted."""
    import uvicorn

    store, faults = MessageStore(settings.database), FaultPlans()
    smtp = await start_smtp_server(CatchingHandler(store, faults), settings.host, settings.smtp_port)
    http = uvicorn.Server(uvicorn.Config(create_app(store, faults), host=settings.host, port=settings.http_port))
    try:
        await http.serve()
    finally:
        smtp.close()
        await smtp.wait_closed()
