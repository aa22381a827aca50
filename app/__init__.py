"""The composition root: settings, logging, the one aiohttp server and the `reception` CLI."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reception")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
