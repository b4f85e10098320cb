"""Rule engine: a codebook's keyword, token-pattern and regex rules, compiled to spaCy matchers.

Compilation (once per codebook content hash, cached on the engine):

- ``keywords`` rules go to one :class:`spacy.matcher.PhraseMatcher` on ``LEMMA``; each phrase is
  run through the same pipeline so "waiting lists" and "waiting list" both become the lemmas
  ``wait list``. Without a lemmatizer the matcher falls back to ``LOWER``.
- ``pattern`` rules go to one :class:`spacy.matcher.Matcher` (a pattern or a list of patterns).
- ``regex`` rules are compiled by :mod:`thematic.regexes` (the ``regex`` module, case-insensitive)
  and run on the segment text with a time budget per segment (``regex_timeout``).

Every match id is the string ``"<code id>\\x1f<rule id>"`` so a match leads back to its rule.
Lemmas are compared in lower case: the lookup lemmatizer leaves capitalised words
("Listened" at the start of a sentence) unlemmatised, so the engine re-lemmatises those tokens
from their lower-case form before matching.

Scoring: for a (segment, code) pair, each distinct matched term ``t`` (the lower-case lemmas of
the matched span, per rule) of a positive rule with weight ``w`` contributes a probability
``p_t = min(max_term_confidence, match_weight * w)``; the confidence is the noisy-OR
``1 - prod_t (1 - p_t)``. It grows with every distinct term and with rule weights, and repeated
occurrences of one term do not inflate it. A match of an ``exclude`` rule vetoes the pair.
Rules with ``roles`` only apply to segments whose speaker role is listed.

Confidence shown: that noisy-OR is a score, not a probability (three matched terms of weight 1
give 0.94 whether or not a person would code the segment), so the engine shows it through a
monotone :class:`~thematic.suggest.calibrators.Calibrator` fitted across corpora
(:data:`thematic.suggest.shipped_confidence.RULE_CALIBRATION`, chosen by
``benchmarks/bench_confidence.py``), never above 0.99
(:data:`~thematic.suggest.calibrators.RULE_CEILING`), and keeps the noisy-OR in
``evidence["raw_confidence"]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from thematic.codebook.checks import check_rule
from thematic.errors import CodebookError, Problem
from thematic.models import Codebook, Rule, Segment, Suggestion
from thematic.regexes import MATCH_TIMEOUT, RegexTimeout, compile_rule
from thematic.regexes import finditer as regex_finditer
from thematic.suggest.base import ParamsMixin, Progress, check_number, codebook_key, report
from thematic.suggest.calibrators import RULE_CEILING, Calibrator, calibrator_from

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

RULE_KINDS = ("keywords", "pattern", "regex")
_SEP = "\x1f"


class RegexTimeoutWarning(UserWarning):
    """A codebook regex ran out of time on a segment and was skipped for the run."""
_CACHE_SIZE = 8


@dataclass
class CompiledCodebook:
    """A codebook's rules compiled for one pipeline (internal; exposed for benchmarks)."""

    key: str
    attr: str
    phrase_matcher: Any
    matcher: Any | None
    regexes: list[tuple[str, Rule, Any]]
    rules: dict[int, tuple[str, Rule]] = field(default_factory=dict)
    code_order: dict[str, int] = field(default_factory=dict)
    rule_order: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass
class _Hits:
    rules: list[tuple[str, Rule]] = field(default_factory=list)
    matched: list[dict[str, Any]] = field(default_factory=list)
    terms: dict[tuple[str, tuple[Any, ...]], float] = field(default_factory=dict)
    excluded_by: list[str] = field(default_factory=list)


