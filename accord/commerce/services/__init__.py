"""Commerce writes: one transaction each, audited, search index kept current, events sent inside the
transaction so the bridge's derived data commits with the change (decision 0030)."""
