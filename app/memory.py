"""Start-up objects out of the garbage collector's way, and fewer young collections.

A started process holds a few million long-lived objects (modules, aiogram's and pydantic's
models, SQLAlchemy's tables and compiled statements, the Fluent bundles). CPython's collector
walks all of them on every full collection, which came every few hundred updates and cost
milliseconds each (bench/dialog.py). `gc.freeze()` after start-up moves them to a generation
that is never collected; what the process allocates later is collected as usual.

Each update allocates thousands of short-lived objects (aiogram's models, the dialog's state,
rows), nearly all freed by reference counting. With CPython's default threshold a young
collection ran every 700 allocations, several per update, and promoted what was merely still
in use at that moment, which older collections then walked again: 9 % of the dialog's time
in bench/dialog.py. Collecting every 20,000 allocations leaves most of those objects dead by
then: 2-4 % (`GC_THRESHOLDS`). What is held in cycles waits a little longer for its
collection; that is a few megabytes at most.
"""

from __future__ import annotations

import gc

GC_THRESHOLDS = (20_000, 20, 20)  # young collection, then older ones (CPython's: 700, 10, 10)


def freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
