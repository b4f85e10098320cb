"""Read a Taguette project database (``.sqlite3``): documents, tags with descriptions, highlights.

Taguette stores each document as sanitised HTML (``documents.contents``); a highlight's
``start_offset``/``end_offset`` count **UTF-8 bytes of the text nodes**, tags not counted.
The HTML is turned into text (a line break after each block element) while recording where
each byte of text lands, so every highlight is placed on the normalised text and checked
against its ``snippet``. The coder of a highlight comes from the ``highlight_add`` command
that made it. The schema version is the Alembic revision in ``alembic_version``; one we do
not know is an error.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

from thematic.errors import ExchangeError
from thematic.ingest.normalise import normalise_text
from thematic.refi.model import ExCode, ExCoding, ExProject, ExSource, ExUser, Unplaced
from thematic.refi.offsets import raw_to_normalised, shown, whole_number
from thematic.store.foreign import columns, connect_readonly, foreign_guid, tables

TOOL = "taguette"
# Alembic revisions of Taguette's schema (taguette/migrations/versions)
KNOWN_REVISIONS = frozenset(
    """09c662cd9483 382db36f20f4 43d6c240309d 447d636f72c5 491de2dc7cd7 63d7ca28fc0c
    6489b5f9cfb5 679f625e6e6a 807c0cc0ecf6 80b1cc9d4c22 8359b64e149f 91ade71ccf4d
    b23f3b7a638e bc8e0e0677e9 bce44849c2f2 d86c45d7aa8a db5e31a0233d dd37d9027a24
    e2c673393d89 e4cf92942271 e4e090a5b511 ecb4065de575""".split()
)
_BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 blockquote pre section article table ul ol".split()
)


def _g(kind: str, key: object) -> str:
    return foreign_guid(TOOL, kind, key)


class _Text(HTMLParser):
    """Text of Taguette HTML, and for each UTF-8 byte offset of the text nodes its raw index."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.byte_marks: list[int] = [0]  # byte offset at the start of each mapped char
        self.index_marks: list[int] = [0]
        self.bytes = 0

    def _newline(self) -> None:
        if self.length and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "br":
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        keep = bool(data.strip()) or (self.length and not self.parts[-1].endswith("\n"))
        for ch in data:
            self.bytes += len(ch.encode("utf-8"))
            if keep:
                self.parts.append(ch)
                self.length += 1
            self.byte_marks.append(self.bytes)
            self.index_marks.append(self.length)

    def position(self, byte: int) -> int | None:
        """The raw index of a byte offset; None inside a multi-byte character."""
        i = bisect.bisect_left(self.byte_marks, byte)
        if i >= len(self.byte_marks) or self.byte_marks[i] != byte:
            return None
        return self.index_marks[i]


def read_taguette(path: str | Path) -> ExProject:
    """Read a Taguette ``.sqlite3`` database (its first project) into an :class:`ExProject`.

    Raises
    ------
    ExchangeError
        Not a Taguette database, or a schema revision we do not know.
    """
    path = Path(path)
    conn = connect_readonly(path, what="Taguette database")
    try:
        have = tables(conn)
        missing = [
            t
            for t in ("projects", "documents", "tags", "highlights", "highlight_tags")
            if t not in have
        ]
        if missing:
            raise ExchangeError(
                f"not a Taguette database: table(s) {', '.join(missing)} missing", path=path
            )
        revision = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in have
            else None
        )
        if revision is None or revision[0] not in KNOWN_REVISIONS:
            raise ExchangeError(
                f"Taguette schema revision {revision[0] if revision else '(none)'!r} is not one thematic knows",
                path=path,
                hint="Export the project from Taguette as REFI-QDA (.qdpx) and import that.",
            )
        return _read(conn, path)
    except sqlite3.Error as e:
        raise ExchangeError(f"the Taguette database cannot be read ({e})", path=path) from e
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path) -> ExProject:
    """The database's first project: its tags, documents and highlights, and their users."""
    proj = conn.execute("SELECT id, name, description FROM projects ORDER BY id").fetchone()
    if proj is None:
        raise ExchangeError("the Taguette database holds no project", path=path)
    p = ExProject(name=proj["name"], origin="Taguette", description=proj["description"] or "")
    n_projects = conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
    if n_projects > 1:
        p.skip("project", "", f"{n_projects - 1} other project(s) of the database (one is imported at a time)")
    pid = proj["id"]
    tag_names = _tags(conn, p, pid)
    authors = _authors(conn, pid)
    texts = _documents(conn, p, pid)
    _highlights(conn, p, texts, tag_names, authors)
    p.users = [ExUser(_g("user", u), u) for u in sorted({u for u, _ in authors.values() if u})]
    return p


