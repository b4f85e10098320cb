"""The BERTopic pipeline of topic candidates and its small helpers.

:func:`build_bertopic` builds the pipeline :class:`~thematic.suggest.topics.TopicModeler` fits
(seeded UMAP, HDBSCAN, c-TF-IDF over word 1-2 grams without stop words and interview fillers);
it is public so that benchmarks can time BERTopic called directly with the same components.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

FILLERS = (
    "um", "umm", "uh", "uhm", "er", "erm", "ah", "oh", "hmm", "mm", "mhm", "yeah", "yep", "yes",
    "okay", "ok", "like", "just", "really", "actually", "basically", "literally", "right",
    "sort", "kind", "know", "mean", "gonna", "wanna", "got", "thing", "things", "stuff", "lot",
    "don", "didn", "doesn", "wasn", "isn", "ve", "ll", "re", "d", "s", "t", "m",
)
"""Interview fillers kept out of topic representations (with scikit-learn's English stop words;
"you know", "kind of", "sort of", "I mean" go with their parts)."""


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
        ``project.documents.segments(unit)`` rows (needs ``role``, ``document_id``, ``start``, ``end``).
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


WORD = r"(?u)\b[^\W\d_](?:[^\W\d_]|-)+\b"
"""A keyword candidate: two or more letters of any script (hyphens inside), no digits."""


def stop_words(language: str | None) -> list[str]:
    """Words kept out of topic keywords: the language's stop words and the interview fillers.

    English uses scikit-learn's list; another language spaCy's list for it when spaCy has
    one (``spacy.lang.<code>.stop_words``), else the fillers only.
    """
    import importlib

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words: set[str] = set(FILLERS)
    if language in (None, "en"):
        words |= set(ENGLISH_STOP_WORDS)
    elif re.fullmatch(r"[a-z]{2,3}", language):
        try:
            words |= set(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
        except ImportError:
            pass
    return sorted(words)


def build_bertopic(
    n: int,
    *,
    min_cluster_size: int,
    n_neighbors: int | None = None,
    n_components: int = 5,
    random_state: int = 0,
    language: str | None = "en",
) -> Any:
    """The BERTopic pipeline the modeler fits: seeded UMAP, HDBSCAN, c-TF-IDF (1-2 grams of
    words of any script, without ``language``'s stop words, :func:`stop_words`).

    Public so that benchmarks can time BERTopic called directly with the same components.
    """
    try:
        from bertopic import BERTopic
        from bertopic.vectorizers import ClassTfidfTransformer
        from hdbscan import HDBSCAN
        from sklearn.feature_extraction.text import CountVectorizer
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
    vectorizer = CountVectorizer(
        stop_words=stop_words(language), ngram_range=(1, 2), min_df=1, token_pattern=WORD,
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
