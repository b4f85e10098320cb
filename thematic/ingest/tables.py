"""Tabular files (.csv, .xlsx) as a list of rows, and the column helpers survey and
participants readers share: finding columns, detecting an id column, typing values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from thematic.errors import IngestError
from thematic.ingest.normalise import decode_bytes, normalise_block
from thematic.ingest.registry import Source, check_zip
from thematic.models import ATTRIBUTE_TYPES as TYPES  # noqa: F401  (re-exported)

Cell = Any  # str | int | float | bool | datetime | date | time | None
ID_NAMES = (
    "id respondent_id participant_id responseid response_id respondent participant "
    "case_id caseid case pid rid uid user_id record_id subject_id subject "
    "interviewee_id participant_code respondent_code code"
).split()
BLANK_ANSWERS = frozenset({"", "n/a", "na", "n.a.", "nan", "null", "-", "--", ".", "#n/a"})
#: Strings that stand for a missing value in a numeric or date column (elsewhere they are
#: values unless the user names them with ``na_values``).
MISSING_NUMBERS = BLANK_ANSWERS | {"none", "missing", "?"}

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_DATE = re.compile(r"^\d{4}[-/]\d{2}(?:[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?$")
_QUALTRICS_IMPORT = '{"ImportId"'


@dataclass
class Table:
    """A table read from csv or xlsx.

    ``rows`` are padded to ``len(columns)``; ``lines[i]`` is the 1-based line (csv) or
    row (xlsx) where ``rows[i]`` starts; ``labels`` maps a column to a longer question
    label where the file states one (Qualtrics' second header row).
    """

    columns: list[str]
    rows: list[list[Cell]]
    lines: list[int]
    labels: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None


def cell_str(value: Cell) -> str:
    """A cell as text: ``None`` -> ``''``, ``3.0`` -> ``'3'``, dates in ISO format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return normalise_block(str(value)).strip()


def is_blank(value: Cell) -> bool:
    """Whether a cell is a blank or n/a answer."""
    return cell_str(value).lower() in BLANK_ANSWERS


def _unique_columns(header: Sequence[Cell]) -> list[str]:
    columns: list[str] = []
    for i, value in enumerate(header):
        name = cell_str(value) or f"column_{i + 1}"
        base, k = name, 1
        while name in columns:
            k += 1
            name = f"{base}.{k}"
        columns.append(name)
    return columns


def _csv_table(source: Source) -> Table:
    decoded = decode_bytes(source.data, path=source.path, encoding=source.options.encoding)
    text = normalise_block(decoded.text)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    header: list[str] | None = None
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(c.strip() for c in record):
                continue
            if header is None:
                header = _unique_columns(record)
                continue
            rows.append(record)
            lines.append(line)
    except csv.Error as e:
        raise IngestError(
            f"malformed CSV ({e})",
            path=source.path,
            line=reader.line_num,
            hint="Check the quoting on that line, or re-export the file as CSV.",
        ) from e
    return Table(header or [], rows, lines, encoding=decoded.encoding)


def _xlsx_table(source: Source) -> Table:
    package = check_zip(source, kind=".xlsx")
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(package), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises several types for a broken workbook
        raise IngestError(
            f"the file is not a readable Excel workbook ({type(e).__name__}: {e})",
            path=source.path,
            hint="Open it in Excel and save it again as .xlsx.",
        ) from e
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        rows: list[list[Cell]] = []
        lines: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(cell_str(v) for v in values):
                continue
            if header is None:
                header = _unique_columns(values)
                continue
            rows.append(list(values))
            lines.append(number)
    finally:
        book.close()
    return Table(header or [], rows, lines)


def load_table(source: Source) -> Table:
    """Read a .csv or .xlsx file into a :class:`Table` (first sheet of a workbook).

    Raises
    ------
    EmptyDocumentError
        The file has no header row or no data rows.
    """
    from thematic.ingest.text import empty_error

    suffix = source.path.suffix.lower()
    table = _xlsx_table(source) if suffix == ".xlsx" else _csv_table(source)
    width = len(table.columns)
    table.rows = [list(r[:width]) + [None] * (width - len(r)) for r in table.rows]
    if not table.columns or not table.rows:
        raise empty_error(source, "no data rows")
    if len(table.rows) >= 2 and any(
        cell_str(c).startswith(_QUALTRICS_IMPORT) for c in table.rows[1]
    ):  # Qualtrics: row 2 holds question texts, row 3 import ids
        table.labels = {
            col: cell_str(v) for col, v in zip(table.columns, table.rows[0]) if cell_str(v)
        }
        table.rows, table.lines = table.rows[2:], table.lines[2:]
    return table


def normalise_name(name: str) -> str:
    """``'Respondent ID'`` -> ``'respondent_id'``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def find_column(
    table: Table, name: str, *, source: Source, what: str, error: type[IngestError] = IngestError
) -> str:
    """The column called ``name`` (exact, else case-insensitive), or an error listing columns."""
    if name in table.columns:
        return name
    for column in table.columns:
        if normalise_name(column) == normalise_name(name):
            return column
    raise error(
        f"there is no {what} column {name!r}; the columns are: "
        + ", ".join(repr(c) for c in table.columns),
        path=source.path,
        line=1,
        hint="Name one of the columns listed.",
    )


def known_id_column(table: Table) -> str | None:
    """The first column whose name is a usual id name (``id``, ``participant_id``, ...)."""
    by_name = {normalise_name(c): c for c in reversed(table.columns)}
    for name in ID_NAMES:
        if name in by_name:
            return by_name[name]
    return None


def unique_column(table: Table) -> str | None:
    """The first column whose values are all present and all different."""
    for i, column in enumerate(table.columns):
        values = [cell_str(r[i]) for r in table.rows]
        if all(values) and len(set(values)) == len(values):
            return column
    return None


def duplicates(ids: list[str], lines: list[int]) -> dict[str, list[int]]:
    """Ids that occur more than once, with the lines they occur on."""
    where: dict[str, list[int]] = {}
    for value, line in zip(ids, lines):
        where.setdefault(value, []).append(line)
    return {k: v for k, v in where.items() if len(v) > 1}


def _missing(value: Cell, na_values: Collection[str] | None) -> bool:
    """Empty, or one of the user's ``na_values`` (compared exactly, after trimming)."""
    text = cell_str(value)
    return not text or (na_values is not None and text in na_values)


def infer_type(values: list[Cell], *, na_values: Collection[str] | None = None) -> str:
    """``number``, ``date``, ``category`` (few distinct values) or ``text``.

    ``NA``, ``N/A``, ``null``, ``None`` ... count as missing when every other value is a
    number or a date; elsewhere they are values, unless listed in ``na_values``.

    Examples
    --------
    >>> infer_type(["34", "41.5", "", "NA"]), infer_type(["2024-03-01"]), infer_type(["a", "b", "a"])
    ('number', 'date', 'category')
    >>> infer_type(["AA", "NA", "SMART", "NA"])
    'category'
    """
    present = [v for v in values if not _missing(v, na_values)]
    typed = [v for v in present if cell_str(v).lower() not in MISSING_NUMBERS]
    if not present:
        return "text"
    if typed and all(_is_number(v) for v in typed):
        return "number"
    if typed and all(_is_date(v) for v in typed):
        return "date"
    distinct = {cell_str(v) for v in present}
    if len(distinct) <= min(12, max(2, len(present) // 2)):
        return "category"
    # small tables (a study of 11 people): short labels that repeat are categories too
    if len(distinct) <= 12 and len(distinct) < len(present) and max(map(len, distinct)) <= 40:
        return "category"
    return "text"


def _is_number(value: Cell) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMBER.match(value.strip()))


def _is_date(value: Cell) -> bool:
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return isinstance(value, str) and bool(_DATE.match(value.strip()))


def coerce(value: Cell, kind: str, *, na_values: Collection[str] | None = None) -> Any:
    """A cell as a value of type ``kind`` (see :data:`TYPES`); empty cells and ``na_values``
    become None, and so do ``NA``, ``N/A``, ``null``, ``None`` ... in a number or date column;
    in a category or text column they are kept as typed.

    Raises
    ------
    ValueError
        The value is not of that type.

    Examples
    --------
    >>> coerce("NA", "category"), coerce("NA", "number"), coerce("NA", "category", na_values={"NA"})
    ('NA', None, None)
    """
    if _missing(value, na_values):
        return None
    if kind in ("number", "date") and cell_str(value).lower() in MISSING_NUMBERS:
        return None
    if kind == "number":
        if not _is_number(value):
            raise ValueError(f"{cell_str(value)!r} is not a number")
        number = float(value)
        return int(number) if number.is_integer() else number
    if kind == "date":
        if not _is_date(value):
            raise ValueError(f"{cell_str(value)!r} is not a date (use YYYY-MM-DD)")
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            return value.date().isoformat()
        return cell_str(value).replace("/", "-")
    return cell_str(value)
