"""Semantic engine: suggest codes whose definition and examples a segment resembles.

Texts embedded (with an :class:`~thematic.suggest.embeddings.EmbeddingBackend`, through the
embedding cache when one is given):

- per code, its *description* ``"<name>. <definition> <inclusion>"``;
- its positive examples (kind ``typical`` or ``atypical``), its ``near_miss`` examples and its
  exclusion text;
- every segment.

Score of segment ``s`` for code ``c`` (cosine similarities, vectors are unit length)::

    d   = cos(s, description)                      definition_score
    e   = max_j cos(s, positive example j)          closest_example_score (-inf without examples)
    pos = max(definition_weight * d, example_weight * e)
    ref = e if the code has positive examples else d
    n   = max_k cos(s, near-miss example k)         (-inf without near-misses)
    x   = cos(s, exclusion text)                    (-inf without exclusion)
    score = pos - near_miss_weight * max(0, n - ref + near_miss_margin)
                - exclusion_weight * max(0, x - d)

With ``near_miss="veto"`` a segment closer to a near-miss example than to every positive
example (``n > ref``) is vetoed; with ``"penalty"`` only the penalty applies.

Calibrated thresholds (``threshold="calibrated"``), per code, so that a code's threshold
follows the model's similarity scale (MiniLM cosines sit around 0.1-0.6, LSA cosines spread
over 0-1) and the code's own wording:

1. *Background*: over the corpus, the median ``b`` of the code's scores and a robust spread
   ``s = 1.4826 * MAD`` (codes apply to a minority of segments, so the median is a
   non-member's score).
2. *Anchor*: ``p`` = the mean leave-one-out score of the code's positive examples, scored as
   if they were segments (each against the description and the *other* examples): what a
   true member scores under this model.
3. ``threshold = b + max(z * s, anchor * (p - b))``: a segment must stand out from the
   background by ``z`` robust standard deviations *and* come ``anchor`` of the way from the
   background to a typical member. A code without examples uses the z rule alone.

A float ``threshold`` is used as a fixed cosine threshold for every code instead.
Confidence is ``sigmoid((score - threshold) / tau)`` with ``tau = max(s, (threshold - b) / z)``:
0.5 at the threshold, rising with the margin in units of the code's spread.
Everything is deterministic for a given backend and input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from thematic.models import Code, Codebook, Segment, Suggestion
from thematic.suggest.base import ParamsMixin, Progress, check_number
from thematic.suggest.calibration import calibrate, loo_anchor

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from thematic.suggest.embeddings import EmbeddingBackend, EmbeddingCache

POSITIVE_KINDS = frozenset({"typical", "atypical"})
NEAR_MISS_KINDS = frozenset({"near_miss", "near-miss", "nearmiss"})
NEAR_MISS_MODES = ("veto", "penalty", "ignore")


@dataclass
class SemanticScores:
    """Scores of every (segment, code) pair and the per-code thresholds.

    Arrays have shape ``(n_segments, n_codes)`` unless noted; ``-inf`` marks "not defined".
    """

    code_ids: list[str]
    score: np.ndarray
    definition: np.ndarray
    example: np.ndarray
    example_index: np.ndarray
    near_miss: np.ndarray
    near_miss_index: np.ndarray
    unpenalised: np.ndarray
    vetoed: np.ndarray
    threshold: np.ndarray  # (n_codes,)
    background: np.ndarray  # (n_codes,)
    spread: np.ndarray  # (n_codes,)
    anchor: np.ndarray  # (n_codes,), nan without examples
    tau: np.ndarray  # (n_codes,)

    def confidence(self) -> np.ndarray:
        """``sigmoid((score - threshold) / tau)`` for every pair."""
        import numpy as np

        z = (self.score - self.threshold[None, :]) / self.tau[None, :]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


@dataclass
class _CodeTexts:
    description: str
    positives: list[str]
    near_misses: list[str]
    exclusion: str


class SemanticEngine(ParamsMixin):
    """Suggest codes by embedding similarity to definitions and examples.

    Parameters
    ----------
    backend : EmbeddingBackend or None, default=None
        ``None`` uses :func:`~thematic.suggest.embeddings.default_backend` on first use.
    threshold : "calibrated" or float, default="calibrated"
        Per-code calibrated thresholds (see module docstring) or one fixed cosine threshold.
    definition_weight, example_weight : float, default=1.0
        Weights of the weighted max of definition and example similarity.
    near_miss : {"veto", "penalty", "ignore"}, default="veto"
        What a segment closer to a near-miss example than to the positive examples gets.
    near_miss_weight : float, default=1.0
        Penalty per unit of near-miss excess similarity.
    near_miss_margin : float, default=0.05
        The penalty starts this far before the near-miss similarity reaches ``ref``.
    exclusion_weight : float, default=0.5
        Penalty per unit the segment is closer to the exclusion text than to the description.
    z : float, default=4.0
        Robust standard deviations above the corpus background (calibrated thresholds).
        4.0 was chosen on the sample study's gold coding (``benchmarks/bench_agreement.py``):
        at 2.0 about 5% of all segments pass for every code and 83% of suggestions were
        false positives; at 4.0 precision rose from 0.17 to 0.61 at the same recall.
    anchor : float, default=0.5
        Fraction of the way from background to the examples' own score (calibrated).
    batch_size : int, default=64
        Texts per encoding batch.
    cache : EmbeddingCache or None, default=None
        Where to look up and store embeddings (not part of the results).

    Examples
    --------
    >>> from thematic.suggest.embeddings import TfidfSvdBackend
    >>> engine = SemanticEngine(TfidfSvdBackend(), threshold=0.3)
    >>> engine.get_params()["threshold"]
    0.3
    """

    name = "semantic"

    def __init__(
        self,
        backend: EmbeddingBackend | None = None,
        threshold: str | float = "calibrated",
        *,
        definition_weight: float = 1.0,
        example_weight: float = 1.0,
        near_miss: str = "veto",
        near_miss_weight: float = 1.0,
        near_miss_margin: float = 0.05,
        exclusion_weight: float = 0.5,
        z: float = 4.0,
        anchor: float = 0.5,
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.backend = backend
        self.threshold = threshold
        self.definition_weight = definition_weight
        self.example_weight = example_weight
        self.near_miss = near_miss
        self.near_miss_weight = near_miss_weight
        self.near_miss_margin = near_miss_margin
        self.exclusion_weight = exclusion_weight
        self.z = z
        self.anchor = anchor
        self.batch_size = batch_size
        self.cache = cache

    def get_params(self) -> dict[str, Any]:
        """Parameters; the cache is described by its class only (it does not change results)."""
        params = super().get_params()
        params["backend"] = _describe_backend(self._backend())
        return params

    def versions(self) -> dict[str, str]:
        """numpy and the backend's library and model versions."""
        import numpy as np

        return {"numpy": np.__version__, **self._backend().versions()}

    def score(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> SemanticScores:
        """Score every (segment, code) pair and calibrate the thresholds."""
        import numpy as np

        from thematic.suggest.embeddings import embed_cached

        self._check_params()
        backend = self._backend()
        codes = list(codebook.codes)
        texts = [_code_texts(c) for c in codes]
        code_corpus: list[str] = []
        for t in texts:
            code_corpus += [t.description, *t.positives, *t.near_misses]
            code_corpus += [t.exclusion] if t.exclusion else []
        seg_texts = [s.text for s in segments]
        if getattr(backend, "requires_fit", False):
            backend.fit(seg_texts + code_corpus)
        n = len(seg_texts)
        vecs = embed_cached(
            backend, seg_texts + code_corpus, self.cache, progress, batch_size=self.batch_size
        )
        seg_v, code_v = vecs[:n], vecs[n:]
        pos = 0
        n_codes = len(codes)
        shape = (n, n_codes)
        neg_inf = np.full(shape, -np.inf, dtype=np.float32)
        d, e, nm, x = (np.zeros(shape, np.float32), neg_inf.copy(), neg_inf.copy(), neg_inf.copy())
        e_idx = np.full(shape, -1, dtype=np.int32)
        nm_idx = np.full(shape, -1, dtype=np.int32)
        anchors = np.full(n_codes, np.nan)
        for c, t in enumerate(texts):
            desc = code_v[pos]
            pv = code_v[pos + 1 : pos + 1 + len(t.positives)]
            pos += 1 + len(t.positives)
            mv = code_v[pos : pos + len(t.near_misses)]
            pos += len(t.near_misses)
            d[:, c] = seg_v @ desc
            if len(pv):
                sims = seg_v @ pv.T
                e_idx[:, c] = sims.argmax(axis=1)
                e[:, c] = sims.max(axis=1)
                anchors[c] = loo_anchor(desc, pv, self.definition_weight, self.example_weight)
            if len(mv):
                sims = seg_v @ mv.T
                nm_idx[:, c] = sims.argmax(axis=1)
                nm[:, c] = sims.max(axis=1)
            if t.exclusion:
                x[:, c] = seg_v @ code_v[pos]
                pos += 1
        unpen = np.maximum(self.definition_weight * d, self.example_weight * e)
        has_ex = np.isfinite(e)
        ref = np.where(has_ex, e, d)
        with np.errstate(invalid="ignore"):
            gap = nm - ref  # -inf where no near-miss
        score = unpen.astype(np.float64)
        if self.near_miss != "ignore":
            score = score - self.near_miss_weight * np.maximum(0.0, gap + self.near_miss_margin)
        score = score - self.exclusion_weight * np.maximum(0.0, x - d)
        vetoed = (gap > 0) if self.near_miss == "veto" else np.zeros(shape, dtype=bool)
        background, spread, threshold, tau = calibrate(
            score, anchors, threshold=self.threshold, z=self.z, anchor=self.anchor
        )
        return SemanticScores(
            code_ids=[c.id for c in codes],
            score=score,
            definition=d,
            example=e,
            example_index=e_idx,
            near_miss=nm,
            near_miss_index=nm_idx,
            unpenalised=unpen,
            vetoed=vetoed,
            threshold=threshold,
            background=background,
            spread=spread,
            anchor=anchors,
            tau=tau,
        )

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        keep_vetoed: bool = False,
        also: Iterable[tuple[int, str]] = (),
    ) -> list[Suggestion]:
        """Suggest the codes whose score passes their threshold.

        Parameters
        ----------
        segments, codebook, progress
            See :class:`~thematic.suggest.base.Engine`.
        keep_vetoed
            Also return pairs that would have passed but were vetoed by a near-miss example,
            with confidence 0 and ``evidence["near_miss"]["vetoed"]`` true.
        also
            ``(segment id, code id)`` pairs to report even below threshold (with
            ``evidence["passed"]`` false); the combiner uses them to weigh rule hits.

        Returns
        -------
        list of Suggestion
            In segment order, then codebook order.
        """
        import numpy as np

        sc = self.score(segments, codebook, progress=progress)
        conf = sc.confidence()
        passed = sc.score >= sc.threshold[None, :]
        emit = passed & ~sc.vetoed
        if keep_vetoed:
            emit |= sc.vetoed & (sc.unpenalised >= sc.threshold[None, :])
        col = {cid: j for j, cid in enumerate(sc.code_ids)}
        row = {s.id: i for i, s in enumerate(segments)}
        for seg_id, code_id in also:
            if seg_id in row and code_id in col:
                emit[row[seg_id], col[code_id]] = True
        codes = list(codebook.codes)
        out: list[Suggestion] = []
        for i, j in zip(*np.nonzero(emit), strict=True):
            seg, code = segments[int(i)], codes[int(j)]
            vetoed = bool(sc.vetoed[i, j])
            out.append(
                Suggestion(
                    document_id=seg.document_id,
                    start=seg.start,
                    end=seg.end,
                    code_id=code.id,
                    source=self.name,
                    confidence=0.0 if vetoed else _r(conf[i, j]),
                    evidence=self._evidence(sc, code, int(i), int(j), bool(passed[i, j])),
                    segment_id=seg.id,
                )
            )
        return out

    # ------------------------------------------------------------------ internals
    def _backend(self) -> EmbeddingBackend:
        if self.backend is not None:
            return self.backend
        if "backend_" not in self.__dict__:
            from thematic.suggest.embeddings import default_backend

            self.backend_ = default_backend()
        return self.backend_

    def _check_params(self) -> None:
        t = self.threshold
        if not (t == "calibrated" or (isinstance(t, (int, float)) and not isinstance(t, bool))):
            raise ValueError(
                f"threshold must be 'calibrated' or a number in [-1, 1]. Got {t!r} instead."
            )
        if not isinstance(t, str):
            check_number("threshold", t, low=-1.0, high=1.0)
        if self.near_miss not in NEAR_MISS_MODES:
            raise ValueError(
                f"near_miss must be one of {NEAR_MISS_MODES}. Got {self.near_miss!r} instead."
            )
        for name in ("definition_weight", "example_weight", "near_miss_weight", "exclusion_weight"):
            check_number(name, getattr(self, name), low=0.0)
        check_number("near_miss_margin", self.near_miss_margin, low=0.0, high=1.0)
        check_number("z", self.z, low=0.0)
        check_number("anchor", self.anchor, low=0.0, high=1.0)
        check_number("batch_size", self.batch_size, low=1, integer=True)

    def _evidence(
        self, sc: SemanticScores, code: Code, i: int, j: int, passed: bool
    ) -> dict[str, Any]:
        positives = [ex.text for ex in code.examples if ex.kind in POSITIVE_KINDS]
        near = [ex.text for ex in code.examples if ex.kind in NEAR_MISS_KINDS]
        k = int(sc.example_index[i, j])
        ev: dict[str, Any] = {
            "score": _r(sc.score[i, j]),
            "threshold": _r(sc.threshold[j]),
            "passed": passed,
            "closest_example": positives[k] if k >= 0 else None,
            "closest_example_score": _r(sc.example[i, j]) if k >= 0 else None,
            "definition_score": _r(sc.definition[i, j]),
            "background": _r(sc.background[j]),
            "spread": _r(sc.spread[j]),
        }
        m = int(sc.near_miss_index[i, j])
        ref = sc.example[i, j] if k >= 0 else sc.definition[i, j]
        if m >= 0 and sc.near_miss[i, j] > ref - self.near_miss_margin:
            ev["near_miss"] = {
                "example": near[m],
                "score": _r(sc.near_miss[i, j]),
                "vetoed": bool(sc.vetoed[i, j]),
            }
        return ev


def _code_texts(code: Code) -> _CodeTexts:
    body = " ".join(p.strip() for p in (code.definition, code.inclusion) if p and p.strip())
    description = f"{code.name}. {body}".strip() if body else code.name
    return _CodeTexts(
        description=description,
        positives=[ex.text for ex in code.examples if ex.kind in POSITIVE_KINDS],
        near_misses=[ex.text for ex in code.examples if ex.kind in NEAR_MISS_KINDS],
        exclusion=(code.exclusion or "").strip(),
    )


def _describe_backend(backend: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"class": type(backend).__name__}
    if hasattr(backend, "get_params"):
        out["params"] = backend.get_params()
    return out


def _r(value: Any) -> float:
    v = float(value)
    return round(v, 6) if math.isfinite(v) else v
