"""Topic candidates: BERTopic over participant turns, with small-data defaults.

:class:`TopicModeler` is a scikit-learn-style estimator over a segments frame (the columns of
``Project.segments``) and the segments' embeddings. It returns plain data: one
:class:`TopicCandidate` per topic and a ``members_`` frame with every segment's topic and
probability. Nothing is decided here and no BERTopic object is kept: adopting, mapping,
merging and renaming live in the project's store.

How it differs from BERTopic's defaults (which put most interview turns in one topic):

- **What is clustered.** Participant turns of at least ``min_words`` words (backchannels such
  as "Yeah." carry no topic); the others are kept as "not grouped" (topic -1) with the reason
  ``short``. :func:`select_segments` also drops turns an accepted coding already covers.
- **Embeddings centred.** All interview talk shares a direction in sentence-embedding space;
  the mean vector is removed before clustering so topics separate on what differs.
- **Sizes scaled to the data.** ``min_cluster_size`` grows with the number of turns (about
  2% of them, at least 5); HDBSCAN's ``min_samples`` is a third of it, so fewer turns fall out.
  Outliers stay outliers ("not grouped"): nothing is forced into a topic.
- **Representations.** c-TF-IDF over word 1-2 grams with English stop words and interview
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
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from thematic.errors import ParameterError
from thematic.suggest.base import ParamsMixin, Progress, check_number, report

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

log = logging.getLogger(__name__)

FILLERS = (
    "um", "umm", "uh", "uhm", "er", "erm", "ah", "oh", "hmm", "mm", "mhm", "yeah", "yep", "yes",
    "okay", "ok", "like", "just", "really", "actually", "basically", "literally", "right",
    "sort", "kind", "know", "mean", "gonna", "wanna", "got", "thing", "things", "stuff", "lot",
    "don", "didn", "doesn", "wasn", "isn", "ve", "ll", "re", "d", "s", "t", "m",
)
"""Interview fillers kept out of topic representations (with scikit-learn's English stop words;
"you know", "kind of", "sort of", "I mean" go with their parts)."""

NOT_GROUPED = -1
"""The topic number of segments no topic holds."""

SEGMENT_COLUMNS = ("segment_id", "document", "participant", "text")
MEMBER_COLUMNS = ("segment_id", "topic", "probability", "reason")


@dataclass
class Quote:
    """A representative member of a topic."""

    segment_id: int
    document: str
    participant: str | None
    text: str
    probability: float
    similarity: float


@dataclass
class TopicCandidate:
    """One topic: what it is about, who speaks in it, how stable it is, which codes it is near.

    ``nearest_codes`` holds ``(code id, cosine similarity)`` pairs, best first.
    ``stability`` is None when no re-fit was made; ``stable`` then is None too.
    """

    topic: int
    label: str
    keywords: list[str]
    size: int
    participants: list[str]
    quotes: list[Quote]
    nearest_codes: list[tuple[str, float]] = field(default_factory=list)
    stability: float | None = None
    stable: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        out = asdict(self)
        out["nearest_codes"] = [list(pair) for pair in self.nearest_codes]
        return out


def select_segments(
    segments: pd.DataFrame,
    *,
    roles: Sequence[str] = ("participant",),
    covered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The segments topics are fitted on: speakers of ``roles``, minus covered text.

    Parameters
    ----------
    segments
        ``Project.segments(unit)`` rows (needs ``role``, ``document_id``, ``start``, ``end``).
    roles
        Speaker roles kept; interviewer turns are out by default.
    covered
        Codings (``document_id``, ``start``, ``end``), e.g. the accepted ones: segments that
        overlap one are dropped.
    """
    keep = segments["role"].isin(list(roles))
    out = segments[keep]
    if covered is not None and len(covered) and len(out):
        hit = out.index.to_series().map(lambda _: False)
        for doc_id, spans in covered.groupby("document_id"):
            rows = out["document_id"] == doc_id
            for s, e in zip(spans["start"], spans["end"], strict=True):
                hit |= rows & (out["start"] < e) & (out["end"] > s)
        out = out[~hit]
    return out.reset_index(drop=True)


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
    guided : bool, default=False
        Seed topics from the codebook (needs ``code_embeddings`` in :meth:`fit`).
    random_state : int, default=0
        Seed of UMAP (and of the re-fits, which use ``random_state + 1 ...``).

    Attributes
    ----------
    candidates_ : list of TopicCandidate
    members_ : pandas.DataFrame
        One row per input segment: segment_id, topic (-1: not grouped), probability (HDBSCAN
        membership strength, 0 when not grouped), reason (``topic``, ``outlier``, ``short``).
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
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        segments: pd.DataFrame,
        embeddings: np.ndarray,
        *,
        code_ids: Sequence[str] = (),
        code_embeddings: np.ndarray | None = None,
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
        missing = [c for c in SEGMENT_COLUMNS if c not in segments.columns]
        if missing:
            raise ParameterError(f"segments must have the columns {list(SEGMENT_COLUMNS)}. "
                                 f"Missing {missing}.")
        x = np.asarray(embeddings, dtype=np.float32)
        if x.ndim != 2 or x.shape[0] != len(segments):
            raise ParameterError(f"embeddings must have one row per segment ({len(segments)}). "
                                 f"Got shape {x.shape} instead.")
        texts = [str(t) for t in segments["text"]]
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
        self.min_cluster_size_ = size
        fit_idx = np.flatnonzero(long_enough)
        vecs = _prepare(x[fit_idx], center=self.center)
        fit_texts = [texts[i] for i in fit_idx]
        y = None
        if self.guided:
            if code_embeddings is None or len(code_ids) == 0:
                raise ParameterError("guided mode needs code_ids and code_embeddings. Got none.")
            y = _guide_labels(x[fit_idx], np.asarray(code_embeddings, dtype=np.float32))
        total = 1 + self.n_stability
        labels, probs, words = self._fit_once(fit_texts, vecs, y, self.random_state)
        report(progress, 1, total, stage="topics")
        refits = []
        for k in range(self.n_stability):
            refits.append(self._fit_once(fit_texts, vecs, y, self.random_state + 1 + k)[0])
            report(progress, 2 + k, total, stage="topics")
        self.members_ = _members(segments, fit_idx, labels, probs)
        self.candidates_ = self._candidates(
            segments, x, fit_idx, labels, probs, words, refits,
            list(code_ids), code_embeddings, keyword_embedder,
        )
        return self

    def _fit_once(
        self, texts: list[str], vecs: np.ndarray, y: np.ndarray | None, seed: int
    ) -> tuple[np.ndarray, np.ndarray, dict[int, list[str]]]:
        """One BERTopic fit: labels, membership probabilities, c-TF-IDF words per topic."""
        import numpy as np

        model = build_bertopic(
            len(texts), min_cluster_size=self.min_cluster_size_, n_neighbors=self.n_neighbors,
            n_components=self.n_components, random_state=seed,
        )
        with _quiet():
            topics, probs = model.fit_transform([_clean(t) for t in texts], embeddings=vecs, y=y)
        labels = np.asarray(topics, dtype=int)
        p = np.asarray(probs, dtype=float) if probs is not None else np.ones(len(labels))
        words = {
            int(t): [w for w, _ in (model.get_topic(t) or [])]
            for t in sorted(set(labels.tolist())) if t != NOT_GROUPED
        }
        return labels, np.where(labels == NOT_GROUPED, 0.0, p), words

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
            check_number("random_state", self.random_state, low=0, integer=True)
        except ValueError as exc:
            raise ParameterError(str(exc)) from exc

    def versions(self) -> dict[str, str]:
        """BERTopic, UMAP, HDBSCAN and scikit-learn versions."""
        import importlib.metadata as md

        out = {}
        for dist in ("bertopic", "umap-learn", "hdbscan", "scikit-learn"):
            try:
                out[dist] = md.version(dist)
            except md.PackageNotFoundError:
                continue
        return out

    # ------------------------------------------------------------------ results
    def _candidates(
        self, segments: pd.DataFrame, x: np.ndarray, fit_idx: np.ndarray, labels: np.ndarray,
        probs: np.ndarray, words: dict[int, list[str]], refits: list[np.ndarray],
        code_ids: list[str], code_embeddings: np.ndarray | None,
        keyword_embedder: Callable[[list[str]], np.ndarray] | None,
    ) -> list[TopicCandidate]:
        import numpy as np

        from thematic.suggest.topic_parts import keywords, nearest, quotes, stability

        out = []
        for topic in sorted(words):
            rows = fit_idx[labels == topic]
            weights = probs[labels == topic]
            centroid = (x[rows] * np.maximum(weights, 1e-3)[:, None]).sum(axis=0)
            centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
            kw = keywords(words[topic], centroid, keyword_embedder, self.top_n_words)
            score = stability(labels == topic, refits) if refits else None
            parts = sorted({str(p) for p in segments["participant"].iloc[rows] if p is not None
                            and str(p) not in ("", "nan", "None")})
            out.append(TopicCandidate(
                topic=topic, label=", ".join(kw[:3]) or f"topic {topic}", keywords=kw,
                size=len(rows), participants=parts,
                quotes=quotes(segments, rows, weights, x[rows] @ centroid, self.n_quotes),
                nearest_codes=nearest(centroid, code_ids, code_embeddings, self.n_nearest_codes),
                stability=score,
                stable=None if score is None else score >= self.stability_threshold,
            ))
        return out

    def topics_frame(self) -> pd.DataFrame:
        """One row per candidate: topic, label, keywords, size, participants, stability,
        stable, nearest_codes, quotes (texts)."""
        import pandas as pd

        rows = [{
            "topic": c.topic, "label": c.label, "keywords": ", ".join(c.keywords),
            "size": c.size, "participants": ", ".join(c.participants),
            "stability": c.stability, "stable": c.stable,
            "nearest_codes": ", ".join(f"{k} ({s:.2f})" for k, s in c.nearest_codes),
            "quotes": [q.text for q in c.quotes],
        } for c in self.candidates_]
        return pd.DataFrame(rows, columns=["topic", "label", "keywords", "size", "participants",
                                           "stability", "stable", "nearest_codes", "quotes"])


