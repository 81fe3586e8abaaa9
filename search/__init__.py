"""Bilingual search on the database's own full-text engine (PostgreSQL tsvector, SQLite FTS5). Apps register
what it finds (search.documents); search.query runs a search; search.index keeps the index current."""
