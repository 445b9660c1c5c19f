"""SMTP delivery with aiosmtplib: one connection per sending worker, reused across messages.

`deliver` speaks MAIL, RCPT and DATA itself (not `send_message`) so that the caller can record,
durably, the moment before DATA: up to then the relay cannot have accepted the message, so a
crash there is safely retried; after it, the relay may have accepted it (see sender.py)."""
from __future__ import annotations

import asyncio
import email.policy
import email.utils
from collections.abc import Awaitable, Callable
from email.message import EmailMessage

import aiosmtplib

from ..domain.retry import Attempt, Outcome, outcome_of_code
from .rendering import Rendered


def build_mime(rendered: Rendered, *, sender: str, recipient: str, message_id: str, reference: str,
               language: str, date: float | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = rendered.subject
    msg["Date"] = email.utils.formatdate(date, localtime=False)
    msg["Message-ID"] = message_id
    msg["X-Weerbaar-Reference"] = reference
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us, please
    msg["Content-Language"] = "nl, en" if language == "nl+en" else language
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    return msg.as_bytes(policy=email.policy.SMTP)


class SmtpClient:
    def __init__(self, *, host: str, port: int, starttls: bool = False, implicit_tls: bool = False,
                 username: str | None = None, password: str | None = None, timeout: float = 30,
                 envelope_from: str):
        self.options = dict(hostname=host, port=port, timeout=timeout, use_tls=implicit_tls,
                            start_tls=True if starttls else False, username=username, password=password)
        self.envelope_from = envelope_from
        self.smtp: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self.smtp is None or not self.smtp.is_connected:
            self.smtp = aiosmtplib.SMTP(**self.options)
            await self.smtp.connect()
        return self.smtp

    async def close(self) -> None:
        if self.smtp is not None and self.smtp.is_connected:
            try:
                await asyncio.wait_for(self.smtp.quit(), 5)
            except Exception:
                self.smtp.close()
        self.smtp = None

    async def _reset(self, smtp: aiosmtplib.SMTP) -> None:
        try:
            await smtp.rset()
        except Exception:
            smtp.close()

    async def deliver(self, recipient: str, mime: bytes, before_data: Callable[[], Awaitable[None]]) -> Attempt:
        """Send one message to one recipient. `before_data` runs after the relay accepted the
        recipient and before DATA; if it raises, nothing was sent."""
        data_started = False
        try:
            smtp = await self._connected()
            try:
                await smtp.mail(self.envelope_from)
                await smtp.rcpt(recipient)
            except aiosmtplib.SMTPResponseException as exc:
                await self._reset(smtp)
                return Attempt(outcome_of_code(exc.code), f"{exc.code} {exc.message}")
            await before_data()
            data_started = True
            await smtp.data(mime)
            return Attempt(Outcome.SENT)
        except aiosmtplib.SMTPResponseException as exc:
            # A reply to DATA or to the message itself: the relay decided, nothing uncertain.
            if self.smtp is not None and self.smtp.is_connected:
                await self._reset(self.smtp)
            return Attempt(outcome_of_code(exc.code), f"{exc.code} {exc.message}")
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            if self.smtp is not None:
                self.smtp.close()
            self.smtp = None
            return Attempt(Outcome.TEMPORARY, f"connection: {type(exc).__name__}: {exc}"[:500],
                           uncertain=data_started)
