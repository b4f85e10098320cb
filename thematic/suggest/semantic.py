"""Semantic engine: suggest codes whose definition and examples a segment resembles.

Texts embedded (with an :class:`~thematic.suggest.embeddings.EmbeddingBackend`, through the
embedding cache when one is given):

- per code, its *description* ``"<name>. <definition> <inclusion>"``; a definition that holds
  ``Use for:`` / ``Not for:`` text (as CSV codebooks often do) is split into definition,
  inclusion and exclusion first (:func:`split_description`);
- its positive examples (kind ``typical`` or ``atypical``), its ``near_miss`` examples and its
  exclusion text;
- every segment, and the *context* of every segment: for a sentence, its whole turn (the
  sentences of the same turn joined); for a turn, its sentences (split on end punctuation).

Raw score of a text ``s`` for code ``c`` (cosine similarities, vectors are unit length)::

    d   = cos(s, description)                      definition_score
    e   = max_j cos(s, positive example j)          closest_example_score (-inf without examples)
    pos = max(definition_weight * d, example_weight * e)
    ref = e if the code has positive examples else d
    n   = max_k cos(s, near-miss example k)         (-inf without near-misses)
    x   = cos(s, exclusion text)                    (-inf without exclusion)
    raw = pos - near_miss_weight * max(0, n - ref + near_miss_margin)
              - exclusion_weight * max(0, x - d)

Each view's raw scores are put on the code's own scale (robust z: minus the corpus median,
over ``1.4826 * MAD``) and blended::

    words = (1 - context) * z(segment) + lexical * zl(the codebook's words in the segment)
    blend = words + context * z(other view) + question * z(the interviewer's question it answers)
    score = blend + neighbours * (blend(previous) + blend(next)) / 2
            - competition * mean over codes of that

A backchannel ("Yeah.", "Um.", "Okay, sure.":
:func:`~thematic.suggest.interview_context.is_backchannel`) is never scored on its own words
(no ``z(segment)``, no ``zl``): it gets a code only through the question it answers and the
stretch of talk it sits in (its turn, its neighbours), as people code it. A remark about the
call ("Can you hear me?", "You're on mute": :func:`~thematic.suggest.interview_context.is_technical`)
is scored only through the question it answers.

The other view of a sentence is its turn and of a turn its best sentence: a turn gives a
sentence the topic it belongs to; a sentence gives a long turn (MiniLM reads only its first 256
word pieces) its sharpest point. The question is the segment's ``prompt`` (the interviewer's
last real question before its turn, :func:`~thematic.suggest.interview_context.attach_prompts`;
segments without one get 0): it carries the topic of a short answer. ``zl`` is the BM25 score
of the code's own words (name, definition, inclusion) standardised per code
(:mod:`thematic.suggest.lexical`). Neighbours are the previous and next segments of the same
document among those scored: people code stretches of talk. ``competition`` subtracts the
segment's mean score over all codes: a segment that resembles every code (long, on the
study's topic) is not a member of each.

With ``near_miss="veto"`` a segment closer to a near-miss example than to every positive
example (``n > ref``) is vetoed; with ``"penalty"`` only the penalty applies.

Which pairs pass (``threshold="calibrated"``, the default): the *evidence model*
(:class:`~thematic.suggest.calibration.EvidenceModel`) turns the evidence of a pair (the
blended score, the plain similarity, how far the segment prefers this code to its others, how
far the code's scores stand out over the project, the segment's length, whether it is a
backchannel...) into the probability that a person would code it, fitted across human-coded
corpora; a pair passes when that probability reaches the model's threshold, and the
probability is its confidence. How many segments a code gets therefore follows the evidence:
a code the data never talks about gets none (the engine abstains), a code it is full of gets
many. ``threshold="prior"`` is the earlier rule, a prevalence prior per code
(:func:`~thematic.suggest.calibration.prevalence_thresholds`, a quota); a float is one fixed
threshold on the blended score (robust z units) for every code, confidence
``sigmoid((score - threshold) / spread)``. Everything is deterministic for a given backend and
input.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from thematic.errors import ParameterError
from thematic.models import Codebook, Segment, Suggestion
from thematic.suggest.base import ParamsMixin, Progress, check_number
from thematic.suggest.calibration import Prior, robust_stats, tail_share
from thematic.suggest.code_texts import CodeTexts, code_texts, context_views
from thematic.suggest.semantic_decision import (
    calibrated_decision,
    set_shown,
    threshold_decision,
    wordless_codes,
)
from thematic.suggest.semantic_scores import (
    EvidenceInputs,
    ScoreParts,
    SemanticScores,
    blend_scores,
    code_report,
)
from thematic.suggest.similarity import SimilarityWeights, anchors, other_view, raw_scores, robust_z
from thematic.suggest.turn_vectors import TURN_VECTORS

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

    from thematic.suggest.calibration import Evidence
    from thematic.suggest.embeddings import EmbeddingBackend, EmbeddingCache
    from thematic.suggest.example_fit import ExampleModels

NEAR_MISS_MODES = ("veto", "penalty", "ignore")


class SemanticEngine(ParamsMixin):
    """Suggest codes by embedding similarity to definitions and examples.

    Parameters
    ----------
    backend : EmbeddingBackend or None, default=None
        ``None`` uses :func:`~thematic.suggest.embeddings.default_backend` on first use.
    threshold : "calibrated", "prior" or float, default="calibrated"
        "calibrated": the evidence model decides and its probability is the confidence;
        "prior": per-code thresholds from the prevalence prior (a quota per code); a float: one
        fixed threshold on the blended score (robust z units).
    evidence : Evidence or None, default=None
        The evidence models of ``threshold="calibrated"``; ``None``: the shipped ones for the
        backend (:func:`~thematic.suggest.shipped_evidence.default_evidence`).
    coverage, codes_per_segment : float, default=0.5, 1.2
        The prior: share of segments a coder codes, codes per coded segment.
    separation : float, default=0.0
        How strongly a code's upper-tail share moves its prevalence (0: prior alone).
    min_z : float, default=0.5
        A suggestion scores at least this many robust SDs above the code's background.
    context : float, default=0.5
        Weight of the other view (a sentence's turn; a turn's best sentence) in the score.
    question : float, default=0.5
        Weight of the similarity of the interviewer's question the segment answers
        (``Segment.prompt``).
    lexical : float, default=0.5
        Weight of the codebook's own words found in the segment (:mod:`~thematic.suggest.lexical`).
    neighbours : float, default=0.5
        Weight of the mean blended score of the previous and next segment.
    competition : float, default=1.0
        Share of the segment's mean score over all codes subtracted from each code's score:
        a segment that resembles every code (long, on the study's topic) is not a member of
        each.
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
    turn_vectors : {"embedded", "pooled", "in_context"}, default="embedded"
        How the turns of several known sentences (a sentence's turn when coding per sentence, a
        turn when coding per turn) and their sentences get their vectors: each encoded as a
        text of its own; the turn pooled from its sentences' vectors
        (:mod:`~thematic.suggest.turn_vectors`); or each turn read once with its sentences
        (:mod:`~thematic.suggest.in_context`, an encoder that pools token vectors; otherwise
        "embedded"). The last two encode no words twice.
    batch_size : int, default=64
        Texts per encoding batch.
    cache : EmbeddingCache or None, default=None
        Where to look up and store embeddings (not part of the results).

    Notes
    -----
    The defaults of ``coverage``, ``context``, ``question``, ``lexical``, ``neighbours`` and
    ``competition`` are the setting that scored best on average over six human-coded corpora
    (the sample gold with and without its rules and examples, PDPilot, AnnoMI, SERDIF, OS
    focus groups). The figures to quote are leave-one-corpus-out: each corpus scored with the
    setting chosen on the others (``benchmarks/bench_agreement.py``, section 1;
    ``benchmarks/results/agreement.md``).

    Examples
    --------
    >>> from thematic.suggest.embeddings import TfidfSvdBackend
    >>> engine = SemanticEngine(TfidfSvdBackend(), coverage=0.3)
    >>> engine.get_params()["coverage"]
    0.3
    """

    name = "semantic"

    def __init__(
        self,
        backend: EmbeddingBackend | None = None,
        threshold: str | float = "calibrated",
        *,
        evidence: Evidence | None = None,
        coverage: float = 0.5,
        codes_per_segment: float = 1.2,
        separation: float = 0.0,
        min_z: float = 0.5,
        context: float = 0.5,
        question: float = 0.5,
        lexical: float = 0.5,
        neighbours: float = 0.5,
        competition: float = 1.0,
        definition_weight: float = 1.0,
        example_weight: float = 1.0,
        near_miss: str = "veto",
        near_miss_weight: float = 1.0,
        near_miss_margin: float = 0.05,
        exclusion_weight: float = 0.5,
        turn_vectors: str = "embedded",
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
    ) -> None:
        self.backend = backend
        self.threshold = threshold
        self.evidence = evidence
        self.coverage = coverage
        self.codes_per_segment = codes_per_segment
        self.separation = separation
        self.min_z = min_z
        self.context = context
        self.question = question
        self.lexical = lexical
        self.neighbours = neighbours
        self.competition = competition
        self.definition_weight = definition_weight
        self.example_weight = example_weight
        self.near_miss = near_miss
        self.near_miss_weight = near_miss_weight
        self.near_miss_margin = near_miss_margin
        self.exclusion_weight = exclusion_weight
        self.turn_vectors = turn_vectors
        self.batch_size = batch_size
        self.cache = cache

    def get_params(self) -> dict[str, Any]:
        """Parameters; the cache is described by its class only (it does not change results),
        and ``turn_vectors_in_use`` says how the turns were read (:meth:`turn_vectors_in_use`)."""
        from dataclasses import asdict

        params = super().get_params()
        params["backend"] = _describe_backend(self._backend())
        params["evidence"] = asdict(self.evidence_model())
        params["turn_vectors_in_use"] = self.turn_vectors_in_use()
        return params

    def evidence_model(self) -> Evidence:
        """The evidence models ``threshold="calibrated"`` uses (the shipped ones for the backend,
        :func:`~thematic.suggest.shipped_evidence.default_evidence`, unless given)."""
        from thematic.suggest.shipped_evidence import default_evidence

        return self.evidence if self.evidence is not None else default_evidence(self._backend())

    def versions(self) -> dict[str, str]:
        """numpy and the backend's library and model versions."""
        import numpy as np

        return {"numpy": np.__version__, **self._backend().versions()}

    def prior(self) -> Prior:
        """The prevalence prior these parameters define."""
        return Prior(coverage=self.coverage, codes_per_segment=self.codes_per_segment,
                     strength=self.separation, min_z=self.min_z)

    def components(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        views: tuple[list[str], list[int], list[int]] | None = None,
    ) -> ScoreParts:
        """The standardised views the score blends (every view, whatever the weights).

        ``views`` overrides the other views of the segments (texts, view index, segment index as
        :func:`~thematic.suggest.code_texts.context_views` returns them): the turns that
        sentences make up take those sentences, already embedded, as their views.
        """
        import numpy as np

        from thematic.suggest.example_fit import example_fit
        from thematic.suggest.interview_context import is_backchannel, is_technical, neighbours
        from thematic.suggest.lexical import lexical_scores

        self._check_params()
        texts = [code_texts(c) for c in codebook.codes]
        seg_texts = [s.text for s in segments]
        view_texts, view_idx, seg_idx = views if views is not None else context_views(segments)
        prompts = [s.prompt for s in segments]
        prompt_texts = list(dict.fromkeys(p for p in prompts if p))
        seg_v, view_v, prompt_v, code_v = self.vectors(segments, codebook, view_texts,
                                                       view_pairs=(view_idx, seg_idx), progress=progress)
        m, k = len(view_texts), len(prompt_texts)
        weights = self.similarity_weights()
        raw = raw_scores(seg_v, code_v, texts, weights)
        own = robust_z(raw.score)
        other = (other_view(own, view_v, code_v, texts, view_idx, seg_idx, weights) if m
                 else own.copy())
        prompt = np.zeros_like(own)
        if k:
            prompt_z = robust_z(raw_scores(prompt_v, code_v, texts, weights).score)
            row = {p: i for i, p in enumerate(prompt_texts)}
            for i, p in enumerate(prompts):
                if p:
                    prompt[i] = prompt_z[row[p]]
        lexical = lexical_scores(seg_texts, [t.description for t in texts])
        prev, nxt = neighbours(segments)
        return ScoreParts(raw=raw, own=own, other=other, prompt=prompt,
                          lexical=lexical.standardised(), matched=lexical.matched,
                          previous=prev, next=nxt,
                          anchor=anchors(code_v, texts, self.definition_weight, self.example_weight),
                          backchannel=np.array([is_backchannel(t) for t in seg_texts], dtype=bool),
                          technical=np.array([is_technical(t) for t in seg_texts], dtype=bool),
                          words=np.array([len(t.split()) for t in seg_texts], dtype=np.int64),
                          example_fit=example_fit(self.example_models(code_v, texts), seg_v))

    def example_models(self, code_vectors: np.ndarray, texts: Sequence[CodeTexts]) -> ExampleModels:
        """The per-code models of the codebook's examples
        (:func:`~thematic.suggest.example_fit.fit_example_models`), fitted once per code texts
        and their vectors (a backend fitted on another project embeds them otherwise): the
        sentences and the turns they make up share them."""
        import hashlib

        import numpy as np

        from thematic.suggest.example_fit import fit_example_models

        digest = hashlib.sha256(np.ascontiguousarray(code_vectors, dtype=np.float64).tobytes())
        digest.update(repr([vars(t) for t in texts]).encode())
        key = digest.hexdigest()
        memo: dict[str, ExampleModels] = self.__dict__.setdefault("example_models_", {})
        if key not in memo:
            memo.clear()  # one codebook at a time
            memo[key] = fit_example_models(code_vectors, texts)
        return memo[key]

    def vectors(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        view_texts: Sequence[str],
        *,
        view_pairs: tuple[Sequence[int], Sequence[int]] = ((), ()),
        progress: Progress | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The vectors :meth:`components` scores, turns read as :meth:`turn_vectors_in_use`
        says (:func:`~thematic.suggest.scoring_vectors.scoring_vectors`)."""
        from thematic.suggest.scoring_vectors import scoring_vectors

        return scoring_vectors(self._backend(), segments, codebook, view_texts, view_pairs,
                               reading=self.turn_vectors_in_use(), cache=self.cache, progress=progress,
                               batch_size=self.batch_size)

    def segment_vectors(self, segments: Sequence[Segment], codebook: Codebook) -> np.ndarray:
        """The segments' own vectors as :meth:`components` reads them, through the cache: each
        text encoded alone, or as :meth:`turn_vectors_in_use` says (with "in_context" a
        sentence read within its turn). What the decision classifier learns on."""
        from thematic.suggest.code_texts import context_views
        from thematic.suggest.embeddings import embed_cached

        if self.turn_vectors_in_use() == "embedded":
            return embed_cached(self._backend(), [s.text for s in segments], self.cache,
                                batch_size=self.batch_size)
        view_texts, view_idx, seg_idx = context_views(segments)
        return self.vectors(segments, codebook, view_texts, view_pairs=(view_idx, seg_idx))[0]

    def turn_vectors_in_use(self) -> str:
        """``turn_vectors`` as the backend can read it
        (:func:`~thematic.suggest.scoring_vectors.turn_reading`)."""
        from thematic.suggest.scoring_vectors import turn_reading

        return turn_reading(self.turn_vectors, self._backend())

    def similarity_weights(self) -> SimilarityWeights:
        """The weights of the raw similarity score these parameters define."""
        return SimilarityWeights(
            definition_weight=self.definition_weight, example_weight=self.example_weight,
            near_miss=self.near_miss, near_miss_weight=self.near_miss_weight,
            near_miss_margin=self.near_miss_margin, exclusion_weight=self.exclusion_weight)

    def blend(self, parts: ScoreParts) -> np.ndarray:
        """The blended score of :meth:`components` under this engine's weights (module docstring)."""
        return blend_scores(parts, context=self.context, question=self.question,
                            lexical=self.lexical, neighbours=self.neighbours,
                            competition=self.competition)

    def score(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> SemanticScores:
        """Score every (segment, code) pair and decide which pass (see ``threshold``); within a
        suggestion run, once per input (:mod:`~thematic.suggest.shared_scores`)."""
        from thematic.suggest.learning_inputs import keep_scores, learning_scores
        from thematic.suggest.shared_scores import shared_scores

        scores = shared_scores(self, segments, codebook,
                               lambda: self._score(segments, codebook, progress=progress))
        if self.cache is not None and hasattr(self.cache, "put_arrays"):  # for the learned model of a later process
            keep_scores(self, segments, codebook, lambda: learning_scores(scores), self.cache)
        return scores

    def _score(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> SemanticScores:
        import numpy as np

        codes = list(codebook.codes)
        inputs = self.evidence_inputs(segments, codebook, progress=progress)
        parts, score = inputs.parts, inputs.score
        raw, anchors = parts.raw, parts.anchor
        is_group = np.array([bool(codebook.children(c.id)) for c in codes], dtype=bool)
        turn_probability = None
        if self.threshold == "calibrated":
            background, spread = robust_stats(score)
            probability, passed, threshold, turn_probability = calibrated_decision(
                self.evidence_model(), inputs, len(codes))
            prevalence = passed.mean(axis=0) if len(score) else np.zeros(len(codes))
        else:
            background, spread, prevalence, threshold, probability, passed = threshold_decision(
                score, is_group, self.threshold, self.prior())
        wordless = wordless_codes(self._backend(), [s.text for s in segments], codebook)
        if wordless is not None:
            passed = passed & ~wordless[None, :]
        out = SemanticScores(
            code_ids=[c.id for c in codes],
            score=score,
            raw=raw.score,
            definition=raw.definition,
            example=raw.example,
            example_index=raw.example_index,
            near_miss=raw.near_miss,
            near_miss_index=raw.near_miss_index,
            unpenalised=raw.unpenalised,
            vetoed=raw.vetoed,
            threshold=threshold,
            background=background,
            spread=spread,
            prevalence=prevalence,
            anchor=anchors,
            matched=parts.matched,
            probability=probability,
            passed=passed,
            backchannel=parts.backchannel,
            code_tail=tail_share(score),
            turn_probability=turn_probability,
            wordless=wordless,
        )
        if self.threshold == "calibrated":
            set_shown(self.evidence_model(), out)
        return out

    def evidence_inputs(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> EvidenceInputs:
        """The evidence of every (segment, code) pair the evidence models read; for sentences
        also the evidence of the turns they make up
        (:func:`~thematic.suggest.interview_context.sentence_turns`)."""
        import numpy as np

        from thematic.suggest.calibration import evidence_features
        from thematic.suggest.interview_context import sentence_turns

        is_group = np.array([bool(codebook.children(c.id)) for c in codebook.codes], dtype=bool)
        parts = self.components(segments, codebook, progress=progress)
        score = self.blend(parts)
        values = evidence_features(parts, score, is_group)
        turn_values = turn_of = turn_parts = turn_score = None
        if segments and all(s.kind == "sentence" for s in segments):
            turns, turn_of = sentence_turns(segments)
            sizes = np.bincount(turn_of, minlength=len(turns))
            several = [i for i in range(len(segments)) if sizes[turn_of[i]] > 1]
            turn_parts = self.components(turns, codebook, views=(
                [segments[i].text for i in several], list(range(len(several))),
                [int(turn_of[i]) for i in several]))
            turn_score = self.blend(turn_parts)
            turn_values = evidence_features(turn_parts, turn_score, is_group)
        return EvidenceInputs(parts, score, values, turn_values, turn_of, turn_parts, turn_score)

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
        from thematic.suggest.semantic_suggestions import suggestions_from_scores

        sc = self.score(segments, codebook, progress=progress)
        out, shown = suggestions_from_scores(
            sc, segments, codebook, source=self.name, calibrated=self.threshold == "calibrated",
            near_miss_margin=self.near_miss_margin, keep_vetoed=keep_vetoed, also=also)
        self.last_report_ = code_report(sc, shown, by_turn=self.threshold == "calibrated")
        return out

    def code_report(self) -> pd.DataFrame:
        """Per code, what the last :meth:`suggest` gave it and why
        (:func:`~thematic.suggest.semantic_scores.code_report`)."""
        import pandas as pd

        if not hasattr(self, "last_report_"):
            return pd.DataFrame(columns=["code", "suggested", "best", "stands_out", "why"])
        return self.last_report_

    def backend_in_use(self) -> EmbeddingBackend:
        """The embedding backend: the one given, or the default (chosen once, on first use)."""
        return self._backend()

    # ------------------------------------------------------------------ internals
    def _backend(self) -> EmbeddingBackend:
        if self.backend is not None:
            return self.backend
        if not hasattr(self, "backend_"):
            from thematic.suggest.embeddings import default_backend

            self.backend_ = default_backend()
        return self.backend_

    def _check_params(self) -> None:
        t = self.threshold
        if not (t in ("calibrated", "prior") or (isinstance(t, (int, float)) and not isinstance(t, bool))):
            raise ParameterError(
                f"threshold must be 'calibrated', 'prior' or a number (robust z units). Got {t!r} instead."
            )
        if self.turn_vectors not in TURN_VECTORS:
            raise ParameterError(
                f"turn_vectors must be one of {TURN_VECTORS}. Got {self.turn_vectors!r} instead."
            )
        if self.near_miss not in NEAR_MISS_MODES:
            raise ParameterError(
                f"near_miss must be one of {NEAR_MISS_MODES}. Got {self.near_miss!r} instead."
            )
        for name in ("definition_weight", "example_weight", "near_miss_weight", "exclusion_weight",
                     "separation", "min_z"):
            check_number(name, getattr(self, name), low=0.0)
        check_number("coverage", self.coverage, low=0.0, high=1.0)
        check_number("codes_per_segment", self.codes_per_segment, low=1.0)
        check_number("context", self.context, low=0.0, high=1.0)
        for name in ("question", "lexical", "neighbours"):
            check_number(name, getattr(self, name), low=0.0, high=5.0)
        check_number("competition", self.competition, low=0.0, high=1.0)
        check_number("near_miss_margin", self.near_miss_margin, low=0.0, high=1.0)
        check_number("batch_size", self.batch_size, low=1, integer=True)



def _describe_backend(backend: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"class": type(backend).__name__}
    if hasattr(backend, "get_params"):
        out["params"] = backend.get_params()
    return out