def build_bertopic(
    n: int,
    *,
    min_cluster_size: int,
    n_neighbors: int | None = None,
    n_components: int = 5,
    random_state: int = 0,
) -> Any:
    """The BERTopic pipeline the modeler fits: seeded UMAP, HDBSCAN, c-TF-IDF (1-2 grams).

    Public so that benchmarks can time BERTopic called directly with the same components.
    """
    try:
        from bertopic import BERTopic
        from bertopic.vectorizers import ClassTfidfTransformer
        from hdbscan import HDBSCAN
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
        from umap import UMAP
    except ImportError as exc:
        from thematic.errors import MissingDependencyError

        raise MissingDependencyError(
            "topic candidates need BERTopic", hint="Install it with: pip install 'thematic[ml]'"
        ) from exc
    neighbours = n_neighbors or int(min(30, max(10, min_cluster_size)))
    umap = UMAP(
        n_neighbors=min(neighbours, n - 1), n_components=n_components, min_dist=0.0,
        metric="cosine", random_state=random_state, n_jobs=1, low_memory=True,
    )
    hdbscan = HDBSCAN(
        min_cluster_size=min_cluster_size, min_samples=max(2, min_cluster_size // 3),
        metric="euclidean", cluster_selection_method="eom", prediction_data=False,
    )
    stop = sorted(set(ENGLISH_STOP_WORDS) | set(FILLERS))
    vectorizer = CountVectorizer(
        stop_words=stop, ngram_range=(1, 2), min_df=1,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b",
    )
    return BERTopic(
        umap_model=umap, hdbscan_model=hdbscan, vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        top_n_words=30, calculate_probabilities=False, verbose=False,
    )


_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)|<[^>]*>")


