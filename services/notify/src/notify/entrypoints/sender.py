"""The sender: works through stored messages and hands them to the SMTP relay.

Per message: claim (status `sending`, FOR UPDATE SKIP LOCKED, so replicas share the queue) ->
MAIL/RCPT -> record `data_started_at` -> DATA -> record `sent`. What a crash leaves behind:
- before `data_started_at`: the relay cannot have accepted the message; the next sender puts it
  back in the queue (recover_from_dead_senders) and it goes out once;
- between `data_started_at` and `sent` (the DATA exchange, one round trip, or the moment after
  the relay said 250): we cannot know whether the relay kept it. By default
  (`uncertain_policy=assume_delivered`) it is NOT sent again and is marked `unconfirmed`, so a
  person never gets a mail twice; the price is that a crash in the few milliseconds before the
  relay's 250 loses that one mail, visibly (status and reason in the table). With
  `uncertain_policy=resend` it is sent again: nothing is lost, and the duplicate carries the
  same Message-ID, which many mail systems fold into one.
A 4xx (or a lost connection before DATA) is retried with exponential backoff; a 5xx is
recorded as `failed` with the relay's reason and announced as DeliveryFailedV1."""
from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time

import asyncpg
from weerbaar_platform import failpoints

from ..adapters import delivery
from ..adapters.rendering import Renderer
from ..adapters.smtp import SmtpClient, build_mime
from ..domain.references import message_id_header
from ..domain.retry import Outcome, backoff_seconds
from ..settings import NotifySettings

log = logging.getLogger(__name__)


