"""Use cases between :class:`thematic.Project` and the store: ingest, suggest, codebook, review.

Each service takes a :class:`thematic.store.ProjectStore` and runs one audited transaction per
user action; none of them speaks SQL (that is ``thematic.store``'s job).
"""
