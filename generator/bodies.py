"""Markdown bodies → safe HTML: converted without extensions that let content set attributes, then cleaned by nh3.

Every content body passes through `render_markdown`: no script, event handler, iframe or non-http(s)/mailto URL
can reach a page. Used by render (pages) and by the privacy gate (to read a body as visitors would).
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]

_MARKDOWN = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")


def render_markdown(text: str) -> Markup:
    """Markdown from content → safe HTML."""
    # One converter, reset per document: building a Markdown instance costs more than converting a body.
    converted = _MARKDOWN.reset().convert(text)
    cleaned = nh3.clean(
        converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return Markup(cleaned)
