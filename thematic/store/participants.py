"""Participants and their typed attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import select

from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, get_row
from thematic.store.orm import AttributeRow, ParticipantAttributeRow, ParticipantRow, TurnRow


class Participants(Aggregate):
    """The project's participants (id, name) and their attributes."""

    def with_turns(self) -> set[str]:
        """Ids of the participants who speak in at least one document."""
        with self.read() as s:
            return set(s.scalars(
                select(ParticipantRow.key).distinct()
                .join(TurnRow, TurnRow.participant_id == ParticipantRow.id)
                .where(ParticipantRow.project_id == self.project_id)
            ).all())

    def names(self) -> dict[str, str | None]:
        """Participant id -> name (None when unnamed)."""
        with self.read() as s:
            return {
                key: name for key, name in s.execute(
                    select(ParticipantRow.key, ParticipantRow.name).where(
                        ParticipantRow.project_id == self.project_id
                    )
                ).all()
            }

    def ensure(
        self, uow: UnitOfWork, keys: Mapping[str, str | None], *, role: str | None = None
    ) -> dict[str, int]:
        """Create the participants in ``keys`` (id -> name) that do not exist; return id -> pk."""
        s = uow.session
        existing: dict[str, int] = {
            key: pk for key, pk in s.execute(
                select(ParticipantRow.key, ParticipantRow.id).where(
                    ParticipantRow.project_id == self.project_id
                )
            ).all()
        }
        for key, name in keys.items():
            if key not in existing:
                row = uow.add(ParticipantRow(project_id=self.project_id, key=key, name=name, role=role))
                existing[key] = row.id
            elif name:
                row = get_row(s, ParticipantRow, existing[key])
                if not row.name:
                    uow.update(row, name=name)
        return existing

    def set_attributes(
        self,
        uow: UnitOfWork,
        values: Mapping[str, Mapping[str, Any]],
        types: Mapping[str, str],
    ) -> None:
        """Set participant attributes (participant id -> {attribute: value}) with their types."""
        s = uow.session
        pks = self.ensure(uow, {k: None for k in values})
        attr_ids: dict[str, int] = {
            name: pk for name, pk in s.execute(
                select(AttributeRow.name, AttributeRow.id).where(
                    AttributeRow.project_id == self.project_id
                )
            ).all()
        }
        for name, typ in types.items():
            if name not in attr_ids:
                attr_ids[name] = uow.add(
                    AttributeRow(project_id=self.project_id, name=name, type=typ)
                ).id
            else:
                attr_row = get_row(s, AttributeRow, attr_ids[name])
                if attr_row.type != typ:
                    uow.update(attr_row, type=typ)
        for key, attrs in values.items():
            for name, value in attrs.items():
                if name not in attr_ids:
                    attr_ids[name] = uow.add(
                        AttributeRow(project_id=self.project_id, name=name, type=types.get(name, "text"))
                    ).id
                text = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
                current = s.get(ParticipantAttributeRow, (pks[key], attr_ids[name]))
                if current is None:
                    uow.add(ParticipantAttributeRow(participant_id=pks[key],
                                                    attribute_id=attr_ids[name], value=text))
                elif current.value != text:
                    uow.update(current, value=text)

    def attribute_types(self) -> dict[str, str]:
        """Attribute name -> type (number, date, category, text), in the order they were added."""
        with self.read() as s:
            return {
                name: typ for name, typ in s.execute(
                    select(AttributeRow.name, AttributeRow.type).where(
                        AttributeRow.project_id == self.project_id
                    ).order_by(AttributeRow.id)
                ).all()
            }

    def frame(self) -> pd.DataFrame:
        """One row per participant: participant, name, then one typed column per attribute."""
        with self.read() as s:
            parts = s.execute(
                select(ParticipantRow.id, ParticipantRow.key, ParticipantRow.name)
                .where(ParticipantRow.project_id == self.project_id)
                .order_by(ParticipantRow.key)
            ).all()
            values = s.execute(
                select(ParticipantAttributeRow.participant_id, AttributeRow.name,
                       ParticipantAttributeRow.value)
                .join(AttributeRow)
                .where(AttributeRow.project_id == self.project_id)
            ).all()
        types = self.attribute_types()
        by_part: dict[int, dict[str, Any]] = {}
        for pid, name, value in values:
            by_part.setdefault(pid, {})[name] = value
        # a participant's role is researcher data: an attribute (participants.csv's "role")
        frame = pd.DataFrame(
            [{"participant": k, "name": n, **by_part.get(pid, {})} for pid, k, n in parts],
            columns=["participant", "name", *types],
        )
        for name, typ in types.items():
            if typ == "number":
                frame[name] = pd.to_numeric(frame[name], errors="coerce")
            elif typ == "date":
                frame[name] = pd.to_datetime(frame[name], errors="coerce")
        return frame
