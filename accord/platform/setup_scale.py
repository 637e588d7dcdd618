"""Runs the registered scale generators in order (`accord demo --scale S --seed N`)."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction

from accord.platform.dbstats import database_analyze
from accord.platform.generate import ScaleContext, scale_generators
from accord.platform.models import Organization, User
from accord.platform.search_index import full_text_index_deferred
from accord.platform.setup import ADMIN_USERNAME


def demo_generate(
    *, scale: float, seed: int, progress: Callable[[str, int, int], None], only: list[str] | None = None
) -> ScaleContext:
    """Generate data at a scale; each generator runs in its own transaction, the full-text index is
    built once at the end."""
    organization = Organization.objects.order_by("id").first()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if organization is None or admin is None:
        raise RuntimeError("Run `accord setup --no-demo` first: there is no organization or administrator.")
    ctx = ScaleContext(
        scale=scale,
        seed=seed,
        organization=organization,
        admin=admin,
        rng=random.Random(seed),
        progress=progress,
    )
    with full_text_index_deferred():
        for generator in sorted(scale_generators, key=lambda g: (g.order, g.key)):
            if only and generator.key not in only:
                continue
            ctx.rng.seed(f"{seed}:{generator.key}")
            with transaction.atomic():
                generator.generate(ctx)
        progress("search index", 0, 1)
    progress("search index", 1, 1)
    progress("planner statistics", 0, 1)
    database_analyze()
    progress("planner statistics", 1, 1)
    return ctx
