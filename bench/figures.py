"""What the bench scripts share: timing a call several times, and printing the table of figures."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


class Figures:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def record(self, name: str, seconds: list[float], target: str = "") -> None:
        median = statistics.median(seconds)
        self.rows.append(
            (name, f"{median * 1000:8.1f} ms  (min {min(seconds) * 1000:.1f}, n={len(seconds)})", target)
        )

    def note(self, name: str, value: str, target: str = "") -> None:
        self.rows.append((name, value, target))

    def print(self) -> None:
        width = max(len(r[0]) for r in self.rows)
        print(f"{'meting':<{width}}  {'mediaan':<34}  doel")
        print("-" * (width + 50))
        for name, value, target in self.rows:
            print(f"{name:<{width}}  {value:<34}  {target}")


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out
