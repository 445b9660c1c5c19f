"""Read models (people, memberships, roles, organisations), preferences, and the messages to
send (an outbox of mails: one row per event and recipient).

Revision ID: 0001
"""
from alembic import op
from weerbaar_platform.db import MESSAGING_TABLES, run_sql

revision = "0001"
down_revision = None


def upgrade() -> None:
    run_sql(op, MESSAGING_TABLES)
    run_sql(op, """
    -- Learnt from identity's events.
    CREATE TABLE persons (
        id         uuid PRIMARY KEY,
        name       text NOT NULL,
        email      text NOT NULL,
        language   text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE memberships (
        organisation_id uuid NOT NULL,
        person_id       uuid NOT NULL REFERENCES persons (id),
        PRIMARY KEY (organisation_id, person_id)
    );
    CREATE INDEX memberships_person ON memberships (person_id);
    CREATE TABLE roles (
        organisation_id uuid NOT NULL,
        person_id       uuid NOT NULL,
        role            text NOT NULL,
        usable_from     timestamptz NOT NULL,
        activated       boolean NOT NULL DEFAULT false,
        PRIMARY KEY (organisation_id, role, person_id)
    );

    -- Learnt from the registry's events.
    CREATE TABLE organisations (
        id                   uuid PRIMARY KEY,
        legal_name           text NOT NULL,
        sector               text NOT NULL,
        subsector            text,
        classification       text NOT NULL,
        netcode              boolean NOT NULL DEFAULT false,
        group_mailbox        text,
        registered           boolean NOT NULL DEFAULT true,
        registration_version integer NOT NULL DEFAULT 0
    );
    CREATE INDEX organisations_profile ON organisations (sector, subsector, classification) WHERE registered;

    -- A person's choices; no row means the default (immediately).
    CREATE TABLE preferences (
        person_id  uuid NOT NULL,
        category   text NOT NULL,
        delivery   text NOT NULL CHECK (delivery IN ('immediately', 'digest', 'off')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, category)
    );

    -- Every mail, stored before it is sent. status:
    --   queued      waiting for the sender (next_attempt_at)
    --   sending     claimed by the sender `sender_no` (a live sender holds its advisory lock)
    --   sent        accepted by the SMTP relay
    --   unconfirmed the sender died during the DATA exchange; not sent again (uncertain_policy)
    --   failed      refused for good (5xx) or out of attempts; `last_error` says why
    --   held        waits for the person's daily digest
    --   digested    went out inside digest `digest_id`
    --   cancelled   no longer to be sent (e.g. the publication was withdrawn before the digest)
    CREATE TABLE messages (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference       text GENERATED ALWAYS AS (
                            'WB-' || upper(substr(id::text, 1, 4)) || '-' || upper(substr(id::text, 5, 4))
                            || '-' || upper(substr(id::text, 10, 4))) STORED,
        event_id        text NOT NULL,
        recipient       text NOT NULL,
        person_id       uuid,
        organisation_id uuid,
        kind            text NOT NULL,
        category        text NOT NULL,
        language        text NOT NULL,
        context         jsonb NOT NULL,
        about           text,
        status          text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'unconfirmed',
                                                       'failed', 'held', 'digested', 'cancelled')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sender_no       integer,
        data_started_at timestamptz,
        last_error      text,
        digest_id       uuid,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz,
        UNIQUE (event_id, recipient)
    );
    CREATE UNIQUE INDEX messages_reference ON messages (reference);
    CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'queued';
    CREATE INDEX messages_sending ON messages (sender_no) WHERE status = 'sending';
    CREATE INDEX messages_held ON messages (person_id, created_at) WHERE status = 'held';
    CREATE INDEX messages_about ON messages (about) WHERE about IS NOT NULL;
    """)
