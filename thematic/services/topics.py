"""Topic candidates: run a topic model over the project, and decide on its candidates.

:func:`run_topics` fits :class:`~thematic.suggest.topics.TopicModeler` on the project's
participant turns (embedded through the project's embedding cache, each with its preceding
interviewer turn as context) and stores the candidates and their members as one run
(parameters, seed, library versions, input hash). Parent candidates (the tree above the leaf
topics) are stored like the others, with their members (the union of their children's) and
their parent's key in the topic's ``representation`` (``parent``, ``children``): no schema
change; ``topics()`` resolves it to the ``parent`` topic id. The decisions
(:func:`adopt_topic`, :func:`map_topic`, :func:`merge_topics`, :func:`rename_topic`,
:func:`reject_topic`) are each one audited transaction, undone by ``project.review.undo``. Adopting or
mapping makes each member segment a *suggested* coding with source ``topic``: a person still
accepts or rejects them in review.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.errors import NotFoundError, ParameterError, ReviewError, ThematicError
from thematic.models import INTERVIEWER_ROLES, UNITS, Code, Codebook
from thematic.services import runs
from thematic.store import ProjectStore, check_actor
from thematic.suggest.base import Progress

if TYPE_CHECKING:  # pragma: no cover
    from thematic.suggest.topics import TopicModeler

EXPORT_COLUMNS = ["topic", "label", "keywords", "document", "participant", "segment", "start",
                  "end", "probability", "text"]


@dataclass
class TopicsReport:
    """What a topics run did: run id, how many segments, topics and outliers; ``reused`` when
    an earlier run had the same inputs and parameters (its topics are returned, nothing is
    fitted again: the same inputs give the same topics). ``topics`` counts every candidate,
    ``parents`` those of them that join others."""

    run_id: int
    segments: int
    topics: int
    not_grouped: int
    params: dict[str, Any]
    reused: bool = False
    parents: int = 0

    @property
    def broader(self) -> str:
        """One line when broader candidates were asked at the codebook's granularity and none
        came out (the codebook has at least as many codes as the data have topics); empty
        otherwise."""
        level = (self.params.get("modeler") or {}).get("parent_level")
        codes = self.params.get("codes")
        if level != "codebook" or self.parents or not isinstance(codes, int) or codes < 2:
            return ""
        return (f"No broader topics: the codebook has {codes} codes and the data {self.topics} "
                "topics, so at the codebook's granularity each topic stands alone.")

    @property
    def language(self) -> str:
        """One line: the documents' language and whether the embedding model serves it."""
        found = self.params.get("language")
        return str(found.get("message", "")) if isinstance(found, dict) else ""


def run_topics(
    store: ProjectStore,
    *,
    unit: str = "turn",
    include_interviewer: bool = False,
    uncovered_only: bool = False,
    guided: bool = False,
    backend: Any = None,
    random_state: int = 0,
    force: bool = False,
    progress: Progress | None = None,
    actor: str,
    **params: Any,
) -> TopicsReport:
    """Fit topic candidates and store them as a run; see the module docstring.

    Parameters
    ----------
    unit
        ``turn`` (default) or ``sentence``.
    include_interviewer
        Keep interviewer turns (out by default).
    uncovered_only
        Only segments no accepted coding overlaps.
    guided
        Seed topics from the codebook's definitions.
    backend
        Embedding backend (see ``thematic.suggest.registry.make_backend``).
    force
        Fit again even when a run with the same inputs and parameters exists.
    params
        Further :class:`~thematic.suggest.topics.TopicModeler` parameters.
    """
    from thematic.services.language import backend_for_texts
    from thematic.suggest.topics import TopicModeler

    check_actor(actor, "topics run")
    if unit not in UNITS:
        raise ParameterError(f"unit must be one of {', '.join(UNITS)}. Got {unit!r} instead.")
    modeler = TopicModeler(guided=guided, random_state=random_state, **params)
    segments, roles = _topic_segments(store, unit, include_interviewer=include_interviewer,
                                      uncovered_only=uncovered_only)
    backend, language = backend_for_texts(backend, segments["text"].astype(str).tolist(),
                                           random_state=random_state)
    if language.language is not None and "language" not in params:
        modeler.set_params(language=language.language)
    codebook = store.codebook.current()
    run_params = {"modeler": modeler.get_params(), "unit": unit, "roles": roles,
                  "uncovered_only": uncovered_only, "backend": getattr(backend, "name", str(backend)),
                  "language": language.as_dict()}
    digest = _input_hash(segments, codebook, run_params)
    if not force:
        same = _same_run(store, digest)
        if same is not None:
            return same
    _fit(modeler, backend, segments, codebook, store.embedding_cache(), progress)
    run_params["min_cluster_size_used"] = modeler.min_cluster_size_
    run_params["codes"] = len(codebook.codes)
    return _store_run(store, modeler, run_params, versions={**modeler.versions(), **backend.versions()},
                      digest=digest, seed=random_state, actor=actor)


