"""Run suggestion engines over a project and store their suggestions as a run.

Each run records its engine parameters, library and model versions, the codebook version,
the seed and a hash of its input (segments + codebook + parameters), so that re-running with
the same inputs gives the same suggestions (DESIGN invariant 3). Suggestions stay
``suggested`` until a person decides; re-running refreshes undecided suggestions and never
touches a decision.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.errors import ParameterError, ThematicError
from thematic.models import Codebook, Segment, Suggestion
from thematic.progress import Progress, no_progress
from thematic.services import runs
from thematic.services.learning import DecidedCodings, decided_codings
from thematic.store import ProjectStore, check_actor
from thematic.suggest.shared_scores import scores_shared

if TYPE_CHECKING:  # pragma: no cover
    from thematic.services.learning import Learning

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
    needs: dict[str, int] = field(default_factory=dict)
    engines: list[str] = field(default_factory=list)  # the registry names that ran

    def summary(self) -> str:
        text = (f"run {self.run_id} ({self.engine}): {self.suggestions} suggestions on "
                f"{self.segments} segments in {self.seconds:.1f}s; {self.stored.get('added', 0)} new, "
                f"{self.stored.get('refreshed', 0)} refreshed, "
                f"{self.stored.get('decided_kept', 0)} left as a person decided")
        if self.stored.get("finished_kept"):
            text += (f"; {self.stored['finished_kept']} left out of documents a person finished "
                     "without those codes")
        language = self.params.get("language")
        if isinstance(language, dict) and language.get("message"):
            text += f"\n{language['message']}"
        moved = [f"{src} {rec['accepted']} of {rec['decided']} accepted"
                 for src, rec in (self.params.get("confidence_from_decisions") or {}).items()
                 if isinstance(rec, dict) and rec.get("decided")]
        if moved:
            text += "\nconfidence of rule-based suggestions follows your decisions: " + ", ".join(moved)
        waiting = {c: n for c, n in self.needs.items() if n > 0}
        if self.needs:
            models = self.per_code["model"] if "model" in self.per_code.columns else []
            learned = int(sum(m == "learned" for m in models))
            text += (f"\nlearned from decisions: {learned} of {len(self.needs)} codes use a model "
                     f"learned from decisions (the others the codebook)")
            if waiting:
                shown = ", ".join(f"{c} {n}" for c, n in sorted(waiting.items(), key=lambda kv: kv[1])[:8])
                text += f"; more decisions needed: {shown}" + (" ..." if len(waiting) > 8 else "")
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run_id, "engine": self.engine, "segments": self.segments,
                "suggestions": self.suggestions, "stored": self.stored,
                "per_code": self.per_code.to_dict("records"), "params": self.params,
                "versions": self.versions, "input_hash": self.input_hash,
                "seconds": round(self.seconds, 2), "warnings": self.warnings, "needs": self.needs,
                "engines": self.engines}


def make_engine(engines: Sequence[str], *, backend: Any = None, cache: Any = None, seed: int = 0,
                turn_vectors: str = "embedded") -> Any:
    """The engine for engine names (one engine, or a combiner over several): see the registry."""
    from thematic.suggest.registry import EngineOptions
    from thematic.suggest.registry import make_engine as _make

    return _make(engines, EngineOptions(backend=backend, cache=cache, random_state=seed,
                                        turn_vectors=turn_vectors))


def stamp_evidence(suggestions: Sequence[Suggestion], engine: Any, version: str) -> list[Suggestion]:
    """Evidence that names its engine and version (DESIGN invariant 2)."""
    from dataclasses import replace

    stamp = {"engine": engine.name, "engine_version": version}
    return [replace(s, evidence={**s.evidence, **stamp}) for s in suggestions]


def check_run_params(*, engines: Sequence[str], unit: str | None, group_codes: str,
                     seed: int, turn_vectors: str = "embedded") -> None:
    """Raise ParameterError for a bad run parameter, before any work is done."""
    from thematic.models import GROUP_POLICIES, UNITS
    from thematic.suggest.registry import resolve
    from thematic.suggest.turn_vectors import TURN_VECTORS

    resolve(engines)
    if unit is not None and unit not in UNITS:
        raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
    if group_codes not in GROUP_POLICIES:
        raise ParameterError(f"group_codes must be one of {', '.join(GROUP_POLICIES)}. "
                             f"Got {group_codes!r} instead.")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ParameterError(f"seed must be an integer in [0, 2**32). Got {seed!r} instead.")
    if turn_vectors not in TURN_VECTORS:
        raise ParameterError(f"turn_vectors must be one of {', '.join(TURN_VECTORS)}. "
                             f"Got {turn_vectors!r} instead.")


def input_hash(segments: Sequence[Segment], codebook: Codebook, params: dict[str, Any]) -> str:
    """The hash of a suggestion run's input (see :func:`thematic.services.runs.input_hash`)."""
    return runs.input_hash(codebook.content_hash, params,
                           ((s.id, s.role, s.text, s.prompt) for s in segments))


