"""Reading built HTML the way a browser would: what could run script or leave the site, which internal links
lead nowhere, and what a page says (for the golden extract of the sample site)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" and (value or "").lower() == "refresh" for name, value in attrs):
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")
        # JSON-LD is data, never run: the network's name may say `alert(` there, escaped (`\u003c`).
        self.in_script = tag == "script" and dict(attrs).get("type") != "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.problems.append("script with alert(")


def unsafe_html(text: str) -> list[str]:
    """Event handlers, dangerous tags, non-http(s)/mailto/tel URLs, and injected scripts in a page."""
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.problems


# --- what a built page says and where it links --------------------------------------------------------------------

LINK_ATTRIBUTES = {"href", "src", "poster", "data"}
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "div", "section", "article", "aside",
          "figure", "figcaption", "blockquote", "ul", "ol", "dl", "table", "caption", "thead", "tbody", "nav",
          "header", "footer", "details", "summary", "address", "pre", "br", "hr", "form"}
CELLS = {"td", "th"}
CONTENT_BLOCK = "sc"
"""Class of the `<div>` that holds what our templates render (render.page_source); the rest is MkDocs' frame."""


@dataclass
class BuiltPage:
    title: str = ""
    links: list[str] = field(default_factory=list)
    """Every href/src value of the page, as written."""
    ids: set[str] = field(default_factory=set)
    """Every `id` (and `name`) a fragment may point at."""
    has_content: bool = False
    content_lines: list[str] = field(default_factory=list)
    """The visible text of the content block, one line per block element, whitespace collapsed."""
    content_links: list[str] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = BuiltPage()
        self.in_title = False
        self.skip = 0  # inside <script>/<style>/<template>
        self.depth = 0  # nesting of <div> inside the content block; 0: outside
        self.line: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name in ("id", "name") and value and tag != "meta":
                self.page.ids.add(value)
            if (name in LINK_ATTRIBUTES or (name == "content" and values.get("http-equiv", "").lower() == "refresh")
                    ) and value is not None:
                link = value.split("url=", 1)[1].strip() if name == "content" else value
                self.page.links.append(link)
                if self.depth and name == "href":
                    self.page.content_links.append(link)
        if tag == "title":
            self.in_title = True
        if tag in ("script", "style", "template"):
            self.skip += 1
        if tag == "div":
            if self.depth:
                self.depth += 1
            elif CONTENT_BLOCK in (values.get("class") or "").split():
                self.depth, self.page.has_content = 1, True
        self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in ("script", "style", "template"):
            self.skip = max(0, self.skip - 1)
        self._boundary(tag)
        if tag == "div" and self.depth:
            self.depth -= 1

    def _boundary(self, tag: str) -> None:
        if not self.depth:
            return
        if tag in CELLS:
            if not self.line or self.line[-1] != " | ":
                self.line.append(" | ")
        elif tag in BLOCKS:
            self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self.line).split()).strip(" |")
        if text:
            self.page.content_lines.append(text)
        self.line = []

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.title += data
        elif self.depth and not self.skip:
            self.line.append(data)


def read_page(text: str) -> BuiltPage:
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    reader.page.title = " ".join(reader.page.title.split())
    return reader.page


def internal_target(page: str, link: str, site_url: str = "") -> tuple[str, str] | None:
    """(path from the site root, fragment) a link on `page` (path from the root, e.g. `/a/index.html`) leads to;
    None for links that leave the site (another host, mailto:, tel:, javascript: …). Links to `site_url` count
    as internal: canonical and 404-page links are absolute."""
    link = link.strip()
    if site_url and link.startswith(site_url):
        link = "/" + link[len(site_url):]
    if not link or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", link) or link.startswith("//"):
        return None
    parts = urlsplit(urljoin(page, link))
    return unquote(parts.path), unquote(parts.fragment)


def served_file(site: Path, path: str) -> Path | None:
    """The file a static host serves for a path (directory URLs get their index.html), or None."""
    target = site / path.lstrip("/")
    for candidate in (target, target / "index.html"):
        if candidate.is_file():
            return candidate
    return None


def broken_links(site: Path, site_url: str = "") -> dict[str, list[str]]:
    """Internal links and assets of every HTML page that lead nowhere: a missing file, or a `#fragment` that
    names no element of its page. Returns {target: [pages that link to it]}."""
    pages = {"/" + file.relative_to(site).as_posix(): read_page(file.read_text(encoding="utf-8"))
             for file in sorted(site.rglob("*.html"))}
    broken: dict[str, set[str]] = defaultdict(set)
    for here, page in pages.items():
        for link in page.links:
            target = internal_target(here, link, site_url)
            if target is None:
                continue
            path, fragment = target
            file = served_file(site, path)
            if file is None:
                broken[path].add(here)
                continue
            if fragment and file.suffix == ".html":
                linked = pages["/" + file.relative_to(site).as_posix()]
                if fragment not in linked.ids:
                    broken[f"{path}#{fragment}"].add(here)
    return {target: sorted(sources) for target, sources in sorted(broken.items())}


def site_extract(site: Path, site_url: str = "", skip: tuple[str, ...] = ()) -> str:
    """A readable summary of every HTML page of a built site, for a golden file: per page its path and title, then
    the text of our content block line by line and the internal links in it (resolved from the site root); for a
    page without one (404, redirects) every internal link of the page. Links into the `skip` folders (the theme's
    versioned assets) are left out."""
    out = []
    for file in sorted(site.rglob("*.html")):
        here = "/" + file.relative_to(site).as_posix()
        page = read_page(file.read_text(encoding="utf-8"))
        out.append(f"=== {here}")
        out.append(f"title: {page.title}")
        links = page.content_links if page.has_content else page.links
        out += [f"  {line}" for line in page.content_lines]
        targets = []
        for link in links:
            target = internal_target(here, link, site_url)
            if target is not None and not target[0].startswith(skip):
                targets.append(target[0] + (f"#{target[1]}" if target[1] else ""))
        out += [f"  -> {target}" for target in dict.fromkeys(targets)]
        out.append("")
    return "\n".join(out)
