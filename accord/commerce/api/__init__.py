"""Back-office API resources of commerce."""
