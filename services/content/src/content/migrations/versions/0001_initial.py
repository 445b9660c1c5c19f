"""Publications with their revisions, the CSAF documents behind advisories (every version
kept), refused uploads, the organisations read model and the products organisations run.

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    -- What the registry says about each organisation (from its events): decides who sees what.
    CREATE TABLE organisations (
        id                    uuid PRIMARY KEY,
        legal_name            text NOT NULL,
        classification        text NOT NULL,
        sector                text NOT NULL,
        subsector             text,
        netcode               boolean NOT NULL DEFAULT false,
        registration_version  integer NOT NULL,
        deregistered          boolean NOT NULL DEFAULT false,
        updated_at            timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE publications (
        id           uuid PRIMARY KEY,
        kind         text NOT NULL CHECK (kind IN ('advisory', 'analysis', 'news')),
        tracking_id  text UNIQUE,  -- CSAF /document/tracking/id, advisories only
        created_by   uuid NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
    );

    -- Every CSAF document version ever accepted; refused ones never land here.
    CREATE TABLE csaf_documents (
        id                    bigserial PRIMARY KEY,
        publication_id        uuid NOT NULL REFERENCES publications (id),
        tracking_id           text NOT NULL,
        csaf_version          text NOT NULL,
        raw                   bytea NOT NULL,   -- the original bytes, for download
        document              jsonb NOT NULL,
        advisory              jsonb NOT NULL,   -- what we extracted (see adapters.advisory_json)
        label                 text,             -- the TLP label as the document carries it
        uploaded_by           uuid NOT NULL,
        uploaded_at           timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tracking_id, csaf_version)
    );

    -- One row per revision; readers see the newest published or withdrawn one, so a revision
    -- being written never hides the one that is out.
    CREATE TABLE revisions (
        publication_id  uuid NOT NULL REFERENCES publications (id),
        revision        integer NOT NULL,
        state           text NOT NULL CHECK (state IN ('draft', 'review', 'published', 'withdrawn')),
        title           text NOT NULL,
        body_markdown   text NOT NULL DEFAULT '',
        tlp             text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
        tlp_defaulted   boolean NOT NULL DEFAULT false,
        audience        jsonb NOT NULL,
        authors         text[] NOT NULL,
        approved_by     uuid,
        published_at    timestamptz,
        withdrawal      jsonb,
        review_notes    jsonb NOT NULL DEFAULT '[]',
        document_id     bigint REFERENCES csaf_documents (id),
        changes         jsonb,   -- what changed against the revision shown before it
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (publication_id, revision)
    );
    CREATE INDEX revisions_visible ON revisions (publication_id, revision DESC)
        WHERE state IN ('published', 'withdrawn');

    -- Uploads that failed the schema or a mandatory test: kept for the editors, never shown.
    CREATE TABLE csaf_refusals (
        id            bigserial PRIMARY KEY,
        uploaded_by   uuid NOT NULL,
        uploaded_at   timestamptz NOT NULL DEFAULT now(),
        filename      text,
        failed_tests  text[] NOT NULL,
        findings      jsonb NOT NULL,
        raw           bytea NOT NULL
    );

    CREATE TABLE organisation_products (
        id               uuid PRIMARY KEY,
        organisation_id  uuid NOT NULL,
        vendor           text,
        product          text NOT NULL,
        added_by         uuid NOT NULL,
        added_at         timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX organisation_products_once
        ON organisation_products (organisation_id, lower(coalesce(vendor, '')), lower(product));
    """)
