"""The project store: the only package that speaks SQL (DESIGN invariant 5)."""

from thematic.store.codings import StoreEmbeddingCache
from thematic.store.repository import ProjectStore, StoredDocument, StoredTurn

__all__ = ["ProjectStore", "StoredDocument", "StoredTurn", "StoreEmbeddingCache"]
