"""The classifier as a suggestion engine (registered as ``classifier``; a fittable scorer).

:class:`ClassifierEngine` scores the segments with the semantic engine (its calibrated
probabilities are the learned model's starting point), embeds them (through the project's
embedding cache) and fits a :class:`~thematic.suggest.classifier.DecisionClassifier` on the
labels the suggestion service builds from the project's decisions
(:mod:`thematic.services.learning`). Each code uses the learned model only when its
cross-validated estimate beats the codebook's (:class:`~thematic.suggest.classifier.CodeChoice`).

It suggests only for the codes that use the learned model. For those codes it also
*overrules* other engines: a pair another engine found (``also=``) that the classifier does not
pass comes back with ``evidence["excluded_by"]`` so that the combiner drops it; the people's
decisions on this project outrank the codebook's wording for such a code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.base import ParamsMixin, Progress

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from thematic.suggest.classifier import DecisionClassifier
    from thematic.suggest.learning_inputs import LearningInputs
    from thematic.suggest.semantic import SemanticEngine


class ClassifierEngine(ParamsMixin):
    """Suggest codes learned from decisions (see the module docstring).

    Parameters
    ----------
    backend : EmbeddingBackend or None, default=None
        As for :class:`~thematic.suggest.semantic.SemanticEngine`.
    min_positives, min_negatives, C, scale_penalty, codebook_weight, codebook_prior, switch_margin, threshold, per_code_threshold, count, min_documents, switch_confidence
        Of :class:`~thematic.suggest.classifier.DecisionClassifier`. The defaults (``C=10``,
        ``scale_penalty=10``, ``codebook_prior=3``, ``threshold=0.1``, ``count="kappa"``, ``switch_margin=0``,
        ``min_documents=2``, ``switch_confidence=0``, no ``per_code_threshold``) are the setting
        ``benchmarks/bench_learning.py`` chooses on every corpus (four seeds) with the
        default ``learn_on``; each corpus's figures there are scored with the setting chosen on
        the others. ``codebook_prior`` (a code's learned change to the codebook's log-odds
        weighed ``n / (n + 3)`` by its ``n`` positive decisions) keeps a code with a handful of
        decisions near the codebook; a threshold per code (``per_code_threshold``) helped when
        the learned model read the sentence alone, and no held-out family chooses it since it
        reads the turn and the question too.
        ``scale_penalty`` lets each code's decisions also say how far to trust the codebook's
        log-odds (a scale on them, pulled toward 1); every held-out family chose it (10 in five,
        1 in two); held out it moves the mean kappa by at most 0.003 (``learning.md``).
        ``switch_confidence`` (a code switches only when the learned model also beats the
        codebook in that share of resamples drawn document by document) also removes small
        losses at 10% but halves the gains at 30%, so it is off.
    random_state : int, default=0
        Seed of the cross-validation folds.
    cache : EmbeddingCache or None, default=None
        Where embeddings are looked up and stored.
    encoder : EmbeddingBackend or None, default=None
        An encoder fine-tuned on the project's decisions
        (:class:`~thematic.suggest.finetune.FineTunedBackend`): the learned model's features
        are its vectors instead of the frozen ones. Which codes use the learned model is still
        decided on the frozen vectors' cross-validation: the fine-tuned encoder saw every
        decision, so a cross-validation on its vectors would be optimistic.
    turn_vectors : str, default="embedded"
        How the codebook's scoring reads turns and their sentences
        (:class:`~thematic.suggest.semantic.SemanticEngine`); the learned model reads the
        segments' vectors the same way (:func:`~thematic.suggest.learning_features.learning_vectors`),
        so a run with "in_context" encodes no sentence twice.
    learn_on : {"segment_turn_and_question", "segment_and_turn", "segment"}, default="segment_turn_and_question"
        What the learned model reads of a segment (:mod:`~thematic.suggest.learning_features`):
        its vector beside its turn's and the question it answers, beside its turn's, or alone.
        ``benchmarks/bench_learning.py --learn-on`` chose "segment_turn_and_question" for every
        held-out family (sentence->turn kappa on the documents not reviewed, mean of 13 corpora,
        four seeds, at 30% reviewed: 0.286 alone, 0.298 with the turn, 0.309 with the turn and
        the question). With a fine-tuned ``encoder`` the suggestions read the fine-tuned
        vectors of the segments alone, as that encoder was measured
        (``benchmarks/results/finetune.md``); which codes switch is still decided on these.
    """

    name = "classifier"

    def __init__(
        self,
        backend: Any = None,
        *,
        min_positives: int = 3,
        min_negatives: int = 3,
        C: float = 10.0,  # noqa: N803 - scikit-learn's name
        scale_penalty: float | None = 10.0,
        codebook_weight: float = 0.25,
        codebook_prior: float = 3.0,
        switch_margin: float = 0.0,
        threshold: float = 0.1,
        per_code_threshold: bool = False,
        count: str = "kappa",
        min_documents: int = 2,
        switch_confidence: float = 0.0,
        random_state: int = 0,
        cache: Any = None,
        encoder: Any = None,
        turn_vectors: str = "embedded",
        learn_on: str = "segment_turn_and_question",
    ) -> None:
        self.backend = backend
        self.min_positives = min_positives
        self.min_negatives = min_negatives
        self.C = C
        self.scale_penalty = scale_penalty
        self.codebook_weight = codebook_weight
        self.codebook_prior = codebook_prior
        self.switch_margin = switch_margin
        self.threshold = threshold
        self.per_code_threshold = per_code_threshold
        self.count = count
        self.min_documents = min_documents
        self.switch_confidence = switch_confidence
        self.random_state = random_state
        self.cache = cache
        self.encoder = encoder
        self.turn_vectors = turn_vectors
        self.learn_on = learn_on

    def versions(self) -> dict[str, str]:
        """scikit-learn's, scipy's and the backend's versions."""
        import scipy
        import sklearn

        out = {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__,
               **self.semantic().versions()}
        if self.encoder is not None:
            out["finetuned"] = str(self.encoder.versions().get("finetuned", self.encoder.name))
        return out

    def fit(self, segments: Sequence[Segment], codebook: Codebook, labels: pd.DataFrame) -> ClassifierEngine:
        """Learn from ``labels`` (see :class:`~thematic.suggest.base.FittableEngine`); returns ``self``."""
        from thematic.suggest.learning_inputs import learning_inputs

        semantic = self.semantic()
        start = learning_inputs(semantic, segments, codebook, self.learn_on, cache=self.cache)
        frozen = self._classifier(semantic.backend_in_use(), segments, codebook, labels, start, start.vectors,
                                  learn_on=self.learn_on)
        self.classifier_: DecisionClassifier = frozen
        if self.encoder is not None:
            tuned = self._classifier(self.encoder, segments, codebook, labels, start)
            self.classifier_ = keep_choices(tuned, frozen)
        self.fitted_on_ = {"segments": len(segments), "labels": int(len(labels)),
                           "learned": list(self.classifier_.learned_)}
        return self

    def _classifier(self, backend: Any, segments: Sequence[Segment], codebook: Codebook,
                    labels: pd.DataFrame, start: LearningInputs, X: np.ndarray | None = None,  # noqa: N803
                    *, learn_on: str = "segment") -> DecisionClassifier:
        """A decision classifier fitted on ``backend``'s vectors of the segments (``X`` when
        given: what :func:`~thematic.suggest.learning_features.learning_vectors` reads)
        and of the code texts (read as ``learn_on`` reads a segment, which ``X`` must match),
        starting from the codebook's probabilities in ``start``."""
        import numpy as np

        from thematic.suggest.classifier import DecisionClassifier
        from thematic.suggest.code_texts import code_texts
        from thematic.suggest.cross_validation import cross_validation_groups
        from thematic.suggest.embeddings import embed_cached
        from thematic.suggest.learning_features import as_code_text

        if X is None:
            X = embed_cached(backend, [s.text for s in segments], self.cache)
        texts = {c.id: code_texts(c) for c in codebook.codes}
        positives = {cid: [t.description, *t.positives] for cid, t in texts.items()}
        negatives = {cid: list(t.near_misses) for cid, t in texts.items()}
        flat = [x for table in (positives, negatives) for ts in table.values() for x in ts]
        vecs = as_code_text(embed_cached(backend, flat, self.cache), learn_on) if flat else np.zeros((0, X.shape[1]))
        vectors: list[dict[str, Any]] = [{}, {}]
        pos = 0
        for k, table in enumerate((positives, negatives)):
            for cid, ts in table.items():
                vectors[k][cid] = vecs[pos : pos + len(ts)]
                pos += len(ts)
        return DecisionClassifier(
            min_positives=self.min_positives, min_negatives=self.min_negatives, C=self.C,
            scale_penalty=self.scale_penalty, codebook_weight=self.codebook_weight, codebook_prior=self.codebook_prior,
            switch_margin=self.switch_margin, threshold=self.threshold,
            per_code_threshold=self.per_code_threshold, count=self.count, min_documents=self.min_documents,
            switch_confidence=self.switch_confidence, random_state=self.random_state,
        ).fit(X, [s.id for s in segments], labels, codebook_probability=start.probability,
              codes=list(start.code_ids),
              documents=cross_validation_groups([s.document_id for s in segments], [s.speaker for s in segments]),
              code_vectors=vectors[0], near_miss_vectors=vectors[1],
              codebook_passed=start.passed)

    def is_fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return hasattr(self, "classifier_")

    def needs(self) -> dict[str, int]:
        """Per code, how many more decisions it needs (0: its learned model was considered)."""
        if not self.is_fitted():
            return {}
        return {str(r.code): int(r.needs) for r in self.classifier_.counts_.itertuples()}

    def code_report(self) -> pd.DataFrame:
        """Per code: the model it uses (codebook or learned) and why; empty before ``fit``."""
        import pandas as pd

        columns = ["code", "model", "why", "kappa_learned", "kappa_codebook"]
        if not self.is_fitted():
            return pd.DataFrame(columns=columns)
        return pd.DataFrame([(c.code, c.model, c.reason, c.kappa_learned, c.kappa_codebook)
                             for c in self.classifier_.choices_.values()], columns=columns)

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        also: Iterable[tuple[int, str]] = (),
    ) -> list[Suggestion]:
        """Suggestions of the codes that use the learned model (nothing before ``fit``)."""
        if not self.is_fitted() or not self.classifier_.learned_:
            return []
        clf = self.classifier_
        by_id = {s.id: s for s in segments}
        text = {s.id: s.text for s in segments}
        out: list[Suggestion] = []
        passed: set[tuple[int, str]] = set()
        for r in clf.suggest(passes=self._passes_off_fillers(by_id)).itertuples():
            seg = by_id.get(int(r.segment_id))
            if seg is None:
                continue
            passed.add((seg.id, str(r.code)))
            out.append(self._suggestion(seg, str(r.code), float(r.confidence), True, r.reason, text))
        row = {sid: i for i, sid in enumerate(clf.segment_ids_)}
        for seg_id, code in also:
            if code in clf.learned_ and (seg_id, code) not in passed and seg_id in by_id and seg_id in row:
                p = float(clf.proba_[row[seg_id], clf.codes_.index(code)])
                out.append(self._suggestion(by_id[seg_id], code, p, False, [], text))
        return out

    def _passes_off_fillers(self, by_id: Mapping[int, Segment]) -> np.ndarray:
        """The learned models' pairs, a turn's codes moved off its fillers as the codebook's are
        (:func:`~thematic.suggest.fillers.off_fillers`)."""
        from thematic.suggest.fillers import segments_off_fillers

        clf = self.classifier_
        passes = clf.passes()
        if not all(sid in by_id for sid in clf.segment_ids_):
            return passes
        return segments_off_fillers([by_id[sid] for sid in clf.segment_ids_], passes, clf.proba_)

    def _suggestion(self, seg: Segment, code: str, p: float, passed: bool,
                    reason: Any, text: Mapping[int, str]) -> Suggestion:
        clf = self.classifier_
        choice = clf.choices_[code]
        evidence: dict[str, Any] = {
            "score": round(p, 6), "threshold": float(clf.thresholds_[clf.codes_.index(code)]),
            "spread": 0.1, "passed": passed,
            "why": choice.reason,
            "nearest": [{"segment_id": int(s), "similarity": float(sim), "text": text.get(int(s), "")}
                        for s, sim in reason],
        }
        if not passed:
            evidence["excluded_by"] = "classifier (trained on this project's decisions)"
        return Suggestion(seg.document_id, seg.start, seg.end, code, "classifier",
                          round(p, 6) if passed else 0.0, evidence, seg.id)

    def semantic(self) -> SemanticEngine:
        """The semantic engine whose probabilities the learned model starts from."""
        if not hasattr(self, "semantic_"):
            from thematic.suggest.semantic import SemanticEngine

            self.semantic_ = SemanticEngine(self.backend, cache=self.cache, turn_vectors=self.turn_vectors)
        return self.semantic_


