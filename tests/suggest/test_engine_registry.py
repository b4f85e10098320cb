"""The engine registry: one register_engine line makes an engine runnable, combinable, listed,
and rendered; nothing else knows engines by name."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from thematic.errors import ParameterError
from thematic.models import Code, Codebook, Segment, Suggestion
from thematic.suggest import registry
from thematic.suggest.combine import CombinedEngine


class EchoEngine:
    """Suggests code ``c`` for every segment containing "echo"; a finder."""

    name = "echo"

    def __init__(self, random_state: int = 0) -> None:
        self.random_state = random_state

    def get_params(self) -> dict[str, Any]:
        return {"random_state": self.random_state}

    def versions(self) -> dict[str, str]:
        return {"echo": "1"}

    def suggest(self, segments: Sequence[Segment], codebook: Codebook, *,
                progress: Any = None) -> list[Suggestion]:
        return [Suggestion(s.document_id, s.start, s.end, "c", "echo", 0.9,
                           {"heard": "echo"}, s.id) for s in segments if "echo" in s.text]


def make_echo(options: registry.EngineOptions) -> EchoEngine:
    return EchoEngine(random_state=options.random_state)


@pytest.fixture
def echo() -> Iterator[registry.EngineSpec]:
    spec = registry.register_engine("echo", "tests.suggest.test_engine_registry:make_echo", source="echo",
                                    description="echoes", render=lambda ev: [f"heard {ev['heard']}"])
    yield spec
    registry._REGISTRY.pop("echo")


def _segments() -> list[Segment]:
    return [Segment(1, 1, 1, "sentence", 0, 10, "an echo here", "P", "participant", "P01"),
            Segment(2, 1, 1, "sentence", 11, 20, "silence", "P", "participant", "P01")]


def test_builtins_are_registered_with_their_sources() -> None:
    assert registry.engine_names()[:2] == ("rules", "semantic")
    assert registry.default_engines() == ("rules", "semantic")
    assert registry.sources()[:2] == ("rule", "semantic")
    assert registry.sources()[-1] == "combined"
    assert [s.name for s in registry.resolve(["rule", "Semantics", "rules"])] == ["rules", "semantic"]


def test_unknown_or_no_engine_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="engine must be one of rules, semantic.*Got 'bogus'"):
        registry.resolve(["bogus"])
    with pytest.raises(ParameterError, match="at least one engine"):
        registry.resolve([])


def test_a_registered_engine_is_built_lazily_and_gets_the_seed(echo: registry.EngineSpec) -> None:
    engine = registry.make_engine(["echo"], registry.EngineOptions(random_state=7))
    assert type(engine).__name__ == "EchoEngine"  # imported from its "module:function" path
    assert engine.random_state == 7
    assert "echo" in registry.sources()


def test_a_registered_engine_combines_with_the_others(echo: registry.EngineSpec) -> None:
    engine = registry.make_engine(["rules", "echo"])
    assert isinstance(engine, CombinedEngine)
    codebook = Codebook(codes=[Code(id="c", name="C")])
    out = engine.suggest(_segments(), codebook)
    assert [(s.segment_id, s.source) for s in out] == [(1, "echo")]
    assert set(engine.get_params()["engines"]) == {"rule", "echo"}


def test_evidence_is_rendered_by_the_engine_that_made_it(echo: registry.EngineSpec) -> None:
    assert registry.evidence_lines("echo", {"heard": "x"}) == ["heard x"]
    rule = {"rules": ["r1"], "matched": [{"text": "shame"}, {"text": "shame"}], "excluded_by": []}
    assert registry.evidence_lines("rule", rule) == ["matched \u201cshame\u201d (rule r1)"]
    combined = {"rule": rule, "echo": {"heard": "y"}, "combine": {"factor": 0.6}}
    assert registry.evidence_lines("combined", combined) == [
        "rules: matched \u201cshame\u201d (rule r1)", "echo: heard y",
        "combined: confidence x 0.6 (weak support from the scoring engines)"]
    assert registry.evidence_lines("manual", {"note": "by hand"}) == ["note: by hand"]
    scored = {"rule": {**rule, "raw_confidence": 0.9744}, "combine": {"raw": 0.98}}
    assert registry.evidence_lines("combined", scored) == [
        "rules: matched “shame” (rule r1)",
        f"rules: keyword score 0.97; {registry.CALIBRATED_NOTE}",
        f"combined: score 0.98; {registry.CALIBRATED_NOTE}"]


def test_engine_names_must_be_lower_case() -> None:
    with pytest.raises(ParameterError, match="lower case"):
        registry.register_engine("Echo", make_echo, source="echo", description="x")


def test_semantic_evidence_names_the_codebook_words():
    from thematic.suggest.registry import evidence_lines

    lines = evidence_lines("semantic", {"similarity": 0.4, "score": 2.0, "threshold": 1.0,
                                        "codebook_words": ["wait", "list"]})
    assert "codebook words: wait, list" in lines


@pytest.mark.parametrize(("evidence", "expected"), [
    ({"score": 3.21, "threshold": 2.78, "definition_score": 0.52, "closest_example_score": 0.4,
      "similarity": 0.52},
     ["close to the definition: 3.2 spreads above this code's usual score (needs 2.8)"]),
    ({"score": 2.0, "threshold": 2.5, "definition_score": 0.3, "closest_example_score": 0.6,
      "closest_example": "We waited months."},
     ["not close enough to an example: 2.0 spreads above this code's usual score (needs 2.5)",
      "most like the example \u201cWe waited months.\u201d"]),
    ({"score": 4.0, "threshold": 1.0, "near_miss": {"example": "I waited.", "vetoed": True}},
     ["close to the definition: 4.0 spreads above this code's usual score (needs 1.0)",
      "also like the near miss \u201cI waited.\u201d (so it was set aside)"]),
])
def test_semantic_evidence_reads_as_a_researcher_would_say_it(evidence, expected) -> None:
    lines = registry.evidence_lines("semantic", evidence)
    assert lines == expected
    assert not any("similarity" in line or "SD" in line for line in lines)
