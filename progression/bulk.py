"""Bulk work over thousands of short-lived objects, without the cycle collector's full passes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while building many acyclic objects; reference counting still frees them.

    A whole council's facts are tens of thousands of small objects, and Python's collector would otherwise
    walk all of them again and again while they are built (a quarter of the time, measured by
    benchmarks/next_steps.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
