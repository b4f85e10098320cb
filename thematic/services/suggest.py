"""Run suggestion engines over a project and store their suggestions as a run.

Each run records its engine parameters, library and model versions, the codebook version,
the seed and a hash of its input (segments + codebook + parameters), so that re-running with
the same inputs gives the same suggestions (DESIGN invariant 3). Suggestions stay
``suggested`` until a person decides; re-running refreshes undecided suggestions and never
touches a decision.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from thematic.errors import ThematicError
from thematic.models import INTERVIEWER_ROLES, Codebook, Segment, Suggestion
from thematic.progress import Progress, no_progress
from thematic.store import ProjectStore

log = logging.getLogger(__name__)
ENGINES = ("rules", "semantic")


@dataclass
class RunReport:
    """What a suggestion run did."""

    run_id: int
    engine: str
    segments: int
    suggestions: int
    stored: dict[str, int]
    per_code: pd.DataFrame
    params: dict[str, Any]
    versions: dict[str, str]
    input_hash: str
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"run {self.run_id} ({self.engine}): {self.suggestions} suggestions on "
                f"{self.segments} segments in {self.seconds:.1f}s; {self.stored.get('added', 0)} new, "
                f"{self.stored.get('refreshed', 0)} refreshed, "
                f"{self.stored.get('decided_kept', 0)} left as a person decided")

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "engine": self.engine, "segments": self.segments,
                "suggestions": self.suggestions, "stored": self.stored,
                "per_code": self.per_code.to_dict("records"), "params": self.params,
                "versions": self.versions, "input_hash": self.input_hash,
                "seconds": round(self.seconds, 2), "warnings": self.warnings}


def make_backend(backend: Any = None, *, seed: int = 0) -> Any:
    """An embedding backend from a name: None (MiniLM when installed, else TF-IDF), "minilm",
    "tfidf", a sentence-transformers model name or local path, or a backend object."""
    from thematic.suggest import SentenceTransformerBackend, TfidfSvdBackend, default_backend

    if backend is None:
        chosen = default_backend()
        if isinstance(chosen, TfidfSvdBackend):
            chosen = TfidfSvdBackend(random_state=seed)
        return chosen
    if not isinstance(backend, str):
        return backend
    if backend.lower() in ("tfidf", "tf-idf", "tfidf-svd"):
        return TfidfSvdBackend(random_state=seed)
    if backend.lower() in ("minilm", "all-minilm-l6-v2"):
        return SentenceTransformerBackend()
    return SentenceTransformerBackend(model=backend)


def make_engine(engines: Sequence[str], *, backend: Any = None, cache: Any = None, seed: int = 0) -> Any:
    """The engine for a list of engine names: "rules", "semantic", or both (combined)."""
    from thematic.suggest import CombinedEngine, RuleEngine, SemanticEngine

    aliases = {"rules": "rules", "rule": "rules", "semantic": "semantic", "semantics": "semantic"}
    names = [aliases.get(e.strip().lower(), e) for e in engines]
    unknown = [e for e in names if e not in ENGINES]
    if unknown or not names:
        raise ThematicError(f"unknown engine {', '.join(unknown) or '(none)'}",
                            hint=f"Use one or more of: {', '.join(ENGINES)}.")
    if set(names) == {"rules"}:
        return RuleEngine()
    semantic = SemanticEngine(backend=make_backend(backend, seed=seed), cache=cache)
    if set(names) == {"semantic"}:
        return semantic
    return CombinedEngine(rules=RuleEngine(), semantic=semantic)


def input_hash(segments: Sequence[Segment], codebook: Codebook, params: dict[str, Any]) -> str:
    h = hashlib.sha256()
    h.update(codebook.content_hash.encode())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    for seg in segments:
        h.update(f"{seg.id}\x1f{seg.role}\x1f{seg.text}\x1e".encode())
    return h.hexdigest()


def per_code_table(suggestions: Sequence[Suggestion], codebook: Codebook) -> pd.DataFrame:
    """Suggestions per code and engine: code, name, rule, semantic, combined, total."""
    frame = pd.DataFrame([(s.code_id, s.source) for s in suggestions], columns=["code", "source"])
    table = pd.crosstab(frame["code"], frame["source"]) if not frame.empty else pd.DataFrame()
    rows = []
    for code in codebook.codes:
        row: dict[str, Any] = {"code": code.id, "name": code.name}
        for source in ("rule", "semantic", "combined"):
            row[source] = int(table.loc[code.id, source]) if (code.id in table.index and source in table.columns) else 0
        row["total"] = row["rule"] + row["semantic"] + row["combined"]
        rows.append(row)
    return pd.DataFrame(rows, columns=["code", "name", "rule", "semantic", "combined", "total"])


def run_suggestions(
    store: ProjectStore,
    *,
    engines: Sequence[str] = ENGINES,
    backend: Any = None,
    unit: str | None = None,
    include_interviewer: bool = False,
    group_codes: str = "children_first",
    seed: int = 0,
    progress: Progress | None = None,
    actor: str | None = None,
) -> RunReport:
    """Suggest codes for the project's segments and store them as one run.

    ``group_codes`` applies the codebook convention for codes with children (see
    :mod:`thematic.suggest.hierarchy`): "children_first" (default), "never" or "keep".
    """
    from thematic.suggest.hierarchy import prefer_children

    progress = progress or no_progress
    codebook = store.codebook.current()
    if not codebook.codes:
        raise ThematicError("the project has no codebook",
                            hint="Load one first: `thematic codebook import codebooks/FILE.yaml`.")
    settings = store.settings()
    unit = unit or settings["unit"]
    segments = store.documents.segments(unit, exclude_roles=None if include_interviewer else sorted(INTERVIEWER_ROLES))
    if not segments:
        raise ThematicError("the project has no segments to code", hint="Ingest transcripts first.")
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover
        pass
    engine = make_engine(engines, backend=backend, cache=store.embedding_cache(), seed=seed)
    start = time.perf_counter()
    suggestions = engine.suggest(segments, codebook, progress=lambda d, t: progress("suggest", d, t))
    suggestions = prefer_children(suggestions, codebook, group_codes)
    params = {"engine": engine.get_params(), "unit": unit, "include_interviewer": include_interviewer,
              "group_codes": group_codes, "seed": seed}
    versions = {"thematic": _version(), **engine.versions()}
    digest = input_hash(segments, codebook, params)
    latest = store.codebook.latest_version()
    with store.unit(actor, "suggest") as uow:
        run_id = store.runs.start(uow, engine=engine.name, params=params, versions=versions,
                                 codebook_version_id=latest[0] if latest else None,
                                 input_hash=digest, seed=seed)
        stored = store.runs.add_suggestions(uow, run_id, suggestions)
        store.runs.finish(uow, run_id, {"segments": len(segments), "suggestions": len(suggestions), **stored})
    seconds = time.perf_counter() - start
    warnings = []
    if stored.get("unknown_code"):
        unknown = sorted({sg.code_id for sg in suggestions} - {c.id for c in codebook.codes})
        warnings.append(f"{stored['unknown_code']} suggestion(s) for codes not in the codebook were "
                        f"not stored: {', '.join(unknown[:10])}")
        log.warning(warnings[-1])
    return RunReport(run_id, engine.name, len(segments), len(suggestions), stored,
                     per_code_table(suggestions, codebook), params, versions, digest, seconds,
                     warnings=warnings)


def _version() -> str:
    from thematic import __version__

    return __version__
