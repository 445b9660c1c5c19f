"""Incident reports: organisations (read model), incidents, kept report versions, drafts,
deadlines and the deadline scheduler, triage notes, attachments, the public form's rate limit.

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    -- What this service knows of the register, learnt from registry's events.
    CREATE TABLE organisations (
        id                     uuid PRIMARY KEY,
        name                   text NOT NULL,
        classification         text NOT NULL,
        statutory              boolean NOT NULL,
        registration_version   integer NOT NULL,
        deregistered           boolean NOT NULL DEFAULT false,
        updated_at             timestamptz NOT NULL DEFAULT now()
    );

    CREATE SEQUENCE incident_reference_seq;

    -- organisation_id is NULL for a report through the public form (no login).
    CREATE TABLE incidents (
        id                        uuid PRIMARY KEY,
        reference                 text NOT NULL UNIQUE,
        organisation_id           uuid,
        channel                   text NOT NULL CHECK (channel IN ('portal', 'public_form')),
        title                     text NOT NULL,
        statutory                 boolean NOT NULL,
        became_aware_at           timestamptz,
        became_aware_input        text,
        became_aware_ambiguous    boolean NOT NULL DEFAULT false,
        became_aware_later        timestamptz,
        reporting_state           jsonb,
        public_report             jsonb,
        status                    text NOT NULL DEFAULT 'new',
        severity                  text,
        assignee                  uuid,
        reported_by               uuid,
        created_at                timestamptz NOT NULL,
        updated_at                timestamptz NOT NULL
    );
    CREATE INDEX incidents_organisation ON incidents (organisation_id, created_at DESC);
    CREATE INDEX incidents_status ON incidents (status, created_at DESC);

    -- Every submitted stage is a version that is kept, never updated.
    CREATE TABLE incident_reports (
        incident_id   uuid NOT NULL REFERENCES incidents (id),
        version       integer NOT NULL,
        stage         text NOT NULL,
        content       jsonb NOT NULL,
        submitted_at  timestamptz NOT NULL,
        submitted_by  uuid NOT NULL,
        late          boolean NOT NULL,
        PRIMARY KEY (incident_id, version)
    );

    -- What was typed so far per stage, verbatim, until that stage is submitted.
    CREATE TABLE incident_drafts (
        incident_id  uuid NOT NULL REFERENCES incidents (id),
        stage        text NOT NULL,
        data         jsonb NOT NULL,
        saved_at     timestamptz NOT NULL,
        saved_by     uuid NOT NULL,
        PRIMARY KEY (incident_id, stage)
    );

    -- Statutory deadlines in UTC; closed_at is set when the stage was submitted (or no longer due).
    CREATE TABLE incident_deadlines (
        incident_id  uuid NOT NULL REFERENCES incidents (id),
        kind         text NOT NULL,
        due          timestamptz NOT NULL,
        closed_at    timestamptz,
        PRIMARY KEY (incident_id, kind)
    );
    CREATE INDEX incident_deadlines_open ON incident_deadlines (due) WHERE closed_at IS NULL;

    -- The scheduler: one row per reminder and per missed-deadline check. Replicas claim due
    -- rows with FOR UPDATE SKIP LOCKED and mark them done with the event in one transaction.
    CREATE TABLE deadline_jobs (
        id             bigserial PRIMARY KEY,
        incident_id    uuid NOT NULL REFERENCES incidents (id),
        deadline_kind  text NOT NULL,
        job            text NOT NULL CHECK (job IN ('reminder', 'missed')),
        deadline       timestamptz NOT NULL,
        run_at         timestamptz NOT NULL,
        done_at        timestamptz,
        cancelled_at   timestamptz,
        UNIQUE (incident_id, deadline_kind, job, deadline, run_at)
    );
    CREATE INDEX deadline_jobs_due ON deadline_jobs (run_at) WHERE done_at IS NULL AND cancelled_at IS NULL;

    -- The CSIRT's own notes; never shown to the organisation.
    CREATE TABLE internal_notes (
        id           bigserial PRIMARY KEY,
        incident_id  uuid NOT NULL REFERENCES incidents (id),
        author       uuid NOT NULL,
        text         text NOT NULL,
        created_at   timestamptz NOT NULL
    );

    CREATE TABLE attachments (
        id             uuid PRIMARY KEY,
        incident_id    uuid NOT NULL REFERENCES incidents (id),
        filename       text NOT NULL,
        declared_type  text,
        detected_type  text NOT NULL,
        size           bigint NOT NULL,
        sha256         text NOT NULL,
        storage_key    text NOT NULL,
        uploaded_by    uuid NOT NULL,
        uploaded_at    timestamptz NOT NULL
    );
    CREATE INDEX attachments_incident ON attachments (incident_id, uploaded_at);

    -- Fixed-window counters for the public form, per hashed client address (no raw IPs kept).
    CREATE TABLE public_form_hits (
        client_hash   text NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer NOT NULL,
        PRIMARY KEY (client_hash, window_start)
    );
    """)
