"""The serial registry of traceability stamps: a small SQLite file next to the products folder.

A GS1 serial (AI 21) must never be issued twice for one GTIN, whatever happens: a rerun, a
second lot, two runs at once, a crash. So serials are allocated here, in one ``BEGIN
IMMEDIATE`` transaction (a second run waits for the first to commit, up to a timeout), and
only then are the stamps drawn and written. A range is recorded as ``allocated`` when it is
committed and ``written`` once its PDF and CSV are on disk; a run that dies in between
leaves an ``allocated`` range behind: those serials are void, never printed and never issued
again (a gap, never a reuse).

The file is ours alone: its SQLite header carries :data:`APPLICATION_ID` and
:data:`SCHEMA_VERSION`, and a file that is no SQLite database, or another one, is refused
rather than written to.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import OcopError
from .messages import t

REGISTRY_FILE = ".ocopdocs-serials.sqlite"
"""At the project root, next to ``products/``: ``output/`` may be cleaned, this never."""
APPLICATION_ID = 0x4F435053
"""``OCPS`` in the SQLite header: this file is an ocopdocs serial registry."""
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE counters (
    gtin TEXT PRIMARY KEY,
    next_serial INTEGER NOT NULL CHECK (next_serial >= 1)
);
CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL,
    first INTEGER NOT NULL CHECK (first >= 1),
    last INTEGER NOT NULL CHECK (last >= first),
    product TEXT NOT NULL,
    sku TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('allocated', 'written')),
    document TEXT
);
CREATE INDEX issues_gtin ON issues (gtin, last);
"""
_COLUMNS = {"counters": ["gtin", "next_serial"],
            "issues": ["id", "gtin", "lot", "first", "last", "product", "sku", "issued_at", "status",
                       "document"]}


class RegistryError(OcopError):
    """The registry cannot be used: busy, not ours, or unreadable; ``code`` is a message key."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(t(code, **values))
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Issue:
    """One range of serials issued for one GTIN and lot."""

    id: int
    gtin: str
    lot: str
    first: int
    last: int
    product: str
    sku: str
    issued_at: str
    """When it was allocated, ISO 8601 in UTC."""
    status: str
    """``allocated`` (committed, stamps not yet written) or ``written``."""
    document: str | None
    """The stamps' PDF, once written."""

    @property
    def count(self) -> int:
        """How many serials the range holds."""
        return self.last - self.first + 1


class Registry:
    """The serial registry at ``path``; each method is one short transaction."""

    def __init__(self, path: Path, timeout_s: float) -> None:
        self.path = path
        self.timeout_s = timeout_s

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once (``BEGIN IMMEDIATE``), on a checked registry."""
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise RegistryError("serials-unreadable", path=self.path, detail=exc) from exc
        try:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise RegistryError("serials-locked", path=self.path,
                                        seconds=f"{self.timeout_s:g}") from exc
                raise RegistryError("serials-unreadable", path=self.path, detail=exc) from exc
            except sqlite3.DatabaseError as exc:  # "file is not a database"
                raise RegistryError("serials-corrupt", path=self.path, detail=exc) from exc
            try:
                self._prepare(db)
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise RegistryError("serials-corrupt", path=self.path, detail=exc) from exc
        finally:
            db.close()

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Create the tables in a new file; refuse a file that is not our registry."""
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        application = db.execute("PRAGMA application_id").fetchone()[0]
        if not tables and application == 0:
            for statement in _SCHEMA.split(";"):  # executescript would commit first
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if application != APPLICATION_ID or version != SCHEMA_VERSION:
            raise RegistryError("serials-not-ours", path=self.path)
        for table, columns in _COLUMNS.items():
            found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            if found != columns:
                raise RegistryError("serials-not-ours", path=self.path)

    def allocate(self, *, gtin: str, lot: str, count: int, product: str, sku: str,
                 issued_at: str) -> Issue:
        """Issue ``count`` serials for ``gtin`` after every serial ever issued for it, and record them.

        The range is committed before this returns; the caller draws the stamps afterwards and
        calls :meth:`written` when they are on disk.
        """
        if count < 1:
            raise ValueError(f"count must be positive: {count}")
        with self._transaction() as db:
            counter = db.execute("SELECT next_serial FROM counters WHERE gtin = ?", (gtin,)).fetchone()
            highest = db.execute("SELECT MAX(last) FROM issues WHERE gtin = ?", (gtin,)).fetchone()[0]
            # both records must agree; if one was damaged, the higher one still prevents reuse
            first = max(counter[0] if counter else 1, (highest or 0) + 1)
            last = first + count - 1
            cursor = db.execute(
                "INSERT INTO issues (gtin, lot, first, last, product, sku, issued_at, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'allocated')",
                (gtin, lot, first, last, product, sku, issued_at))
            db.execute("INSERT INTO counters (gtin, next_serial) VALUES (?, ?)"
                       " ON CONFLICT (gtin) DO UPDATE SET next_serial = excluded.next_serial",
                       (gtin, last + 1))
            issue_id = cursor.lastrowid
            assert issue_id is not None
        return Issue(issue_id, gtin, lot, first, last, product, sku, issued_at, "allocated", None)

    def written(self, issue: Issue, document: str) -> None:
        """Record that the stamps of ``issue`` are on disk, in ``document``."""
        with self._transaction() as db:
            db.execute("UPDATE issues SET status = 'written', document = ? WHERE id = ?",
                       (document, issue.id))

    def issues(self, gtin: str | None = None) -> list[Issue]:
        """Every range issued (for ``gtin``), oldest first; an empty list when there is no registry."""
        if not self.path.exists():
            return []
        with self._transaction() as db:
            query = ("SELECT id, gtin, lot, first, last, product, sku, issued_at, status, document"
                     " FROM issues")
            rows = (db.execute(query + " WHERE gtin = ? ORDER BY first", (gtin,)) if gtin is not None
                    else db.execute(query + " ORDER BY gtin, first"))
            return [Issue(*row) for row in rows.fetchall()]
