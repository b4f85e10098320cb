"""Interview context, outlier reassignment and the tree of parent candidates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thematic.errors import ParameterError
from thematic.suggest.topic_parts import match_codes, stability
from thematic.suggest.topic_tree import (
    cut_tree,
    document_positions,
    group_by_code,
    interview_prompts,
    leaves_of,
    merge_tree,
    reassign_outliers,
    with_context,
    with_position,
)
from thematic.suggest.topics import TopicModeler


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


def test_prompts_are_the_last_real_question_of_the_same_document():
    frame = pd.DataFrame({
        "document_id": [1, 1, 1, 1, 1, 1, 2, 2],
        "turn":        [0, 1, 2, 2, 3, 4, 0, 1],
        "role": ["participant", "interviewer", "participant", "participant", "interviewer",
                 "participant", "participant", "interviewer"],
        "start": [0, 10, 40, 50, 60, 70, 0, 10],
        "text": ["Hello there.", "How did the  waiting list feel?", "Yeah.", "It was long.",
                 "Mm-hmm.", "Then it got better.", "Hi.", "What about funding for it?"],
    }, index=[10, 11, 12, 13, 14, 15, 16, 17])
    turns = frame.drop_duplicates(["document_id", "turn"])  # the turn unit of the same talk
    got = interview_prompts(frame, turns)
    assert list(got.index) == list(frame.index)
    # before any question: none; both sentences of turn 2 share the question; "Mm-hmm." is a
    # backchannel, so turn 4 still answers the waiting-list question
    question = "How did the  waiting list feel?"
    assert got.tolist() == [None, None, question, question, None, question, None, None]
    assert interview_prompts(turns).tolist() == [None, None, question, None, question, None, None]


def test_question_context_moves_a_short_answer_towards_its_question():
    rng = np.random.RandomState(0)
    answer, question, other = _unit(rng.normal(size=(3, 16)))
    x = np.vstack([answer, other])
    prompts = np.vstack([question, np.zeros(16, dtype=np.float32)])
    mixed = with_context(x, prompts, 0.7)
    assert np.allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)
    assert mixed[0] @ question > answer @ question + 0.3
    assert np.allclose(mixed[1], other, atol=1e-6)  # no prompt: unchanged
    assert np.allclose(with_context(x, prompts, 0.0), x)
    assert np.allclose(with_context(x, None, 0.7), x)


def test_positions_rank_segments_by_start_within_their_document():
    frame = pd.DataFrame({"document_id": [2, 1, 1, 2, 1, 1],
                          "start": [50, 30, 0, 0, 90, 60]}, index=[7, 3, 9, 4, 5, 8])
    got = document_positions(frame)
    # document 1: starts 0, 30, 60, 90 -> 0, 1/4, 2/4, 3/4; document 2: starts 0, 50 -> 0, 1/2
    assert got.tolist() == [0.5, 0.25, 0.0, 0.0, 0.75, 0.5]
    rows = pd.DataFrame({"document": ["a", "a", "b", "a"]})  # no start: row order
    assert document_positions(rows).tolist() == [0.0, 1 / 3, 0.0, 2 / 3]
    assert len(document_positions(rows.iloc[:0])) == 0


def test_position_columns_part_alike_talk_at_the_start_and_the_end():
    x = _unit(np.random.RandomState(2).normal(size=(1, 8))).repeat(3, axis=0)
    r = np.array([0.0, 0.05, 0.9])
    got = with_position(x, r, 0.3)
    assert got.shape == (3, 10) and np.allclose(got[:, :8], x)
    near, far = (np.linalg.norm(got[0] - got[k]) for k in (1, 2))
    assert far > 0.55 > 0.1 > near  # 2 * 0.3 * sin(pi * |r - s| / 2)
    assert np.isclose(far, 0.6 * np.sin(np.pi * 0.45), atol=1e-5)
    assert np.array_equal(with_position(x, r, 0.0), x)
    assert np.array_equal(with_position(x, None, 0.3), x)


def test_the_modeler_clusters_position_with_the_turn_and_not_the_question():
    rng = np.random.RandomState(3)
    n = 30
    frame = pd.DataFrame({"segment_id": np.arange(n), "document": ["d0"] * 15 + ["d1"] * 15,
                          "participant": ["P"] * n, "text": ["words of a turn here"] * n})
    x = _unit(np.tile(rng.normal(size=(1, 12)), (n, 1)) + 0.01 * rng.normal(size=(n, 12)))
    prompts = _unit(rng.normal(size=(n, 12)))
    plain = TopicModeler(position_weight=0.0).cluster_vectors(frame, x, prompts)
    staged = TopicModeler(position_weight=0.5).cluster_vectors(frame, x, prompts)
    assert plain.shape == (n, 12) and staged.shape == (n, 14)
    assert np.allclose(np.linalg.norm(staged, axis=1), 1.0, atol=1e-5)
    # the first and last turns of one interview part; the first turns of two interviews do not
    assert staged[0] @ staged[14] < staged[0] @ staged[15]
    rows = np.array([0, 5, 29])
    assert TopicModeler().cluster_vectors(frame, x, prompts, rows=rows).shape == (3, 14)


def test_only_near_outliers_join_a_topic():
    rng = np.random.RandomState(1)
    centre = _unit(rng.normal(size=8))
    members = _unit(centre + 0.3 * rng.normal(size=(20, 8)))
    near = _unit(centre + 0.05 * rng.normal(size=8))
    far = _unit(-centre + 0.1 * rng.normal(size=8))
    v = np.vstack([members, near, far])
    labels = np.array([0] * 20 + [-1, -1])
    probs = np.array([0.9] * 20 + [0.0, 0.0])
    new, p, moved = reassign_outliers(v, labels, probs, 0.25)
    assert new[20] == 0 and moved[20] and 0.125 <= p[20] <= 0.5
    assert new[21] == -1 and not moved[21] and p[21] == 0.0
    assert (new[:20] == 0).all() and (p[:20] == 0.9).all() and not moved[:20].any()
    assert labels[20] == -1 and probs[20] == 0.0  # the inputs are left as they were


def test_tree_joins_near_topics_first_and_stops_at_the_share():
    rng = np.random.RandomState(2)
    a, b = _unit(rng.normal(size=(2, 12)))
    centres = _unit(np.vstack([a + 0.2 * rng.normal(size=12) for _ in range(2)]
                              + [b + 0.2 * rng.normal(size=12) for _ in range(2)]))
    v = np.vstack([_unit(c + 0.05 * rng.normal(size=(10, 12))) for c in centres])
    labels = np.repeat(np.arange(4), 10)
    pairs = merge_tree(v, labels, max_share=0.5)
    # the two pairs of near topics join; joining them all would hold all the talk
    assert sorted(map(sorted, pairs)) == [[0, 1], [2, 3]]
    assert leaves_of(pairs, 4) == [sorted(p) for p in pairs]
    assert len(merge_tree(v, labels, max_share=1.0)) == 3
    assert leaves_of(merge_tree(v, labels, max_share=1.0), 4)[-1] == [0, 1, 2, 3]
    assert merge_tree(v, labels, max_share=0.0) == []
    assert merge_tree(v[:20], labels[:20], max_share=1.0) == []  # two topics: no tree


def _two_families(seed: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Five topics near direction a (topics 0-2, 10 segments each but topic 2 with 14) or b."""
    rng = np.random.RandomState(seed)
    a, b = _unit(rng.normal(size=(2, 12)))
    centres = _unit(np.vstack([a + 0.2 * rng.normal(size=12) for _ in range(3)]
                              + [b + 0.2 * rng.normal(size=12) for _ in range(2)]))
    sizes = [10, 10, 14, 10, 10]
    v = np.vstack([_unit(c + 0.05 * rng.normal(size=(n, 12))) for c, n in zip(centres, sizes)])
    labels = np.repeat(np.arange(5), sizes)
    return v, np.concatenate([labels[:-3], [-1, -1, -1]]), np.vstack([a, b])


