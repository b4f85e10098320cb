"""Readers of peers' own project databases (QualCoder ``data.qda``, Taguette ``.sqlite3``).

They open the foreign SQLite file read-only and return :class:`thematic.refi.model.ExProject`;
this is the only place that reads a foreign database, because only ``thematic/store/``
speaks SQL (DESIGN invariant 5).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from thematic.errors import ExchangeError

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:thematic:foreign-project")


def foreign_guid(tool: str, kind: str, key: object) -> str:
    """A stable guid for a foreign row (``tool``, table ``kind``, primary ``key``)."""
    return str(uuid.uuid5(NAMESPACE, f"{tool}:{kind}:{key}"))


def readonly_uri(path: Path) -> str:
    """The ``file:`` URI opening ``path`` read-only, every special character quoted.

    Examples
    --------
    >>> readonly_uri(Path("/data/study #2?/data.qda"))
    'file:///data/study%20%232%3F/data.qda?mode=ro'
    """
    return path.absolute().as_uri() + "?mode=ro"


def connect_readonly(path: Path, *, what: str) -> sqlite3.Connection:
    """Open a SQLite file read-only; a file that is not SQLite is an :class:`ExchangeError`."""
    if not path.is_file():
        raise ExchangeError(f"{what} not found", path=path)
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise ExchangeError(f"not a {what}: the file is not a SQLite database", path=path)
    # a '#', '?' or '%' in a folder or file name would cut a hand-made URI short (and SQLite
    # would create an empty file at the cut): quote the path
    conn = sqlite3.connect(readonly_uri(path), uri=True)
    conn.row_factory = _typed_row
    return conn


#: columns read as numbers (ids, positions, counts); every other column is read as text
NUMERIC_COLUMNS = frozenset(
    """id cid fid ctid catid supercatid caseid anid jid avid imid attrid risid av_text_id important
    pos0 pos1 bookmarkfile bookmarkpos start_offset end_offset document_id project_id highlight_id
    tag_id parent_id COUNT(*)""".split()
)


def _typed_row(cursor: sqlite3.Cursor, values: tuple[object, ...]) -> sqlite3.Row:
    """A row whose text columns are text whatever SQLite stored (a BLOB is decoded as UTF-8, a
    number written out), so a hand-edited database cannot smuggle bytes or numbers into names,
    memos or transcripts; numeric columns are left as stored, to be checked where they are used."""
    names = [d[0] for d in cursor.description]
    out = []
    for name, value in zip(names, values):
        if name not in NUMERIC_COLUMNS and value is not None and not isinstance(value, str):
            value = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        out.append(value)
    return sqlite3.Row(cursor, tuple(out))


def tables(conn: sqlite3.Connection) -> set[str]:
    """Names of the tables of a SQLite database."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """Column names of ``table``."""
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}  # noqa: S608 (known table names)
