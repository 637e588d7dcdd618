"""Console URLs reversed once per process: a page links the same views dozens of times."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

# Stands for the primary key in a cached pattern; no real key reaches it.
_PK = "987654321987654"


@lru_cache(maxsize=2048)
def _pattern(name: str, with_pk: bool, prefix: str, urlconf: str | None) -> str:
    """`prefix` and `urlconf` only key the cache: `reverse` reads both itself."""
    return reverse(name, kwargs={"pk": int(_PK)}) if with_pk else reverse(name)


def url_for(name: str, pk: int | None = None) -> str:
    """`reverse(name)` or `reverse(name, kwargs={"pk": pk})` for an integer key, from a cached pattern."""
    urlconf = get_urlconf()
    key = urlconf if isinstance(urlconf, str) else None
    pattern = _pattern(name, pk is not None, get_script_prefix(), key)
    return pattern if pk is None else pattern.replace(_PK, str(int(pk)))
