"""Read a QualCoder project (a ``.qda`` folder holding the SQLite file ``data.qda``).

Tables read (QualCoder's own schema, versions :data:`KNOWN_VERSIONS` of
``project.databaseversion``): ``source`` (text sources; media sources are dropped),
``code_cat`` (categories: the inner nodes of the code tree), ``code_name`` (codes with colour
and memo), ``code_text`` (codings: ``pos0``/``pos1`` are code points of ``fulltext``, checked
against ``seltext``), ``cases`` and ``case_text`` (which sources belong to a case),
``attribute_type``/``attribute`` (typed case attributes), ``annotation`` (notes on a span),
``journal`` (project notes) and the memos of sources and codings.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from thematic.errors import ExchangeError
from thematic.refi.model import (
    ExCase,
    ExCode,
    ExCoding,
    ExNote,
    ExProject,
    ExSource,
    ExUser,
    ExVariable,
    Unplaced,
    VariableType,
)
from thematic.refi.offsets import OffsetMap, shown, whole_number
from thematic.store.foreign import columns, connect_readonly, foreign_guid, tables

KNOWN_VERSIONS: tuple[str, ...] = tuple(f"v{n}" for n in range(1, 18))
_NEEDED = ("project", "source", "code_name", "code_cat", "code_text")
TOOL = "qualcoder"


def _g(kind: str, key: object) -> str:
    return foreign_guid(TOOL, kind, key)


def database_path(path: str | Path) -> Path:
    """The ``data.qda`` of a QualCoder project folder (or the file itself)."""
    path = Path(path)
    return path / "data.qda" if path.is_dir() else path


def read_qualcoder(path: str | Path) -> ExProject:
    """Read a QualCoder project into an :class:`ExProject`.

    Parameters
    ----------
    path
        The ``.qda`` folder, or its ``data.qda`` file.

    Raises
    ------
    ExchangeError
        Not a QualCoder database, or a database version we do not know.
    """
    db = database_path(path)
    conn = connect_readonly(db, what="QualCoder project (data.qda)")
    try:
        missing = [t for t in _NEEDED if t not in tables(conn)]
        if missing:
            raise ExchangeError(
                f"not a QualCoder project: table(s) {', '.join(missing)} missing", path=db
            )
        row = conn.execute("SELECT databaseversion FROM project").fetchone()
        version = (row[0] or "").strip() if row else ""
        if version not in KNOWN_VERSIONS:
            raise ExchangeError(
                f"QualCoder database version {version or '(none)'!r} is not one thematic knows "
                f"(it reads {KNOWN_VERSIONS[0]} to {KNOWN_VERSIONS[-1]})",
                path=db,
                hint="Export the project from QualCoder as REFI-QDA (.qdpx) and import that.",
            )
        project = ExProject(name=Path(path).stem, origin=f"QualCoder ({version})")
        _read(conn, project)
        return project
    except sqlite3.Error as e:
        raise ExchangeError(f"the QualCoder database cannot be read ({e})", path=db) from e
    finally:
        conn.close()


class _Owners:
    """The users named as owners, as they are met: ``owners(name)`` is the user's guid."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def __call__(self, owner: str | None) -> str | None:
        if not owner:
            return None
        self.names.add(owner)
        return _g("user", owner)


def _read(conn: sqlite3.Connection, p: ExProject) -> None:
    """Every stage, in the order the notes are listed: codes, sources (and their memos),
    codings (and theirs), cases, annotations, the journal, what is left out."""
    user = _Owners()
    _codes(conn, p)
    maps = _sources(conn, p, user)
    _codings(conn, p, maps, user)
    _cases(conn, p, maps)
    _annotations(conn, p, maps, user)
    _journal(conn, p, user)
    for table in ("code_image", "code_av", "code_pdf"):
        if table in tables(conn):
            n = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            if n:
                p.skip("coding", "", f"{n} coding(s) of {table[5:]} sources (thematic reads text only)")
    p.users = [ExUser(_g("user", o), o) for o in sorted(user.names)]