def _tags(conn: sqlite3.Connection, p: ExProject, pid: int) -> dict[int, str]:
    """The project's tags as codes (nested when the schema has ``parent_id``); id -> path."""
    has_parent = "parent_id" in columns(conn, "tags")
    query = (
        "SELECT id, path, description"
        + (", parent_id" if has_parent else "")
        + " FROM tags WHERE project_id = ? ORDER BY id"
    )
    tag_names: dict[int, str] = {}
    for t in conn.execute(query, (pid,)):
        parent = _g("tag", t["parent_id"]) if has_parent and t["parent_id"] is not None else None
        p.codes.append(ExCode(_g("tag", t["id"]), t["path"], parent, None, t["description"] or ""))
        tag_names[t["id"]] = t["path"]
    return tag_names


def _documents(conn: sqlite3.Connection, p: ExProject, pid: int) -> dict[int, tuple[_Text, list[int]]]:
    """The project's documents as sources (HTML read to text, normalised); document id ->
    (its parsed HTML, raw text offset -> normalised offset)."""
    texts: dict[int, tuple[_Text, list[int]]] = {}
    for d in conn.execute(
        "SELECT id, name, description, contents, created FROM documents WHERE project_id = ? ORDER BY id",
        (pid,),
    ):
        parser = _Text()
        parser.feed(d["contents"] or "")
        parser.close()
        raw = "".join(parser.parts)
        text = normalise_text(raw)
        texts[d["id"]] = parser, raw_to_normalised(raw, len(text))
        p.sources.append(
            ExSource(
                _g("doc", d["id"]),
                d["name"],
                text,
                description=d["description"] or "",
                created=str(d["created"] or "") or None,
            )
        )
        p.conventions[_g("doc", d["id"])] = "utf8-bytes-html"
    return texts


def _highlight_span(h: sqlite3.Row, source: ExSource, parser: _Text, r2n: list[int]) -> tuple[int, int] | str:
    """Where a highlight falls in its normalised source, or why it cannot be placed."""
    s0, s1 = whole_number(h["start_offset"]), whole_number(h["end_offset"])
    if s0 is None or s1 is None:
        return f"byte offsets [{shown(h['start_offset'])}, {shown(h['end_offset'])}) are not whole numbers"
    a, b = parser.position(s0), parser.position(s1)
    start, end = (r2n[a], r2n[b]) if a is not None and b is not None else (None, None)
    if start is None or end is None or start >= end:
        return f"byte offsets [{h['start_offset']}, {h['end_offset']}) fall outside the document"
    snippet = _Text()
    snippet.feed(h["snippet"] or "")
    expected = " ".join("".join(snippet.parts).split())
    if expected and expected != " ".join(source.text[start:end].split()):
        return f"the highlight's snippet '{expected[:40]}' is not at its offsets"
    return start, end


def _highlights(conn: sqlite3.Connection, p: ExProject, texts: dict[int, tuple[_Text, list[int]]],
                tag_names: dict[int, str], authors: dict[int, tuple[str, str | None]]) -> None:
    """One coding per (highlight, tag); a highlight not at its offsets is unplaced."""
    sources = {s.guid: s for s in p.sources}
    tags_of: dict[int, list[int]] = {}
    for ht in conn.execute("SELECT highlight_id, tag_id FROM highlight_tags"):
        tags_of.setdefault(ht["highlight_id"], []).append(ht["tag_id"])
    for h in conn.execute(
        "SELECT id, document_id, start_offset, end_offset, snippet FROM highlights ORDER BY id"
    ):
        if h["document_id"] not in texts:
            continue
        source = sources[_g("doc", h["document_id"])]
        span = _highlight_span(h, source, *texts[h["document_id"]])
        if isinstance(span, str):
            p.unplaced.append(
                Unplaced(source.name, str(h["id"]), span, whole_number(h["start_offset"]),
                         whole_number(h["end_offset"]),
                         ", ".join(tag_names.get(t, "") for t in tags_of.get(h["id"], [])),
                         f"highlight {h['id']}")
            )
            continue
        user, date = authors.get(h["id"], (None, None))
        for tag in tags_of.get(h["id"], []):
            p.codings.append(
                ExCoding(
                    _g("hltag", f"{h['id']}:{tag}"),
                    _g("highlight", h["id"]),
                    source.guid,
                    _g("tag", tag),
                    *span,
                    _g("user", user) if user else None,
                    date,
                )
            )


def _authors(conn: sqlite3.Connection, pid: int) -> dict[int, tuple[str, str | None]]:
    """Highlight id -> (user login, date) from the ``highlight_add`` commands."""
    out: dict[int, tuple[str, str | None]] = {}
    if "commands" not in tables(conn):
        return out
    for c in conn.execute(
        "SELECT user_login, date, payload FROM commands WHERE project_id = ? ORDER BY id", (pid,)
    ):
        try:
            payload = json.loads(c["payload"])
        except (TypeError, ValueError):
            continue
        if (
            isinstance(payload, dict)
            and payload.get("type") == "highlight_add"
            and "highlight_id" in payload
        ):
            out.setdefault(
                int(payload["highlight_id"]),
                (c["user_login"], str(c["date"]) if c["date"] else None),
            )
    return out
