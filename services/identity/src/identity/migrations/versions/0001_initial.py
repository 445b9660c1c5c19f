"""People, memberships and roles; the organisations read model; login state, codes and tokens;
signing keys; audit log and login rate limits.

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    -- Access-token signing keys: the newest signs, every unretired one is published (rotation).
    CREATE TABLE signing_keys (
        kid          text PRIMARY KEY,
        private_jwk  jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        retired_at   timestamptz
    );

    -- What identity knows of organisations, from the registry's events (and the CSIRT itself).
    -- Every membership change locks its organisation's row: that serialises the last-admin rule.
    CREATE TABLE organisations (
        id                    uuid PRIMARY KEY,
        legal_name            text NOT NULL,
        kvk                   text,
        oin                   text,
        registration_version  integer NOT NULL DEFAULT 0,
        deregistered          boolean NOT NULL DEFAULT false,
        is_csirt              boolean NOT NULL DEFAULT false
    );
    CREATE INDEX organisations_kvk ON organisations (kvk);
    CREATE INDEX organisations_oin ON organisations (oin);

    CREATE TABLE people (
        id             uuid PRIMARY KEY,
        name           text NOT NULL,
        email          text NOT NULL,
        language       text NOT NULL DEFAULT 'nl',
        created_at     timestamptz NOT NULL DEFAULT now(),
        last_login_at  timestamptz
    );
    CREATE INDEX people_email ON people (lower(email));

    -- One person may log in with several means; each is (idp, subject).
    CREATE TABLE person_identities (
        idp           text NOT NULL,
        subject       text NOT NULL,
        person_id     uuid NOT NULL REFERENCES people (id),
        kvk           text,
        oin           text,
        last_level    text,
        last_seen_at  timestamptz,
        PRIMARY KEY (idp, subject)
    );
    CREATE INDEX person_identities_person ON person_identities (person_id);

    CREATE TABLE memberships (
        organisation_id  uuid NOT NULL REFERENCES organisations (id),
        person_id        uuid NOT NULL REFERENCES people (id),
        joined_at        timestamptz NOT NULL,
        PRIMARY KEY (organisation_id, person_id)
    );
    CREATE INDEX memberships_person ON memberships (person_id);

    -- Every grant is kept; the current ones are those not withdrawn.
    CREATE TABLE role_grants (
        id               bigserial PRIMARY KEY,
        organisation_id  uuid NOT NULL,
        person_id        uuid NOT NULL,
        role             text NOT NULL,
        granted_by       uuid,
        granted_at       timestamptz NOT NULL,
        usable_from      timestamptz NOT NULL,
        activated_at     timestamptz,
        withdrawn_at     timestamptz,
        withdrawn_by     uuid
    );
    CREATE UNIQUE INDEX role_grants_current ON role_grants (organisation_id, person_id, role)
        WHERE withdrawn_at IS NULL;
    CREATE INDEX role_grants_due ON role_grants (usable_from)
        WHERE activated_at IS NULL AND withdrawn_at IS NULL;

    CREATE TABLE invitations (
        id               uuid PRIMARY KEY,
        organisation_id  uuid NOT NULL REFERENCES organisations (id),
        email            text NOT NULL,
        roles            text[] NOT NULL,
        invited_by       uuid NOT NULL,
        created_at       timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL,
        status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'withdrawn')),
        accepted_by      uuid,
        accepted_at      timestamptz
    );
    CREATE UNIQUE INDEX invitations_open ON invitations (organisation_id, lower(email)) WHERE status = 'open';
    CREATE INDEX invitations_email ON invitations (lower(email)) WHERE status = 'open';

    -- A login in progress at an upstream IdP, found by the digest of the state we sent.
    CREATE TABLE login_requests (
        state_hash      text PRIMARY KEY,
        idp             text NOT NULL,
        nonce           text NOT NULL,
        code_verifier   text NOT NULL,
        client_id       text NOT NULL,
        redirect_uri    text NOT NULL,
        client_state    text NOT NULL,
        code_challenge  text NOT NULL,
        expires_at      timestamptz NOT NULL
    );

    -- One-time codes for the gateway.
    CREATE TABLE authorization_codes (
        code_hash               text PRIMARY KEY,
        person_id               uuid NOT NULL REFERENCES people (id),
        client_id               text NOT NULL,
        redirect_uri            text NOT NULL,
        code_challenge          text NOT NULL,
        acting_organisation_id  uuid,
        family_id               uuid NOT NULL,
        expires_at              timestamptz NOT NULL,
        used_at                 timestamptz
    );

    -- Refresh tokens rotate within a family; presenting a used one revokes the family.
    CREATE TABLE refresh_tokens (
        token_hash              text PRIMARY KEY,
        family_id               uuid NOT NULL,
        person_id               uuid NOT NULL REFERENCES people (id),
        client_id               text NOT NULL,
        acting_organisation_id  uuid,
        created_at              timestamptz NOT NULL DEFAULT now(),
        expires_at              timestamptz NOT NULL,
        used_at                 timestamptz,
        revoked_at              timestamptz
    );
    CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
    CREATE INDEX refresh_tokens_person ON refresh_tokens (person_id) WHERE revoked_at IS NULL;

    CREATE TABLE audit_log (
        id               bigserial PRIMARY KEY,
        at               timestamptz NOT NULL,
        kind             text NOT NULL,
        outcome          text NOT NULL,
        organisation_id  uuid,
        person_id        uuid,
        actor_id         uuid,
        idp              text,
        level            text,
        client_ip        text,
        detail           jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_organisation ON audit_log (organisation_id, id DESC);

    -- Fixed-window counters for login attempts, shared by every replica.
    CREATE TABLE login_attempts (
        bucket        text NOT NULL,
        window_start  timestamptz NOT NULL,
        hits          integer NOT NULL,
        PRIMARY KEY (bucket, window_start)
    );
    """)