def _codes(conn: sqlite3.Connection, p: ExProject) -> None:
    """Categories (the inner nodes of the tree), then codes with their colour and memo."""
    for cat in conn.execute("SELECT catid, name, memo, supercatid FROM code_cat ORDER BY catid"):
        parent = _g("cat", cat["supercatid"]) if cat["supercatid"] is not None else None
        p.codes.append(
            ExCode(
                _g("cat", cat["catid"]),
                cat["name"] or "category",
                parent,
                None,
                cat["memo"] or "",
                False,
            )
        )
    for code in conn.execute("SELECT cid, name, memo, catid, color FROM code_name ORDER BY cid"):
        parent = _g("cat", code["catid"]) if code["catid"] is not None else None
        color = (
            code["color"]
            if code["color"] and re.fullmatch(r"#[0-9A-Fa-f]{6}", code["color"])
            else None
        )
        p.codes.append(
            ExCode(
                _g("code", code["cid"]),
                code["name"] or "code",
                parent,
                color.upper() if color else None,
                code["memo"] or "",
            )
        )


def _sources(conn: sqlite3.Connection, p: ExProject, user: _Owners) -> dict[int, OffsetMap]:
    """The text sources with their memos (media sources are skipped); the offset map of each."""
    maps: dict[int, OffsetMap] = {}
    for s in conn.execute(
        "SELECT id, name, fulltext, mediapath, memo, owner, date FROM source ORDER BY id"
    ):
        if s["fulltext"] is None or (s["mediapath"] and not s["fulltext"].strip()):
            p.skip("source", s["name"] or f"source {s['id']}", "a media file (thematic reads text only)")
            continue
        omap = OffsetMap(s["fulltext"], "codepoint-crlf2")  # Python str positions over fulltext
        maps[s["id"]] = omap
        guid = _g("source", s["id"])
        p.sources.append(
            ExSource(
                guid,
                s["name"] or f"source {s['id']}",
                omap.text,
                creator=user(s["owner"]),
                created=s["date"],
            )
        )
        p.conventions[guid] = omap.convention
        if s["memo"]:
            p.notes.append(
                ExNote(
                    _g("source-memo", s["id"]), f"Memo on {s['name']}", s["memo"], targets=[guid]
                )
            )
    return maps


def _codings(conn: sqlite3.Connection, p: ExProject, maps: dict[int, OffsetMap], user: _Owners) -> None:
    """The codings of text sources with their memos; a coding not at its text is unplaced."""
    names = {s.guid: s.name for s in p.sources}
    for c in conn.execute(
        "SELECT ctid, cid, fid, seltext, pos0, pos1, owner, date, memo FROM code_text ORDER BY ctid"
    ):
        if c["fid"] not in maps:
            continue
        omap = maps[c["fid"]]
        source = _g("source", c["fid"])
        span = _place(omap, c["pos0"], c["pos1"], c["seltext"])
        if isinstance(span, str):
            code = next((x.name for x in p.codes if x.guid == _g("code", c["cid"])), "")
            p.unplaced.append(
                Unplaced(names[source], str(c["ctid"]), span, whole_number(c["pos0"]),
                         whole_number(c["pos1"]), code, str(c["ctid"]))
            )
            continue
        sel = _g("coding", c["ctid"])
        p.codings.append(
            ExCoding(
                _g("coding-code", c["ctid"]),
                sel,
                source,
                _g("code", c["cid"]),
                *span,
                user(c["owner"]),
                c["date"],
            )
        )
        if c["memo"]:
            p.notes.append(
                ExNote(
                    _g("coding-memo", c["ctid"]),
                    "Coding memo",
                    c["memo"],
                    user(c["owner"]),
                    c["date"],
                    [sel],
                    (source, *span),
                )
            )


