"""Learning from decisions: one calibrated classifier per code on the cached sentence embeddings.

Training data (:func:`decision_labels`), per code:

- **positives**: accepted suggestions and codings made by hand (weight 1);
- **negatives**: rejected suggestions (weight 1), segments coded only with *other* codes
  (weight ``other_code_weight``: a person looked at them and chose something else), and,
  optionally, uncoded segments of documents the reviewer finished (weight ``uncoded_weight``);
- **the codebook**: the code's description and examples as extra positives (weight
  ``codebook_weight``), so that a handful of decisions refines the definition instead of
  replacing it.

Model: logistic regression on the unit-length embeddings (``C``; sample weights as above),
with probabilities calibrated by Platt scaling on cross-validated decision values (the
``cv`` folds also give each code's **expected precision**: the precision of the
cross-validated predictions at probability 0.5 on the decided segments). A code is *ready*
once it has ``min_positives`` positive and ``min_negatives`` negative decisions;
:meth:`DecisionClassifier.needs` says how many more it needs.

Which segments a code suggests: when the caller knows the code's *prevalence* in the
documents people finished (``fit(prevalence=...)``), the segments ranking in that share of
the project, ranked by the classifier's standardised log-odds plus ``prior_weight`` times the
semantic engine's standardised score (``fit(prior_scores=...)``): the decisions refine the
codebook's ranking, and people's own coverage replaces the prior of
:mod:`thematic.suggest.calibration`. Without a prevalence, the pairs with calibrated
probability >= 0.5. (Measured in ``benchmarks/bench_learning.py``: probability >= 0.5 trails
the semantic engine on interview themes, because decisions sampled from suggestions say
little about how common a code is; the prevalence rule with the semantic prior was chosen
on PDPilot and is reported on the other corpora.)

The reason of a suggestion is its nearest positive decisions (cosine similarity). The
review order (:meth:`DecisionClassifier.review_order`) puts first the pairs the model is
least sure of (probability nearest 0.5), a standard uncertainty-sampling queue.

SetFit was considered and not kept: it fine-tunes the sentence encoder per code (minutes on
two CPU cores for one code, against the 2-second retraining budget of issue 7), and on the
few dozen decisions of a review session logistic regression on frozen embeddings is the
stronger, stabler baseline in the few-shot literature. See ``benchmarks/bench_learning.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from thematic.suggest.base import ParamsMixin, check_number

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

ACCEPTED = frozenset({"accepted", "coded", "manual"})
REJECTED = frozenset({"rejected"})
LABEL_COLUMNS = ["segment_id", "code", "label", "weight", "kind"]


def decision_labels(
    decisions: pd.DataFrame,
    *,
    other_code_weight: float = 0.3,
    uncoded_weight: float = 0.0,
    uncoded_segments: Sequence[int] = (),
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Training labels from decisions on (segment, code) pairs.

    Parameters
    ----------
    decisions : DataFrame
        Columns ``segment_id``, ``code``, ``status``: ``accepted`` or ``coded`` (by hand) is a
        positive, ``rejected`` a negative; other statuses (``suggested``) are ignored.
    other_code_weight : float, default=0.3
        Weight of a negative for code ``c`` on a segment positive only for other codes.
    uncoded_weight : float, default=0.0
        Weight of a negative for every code on each of ``uncoded_segments``.
    uncoded_segments : sequence of int
        Segments a reviewer saw and left uncoded (e.g. of finished documents).
    codes : sequence of str, optional
        The codes to label; default: the codes in ``decisions``.

    Returns
    -------
    DataFrame
        Columns ``segment_id``, ``code``, ``label`` (1/0), ``weight``, ``kind``
        (``positive``, ``rejected``, ``other_code``, ``uncoded``); one row per
        (segment, code), an explicit decision winning over an inferred one and a positive
        over a rejection.
    """
    import pandas as pd

    missing = {"segment_id", "code", "status"} - set(decisions.columns)
    if missing:
        raise ValueError(
            f"decisions must have columns segment_id, code, status. Got {list(decisions.columns)} instead."
        )
    frame = decisions.dropna(subset=["segment_id"])
    codes = list(dict.fromkeys(codes if codes is not None else frame["code"]))
    pos = frame[frame["status"].isin(ACCEPTED)]
    neg = frame[frame["status"].isin(REJECTED)]
    rows: dict[tuple[int, str], tuple[int, float, str]] = {}
    positive_segments = {int(s) for s in pos["segment_id"]}
    for seg in positive_segments:
        for c in codes:
            if other_code_weight > 0:
                rows[(seg, c)] = (0, other_code_weight, "other_code")
    for seg in uncoded_segments:
        if uncoded_weight > 0 and int(seg) not in positive_segments:
            for c in codes:
                rows[(int(seg), c)] = (0, uncoded_weight, "uncoded")
    for r in neg.itertuples():
        rows[(int(r.segment_id), str(r.code))] = (0, 1.0, "rejected")
    for r in pos.itertuples():
        rows[(int(r.segment_id), str(r.code))] = (1, 1.0, "positive")
    out = pd.DataFrame(
        [(s, c, lab, w, k) for (s, c), (lab, w, k) in rows.items() if c in set(codes)],
        columns=LABEL_COLUMNS,
    )
    return out.sort_values(["code", "segment_id"], kind="stable").reset_index(drop=True)


