"""The SMTP side: accept every message (unless a fault plan says otherwise) and keep it."""

import asyncio
import time
from collections.abc import Callable

from aiosmtpd.smtp import SMTP, Envelope, Session

from .faults import FaultPlans
from .store import MessageStore


class CatchingHandler:
    """aiosmtpd handler; the hook names are aiosmtpd's."""

    def __init__(self, store: MessageStore, faults: FaultPlans, clock: Callable[[], float] = time.time):
        self.store, self.faults, self.clock = store, faults, clock

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        reply = self.faults.next_reply(address, "rcpt")
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        for rcpt in envelope.rcpt_tos:
            reply = self.faults.next_reply(rcpt, "data")
            if reply is not None:
                return reply
        # SQLite would block the event loop, and with it every other SMTP session.
        message_id = await asyncio.to_thread(self.store.add, envelope.mail_from or "", list(envelope.rcpt_tos),
                                             envelope.original_content or envelope.content, self.clock())
        return f"250 2.0.0 OK queued as {message_id}"


async def start_smtp_server(handler: CatchingHandler, host: str, port: int) -> asyncio.Server:
    """Serves SMTP on the running event loop; port 0 picks a free port (see server.sockets)."""
    loop = asyncio.get_running_loop()
    # A fixed hostname: the default asks the resolver for the machine's FQDN, which may hang.
    return await loop.create_server(lambda: SMTP(handler, hostname="mailbox.weerbaar.test",
                                                 enable_SMTPUTF8=True), host, port)
