"""The project store: the only package that speaks SQL (DESIGN invariant 5)."""

from thematic.store.documents import StoredDocument, StoredTurn
from thematic.store.repository import ProjectStore, check_actor
from thematic.store.runs import StoreEmbeddingCache

__all__ = ["ProjectStore", "check_actor", "StoredDocument", "StoredTurn", "StoreEmbeddingCache"]
