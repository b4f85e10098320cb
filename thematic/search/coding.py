"""Coding queries: which segments are coded A and B, A but not B, A near B.

A segment *is coded* X when a coding of X (with one of the chosen statuses; by default the
accepted ones) shares a character with it. A query combines codes with:

- ``A AND B`` -- segments coded both;
- ``A NOT B`` (or ``A AND NOT B``) -- coded A, not coded B;
- ``A OR B`` -- coded either;
- ``A NEAR/N B`` -- coded A, with a segment coded B at most N segments away in the same
  document (``NEAR`` alone is ``NEAR/1``; ``NEAR/0`` is the same segment);
- parentheses group: ``(A OR B) NOT C``.

``NEAR`` binds tightest, then ``AND``/``NOT``, then ``OR``. Operators are case-insensitive.
A code is named by its id or its name (in quotes when it has spaces). With ``code_parents``
a code also stands for its sub-codes (NVivo's "aggregate").

Examples
--------
>>> segments = pd.DataFrame({"segment_id": [1, 2, 3, 4], "document": ["d"] * 4,
...                          "start": [0, 10, 20, 30], "end": [10, 20, 30, 40]})
>>> codings = pd.DataFrame({"code": ["a", "b", "b"], "document": ["d"] * 3,
...                         "start": [0, 5, 35], "end": [8, 12, 38],
...                         "status": ["accepted"] * 3})
>>> coding_query(segments, codings, "a AND b")["segment_id"].tolist()
[1]
>>> coding_query(segments, codings, "b NOT a")["segment_id"].tolist()
[2, 4]
>>> coding_query(segments, codings, "b NEAR/1 a")["segment_id"].tolist()  # 4 is too far
[1, 2]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from thematic.errors import ParameterError
from thematic.search._frames import in_reading_order, require_columns

#: Columns :func:`coding_query` adds to the segments it returns.
QUERY_COLUMNS = ["codes"]
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_NEAR = re.compile(r"^near(?:/(\d+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Code:
    """A code of a query (its id)."""

    code: str

    def __str__(self) -> str:
        return self.code if re.fullmatch(r"[^\s()\"]+", self.code) else f'"{self.code}"'


@dataclass(frozen=True)
class Op:
    """``left op right``: op is "and", "not", "or" or "near" (``window`` segments)."""

    op: str
    left: Node
    right: Node
    window: int = 1

    def __str__(self) -> str:
        word = f"NEAR/{self.window}" if self.op == "near" else self.op.upper()
        return f"({self.left} {word} {self.right})"


Node = Code | Op


def parse_query(text: str, codes: Mapping[str, str] | None = None) -> Node:
    """Parse a coding query; ``codes`` (id -> name) checks and resolves the code names.

    >>> str(parse_query("a and not b or c near/2 d"))
    '((a NOT b) OR (c NEAR/2 d))'

    Raises
    ------
    ParameterError
        For a malformed query or (with ``codes``) a code the codebook does not have.
    """
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        raise ParameterError("the query is empty. Got no code to look for.",
                             hint="Write codes joined by AND, NOT, OR or NEAR/N, e.g. stigma AND family.")
    parser = _Parser(tokens, text, codes)
    node = parser.expr()
    if parser.pos != len(tokens):
        raise parser.error(f"unexpected {tokens[parser.pos]!r}")
    return node


class _Parser:
    def __init__(self, tokens: list[str], text: str, codes: Mapping[str, str] | None) -> None:
        self.tokens, self.text, self.pos = tokens, text, 0
        self.codes = codes
        self.by_name = {str(n).casefold(): c for c, n in (codes or {}).items()}

    def error(self, what: str) -> ParameterError:
        return ParameterError(f"cannot read the query: {what}. Got {self.text!r} instead.",
                              hint="Write codes joined by AND, NOT, OR or NEAR/N; group with ().")

    def peek(self) -> str:
        return self.tokens[self.pos].lower() if self.pos < len(self.tokens) else ""

    def expr(self) -> Node:
        node = self.conj()
        while self.peek() == "or":
            self.pos += 1
            node = Op("or", node, self.conj())
        return node

    def conj(self) -> Node:
        node = self.near()
        while self.peek() in ("and", "not"):
            op = self.peek()
            self.pos += 1
            if op == "and" and self.peek() == "not":
                op = "not"
                self.pos += 1
            node = Op(op, node, self.near())
        return node

    def near(self) -> Node:
        node = self.atom()
        while (found := _NEAR.match(self.peek())) is not None:
            self.pos += 1
            window = int(found.group(1)) if found.group(1) is not None else 1
            node = Op("near", node, self.atom(), window)
        return node

    def atom(self) -> Node:
        if self.pos >= len(self.tokens):
            raise self.error("it ends where a code was expected")
        token = self.tokens[self.pos]
        self.pos += 1
        if token == "(":
            node = self.expr()
            if self.peek() != ")":
                raise self.error("a '(' is not closed")
            self.pos += 1
            return node
        if token == ")" or token.lower() in ("and", "or", "not") or _NEAR.match(token):
            raise self.error(f"{token!r} where a code was expected")
        return Code(self.resolve(token.strip('"')))

    def resolve(self, name: str) -> str:
        if self.codes is None or name in self.codes:
            return name
        if name.casefold() in self.by_name:
            return self.by_name[name.casefold()]
        raise ParameterError("the query names a code the codebook does not have (a code is named "
                             f"by its id, or by its name in quotes). Got {name!r} instead.",
                             code_id=name, remedy="list-codes")


def codes_of(node: Node) -> list[str]:
    """The codes a query names, in order of appearance, each once."""
    if isinstance(node, Code):
        return [node.code]
    return list(dict.fromkeys([*codes_of(node.left), *codes_of(node.right)]))


def coding_query(segments: pd.DataFrame, codings: pd.DataFrame, query: str | Node, *,
                 statuses: Sequence[str] = ("accepted",),
                 code_parents: Mapping[str, str | None] | None = None,
                 codes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The segments a coding query finds (module docstring), in reading order.

    Parameters
    ----------
    segments : DataFrame
        ``project.documents.segments()``: ``document``, ``start``, ``end`` (every column is kept).
    codings : DataFrame
        ``project.review.codings()``: ``code``, ``document``, ``start``, ``end``, ``status``.
    query : str or Node
        See :func:`parse_query`.
    statuses : sequence of str
        The codings that count (default: the accepted ones; add "suggested" to see what the
        engines proposed).
    code_parents : mapping, optional
        code -> parent code: a code then also stands for its sub-codes.
    codes : mapping, optional
        code id -> name, to check the query's codes and accept names.

    Returns
    -------
    DataFrame
        The matching rows of ``segments`` plus ``codes``: the query's codes that code each one.
    """
    require_columns(segments, ("document", "start", "end"), "segments")
    require_columns(codings, ("code", "document", "start", "end", "status"), "codings")
    node = query if not isinstance(query, str) else parse_query(query, codes)
    ordered = in_reading_order(segments)
    coded = _coded(ordered, codings[codings["status"].isin(list(statuses))], codes_of(node),
                   code_parents)
    documents = pd.factorize(ordered["document"])[0]
    mask = _evaluate(node, coded, documents)
    out = ordered[mask].copy()
    names = codes_of(node)
    out["codes"] = [[c for c in names if coded[c][i]] for i in np.flatnonzero(mask)]
    return out.reset_index(drop=True)


