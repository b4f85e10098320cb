"""Codebooks as CSV, in Taguette's convention plus thematic's richer columns.

Reading: one of ``tag`` / ``path`` (hierarchy as ``A > B``, ``A/B`` or ``A.B``) or ``name``
is required; optional ``description``, ``parent`` and our ``id``, ``parent_id``,
``definition``, ``inclusion``, ``exclusion``, ``color``, ``examples`` (one per line,
``kind: text``). Every problem carries its row's line number.

Writing: ``tag`` (path joined with `` > ``), ``description`` (the definition, as Taguette
reads it), then ``id``, ``parent_id``, ``inclusion``, ``exclusion``, ``color``, ``examples``.
Rules are not written: CSV carries the codebook for people, YAML carries it for engines.
A cell that a spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is written with an apostrophe in front
(:func:`thematic.text.escape_cell`); reading removes it again, so a round trip is exact.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from thematic.codebook.parsed import ParsedSource
from thematic.codebook.schema import EXAMPLE_KINDS, ID_RE, CodeMarks, Mark, normalize_color, slugify
from thematic.errors import CodebookError, Problem
from thematic.models import Code, Codebook, Example
from thematic.text import escape_cell, unescape_cell

SEPARATORS = (" > ", "/", ".")
WRITE_COLUMNS = ("tag", "description", "id", "parent_id", "inclusion", "exclusion", "color", "examples")
_ALIASES = {"colour": "color", "parent id": "parent_id", "code": "name", "code name": "name"}


def _decode(data: bytes, source: str | None) -> str:
    """The text of a CSV codebook, by the one byte decoder of thematic (BOMs, UTF-16, legacy)."""
    from thematic.errors import DecodingError
    from thematic.ingest.normalise import decode_bytes

    try:
        return decode_bytes(data, path=source).text
    except DecodingError as exc:
        raise CodebookError(exc.message, path=source, hint=exc.hint) from exc


class _Excel(csv.excel):
    """Excel's dialect (``""`` escapes a quote) with the delimiter of the file."""


def _dialect(text: str) -> type[csv.Dialect]:
    """Excel's CSV dialect with the header line's delimiter (``,``, ``;`` or tab)."""
    first = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return type("_Sniffed", (_Excel,), {"delimiter": delimiter})


def _detect_separator(paths: list[str]) -> str | None:
    for sep in SEPARATORS:
        if any(sep in p for p in paths):
            return sep
    return None


def format_examples(examples: tuple[Example, ...]) -> str:
    """Examples as text, one per line: ``typical: I felt heard.``."""
    return "\n".join(f"{e.kind}: {' '.join(e.text.split())}" for e in examples)


def parse_examples(text: str) -> tuple[Example, ...]:
    """Inverse of :func:`format_examples`; lines without a known kind are typical examples."""
    out: list[Example] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind, sep, rest = line.partition(":")
        if sep and kind.strip().replace("-", "_").replace(" ", "_") in EXAMPLE_KINDS:
            out.append(Example(rest.strip(), kind.strip().replace("-", "_").replace(" ", "_")))
        else:
            out.append(Example(line, "typical"))
    return tuple(out)