def test_the_tree_cut_at_a_codebooks_granularity():
    v, labels, _ = _two_families()
    assert cut_tree(v, labels, 2) == [[0, 1, 2], [3, 4]]  # largest group first
    assert cut_tree(v, labels, 5) == [[0], [1], [2], [3], [4]]  # no more topics than groups
    assert cut_tree(v, labels, 1) == [[0, 1, 2, 3, 4]]
    with pytest.raises(ValueError, match="k must be at least 1"):
        cut_tree(v, labels, 0)


def test_leaves_grouped_by_their_nearest_code():
    v, labels, codes = _two_families()
    assert group_by_code(v, labels, codes) == [[0, 1, 2], [3, 4]]
    assert group_by_code(v, labels, codes[::-1]) == [[0, 1, 2], [3, 4]]  # groups, not code order
    assert group_by_code(v, labels, codes[:0]) == [[0], [1], [2], [3], [4]]
    assert group_by_code(v, np.full(len(labels), -1), codes) == []


def test_stability_takes_candidate_matrices_and_match_codes_several_memberships():
    member = np.array([True, True, False, False])
    refit = np.array([[True, False, False, False], [True, True, False, False]])
    assert stability(member, [refit]) == 1.0
    assert stability(member, [np.array([0, 1, 1, -1])]) == 0.5  # {0} of {0, 1}
    members = pd.DataFrame({"segment_id": [1, 2, 3, 1, 2, 3], "topic": [0, 0, 1, 2, 2, 2]})
    labels = pd.DataFrame({"wide": [1, 1, 1, 0]}, index=[1, 2, 3, 4])
    row = match_codes(members, labels).iloc[0]
    assert row["best_topic"] == 2 and row["jaccard"] == 1.0 and row["topic_size"] == 3


