"""Commerce reads."""
