"""govsocial: check social media posts against public-sector guidance before they go out.

>>> import govsocial
>>> result = govsocial.review("Our offices are open 9am to 5pm on weekdays.", pack="nz")
>>> result.verdict
<Verdict.OK: 'ok'>
"""

from __future__ import annotations

__version__ = "0.1.0"

from govsocial.engine import review
from govsocial.model import Author, Context, Finding, Media, MediaKind, Platform, Post, ReviewResult, Severity, Verdict
from govsocial.packs import load_pack

__all__ = [
    "Author",
    "Context",
    "Finding",
    "Media",
    "MediaKind",
    "Platform",
    "Post",
    "ReviewResult",
    "Severity",
    "Verdict",
    "__version__",
    "load_pack",
    "review",
]