def _input_hash(segments: pd.DataFrame, codebook: Codebook, run_params: dict[str, Any]) -> str:
    """The hash of a topics run's input: its segments (with their questions), the codebook
    and the parameters."""
    prompts = segments["prompt"] if "prompt" in segments else pd.Series(None, index=segments.index)
    return runs.input_hash(codebook.content_hash, run_params,
                           zip(segments["segment_id"], segments["text"], prompts, strict=True))


def _store_run(store: ProjectStore, modeler: TopicModeler, run_params: dict[str, Any], *,
               versions: dict[str, str], digest: str, seed: int, actor: str) -> TopicsReport:
    """The fitted candidates and their members stored as one recorded run."""
    members = modeler.members_
    grouped = modeler.candidate_members()
    stats = {"segments": len(members), "topics": len(modeler.candidates_),
             "not_grouped": int((members["topic"] < 0).sum()),
             "parents": sum(1 for c in modeler.candidates_ if c.children)}
    with runs.recorded_run(store, actor=actor, action="topics run", engine="topics",
                           params=run_params, versions=versions, digest=digest, seed=seed) as run:
        store.topics.add_run(
            run.uow, run.run_id, [_candidate_row(c) for c in modeler.candidates_],
            list(zip(grouped["topic"], grouped["segment_id"], grouped["probability"])),
        )
        run.stats = stats
    return TopicsReport(run.run_id, stats["segments"], stats["topics"], stats["not_grouped"],
                        run_params, parents=stats["parents"])


def _topic_segments(store: ProjectStore, unit: str, *, include_interviewer: bool,
                    uncovered_only: bool) -> tuple[pd.DataFrame, list[str]]:
    """The segments the topics group, each with the question it answers, and the roles kept."""
    from thematic.suggest.topic_tree import interview_prompts
    from thematic.suggest.topics import select_segments

    frame = store.documents.segments_frame(unit)
    turns = frame if unit == "turn" else store.documents.segments_frame("turn")
    frame = frame.assign(prompt=interview_prompts(frame, turns))
    roles = sorted(set(frame["role"].dropna()) - (set() if include_interviewer else INTERVIEWER_ROLES))
    covered = None
    if uncovered_only:
        covered = store.codings.frame(status="accepted")[["document_id", "start", "end"]]
    segments = select_segments(frame, roles=roles, covered=covered)
    if segments.empty:
        raise ThematicError("the project has no segments for topics",
                            hint="Ingest transcripts first (interviewer turns are left out).")
    return segments, roles


def _fit(modeler: TopicModeler, backend: Any, segments: pd.DataFrame, codebook: Codebook,
         cache: Any, progress: Progress | None) -> None:
    """Embed the segments, the codes' descriptions and the questions, and fit ``modeler``."""
    from thematic.suggest.code_texts import code_texts
    from thematic.suggest.embeddings import embed_cached

    texts = segments["text"].astype(str).tolist()
    descriptions = [code_texts(c).description for c in codebook.codes]
    if backend.requires_fit:
        backend.fit(texts + descriptions)
    vectors = embed_cached(backend, texts, cache, progress)
    code_vecs = embed_cached(backend, descriptions, cache) if descriptions else None
    modeler.fit(segments, vectors, code_ids=[c.id for c in codebook.codes],
                code_embeddings=code_vecs, progress=progress,
                prompt_embeddings=_prompt_vectors(backend, segments, vectors, cache),
                keyword_embedder=lambda words: embed_cached(backend, words, cache))