def _annotations(conn: sqlite3.Connection, p: ExProject, maps: dict[int, OffsetMap],
                 user: _Owners) -> None:
    """Notes on a span of a text source."""
    if "annotation" not in tables(conn):
        return
    for a in conn.execute("SELECT anid, fid, pos0, pos1, memo, owner, date FROM annotation"):
        amap = maps.get(a["fid"])
        span = _place(amap, a["pos0"], a["pos1"], None) if amap else "its source is not a text"
        if isinstance(span, str):
            p.skip("annotation", str(a["anid"]), span)
            continue
        source = _g("source", a["fid"])
        p.notes.append(
            ExNote(
                _g("annotation", a["anid"]),
                "Annotation",
                a["memo"] or "",
                user(a["owner"]),
                a["date"],
                [source],
                (source, *span),
            )
        )


def _journal(conn: sqlite3.Connection, p: ExProject, user: _Owners) -> None:
    """The journal entries: notes on the project."""
    if "journal" not in tables(conn):
        return
    for j in conn.execute("SELECT jid, name, jentry, date, owner FROM journal ORDER BY jid"):
        p.notes.append(
            ExNote(
                _g("journal", j["jid"]),
                j["name"] or "journal",
                j["jentry"] or "",
                user(j["owner"]),
                j["date"],
                ["project"],
            )
        )


def _place(
    omap: OffsetMap, pos0: int | None, pos1: int | None, seltext: str | None
) -> tuple[int, int] | str:
    if pos0 is None or pos1 is None:
        return "no positions"
    p0, p1 = whole_number(pos0), whole_number(pos1)
    if p0 is None or p1 is None:
        return f"positions [{shown(pos0)}, {shown(pos1)}) are not whole numbers"
    a, b = omap.to_normalised(p0), omap.to_normalised(p1)
    if a is None or b is None or a >= b:
        return f"positions [{pos0}, {pos1}) fall outside the source (its length is {omap.foreign_length})"
    if seltext is not None and " ".join(seltext.split()) != " ".join(omap.text[a:b].split()):
        return f"the coded text '{seltext[:40]}' is not at positions [{pos0}, {pos1})"
    return a, b


def _cases(conn: sqlite3.Connection, p: ExProject, maps: dict[int, OffsetMap]) -> None:
    if "cases" not in tables(conn):
        return
    types: dict[str, str] = {}
    if "attribute_type" in tables(conn):
        for t in conn.execute("SELECT name, caseOrFile, valuetype, memo FROM attribute_type"):
            if (t["caseOrFile"] or "").lower() != "case":
                p.skip("file attribute", t["name"], "thematic keeps attributes of participants")
                continue
            kind: VariableType = "Float" if (t["valuetype"] or "").lower() == "numeric" else "Text"
            types[t["name"]] = kind
            p.variables.append(
                ExVariable(_g("attribute", t["name"]), t["name"], kind, t["memo"] or "")
            )
    links: dict[int, list[str]] = {}
    if "case_text" in tables(conn):
        for link in conn.execute("SELECT DISTINCT caseid, fid FROM case_text ORDER BY id"):
            if link["fid"] in maps:
                links.setdefault(link["caseid"], []).append(_g("source", link["fid"]))
    values: dict[int, dict[str, object]] = {}
    if "attribute" in tables(conn) and {"attr_type", "id"} <= columns(conn, "attribute"):
        for a in conn.execute(
            "SELECT name, attr_type, value, id FROM attribute WHERE attr_type = 'case'"
        ):
            if a["name"] in types and a["value"] not in (None, ""):
                value: object = a["value"]
                if types[a["name"]] == "Float":
                    try:
                        number = float(a["value"])
                        value = int(number) if number.is_integer() else number
                    except ValueError:
                        pass
                values.setdefault(a["id"], {})[_g("attribute", a["name"])] = value
    for case in conn.execute("SELECT caseid, name, memo FROM cases ORDER BY caseid"):
        p.cases.append(
            ExCase(
                _g("case", case["caseid"]),
                case["name"] or f"Case {case['caseid']}",
                case["memo"] or "",
                values.get(case["caseid"], {}),
                links.get(case["caseid"], []),
            )
        )
