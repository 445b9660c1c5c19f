"""python -m weerbaar_devstack.mailbox --smtp-port P --http-port Q --data-dir D  (or WEERBAAR_MAILBOX_*)."""

import argparse
import asyncio
from pathlib import Path

from . import serve
from .settings import MailboxSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m weerbaar_devstack.mailbox", description=__doc__)
    parser.add_argument("--host", help="overrides WEERBAAR_MAILBOX_HOST (default 127.0.0.1)")
    parser.add_argument("--smtp-port", type=int, help="overrides WEERBAAR_MAILBOX_SMTP_PORT")
    parser.add_argument("--http-port", type=int, help="overrides WEERBAAR_MAILBOX_HTTP_PORT")
    parser.add_argument("--data-dir", type=Path, help="overrides WEERBAAR_MAILBOX_DATA_DIR")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in vars(args).items() if v is not None}
    asyncio.run(serve(MailboxSettings(**overrides)))


if __name__ == "__main__":
    main()
