"""Search and queries: pure functions over the project's frames.

- :func:`text_search` -- words, phrases, prefixes and lemmas in the segments' text;
- :func:`coding_query` -- segments coded A and B, A not B, A near B;
- :func:`restrict` with :func:`parse_where` -- only the segments of some participants or
  speakers (by attribute).

Each takes DataFrames (``project.documents.segments()``, ``project.review.codings()``) and returns the
matching segments as a DataFrame; saving, coding and exporting a result is
:mod:`thematic.services.query_sets`.
"""

from thematic.search.coding import Node, codes_of, coding_query, parse_query
from thematic.search.text import HIT_COLUMNS, MATCHES, TextQuery, parse_search, text_search
from thematic.search.tokens import TokenIndex, build_index, lemmatiser
from thematic.search.where import FIELDS, Condition, column_for, parse_where, restrict

__all__ = ["FIELDS", "HIT_COLUMNS", "MATCHES", "Condition", "Node", "TextQuery", "TokenIndex",
           "build_index", "codes_of", "coding_query", "column_for", "lemmatiser", "parse_query",
           "parse_search", "parse_where", "restrict", "text_search"]
