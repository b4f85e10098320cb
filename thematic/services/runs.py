"""The bookkeeping of every automatic run (suggestions, topics): one place for the hash of its
input and the transaction that records it (DESIGN invariant 3).

:func:`unit_segments` reads what a suggestion run (and the classifier it fits) codes. A run's
record holds its engine, parameters, seed, library and model versions, the codebook
version it read and a hash of its input; :func:`recorded_run` starts it, lets the run store
what it made, and finishes it with its figures, all in one audited unit of work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from thematic.models import INTERVIEWER_ROLES, Segment
from thematic.store import ProjectStore
from thematic.store.audit import UnitOfWork

__all__ = ["RunRecord", "input_hash", "recorded_run", "runs_with_input", "unit_segments"]


def input_hash(codebook_hash: str, params: Mapping[str, Any],
               rows: Iterable[Sequence[object]]) -> str:
    """The SHA-256 of a run's input: the codebook's content hash, the parameters (JSON, keys
    sorted) and one line per input row (its fields; None as empty).

    >>> input_hash("cb", {"seed": 0}, [(1, "I felt heard.", None)]) == input_hash(
    ...     "cb", {"seed": 0}, [(1, "I felt heard.", "")])
    True
    """
    h = hashlib.sha256(codebook_hash.encode())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    for row in rows:
        h.update(("\x1f".join("" if v is None else str(v) for v in row) + "\x1e").encode())
    return h.hexdigest()


@dataclass
class RunRecord:
    """An open run: its id, the unit of work it is written in, and the figures ``stats`` it
    is finished with."""

    run_id: int
    uow: UnitOfWork
    stats: dict[str, Any] = field(default_factory=dict)


@contextmanager
def recorded_run(store: ProjectStore, *, actor: str, action: str, engine: str,
                 params: dict[str, Any], versions: dict[str, Any], digest: str,
                 seed: int) -> Iterator[RunRecord]:
    """Start a run of ``engine`` (recording the codebook version it read), let the caller
    store what it made through ``record.uow``, then finish it with ``record.stats``: one
    audited transaction by ``actor``, all of it or nothing."""
    latest = store.codebook.latest_version()
    with store.unit(actor, action) as uow:
        run_id = store.runs.start(uow, engine=engine, params=params, versions=versions,
                                  codebook_version_id=latest.id if latest else None,
                                  input_hash=digest, seed=seed)
        record = RunRecord(run_id, uow)
        yield record
        store.runs.finish(uow, run_id, record.stats)


def runs_with_input(store: ProjectStore, engine: str, digest: str) -> pd.DataFrame:
    """The runs of ``engine`` whose input hash is ``digest``, newest first."""
    runs = store.runs.frame()
    same = runs[(runs["engine"] == engine) & (runs["input_hash"] == digest)]
    return same.sort_values("run", ascending=False)


def unit_segments(store: ProjectStore, unit: str | None = None, *,
                  include_interviewer: bool = False) -> tuple[str, list[Segment]]:
    """The unit (project setting by default) and the segments a run codes, each with the
    interviewer's question it answers and, for turns, the sentences ingest stored (so no
    engine splits a turn again)."""
    from thematic.suggest.interview_context import attach_prompts, attach_sentences

    unit = unit or store.settings().unit
    exclude = None if include_interviewer else sorted(INTERVIEWER_ROLES)
    segments = attach_prompts(store.documents.segments(unit, exclude_roles=exclude),
                              store.documents.segments("turn"))
    if unit == "turn":
        segments = attach_sentences(segments, store.documents.segments("sentence", exclude_roles=exclude))
    return unit, segments