FINETUNED_WHY = ("; its suggestions come from the encoder fine-tuned on this project's decisions (the "
                 "choice was made on the frozen encoder: the fine-tuned one saw every decision)")


def keep_choices(tuned: DecisionClassifier, frozen: DecisionClassifier) -> DecisionClassifier:
    """``tuned`` (fitted on fine-tuned vectors) with each code's model (and threshold) chosen on the frozen
    vectors' cross-validation (``frozen``): an honest switch, since the fine-tuned encoder was
    trained on every decision the cross-validation would hold out."""
    from dataclasses import replace

    from thematic.suggest.classifier import LEARNED

    tuned.choices_ = {c: replace(ch, reason=ch.reason + FINETUNED_WHY) if ch.model == LEARNED else ch
                      for c, ch in frozen.choices_.items()}
    tuned.learned_ = list(frozen.learned_)
    tuned.thresholds_ = frozen.thresholds_.copy()  # with per_code_threshold, also chosen on the frozen vectors
    tuned.counts_ = frozen.counts_
    return tuned


def render(evidence: Mapping[str, Any]) -> list[str]:
    """What a person reads of the classifier's evidence."""
    lines = [f"learned from decisions: probability {float(evidence.get('score', 0)):.2f}"]
    if evidence.get("why"):
        lines.append(str(evidence["why"]))
    for near in evidence.get("nearest") or ():
        if isinstance(near, Mapping) and near.get("text"):
            lines.append(f"like \u201c{near['text']}\u201d ({float(near.get('similarity', 0)):.2f})")
    return lines