def nested(seed: int = 0, per: int = 20) -> tuple[pd.DataFrame, np.ndarray]:
    """Six themes in two families of three; turns of five words."""
    rng = np.random.RandomState(seed)
    family = rng.normal(size=(2, 24))
    centres = np.vstack([family[k // 3] + 0.6 * rng.normal(size=24) for k in range(6)])
    x = np.vstack([c + 0.2 * rng.normal(size=(per, 24)) for c in centres])
    words = ["waiting", "camera", "funding", "housing", "school", "transport"]
    extra = ["delays", "screens", "grants", "rents", "teachers", "buses"]
    texts = [f"the {words[k]} and {extra[k]} were {['hard', 'slow', 'good', 'fine'][i % 4]}"
             for k in range(6) for i in range(per)]
    frame = pd.DataFrame({"segment_id": np.arange(len(texts)), "document": [f"d{i % 4}" for i in
                          range(len(texts))], "participant": [f"P{i % 5}" for i in
                          range(len(texts))], "text": texts})
    return frame, _unit(x)


@pytest.mark.slow
def test_parents_hold_the_union_of_their_children_and_fits_repeat():
    frame, x = nested()
    model = TopicModeler(n_stability=1, random_state=4, max_parent_share=0.6).fit(frame, x)
    cands = {c.topic: c for c in model.candidates_}
    parents = [c for c in model.candidates_ if c.children]
    assert parents and sum(1 for c in cands.values() if not c.children) >= 4
    members = model.candidate_members()
    assert list(members.columns) == ["topic", "segment_id", "probability"]
    leaf_of = model.members_.set_index("segment_id")["topic"]
    for p in parents:
        mine = set(members.loc[members["topic"] == p.topic, "segment_id"])
        kids = set(members.loc[members["topic"].isin(p.children), "segment_id"])
        assert mine == kids and p.size == len(mine)
        assert all(cands[k].parent == p.topic for k in p.children)
        assert p.stability is not None and 0 <= p.stability <= 1 and p.keywords
        assert set(leaf_of[list(mine)]) <= {c.topic for c in cands.values() if not c.children}
    assert max(p.size for p in parents) <= 0.6 * int((leaf_of >= 0).sum())
    again = TopicModeler(n_stability=1, random_state=4, max_parent_share=0.6).fit(frame, x)
    pd.testing.assert_frame_equal(again.candidate_members(), members)
    assert [c.as_dict() for c in again.candidates_] == [c.as_dict() for c in model.candidates_]


@pytest.mark.slow
def test_with_a_codebook_parents_are_the_tree_cut_at_its_number_of_codes():
    frame, x = nested()
    codes = _unit(np.random.RandomState(9).normal(size=(2, 24)))  # a codebook of two codes
    model = TopicModeler(n_stability=1, random_state=4).fit(
        frame, x, code_ids=["a", "b"], code_embeddings=codes)
    leaves = [c for c in model.candidates_ if not c.children]
    parents = [c for c in model.candidates_ if c.children]
    assert len(leaves) >= 4 and 1 <= len(parents) <= 2
    labels = model.members_["topic"].to_numpy()
    fitted = (model.members_["reason"] != "short").to_numpy()
    groups = cut_tree(model.cluster_vectors(frame, x, rows=np.flatnonzero(fitted)),
                      labels[fitted], 2)
    assert sorted(sorted(p.children) for p in parents) == sorted(g for g in groups if len(g) > 1)
    members = model.candidate_members()
    for p in parents:  # flat: a parent's children are leaves, and it holds their union
        assert all(not c.children and c.parent == p.topic for c in model.candidates_
                   if c.topic in p.children)
        mine = set(members.loc[members["topic"] == p.topic, "segment_id"])
        assert mine == set(members.loc[members["topic"].isin(p.children), "segment_id"])
        assert p.stability is not None and p.keywords
    ward = TopicModeler(n_stability=0, random_state=4, parent_level="ward").fit(
        frame, x, code_ids=["a", "b"], code_embeddings=codes)
    ward_parents = {c.topic for c in ward.candidates_ if c.children}
    assert any(set(c.children) & ward_parents for c in ward.candidates_)  # parents in parents
    with pytest.raises(ParameterError, match="parent_level must be one of codebook, ward"):
        TopicModeler(parent_level="themes").fit(frame, x)


@pytest.mark.slow
def test_questions_group_short_answers_that_alone_say_nothing():
    rng = np.random.RandomState(5)
    questions = _unit(rng.normal(size=(3, 24)))
    n = 120
    topic = np.arange(n) % 3
    x = _unit(rng.normal(size=(n, 24)))  # the answers alone carry no topic
    prompts = _unit(questions[topic] + 0.1 * rng.normal(size=(n, 24)))
    frame = pd.DataFrame({"segment_id": np.arange(n), "document": [f"d{i % 6}" for i in range(n)],
                          "participant": [f"P{i % 6}" for i in range(n)],
                          "text": ["it was fine I think" for _ in range(n)]})
    labels = pd.DataFrame({f"q{k}": (topic == k).astype(int) for k in range(3)},
                          index=frame["segment_id"])

    def best(weight: float) -> float:
        m = TopicModeler(n_stability=0, prompt_weight=weight, max_parent_share=0.0,
                         random_state=0).fit(frame, x, prompt_embeddings=prompts)
        return float(match_codes(m.members_, labels)["jaccard"].mean())

    assert best(1.0) >= 0.8 > 0.5 >= best(0.0)


def test_prompts_agree_with_the_semantic_engines_rule(sample_project):
    from thematic.models import Segment
    from thematic.suggest.interview_context import attach_prompts

    turns = sample_project.documents.segments("turn")
    segs = [Segment(int(r.segment_id), int(r.document_id), int(r.document_id) * 10_000 + int(r.turn),
                    "turn", int(r.start), int(r.end), str(r.text), role=r.role)
            for r in turns.itertuples()]
    theirs = [s.prompt for s in attach_prompts(segs, segs)]
    ours = interview_prompts(turns).tolist()
    assert ours == theirs and sum(p is not None for p in ours) > 100
