"""Markdown bodies → safe HTML: GitHub-flavoured CommonMark (cmarkgfm, GitHub's C parser), then cleaned by nh3.

Every content body passes through `render_markdown`: no script, event handler, iframe or non-http(s)/mailto URL
can reach a page. Used by render (pages) and by the privacy gate (to read a body as visitors would).

cmark parses in linear time and does not recurse (Python-Markdown was quadratic in setext headings, brackets and
inline HTML and raised RecursionError on deep nesting). Raw HTML is passed on to nh3, which strips every tag,
attribute and URL outside the allowed subset, so `<script>` and `onerror=` vanish instead of showing as text.
`body_problems` names what validation refuses in a body.
"""

from __future__ import annotations

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_LIST_DEPTH = 9
"""Lists and quotes inside each other up to this depth; deeper is refused as a mistake (nobody means it)."""
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_NOBREAKS
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Each level of nesting takes at least one character of a line's start (an indentation step, `>` or a marker), so
# only a line whose start holds more than MAX_LIST_DEPTH such characters can nest too deep.
_DEEP_CANDIDATE = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_LIST_DEPTH + 1}}}", re.MULTILINE)
_CONTAINER_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]+)")


def render_markdown(text: str) -> Markup:
    """Markdown from content → safe HTML (tables, strikethrough and bare links as on GitHub)."""
    converted = cmarkgfm.github_flavored_markdown_to_html(without_comments(text), options=_OPTIONS)
    cleaned = nh3.clean(
        converted, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return Markup(cleaned.rstrip("\n"))  # templates place the line breaks


def body_problems(text: str) -> list[tuple[int, str]]:
    """What validation refuses in a body, as (0-based line, message code): lists or quotes nested deeper than
    MAX_LIST_DEPTH (`body-too-deep`), NUL and other C0 controls except tab (`body-control-character`)."""
    problems = []
    control = _CONTROL.search(text)
    if control:
        problems.append((text.count("\n", 0, control.start()), "body-control-character"))
    if not _DEEP_CANDIDATE.search(text):  # nearly every body: no line even starts deep enough to look at
        return problems
    for number, line in enumerate(text.split("\n")):
        if _nesting(line) > MAX_LIST_DEPTH:
            problems.append((number, "body-too-deep"))
            break
    return problems


def _nesting(line: str) -> int:
    """How deep a line sits in lists and quotes: its own markers, plus two spaces of indentation per level."""
    indent = len(line) - len(line.lstrip(" "))
    depth, position = indent // 2, indent
    while match := _CONTAINER_PREFIX.match(line, position):
        if match.end() == position:
            break
        depth, position = depth + 1, match.end()
    return depth


def without_comments(text: str) -> str:
    """The body without `<!-- … -->`: editors' hidden notes never reach a page.

    An unclosed comment hides the rest, as a browser would. One pass with str.find: linear in the text."""
    parts, start = [], 0
    while (opening := text.find("<!--", start)) >= 0:
        parts.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        if closing < 0:
            return "".join(parts)
        start = closing + 3
    parts.append(text[start:])
    return "".join(parts)