class RateLimiter:
    """At most `rate` sends per second for this process (a token bucket of one second)."""

    def __init__(self, rate: float):
        self.rate = rate
        self.tokens = max(1.0, rate)
        self.stamp = time.monotonic()
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if self.rate <= 0:
            return
        async with self.lock:
            while True:
                now = time.monotonic()
                self.tokens = min(max(1.0, self.rate), self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                await asyncio.sleep((1 - self.tokens) / self.rate)


class Sender:
    def __init__(self, pool: asyncpg.Pool, settings: NotifySettings, renderer: Renderer, *, source: str,
                 database_url: str | None = None):
        self.pool, self.settings, self.renderer, self.source = pool, settings, renderer, source
        self.database_url = database_url or settings.database_url
        self.limiter = RateLimiter(settings.send_rate_per_second)
        #: one per worker, so a worker can take back its own claims without touching another's
        self.sender_nos: list[int] = []
        self._lock_conn: asyncpg.Connection | None = None
        self._identity_lock = asyncio.Lock()
        self.wakes = [asyncio.Event() for _ in range(settings.sender_connections)]

    def smtp_client(self) -> SmtpClient:
        s = self.settings
        return SmtpClient(host=s.smtp_host, port=s.smtp_port, starttls=s.smtp_starttls,
                          implicit_tls=s.smtp_implicit_tls, username=s.smtp_username,
                          password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                          timeout=s.smtp_timeout_seconds, envelope_from=email.utils.parseaddr(s.mail_from)[1])

    async def _take_identity(self) -> None:
        """Hold an advisory lock per worker for as long as this sender lives (see
        adapters/delivery.py); the same connection hears when new messages are stored.

        When that connection is lost (PostgreSQL restarted), the locks went with it: the
        sender takes new numbers on a new connection, and what it had claimed under the old
        ones is recovered like any dead sender's claims."""
        async with self._identity_lock:
            if self._alive():
                return
            if self._lock_conn is not None:
                self._lock_conn.terminate()
                log.warning("sender lost its database connection; taking a new identity")
            self._lock_conn, self.sender_nos = None, []
            conn = await asyncpg.connect(self.database_url)
            try:
                await self._lock_numbers(conn)
            except BaseException:
                conn.terminate()
                self.sender_nos = []
                raise
            self._lock_conn = conn

    async def _lock_numbers(self, conn: asyncpg.Connection) -> None:
        while len(self.sender_nos) < self.settings.sender_connections:
            candidate = random.randint(1, 2**31 - 1)
            if await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", delivery.SENDER_LOCK_CLASS, candidate):
                self.sender_nos.append(candidate)
        await conn.add_listener(delivery.WAKE_CHANNEL, lambda *_: self.wake_up())

    def wake_up(self) -> None:
        for event in self.wakes:
            event.set()

    def _alive(self) -> bool:
        return self._lock_conn is not None and not self._lock_conn.is_closed()

    async def run(self) -> None:
        await self._take_identity()
        try:
            await asyncio.gather(*(self._worker(i) for i in range(self.settings.sender_connections)))
        finally:
            if self._lock_conn is not None:
                await self._lock_conn.close()

    async def _worker(self, index: int) -> None:
        smtp = self.smtp_client()
        try:
            while True:
                try:
                    if not self._alive():
                        await self._take_identity()
                    if index == 0:
                        recovered = await delivery.recover_from_dead_senders(
                            self.pool, resend_uncertain=self.settings.uncertain_policy == "resend")
                        if recovered:
                            log.warning("recovered messages of a sender that stopped", extra=recovered)
                    worked = await self.work_once(smtp, self.sender_nos[index])
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                    log.warning("sender pausing: %r", exc)
                    worked = 0
                if not worked:
                    wake = self.wakes[index]
                    try:
                        await asyncio.wait_for(wake.wait(), self.settings.sender_poll_seconds)
                    except asyncio.TimeoutError:
                        pass
                    wake.clear()
        finally:
            await smtp.close()

    async def work_once(self, smtp: SmtpClient, sender_no: int) -> int:
        """Claim one batch and send it; returns how many were claimed."""
        if not self._alive():
            raise OSError("lost the sender's advisory lock connection")
        # Claims left by an earlier round that the database interrupted; not yet at DATA.
        await delivery.release_unstarted(self.pool, sender_no)
        batch = await delivery.claim(self.pool, self.settings.sender_batch, sender_no)
        for message in batch:
            await self.limiter.wait()
            try:
                await self.send_one(smtp, message, sender_no)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                raise
            except Exception as exc:  # a message we cannot even build must not stay claimed
                log.exception("could not send a message", extra={"reference": message["reference"]})
                await delivery.mark_failed(self.pool, message, f"could not build the message: {exc!r}"[:500],
                                           source=self.source)
        return len(batch)

    async def send_one(self, smtp: SmtpClient, message: asyncpg.Record, sender_no: int) -> None:
        s = self.settings
        rendered = self.renderer.render(message["kind"], message["language"], message["context"], message["reference"])
        mime = build_mime(rendered, sender=s.mail_from, recipient=message["recipient"],
                          message_id=message_id_header(message["id"], s.mail_domain),
                          reference=message["reference"], language=message["language"])

        async def before_data() -> None:
            if not self._alive():
                raise OSError("lost the sender's advisory lock connection")
            await delivery.data_starting(self.pool, message["id"], sender_no)

        attempt = await smtp.deliver(message["recipient"], mime, before_data)
        if attempt.outcome is Outcome.SENT:
            failpoints.hit("notify.after_smtp")
            await delivery.mark_sent(self.pool, message["id"])
        elif attempt.uncertain and s.uncertain_policy == "assume_delivered":
            await delivery.mark_unconfirmed(self.pool, message["id"], attempt.reason)
        elif attempt.outcome is Outcome.PERMANENT:
            log.warning("delivery failed for good", extra={"reference": message["reference"], "reason": attempt.reason})
            await delivery.mark_failed(self.pool, message, attempt.reason, source=self.source)
        elif message["attempts"] >= s.max_attempts:
            await delivery.mark_failed(self.pool, message, f"gave up after {message['attempts']} attempts; "
                                       f"last: {attempt.reason}", source=self.source)
        else:
            delay = backoff_seconds(message["attempts"], base=s.retry_base_seconds, ceiling=s.retry_max_seconds)
            await delivery.retry_later(self.pool, message["id"], delay, attempt.reason)


async def run_sender(runtime) -> None:
    """Background job of the service (ServiceSpec.background)."""
    settings: NotifySettings = runtime.settings
    if not settings.run_sender:
        return
    sender = Sender(runtime.pool, settings, runtime.extras["renderer"], source=runtime.source)
    runtime.extras["sender"] = sender
    await sender.run()