class DecisionClassifier(ParamsMixin):
    """Per-code calibrated logistic regression on segment embeddings, trained on decisions.

    Parameters
    ----------
    min_positives, min_negatives : int, default=5, 5
        Explicit decisions a code needs before it is trained (hand codings and accepts count
        as positives, rejections and segments coded with other codes as negatives).
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression.
    codebook_weight : float, default=1.0
        Weight of the code's description and examples as extra positives (0: ignore them).
    cv : int, default=3
        Folds for Platt calibration and the expected precision (fewer when a class is small).
    n_reasons : int, default=3
        Nearest positive decisions given as a suggestion's reason.
    prior_weight : float, default=1.0
        Weight of the semantic engine's (standardised) score next to the classifier's
        (standardised) log-odds in the ranking, when ``prior_scores`` are given.
    random_state : int, default=0
        Seed of the cross-validation folds.

    Attributes
    ----------
    codes_ : list of str
        Codes with a trained model.
    counts_ : DataFrame
        Per code: positives, negatives, ready, needs.
    expected_precision_ : dict of str to float
        Cross-validated precision at probability 0.5 (nan when it predicted nothing).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 8)); X[:20, 0] += 3
    >>> labels = pd.DataFrame({"segment_id": range(40), "code": "a",
    ...                        "label": [1] * 20 + [0] * 20, "weight": 1.0, "kind": "positive"})
    >>> clf = DecisionClassifier(codebook_weight=0).fit(X, list(range(40)), labels)
    >>> clf.codes_, bool(clf.predict_proba(X)[:20, 0].mean() > 0.5)
    (['a'], True)
    """

    def __init__(
        self,
        *,
        min_positives: int = 5,
        min_negatives: int = 5,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name
        codebook_weight: float = 1.0,
        cv: int = 3,
        n_reasons: int = 3,
        prior_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.min_positives = min_positives
        self.min_negatives = min_negatives
        self.C = C
        self.codebook_weight = codebook_weight
        self.cv = cv
        self.n_reasons = n_reasons
        self.prior_weight = prior_weight
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        embeddings: np.ndarray,
        segment_ids: Sequence[int],
        labels: pd.DataFrame,
        *,
        code_vectors: Mapping[str, np.ndarray] | None = None,
        codes: Sequence[str] | None = None,
        prevalence: Mapping[str, float] | None = None,
        prior_scores: Mapping[str, np.ndarray] | None = None,
    ) -> DecisionClassifier:
        """Train one model per code that has enough decisions.

        Parameters
        ----------
        embeddings : ndarray of shape (n_segments, dim)
            Unit-length segment vectors, row ``i`` for ``segment_ids[i]``.
        segment_ids : sequence of int
            The segment of each row.
        labels : DataFrame
            From :func:`decision_labels` (columns ``segment_id``, ``code``, ``label``,
            ``weight``; ``kind`` optional).
        code_vectors : mapping of str to ndarray, optional
            Per code, vectors of its description and examples (shape ``(k, dim)``).
        codes : sequence of str, optional
            Codes to report in :attr:`counts_` even without decisions.
        prevalence : mapping of str to float, optional
            Per code, the share of segments people coded with it where they finished a
            document. With it, a code suggests the segments that rank in that share of the
            fitted segments (see the module docstring); without it, probability >= 0.5.
        prior_scores : mapping of str to ndarray, optional
            Per code, the semantic engine's score of every fitted segment (shape
            ``(n_segments,)``): blended with the classifier's log-odds for the ranking.

        Returns
        -------
        DecisionClassifier
            ``self``.
        """
        import numpy as np

        self._check_params()
        X = np.asarray(embeddings, dtype=np.float32)
        if X.ndim != 2 or X.shape[0] != len(segment_ids):
            raise ValueError(
                f"embeddings must have shape (len(segment_ids), dim). Got {X.shape} for "
                f"{len(segment_ids)} segment ids instead."
            )
        row = {int(s): i for i, s in enumerate(segment_ids)}
        known = labels[labels["segment_id"].astype(int).isin(row)]
        all_codes = list(dict.fromkeys([*(codes or []), *known["code"]]))
        self.models_: dict[str, dict[str, Any]] = {}
        self.expected_precision_: dict[str, float] = {}
        counts = []
        for code in all_codes:
            sub = known[known["code"] == code]
            n_pos = int((sub["label"] == 1).sum())
            n_neg = int((sub["label"] == 0).sum())
            need = max(0, self.min_positives - n_pos) + max(0, self.min_negatives - n_neg)
            counts.append((code, n_pos, n_neg, need == 0, need))
            if need:
                continue
            idx = np.array([row[int(s)] for s in sub["segment_id"]])
            extra = None if code_vectors is None else code_vectors.get(code)
            self.models_[code] = self._fit_code(X[idx], sub, extra)
            self.models_[code]["positives"] = idx[sub["label"].to_numpy() == 1]
            self.expected_precision_[code] = self.models_[code].pop("precision")
        self.X_ = X
        self.segment_ids_ = [int(s) for s in segment_ids]
        self.rank_, self.rank_threshold_ = self._ranking(prevalence, prior_scores)
        import pandas as pd

        self.counts_ = pd.DataFrame(counts, columns=["code", "positives", "negatives", "ready", "needs"])
        self.codes_ = list(self.models_)
        return self

    def _ranking(
        self, prevalence: Mapping[str, float] | None, prior: Mapping[str, np.ndarray] | None
    ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
        """Per trained code, the rank score of every fitted segment and its threshold."""
        import numpy as np

        ranks: dict[str, np.ndarray] = {}
        thresholds: dict[str, float] = {}
        if prevalence is None:
            return ranks, thresholds
        for code, m in self.models_.items():
            share = float(prevalence.get(code, np.nan))
            if not (0.0 < share < 1.0):
                continue
            log_odds = m["a"] * m["model"].decision_function(self.X_).astype(float) + m["b"]
            rank = _standard(log_odds)
            if prior is not None and code in prior and self.prior_weight > 0:
                rank = rank + self.prior_weight * _standard(np.asarray(prior[code], dtype=float))
            ranks[code] = rank
            thresholds[code] = float(np.quantile(rank, 1.0 - share))
        return ranks, thresholds

    def _fit_code(self, X: np.ndarray, sub: pd.DataFrame, extra: np.ndarray | None) -> dict[str, Any]:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        y = sub["label"].to_numpy(dtype=int)
        w = sub["weight"].to_numpy(dtype=float)
        if extra is not None and len(extra) and self.codebook_weight > 0:
            Xa = np.vstack([X, np.asarray(extra, dtype=np.float32)])
            ya = np.concatenate([y, np.ones(len(extra), dtype=int)])
            wa = np.concatenate([w, np.full(len(extra), self.codebook_weight)])
        else:
            Xa, ya, wa = X, y, w
        n_real = len(y)
        folds = min(self.cv, int(y.sum()), int((1 - y).sum()))
        margins = np.full(n_real, np.nan)
        if folds >= 2:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            for train, test in splitter.split(X, y):
                keep = np.concatenate([train, np.arange(n_real, len(ya))])
                lr = LogisticRegression(C=self.C, max_iter=200).fit(Xa[keep], ya[keep], sample_weight=wa[keep])
                margins[test] = lr.decision_function(X[test])
        model = LogisticRegression(C=self.C, max_iter=200).fit(Xa, ya, sample_weight=wa)
        a, b = _platt(margins, y, w) if folds >= 2 else (1.0, 0.0)
        precision = float("nan")
        if folds >= 2:
            p = _sigmoid(a * margins + b)
            predicted = p >= 0.5
            explicit = w >= 1.0
            hits = predicted & explicit
            if hits.any():
                precision = float((y[hits] == 1).mean())
        return {"model": model, "a": a, "b": b, "precision": precision}

    # ------------------------------------------------------------------ use
    def needs(self, code: str) -> int:
        """How many more decisions ``code`` needs before it is trained (0: ready).

        A code never seen in the decisions needs ``min_positives + min_negatives``.
        """
        self._check_fitted()
        hit = self.counts_[self.counts_["code"] == code]
        if hit.empty:
            return self.min_positives + self.min_negatives
        return int(hit["needs"].iloc[0])

    def needs_message(self, code: str) -> str:
        """What ``code`` still needs, in words."""
        self._check_fitted()
        hit = self.counts_[self.counts_["code"] == code]
        pos = int(hit["positives"].iloc[0]) if len(hit) else 0
        neg = int(hit["negatives"].iloc[0]) if len(hit) else 0
        if pos >= self.min_positives and neg >= self.min_negatives:
            return f"{code}: ready ({pos} positive, {neg} negative decisions)"
        parts = []
        if pos < self.min_positives:
            parts.append(f"{self.min_positives - pos} more accepted or hand-coded segments")
        if neg < self.min_negatives:
            parts.append(f"{self.min_negatives - neg} more rejected suggestions")
        return f"{code}: needs {' and '.join(parts)} (has {pos} positive, {neg} negative)"

    def predict_proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Calibrated probability of every trained code, shape ``(n, len(codes_))``."""
        import numpy as np

        self._check_fitted()
        X = np.asarray(embeddings, dtype=np.float32)
        out = np.zeros((len(X), len(self.codes_)))
        for j, code in enumerate(self.codes_):
            m = self.models_[code]
            out[:, j] = _sigmoid(m["a"] * m["model"].decision_function(X) + m["b"])
        return out

    def suggest(self, *, exclude: pd.DataFrame | None = None, threshold: float = 0.5) -> pd.DataFrame:
        """Suggestions for the fitted segments.

        A code fitted with a ``prevalence`` suggests the segments whose rank score reaches its
        rank threshold; other codes the pairs with probability >= ``threshold``.

        Parameters
        ----------
        exclude : DataFrame, optional
            ``segment_id``, ``code`` pairs already decided (left out).
        threshold : float, default=0.5
            Probability to pass.

        Returns
        -------
        DataFrame
            ``segment_id``, ``code``, ``confidence``, ``expected_precision``, ``reason``
            (a list of ``(segment_id, similarity)`` of the nearest positive decisions).
        """
        import numpy as np
        import pandas as pd

        proba = self.predict_proba(self.X_)
        done = set() if exclude is None else {(int(s), str(c)) for s, c in zip(exclude["segment_id"], exclude["code"], strict=True)}
        rows = []
        for j, code in enumerate(self.codes_):
            pos = self.models_[code]["positives"]
            if code in self.rank_:
                hits = np.nonzero(self.rank_[code] >= self.rank_threshold_[code])[0]
            else:
                hits = np.nonzero(proba[:, j] >= threshold)[0]
            keep = [int(i) for i in hits if (self.segment_ids_[i], code) not in done]
            if not keep:
                continue
            sims = self.X_[keep] @ self.X_[pos].T
            for k, i in enumerate(keep):
                order = np.argsort(-sims[k])[: self.n_reasons]
                reason = [(self.segment_ids_[int(pos[o])], round(float(sims[k, o]), 4)) for o in order]
                rows.append((self.segment_ids_[i], code, round(float(proba[i, j]), 6),
                             self.expected_precision_[code], reason))
        return pd.DataFrame(rows, columns=["segment_id", "code", "confidence", "expected_precision", "reason"])

    def review_order(self, *, exclude: pd.DataFrame | None = None, limit: int | None = None) -> pd.DataFrame:
        """Undecided (segment, code) pairs, the least certain first.

        Returns
        -------
        DataFrame
            ``segment_id``, ``code``, ``probability``, ``uncertainty`` (``1 - 2 |p - 0.5|``),
            sorted by uncertainty (descending), then segment and code.
        """
        import numpy as np
        import pandas as pd

        proba = self.predict_proba(self.X_)
        frame = pd.DataFrame({
            "segment_id": np.repeat(self.segment_ids_, len(self.codes_)),
            "code": np.tile(self.codes_, len(self.segment_ids_)),
            "probability": proba.ravel(),
        })
        if exclude is not None and len(exclude):
            done = pd.MultiIndex.from_arrays([exclude["segment_id"].astype(int), exclude["code"].astype(str)])
            frame = frame[~pd.MultiIndex.from_arrays([frame["segment_id"], frame["code"]]).isin(done)]
        frame = frame.assign(uncertainty=1.0 - 2.0 * (frame["probability"] - 0.5).abs())
        frame = frame.sort_values(["uncertainty", "segment_id", "code"], ascending=[False, True, True], kind="stable")
        return frame.head(limit).reset_index(drop=True) if limit else frame.reset_index(drop=True)

    # ------------------------------------------------------------------ internals
    def _check_params(self) -> None:
        check_number("min_positives", self.min_positives, low=1, integer=True)
        check_number("min_negatives", self.min_negatives, low=1, integer=True)
        check_number("C", self.C, low=1e-6)
        check_number("codebook_weight", self.codebook_weight, low=0.0)
        check_number("cv", self.cv, low=2, integer=True)
        check_number("n_reasons", self.n_reasons, low=0, integer=True)
        check_number("prior_weight", self.prior_weight, low=0.0)
        check_number("random_state", self.random_state, low=0, integer=True)

    def _check_fitted(self) -> None:
        if not hasattr(self, "counts_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("DecisionClassifier is not fitted yet; call fit(...) first.")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def _standard(x: np.ndarray) -> np.ndarray:
    """``(x - median) / (1.4826 * MAD)`` (or / SD when the MAD is 0)."""
    import numpy as np

    centre = np.median(x)
    spread = 1.4826 * float(np.median(np.abs(x - centre)))
    if spread <= 1e-12:
        spread = float(x.std()) or 1.0
    return (x - centre) / spread


def _platt(margins: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``p = sigmoid(a * margin + b)`` fitted on out-of-fold margins."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    ok = np.isfinite(margins)
    if ok.sum() < 4 or len(set(y[ok])) < 2:
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, max_iter=200).fit(margins[ok, None], y[ok], sample_weight=w[ok])
    a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
    if not (math.isfinite(a) and a > 0):
        return 1.0, 0.0
    return a, b
