"""What every Weerbaar service repeats, written once: settings, JSON logs with correlation ids,
the database pool and migrations, the transactional outbox and its relay, the idempotent inbox
and consumer with a dead-letter topic, health endpoints, errors and token checks."""
