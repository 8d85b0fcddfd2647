"""HTML fragments from platforms and feeds, as the plain text the classifiers read.

Mastodon statuses and feed entries arrive as HTML. Block elements (``<p>``, ``<div>``, list items,
headings) become paragraph breaks, ``<br>`` a line break, entities are unescaped and every other
tag is dropped with its text kept, so a mention link reads ``@name`` and a shortened link's hidden
parts (Mastodon wraps them in ``<span class="invisible">``) still make the whole address. Script
and style bodies are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
)
_SKIPPED = frozenset({"script", "style", "template"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BREAKS = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Source line breaks inside HTML are layout, not content.
            self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs split by a blank line, ``<br>`` kept as a line break."""
    if "<" not in html and "&" not in html:
        return html.strip()
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BREAKS.sub("\n\n", "\n".join(lines)).strip()
