"""The organisation a login attests (eHerkenning's KvK number, SSOnRijk's OIN) travels with the
one-time code and the refresh-token family, so every access token of that session can name it:
the registry lets a person register only the organisation their login speaks for.

Revision ID: 0002
"""
from alembic import op
from weerbaar_platform.db import run_sql

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    run_sql(op, """
    ALTER TABLE authorization_codes ADD COLUMN login_kvk text, ADD COLUMN login_oin text;
    ALTER TABLE refresh_tokens ADD COLUMN login_kvk text, ADD COLUMN login_oin text;
    """)

