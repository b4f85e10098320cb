"""Topic candidates: the modeler on synthetic turns, its pure parts, and reproducibility."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.suggest.topic_parts import keywords, match_codes, quotes, stability
from thematic.suggest.topics import FILLERS, TopicModeler, select_segments

ROOT = Path(__file__).resolve().parents[2]
THEMES = {
    "waiting": ["waiting list", "appointment", "months", "referral", "delay", "queue"],
    "camera": ["camera", "zoom", "screen", "video call", "webcam", "mute"],
    "funding": ["funding", "grant", "budget", "money", "council", "commissioners"],
}


def synthetic(n_per: int = 40, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Turns of three themes (with fillers) and embeddings clustered by theme, plus 12
    one-word backchannels; and three code vectors near the theme centres."""
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(len(THEMES), 32))
    rows, vecs = [], []
    for t, (_theme, vocab) in enumerate(THEMES.items()):
        for i in range(n_per):
            words = [vocab[(i + k) % len(vocab)] for k in range(3)]
            text = f"Um, yeah, you know, I mean the {words[0]} and the {words[1]}, like, {words[2]}."
            rows.append(text)
            vecs.append(centres[t] + 0.25 * rng.normal(size=32))
    for _ in range(12):
        rows.append("Yeah.")
        vecs.append(rng.normal(size=32))
    x = np.asarray(vecs, dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    frame = pd.DataFrame({
        "segment_id": np.arange(1, len(rows) + 1),
        "document": [f"doc{i % 5}" for i in range(len(rows))],
        "participant": [f"P{i % 7}" for i in range(len(rows))],
        "text": rows,
    })
    codes = centres / np.linalg.norm(centres, axis=1, keepdims=True)
    return frame, x, codes.astype(np.float32)


def test_too_few_segments_is_a_clear_error():
    frame, x, _ = synthetic(n_per=3)
    with pytest.raises(ParameterError, match="too few segments for a topic model: 9 of 21"):
        TopicModeler().fit(frame, x)


@pytest.mark.parametrize("params, match", [
    ({"min_cluster_size": 1}, "min_cluster_size must be an integer in"),
    ({"n_stability": -1}, "n_stability must be an integer in"),
    ({"stability_threshold": 2.0}, "stability_threshold must be a number in"),
    ({"random_state": "x"}, "random_state must be an integer"),
    ({"language": ""}, "language must be an ISO 639-1 code"),
    ({"position_weight": -0.1}, "position_weight must be a number in"),
])
def test_bad_parameters(params, match):
    frame, x, _ = synthetic()
    with pytest.raises(ParameterError, match=match):
        TopicModeler(**params).fit(frame, x)


def test_misaligned_inputs_and_guided_without_codes():
    frame, x, _ = synthetic()
    with pytest.raises(ParameterError, match="one row per segment"):
        TopicModeler().fit(frame, x[:-1])
    with pytest.raises(ParameterError, match="Missing \\['participant'\\]"):
        TopicModeler().fit(frame.drop(columns="participant"), x)
    with pytest.raises(ParameterError, match="guided mode needs code_ids"):
        TopicModeler(guided=True).fit(frame, x)


def test_select_segments_drops_interviewers_and_covered_text():
    seg = pd.DataFrame({
        "segment_id": [1, 2, 3, 4], "document_id": [1, 1, 1, 2], "role": [
            "participant", "interviewer", "participant", "participant"],
        "start": [0, 10, 20, 0], "end": [10, 20, 30, 10],
    })
    assert select_segments(seg)["segment_id"].tolist() == [1, 3, 4]
    covered = pd.DataFrame({"document_id": [1], "start": [25], "end": [27]})
    assert select_segments(seg, covered=covered)["segment_id"].tolist() == [1, 4]
    both = select_segments(seg, roles=("participant", "interviewer"), covered=covered)
    assert both["segment_id"].tolist() == [1, 2, 4]


def test_keywords_rerank_and_skip_overlaps():
    words = ["waiting", "waiting list", "lists", "list", "delay"]
    assert keywords(words, np.zeros(2), None, 3) == ["waiting", "lists", "delay"]
    vecs = {"waiting": [0.0, 1.0], "waiting list": [1.0, 0.0], "lists": [0.6, 0.8],
            "list": [0.9, 0.1], "delay": [0.7, 0.7]}

    def embed(ws):
        return np.array([vecs[w] for w in ws])

    # re-ranked by cosine to the centroid [1, 0]: "waiting list" first, its parts skipped
    assert keywords(words, np.array([1.0, 0.0]), embed, 3) == ["waiting list", "delay"]


def test_quotes_take_documents_in_turn():
    seg = pd.DataFrame({"segment_id": [10, 11, 12, 13], "document": ["a", "a", "a", "b"],
                        "participant": ["P1", "P1", None, "P2"], "text": ["w", "x", "y", "z"]})
    rows = np.array([0, 1, 2, 3])
    got = quotes(seg, rows, np.array([0.9, 0.8, 0.7, 0.6]), np.array([0.9, 0.8, 0.7, 0.1]), 2)
    assert [q.segment_id for q in got] == [10, 13]  # the best of a, then the best of b
    assert got[1].participant == "P2" and got[1].probability == 0.6


def test_stability_and_match_codes():
    member = np.array([True, True, True, False, False])
    same = np.array([0, 0, 0, 1, 1])
    half = np.array([0, 0, 1, 1, -1])
    assert stability(member, [same]) == 1.0
    assert stability(member, [same, half]) == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-4)
    members = pd.DataFrame({"segment_id": [1, 2, 3, 4, 5], "topic": [0, 0, 1, 1, -1]})
    labels = pd.DataFrame({"a": [1, 1, 0, 0, 0], "b": [0, 0, 1, 0, 1]}, index=[1, 2, 3, 4, 5])
    table = match_codes(members, labels)
    assert table.set_index("code")["jaccard"].to_dict() == {"a": 1.0, "b": pytest.approx(1 / 3, abs=1e-4)}
    assert table.set_index("code").loc["b", "best_topic"] == 1