class RuleEngine(ParamsMixin):
    """Suggest codes whose codebook rules match a segment.

    Parameters
    ----------
    nlp : Language or None, default=None
        The spaCy pipeline; ``None`` uses :func:`thematic.nlp.load_nlp` on first use.
    batch_size : int, default=256
        Texts per ``nlp.pipe`` batch.
    match_weight : float, default=0.6
        Confidence one distinct matched term of a weight-1 rule gives (see module docstring).
    max_term_confidence : float, default=0.95
        Upper bound of one term's contribution, so heavy weights never give certainty.
    regex_timeout : float, default=0.25
        Seconds one regex rule may spend on one segment; a rule past it is skipped for the
        rest of the run, listed in ``timed_out_`` (``(code id, rule id) -> message``) and
        reported with a :class:`RegexTimeoutWarning`.
    calibration : Calibrator, dict or None, default=None
        Maps the noisy-OR to the confidence shown (a dict: the calibrator's fields, as
        :meth:`get_params` records them); ``None``: the shipped one
        (:data:`~thematic.suggest.shipped_confidence.RULE_CALIBRATION`), ``Calibrator()``:
        the noisy-OR itself.

    Examples
    --------
    >>> from thematic.models import Code, Codebook, Rule, Segment
    >>> book = Codebook([Code("wait", "Waiting", rules=(Rule("r1", "keywords", ["wait"]),))])
    >>> seg = Segment(1, 1, 1, "sentence", 0, 24, "We waited for six weeks.")
    >>> [s.code_id for s in RuleEngine().suggest([seg], book)]
    ['wait']
    """

    name = "rule"

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        batch_size: int = 256,
        match_weight: float = 0.6,
        max_term_confidence: float = 0.95,
        regex_timeout: float = MATCH_TIMEOUT,
        calibration: Calibrator | Mapping[str, Any] | None = None,
    ) -> None:
        self.nlp = nlp
        self.batch_size = batch_size
        self.match_weight = match_weight
        self.max_term_confidence = max_term_confidence
        self.regex_timeout = regex_timeout
        self.calibration = calibration

    def get_params(self) -> dict[str, Any]:
        """The parameters, with the calibration the shown confidence goes through."""
        from dataclasses import asdict

        params = super().get_params()
        params["calibration"] = asdict(self.calibrator())
        return params

    def calibrator(self) -> Calibrator:
        """The calibration of the shown confidence (the shipped one unless given)."""
        from thematic.suggest.shipped_confidence import RULE_CALIBRATION

        if self.calibration is None:
            return RULE_CALIBRATION
        if isinstance(self.calibration, Calibrator):
            return self.calibration
        return calibrator_from(self.calibration)

    # ------------------------------------------------------------------ public API
    def versions(self) -> dict[str, str]:
        """spaCy and pipeline versions."""
        from thematic.nlp import pipeline_info

        return pipeline_info(self._nlp())

    def compile(self, codebook: Codebook) -> CompiledCodebook:
        """Compile (or fetch from the cache) the matchers for ``codebook``.

        Raises
        ------
        CodebookError
            Listing every rule that cannot be compiled, with its code id.
        """
        self._check_params()
        cache: dict[str, CompiledCodebook] = self.__dict__.setdefault("compiled_", {})
        key = f"{codebook_key(codebook)}@{id(self._nlp())}"
        if key not in cache:
            if len(cache) >= _CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[key] = self._compile(codebook, key)
        return cache[key]

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        keep_vetoed: bool = False,
    ) -> list[Suggestion]:
        """Suggest codes for ``segments``: one suggestion per matching (segment, code).

        Parameters
        ----------
        segments
            The segments to code.
        codebook
            The codebook whose rules apply.
        progress
            ``progress("rules", done, total)`` after each batch.
        keep_vetoed
            Also return pairs vetoed by an exclusion rule, with confidence 0 and
            ``evidence["excluded_by"]`` set (the combiner uses them to veto other engines).

        Returns
        -------
        list of Suggestion
            In segment order, then codebook order.
        """
        compiled = self.compile(codebook)
        if not compiled.rules:  # nothing can match: no segment needs reading
            self.timed_out_: dict[tuple[str, str], str] = {}
            report(progress, len(segments), len(segments), stage="rules")
            return []
        nlp = self._nlp()
        pairs = ((seg.text, i) for i, seg in enumerate(segments))
        longest = max((len(seg.text) for seg in segments), default=0)
        limit = nlp.max_length
        # a turn longer than spaCy's max_length (1,000,000 characters) would stop the run with
        # E088; the limit guards the memory of parsers and NER, which rule matching does not
        # need, so it is raised for this run only, and only for pipelines without them
        if longest >= limit and not {"parser", "ner"} & set(nlp.pipe_names):
            nlp.max_length = longest + 1
        try:
            docs = (doc for doc, _ in nlp.pipe(pairs, batch_size=self.batch_size, as_tuples=True))
            return self.suggest_docs(
                docs, segments, codebook, progress=progress, keep_vetoed=keep_vetoed, _compiled=compiled
            )
        finally:
            nlp.max_length = limit

    def suggest_docs(
        self,
        docs: Iterable[Doc],
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
        keep_vetoed: bool = False,
        _compiled: CompiledCodebook | None = None,
    ) -> list[Suggestion]:
        """Like :meth:`suggest` on docs already made by the engine's pipeline, one per segment."""
        compiled = _compiled or self.compile(codebook)
        self.timed_out_ = {}
        fix_lemmas = _lemma_fixer(self._nlp()) if compiled.attr == "LEMMA" else None
        total = len(segments)
        out: list[Suggestion] = []
        done = 0
        for doc, seg in zip(docs, segments, strict=True):
            if fix_lemmas is not None:
                fix_lemmas(doc)
            hits = self._match(compiled, doc, seg)
            if hits:
                out.extend(self._suggestions(compiled, seg, hits, keep_vetoed))
            done += 1
            if progress is not None and (done % self.batch_size == 0 or done == total):
                report(progress, done, total, stage="rules")
        if total == 0:
            report(progress, 0, 0)
        return out

    def confidence(self, term_weights: Iterable[float]) -> float:
        """The noisy-OR of distinct matched terms with the given rule weights (before the
        calibration: :meth:`shown_confidence`)."""
        miss = 1.0
        for w in term_weights:
            miss *= 1.0 - min(self.max_term_confidence, max(0.0, self.match_weight * w))
        return 1.0 - miss

    def shown_confidence(self, raw: float) -> float:
        """The confidence shown for a noisy-OR ``raw``: calibrated, at most
        :data:`~thematic.suggest.calibrators.RULE_CEILING`, rounded to 6 places (memoised: a codebook's rule weights give few distinct values)."""
        import numpy as np

        calibrator = self.calibrator()
        memo: dict[tuple[Calibrator, float], float] = self.__dict__.setdefault("shown_memo_", {})
        key = (calibrator, raw)
        if key not in memo:
            if len(memo) > 4096:
                memo.clear()
            memo[key] = round(min(RULE_CEILING, float(calibrator.apply(np.array([raw]))[0])), 6)
        return memo[key]

    # ------------------------------------------------------------------ internals
    def _nlp(self) -> Language:
        if self.nlp is not None:
            return self.nlp
        from thematic.nlp import load_nlp

        return load_nlp()

    def _check_params(self) -> None:
        check_number("batch_size", self.batch_size, low=1, integer=True)
        check_number("match_weight", self.match_weight, low=0.0, high=1.0)
        check_number("max_term_confidence", self.max_term_confidence, low=0.0, high=1.0)
        check_number("regex_timeout", self.regex_timeout, low=0.001)

    def _compile(self, codebook: Codebook, key: str) -> CompiledCodebook:
        nlp = self._nlp()
        from spacy.matcher import Matcher, PhraseMatcher

        attr = "LEMMA" if _has_lemmatizer(nlp) else "LOWER"
        phrase_matcher = PhraseMatcher(nlp.vocab, attr=attr)
        matcher = Matcher(nlp.vocab)
        compiled = CompiledCodebook(key, attr, phrase_matcher, None, [])
        problems: list[Problem] = []
        phrases: list[tuple[str, str]] = []  # (match key, phrase)
        n_patterns = 0
        for ci, code in enumerate(codebook.codes):
            compiled.code_order[code.id] = ci
            for ri, rule in enumerate(code.rules):
                compiled.rule_order[(code.id, rule.id)] = ri
                mkey = f"{code.id}{_SEP}{rule.id}"
                compiled.rules[nlp.vocab.strings.add(mkey)] = (code.id, rule)
                errors = [(m, h) for m, h, severity in check_rule(rule) if severity == "error"]
                if errors:  # the codebook's own check (thematic.codebook.checks) says why
                    problems += [Problem(f"rule '{rule.id}': {m}", code_id=code.id, hint=h)
                                 for m, h in errors]
                    continue
                if rule.kind == "keywords":
                    values = [rule.value] if isinstance(rule.value, str) else list(rule.value)
                    phrases.extend((mkey, v.strip()) for v in values)
                elif rule.kind == "pattern":
                    value = rule.value
                    matcher.add(mkey, [value] if value and isinstance(value[0], dict) else list(value))
                    n_patterns += 1
                else:  # regex
                    compiled.regexes.append((code.id, rule, compile_rule(rule.value)))
        if problems:
            raise CodebookError(
                f"{len(problems)} rule(s) of codebook '{codebook.name}' cannot be compiled",
                problems=problems,
                hint="Fix the rules listed and run again.",
            )
        if phrases:
            texts = [p for _, p in phrases]
            if attr == "LEMMA":
                fix = _lemma_fixer(nlp)
                pattern_docs = list(nlp.pipe(texts))
                for d in pattern_docs:
                    fix(d)
            else:
                pattern_docs = [nlp.make_doc(t) for t in texts]
            by_key: dict[str, list[Any]] = {}
            for (mkey, _), d in zip(phrases, pattern_docs, strict=True):
                by_key.setdefault(mkey, []).append(d)
            for mkey, docs in by_key.items():
                phrase_matcher.add(mkey, docs)
        compiled.matcher = matcher if n_patterns else None
        return compiled

    def _match(self, compiled: CompiledCodebook, doc: Doc, seg: Segment) -> dict[str, _Hits]:
        from spacy.attrs import IDX, LEMMA, LENGTH

        found: dict[str, _Hits] = {}
        spans = compiled.phrase_matcher(doc)
        if compiled.matcher is not None:
            spans = list(spans) + list(compiled.matcher(doc))
        if spans:
            # one array per doc instead of Span/Token objects per match
            idx, length, lemma = doc.to_array([IDX, LENGTH, LEMMA]).T.tolist()
            rules = compiled.rules
            for match_id, start, end in spans:
                code_id, rule = rules[match_id]
                if rule.roles is not None and seg.role not in rule.roles:
                    continue
                last = end - 1
                term = tuple(lemma[start:end])  # lemma hashes: the distinct matched term
                _add(found, code_id, rule, seg, idx[start], idx[last] + length[last], term)
        for code_id, rule, rx in compiled.regexes:
            if rule.roles is not None and seg.role not in rule.roles:
                continue
            if (code_id, rule.id) in self.__dict__.get("timed_out_", {}):
                continue
            hits: list[tuple[int, int, str]] = []
            try:
                for m in regex_finditer(rx, seg.text, timeout=self.regex_timeout):
                    if m.end() > m.start():
                        hits.append((m.start(), m.end(), m.group(0).lower()))
            except RegexTimeout:
                self._timed_out(code_id, rule, seg)
                continue
            for hit_start, hit_end, matched in hits:
                _add(found, code_id, rule, seg, hit_start, hit_end, (matched,))
        return found

    def _timed_out(self, code_id: str, rule: Rule, seg: Segment) -> None:
        """Drop a rule whose regex ran out of time for the rest of the run, and say so."""
        timed_out = self.__dict__.setdefault("timed_out_", {})
        message = (
            f"code '{code_id}' rule '{rule.id}': regex {rule.value!r} took more than "
            f"{self.regex_timeout:g} s on segment {seg.id}; the rule was skipped for the rest "
            "of this run. Rewrite it without nested repeats (validating the codebook shows "
            "where)."
        )
        timed_out[(code_id, rule.id)] = message
        warnings.warn(message, RegexTimeoutWarning, stacklevel=4)

    def _suggestions(
        self, compiled: CompiledCodebook, seg: Segment, hits: dict[str, _Hits], keep_vetoed: bool
    ) -> list[Suggestion]:
        out: list[Suggestion] = []
        for code_id in sorted(hits, key=compiled.code_order.__getitem__):
            h = hits[code_id]
            if h.excluded_by and not keep_vetoed:
                continue
            if not h.rules and not h.excluded_by:
                continue
            order = compiled.rule_order
            rules = sorted({r.id for _, r in h.rules}, key=lambda r: order[(code_id, r)])
            excluded = sorted(set(h.excluded_by), key=lambda r: order[(code_id, r)])
            raw = 0.0 if excluded else self.confidence(h.terms.values())
            conf = 0.0 if excluded else self.shown_confidence(raw)
            matched = sorted(h.matched, key=lambda m: (m["start"], m["end"], m["rule"]))
            evidence = {"rules": rules, "matched": matched, "excluded_by": excluded,
                        "raw_confidence": round(raw, 6)}
            out.append(
                Suggestion(
                    document_id=seg.document_id,
                    start=seg.start,
                    end=seg.end,
                    code_id=code_id,
                    source=self.name,
                    confidence=conf,
                    evidence=evidence,
                    segment_id=seg.id,
                )
            )
        return out


