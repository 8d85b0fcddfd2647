"""Reading posts from JSON-like documents, with clear errors for bad input.

The document has the fields of :class:`govsocial.model.Post`::

    {"text": "...", "context": "official", "platform": "x",
     "media": [{"kind": "image", "alt": "...", "captions": false}],
     "author": {"agency": "...", "roles": ["officer"]},
     "profile_bio": "...", "reply_to": "...", "election_period": true,
     "date": "2026-10-01", "amplifies": ["@someone"], "paid": false}

``pack`` may also appear (the CLI reads it); it is not part of the post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from govsocial.model import Author, Context, Media, MediaKind, Platform, Post

__all__ = ["POST_FIELDS", "InputError", "post_from_dict", "post_to_dict"]

POST_FIELDS = frozenset(
    {
        "text",
        "context",
        "platform",
        "media",
        "author",
        "profile_bio",
        "reply_to",
        "election_period",
        "date",
        "amplifies",
        "paid",
    }
)
_MEDIA_FIELDS = frozenset({"kind", "alt", "captions", "transcript", "decorative", "filename"})
_AUTHOR_FIELDS = frozenset({"name", "agency", "roles", "portfolio"})


class InputError(ValueError):
    """A post document that cannot be read; the message says which field and why."""


def _choice(value: Any, enum: type[Context] | type[Platform] | type[MediaKind], what: str) -> Any:
    try:
        return enum(str(value).lower())
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InputError(f"{what} must be one of {allowed} (got {value!r})") from None


def _opt_str(doc: Mapping[str, Any], key: str, what: str | None = None) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{what or key} must be text")
    return value


def _opt_bool(doc: Mapping[str, Any], key: str, what: str) -> bool | None:
    value = doc.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError(f"{what} must be true or false")
    return value


def _str_list(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{what} must be a list of text")
    return tuple(value)


def post_from_dict(
    doc: Any, *, default_context: Context | str | None = None, default_platform: str | None = None
) -> Post:
    """Build a :class:`Post` from a decoded JSON object; :class:`InputError` if it is malformed."""
    if not isinstance(doc, Mapping):
        raise InputError("a post must be a JSON object with at least a text field")
    unknown = set(doc) - POST_FIELDS - {"pack", "id"}
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(sorted(unknown))}")
    text = doc.get("text")
    if text is None:
        raise InputError("the post has no text field")
    if not isinstance(text, str):
        raise InputError("text must be a string")
    if not text.strip():
        raise InputError("the post's text is empty")
    context = _choice(doc.get("context") or default_context or Context.OFFICIAL, Context, "context")
    platform_value = doc.get("platform") or default_platform
    platform = _choice(platform_value, Platform, "platform") if platform_value else None
    media_doc = doc.get("media") or []
    if not isinstance(media_doc, list):
        raise InputError("media must be a list of objects")
    media = []
    for i, item in enumerate(media_doc):
        if not isinstance(item, Mapping):
            raise InputError(f"media[{i}] must be an object")
        bad = set(item) - _MEDIA_FIELDS
        if bad:
            raise InputError(f"media[{i}]: unknown field(s) {', '.join(sorted(bad))}")
        media.append(
            Media(
                kind=_choice(item.get("kind", "image"), MediaKind, f"media[{i}].kind"),
                alt=_opt_str(item, "alt", f"media[{i}].alt"),
                captions=_opt_bool(item, "captions", f"media[{i}].captions"),
                transcript=_opt_bool(item, "transcript", f"media[{i}].transcript"),
                decorative=bool(_opt_bool(item, "decorative", f"media[{i}].decorative")),
                filename=_opt_str(item, "filename", f"media[{i}].filename"),
            )
        )
    author = None
    author_doc = doc.get("author")
    if author_doc is not None:
        if isinstance(author_doc, str):
            author_doc = {"name": author_doc}
        if not isinstance(author_doc, Mapping):
            raise InputError("author must be an object with agency and roles")
        bad = set(author_doc) - _AUTHOR_FIELDS
        if bad:
            raise InputError(f"author: unknown field(s) {', '.join(sorted(bad))}")
        author = Author(
            name=_opt_str(author_doc, "name", "author.name"),
            agency=_opt_str(author_doc, "agency", "author.agency"),
            roles=frozenset(r.lower() for r in _str_list(author_doc.get("roles"), "author.roles")),
            portfolio=_str_list(author_doc.get("portfolio"), "author.portfolio"),
        )
    date = None
    if doc.get("date") is not None:
        try:
            date = dt.date.fromisoformat(str(doc["date"]))
        except ValueError:
            raise InputError(f"date must be YYYY-MM-DD (got {doc['date']!r})") from None
    return Post(
        text=text,
        context=context,
        platform=platform,
        media=tuple(media),
        author=author,
        profile_bio=_opt_str(doc, "profile_bio"),
        reply_to=_opt_str(doc, "reply_to"),
        election_period=_opt_bool(doc, "election_period", "election_period"),
        date=date,
        amplifies=_str_list(doc.get("amplifies"), "amplifies"),
        paid=bool(_opt_bool(doc, "paid", "paid")),
    )


def post_to_dict(post: Post) -> dict[str, Any]:
    """The JSON form of a post (the inverse of :func:`post_from_dict`)."""
    out: dict[str, Any] = {"text": post.text, "context": str(post.context)}
    if post.platform:
        out["platform"] = str(post.platform)
    if post.media:
        out["media"] = [
            {
                k: v
                for k, v in {
                    "kind": str(m.kind),
                    "alt": m.alt,
                    "captions": m.captions,
                    "transcript": m.transcript,
                    "decorative": m.decorative or None,
                    "filename": m.filename,
                }.items()
                if v is not None
            }
            for m in post.media
        ]
    if post.author:
        a = post.author
        out["author"] = {
            k: v
            for k, v in {
                "name": a.name,
                "agency": a.agency,
                "roles": sorted(a.roles) or None,
                "portfolio": list(a.portfolio) or None,
            }.items()
            if v is not None
        }
    for key in ("profile_bio", "reply_to", "election_period"):
        if getattr(post, key) is not None:
            out[key] = getattr(post, key)
    if post.date:
        out["date"] = post.date.isoformat()
    if post.amplifies:
        out["amplifies"] = list(post.amplifies)
    if post.paid:
        out["paid"] = True
    return out
