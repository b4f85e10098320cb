"""What every aggregate of the store shares: the project id, sessions and row helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from thematic.errors import NotFoundError
from thematic.store.audit import UnitOfWork
from thematic.store.orm import CodingRow, DecisionRow

RowT = TypeVar("RowT")
Reader = Callable[[], AbstractContextManager[Session]]


class Aggregate:
    """One part of the project store (documents, codings, ...): reads and audited writes.

    Parameters
    ----------
    project_id
        The project every query is scoped to.
    read
        A callable returning a read-only session context (a consistent snapshot on SQLite).
    """

    def __init__(self, project_id: int, read: Reader) -> None:
        self.project_id = project_id
        self._read = read

    def read(self) -> AbstractContextManager[Session]:
        """A short read session."""
        return self._read()


def get_row(s: Session, cls: type[RowT], ident: Any) -> RowT:
    """The row of ``cls`` with primary key ``ident``; NotFoundError when it is gone."""
    row = s.get(cls, ident)
    if row is None:
        raise NotFoundError(f"{getattr(cls, '__tablename__', cls.__name__)} {ident} no longer exists",
                            hint="Someone may have deleted it; reload.")
    return row


def bulk_insert(s: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows (tuples in the order of ``columns``) fast, in the session's transaction.

    On SQLite the tuples go straight to the driver's ``executemany``: SQLAlchemy's
    per-row parameter processing costs more than SQLite's insert (measured in
    ``benchmarks/bench_ingest.py``). Other databases use Core's executemany.
    """
    if not rows:
        return
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        s.execute(insert(table), [dict(zip(columns, row)) for row in rows])
        return
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)


def delete_coding(uow: UnitOfWork, row: CodingRow) -> None:
    """Delete a coding and its decisions, each audited (undo restores the coding first)."""
    for decision in uow.session.scalars(
        select(DecisionRow).where(DecisionRow.coding_id == row.id)
    ).all():
        uow.delete(decision)
    uow.delete(row)
