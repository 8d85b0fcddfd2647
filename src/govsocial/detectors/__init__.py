"""Detectors: spans with a score and an explanation. See :mod:`govsocial.detectors.base`."""

from govsocial.detectors.base import DETECTORS, Detector, Signal, detector

__all__ = ["DETECTORS", "Detector", "Signal", "detector", "load_all"]

# Modules that register detectors when imported. One line per module keeps additions reviewable.
_MODULES = (
    "govsocial.detectors.identifiers",
    "govsocial.detectors.contact",
    "govsocial.detectors.markings",
    "govsocial.detectors.people",
    "govsocial.detectors.language",
)


_loaded = False


def load_all() -> None:
    """Import every detector module once, so that the registry is complete."""
    global _loaded
    if _loaded:
        return
    import importlib

    for name in _MODULES:
        importlib.import_module(name)
    _loaded = True
