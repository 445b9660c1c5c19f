"""Messages the catcher received, kept in SQLite so they survive a restart.

WAL mode lets the HTTP API read while the SMTP side writes; every call opens its own
connection, so the store is safe to use from any thread.
"""

import email
import email.policy
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at REAL NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,   -- JSON list: the recipients really delivered to, Bcc included
  header_from TEXT NOT NULL,
  header_to TEXT NOT NULL,
  subject TEXT NOT NULL,
  date TEXT NOT NULL,
  raw BLOB NOT NULL
)"""


@dataclass(frozen=True)
class StoredMessage:
    id: int
    received_at: float
    envelope_from: str
    envelope_to: list[str]
    raw: bytes

    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


def _header(message: EmailMessage, name: str) -> str:
    # A sender may fold a long header straight after the colon ("Subject:\r\n Uw rol ..."),
    # as Python's own email package does; unfolded, that leaves a leading space to drop.
    try:
        return str(message.get(name, "")).strip()
    except (ValueError, TypeError):  # a malformed header must not lose the message
        return str(message.get_all(name, [""])[0]).strip()


class MessageStore:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def add(self, envelope_from: str, envelope_to: list[str], raw: bytes, received_at: float) -> int:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        row = (received_at, envelope_from, json.dumps(envelope_to), _header(message, "From"),
               _header(message, "To"), _header(message, "Subject"), _header(message, "Date"), raw)
        with closing(self._connect()) as db, db:
            return db.execute("INSERT INTO messages (received_at, envelope_from, envelope_to, header_from,"
                              " header_to, subject, date, raw) VALUES (?,?,?,?,?,?,?,?)", row).lastrowid

    def summaries(self, to: str | None = None, subject: str | None = None) -> list[dict]:
        """Newest first; `to` matches envelope recipients or the To header, both as substrings."""
        sql = "SELECT id, received_at, envelope_from, envelope_to, header_from, header_to, subject, date FROM messages"
        where, args = [], []
        if to:
            where.append("(instr(lower(envelope_to), lower(?)) > 0 OR instr(lower(header_to), lower(?)) > 0)")
            args += [to, to]
        if subject:
            where.append("instr(lower(subject), lower(?)) > 0")
            args.append(subject)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with closing(self._connect()) as db:
            rows = db.execute(sql + " ORDER BY id DESC", args).fetchall()
        return [{"id": r["id"], "from": r["header_from"] or r["envelope_from"], "to": json.loads(r["envelope_to"]),
                 "header_to": r["header_to"], "subject": r["subject"], "date": r["date"],
                 "received_at": r["received_at"]} for r in rows]

    def get(self, message_id: int) -> StoredMessage | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT id, received_at, envelope_from, envelope_to, raw FROM messages WHERE id = ?",
                             (message_id,)).fetchone()
        if row is None:
            return None
        return StoredMessage(row["id"], row["received_at"], row["envelope_from"],
                             json.loads(row["envelope_to"]), bytes(row["raw"]))

    def clear(self) -> None:
        with closing(self._connect()) as db, db:
            db.execute("DELETE FROM messages")
