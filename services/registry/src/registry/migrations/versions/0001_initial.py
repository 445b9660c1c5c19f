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
    -- The current state of each entry. `data` is the registration as the domain validated it;
    -- the columns beside it are copies for searching and for the CSIRT's exports.
    CREATE TABLE organisations (
        id                     uuid PRIMARY KEY,
        kvk                    text UNIQUE,
        oin                    text UNIQUE,
        legal_name             text NOT NULL,
        sector                 text NOT NULL,
        subsector              text,
        entity_type            text,
        netcode                text CHECK (netcode IN ('high_impact', 'critical_impact')),
        derived_classification text NOT NULL,
        final_classification   text NOT NULL,
        size_class             text,
        override_reason        text,
        overridden_by          uuid,
        overridden_at          timestamptz,
        reasoning              jsonb NOT NULL,
        entitlements           jsonb NOT NULL,
        status                 text NOT NULL DEFAULT 'registered'
                               CHECK (status IN ('registered', 'deregistered')),
        deregistration_reason  text,
        deregistered_at        timestamptz,
        version                integer NOT NULL,
        data                   jsonb NOT NULL,
        registered_by          uuid NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX organisations_sector ON organisations (sector, subsector);
    CREATE INDEX organisations_name ON organisations (lower(legal_name));
    CREATE INDEX organisations_classification ON organisations (final_classification, status);

    -- One row per accepted change, never updated: who changed what, when, and why.
    CREATE TABLE organisation_versions (
        organisation_id  uuid NOT NULL REFERENCES organisations (id),
        version          integer NOT NULL,
        change           text NOT NULL,
        changed_fields   text[] NOT NULL DEFAULT '{}',
        reason           text,
        data             jsonb NOT NULL,
        classification   jsonb NOT NULL,
        status           text NOT NULL,
        changed_by       uuid,
        changed_by_name  text,
        changed_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, version)
    );
    """)
