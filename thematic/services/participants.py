"""Participants' attributes edited by hand (a grid in the app), and the pseudonym list as a table.

Each change is one audited transaction (``thematic undo`` takes it back whole). Values are
checked against the attribute's type first, all at once: a number must read as a number, a
date as a date (``2026-02-03``); nothing is written when one value is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from thematic.errors import NotFoundError, ParameterError
from thematic.store import ProjectStore
from thematic.store.pseudonyms import KINDS

#: The types an attribute can have (how it is compared, filtered and exported).
ATTRIBUTE_TYPES = ("text", "category", "number", "date")


def typed_value(value: Any, kind: str, *, where: str = "") -> str | None:
    """``value`` as the store keeps an attribute of type ``kind`` (text; None when empty).

    >>> typed_value(" 12 ", "number"), typed_value("2026-2-3", "date"), typed_value("", "text")
    ('12', '2026-02-03', None)

    Raises
    ------
    ParameterError
        For a number or date that does not read as one.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = str(value).strip()
    if not text:
        return None
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise ParameterError(f"{where}must be a number. Got {text!r} instead.") from None
        return str(int(number)) if number.is_integer() else text
    if kind == "date":
        parsed = pd.to_datetime(text, errors="coerce")
        if pd.isna(parsed):
            raise ParameterError(f"{where}must be a date like 2026-02-03. Got {text!r} instead.")
        return str(parsed.date().isoformat())
    return text


def set_attributes(store: ProjectStore, values: Mapping[str, Mapping[str, Any]], *,
                   actor: str) -> int:
    """Set participants' attribute values (participant id -> {attribute: value}).

    Every participant and attribute must exist (:func:`add_attribute` makes new ones); every
    value is checked against its attribute's type before anything is written. Returns how many
    values changed.
    """
    if not actor or not actor.strip():
        raise ParameterError("editing attributes needs the name of the person editing. Got no "
                             "name instead.", hint="Choose who is coding (CLI: --coder NAME).")
    types = store.participants.attribute_types()
    known = set(store.participants.names())
    before = store.participants.frame().set_index("participant")
    clean: dict[str, dict[str, str | None]] = {}
    problems: list[str] = []
    for participant, attrs in values.items():
        if participant not in known:
            raise NotFoundError(f"no participant {participant!r} in this project")
        for name, value in attrs.items():
            if name not in types:
                raise NotFoundError(f"no attribute {name!r}",
                                    hint="Add it first (a new column of the grid).")
            try:
                new = typed_value(value, types[name], where=f"{participant}'s {name} ")
            except ParameterError as error:
                problems.append(error.message)
                continue
            old = typed_value(before.at[participant, name], types[name]) \
                if name in before.columns else None
            if new != old:
                clean.setdefault(participant, {})[name] = new
    if problems:
        raise ParameterError("; ".join(problems), hint="Nothing was changed; correct these first.")
    if not clean:
        return 0
    with store.unit(actor, "edit attributes") as uow:
        store.participants.set_attributes(uow, clean, {n: types[n] for a in clean.values()
                                                      for n in a})
    return sum(len(a) for a in clean.values())


def add_attribute(store: ProjectStore, name: str, kind: str = "text", *, actor: str) -> None:
    """Add an attribute (empty for everyone) of type ``kind`` (:data:`ATTRIBUTE_TYPES`)."""
    name = " ".join(str(name).split())
    if kind not in ATTRIBUTE_TYPES:
        raise ParameterError(f"an attribute's type must be one of {list(ATTRIBUTE_TYPES)}. "
                             f"Got {kind!r} instead.")
    if not name or name in ("participant", "name"):
        raise ParameterError(f"an attribute needs a name other than 'participant' or 'name'. "
                             f"Got {name!r} instead.")
    if name in store.participants.attribute_types():
        raise ParameterError(f"there is an attribute {name!r} already. Got the same name again.")
    with store.unit(actor, "add attribute") as uow:
        store.participants.set_attributes(uow, {}, {name: kind})


def attribute_changes(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """What changed between two participant grids (``participant`` column + one per attribute).

    >>> a = pd.DataFrame({"participant": ["P1", "P2"], "age": [30, None]})
    >>> attribute_changes(a, a.assign(age=[31, None]))
    {'P1': {'age': 31.0}}
    """
    old = before.set_index("participant")
    new = after.set_index("participant")
    out: dict[str, dict[str, Any]] = {}
    for participant in new.index.intersection(old.index):
        for column in new.columns.intersection(old.columns):
            a, b = old.at[participant, column], new.at[participant, column]
            if (pd.isna(a) and pd.isna(b)) if not isinstance(a, (list, dict)) else False:
                continue
            if a != b:
                value = b.item() if isinstance(b, np.generic) else b
                out.setdefault(str(participant), {})[str(column)] = value
    return out


def save_pseudonym_list(store: ProjectStore, table: pd.DataFrame, *, actor: str) -> dict[str, int]:
    """Make the pseudonym list what ``table`` says (columns original, replacement, kind), in one
    transaction: new rows added, changed ones updated, missing ones removed. Returns the counts
    ``{"added", "changed", "removed"}``."""
    rows: dict[str, tuple[str, str]] = {}
    for i, row in enumerate(table.to_dict("records"), start=1):
        original = " ".join(str(row.get("original") or "").split())
        replacement = str(row.get("replacement") or "").strip()
        kind = str(row.get("kind") or "name").strip() or "name"
        if not original and not replacement:
            continue  # an empty row of the grid
        if not original or not replacement:
            raise ParameterError(f"row {i} needs both an original and a replacement. Got "
                                 f"{original or '(nothing)'!r} -> {replacement or '(nothing)'!r}.")
        if kind not in KINDS:
            raise ParameterError(f"row {i}: kind must be one of {list(KINDS)}. Got {kind!r}.")
        if original in rows:
            raise ParameterError(f"row {i}: {original!r} is listed twice.",
                                 hint="Keep one row per original.")
        rows[original] = (replacement, kind)
    current = {r.original: (r.replacement, r.kind) for r in store.pseudonyms.frame().itertuples()}
    counts = {"added": 0, "changed": 0, "removed": 0}
    if rows == current:
        return counts
    with store.unit(actor, "edit pseudonym list") as uow:
        for original in current.keys() - rows.keys():
            store.pseudonyms.remove(uow, original)
            counts["removed"] += 1
        for original, (replacement, kind) in rows.items():
            if current.get(original) != (replacement, kind):
                added = store.pseudonyms.set(uow, original, replacement, kind=kind)
                counts["added" if added else "changed"] += 1
    return counts


__all__ = ["ATTRIBUTE_TYPES", "add_attribute", "attribute_changes", "save_pseudonym_list",
           "set_attributes", "typed_value"]
