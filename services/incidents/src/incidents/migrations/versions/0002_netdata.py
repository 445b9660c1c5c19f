"""Network data (netwerkgegevens): every version of each organisation's set, the current
registrations, proof of ownership, conflicts between organisations, feed runs and findings.

Revision ID: 0002
"""
from alembic import op
from weerbaar_platform.db import run_sql

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    run_sql(op, """
    -- One row; bumped in every transaction that changes any registration. It serialises
    -- changes (so two organisations claiming the same prefix at once both see the other)
    -- and tells a feed run whether its in-memory register is still current.
    CREATE TABLE netdata_register_state (
        id          boolean PRIMARY KEY DEFAULT true CHECK (id),
        generation  bigint NOT NULL
    );
    INSERT INTO netdata_register_state (generation) VALUES (0);

    -- Every version of an organisation's set, never updated: the whole set and the difference.
    CREATE TABLE netdata_versions (
        organisation_id  uuid NOT NULL,
        version          integer NOT NULL,
        mode             text NOT NULL CHECK (mode IN ('replace', 'add', 'remove')),
        entries          jsonb NOT NULL,
        added            jsonb NOT NULL,
        removed          jsonb NOT NULL,
        upload           jsonb NOT NULL,
        changed_by       uuid,
        changed_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, version)
    );

    -- The current registrations: what conflicts are checked against and feeds are matched to.
    CREATE TABLE netdata_registrations (
        organisation_id  uuid NOT NULL,
        kind             text NOT NULL CHECK (kind IN ('network', 'asn', 'domain')),
        value            text NOT NULL,
        network          cidr,
        domain_root      text,
        since_version    integer NOT NULL,
        PRIMARY KEY (organisation_id, kind, value),
        CHECK ((kind = 'network') = (network IS NOT NULL))
    );
    CREATE INDEX netdata_registrations_value ON netdata_registrations (kind, value);
    CREATE INDEX netdata_registrations_network ON netdata_registrations USING gist (network inet_ops)
        WHERE network IS NOT NULL;
    CREATE INDEX netdata_registrations_domain ON netdata_registrations (domain_root)
        WHERE domain_root IS NOT NULL;

    -- Proof of ownership, kept apart from the registration so that removing and re-adding a
    -- value does not lose it. A domain's DNS challenge token lives here until it is proven.
    CREATE TABLE netdata_proofs (
        organisation_id  uuid NOT NULL,
        kind             text NOT NULL,
        value            text NOT NULL,
        challenge_token  text,
        challenge_at     timestamptz,
        method           text CHECK (method IN ('dns_txt', 'analyst_approval')),
        proven_by        uuid,
        proven_at        timestamptz,
        PRIMARY KEY (organisation_id, kind, value)
    );

    -- A value also claimed by another organisation, for a CSIRT analyst to look at.
    CREATE TABLE netdata_conflicts (
        id                      uuid PRIMARY KEY,
        organisation_id         uuid NOT NULL,
        kind                    text NOT NULL,
        value                   text NOT NULL,
        reason                  text NOT NULL CHECK (reason IN ('same_value', 'overlap')),
        others                  jsonb NOT NULL,
        other_organisation_ids  uuid[] NOT NULL,
        status                  text NOT NULL DEFAULT 'open'
                                CHECK (status IN ('open', 'resolved', 'withdrawn')),
        resolution              text,
        note                    text,
        raised_at               timestamptz NOT NULL DEFAULT now(),
        resolved_by             uuid,
        resolved_at             timestamptz
    );
    CREATE UNIQUE INDEX netdata_conflicts_one_open ON netdata_conflicts (organisation_id, kind, value)
        WHERE status = 'open';
    CREATE INDEX netdata_conflicts_status ON netdata_conflicts (status, raised_at);

    -- A feed run by an analyst, and per organisation its finding set.
    CREATE TABLE netdata_feed_runs (
        id               uuid PRIMARY KEY,
        name             text NOT NULL,
        columns          jsonb NOT NULL,
        rows_total       integer NOT NULL,
        rows_matched     integer NOT NULL,
        rows_unmatched   integer NOT NULL,
        review           jsonb NOT NULL,
        review_total     integer NOT NULL,
        organisations    integer NOT NULL,
        findings         integer NOT NULL,
        register_generation bigint NOT NULL,
        run_by           uuid NOT NULL,
        run_at           timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE netdata_finding_sets (
        feed_run_id      uuid NOT NULL REFERENCES netdata_feed_runs (id),
        organisation_id  uuid NOT NULL,
        findings         integer NOT NULL,
        rows             integer NOT NULL,
        PRIMARY KEY (feed_run_id, organisation_id)
    );
    CREATE INDEX netdata_finding_sets_organisation ON netdata_finding_sets (organisation_id, feed_run_id);

    CREATE TABLE netdata_findings (
        feed_run_id      uuid NOT NULL,
        organisation_id  uuid NOT NULL,
        seq              integer NOT NULL,
        subject          text NOT NULL,
        matched_by       text NOT NULL,
        registration     text NOT NULL,
        partial          boolean NOT NULL,
        row_count        integer NOT NULL,
        evidence         jsonb NOT NULL,
        PRIMARY KEY (feed_run_id, organisation_id, seq),
        FOREIGN KEY (feed_run_id, organisation_id) REFERENCES netdata_finding_sets
    );
    """)