@pytest.mark.slow
def test_modeler_finds_the_themes_and_keeps_outliers():
    frame, x, codes = synthetic()
    model = TopicModeler(n_stability=2, random_state=3).fit(
        frame, x, code_ids=list(THEMES), code_embeddings=codes)
    assert model.random_state == 3 and model.min_cluster_size_ == 5
    members = model.members_
    assert list(members.columns) == ["segment_id", "topic", "probability", "reason"]
    assert len(members) == len(frame)
    # the 12 backchannels are too short to group; nothing forces them into a topic
    short = members[frame["text"] == "Yeah."]
    assert set(short["reason"]) == {"short"} and set(short["topic"]) == {-1}
    assert (members.loc[members["topic"] == -1, "probability"] == 0).all()
    grouped = members[members["topic"] >= 0]
    assert grouped["probability"].between(0, 1).all()
    labels = pd.DataFrame({t: [int(i // 40 == k) for i in range(len(frame))]
                           for k, t in enumerate(THEMES)}, index=frame["segment_id"])
    table = match_codes(members, labels.iloc[:120])
    assert (table["jaccard"] >= 0.9).all(), table
    by_theme = {c.nearest_codes[0][0]: c for c in model.candidates_}
    assert set(by_theme) == set(THEMES)
    for theme, cand in by_theme.items():
        vocab = " ".join(THEMES[theme])
        assert cand.keywords and all(k.split()[0] in vocab for k in cand.keywords[:3]), cand.keywords
        assert not set(" ".join(cand.keywords).split()) & set(FILLERS)
        assert len(cand.quotes) == 6 and len({q.document for q in cand.quotes}) == 5
        assert cand.size == 40 and len(cand.participants) == 7
        assert cand.stability is not None and cand.stability >= 0.9 and cand.stable
    frame_out = model.topics_frame()
    assert len(frame_out) == 3 and frame_out["stable"].all()


_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
from test_topics import synthetic
from thematic.suggest.topics import TopicModeler
frame, x, codes = synthetic(seed=1)
m = TopicModeler(n_stability=0, random_state=7).fit(frame, x)
print(json.dumps({{"members": m.members_.to_dict("list"),
                  "keywords": [c.keywords for c in m.candidates_]}}))
"""


@pytest.mark.slow
def test_same_seed_same_topics_in_two_processes():
    script = _SCRIPT.format(root=str(ROOT), tests=str(Path(__file__).parent))
    outs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, timeout=600)
        outs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert max(outs[0]["members"]["topic"]) >= 1


def test_keywords_read_any_script_without_the_languages_stop_words():
    from sklearn.feature_extraction.text import CountVectorizer

    from thematic.suggest.topic_pipeline import WORD, stop_words

    pt = stop_words("pt")
    assert {"de", "que", "não", "yeah"} <= set(pt)
    assert "que" not in stop_words("en") and "the" in stop_words("en")
    assert set(stop_words("xx")) == set(stop_words("zz"))  # no list: the fillers only
    vec = CountVectorizer(stop_words=pt, token_pattern=WORD).fit(
        ["A informação não chegou ao cliente, e-mail perdido", "Atraso de 3 semanas na entrega"])
    words = set(vec.get_feature_names_out())
    assert {"informação", "chegou", "cliente", "e-mail", "atraso", "entrega"} <= words
    assert not words & {"não", "de", "na", "ao", "3"}
