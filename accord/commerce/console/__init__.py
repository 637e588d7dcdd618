"""Console pages of commerce."""
