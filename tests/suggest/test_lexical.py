"""The codebook's own words: tokens, BM25 with code specificity, standardisation."""

from __future__ import annotations

import numpy as np
import pytest

from thematic.suggest.lexical import lexical_scores, tokenize


def test_tokens_are_content_lemmas_without_fillers_or_codebook_talk():
    assert tokenize(["Um, yeah, I mean the waiting lists were like months long."]) == [
        ["wait", "list", "month", "long"]
    ]
    # the codebook's words about codes are not topics
    assert tokenize(["The participant mentions stigma."]) == [["stigma"]]
    assert tokenize([""]) == [[]]


def test_a_word_every_code_shares_counts_less_than_a_specific_one():
    codes = ["Family support and family stigma.", "Family finances and money."]
    sc = lexical_scores(["My family judged me.", "Money was tight.", "Stigma at work."], codes)
    # "family" is in both codes: it scores both, less than "stigma" scores the first
    assert sc.score[0, 0] > 0 and sc.score[0, 1] > 0
    assert sc.score[2, 0] > sc.score[0, 0]
    assert sc.score[1, 0] == 0 and sc.score[1, 1] > 0
    assert sc.matched[1] == {0: ["family"], 1: ["money"]}


def test_a_repeated_word_saturates():
    sc = lexical_scores(["stigma", "stigma stigma stigma stigma stigma"], ["Stigma."])
    assert sc.score[1, 0] > sc.score[0, 0]
    assert sc.score[1, 0] < 2.2 * sc.score[0, 0]  # BM25 saturation, not five times


def test_standardised_is_zero_mean_unit_sd_and_zero_for_a_code_matching_nothing():
    sc = lexical_scores(["waiting list", "nothing here", "long wait"], ["Waiting.", "Parking fees."])
    z = sc.standardised()
    assert np.allclose(z[:, 0].mean(), 0) and np.isclose(z[:, 0].std(), 1)
    assert (z[:, 1] == 0).all()


def test_empty_inputs():
    assert lexical_scores([], ["Code."]).score.shape == (0, 1)
    assert lexical_scores(["text"], []).score.shape == (1, 0)
    assert lexical_scores([], []).standardised().shape == (0, 0)


def test_reading_word_by_word_gives_the_lemmas_of_the_whole_texts(monkeypatch):
    from pathlib import Path

    import thematic.suggest.lexical
    from thematic.suggest.lexical import _read_lemmas, _read_word_by_word, reads_word_by_word

    monkeypatch.setattr(thematic.suggest.lexical, "WORDS_PER_DOC", 7)  # words read across many documents
    monkeypatch.setattr(thematic.suggest.lexical, "CHARS_PER_DOC", 40)  # and a long word alone

    if not reads_word_by_word("en"):
        pytest.skip("a trained spaCy pipeline is installed: its lemmas follow the context")
    root = Path(__file__).resolve().parents[2] / "transcripts_sample"
    lines = [line for f in sorted(root.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    tricky = ["It's the co-op's e-mail, innit?", "well...I can't\n\nsay", "  double  spaces\tand tabs ",
              "see https://example.org/waiting-lists or 9am-5pm", "“Quoted” words—dashes (and brackets).",
              "waiting\xa0lists (a no-break space), the\u2009stigma, x\u200bzero-width",
              "a " + "verylongwordwithoutspaces" * 3 + " between short ones"]
    texts = [t.lower() for t in [*lines, *tricky, " ".join(lines[:40])]]
    assert len(lines) > 100
    assert _read_word_by_word(texts, "en") == _read_lemmas(texts, "en")


def test_a_pipeline_that_reads_words_in_context_is_read_text_by_text(monkeypatch):
    import spacy

    import thematic.nlp
    from thematic.suggest.lexical import reads_word_by_word

    tagged = spacy.blank("en")
    tagged.add_pipe("tagger")
    monkeypatch.setattr(thematic.nlp, "load_nlp", lambda lang="en": tagged)
    assert not reads_word_by_word("en")


def test_words_are_read_in_documents_spacy_accepts():
    from thematic.suggest.lexical import CHARS_PER_DOC, WORDS_PER_DOC, _word_documents

    words = ["a" * 60_000, "short", "b" * 150_000, *(f"w{i}" for i in range(4_500))]
    docs = _word_documents(words)
    assert [first for first, _, _ in docs] == [0, 2, 3, 2_003, 4_003]  # the 150,000-character word alone
    assert " ".join(text for _, _, text in docs) == " ".join(words)
    for first, starts, text in docs:
        assert len(starts) <= WORDS_PER_DOC
        assert len(text) <= CHARS_PER_DOC or len(starts) == 1
        assert [text[a:].split(" ", 1)[0] for a in starts] == words[first:first + len(starts)]
