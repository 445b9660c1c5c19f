"""python -m weerbaar_devstack.idp --port P --issuer-base URL  (other settings: WEERBAAR_IDP_*)."""

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from .app import create_app
from .settings import IdpSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m weerbaar_devstack.idp", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer-base", help="overrides WEERBAAR_IDP_ISSUER_BASE")
    parser.add_argument("--people-file", type=Path, help="overrides WEERBAAR_IDP_PEOPLE_FILE")
    parser.add_argument("--keys-file", type=Path, help="overrides WEERBAAR_IDP_KEYS_FILE")
    parser.add_argument("--allow-tampering", action="store_true", default=None,
                        help="test only: honour tamper=... (overrides WEERBAAR_IDP_ALLOW_TAMPERING)")
    args = parser.parse_args(argv)
    overrides = {k: v for k, v in {"issuer_base": args.issuer_base, "people_file": args.people_file,
                                   "keys_file": args.keys_file, "allow_tampering": args.allow_tampering}.items()
                 if v is not None}
    settings = IdpSettings(**overrides)
    if not settings.clients:
        sys.exit("No clients registered: set WEERBAAR_IDP_CLIENTS to a JSON list of "
                 '{"client_id", "client_secret", "redirect_uris"}.')
    if settings.allow_tampering:
        logging.getLogger(__name__).warning("tampering is on: this IdP will issue bad ID tokens on request")
    uvicorn.run(create_app(settings), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
