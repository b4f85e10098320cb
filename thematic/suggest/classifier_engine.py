"""The classifier as a suggestion engine (registered as ``classifier``; a fittable scorer).

:class:`ClassifierEngine` embeds the segments (through the project's embedding cache), scores
them with the semantic engine (its ranking is the classifier's prior), and fits a
:class:`~thematic.suggest.classifier.DecisionClassifier` on the labels the suggestion service
builds from the project's decisions (:mod:`thematic.services.learning`). It suggests only
for codes with enough decisions. For those codes it also *overrules* other engines: a pair
another engine found (``also=``) that the classifier does not pass comes back with
``evidence["excluded_by"]`` so that the combiner drops it; the people's decisions on this
project outrank the codebook's wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.base import ParamsMixin, Progress

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from thematic.suggest.classifier import DecisionClassifier
    from thematic.suggest.registry import EngineOptions


class ClassifierEngine(ParamsMixin):
    """Suggest codes learned from decisions (see the module docstring).

    Parameters
    ----------
    backend : EmbeddingBackend or None, default=None
        As for :class:`~thematic.suggest.semantic.SemanticEngine`.
    min_positives, min_negatives, prior_weight, random_state
        Of :class:`~thematic.suggest.classifier.DecisionClassifier`.
    cache : EmbeddingCache or None, default=None
        Where embeddings are looked up and stored.
    """

    name = "classifier"

    def __init__(
        self,
        backend: Any = None,
        *,
        min_positives: int = 5,
        min_negatives: int = 5,
        prior_weight: float = 1.0,
        random_state: int = 0,
        cache: Any = None,
    ) -> None:
        self.backend = backend
        self.min_positives = min_positives
        self.min_negatives = min_negatives
        self.prior_weight = prior_weight
        self.random_state = random_state
        self.cache = cache

    def versions(self) -> dict[str, str]:
        """scikit-learn's and the backend's versions."""
        import sklearn

        return {"scikit-learn": sklearn.__version__, **self._semantic().versions()}

    def fit(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        labels: pd.DataFrame,
        *,
        prevalence: Mapping[str, float] | None = None,
    ) -> ClassifierEngine:
        """Learn every code with enough decisions among ``labels`` (see ``DecisionClassifier``)."""
        from thematic.suggest.classifier import DecisionClassifier
        from thematic.suggest.code_texts import code_texts
        from thematic.suggest.embeddings import embed_cached

        semantic = self._semantic()
        scores = semantic.score(segments, codebook)
        backend = semantic._backend()
        X = embed_cached(backend, [s.text for s in segments], self.cache)
        texts = {c.id: [code_texts(c).description, *code_texts(c).positives] for c in codebook.codes}
        flat = embed_cached(backend, [t for ts in texts.values() for t in ts], self.cache)
        vectors, pos = {}, 0
        for cid, ts in texts.items():
            vectors[cid] = flat[pos : pos + len(ts)]
            pos += len(ts)
        prior = {cid: scores.score[:, j] for j, cid in enumerate(scores.code_ids)}
        self.classifier_: DecisionClassifier = DecisionClassifier(
            min_positives=self.min_positives, min_negatives=self.min_negatives,
            prior_weight=self.prior_weight, random_state=self.random_state,
        ).fit(X, [s.id for s in segments], labels, code_vectors=vectors,
              codes=[c.id for c in codebook.codes], prevalence=prevalence, prior_scores=prior)
        self.fitted_on_ = {"segments": len(segments), "labels": int(len(labels)),
                           "codes": list(self.classifier_.codes_)}
        return self

    def needs(self) -> dict[str, int]:
        """Per code, how many more decisions it needs (0: trained); empty before ``fit``."""
        if "classifier_" not in self.__dict__:
            return {}
        counts = self.classifier_.counts_
        return {str(r.code): int(r.needs) for r in counts.itertuples()}

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        also: Iterable[tuple[int, str]] = (),
    ) -> list[Suggestion]:
        """Suggestions of the trained codes for ``segments`` (nothing before ``fit``)."""
        if "classifier_" not in self.__dict__ or not self.classifier_.codes_:
            return []
        clf = self.classifier_
        by_id = {s.id: s for s in segments}
        text = {s.id: s.text for s in segments}
        found = clf.suggest()
        out: list[Suggestion] = []
        passed: set[tuple[int, str]] = set()
        for r in found.itertuples():
            seg = by_id.get(int(r.segment_id))
            if seg is None:
                continue
            passed.add((seg.id, str(r.code)))
            out.append(self._suggestion(seg, str(r.code), float(r.confidence), True, r.reason, text))
        proba = clf.predict_proba(clf.X_)
        row = {sid: i for i, sid in enumerate(clf.segment_ids_)}
        for seg_id, code in also:
            if code in clf.codes_ and (seg_id, code) not in passed and seg_id in by_id and seg_id in row:
                p = float(proba[row[seg_id], clf.codes_.index(code)])
                out.append(self._suggestion(by_id[seg_id], code, p, False, [], text))
        return out

    def _suggestion(self, seg: Segment, code: str, p: float, passed: bool,
                    reason: Any, text: Mapping[int, str]) -> Suggestion:
        clf = self.classifier_
        evidence: dict[str, Any] = {
            "score": round(p, 6), "threshold": 0.5, "spread": 0.1, "passed": passed,
            "expected_precision": _r(clf.expected_precision_.get(code, float("nan"))),
            "nearest": [{"segment_id": int(s), "similarity": float(sim), "text": text.get(int(s), "")}
                        for s, sim in reason],
        }
        if not passed:
            evidence["excluded_by"] = "classifier (trained on this project's decisions)"
        return Suggestion(seg.document_id, seg.start, seg.end, code, "classifier",
                          round(p, 6) if passed else 0.0, evidence, seg.id)

    def _semantic(self) -> Any:
        if "semantic_" not in self.__dict__:
            from thematic.suggest.semantic import SemanticEngine

            self.semantic_ = SemanticEngine(self.backend, cache=self.cache)
        return self.semantic_


def _r(value: float) -> float | None:
    import math

    return None if math.isnan(value) else round(value, 4)


def make_engine(options: EngineOptions) -> ClassifierEngine:
    """The registry's factory: the classifier on the run's backend and cache."""
    from thematic.suggest.registry import make_backend

    return ClassifierEngine(make_backend(options.backend, random_state=options.random_state),
                            random_state=options.random_state, cache=options.cache)


def render(evidence: Mapping[str, Any]) -> list[str]:
    """What a person reads of the classifier's evidence."""
    lines = [f"learned from decisions: probability {float(evidence.get('score', 0)):.2f}"]
    if evidence.get("expected_precision") is not None:
        lines.append(f"expected precision {float(evidence['expected_precision']):.2f} (cross-validated)")
    for near in evidence.get("nearest") or ():
        if isinstance(near, Mapping) and near.get("text"):
            lines.append(f"like \u201c{near['text']}\u201d ({float(near.get('similarity', 0)):.2f})")
    return lines
