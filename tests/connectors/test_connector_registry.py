"""The connector registry and the plain-text conversion every HTML-speaking connector shares."""

from __future__ import annotations

import subprocess
import sys

import pytest

from govsocial.connectors import Connector, ConnectorError, build, kinds
from govsocial.connectors._html import html_to_text


@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("rss", {"url": "https://news.example.org/feed/"}),
        ("mastodon", {"instance": "https://social.example.nz"}),
        ("bluesky", {"handle": "agency.bsky.social"}),
    ],
)
def test_each_builtin_kind_builds_a_connector_without_touching_the_network(kind, config):
    connector = build(kind, config, "secret")

    assert isinstance(connector, Connector)
    assert connector.kind == kind
    assert kind in kinds()


def test_an_unknown_kind_is_refused_with_the_known_ones():
    with pytest.raises(ConnectorError, match=r"no connector of kind 'myspace' \(known: .*bluesky.*mastodon.*rss"):
        build("myspace", {})


def test_importing_the_package_does_not_import_the_platform_libraries():
    code = (
        "import sys, govsocial.connectors, govsocial.connectors.files, govsocial.connectors.webhook\n"
        "heavy = [m for m in ('feedparser', 'mastodon', 'atproto_client', 'requests', 'httpx') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>Line one<br />line two<br>line three</p>", "Line one\nline two\nline three"),
        (
            "<p>Fish &amp; chips &#8211; &lt;cheap&gt; &quot;ok&quot; &#39;yes&#39;&nbsp;now</p>",
            "Fish & chips – <cheap> \"ok\" 'yes' now",
        ),
        (
            '<a href="https://example.org/a/long/path"><span class="invisible">https://</span>'
            '<span class="ellipsis">example.org/a/lo</span><span class="invisible">ng/path</span></a>',
            "https://example.org/a/long/path",
        ),
        ('<span class="h-card"><a class="u-url mention">@<span>agency</span></a></span> hi', "@agency hi"),
        ("<p>keep</p><script>alert('x')</script><style>p{}</style>", "keep"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("plain text, no tags", "plain text, no tags"),
        ("<p>  spaced\n   out  </p>", "spaced out"),
        ("", ""),
    ],
)
def test_html_becomes_plain_text_with_paragraphs_and_line_breaks(html, text):
    assert html_to_text(html) == text
