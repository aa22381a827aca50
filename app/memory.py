"""Start-up objects out of the garbage collector's way.

A started process holds a few million long-lived objects (modules, aiogram's and pydantic's
models, SQLAlchemy's tables and compiled statements, the Fluent bundles). CPython's collector
walks all of them on every full collection, which came every few hundred updates and cost
milliseconds each (bench/dialog.py). `gc.freeze()` after start-up moves them to a generation
that is never collected; what the process allocates later is collected as usual.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()