def per_code_table(suggestions: Sequence[Suggestion], codebook: Codebook) -> pd.DataFrame:
    """Suggestions per code and engine: code, name, one column per engine source (from the
    registry), combined, total."""
    from thematic.suggest.registry import sources

    columns = list(sources())
    frame = pd.DataFrame([(s.code_id, s.source) for s in suggestions], columns=["code", "source"])
    table = pd.crosstab(frame["code"], frame["source"]) if not frame.empty else pd.DataFrame()
    rows = []
    for code in codebook.codes:
        row: dict[str, Any] = {"code": code.id, "name": code.name}
        for source in columns:
            row[source] = int(table.loc[code.id, source]) if (code.id in table.index and source in table.columns) else 0
        row["total"] = sum(row[source] for source in columns)
        rows.append(row)
    return pd.DataFrame(rows, columns=["code", "name", *columns, "total"])


CODE_REPORT_COLUMNS = ("code", "name", "total", "model", "why")


def code_report(store: ProjectStore, run: int | None = None) -> pd.DataFrame:
    """Per code, how many suggestions a suggestion run made and why (the latest run by default).

    Returns
    -------
    DataFrame
        ``code``, ``name``, ``total`` (suggestions), ``model`` (``codebook`` or ``learned``),
        ``why``; empty when the project has no suggestion run (or the run predates the report).

    Raises
    ------
    NotFoundError
        When ``run`` is not a suggestion run of the project.
    """
    from thematic.errors import NotFoundError

    made = store.runs.frame()
    made = made[made["engine"] != "topics"]
    if run is not None:
        made = made[made["run"] == run]
        if made.empty:
            raise NotFoundError(f"run {run} is not a suggestion run of this project",
                                hint="project.suggestions.runs() lists the runs.")
    if made.empty:
        return pd.DataFrame(columns=list(CODE_REPORT_COLUMNS))
    stats = made.iloc[-1]["stats"] or {}
    return pd.DataFrame(stats.get("per_code") or [], columns=list(CODE_REPORT_COLUMNS))


def explain_codes(table: pd.DataFrame, engine: Any) -> pd.DataFrame:
    """The per-code table with, for every code, the model it uses and why it gets as many
    suggestions as it does (columns ``model``: codebook or learned, ``why``).

    The reasons come from the engines that report per code
    (:class:`~thematic.suggest.base.ReportingEngine`): the semantic engine says how many
    segments reach its confidence threshold and how far the code's scores stand out (or that
    it abstains); the classifier says whether the code's learned model beat the codebook's
    in cross-validation, or what decisions it still needs.
    """
    from thematic.services.learning import code_models, fittable_parts, reporting_parts

    fitted = fittable_parts(engine)
    evidence: dict[str, tuple[str, int]] = {}
    for part in reporting_parts(engine):
        if part not in fitted:
            report = part.code_report()
            evidence.update({str(r.code): (str(r.why), int(getattr(r, "suggested", -1)))
                             for r in report.itertuples()})
    models = code_models(engine)
    model_col, why_col = [], []
    for code, total in zip(table["code"], table["total"], strict=True):
        model, learned_why = models.get(code, ("codebook", ""))
        said, found = evidence.get(code, ("", -1))
        if model == "learned":
            why = f"{total} suggestion{'s' * (total != 1)}; {learned_why}"
        elif said:
            why = said + (f"; {total} in all with the rules" if 0 <= found != total else "")
        else:
            why = f"{total} suggestion{'s' * (total != 1)} from the codebook's rules"
        if model != "learned" and learned_why:
            why += f"; {learned_why}"
        model_col.append(model)
        why_col.append(why)
    return table.assign(model=model_col, why=why_col)


