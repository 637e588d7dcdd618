"""Commerce writes: one transaction each, audited, search index kept current, events after commit."""