def _prompt_vectors(backend: Any, segments: pd.DataFrame, vectors: Any, cache: Any) -> Any:
    """Vectors of each segment's prompt (the preceding interviewer turn), zero rows for none;
    None when no segment has one."""
    import numpy as np

    from thematic.suggest.embeddings import embed_cached

    has = segments["prompt"].notna().to_numpy() if "prompt" in segments else np.zeros(0, bool)
    if not has.any():
        return None
    out = np.zeros_like(vectors)
    out[has] = embed_cached(backend, segments.loc[has, "prompt"].astype(str).tolist(), cache)
    return out


def _same_run(store: ProjectStore, digest: str) -> TopicsReport | None:
    """The newest topics run with this input hash that still has its topics, as a report."""
    same = runs.runs_with_input(store, "topics", digest)
    for run_id in same["run"]:
        frame = store.topics.frame(run_id=int(run_id))
        if frame.empty:
            continue
        row = same.set_index("run").loc[run_id]
        stats = row["stats"] if "stats" in row and isinstance(row["stats"], dict) else {}
        return TopicsReport(int(run_id), int(stats.get("segments", 0)), len(frame),
                            int(stats.get("not_grouped", 0)), dict(row.get("params") or {}),
                            reused=True, parents=int(stats.get("parents", 0)))
    return None


def topics(store: ProjectStore, *, run: int | None = None, status: str | None = None) -> pd.DataFrame:
    """Topics of a run (default: the latest topics run). Columns: ``TOPIC_COLUMNS`` of the store."""
    run = run if run is not None else store.topics.latest_run()
    if run is None:
        return store.topics.frame(run_id=-1)
    return store.topics.frame(run_id=run, status=status)


def members(store: ProjectStore, topic_ids: Sequence[int]) -> pd.DataFrame:
    """Member segments of topics, with their text and place. Columns: topic_id, segment_id,
    probability, document_id, document, participant, segment, start, end, text."""
    found = store.topics.members(topic_ids)
    seg = store.documents.segments_frame("turn")
    seg = pd.concat([seg, store.documents.segments_frame("sentence")], ignore_index=True)
    cols = ["segment_id", "document_id", "document", "participant", "segment", "start", "end", "text"]
    return found.merge(seg[cols], on="segment_id", how="left")


def adopt_topic(store: ProjectStore, topic_id: int, *, actor: str, name: str | None = None,
                code_id: str | None = None) -> str:
    """Adopt a candidate as a new code; its members become suggested codings. Returns the code id.

    Raises
    ------
    ReviewError
        When the topic was already decided (adopted, mapped, merged or rejected).
    ParameterError
        When ``code_id`` is taken.
    """
    topic = _candidate(store, topic_id)
    label = name or topic["label"]
    key = code_id or _slug(label)
    if store.codebook.has_code(key):
        if code_id is not None:
            raise ParameterError(f"code id '{key}' is taken. Give another id, or map the topic "
                                 "to that code instead", code_id=key)
        key = _free_key(store, key)
    definition = "From topic candidate: " + ", ".join(topic["keywords"][:10])
    with store.unit(actor, "adopt topic") as uow:
        store.codebook.add_code(uow, Code(id=key, name=label, definition=definition))
        store.topics.set_decision(uow, topic_id, status="adopted", code_key=key)
        store.topics.add_codings(uow, topic_id, key, _spans(store, topic_id))
    return key


def map_topic(store: ProjectStore, topic_id: int, code: str, *, actor: str) -> int:
    """Map a candidate to an existing code; its members become suggested codings of it.

    Returns the number of codings made. Raises NotFoundError for a code that does not exist.
    """
    topic = _candidate(store, topic_id)
    if not store.codebook.has_code(code):
        raise NotFoundError(f"no code '{code}' in this project", code_id=code,
                            remedy="list-codes")
    with store.unit(actor, "map topic") as uow:
        store.topics.set_decision(uow, int(topic["topic_id"]), status="mapped", code_key=code)
        return store.topics.add_codings(uow, topic_id, code, _spans(store, topic_id))