def per_code_counts(table: pd.DataFrame) -> dict[str, int]:
    """``{code: suggestions}`` of a per-code table (what a run stores, to compare re-runs)."""
    return {str(c): int(n) for c, n in zip(table["code"], table["total"], strict=True)}


def run_suggestions(
    store: ProjectStore,
    *,
    engines: Sequence[str] = ENGINES,
    backend: Any = None,
    unit: str | None = None,
    include_interviewer: bool = False,
    group_codes: str = "children_first",
    seed: int = 0, progress: Progress | None = None,
    finetuned: bool | None = None, turn_vectors: str = "embedded",
    actor: str,
) -> RunReport:
    """Suggest codes for the project's segments and store them as one run.

    ``group_codes`` (codes with children, :mod:`thematic.suggest.hierarchy`): "children_first"
    (default), "never" or "keep"; ``finetuned``: :func:`~thematic.services.finetune.finetuned_encoder`;
    ``turn_vectors``: the :class:`~thematic.suggest.semantic.SemanticEngine`'s. Rule and combined
    confidences move by the project's decisions on earlier suggestions
    (:mod:`thematic.suggest.decided_confidence`; recorded as ``confidence_from_decisions``).
    """
    check_actor(actor, "suggest")
    check_run_params(engines=engines, unit=unit, group_codes=group_codes, seed=seed, turn_vectors=turn_vectors)
    progress = progress or no_progress
    codebook, unit, segments = _run_inputs(store, unit, include_interviewer=include_interviewer)
    progress("read segments", len(segments), len(segments))
    from thematic.services.language import backend_for_texts

    decided = decided_codings(store, evidence=True)  # the confidence shifts read it
    engines, learning = _learning(store, engines, segments, codebook, finetuned, decided)
    backend, language = backend_for_texts(backend, [s.text for s in segments], random_state=seed)
    engine = make_engine(engines, backend=backend, cache=store.embedding_cache(), seed=seed, turn_vectors=turn_vectors)
    start = time.perf_counter()
    with scores_shared():  # the learned model and the semantic engine read one scoring
        needs = learning.fit(engine, segments, codebook)
        suggestions, shifts = _suggested(store, engine, segments, codebook, group_codes, progress, decided)
    suggestions, closed = _leave_out_finished(suggestions, learning)
    params = {"engine": engine.get_params(), "unit": unit, "include_interviewer": include_interviewer,
              "group_codes": group_codes, "seed": seed, "learning": learning.record(needs, engine),
              "language": language.as_dict(),
              "confidence_from_decisions": {src: shift.as_dict() for src, shift in shifts.items()}}
    versions = {"thematic": _version(), **engine.versions()}
    digest = input_hash(segments, codebook, params)
    progress("store", 0, len(suggestions))  # the last point where a cancel leaves nothing
    table = per_code_table(suggestions, codebook)
    from thematic.suggest.registry import resolve

    names = [spec.name for spec in resolve(engines)]
    with runs.recorded_run(store, actor=actor, action="suggest", engine=engine.name,
                           params=params, versions=versions, digest=digest, seed=seed) as run:
        stored = {**store.runs.add_suggestions(run.uow, run.run_id, suggestions), "finished_kept": closed}
        table = explain_codes(table, engine)
        run.stats = {"segments": len(segments), "suggestions": len(suggestions), **stored,
                     "per_code": table[list(CODE_REPORT_COLUMNS)].to_dict("records"),
                     "per_code_counts": per_code_counts(table), "engines": names}
    run_id = run.run_id
    seconds = time.perf_counter() - start
    return RunReport(run_id, engine.name, len(segments), len(suggestions), stored,
                     table, params, versions, digest, seconds,
                     warnings=_unknown_code_warnings(stored, suggestions, codebook)
                     + small_project_notes(segments, names), needs=needs, engines=names)


