"""The codebook: codes (a tree) and the versions of codebook files loaded into the project."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematic.errors import NotFoundError, ReviewError
from thematic.models import Code, Codebook, Example, Rule
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, delete_coding
from thematic.store.orm import CodebookVersionRow, CodeRow, CodingRow, DecisionRow

CODE_FIELDS = ("name", "definition", "inclusion", "exclusion", "examples", "color", "rules")


class CodebookVersion(NamedTuple):
    """A codebook file loaded into the project: its row id, label and content hash."""

    id: int
    label: str
    content_hash: str


def code_to_row_values(code: Code) -> dict[str, Any]:
    return {
        "name": code.name,
        "definition": code.definition or "",
        "inclusion": code.inclusion or "",
        "exclusion": code.exclusion or "",
        "examples": [asdict(e) for e in code.examples],
        "color": code.color,
        "rules": [{**asdict(r), "roles": list(r.roles) if r.roles else None} for r in code.rules],
    }


def row_to_code(row: CodeRow, keys: Mapping[int, str]) -> Code:
    return Code(
        id=row.key,
        name=row.name,
        parent_id=keys.get(row.parent_id) if row.parent_id else None,
        definition=row.definition or "",
        inclusion=row.inclusion or "",
        exclusion=row.exclusion or "",
        examples=tuple(Example(**e) for e in (row.examples or [])),
        color=row.color,
        rules=tuple(
            Rule(**{**r, "roles": tuple(r["roles"]) if r.get("roles") else None})
            for r in (row.rules or [])
        ),
    )


class CodebookStore(Aggregate):
    """Codes and codebook versions; every edit of the code tree is one audited change."""

    # ------------------------------------------------------------------ reading
    def rows(self, s: Session) -> list[CodeRow]:
        """The project's code rows in codebook order (for the store's own modules)."""
        return list(
            s.scalars(
                select(CodeRow).where(CodeRow.project_id == self.project_id)
                .order_by(CodeRow.position, CodeRow.id)
            ).all()
        )

    def row(self, s: Session, key: str) -> CodeRow:
        """The code row with id ``key`` (for the store's own modules); NotFoundError if none."""
        row = s.scalars(
            select(CodeRow).where(CodeRow.project_id == self.project_id, CodeRow.key == key)
        ).first()
        if row is None:
            raise NotFoundError(f"no code '{key}' in this project", code_id=key,
                                remedy="list-codes")
        return row

    def current(self) -> Codebook:
        """The project's current codebook, as stored (with the last loaded version's label)."""
        with self.read() as s:
            rows = self.rows(s)
            keys = {r.id: r.key for r in rows}
            version = s.scalars(
                select(CodebookVersionRow)
                .where(CodebookVersionRow.project_id == self.project_id)
                .order_by(CodebookVersionRow.id.desc())
            ).first()
        return Codebook(
            codes=[row_to_code(r, keys) for r in rows],
            name=version.name if version else "codebook",
            label=version.label if version else "",
            content_hash=version.content_hash if version else "",
            source_path=version.source_path if version else None,
        )

    def latest_version(self) -> CodebookVersion | None:
        """The codebook file loaded last (id, label, content hash), or None."""
        with self.read() as s:
            row = s.scalars(
                select(CodebookVersionRow)
                .where(CodebookVersionRow.project_id == self.project_id)
                .order_by(CodebookVersionRow.id.desc())
            ).first()
            return CodebookVersion(row.id, row.label, row.content_hash) if row else None

    def has_code(self, key: str) -> bool:
        """Whether the project has a code with id ``key``."""
        with self.read() as s:
            return s.scalars(select(CodeRow.id).where(
                CodeRow.project_id == self.project_id, CodeRow.key == key)).first() is not None

    # ------------------------------------------------------------------ loading
    def record_version(self, uow: UnitOfWork, codebook: Codebook, content: dict[str, Any]) -> int:
        """Store a loaded codebook file as a version; returns its id."""
        row = uow.add(CodebookVersionRow(
            project_id=self.project_id, name=codebook.name, label=codebook.label,
            content_hash=codebook.content_hash, source_path=codebook.source_path, content=content,
        ))
        return row.id

    def sync(self, uow: UnitOfWork, codebook: Codebook) -> dict[str, list[str]]:
        """Make the project's codes equal to ``codebook``'s.

        Codes that disappeared are deleted with their undecided suggestions, unless a person
        decided codings of theirs: those codes are kept and listed under ``kept``.
        """
        s = uow.session
        rows = {r.key: r for r in self.rows(s)}
        result: dict[str, list[str]] = {"added": [], "updated": [], "removed": [], "kept": []}
        for pos, code in enumerate(codebook.codes):
            values = code_to_row_values(code)
            if code.id in rows:
                row = rows[code.id]
                changes = {k: v for k, v in values.items() if getattr(row, k) != v}
                if row.position != pos:
                    changes["position"] = pos
                if changes:
                    uow.update(row, **changes)
                    if set(changes) - {"position"}:
                        result["updated"].append(code.id)
            else:
                rows[code.id] = uow.add(CodeRow(project_id=self.project_id, key=code.id,
                                                position=pos, **values))
                result["added"].append(code.id)
        for code in codebook.codes:
            parent = rows[code.parent_id].id if code.parent_id else None
            if rows[code.id].parent_id != parent:
                uow.update(rows[code.id], parent_id=parent)
        wanted = {c.id for c in codebook.codes}
        gone = [row for key, row in rows.items() if key not in wanted]
        depth = {row.id: _depth(row, {r.id: r for r in rows.values()}) for row in gone}
        # children first, so that undo (which replays in reverse) restores parents first
        for row in sorted(gone, key=lambda r: -depth[r.id]):
            decided = s.scalars(
                select(DecisionRow.id).join(CodingRow, CodingRow.id == DecisionRow.coding_id)
                .where(CodingRow.code_id == row.id)
            ).first()
            if decided is not None:
                result["kept"].append(row.key)
                continue
            for child in s.scalars(select(CodeRow).where(CodeRow.parent_id == row.id)).all():
                uow.update(child, parent_id=None)
            for coding in s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all():
                delete_coding(uow, coding)
            uow.delete(row)
            result["removed"].append(row.key)
        result["kept"].sort(key=lambda k: list(rows).index(k))
        result["removed"].sort(key=lambda k: list(rows).index(k))
        return result

    # ------------------------------------------------------------------ editing
    def add_code(self, uow: UnitOfWork, code: Code) -> None:
        """Add ``code`` at the end of the codebook; ReviewError when its id is taken."""
        s = uow.session
        if s.scalars(select(CodeRow.id).where(CodeRow.project_id == self.project_id,
                                              CodeRow.key == code.id)).first() is not None:
            raise ReviewError(f"a code with id '{code.id}' exists already", code_id=code.id)
        parent = self.row(s, code.parent_id).id if code.parent_id else None
        uow.add(CodeRow(project_id=self.project_id, key=code.id, parent_id=parent, position=10_000,
                        **code_to_row_values(code)))

    def update_code(self, uow: UnitOfWork, key: str, fields: Mapping[str, Any]) -> None:
        """Edit the fields of :data:`CODE_FIELDS` of code ``key`` (examples and rules as models)."""
        unknown = set(fields) - set(CODE_FIELDS)
        if unknown:
            raise ReviewError(f"cannot edit {', '.join(sorted(unknown))}",
                              hint=f"Editable fields: {', '.join(CODE_FIELDS)}.")
        values = dict(fields)
        if "examples" in values:
            values["examples"] = [asdict(e) if isinstance(e, Example) else dict(e)
                                  for e in values["examples"]]
        if "rules" in values:
            values["rules"] = [
                {**asdict(r), "roles": list(r.roles) if r.roles else None} if isinstance(r, Rule)
                else dict(r) for r in values["rules"]
            ]
        uow.update(self.row(uow.session, key), **values)

    def move_code(self, uow: UnitOfWork, key: str, parent: str | None) -> None:
        """Move code ``key`` under ``parent`` (None: top level); refuses to make a cycle."""
        s = uow.session
        row = self.row(s, key)
        parent_row = self.row(s, parent) if parent else None
        if parent_row is not None and _is_under(s, parent_row, row.id):
            raise ReviewError(f"cannot move '{key}' under its own descendant '{parent}'", code_id=key)
        uow.update(row, parent_id=parent_row.id if parent_row else None)

    def delete_code(self, uow: UnitOfWork, key: str) -> int:
        """Delete a code and its codings (children move up to its parent); returns codings deleted."""
        s = uow.session
        row = self.row(s, key)
        for child in s.scalars(select(CodeRow).where(CodeRow.parent_id == row.id)).all():
            uow.update(child, parent_id=row.parent_id)
        codings = s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all()
        for coding in codings:
            delete_coding(uow, coding)
        uow.delete(row)
        return len(codings)

    def merge_codes(self, uow: UnitOfWork, sources: Sequence[str], target: str) -> int:
        """Merge ``sources`` into ``target``; returns the codings moved.

        Their codings move (a duplicate of a span already coded with ``target`` is dropped,
        keeping the decided one), their children move under ``target``, the sources are
        deleted. Merging a code into one of its own descendants is refused (it would make the
        descendant its own ancestor).
        """
        if target in sources:
            raise ReviewError("a code cannot be merged into itself", code_id=target)
        s = uow.session
        target_row = self.row(s, target)
        source_rows = [self.row(s, key) for key in sources]
        for row in source_rows:
            if _is_under(s, target_row, row.id):
                raise ReviewError(
                    f"cannot merge '{row.key}' into its own descendant '{target}'", code_id=row.key,
                    hint=f"Merge '{target}' into '{row.key}' instead, or move '{target}' out first.")
        taken = {
            (c.document_id, c.start, c.end): c
            for c in s.scalars(select(CodingRow).where(CodingRow.code_id == target_row.id)).all()
        }
        moved = 0
        for row in source_rows:
            for child in s.scalars(select(CodeRow).where(CodeRow.parent_id == row.id)).all():
                uow.update(child, parent_id=target_row.id)
            for coding in s.scalars(select(CodingRow).where(CodingRow.code_id == row.id)).all():
                span = (coding.document_id, coding.start, coding.end)
                other = taken.get(span)
                if other is not None and not (other.status == "suggested" and coding.status != "suggested"):
                    delete_coding(uow, coding)
                    continue
                if other is not None:
                    delete_coding(uow, other)
                uow.update(coding, code_id=target_row.id)
                taken[span] = coding
                moved += 1
            uow.delete(row)
        return moved

    def split_code(self, uow: UnitOfWork, key: str, into: Mapping[str, Sequence[int]], *,
                   names: Mapping[str, str] | None = None, as_children: bool = True) -> dict[str, int]:
        """Create the codes of ``into`` (new id -> coding ids to move there) from code ``key``."""
        s = uow.session
        row = self.row(s, key)
        moved: dict[str, int] = {}
        for new_id, coding_ids in into.items():
            if s.scalars(select(CodeRow.id).where(CodeRow.project_id == self.project_id,
                                                  CodeRow.key == new_id)).first() is not None:
                raise ReviewError(f"a code with id '{new_id}' exists already", code_id=new_id)
            new = uow.add(CodeRow(
                project_id=self.project_id, key=new_id, name=(names or {}).get(new_id, new_id),
                parent_id=row.id if as_children else row.parent_id, definition=row.definition,
                inclusion=row.inclusion, exclusion=row.exclusion, examples=[], rules=[],
                color=row.color, position=row.position,
            ))
            moved[new_id] = 0
            for cid in coding_ids:
                coding = s.get(CodingRow, int(cid))
                if coding is None or coding.code_id != row.id:
                    raise ReviewError(f"coding {cid} is not coded with '{key}'", code_id=key)
                uow.update(coding, code_id=new.id)
                moved[new_id] += 1
        return moved


def _is_under(s: Session, row: CodeRow, ancestor_id: int) -> bool:
    """Whether ``row`` is the code ``ancestor_id`` or one of its descendants."""
    cur: CodeRow | None = row
    seen: set[int] = set()
    while cur is not None and cur.id not in seen:
        if cur.id == ancestor_id:
            return True
        seen.add(cur.id)
        cur = s.get(CodeRow, cur.parent_id) if cur.parent_id else None
    return False


def _depth(row: CodeRow, by_id: Mapping[int, CodeRow]) -> int:
    depth, cur, seen = 0, row, set()
    while cur.parent_id and cur.parent_id in by_id and cur.id not in seen:
        seen.add(cur.id)
        cur = by_id[cur.parent_id]
        depth += 1
    return depth