def _add(
    found: dict[str, _Hits],
    code_id: str,
    rule: Rule,
    seg: Segment,
    start_char: int,
    end_char: int,
    term: tuple[Any, ...],
) -> None:
    h = found.setdefault(code_id, _Hits())
    if rule.exclude:
        h.excluded_by.append(rule.id)
    else:
        h.rules.append((code_id, rule))
        h.terms[(rule.id, term)] = float(rule.weight)
    h.matched.append(
        {
            "text": seg.text[start_char:end_char],
            "start": seg.start + start_char,
            "end": seg.start + end_char,
            "rule": rule.id,
        }
    )


def _has_lemmatizer(nlp: Language) -> bool:
    return any(name in nlp.pipe_names for name in ("lemmatizer", "trainable_lemmatizer"))


def _lemma_fixer(nlp: Language) -> Any:
    """A function lower-casing a doc's lemmas in place, re-lemmatising capitalised words.

    The lookup table is keyed by lower-case forms, so "Listened" keeps lemma "Listened"; this
    looks up "listened" instead. Only tokens with upper-case letters are considered, the new
    lemmas are memoised by hash and written back with one ``Doc.from_array`` call.
    """
    import numpy as np
    from spacy.attrs import LEMMA, LOWER, ORTH

    table = None
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "lookup":
            table = lemmatizer.lookups.get_table("lemma_lookup", None)  # type: ignore[attr-defined]
    strings = nlp.vocab.strings
    memo: dict[tuple[int, int, int], int] = {}

    def new_lemma(orth: int, lower: int, lemma: int) -> int:
        key = (orth, lower, lemma)
        if key not in memo:
            lemma_text = strings[lemma] if lemma else ""
            if table is not None and lemma in (orth, 0):
                low = strings[lower]
                text = table.get(low, low)
            else:
                text = (lemma_text or strings[lower]).lower()
            memo[key] = strings.add(text)
        return memo[key]

    def fix(doc: Doc) -> None:
        if not len(doc):
            return
        arr = doc.to_array([ORTH, LOWER, LEMMA])
        todo = np.flatnonzero(arr[:, 0] != arr[:, 1])  # tokens with upper-case letters
        if not len(todo):
            return
        lemmas = arr[:, 2].copy()
        for i in todo.tolist():
            orth, lower, lemma = arr[i].tolist()
            lemmas[i] = new_lemma(orth, lower, lemma)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]  # uint64 ids

    return fix
