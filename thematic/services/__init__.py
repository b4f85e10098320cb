"""Use cases between :class:`thematic.Project` and the store, one module each (ingest,
suggest, topics, codebook, review, themes, memos, coders, analysis, exports, exchange, ...).

Each service is a function that takes a :class:`thematic.store.ProjectStore` (never
``Project``) and runs one audited transaction per user action; reads that return frames go
through :class:`thematic.services.reads.ProjectReads`, which the app can cache. None of them
speaks SQL (that is ``thematic.store``'s job) or names a CLI command (an error carries a
hint in a researcher's words or a remedy, :data:`thematic.errors.REMEDIES`).
"""