def merge_topics(store: ProjectStore, sources: Sequence[int], into: int, *, actor: str) -> int:
    """Merge candidates ``sources`` into candidate ``into`` (its label and keywords stay).

    Returns the number of members added to ``into``.
    """
    sources = [int(s) for s in sources if int(s) != int(into)]
    if not sources:
        raise ParameterError("merge needs at least one topic other than the target. Got none.")
    _candidate(store, into)
    for s in sources:
        _candidate(store, s)
    moved = store.topics.members(sources)
    with store.unit(actor, "merge topics") as uow:
        added = store.topics.add_members(
            uow, int(into), list(zip(moved["segment_id"], moved["probability"])))
        for s in sources:
            store.topics.set_decision(uow, s, status="merged", merged_into=int(into))
    return added


def rename_topic(store: ProjectStore, topic_id: int, label: str, *, actor: str) -> None:
    """Give a topic a new label."""
    if not label.strip():
        raise ParameterError("a topic's label must not be empty. Got an empty label.")
    _topic(store, topic_id)
    with store.unit(actor, "rename topic") as uow:
        store.topics.rename(uow, topic_id, label.strip())


def reject_topic(store: ProjectStore, topic_id: int, *, actor: str) -> None:
    """Reject a candidate (kept, marked rejected)."""
    _candidate(store, topic_id)
    with store.unit(actor, "reject topic") as uow:
        store.topics.set_decision(uow, topic_id, status="rejected")


def topics_table(store: ProjectStore, *, run: int | None = None) -> pd.DataFrame:
    """One row per member segment of the run's live topics (not merged away, not rejected).
    Columns: ``EXPORT_COLUMNS``."""
    frame = topics(store, run=run)
    frame = frame[~frame["status"].isin(["merged", "rejected"])]
    if frame.empty:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    found = members(store, frame["topic_id"].tolist())
    meta = frame.set_index("topic_id")
    out = found.assign(
        topic=found["topic_id"],
        label=found["topic_id"].map(meta["label"]),
        keywords=found["topic_id"].map(meta["keywords"].map(", ".join)),
    )
    return out[EXPORT_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------------- helpers
def _topic(store: ProjectStore, topic_id: int) -> pd.Series:
    frame = store.topics.frame()
    hit = frame[frame["topic_id"] == int(topic_id)]
    if hit.empty:
        raise NotFoundError(f"no topic {topic_id} in this project",
                            remedy="list-topics")
    return hit.iloc[0]


def _candidate(store: ProjectStore, topic_id: int) -> pd.Series:
    topic = _topic(store, topic_id)
    if topic["status"] != "candidate":
        what = {"adopted": f"adopted as code '{topic['code']}'",
                "mapped": f"mapped to code '{topic['code']}'",
                "merged": f"merged into topic {topic['merged_into']}",
                "rejected": "rejected"}.get(str(topic["status"]), str(topic["status"]))
        raise ReviewError(f"topic {topic_id} was already {what}",
                          hint="Undo that decision first to decide again.")
    return topic


def _spans(store: ProjectStore, topic_id: int) -> list[dict[str, Any]]:
    found = members(store, [topic_id])
    return found[["document_id", "segment_id", "start", "end", "probability"]].to_dict("records")


def _slug(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60]
    return slug or "topic"


def _free_key(store: ProjectStore, key: str) -> str:
    n = 2
    while store.codebook.has_code(f"{key}-{n}"):
        n += 1
    return f"{key}-{n}"


def _candidate_row(c: Any) -> dict[str, Any]:
    quotes = [{"segment_id": q.segment_id, "document": q.document, "participant": q.participant,
               "text": q.text, "probability": q.probability} for q in c.quotes]
    return {"key": c.topic, "label": c.label, "keywords": c.keywords, "size": c.size,
            "participants": len(c.participants), "stability": c.stability, "stable": c.stable,
            "nearest": [list(p) for p in c.nearest_codes],
            "representation": {"quotes": quotes, "participants": c.participants,
                               "parent": c.parent, "children": list(c.children)}}


