"""The reference a person can quote when they call the CSIRT about a mail ("kenmerk"), and the
Message-ID that stays the same over every retry of that mail."""
from __future__ import annotations

from uuid import UUID

#: The same derivation as the generated column `messages.reference` (see the migration):
#: the first 48 bits of the (random) message id, in three groups of four hex digits.
REFERENCE_SQL = ("'WB-' || upper(substr(id::text, 1, 4)) || '-' || upper(substr(id::text, 5, 4))"
                 " || '-' || upper(substr(id::text, 10, 4))")


def reference_for(message_id: UUID) -> str:
    text = str(message_id)
    return f"WB-{text[0:4]}-{text[4:8]}-{text[9:13]}".upper()


def message_id_header(message_id: UUID, domain: str) -> str:
    return f"<{message_id}@{domain}>"
