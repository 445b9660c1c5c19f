"""The register: organisations with their current registration, and every version kept.

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    CREATE TABLE organisations (
        id                     uuid PRIMARY KEY,
        kvk                    text UNIQUE,
        oin                    text UNIQUE,
        legal_name             text NOT NULL,
        sector                 text NOT NULL,
        subsector              text,
        netcode                boolean NOT NULL DEFAULT false,
        derived_classification text NOT NULL,
        final_classification   text NOT NULL,
        override_reason        text,
        overridden_by          uuid,
        reasoning              jsonb NOT NULL,
        entitlements           jsonb NOT NULL,
        status                 text NOT NULL DEFAULT 'registered'
                               CHECK (status IN ('registered', 'deregistered')),
        version                integer NOT NULL,
        data                   jsonb NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX organisations_sector ON organisations (sector, subsector);
    CREATE INDEX organisations_name ON organisations (lower(legal_name));

    CREATE TABLE organisation_versions (
        organisation_id  uuid NOT NULL REFERENCES organisations (id),
        version          integer NOT NULL,
        change           text NOT NULL,
        data             jsonb NOT NULL,
        classification   text NOT NULL,
        changed_by       uuid,
        changed_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, version)
    );

    -- Who may act for which organisation, learnt from identity's events.
    CREATE TABLE memberships (
        organisation_id  uuid NOT NULL,
        person_id        uuid NOT NULL,
        PRIMARY KEY (organisation_id, person_id)
    );
    """)
