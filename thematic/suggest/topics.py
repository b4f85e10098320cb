"""Topic candidates: BERTopic over participant turns, with small-data defaults.

:class:`TopicModeler` is a scikit-learn-style estimator over a segments frame (the columns of
``project.documents.segments``) and the segments' embeddings. It returns plain data: one
:class:`TopicCandidate` per topic and a ``members_`` frame with every segment's topic and
probability. Nothing is decided here and no BERTopic object is kept: adopting, mapping,
merging and renaming live in the project's store.

How it differs from BERTopic's defaults (which put most interview turns in one topic):

- **What is clustered.** Participant turns of at least ``min_words`` words (backchannels such
  as "Yeah." carry no topic); the others are kept as "not grouped" (topic -1) with the reason
  ``short``. :func:`select_segments` also drops turns an accepted coding already covers.
- **Interview context.** In a semi-structured interview the question carries the topic of a
  short answer ("Yeah, it was fine"): with ``prompt_embeddings`` (the vectors of each turn's
  preceding interviewer turn, :func:`~thematic.suggest.topic_tree.interview_prompts`), a turn is
  clustered on its vector plus ``prompt_weight`` times its question's. Keywords, quotes and
  nearest codes use the turn's own vector.
- **Stage of the interview.** Interviews that follow one guide reach the same subjects at the
  same stage: with ``position_weight`` (0.3), each turn's relative position in its document
  (:func:`~thematic.suggest.topic_tree.document_positions`) is appended to its clustered vector
  as two small columns, so alike talk at the start and at the end of the interviews can part.
  Chosen for the leaves leave-one-corpus-out over 0, 0.15, 0.3 and 0.45 by six of seven
  held-out corpus families (``benchmarks/results/topics.md``).
- **Embeddings centred.** All interview talk shares a direction in sentence-embedding space;
  the mean vector is removed before clustering so topics separate on what differs.
- **Sizes scaled to the data.** ``min_cluster_size`` grows with the number of turns (about
  2% of them, at least 5); HDBSCAN's ``min_samples`` is a third of it, so fewer turns fall out.
  An outlier joins its nearest topic only when it is as central as the topic's own members
  usually are (``outlier_quantile``; reason ``nearest``, a lower probability); the far ones
  stay outliers ("not grouped"): nothing is forced into a topic.
- **Candidates at the codebook's granularity.** People's themes are broader than topics. The
  leaf topics' Ward tree (linkage on their centroids) is cut into as many flat groups as the
  codebook has codes, and each group of several leaves is a parent candidate, the union of its
  children (``parent_level="codebook"``: the best level over all seven corpus families, the
  held-out choice on five of them; ``benchmarks/results/topics.md``). Without a codebook (or
  with ``parent_level="ward"``) every Ward merge up to ``max_parent_share`` of the grouped
  segments is a parent. Every candidate has its ``parent`` and ``children``, so a reviewer
  adopts a theme at the level that fits.
- **Representations.** c-TF-IDF over word 1-2 grams (letters of any script) with the
  language's stop words (``language``; spaCy's lists beyond English) and interview
  fillers (um, uh, yeah, like, you know, kind of, I mean...) removed and frequent words damped;
  keywords re-ranked KeyBERT-style by their embedding's similarity to the topic's centroid when
  a ``keyword_embedder`` is given.
- **Seeded, reproducible.** UMAP and every re-fit take ``random_state``; the same input gives
  the same topics in another process.
- **Stability.** The model is re-fitted with ``n_stability`` other seeds; a topic's stability is
  the mean, over re-fits, of its best-match Jaccard overlap of members. Below
  ``stability_threshold`` it is marked unstable.
- **Guided.** With ``guided=True`` and code embeddings, turns clearly nearest one code's
  definition are given that code as a partial label for UMAP (semi-supervised), so topics form
  around the codebook where the data supports it; other turns stay unlabelled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from thematic.errors import ParameterError
from thematic.suggest.base import ParamsMixin, Progress, check_number, report
from thematic.suggest.topic_candidates import (  # noqa: F401  (NOT_GROUPED, MEMBER_COLUMNS: public here)
    CANDIDATE_MEMBER_COLUMNS,
    MEMBER_COLUMNS,
    NOT_GROUPED,
    TopicCandidate,
    TopicFit,
    candidate_members,
    members_frame,
    topics_frame,
)
from thematic.suggest.topic_pipeline import (  # noqa: F401  (FILLERS, build_bertopic: public here)
    FILLERS,
    _clean,
    _guide_labels,
    _prepare,
    _quiet,
    build_bertopic,
    select_segments,
)
from thematic.suggest.topic_tree import with_context

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

log = logging.getLogger(__name__)

SEGMENT_COLUMNS = ("segment_id", "document", "participant", "text")
PARENT_LEVELS = ("codebook", "ward")
"""How parent candidates are made: the leaves' Ward tree cut at the codebook's number of codes
(``codebook``; the Ward merges when the codebook has fewer than two codes), or every Ward merge
up to ``max_parent_share`` (``ward``)."""


class TopicModeler(ParamsMixin):
    """BERTopic with small-data defaults; see the module docstring.

    Parameters
    ----------
    min_cluster_size : int or None, default=None
        Smallest topic, in segments; ``None`` scales it to the data: 2% of the clustered
        segments, at least 5 (and at most 100).
    min_words : int, default=4
        Segments with fewer words are "not grouped" (reason ``short``) and not clustered.
    n_neighbors : int or None, default=None
        UMAP neighbourhood; ``None`` is ``min_cluster_size`` clipped to [10, 30].
    n_components : int, default=5
        UMAP dimensions.
    center : bool, default=True
        Remove the mean embedding before clustering.
    top_n_words : int, default=10
        Keywords per topic.
    n_quotes : int, default=6
        Representative quotes per topic (nearest the centroid, one document at a time).
    n_nearest_codes : int, default=3
        Nearest codes reported per topic.
    n_stability : int, default=3
        Re-fits with other seeds for the stability score (0: none).
    stability_threshold : float, default=0.5
        Topics whose stability is below it are marked unstable.
    prompt_weight : float, default=0.7
        Weight of the preceding interviewer turn's vector mixed into a turn's before clustering
        (used when ``prompt_embeddings`` are given; 0: none). Chosen on the PDPilot interviews
        (0, 0.35, 0.5, 0.7, 1.0, 2.0 tried), checked on the sample study and AnnoMI
        (``benchmarks/results/topics.md``).
    position_weight : float, default=0.3
        Weight of each segment's relative position in its document, appended to its clustered
        vector (:func:`~thematic.suggest.topic_tree.with_position`; 0: none).
    outlier_quantile : float or None, default=0.25
        An outlier joins its nearest topic when its cosine to the centroid reaches this
        quantile of the members' cosines; ``None`` keeps every outlier.
    max_parent_share : float, default=0.5
        Ward parents hold at most this share of the grouped segments (0: leaves only, at
        either ``parent_level``).
    parent_level : {"codebook", "ward"}, default="codebook"
        Parents at the codebook's granularity: the Ward tree over the leaves cut into as many
        flat groups as ``code_ids`` has codes, each group of two or more leaves one parent (no
        parents when there are no more leaves than codes); ``"ward"``, or fewer than two codes,
        gives every Ward merge up to ``max_parent_share``. The best of the two and grouping
        by nearest code over seven corpus families, and the held-out choice on five of them
        (``benchmarks/results/topics.md``).
    guided : bool, default=False
        Seed topics from the codebook (needs ``code_embeddings`` in :meth:`fit`).
    language : str, default="en"
        ISO 639-1 code of the segments' language: its stop words stay out of the keywords
        (:func:`~thematic.suggest.topic_pipeline.stop_words`).
    random_state : int, default=0
        Seed of UMAP (and of the re-fits, which use ``random_state + 1 ...``).

    Attributes
    ----------
    candidates_ : list of TopicCandidate
    members_ : pandas.DataFrame
        One row per input segment: segment_id, its leaf topic (-1: not grouped), probability
        (HDBSCAN membership strength; for ``nearest`` see ``outlier_quantile``; 0 when not
        grouped), reason (``topic``, ``nearest``: an outlier close to a topic, ``outlier``,
        ``short``). :meth:`candidate_members` adds the parents' members.
    min_cluster_size_ : int
        The minimum topic size used.
    """

    def __init__(
        self,
        *,
        min_cluster_size: int | None = None,
        min_words: int = 4,
        n_neighbors: int | None = None,
        n_components: int = 5,
        center: bool = True,
        top_n_words: int = 10,
        n_quotes: int = 6,
        n_nearest_codes: int = 3,
        n_stability: int = 3,
        stability_threshold: float = 0.5,
        guided: bool = False,
        prompt_weight: float = 0.7,
        position_weight: float = 0.3,
        outlier_quantile: float | None = 0.25,
        max_parent_share: float = 0.5,
        parent_level: str = "codebook",
        language: str = "en",
        random_state: int = 0,
    ) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_words = min_words
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.center = center
        self.top_n_words = top_n_words
        self.n_quotes = n_quotes
        self.n_nearest_codes = n_nearest_codes
        self.n_stability = n_stability
        self.stability_threshold = stability_threshold
        self.guided = guided
        self.prompt_weight = prompt_weight
        self.position_weight = position_weight
        self.outlier_quantile = outlier_quantile
        self.max_parent_share = max_parent_share
        self.parent_level = parent_level
        self.language = language
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        segments: pd.DataFrame,
        embeddings: np.ndarray,
        *,
        code_ids: Sequence[str] = (),
        code_embeddings: np.ndarray | None = None,
        prompt_embeddings: np.ndarray | None = None,
        keyword_embedder: Callable[[list[str]], np.ndarray] | None = None,
        progress: Progress | None = None,
    ) -> TopicModeler:
        """Fit topics on ``segments`` (rows aligned with ``embeddings``); returns ``self``.

        Parameters
        ----------
        segments
            Columns ``segment_id``, ``document``, ``participant``, ``text`` (as
            :func:`select_segments` returns them).
        embeddings
            Shape ``(len(segments), dim)``, unit-length rows.
        code_ids, code_embeddings
            The codebook's codes and the embeddings of their definitions: nearest codes per
            topic, and the seeds of guided mode.
        prompt_embeddings
            Shape of ``embeddings``: each segment's preceding interviewer turn (a zero row when
            it has none); mixed in with ``prompt_weight``.
        keyword_embedder
            Embeds keyword candidates for the KeyBERT-style re-ranking (e.g. a backend's
            ``encode`` through the cache); ``None`` keeps the c-TF-IDF order.
        progress
            ``progress(done, total)`` over the fits (1 + ``n_stability``).

        Raises
        ------
        ParameterError
            On bad parameters, misaligned inputs, or too few segments for a topic model.
        """
        import numpy as np

        self._check_params()
        x, p = _checked_inputs(segments, embeddings, prompt_embeddings)
        texts = [str(t) for t in segments["text"]]
        fit_idx, self.min_cluster_size_ = self._fit_rows(texts)
        vecs = self.cluster_vectors(segments, x, p, rows=fit_idx)
        fit_texts = [texts[i] for i in fit_idx]
        y = None
        if self.guided:
            if code_embeddings is None or len(code_ids) == 0:
                raise ParameterError("guided mode needs code_ids and code_embeddings. Got none.")
            y = _guide_labels(x[fit_idx], np.asarray(code_embeddings, dtype=np.float32))
        fit, refits = self._fit_and_refits(fit_texts, vecs, y, progress, len(code_ids))
        self.members_ = members_frame(segments, fit_idx, fit.labels, fit.probs, fit.moved)
        self.candidates_ = self._candidates(
            segments, x, fit_idx, fit, refits, list(code_ids), code_embeddings, keyword_embedder)
        return self

    def cluster_vectors(self, segments: pd.DataFrame, embeddings: np.ndarray,
                        prompt_embeddings: np.ndarray | None = None, *,
                        rows: np.ndarray | None = None) -> np.ndarray:
        """The vectors clustered for ``rows`` of ``segments`` (all rows by default): each
        segment's vector with its position in its document (``position_weight``) and its
        question (``prompt_weight``) mixed in, then centred on these rows' mean (``center``).
        """
        import numpy as np

        from thematic.suggest.topic_tree import document_positions, with_position

        x = np.asarray(embeddings, dtype=np.float32)
        positions = document_positions(segments) if self.position_weight else None
        x = with_position(x, positions, float(self.position_weight))
        p = None if prompt_embeddings is None else np.asarray(prompt_embeddings, dtype=np.float32)
        if p is not None and p.shape[1] < x.shape[1]:  # a question has no position of its own
            p = np.hstack([p, np.zeros((len(p), x.shape[1] - p.shape[1]), dtype=np.float32)])
        if rows is not None:
            x, p = x[rows], None if p is None else p[rows]
        return _prepare(with_context(x, p, self.prompt_weight), center=self.center)

    def _fit_rows(self, texts: list[str]) -> tuple[np.ndarray, int]:
        """The rows long enough to fit on (``min_words``) and the smallest topic size; an error
        when they are too few for a topic model."""
        import numpy as np

        long_enough = np.array([len(t.split()) >= self.min_words for t in texts], dtype=bool)
        n_fit = int(long_enough.sum())
        size = self._min_size(n_fit)
        need = max(3 * size, 2 * self.n_components + 2, 20)
        if n_fit < need:
            raise ParameterError(
                f"too few segments for a topic model: {n_fit} of {len(texts)} segments have "
                f"{self.min_words}+ words; at least {need} are needed.",
                hint="Add documents, include more roles, or lower min_words / min_cluster_size.",
            )
        return np.flatnonzero(long_enough), size

    def _fit_and_refits(self, texts: list[str], vecs: np.ndarray, y: np.ndarray | None,
                        progress: Progress | None, n_codes: int) -> tuple[TopicFit, list[np.ndarray]]:
        """The fit with ``random_state`` and the member masks of ``n_stability`` refits with
        the next seeds (their agreement is each topic's stability)."""
        total = 1 + self.n_stability
        fit = self._fit_once(texts, vecs, y, self.random_state, n_codes)
        report(progress, 1, total, stage="topics")
        refits = []
        for k in range(self.n_stability):
            seed = self.random_state + 1 + k
            refits.append(self._fit_once(texts, vecs, y, seed, n_codes).masks())
            report(progress, 2 + k, total, stage="topics")
        return fit, refits

    def _fit_once(
        self, texts: list[str], vecs: np.ndarray, y: np.ndarray | None, seed: int, n_codes: int
    ) -> TopicFit:
        """One BERTopic fit, its near outliers reassigned, and the parents above its topics."""
        import numpy as np

        from thematic.suggest.topic_tree import parent_words, reassign_outliers

        model = build_bertopic(
            len(texts), min_cluster_size=self.min_cluster_size_, n_neighbors=self.n_neighbors,
            n_components=self.n_components, random_state=seed, language=self.language,
        )
        with _quiet():
            topics, probs = model.fit_transform([_clean(t) for t in texts], embeddings=vecs, y=y)
        labels = np.asarray(topics, dtype=int)
        p = np.asarray(probs, dtype=float) if probs is not None else np.ones(len(labels))
        p = np.where(labels == NOT_GROUPED, 0.0, p)
        leaves = sorted(set(labels.tolist()) - {NOT_GROUPED})
        words = {t: [w for w, _ in (model.get_topic(t) or [])] for t in leaves}
        moved = np.zeros(len(labels), dtype=bool)
        if self.outlier_quantile is not None and leaves:
            labels, p, moved = reassign_outliers(vecs, labels, p, float(self.outlier_quantile))
        groups = {t: [t] for t in leaves}
        parent: dict[int, int] = {}
        children: dict[int, list[int]] = {}
        first = (max(leaves) + 1) if leaves else 0
        vocabulary = model.vectorizer_model.get_feature_names_out()
        for j, (kids, under) in enumerate(self._parents(vecs, labels, leaves, first, n_codes)):
            node = first + j
            groups[node] = under
            children[node] = kids
            for kid in kids:
                parent[kid] = node
            sizes = [int((labels == t).sum()) for t in groups[node]]
            words[node] = parent_words(model.c_tf_idf_, [t + model._outliers for t in groups[node]],
                                       sizes, vocabulary, 30)
        return TopicFit(labels, p, moved, words, groups, parent, children)

    def _parents(self, vecs: np.ndarray, labels: np.ndarray, leaves: list[int], first: int,
                 n_codes: int) -> list[tuple[list[int], list[int]]]:
        """Each parent's children and the leaf topics under it, children before parents.

        ``parent_level="codebook"`` with at least two codes: the Ward tree over the leaves cut
        into ``n_codes`` flat groups (:func:`~thematic.suggest.topic_tree.cut_tree`), each
        group of two or more leaves a parent of them. Otherwise the Ward merges up to
        ``max_parent_share`` (:func:`~thematic.suggest.topic_tree.merge_tree`), numbered from
        ``first``.
        """
        from thematic.suggest.topic_tree import cut_tree, leaves_of, merge_tree

        if self.max_parent_share <= 0:
            return []
        if self.parent_level == "codebook" and n_codes >= 2:
            return [(g, g) for g in cut_tree(vecs, labels, n_codes) if len(g) >= 2]
        pairs = merge_tree(vecs, labels, max_share=float(self.max_parent_share))
        return [([leaves[c] if c < len(leaves) else first + c - len(leaves) for c in pair],
                 [leaves[k] for k in under])
                for pair, under in zip(pairs, leaves_of(pairs, len(leaves)), strict=True)]

    def _min_size(self, n: int) -> int:
        if self.min_cluster_size is not None:
            return int(self.min_cluster_size)
        return int(min(100, max(5, round(0.02 * n))))

    def _check_params(self) -> None:
        try:
            if self.min_cluster_size is not None:
                check_number("min_cluster_size", self.min_cluster_size, low=2, integer=True)
            if self.n_neighbors is not None:
                check_number("n_neighbors", self.n_neighbors, low=2, integer=True)
            check_number("min_words", self.min_words, low=0, integer=True)
            check_number("n_components", self.n_components, low=2, integer=True)
            check_number("top_n_words", self.top_n_words, low=1, integer=True)
            check_number("n_quotes", self.n_quotes, low=1, integer=True)
            check_number("n_nearest_codes", self.n_nearest_codes, low=0, integer=True)
            check_number("n_stability", self.n_stability, low=0, integer=True)
            check_number("stability_threshold", self.stability_threshold, low=0, high=1)
            check_number("prompt_weight", self.prompt_weight, low=0, high=10)
            check_number("position_weight", self.position_weight, low=0, high=10)
            if self.outlier_quantile is not None:
                check_number("outlier_quantile", self.outlier_quantile, low=0, high=1)
            check_number("max_parent_share", self.max_parent_share, low=0, high=1)
            if self.parent_level not in PARENT_LEVELS:
                raise ValueError(f"parent_level must be one of {', '.join(PARENT_LEVELS)}. "
                                 f"Got {self.parent_level!r} instead.")
            check_number("random_state", self.random_state, low=0, integer=True)
            if not isinstance(self.language, str) or not self.language:
                raise ValueError(f"language must be an ISO 639-1 code such as 'en'. "
                                 f"Got {self.language!r} instead.")
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc

    def versions(self) -> dict[str, str]:
        """BERTopic, UMAP, HDBSCAN and scikit-learn versions."""
        from thematic.suggest.base import installed_versions

        return installed_versions("bertopic", "umap-learn", "hdbscan", "scikit-learn")

    # ------------------------------------------------------------------ results
    def _candidates(
        self, segments: pd.DataFrame, x: np.ndarray, fit_idx: np.ndarray, fit: TopicFit,
        refits: list[np.ndarray], code_ids: list[str], code_embeddings: np.ndarray | None,
        keyword_embedder: Callable[[list[str]], np.ndarray] | None,
    ) -> list[TopicCandidate]:
        import numpy as np

        from thematic.suggest.topic_parts import keywords, nearest, quotes, stability

        out = []
        for topic, under in fit.groups.items():
            member = np.isin(fit.labels, under)
            rows, weights = fit_idx[member], fit.probs[member]
            centroid = (x[rows] * np.maximum(weights, 1e-3)[:, None]).sum(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
            kw = keywords(fit.words[topic], centroid, keyword_embedder, self.top_n_words)
            score = stability(member, refits) if refits else None
            parts = sorted({str(p) for p in segments["participant"].iloc[rows] if p is not None
                            and str(p) not in ("", "nan", "None")})
            out.append(TopicCandidate(
                topic=topic, label=", ".join(kw[:3]) or f"topic {topic}", keywords=kw,
                size=len(rows), participants=parts,
                quotes=quotes(segments, rows, weights, x[rows] @ centroid, self.n_quotes),
                nearest_codes=nearest(centroid, code_ids, code_embeddings, self.n_nearest_codes),
                stability=score,
                stable=None if score is None else score >= self.stability_threshold,
                parent=fit.parent.get(topic), children=list(fit.children.get(topic, [])),
            ))
        return out

    def candidate_members(self) -> pd.DataFrame:
        """Members of every candidate, parents included (:func:`~thematic.suggest.topic_candidates.candidate_members`)."""
        return candidate_members(self.members_, self.candidates_)

    def topics_frame(self) -> pd.DataFrame:
        """One row per candidate (:func:`~thematic.suggest.topic_candidates.topics_frame`)."""
        return topics_frame(self.candidates_)


def _checked_inputs(segments: pd.DataFrame, embeddings: np.ndarray,
                    prompt_embeddings: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """The embeddings (and the prompts' embeddings) as float32, after checking that
    ``segments`` has its columns and the arrays one row per segment."""
    import numpy as np

    missing = [c for c in SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        raise ParameterError(f"segments must have the columns {list(SEGMENT_COLUMNS)}. "
                             f"Missing {missing}.")
    x = np.asarray(embeddings, dtype=np.float32)
    if x.ndim != 2 or x.shape[0] != len(segments):
        raise ParameterError(f"embeddings must have one row per segment ({len(segments)}). "
                             f"Got shape {x.shape} instead.")
    p = None if prompt_embeddings is None else np.asarray(prompt_embeddings, dtype=np.float32)
    if p is not None and p.shape != x.shape:
        raise ParameterError(f"prompt_embeddings must have the shape of embeddings {x.shape}. "
                             f"Got {p.shape} instead.")
    return x, p
