"""Learning from decisions: the codebook's probabilities refined by people's decisions, per code.

Training data (:func:`~thematic.suggest.decision_labels.decision_labels`), per code:

- **positives**: accepted suggestions and codings made by hand (weight 1);
- **negatives**: rejected suggestions (weight 1), segments coded only with *other* codes
  (weight ``other_code_weight``: a person looked at them and chose something else), and
  uncoded segments of documents the reviewer finished (weight ``uncoded_weight``);
- **the codebook**: the code's description and examples are positives (weight
  ``codebook_weight``) and its near-miss examples negatives, from the very first fit: the
  first decisions refine the codebook instead of starting from nothing.

Model (:mod:`thematic.suggest.learned`): one logistic regression per code on the cached
sentence embeddings, *offset* by the codebook's calibrated log-odds
(:mod:`thematic.suggest.calibration`): ``p = sigmoid(logit(p_codebook) + x . w + b)``, all
codes fitted at once. Regularisation pulls ``w, b`` toward 0, so few decisions leave the
codebook's probabilities nearly as they are. With ``codebook_prior`` the learned change
is also *weighed* by the code's positive decisions ``n``:
``p = sigmoid(logit(p_codebook) + n / (n + codebook_prior) * (x . w + b))``. With a handful of
decisions a code's probabilities stay near the codebook's, and the cross-validation that decides
the switch judges the weighed model, the one the code would use.
With ``scale_penalty`` each code also learns a scale ``a`` on the codebook's log-odds, pulled
toward 1: ``logit(p_codebook)`` becomes ``a * logit(p_codebook)``, so a project's decisions can
say that the codebook's calibration (fitted on other studies) is too sure or too timid for a code.

Which model a code uses (:class:`CodeChoice`): a code *switches* from the codebook to the
learned model only when its own cross-validated estimate says the learned one is better.
The decided segments are split into folds by document (by segment when fewer than two
documents have decisions); each fold is predicted by a model fitted without it, and the
code's Cohen's kappa at the suggestion threshold is compared with the codebook's on the same
segments. A cross-validated estimate on a few dozen decisions is noisy, so with
``switch_confidence`` the learned model must also beat the codebook in that share of paired
bootstrap resamples of the decided segments (:func:`switch_support`): a code the decisions
only *seem* to help keeps the codebook. The code also needs ``min_positives`` positive and
``min_negatives`` negative decisions. Each choice keeps its reason, in words, for the run
report.

Suggestions of a learned code: the segments whose learned probability reaches ``threshold``
or, with ``per_code_threshold``, the code's own threshold (of :data:`THRESHOLD_CHOICES`, the
one of highest cross-validated kappa); with ``count="kappa"`` at most the number of segments
that maximises the code's expected kappa.
The reason of a suggestion is its nearest positive decisions (cosine similarity). The review
order (:meth:`DecisionClassifier.review_order`) puts first the pairs the model is least sure
of (probability nearest 0.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from thematic.suggest.base import ParamsMixin, check_number
from thematic.suggest.code_choice import (  # noqa: F401  (CodeChoice, THRESHOLD_CHOICES: public here too)
    CODEBOOK,
    LEARNED,
    THRESHOLD_CHOICES,
    CodeChoice,
    switch_reason,
    waiting_reason,
)
from thematic.suggest.cross_validation import cohen_kappa, folds, switch_support
from thematic.suggest.decision_labels import (  # noqa: F401  (public here too)
    ACCEPTED,
    LABEL_COLUMNS,
    REJECTED,
    decision_labels,
)
from thematic.suggest.training_rows import decision_counts, example_rows, label_matrix, review_queue

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from thematic.suggest.learned import LogisticFit

class DecisionClassifier(ParamsMixin):
    """The codebook's probabilities refined by decisions, per code (module docstring).

    Parameters
    ----------
    min_positives, min_negatives : int, default=3, 3
        Decisions a code needs before its learned model is considered.
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    scale_penalty : float, optional
        With a number, each code also learns how far to trust the codebook's log-odds (a scale
        on the offset, pulled toward 1 with this penalty, :func:`~thematic.suggest.learned.fit_offset_logistic`);
        ``None``: the codebook's log-odds enter as they are.
    codebook_weight : float, default=0.25
        Weight of the code's description and examples as positives (0: leave them out).
    threshold : float, default=0.3
        Probability a suggestion needs (the codebook's suggestion threshold).
    codebook_prior : float, default=0.0
        How many positive decisions the codebook counts as: a code's learned change to the
        codebook's log-odds is weighed ``n / (n + codebook_prior)``, ``n`` its positive decisions
        (0: not weighed). With 2, three decisions move a code 60% of the way, twenty 91%.
    per_code_threshold : bool, default=False
        Each code suggests from its own threshold: of :data:`THRESHOLD_CHOICES`, the one at
        which its learned model's cross-validated kappa is highest (the higher on a tie);
        ``threshold`` is then unused.
    switch_margin : float, default=0.0
        How much higher the learned model's cross-validated kappa must be to switch.
    min_documents : int, default=1
        Documents a code's decisions must come from before it may switch (with one document
        the folds are drawn by segment, and segments of one document resemble each other).
    switch_confidence : float, default=0.0
        Share of paired bootstrap resamples of the decided segments, drawn document by document
        (respondent by respondent in a survey), in which the learned model's kappa must beat the
        codebook's before the code switches (0: the cross-validated estimate alone decides).
    resamples : int, default=200
        Bootstrap resamples behind ``switch_confidence``.
    count : {"threshold", "kappa"}, default="threshold"
        Which segments a learned code suggests: those whose probability reaches ``threshold``,
        or, with "kappa", of those the number that maximises the code's expected kappa
        (:func:`~thematic.suggest.calibration.expected_kappa_counts`), as the codebook does.
    cv : int, default=5
        Most folds of the cross-validation.
    n_reasons : int, default=3
        Nearest positive decisions given as a suggestion's reason.
    max_iter : int, default=100
        L-BFGS iterations per fit.
    random_state : int, default=0
        Seed of the folds when they are drawn by segment.

    Attributes
    ----------
    codes_ : list of str
        Every code, in the order of the probability columns.
    choices_ : dict of str to CodeChoice
        Per code, its model and the reason.
    learned_ : list of str
        Codes that use the learned model.
    counts_ : DataFrame
        Per code: positives, negatives, ready, needs.
    proba_ : ndarray of shape (n_segments, n_codes)
        The learned model's probability of every fitted segment (its change to the codebook
        weighed, see ``codebook_prior``).
    weights_ : ndarray of shape (n_codes,)
        Per code, the weight of the learned change (1 without ``codebook_prior``).
    thresholds_ : ndarray of shape (n_codes,)
        Per code, the threshold its learned model suggests from.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 8)); X[:30, 0] += 3
    >>> X /= np.linalg.norm(X, axis=1, keepdims=True)
    >>> labels = pd.DataFrame({"segment_id": range(60), "code": "a", "label": [1] * 30 + [0] * 30,
    ...                        "weight": 1.0, "kind": "positive"})
    >>> p0 = np.full((60, 1), 0.2)  # a codebook that cannot tell
    >>> clf = DecisionClassifier(C=10).fit(X, list(range(60)), labels, codebook_probability=p0,
    ...                                    codes=["a"])
    >>> clf.choices_["a"].model, bool(clf.proba_[:30, 0].mean() > clf.proba_[30:, 0].mean())
    ('learned', True)
    """

    def __init__(
        self,
        *,
        min_positives: int = 3,
        min_negatives: int = 3,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name
        scale_penalty: float | None = None,
        codebook_weight: float = 0.25,
        codebook_prior: float = 0.0,
        threshold: float = 0.3,
        per_code_threshold: bool = False,
        switch_margin: float = 0.0,
        min_documents: int = 1,
        switch_confidence: float = 0.0,
        resamples: int = 200,
        count: str = "threshold",
        cv: int = 5,
        n_reasons: int = 3,
        max_iter: int = 100,
        random_state: int = 0,
    ) -> None:
        self.min_positives = min_positives
        self.min_negatives = min_negatives
        self.C = C
        self.scale_penalty = scale_penalty
        self.codebook_weight = codebook_weight
        self.codebook_prior = codebook_prior
        self.threshold = threshold
        self.per_code_threshold = per_code_threshold
        self.switch_margin = switch_margin
        self.min_documents = min_documents
        self.switch_confidence = switch_confidence
        self.resamples = resamples
        self.count = count
        self.cv = cv
        self.n_reasons = n_reasons
        self.max_iter = max_iter
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        embeddings: np.ndarray,
        segment_ids: Sequence[int],
        labels: pd.DataFrame,
        *,
        codebook_probability: np.ndarray,
        codes: Sequence[str],
        documents: Sequence[object] | None = None,
        code_vectors: Mapping[str, np.ndarray] | None = None,
        near_miss_vectors: Mapping[str, np.ndarray] | None = None,
        codebook_passed: np.ndarray | None = None,
    ) -> DecisionClassifier:
        """Fit the learned model and choose, per code, the model it uses.

        Parameters
        ----------
        embeddings : ndarray of shape (n_segments, dim)
            Unit-length segment vectors, row ``i`` for ``segment_ids[i]``.
        segment_ids : sequence of int
            The segment of each row.
        labels : DataFrame
            From :func:`decision_labels` (``segment_id``, ``code``, ``label``, ``weight``).
        codebook_probability : ndarray of shape (n_segments, n_codes)
            The codebook's calibrated probability of every segment and code (columns in
            ``codes`` order).
        codes : sequence of str
            The codes, in the order of the probability columns.
        documents : sequence, optional
            The cross-validation group of each row: its document, or a survey respondent
            (:func:`~thematic.suggest.cross_validation.cross_validation_groups`); folds never
            split a group.
        code_vectors, near_miss_vectors : mapping of str to ndarray, optional
            Per code, vectors of its description and examples (positives) and of its
            near-miss examples (negatives), shape ``(k, dim)``.
        codebook_passed : ndarray of shape (n_segments, n_codes), optional
            The pairs the codebook suggests (default: probability >= ``threshold``): what the
            learned model is compared with.

        Returns
        -------
        DecisionClassifier
            ``self``.
        """
        import numpy as np

        from thematic.suggest.learned import logit

        self._check_params()
        X = np.asarray(embeddings, dtype=np.float32)
        p0 = np.asarray(codebook_probability, dtype=float)
        codes = [str(c) for c in codes]
        if X.ndim != 2 or X.shape[0] != len(segment_ids) or p0.shape != (len(segment_ids), len(codes)):
            raise ValueError(
                f"embeddings must have shape (len(segment_ids), dim) and codebook_probability "
                f"(len(segment_ids), len(codes)). Got {X.shape} and {p0.shape} for "
                f"{len(segment_ids)} segment ids and {len(codes)} codes instead."
            )
        self.codes_ = codes
        self.X_ = X
        self.segment_ids_ = [int(s) for s in segment_ids]
        self.offset_ = logit(p0)
        self.codebook_proba_ = p0
        Y, Wt, rows = label_matrix(labels, self.segment_ids_, codes)
        docs = np.asarray(documents if documents is not None else self.segment_ids_)
        extra = example_rows(code_vectors, near_miss_vectors, p0, codes, dim=X.shape[1],
                             weight=self.codebook_weight)
        from threadpoolctl import threadpool_limits

        # one BLAS thread: on problems this size more threads only contend (1.0-8.0 s against
        # 0.1-0.3 s for 50-500 decisions with another job running, benchmarks/bench_learning.py)
        with threadpool_limits(limits=1):
            self.fit_ = self._fit(rows, Y, Wt, extra)
            self._logit = self.fit_.decision(X, self.offset_)
            oof = self._cross_validated(rows, Y, Wt, docs[rows], extra)
        said = (np.asarray(codebook_passed, dtype=bool) if codebook_passed is not None
                else p0 >= self.threshold)
        self.codebook_passed_ = said
        self._evidence = (Y, Wt, oof, said[rows], docs[rows], self.offset_[rows])
        self._fitted_minimums = (self.min_positives, self.min_negatives)
        self._positives = {c: rows[(Y[:, j] == 1) & (Wt[:, j] > 0)] for j, c in enumerate(codes)}
        return self.choose()

    def choose(self) -> DecisionClassifier:
        """(Re)decide each code's model from the fitted cross-validation under the current
        ``codebook_prior``, ``threshold``, ``per_code_threshold``, ``count``, ``switch_margin``,
        ``min_documents`` and ``switch_confidence``, and ``min_positives`` and ``min_negatives``
        raised above their values at the fit (no refit: the folds fitted only the codes ready
        then); returns ``self``."""
        import numpy as np

        from thematic.suggest.learned import sigmoid

        self._check_params()
        if not hasattr(self, "_evidence"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("DecisionClassifier is not fitted yet; call fit(...) first.")
        fewest_positives, fewest_negatives = self._fitted_minimums
        if self.min_positives < fewest_positives or self.min_negatives < fewest_negatives:
            raise ValueError(
                f"min_positives and min_negatives can be raised after the fit, not lowered (fitted "
                f"with {fewest_positives} and {fewest_negatives}): call fit(...) again."
            )
        Y, Wt, oof, said, docs, offset = self._evidence
        self.weights_ = self._weights(Y, Wt)
        self.thresholds_ = np.full(len(self.codes_), float(self.threshold))
        self.proba_ = sigmoid(self.offset_ + self.weights_[None, :] * (self._logit - self.offset_))
        weighed = sigmoid(offset + self.weights_[None, :] * (oof - offset))  # nan stays nan
        self.choices_ = self._choose(Y, Wt, weighed, said, docs)
        self.learned_ = [c for c in self.codes_ if self.choices_[c].model == LEARNED]
        return self

    def _weights(self, Y: np.ndarray, W: np.ndarray) -> np.ndarray:
        """Per code, the weight of its learned change: ``n / (n + codebook_prior)``."""
        import numpy as np

        n = decision_counts(Y, W)[0].astype(float)
        if self.codebook_prior <= 0:
            return np.ones(len(self.codes_))
        return n / (n + self.codebook_prior)

    def _fit(self, rows: np.ndarray, Y: np.ndarray, W: np.ndarray,
             extra: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
             columns: np.ndarray | None = None) -> LogisticFit:
        """The learned model on ``rows`` (and the codebook's examples), of every code or of the
        codes in ``columns`` (each code's model is fitted apart from the others' in effect:
        the loss and the penalties add up code by code)."""
        import numpy as np

        from thematic.suggest.learned import fit_offset_logistic

        ex, ey, ew, eo = extra
        offset = self.offset_[rows]
        if columns is not None:
            Y, W, offset, ey, ew, eo = (a[:, columns] for a in (Y, W, offset, ey, ew, eo))
        return fit_offset_logistic(np.vstack([self.X_[rows], ex]), np.vstack([Y, ey]), np.vstack([W, ew]),
                                   np.vstack([offset, eo]), C=self.C,
                                   scale_penalty=self.scale_penalty, max_iter=self.max_iter)

    def _cross_validated(self, rows: np.ndarray, Y: np.ndarray, W: np.ndarray, docs: np.ndarray,
                         extra: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        """Out-of-fold learned log-odds of the labelled rows (nan: not estimated), of the codes
        with enough decisions to be considered (the others never read them)."""
        import numpy as np

        oof = np.full(Y.shape, np.nan)
        positives, negatives = decision_counts(Y, W)
        ready = np.nonzero((positives >= self.min_positives) & (negatives >= self.min_negatives))[0]
        if not len(ready):
            return oof
        for test in folds(docs, self.cv, self.random_state):
            train = np.setdiff1d(np.arange(len(rows)), test)
            if not len(train):
                continue
            fit = self._fit(rows[train], Y[train], W[train], extra, columns=ready)
            oof[np.ix_(test, ready)] = fit.decision(self.X_[rows[test]], self.offset_[rows[test]][:, ready])
        return oof

    def _choose(self, Y: np.ndarray, W: np.ndarray, oof: np.ndarray, said: np.ndarray,
                docs: np.ndarray) -> dict[str, CodeChoice]:
        import numpy as np

        out: dict[str, CodeChoice] = {}
        counts = []
        positives, negatives = decision_counts(Y, W)
        for j, code in enumerate(self.codes_):
            has = W[:, j] > 0
            n_pos, n_neg = int(positives[j]), int(negatives[j])
            n_docs = len(set(docs[has].tolist()))
            need = max(0, self.min_positives - n_pos) + max(0, self.min_negatives - n_neg)
            counts.append((code, n_pos, n_neg, need == 0, need))
            if need:
                out[code] = CodeChoice(code, CODEBOOK, waiting_reason(
                    n_pos, n_neg, min_positives=self.min_positives, min_negatives=self.min_negatives),
                    n_pos, n_neg, n_docs)
                continue
            ok = has & np.isfinite(oof[:, j])
            learned_says, k_learned, self.thresholds_[j] = self._cross_validated_kappa(oof[ok, j], Y[ok, j] == 1)
            k_codebook = cohen_kappa(said[ok, j], Y[ok, j] == 1)
            better = k_learned > k_codebook + self.switch_margin and n_docs >= self.min_documents
            support = float("nan")
            if better and self.switch_confidence > 0:
                support = switch_support(learned_says, said[ok, j], Y[ok, j] == 1, groups=docs[ok],
                                         resamples=self.resamples, seed=(self.random_state, j))
                better = support >= self.switch_confidence
            verdict = switch_reason(better, k_learned, k_codebook, support, int(ok.sum()), n_docs,
                                    min_documents=self.min_documents, resamples=self.resamples,
                                    switch_confidence=self.switch_confidence)
            if better and self.per_code_threshold:
                verdict += f", suggesting from probability {self.thresholds_[j]:.1f}"
            if better and self.codebook_prior > 0:
                verdict += (f"; with {n_pos} positive decision{'s' * (n_pos != 1)} it moves the "
                            f"codebook's log-odds {self.weights_[j]:.0%} of the way the decisions say")
            if better and self.fit_.scale is not None:  # the scale as weighed, as the code uses it
                scale = 1.0 + self.weights_[j] * (self.fit_.scale[j] - 1.0)
                verdict += f"; its decisions weigh the codebook's log-odds {scale:.2f} times"
            out[code] = CodeChoice(code, LEARNED if better else CODEBOOK, verdict, n_pos, n_neg,
                                   n_docs, k_learned, k_codebook)
        import pandas as pd

        self.counts_ = pd.DataFrame(counts, columns=["code", "positives", "negatives", "ready", "needs"])
        return out

    def _cross_validated_kappa(self, oof: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, float, float]:
        """What the learned model says of the decided segments out of fold, its kappa and the
        threshold (the highest kappa of :data:`THRESHOLD_CHOICES` with ``per_code_threshold``)."""
        choices = sorted(THRESHOLD_CHOICES, reverse=True) if self.per_code_threshold else [self.threshold]
        best: tuple[np.ndarray, float, float] | None = None
        for threshold in choices:
            says = self._passes(oof[:, None], threshold)[:, 0]
            kappa = cohen_kappa(says, truth)
            if best is None or kappa > best[1]:
                best = (says, kappa, float(threshold))
        assert best is not None
        return best

    # ------------------------------------------------------------------ use
    def needs(self, code: str) -> int:
        """How many more decisions ``code`` needs before its learned model is considered."""
        self._check_fitted()
        hit = self.counts_[self.counts_["code"] == code]
        if hit.empty:
            return self.min_positives + self.min_negatives
        return int(hit["needs"].iloc[0])

    def needs_message(self, code: str) -> str:
        """What ``code`` uses and why, or what it still needs, in words."""
        self._check_fitted()
        choice = self.choices_.get(code)
        return f"{code}: {choice.reason}" if choice else f"{code}: not in the codebook"

    def predict_proba(self, embeddings: np.ndarray | None = None) -> np.ndarray:
        """The learned probability of every code for the fitted segments, shape ``(n, n_codes)``.

        Only the fitted segments carry the codebook's offset; ``embeddings`` must be them.
        """
        self._check_fitted()
        return self.proba_

    def passes(self) -> np.ndarray:
        """The pairs the learned models suggest, shape ``(n_segments, n_codes)`` (every code's
        learned model, whether the code uses it or not): see ``count``."""
        self._check_fitted()
        return self._passes(self.proba_, self.thresholds_)

    def _passes(self, proba: np.ndarray, threshold: float | np.ndarray) -> np.ndarray:
        import numpy as np

        from thematic.suggest.calibration import expected_kappa_counts

        passed = proba >= np.asarray(threshold, dtype=float)
        if self.count == "kappa" and len(proba):
            k = expected_kappa_counts(proba)
            rank = np.argsort(np.argsort(-proba, axis=0, kind="stable"), axis=0, kind="stable")
            passed &= rank < k[None, :]
        return passed

    def probability(self) -> np.ndarray:
        """The probability each code's chosen model gives every fitted segment."""
        import numpy as np

        self._check_fitted()
        learned = np.array([c in self.learned_ for c in self.codes_], dtype=bool)
        return np.where(learned[None, :], self.proba_, self.codebook_proba_)

    def suggest(self, *, exclude: pd.DataFrame | None = None, passes: np.ndarray | None = None) -> pd.DataFrame:
        """Suggestions of the learned codes for the fitted segments (probability >= threshold;
        ``passes``: the pairs to suggest instead, :meth:`passes` moved by the caller).

        Returns
        -------
        DataFrame
            ``segment_id``, ``code``, ``confidence``, ``reason`` (a list of
            ``(segment_id, similarity)`` of the nearest positive decisions).
        """
        import numpy as np
        import pandas as pd

        self._check_fitted()
        passes = self.passes() if passes is None else passes
        done = set() if exclude is None else {
            (int(s), str(c)) for s, c in zip(exclude["segment_id"], exclude["code"], strict=True)}
        rows = []
        for code in self.learned_:
            j = self.codes_.index(code)
            pos = self._positives[code]
            keep = [int(i) for i in np.nonzero(passes[:, j])[0]
                    if (self.segment_ids_[i], code) not in done]
            sims = self.X_[keep] @ self.X_[pos].T if len(pos) and keep else np.zeros((len(keep), 0))
            for k, i in enumerate(keep):
                order = np.argsort(-sims[k])[: self.n_reasons]
                reason = [(self.segment_ids_[int(pos[o])], round(float(sims[k, o]), 4)) for o in order]
                rows.append((self.segment_ids_[i], code, round(float(self.proba_[i, j]), 6), reason))
        return pd.DataFrame(rows, columns=["segment_id", "code", "confidence", "reason"])

    def review_order(self, *, exclude: pd.DataFrame | None = None, limit: int | None = None) -> pd.DataFrame:
        """Undecided (segment, code) pairs, the least certain first.

        Returns
        -------
        DataFrame
            ``segment_id``, ``code``, ``probability``, ``uncertainty`` (``1 - 2 |p - 0.5|``),
            sorted by uncertainty (descending), then segment and code.
        """
        return review_queue(self.probability(), self.segment_ids_, self.codes_, exclude=exclude, limit=limit)

    # ------------------------------------------------------------------ internals
    def _check_params(self) -> None:
        check_number("min_positives", self.min_positives, low=1, integer=True)
        check_number("min_negatives", self.min_negatives, low=1, integer=True)
        check_number("C", self.C, low=1e-6)
        if self.scale_penalty is not None:
            check_number("scale_penalty", self.scale_penalty, low=1e-6)
        check_number("codebook_weight", self.codebook_weight, low=0.0)
        check_number("codebook_prior", self.codebook_prior, low=0.0)
        check_number("threshold", self.threshold, low=0.0, high=1.0)
        check_number("switch_margin", self.switch_margin, low=0.0, high=1.0)
        if not isinstance(self.per_code_threshold, bool):
            from thematic.errors import ParameterError

            raise ParameterError(f"per_code_threshold must be True or False. Got {self.per_code_threshold!r} instead.")
        check_number("min_documents", self.min_documents, low=1, integer=True)
        check_number("switch_confidence", self.switch_confidence, low=0.0, high=1.0)
        check_number("resamples", self.resamples, low=1, integer=True)
        if self.count not in ("threshold", "kappa"):
            from thematic.errors import ParameterError

            raise ParameterError(f"count must be 'threshold' or 'kappa'. Got {self.count!r} instead.")
        check_number("cv", self.cv, low=2, integer=True)
        check_number("n_reasons", self.n_reasons, low=0, integer=True)
        check_number("max_iter", self.max_iter, low=1, integer=True)
        check_number("random_state", self.random_state, low=0, integer=True)

    def is_fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return hasattr(self, "choices_")

    def _check_fitted(self) -> None:
        if not self.is_fitted():
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("DecisionClassifier is not fitted yet; call fit(...) first.")

