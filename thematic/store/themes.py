"""Themes: the tree of themes, their codes, exemplar quotes and framework summaries.

Every write takes the :class:`~thematic.store.audit.UnitOfWork` of one user action and
goes through it row by row, so that undo restores exactly what was there (links and
summaries are deleted explicitly before their theme, not left to ``ON DELETE CASCADE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic.errors import NotFoundError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, get_row
from thematic.store.orm import (
    CodeRow,
    CodingRow,
    FrameworkSummaryRow,
    ParticipantRow,
    ThemeCodeRow,
    ThemeQuoteRow,
    ThemeRow,
    utcnow,
)

THEME_COLUMNS = ["theme_id", "name", "parent", "definition", "position"]
SUMMARY_COLUMNS = ["participant", "theme", "code", "summary", "quote_ids", "author",
                   "updated_at"]


class Themes(Aggregate):
    """The project's themes (name, parent, definition, order), codes, quotes and summaries."""

    # ------------------------------------------------------------------ reads
    def frame(self) -> pd.DataFrame:
        """``themes`` frame: theme_id, name, parent (name or None), definition, position."""
        with self.read() as s:
            rows = s.scalars(select(ThemeRow).where(ThemeRow.project_id == self.project_id)
                             .order_by(ThemeRow.position, ThemeRow.id)).all()
            names = {r.id: r.name for r in rows}
            records = [{"theme_id": r.id, "name": r.name, "parent": names.get(r.parent_id) if r.parent_id else None,
                        "definition": r.definition or "", "position": r.position}
                       for r in rows]
        return pd.DataFrame(records, columns=THEME_COLUMNS)

    def codes_frame(self) -> pd.DataFrame:
        """``theme_codes`` frame: theme (name), code (code id)."""
        with self.read() as s:
            rows = s.execute(
                select(ThemeRow.name, CodeRow.key)
                .join(ThemeCodeRow, ThemeCodeRow.theme_id == ThemeRow.id)
                .join(CodeRow, CodeRow.id == ThemeCodeRow.code_id)
                .where(ThemeRow.project_id == self.project_id)
                .order_by(ThemeRow.position, ThemeRow.id, CodeRow.key)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["theme", "code"])

    def quotes_frame(self) -> pd.DataFrame:
        """Exemplar quotes: theme (name), coding_id, position."""
        with self.read() as s:
            rows = s.execute(
                select(ThemeRow.name, ThemeQuoteRow.coding_id, ThemeQuoteRow.position)
                .join(ThemeQuoteRow, ThemeQuoteRow.theme_id == ThemeRow.id)
                .where(ThemeRow.project_id == self.project_id)
                .order_by(ThemeRow.position, ThemeRow.id, ThemeQuoteRow.position)).all()
        return pd.DataFrame([tuple(r) for r in rows], columns=["theme", "coding_id", "position"])

    def summaries_frame(self) -> pd.DataFrame:
        """Framework summaries: participant, theme (name or None), code (id or None),
        summary, quote_ids (list of coding ids), author, updated_at."""
        with self.read() as s:
            rows = s.execute(
                select(FrameworkSummaryRow, ParticipantRow.key, ThemeRow.name, CodeRow.key)
                .join(ParticipantRow, ParticipantRow.id == FrameworkSummaryRow.participant_id)
                .outerjoin(ThemeRow, ThemeRow.id == FrameworkSummaryRow.theme_id)
                .outerjoin(CodeRow, CodeRow.id == FrameworkSummaryRow.code_id)
                .where(FrameworkSummaryRow.project_id == self.project_id)
                .order_by(ParticipantRow.key)).all()
            records = [{"participant": pkey, "theme": tname, "code": ckey,
                        "summary": row.summary or "", "quote_ids": list(row.quote_ids or []),
                        "author": row.author, "updated_at": row.updated_at}
                       for row, pkey, tname, ckey in rows]
        return pd.DataFrame(records, columns=SUMMARY_COLUMNS)

    def by_name(self, s: Session, name: str) -> ThemeRow | None:
        """The theme called ``name`` (exact), or None."""
        return s.scalars(select(ThemeRow).where(ThemeRow.project_id == self.project_id,
                                                ThemeRow.name == name)).first()

    def row(self, s: Session, name: str) -> ThemeRow:
        """The theme called ``name``; NotFoundError listing the themes there are."""
        found = self.by_name(s, name)
        if found is None:
            known = s.scalars(select(ThemeRow.name).where(
                ThemeRow.project_id == self.project_id).order_by(ThemeRow.name)).all()
            raise NotFoundError(f"theme {name!r} does not exist",
                                hint=f"The themes are: {', '.join(known) or 'none yet'}.")
        return found

    def parents(self, s: Session) -> dict[int, int | None]:
        """Theme id -> parent theme id, for cycle checks."""
        return dict(s.execute(select(ThemeRow.id, ThemeRow.parent_id).where(
            ThemeRow.project_id == self.project_id)).all())

    def code_ids(self, s: Session, keys: Sequence[str]) -> dict[str, int]:
        """Code id -> row id for the codes of ``keys`` that exist."""
        return dict(s.execute(select(CodeRow.key, CodeRow.id).where(
            CodeRow.project_id == self.project_id, CodeRow.key.in_(list(keys)))).all())

    def theme_code_ids(self, s: Session, theme_id: int) -> set[int]:
        """Row ids of the codes of a theme."""
        return set(s.scalars(select(ThemeCodeRow.code_id).where(
            ThemeCodeRow.theme_id == theme_id)).all())

    def coding(self, s: Session, coding_id: int) -> tuple[int, str, str]:
        """(code row id, code id, status) of a coding; NotFoundError when it does not exist."""
        found = s.execute(select(CodingRow.code_id, CodeRow.key, CodingRow.status)
                          .join(CodeRow, CodeRow.id == CodingRow.code_id)
                          .where(CodingRow.project_id == self.project_id,
                                 CodingRow.id == coding_id)).first()
        if found is None:
            raise NotFoundError(f"coding {coding_id} does not exist",
                                remedy="list-codings")
        return int(found[0]), str(found[1]), str(found[2])

    def participant_id(self, s: Session, key: str) -> int:
        """Row id of participant ``key``; NotFoundError when there is none."""
        pid = s.scalars(select(ParticipantRow.id).where(
            ParticipantRow.project_id == self.project_id, ParticipantRow.key == key)).first()
        if pid is None:
            raise NotFoundError(f"participant {key!r} does not exist",
                                remedy="list-participants")
        return int(pid)

    # ------------------------------------------------------------------ writes
    def add(self, uow: UnitOfWork, *, name: str, parent_id: int | None, definition: str,
            position: int | None) -> int:
        """Insert a theme; ``position`` None puts it last among its siblings."""
        if position is None:
            siblings = uow.session.scalars(select(ThemeRow.position).where(
                ThemeRow.project_id == self.project_id, ThemeRow.parent_id == parent_id)).all()
            position = max(siblings, default=0) + 1
        row = uow.add(ThemeRow(project_id=self.project_id, name=name, parent_id=parent_id,
                               definition=definition, position=position))
        return int(row.id)

    def update(self, uow: UnitOfWork, theme_id: int, **changes: Any) -> None:
        """Change a theme's name, parent_id, definition or position."""
        uow.update(get_row(uow.session, ThemeRow, theme_id), **changes)

    def set_codes(self, uow: UnitOfWork, theme_id: int, code_ids: Sequence[int]) -> None:
        """Make ``code_ids`` the theme's codes (links added and removed one by one)."""
        s = uow.session
        current = {r.code_id: r for r in s.scalars(select(ThemeCodeRow).where(
            ThemeCodeRow.theme_id == theme_id)).all()}
        wanted = list(dict.fromkeys(code_ids))
        for code_id, link in current.items():
            if code_id not in wanted:
                uow.delete(link)
        for code_id in wanted:
            if code_id not in current:
                uow.add(ThemeCodeRow(theme_id=theme_id, code_id=code_id))

    def add_quote(self, uow: UnitOfWork, theme_id: int, coding_id: int) -> bool:
        """Add an exemplar quote at the end; False when it is already there."""
        s = uow.session
        if s.get(ThemeQuoteRow, (theme_id, coding_id)) is not None:
            return False
        positions = s.scalars(select(ThemeQuoteRow.position).where(
            ThemeQuoteRow.theme_id == theme_id)).all()
        uow.add(ThemeQuoteRow(theme_id=theme_id, coding_id=coding_id,
                              position=max(positions, default=0) + 1))
        return True

    def remove_quote(self, uow: UnitOfWork, theme_id: int, coding_id: int) -> bool:
        """Remove an exemplar quote; False when it was not there."""
        row = uow.session.get(ThemeQuoteRow, (theme_id, coding_id))
        if row is None:
            return False
        uow.delete(row)
        return True

    def delete(self, uow: UnitOfWork, theme_id: int) -> list[str]:
        """Delete a theme, its subthemes, links, quotes and summaries; the names deleted."""
        s = uow.session
        children = s.scalars(select(ThemeRow.id).where(ThemeRow.parent_id == theme_id)).all()
        names: list[str] = []
        for child in children:
            names += self.delete(uow, child)
        for cls in (ThemeCodeRow, ThemeQuoteRow, FrameworkSummaryRow):
            for row in s.scalars(select(cls).where(cls.theme_id == theme_id)).all():
                uow.delete(row)
        theme = get_row(s, ThemeRow, theme_id)
        names.append(theme.name)
        uow.delete(theme)
        return names

    def set_summary(self, uow: UnitOfWork, *, participant_id: int, theme_id: int | None,
                    code_id: int | None, summary: str, quote_ids: Sequence[int],
                    author: str | None) -> None:
        """Create or change the summary of one framework cell (participant x theme/code)."""
        s = uow.session
        row = s.scalars(select(FrameworkSummaryRow).where(
            FrameworkSummaryRow.project_id == self.project_id,
            FrameworkSummaryRow.participant_id == participant_id,
            FrameworkSummaryRow.theme_id == theme_id if theme_id is not None
            else FrameworkSummaryRow.theme_id.is_(None),
            FrameworkSummaryRow.code_id == code_id if code_id is not None
            else FrameworkSummaryRow.code_id.is_(None))).first()
        now = utcnow()
        if row is None:
            uow.add(FrameworkSummaryRow(project_id=self.project_id,
                                        participant_id=participant_id, theme_id=theme_id,
                                        code_id=code_id, summary=summary,
                                        quote_ids=list(quote_ids), author=author,
                                        updated_at=now))
        else:
            uow.update(row, summary=summary, quote_ids=list(quote_ids), author=author,
                       updated_at=now)