def _suggested(store: ProjectStore, engine: Any, segments: Sequence[Segment], codebook: Codebook,
               group_codes: str, progress: Progress,
               decided: DecidedCodings) -> tuple[list[Suggestion], dict[str, Any]]:
    """The engine's suggestions as a run stores them: codes with children handled as
    ``group_codes`` says, evidence stamped, and the confidence of rule-based ones moved by the
    project's decisions (with what moved them, per source)."""
    from thematic.services.confidence import decision_shifts
    from thematic.suggest.decided_confidence import apply_decisions
    from thematic.suggest.hierarchy import prefer_children

    suggestions = engine.suggest(segments, codebook, progress=progress)
    suggestions = prefer_children(suggestions, codebook, group_codes)
    suggestions = stamp_evidence(suggestions, engine, _version())
    shifts = decision_shifts(store, decided=decided)
    return apply_decisions(suggestions, shifts), shifts


def _learning(store: ProjectStore, engines: Sequence[str], segments: Sequence[Segment],
              codebook: Codebook, finetuned: bool | None,
              decided: DecidedCodings) -> tuple[list[str], Learning]:
    """The run's engines and what it learns from decisions, with the project's fine-tuned
    encoder when ``finetuned`` asks for it (None: ``BY_DEFAULT``)."""
    from thematic.services.finetune import finetuned_encoder
    from thematic.services.learning import add_learning

    return add_learning(store, engines, segments, codebook, encoder=finetuned_encoder(store, finetuned),
                        decided=decided)


def _run_inputs(store: ProjectStore, unit: str | None, *,
                include_interviewer: bool) -> tuple[Codebook, str, list[Segment]]:
    """The codebook, the unit and the segments a run codes (an error when either is empty)."""
    codebook = store.codebook.current()
    if not codebook.codes:
        raise ThematicError("the project has no codebook", remedy="load-codebook")
    unit, segments = runs.unit_segments(store, unit, include_interviewer=include_interviewer)
    if not segments:
        raise ThematicError("the project has no segments to code", hint="Ingest transcripts first.")
    return codebook, unit, segments


def _leave_out_finished(suggestions: list[Suggestion], learning: Learning) -> tuple[list[Suggestion], int]:
    """The suggestions without those on a (segment, code) of a finished document the learned
    model was taught is a no, and how many were left out."""
    if learning.data is None or not learning.data.closed:
        return suggestions, 0
    kept = [sg for sg in suggestions if learning.data.keeps(sg)]
    return kept, len(suggestions) - len(kept)


def _unknown_code_warnings(stored: dict[str, int], suggestions: Sequence[Suggestion],
                           codebook: Codebook) -> list[str]:
    """A warning (also logged) when suggestions named codes not in the codebook."""
    if not stored.get("unknown_code"):
        return []
    unknown = sorted({sg.code_id for sg in suggestions} - {c.id for c in codebook.codes})
    warning = (f"{stored['unknown_code']} suggestion(s) for codes not in the codebook were "
               f"not stored: {', '.join(unknown[:10])}")
    log.warning(warning)
    return [warning]


#: Documents from which a project's semantic suggestions are those a larger project gives the
#: same documents (``benchmarks/results/small_projects.md``: the same kappa, calibration and
#: suggestions from three documents on; one document alone gives the codes it never mentions
#: about three times the turns).
SMALL_PROJECT_DOCUMENTS = 3


def small_project_notes(segments: Sequence[Segment], engines: Sequence[str]) -> list[str]:
    """What a run of the semantic engine on fewer than :data:`SMALL_PROJECT_DOCUMENTS`
    documents should tell the researcher (nothing otherwise)."""
    documents = len({s.document_id for s in segments})
    if "semantic" not in engines or not 0 < documents < SMALL_PROJECT_DOCUMENTS:
        return []
    held = "this document does" if documents == 1 else "these documents do"
    return [f"A project of {documents} document{'s' * (documents > 1)}: codes {held} not talk about "
            "still get their few most likely sentences, at low confidence. From "
            f"{SMALL_PROJECT_DOCUMENTS} documents on, the suggestions are those a larger project "
            "gives the same documents."]


def _version() -> str:
    from thematic import __version__

    return __version__
