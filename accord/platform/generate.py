"""The realistic data generator behind `accord demo --scale S`: modules register generators that
create their share of rows set-based (bulk statements, never a loop of single saves), in order,
deterministically for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from accord.platform.models import BusinessUnit, Organization, User
from accord.platform.registries import Registry

FIRST_NAMES = (
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard "
    "Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty "
    "Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua "
    "Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald "
    "Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy Gary Kathleen Nicholas "
    "Angela Eric Shirley Jonathan Emma Stephen Brenda Larry Pamela Justin Nicole Scott Anna Brandon "
    "Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn "
    "Frank Janet Raymond Maria Jack Olivia"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James"
).split()
COMPANY_WORDS = (
    "Acme Apex Atlas Beacon Blue Bright Cedar Summit Crest Delta Eagle Echo Evergreen Falcon Fusion "
    "Global Granite Harbor Horizon Iron Keystone Lakeside Liberty Lumen Maple Meridian Metro Nexus "
    "North Oak Orbit Pacific Peak Pinnacle Pioneer Prime Quantum Redwood Ridge River Sierra Silver "
    "Sterling Stone Sun Titan Trident Union Valley Vertex Vista West Zenith"
).split()
COMPANY_KINDS = (
    "Industries Supply Logistics Foods Systems Labs Partners Trading Manufacturing Retail Health "
    "Energy Tools Textiles Components Distribution Electronics Packaging Hardware Services"
).split()
COMPANY_SUFFIXES = ("Inc.", "LLC", "Ltd", "GmbH", "Corp.", "Co.", "S.A.", "")


@dataclass
class ScaleContext:
    """What a generator gets: the scale, a seeded random source, and what earlier ones created."""

    scale: float
    seed: int
    organization: Organization
    admin: User
    rng: random.Random
    progress: Callable[[str, int, int], None]
    shared: dict[str, Any] = field(default_factory=dict)  # e.g. "users", "units", "customer_ids"

    def count(self, per_unit: int, minimum: int = 1) -> int:
        """How many rows of something to create at this scale."""
        return max(minimum, round(per_unit * self.scale))

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def company(self) -> str:
        suffix = self.rng.choice(COMPANY_SUFFIXES)
        name = f"{self.rng.choice(COMPANY_WORDS)} {self.rng.choice(COMPANY_KINDS)}"
        return f"{name} {suffix}".strip()

    def users(self) -> list[User]:
        return list(self.shared.get("users") or [self.admin])

    def units(self) -> list[BusinessUnit]:
        return list(self.shared.get("units") or [self.admin.business_unit])


def misspell(rng: random.Random, text: str) -> str:
    """The same person written slightly differently in another channel."""
    if len(text) < 4:
        return text.lower()
    choice = rng.randrange(4)
    i = rng.randrange(1, len(text) - 1)
    if choice == 0:
        return text[:i] + text[i + 1 :]  # a dropped letter
    if choice == 1:
        return text[:i] + text[i] + text[i:]  # a doubled letter
    if choice == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]  # swapped letters
    return text.upper() if rng.random() < 0.5 else text.lower()


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class ScaleGenerator:
    key: str
    label: str
    generate: Callable[[ScaleContext], None]
    order: int = 100


scale_generators: Registry[ScaleGenerator] = Registry("scale generators")
