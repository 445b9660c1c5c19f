"""The sender alone, as its own process, so a test can SIGKILL it at a failpoint:

    WEERBAAR_FAILPOINTS=notify.after_smtp python sender_worker.py --dsn D --smtp-port P
"""
import argparse
import asyncio
import json

from weerbaar_platform.auth import TokenSigner
from weerbaar_platform.db import create_pool

from notify.adapters.rendering import Renderer
from notify.entrypoints.sender import Sender
from notify.settings import NotifySettings


async def main(args) -> None:
    settings = NotifySettings(environment="test", database_url=args.dsn, kafka_bootstrap="unused:1", http_port=1,
                              token_jwks=json.dumps(TokenSigner.generate().jwks()), smtp_port=args.smtp_port,
                              sender_connections=1, sender_batch=args.batch, send_rate_per_second=0,
                              sender_poll_seconds=0.2)
    pool = await create_pool(args.dsn, max_size=4)
    renderer = Renderer(portal_base_url=settings.portal_base_url)
    await Sender(pool, settings, renderer, source="/weerbaar/notify").run()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--smtp-port", type=int, required=True)
    ap.add_argument("--batch", type=int, default=20)
    asyncio.run(main(ap.parse_args()))
