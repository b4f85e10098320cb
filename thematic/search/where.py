"""Restricting segments (or search and query results) by participant attribute or speaker.

A condition is written ``NAME=VALUE`` (several values: ``NAME=a,b``), ``NAME!=VALUE``, or for
numbers and dates ``NAME>=X``, ``NAME<=X``, ``NAME>X``, ``NAME<X``. ``NAME`` is a participant
attribute (``role``, ``age_band``, ``years_in_recovery``), or one of :data:`FIELDS`: the
document, the participant id, the speaker, and ``speaker_role`` (interviewer or participant,
the role of the turn). Text values compare without regard to case.

Examples
--------
>>> frame = pd.DataFrame({"participant": ["P01", "P02", "P03"], "role": ["participant"] * 3,
...                       "attr:gender": ["female", "male", "female"],
...                       "attr:years": [0.5, 12.0, 4.0]})
>>> restrict(frame, parse_where(["gender=Female", "years>=1"]))["participant"].tolist()
['P03']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from thematic.errors import ParameterError

#: Names of the segment's own fields a condition may use (besides participant attributes).
FIELDS = {"document": "document", "participant": "participant", "speaker": "speaker",
          "speaker_role": "role"}
OPERATORS = ("!=", ">=", "<=", "=", ">", "<")
_CONDITION = re.compile(r"^\s*([^!<>=]+?)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Condition:
    """``attribute op values``; ``values`` holds one value for ``<``, ``>``, ``<=``, ``>=``."""

    attribute: str
    op: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.attribute}{self.op}{','.join(self.values)}"


def parse_where(conditions: Iterable[str] | str | None) -> list[Condition]:
    """Parse ``NAME=VALUE``-style conditions (see the module docstring).

    >>> parse_where("role=newcomer,peer supporter")
    [Condition(attribute='role', op='=', values=('newcomer', 'peer supporter'))]
    """
    if conditions is None:
        return []
    items = [conditions] if isinstance(conditions, str) else list(conditions)
    out: list[Condition] = []
    for text in items:
        if not str(text).strip():
            continue
        found = _CONDITION.match(str(text))
        if not found or not found.group(3):
            raise ParameterError(f"a condition must read NAME=VALUE, NAME!=VALUE or NAME>=NUMBER."
                                 f" Got {text!r} instead.",
                                 hint="For example role=newcomer or years_in_recovery>=2.")
        name, op, value = found.groups()
        values = tuple(v.strip() for v in value.split(",")) if op in ("=", "!=") else (value,)
        out.append(Condition(name.strip(), op, tuple(v for v in values if v)))
    return out


def column_for(frame: pd.DataFrame, attribute: str) -> str:
    """The column of ``frame`` a condition on ``attribute`` reads (``attr:NAME`` first)."""
    if f"attr:{attribute}" in frame.columns:
        return f"attr:{attribute}"
    if attribute in FIELDS and FIELDS[attribute] in frame.columns:
        return FIELDS[attribute]
    if attribute in frame.columns and attribute not in FIELDS.values():
        return attribute
    known = sorted({c.removeprefix("attr:") for c in frame.columns if c.startswith("attr:")}
                   | {k for k, v in FIELDS.items() if v in frame.columns})
    raise ParameterError(f"there is no attribute {attribute!r}. Got {attribute!r} instead of one "
                         f"of: {', '.join(known) or 'none'}.",
                         hint="Participant attributes come from the participants file.")


def restrict(frame: pd.DataFrame, conditions: Sequence[Condition]) -> pd.DataFrame:
    """The rows of ``frame`` that meet every condition (all of them: AND)."""
    keep = pd.Series(True, index=frame.index)
    for condition in conditions:
        keep &= _meets(frame[column_for(frame, condition.attribute)], condition)
    return frame[keep]


def _meets(column: pd.Series, condition: Condition) -> pd.Series:
    op = condition.op
    if op in ("=", "!="):
        if pd.api.types.is_numeric_dtype(column):
            wanted = [_number(v, condition) for v in condition.values]
            hit = column.isin(wanted)
        else:
            text = column.astype("string").str.strip().str.casefold()
            hit = text.isin([v.casefold() for v in condition.values]).fillna(False)
        return hit.astype(bool) if op == "=" else ~hit.astype(bool) & column.notna()
    value = condition.values[0]
    if pd.api.types.is_datetime64_any_dtype(column):
        bound: object = pd.to_datetime(value, errors="coerce")
        if pd.isna(bound):
            raise ParameterError(f"{condition.attribute} is a date: {op} needs a date like "
                                 f"2026-03-01. Got {value!r} instead.")
        values: pd.Series = column
    else:
        bound = _number(value, condition)
        values = pd.to_numeric(column, errors="coerce")
    compare = {">=": values >= bound, "<=": values <= bound, ">": values > bound,
               "<": values < bound}[op]
    return compare.fillna(False).astype(bool)


def _number(value: str, condition: Condition) -> float:
    try:
        return float(value)
    except ValueError:
        raise ParameterError(f"{condition.attribute} holds numbers: {condition.op} needs a "
                             f"number. Got {value!r} instead.") from None


__all__ = ["Condition", "FIELDS", "OPERATORS", "column_for", "parse_where", "restrict"]