class _CsvReader:
    def __init__(self, source: str | None, separator: str | None) -> None:
        self.out = ParsedSource(source=source)
        self.separator = separator
        self.ids: set[str] = set()
        self.by_path: dict[tuple[str, ...], str] = {}

    def error(self, message: str, line: int, column: int | None = None, code_id: str | None = None,
              hint: str | None = None) -> None:
        self.out.problems.append(
            Problem(message, path=self.out.source, line=line, column=column, code_id=code_id, hint=hint)
        )

    def new_id(self, name: str, parent_id: str | None) -> str:
        base = slugify(name)
        candidate = base if base not in self.ids or not parent_id else f"{parent_id}-{base}"
        n = 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def read(self, text: str) -> ParsedSource:
        rows = csv.reader(io.StringIO(text), _dialect(text))
        try:
            header = next(rows)
        except StopIteration:
            self.error("the CSV file is empty", 1, hint="Add a header row with a 'name' or 'tag' column.")
            self.out.fatal = True
            return self.out
        cols = [_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
        path_col = next((c for c in ("path", "tag") if c in cols), None)
        if path_col is None and "name" not in cols:
            raise CodebookError(
                "the CSV has no 'tag', 'name' or 'path' column; columns found: "
                + (", ".join(repr(h) for h in header) or "none"),
                path=self.out.source,
                line=1,
                hint="Rename the column holding code names to 'name' (or 'tag' for a hierarchy path).",
            )
        records: list[tuple[int, dict[str, str]]] = []
        start = 2
        for row in rows:
            line, start = start, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            records.append((line, {c: (str(unescape_cell(row[i])).strip() if i < len(row) else "")
                                   for i, c in enumerate(cols)}))
        self.col_index = {c: i + 1 for i, c in reversed(list(enumerate(cols)))}
        if path_col and self.separator is None:
            self.separator = _detect_separator([r.get(path_col, "") for _, r in records])
        explicit = {r["id"] for _, r in records if r.get("id")}
        self.ids.update(explicit)
        pending: list[tuple[int, dict[str, str], Code]] = []
        for line, record in records:
            code = self.row(line, record, path_col)
            if code is not None:
                pending.append((line, record, code))
        self.resolve_parents(pending)
        return self.out

    def segments(self, record: dict[str, str], path_col: str | None) -> tuple[str, ...]:
        raw = record.get(path_col, "") if path_col else ""
        if not raw:
            return ()
        parts = raw.split(self.separator) if self.separator else [raw]
        return tuple(p.strip() for p in parts if p.strip())

    def row(self, line: int, record: dict[str, str], path_col: str | None) -> Code | None:
        segments = self.segments(record, path_col)
        name = record.get("name") or (segments[-1] if segments else "")
        if not name:
            self.error(f"row {line}: empty code name", line, self.col_index.get(path_col or "name"))
            return None
        code_id = record.get("id", "")
        if code_id and not ID_RE.match(code_id):
            self.error(f"row {line}: id '{code_id}' is not a slug", line, self.col_index["id"], code_id,
                       hint=f"Use e.g. '{slugify(code_id)}'.")
        color = None
        if record.get("color"):
            color = normalize_color(record["color"])
            if color is None:
                self.error(f"row {line}: '{record['color']}' is not a colour", line, self.col_index["color"],
                           code_id or None, hint="Write it as #rrggbb.")
        parent_path = segments[:-1]
        parent_id = self.ensure_path(parent_path, line) if parent_path else None
        code_id = code_id or self.new_id(name, parent_id)
        if segments:
            self.by_path.setdefault(segments, code_id)
        code = Code(
            id=code_id,
            name=name,
            parent_id=parent_id,
            definition=record.get("definition") or record.get("description", ""),
            inclusion=record.get("inclusion", ""),
            exclusion=record.get("exclusion", ""),
            examples=parse_examples(record.get("examples", "")),
            color=color,
        )
        fields = {k: Mark(line, i) for k, i in self.col_index.items()}
        fields.setdefault("parent", fields.get("parent_id", Mark(line, None)))
        self.out.codes.append(code)
        self.out.marks.append(CodeMarks(node=Mark(line, None), trail=f"row {line}", fields=fields))
        return code

    def ensure_path(self, path: tuple[str, ...], line: int) -> str:
        """The id of the code at ``path``, creating implied parents (Taguette style)."""
        if path in self.by_path:
            return self.by_path[path]
        parent = self.ensure_path(path[:-1], line) if len(path) > 1 else None
        code_id = self.new_id(path[-1], parent)
        self.by_path[path] = code_id
        self.out.codes.append(Code(id=code_id, name=path[-1], parent_id=parent))
        self.out.marks.append(CodeMarks(node=Mark(line, None), trail=f"row {line} (implied parent)"))
        return code_id

    def resolve_parents(self, pending: list[tuple[int, dict[str, str], Code]]) -> None:
        """Apply ``parent_id`` / ``parent`` columns (an id, a path or a name)."""
        names: dict[str, str] = {}
        for code in self.out.codes:
            names.setdefault(code.name.lower(), code.id)
        ids = {c.id for c in self.out.codes}
        index = {id(c): i for i, c in enumerate(self.out.codes)}
        for _line, record, code in pending:
            ref = record.get("parent_id") or record.get("parent", "")
            if not ref:
                continue
            parent = ref if ref in ids else None
            if parent is None and self.separator:
                parent = self.by_path.get(tuple(p.strip() for p in ref.split(self.separator)))
            parent = parent or names.get(ref.lower(), ref)
            name = code.name
            if record.get("tag") and not record.get("name") and parent in ids:
                name = _strip_parent_path(record.get("tag", ""), parent, self, name)
            i = index[id(code)]
            self.out.codes[i] = replace(code, parent_id=parent, name=name)


def _strip_parent_path(tag: str, parent_id: str, reader: _CsvReader, fallback: str) -> str:
    """The code's own name: its tag path minus its parent's path (names may hold separators)."""
    for path, cid in reader.by_path.items():
        prefix = (reader.separator or "").join(path) + (reader.separator or "")
        if cid == parent_id and reader.separator and tag.startswith(prefix):
            return tag[len(prefix) :].strip()
    return fallback


def read_csv_source(data: bytes | str, *, source: str | None = None, separator: str | None = None) -> ParsedSource:
    """Read CSV codebook data; row problems are collected (a missing name column raises)."""
    text = data if isinstance(data, str) else _decode(data, source)
    return _CsvReader(source, separator).read(text)


def codebook_rows(codebook: Codebook, *, separator: str = " > ") -> list[dict[str, str]]:
    """One row per code, parents first, with the :data:`WRITE_COLUMNS`."""
    rows: list[dict[str, str]] = []

    def visit(code: Code) -> None:
        rows.append(
            {
                "tag": separator.join(codebook.path(code.id)),
                "description": code.definition,
                "id": code.id,
                "parent_id": code.parent_id or "",
                "inclusion": code.inclusion,
                "exclusion": code.exclusion,
                "color": code.color or "",
                "examples": format_examples(code.examples),
            }
        )
        for child in codebook.children(code.id):
            visit(child)

    ids = {c.id for c in codebook.codes}
    for root in (c for c in codebook.codes if c.parent_id is None or c.parent_id not in ids):
        visit(root)
    return rows


def write_csv_text(codebook: Codebook, *, separator: str = " > ") -> str:
    """The CSV text of ``codebook`` (header + one row per code)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(WRITE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in codebook_rows(codebook, separator=separator):
        writer.writerow({k: escape_cell(v) for k, v in row.items()})
    return buffer.getvalue()
