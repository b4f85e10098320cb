"""Suggestion engines: codebook rules, semantic similarity, and their combination.

Engines are registered in :mod:`thematic.suggest.registry` (``register_engine``).

Importing this package is cheap: spaCy, numpy, scikit-learn and sentence-transformers load
on first use.
"""

from thematic.suggest.base import Engine, Progress
from thematic.suggest.combine import CombinedEngine, CombineWeights, combine, combine_many
from thematic.suggest.embeddings import (
    EmbeddingBackend,
    EmbeddingCache,
    InMemoryEmbeddingCache,
    SentenceTransformerBackend,
    TfidfSvdBackend,
    default_backend,
    embed_cached,
)
from thematic.suggest.rules import RuleEngine
from thematic.suggest.semantic import SemanticEngine
from thematic.suggest.semantic_scores import SemanticScores

__all__ = [
    "CombineWeights",
    "CombinedEngine",
    "EmbeddingBackend",
    "EmbeddingCache",
    "Engine",
    "InMemoryEmbeddingCache",
    "Progress",
    "RuleEngine",
    "SemanticEngine",
    "SemanticScores",
    "SentenceTransformerBackend",
    "TfidfSvdBackend",
    "combine",
    "combine_many",
    "default_backend",
    "embed_cached",
]
