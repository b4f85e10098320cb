"""Benchmark: RuleEngine against a bare spaCy PhraseMatcher on ~1M words of interview-like text.

Both run over the same docs from one ``nlp.pipe`` pass, in the same process; the pipe time is
shared and printed separately. Target: pipe + RuleEngine <= 2x pipe + bare PhraseMatcher. The
matching-only ratio is printed too: the bare matcher costs a few microseconds per doc in C, so
any per-doc Python (lemma case fix, evidence, Suggestion objects) shows as a large factor there.

    python benchmarks/bench_rules.py            # ~1M words
    python benchmarks/bench_rules.py --words 50000
"""

from __future__ import annotations

import argparse
import random
import time

from thematic.models import Code, Codebook, Rule, Segment
from thematic.nlp import load_nlp, pipeline_info
from thematic.suggest.rules import RuleEngine

VERBS = (
    "wait listen talk feel help pay share trust judge support relapse recover attend call "
    "visit worry cope struggle manage meet ask tell hear believe lose find try start stop "
    "drink use smoke sleep eat work move leave return change hope fear need want explain"
).split()
NOUNS = (
    "group meeting friend family nurse doctor counsellor sponsor peer circle week month day "
    "year money job house room phone appointment list time story problem feeling support "
    "shame stigma craving pain medication treatment service staff worker volunteer church "
    "bus car parking prescription letter form benefit court partner child mother father"
).split()
FILLERS = (
    "i you we they it the a an and but so because really just like very quite then when "
    "there here that this my our their about with for to of in on at after before again "
    "never always sometimes honestly maybe yeah well mean know think"
).split()
INFLECT = {"": 4, "s": 2, "ed": 2, "ing": 2}


SYLLABLES = "ba be bi bo ca ce co da de di do fa fe fi ga go ha he hi ka ko la le li lo ma me " \
    "mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we zo".split()


def content_vocabulary(size: int = 8000, seed: int = 2) -> list[str]:
    """Real verbs and nouns (which inflect, so lemmas matter) then pseudo-words, by frequency."""
    rng = random.Random(seed)
    vocab = list(dict.fromkeys(VERBS + NOUNS))
    seen = set(vocab)
    while len(vocab) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            vocab.append(w)
    return vocab


VOCAB = content_vocabulary()
VERB_SET = frozenset(VERBS)
# Zipf weights: rank r has probability proportional to 1 / r
CUM_WEIGHTS = list(__import__("itertools").accumulate(1.0 / r for r in range(1, len(VOCAB) + 1)))


def _word(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return rng.choice(FILLERS)
    word = rng.choices(VOCAB, cum_weights=CUM_WEIGHTS)[0]
    if word in VERB_SET:
        suffix = rng.choices(list(INFLECT), weights=list(INFLECT.values()))[0]
        if suffix in ("ed", "ing") and word.endswith("e"):
            word = word[:-1]
        return word + suffix
    return word + ("s" if rng.random() < 0.3 else "")


def make_corpus(n_words: int, seed: int = 0) -> list[Segment]:
    """Deterministic interview-like turns (1-4 sentences of 6-24 words) totalling n_words."""
    rng = random.Random(seed)
    segments: list[Segment] = []
    words = 0
    pos = 0
    while words < n_words:
        sentences = []
        for _ in range(rng.randint(1, 4)):
            tokens = [_word(rng) for _ in range(rng.randint(6, 24))]
            words += len(tokens)
            sent = " ".join(tokens)
            sentences.append(sent[0].upper() + sent[1:] + rng.choice(".?."))
        text = " ".join(sentences)
        role = "interviewer" if rng.random() < 0.2 else "participant"
        segments.append(
            Segment(len(segments), 1 + len(segments) // 200, len(segments), "turn", pos,
                    pos + len(text), text, role=role)
        )
        pos += len(text) + 2
    return segments


def make_codebook(n_codes: int = 300, seed: int = 1) -> Codebook:
    """n_codes codes with 3-6 keywords each: single lemmas and two-word phrases (35%)."""
    rng = random.Random(seed)
    codes = []
    for i in range(n_codes):
        keywords = []
        for _ in range(rng.randint(3, 6)):
            # keyword lemmas from the whole frequency range except the 20 most frequent words
            first = VOCAB[rng.randrange(20, len(VOCAB))]
            if rng.random() < 0.35:
                keywords.append(f"{first} {VOCAB[rng.randrange(20, 2000)]}")
            else:
                keywords.append(first)
        codes.append(Code(f"code{i:03d}", f"Code {i}", rules=(Rule(f"r{i}", "keywords", keywords),)))
    return Codebook(codes, name="bench", content_hash=f"bench-{n_codes}-{seed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="words of text (~1M)")
    parser.add_argument("--codes", type=int, default=300, help="codes in the codebook")
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    nlp = load_nlp()
    segments = make_corpus(args.words)
    book = make_codebook(args.codes)
    n_words = sum(len(s.text.split()) for s in segments)
    print(f"pipeline: {pipeline_info(nlp)}")
    print(f"corpus: {len(segments)} segments, {n_words} words; codebook: {len(book.codes)} codes")

    engine = RuleEngine(nlp, batch_size=args.batch_size)
    t0 = time.perf_counter()
    compiled = engine.compile(book)
    t_compile = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = list(nlp.pipe((s.text for s in segments), batch_size=args.batch_size))
    t_pipe = time.perf_counter() - t0

    bare = compiled.phrase_matcher  # the same patterns, LEMMA attribute, no engine around it
    t0 = time.perf_counter()
    n_bare = sum(len(bare(doc)) for doc in docs)
    t_bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    out = engine.suggest_docs(docs, segments, book)
    t_rule = time.perf_counter() - t0

    print(f"compile codebook:        {t_compile:8.3f} s")
    print(f"nlp.pipe (shared):       {t_pipe:8.3f} s  ({n_words / t_pipe:,.0f} words/s)")
    print(f"bare PhraseMatcher:      {t_bare:8.3f} s  ({n_bare} matches)")
    print(f"RuleEngine.suggest_docs: {t_rule:8.3f} s  ({len(out)} suggestions)")
    print(f"matching only, RuleEngine / bare: {t_rule / t_bare:.1f} x")
    print(
        f"end to end (pipe + RuleEngine): {n_words / (t_pipe + t_rule):,.0f} words/s; "
        f"bare: {n_words / (t_pipe + t_bare):,.0f} words/s; "
        f"ratio {(t_pipe + t_rule) / (t_pipe + t_bare):.2f} x (target <= 2x)"
    )


if __name__ == "__main__":
    main()
