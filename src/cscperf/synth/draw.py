"""Random draws for the per-event loops: a numpy Generator with buffered uniforms, so drawing one
value costs a list pop rather than a numpy call, and weighted code choices from a distribution."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate

import numpy as np

BLOCK = 65536


class Draw:
    """Deterministic draws from one ``numpy.random.Generator``."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._u: list[float] = []
        self._n: list[float] = []

    def u(self) -> float:
        """Uniform [0, 1)."""
        if not self._u:
            self._u = self.rng.random(BLOCK).tolist()
        return self._u.pop()

    def normal(self) -> float:
        if not self._n:
            self._n = self.rng.standard_normal(BLOCK).tolist()
        return self._n.pop()

    def chance(self, p: float) -> bool:
        return self.u() < p

    def int(self, low: int, high: int) -> int:
        """Integer in [low, high]."""
        return low + int(self.u() * (high - low + 1))

    def exp(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.u())

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(sigma * self.normal())

    def poisson(self, mean: float) -> int:
        """Poisson by inversion (means here are small)."""
        if mean > 30:
            return max(0, round(mean + math.sqrt(mean) * self.normal()))
        limit, k, p = math.exp(-mean), 0, self.u()
        while p > limit:
            k += 1
            p *= self.u()
        return k

    def pick(self, dist: "Dist") -> str:
        return dist.codes[bisect_right(dist.cum, self.u() * dist.total)]


class Dist:
    """A weighted list of codes, e.g. ``Dist({"N1": 55, "N2": 8})``."""

    def __init__(self, weights: Mapping[str, float] | Sequence[tuple[str, float]]) -> None:
        items = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.codes = [c for c, _ in items]
        self.cum = list(accumulate(w for _, w in items))
        self.total = self.cum[-1]
        self.cum[-1] = math.inf  # u * total never falls off the end

    def vector(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` codes at once, as indices into ``codes``."""
        cum = np.array(self.cum[:-1] + [self.total]) / self.total
        return np.searchsorted(cum, rng.random(n), side="right")


def child_stream(seed: int, council_index: int, purpose: int) -> np.random.Generator:
    """An independent stream per council and purpose, so adding draws to one part of the
    simulation never changes another part's output."""
    return np.random.default_rng(np.random.SeedSequence([seed, council_index, purpose]))