def _coded(ordered: pd.DataFrame, codings: pd.DataFrame, names: list[str],
           code_parents: Mapping[str, str | None] | None) -> dict[str, np.ndarray]:
    """For each query code, which segments (rows of ``ordered``) a coding of it touches."""
    family = _families(names, code_parents)
    doc_codes = {d: i for i, d in enumerate(pd.unique(ordered["document"]))}
    ends = [*ordered["end"].tolist(), *codings["end"].tolist(), 0]
    span = int(max(ends)) + 1
    seg_doc = ordered["document"].map(doc_codes).to_numpy(dtype=np.int64)
    seg_start = seg_doc * span + ordered["start"].to_numpy(dtype=np.int64)
    seg_end = seg_doc * span + ordered["end"].to_numpy(dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    for name in names:
        mine = codings[codings["code"].astype(str).isin(family[name])
                       & codings["document"].isin(doc_codes)]
        c_doc = mine["document"].map(doc_codes).to_numpy(dtype=np.int64)
        c_start = c_doc * span + mine["start"].to_numpy(dtype=np.int64)
        c_end = c_doc * span + mine["end"].to_numpy(dtype=np.int64)
        first = np.searchsorted(seg_end, c_start, side="right")  # first segment ending after
        last = np.searchsorted(seg_start, c_end, side="left")     # segments starting before end
        marks = np.zeros(len(ordered) + 1, dtype=np.int64)
        keep = last > first
        np.add.at(marks, first[keep], 1)
        np.add.at(marks, last[keep], -1)
        out[name] = np.cumsum(marks)[:-1] > 0
    return out


def _families(names: list[str], code_parents: Mapping[str, str | None] | None
              ) -> dict[str, set[str]]:
    if not code_parents:
        return {n: {n} for n in names}
    children: dict[str, list[str]] = {}
    for child, parent in code_parents.items():
        if parent:
            children.setdefault(str(parent), []).append(str(child))
    out: dict[str, set[str]] = {}
    for name in names:
        seen, stack = set(), [name]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(children.get(current, []))
        out[name] = seen
    return out


def _evaluate(node: Node, coded: Mapping[str, np.ndarray], documents: np.ndarray) -> np.ndarray:
    if isinstance(node, Code):
        return coded[node.code]
    left = _evaluate(node.left, coded, documents)
    right = _evaluate(node.right, coded, documents)
    if node.op == "and":
        return left & right
    if node.op == "not":
        return left & ~right
    if node.op == "or":
        return left | right
    return left & _dilate(right, documents, node.window)


def _dilate(mask: np.ndarray, documents: np.ndarray, window: int) -> np.ndarray:
    """``mask`` widened by ``window`` segments each way, never across documents."""
    out = mask.copy()
    for shift in range(1, window + 1):
        if shift >= len(mask):
            break
        same = documents[shift:] == documents[:-shift]
        out[:-shift] |= mask[shift:] & same
        out[shift:] |= mask[:-shift] & same
    return out


__all__ = ["QUERY_COLUMNS", "Code", "Op", "Node", "codes_of", "coding_query", "parse_query"]