def _clean(text: str) -> str:
    """Text for the representations: transcript annotations ([laughs], (inaudible)) out."""
    return _ANNOTATION.sub(" ", text)


def _prepare(x: np.ndarray, *, center: bool) -> np.ndarray:
    import numpy as np

    if not center:
        return x
    y = x - x.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(y, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (y / norms).astype(np.float32)


def _guide_labels(x: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Partial labels: a code for turns in the top 10% of its similarity with a clear margin."""
    import numpy as np

    sims = x @ codes.T
    best = sims.argmax(axis=1)
    top = np.sort(sims, axis=1)
    margin = top[:, -1] - (top[:, -2] if sims.shape[1] > 1 else 0.0)
    cut = np.quantile(sims, 0.9, axis=0)
    y = np.full(len(x), -1, dtype=int)
    sure = (sims[np.arange(len(x)), best] >= cut[best]) & (margin >= np.median(margin))
    y[sure] = best[sure]
    return y


def _members(
    segments: pd.DataFrame, fit_idx: np.ndarray, labels: np.ndarray, probs: np.ndarray
) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    n = len(segments)
    topic = np.full(n, NOT_GROUPED, dtype=int)
    prob = np.zeros(n, dtype=float)
    reason = np.full(n, "short", dtype=object)
    topic[fit_idx] = labels
    prob[fit_idx] = probs
    reason[fit_idx] = np.where(labels == NOT_GROUPED, "outlier", "topic")
    return pd.DataFrame({
        "segment_id": segments["segment_id"].to_numpy(), "topic": topic,
        "probability": prob.round(6), "reason": reason,
    }, columns=list(MEMBER_COLUMNS))


class _quiet:
    """Silence BERTopic's and numba's loggers during a fit (the library never prints)."""

    def __enter__(self) -> None:
        self._levels = {}
        for name in ("BERTopic", "numba", "umap", "hdbscan"):
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
