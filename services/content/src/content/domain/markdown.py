"""Editor Markdown to HTML that is safe to put in a page.

Two layers, because either alone has failed others: markdown-it-py renders with raw HTML
switched off (so "<script>" in the text comes out as text), and nh3 (ammonia) then keeps only
an allow-list of tags and attributes and only http, https and mailto links. Event handler
attributes, javascript: and data: URLs and scripts never survive.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# No <img>: an image from elsewhere tells its host who read a (possibly TLP:AMBER) advisory.
_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
_URL_SCHEMES = {"http", "https", "mailto"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Sanitised HTML for the editor's Markdown `text`."""
    return nh3.clean(
        _renderer.render(text),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        # markdown-it aligns table columns with style="text-align:..."; nothing else passes.
        filter_style_properties={"text-align"},
    )
