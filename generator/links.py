"""Stage 6b — links: every internal link of the built site leads to a file, and every `#fragment` to an element.

Runs on MkDocs' output in the staging folder, before the privacy gate and the swap, so a link that leads nowhere
fails the build and the previous site stays. One pass over the built HTML pages: each relative or root-relative
`href`/`src` (external URLs, `mailto:`, `tel:`, `data:` and links within the page are not followed) is resolved
against the set of built files; the ids of a page are read only when a link asks for one of its fragments.

Each broken link is reported where an editor can fix it: at the line of the content file the page was rendered
from (the line that contains the link, else line 1), or, for pages made from no entry (listings, home) and for
MkDocs' frame around every page, at the theme's template (the project's `templates/` override when it has one).
The web editor (`admin/`), the theme's assets and the search folder are not ours: their links are not followed,
though our pages may link to them.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .catalogue import message
from .content import Content
from .diagnostics import Diagnostic
from .helper import in_two
from .project import OVERRIDES, Project
from .render import RenderedPage
from .urls import RESERVED_FOLDERS, UrlScheme, url_of

NOT_OURS = tuple(f"{folder}/" for folder in RESERVED_FOLDERS)
"""Folders whose pages are not checked as sources (the web editor, the theme's assets, the search)."""
PACKAGE_THEME = "generator/theme"
"""How diagnostics name the package's own theme files."""
FRAME = ("overrides", "main.html")
NOT_FOUND = ("overrides", "404.html")

# A quoted href/src attribute, as MkDocs, Material and our templates write them (lower case, no blanks around `=`):
# a plain pattern is several times faster than one for every spelling HTML allows, on 50 MB of pages.
_LINK = re.compile(r"""(?:href|src)=(?:"([^"]*)"|'([^']*)')""")
# `\b` in front would make the engine try the pattern at every character (4× slower): the word boundary is checked
# on each match instead (`element_ids`).
_ID = re.compile(r"""(?:id|name)=(?:"([^"]*)"|'([^']*)')""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_links(site_dir: Path, pages: list[RenderedPage], content: Content, project: Project,
                urls: UrlScheme, docs: Path) -> list[Diagnostic]:
    """A `link-broken` error for every internal link of the built site that leads to no file or no element.
    `docs`: the pages as written for MkDocs (`pages` need not hold their HTML any more)."""
    files = built_files(site_dir)
    broken = find_broken(site_dir, files)
    if not broken:
        return []
    attach_sources(pages, content, urls)
    origins = _Origins(pages, content, project, urls, docs)
    found: dict[tuple[str, int, int, str], Diagnostic] = {}
    for page, link in broken:
        path, line, column = origins.locate(page, link)
        shown = html.unescape(link)
        found.setdefault((path, line, column, shown), Diagnostic(
            path, line, column, "", "link-broken", "error", message("link-broken", content.language, target=shown)))
    return list(found.values())


def attach_sources(pages: list[RenderedPage], content: Content, urls: UrlScheme) -> None:
    """Set `source` of every page that shows one entry (its detail page) to the entry's file."""
    detail = {urls.detail(entry.kind, entry.id): entry.path for entry in content.entries()}
    for page in pages:
        if page.source is None:
            page.source = detail.get(page.path)


def built_files(site_dir: Path) -> set[str]:
    """Every file of the built site, by its path from the site root (forward slashes)."""
    files: set[str] = set()
    for folder, _, names in os.walk(site_dir):
        rel = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        files.update(prefix + name for name in names)
    return files


PARALLEL_FROM = 1000
"""From this many pages on, a second process reads half of them (a site of 1,000 + 1,000 entries has 3,000)."""


def find_broken(site_dir: Path, files: set[str]) -> list[tuple[str, str]]:
    """(page, link as written) for each link of our pages that leads nowhere, in the order of the pages."""
    pages = [page for page in sorted(files) if page.endswith(".html") and not page.startswith(NOT_OURS)]
    return in_two("generator.links", _broken_in, pages, PARALLEL_FROM, site_dir, files)


def _broken_in(pages: list[str], site_dir: Path, files: set[str]) -> list[tuple[str, str]]:
    return list(broken_links(site_dir, files, pages))


def broken_links(site_dir: Path, files: set[str], pages: list[str]) -> Iterator[tuple[str, str]]:
    """(page, link as written) for each link of these pages that leads to no built file, or to a page (this one
    included: `#top`) without the element its fragment names."""
    ids: dict[str, set[str]] = {}
    parsed: dict[str, tuple[str, str, bool] | None] = {}  # the frame's links repeat on every page
    served: dict[str, str | None] = {}
    for page in pages:
        folder = "/" + posixpath.dirname(page)
        text = (site_dir / page).read_text(encoding="utf-8", errors="replace")
        for double, single in _LINK.findall(text):
            link = double or single
            if len(link) > 1 and link[0] == "#":  # an element of this page (the skip link, a table of contents)
                fragment = unquote(html.unescape(link[1:]))
                if has_id(text, fragment):
                    continue
                if page not in ids:
                    ids[page] = element_ids(text)
                if fragment not in ids[page]:
                    yield page, link
                continue
            if link not in parsed:
                parsed[link] = _parse(link)
            if parsed[link] is None:
                continue
            path, fragment, directory = parsed[link]
            path = _joined(folder, path, directory)
            if path not in served:
                served[path] = served_file(files, path)
            file = served[path]
            if file is None:
                yield page, link
            elif fragment and file.endswith(".html"):
                if file not in ids:
                    ids[file] = element_ids((site_dir / file).read_text(encoding="utf-8", errors="replace"))
                if fragment not in ids[file]:
                    yield page, link


def resolve(folder: str, link: str) -> tuple[str, str] | None:
    """(path from the site root, fragment) of a link on a page in `folder`; None for links that leave the site
    (`https:`, `mailto:`, `tel:`, `data:` …, `//host`) or stay on the page (`#top`, `?x`, empty)."""
    parsed = _parse(link)
    if parsed is None:
        return None
    path, fragment, directory = parsed
    return _joined("/" + folder, path, directory), fragment


def _parse(link: str) -> tuple[str, str, bool] | None:
    """(path, fragment, whether the path names a folder) of a link as written in HTML; None for links that leave
    the site or stay on the page."""
    if "&" in link:
        link = html.unescape(link)
    link = link.strip()
    if not link or link[0] in "#?" or link.startswith("//") or _SCHEME.match(link):
        return None
    path, _, fragment = link.partition("#")
    path = unquote(path.partition("?")[0])
    directory = path.endswith("/") or posixpath.basename(path) in (".", "..")
    return path, unquote(fragment), directory


def _joined(folder: str, path: str, directory: bool) -> str:
    """`path` resolved against `folder` (which starts with `/`), from the site root without a leading `/`;
    a folder keeps its trailing `/`."""
    full = posixpath.normpath(path if path.startswith("/") else f"{folder}/{path}").lstrip("/")
    return f"{full}/" if directory and full else full


def served_file(files: set[str], path: str) -> str | None:
    """The file a static host serves for a path: the file itself, or a folder's index.html."""
    if path and not path.endswith("/") and path in files:
        return path
    index = f"{path}index.html" if not path or path.endswith("/") else f"{path}/index.html"
    return index if index in files else None


def has_id(text: str, fragment: str) -> bool:
    """Whether the page has an element with this plainly written `id="…"`: the quick answer for the skip link on
    every page. False only means "look closer" (`element_ids` reads every spelling)."""
    wanted = f'id="{fragment}"'
    start = text.find(wanted)
    while start != -1:
        if not _word_character(text[start - 1:start]):
            return True
        start = text.find(wanted, start + 1)
    return False


def element_ids(text: str) -> set[str]:
    """Every `id` and `name` of a page: what a `#fragment` may point at."""
    return {html.unescape(match[1] or match[2] or "") for match in _ID.finditer(text)
            if not _word_character(text[match.start() - 1:match.start()])}


def _word_character(char: str) -> bool:
    """`data-id="x"` names an element (as `\b` has it: `-` is no word character), `valid="x"` does not."""
    return char.isalnum() or char == "_"


class _Origins:
    """Where a link of a built page comes from: the content file or the template, and the line in it."""

    def __init__(self, pages: list[RenderedPage], content: Content, project: Project, urls: UrlScheme,
                 docs: Path):
        self.content, self.project, self.urls, self.docs = content, project, urls, docs
        self.pages = {_built_page(page.path): page for page in pages}
        self.redirects: dict[str, str] | None = None
        self.lines: dict[str, list[str]] = {}

    def locate(self, built: str, link: str) -> tuple[str, int, int]:
        page = self.pages.get(built)
        if page is not None and _written_in(link, (self.docs / page.path).read_text(encoding="utf-8")):
            if page.source is not None:
                return self._line(page.source, self.content.root / page.source, link)
            return self._template("pages", page.template, link)
        if page is None and built != "404.html":
            source = self._redirect_sources().get(built)
            if source is not None:
                return self._line(source, self.content.root / source, link)
        return self._template(*(NOT_FOUND if built == "404.html" else FRAME), link)

    def _redirect_sources(self) -> dict[str, str]:
        """The redirect pages of former ids (`aliases`), by built path, and the file of their entry."""
        if self.redirects is None:
            self.redirects = {self.urls.redirect(entry.kind, alias): entry.path
                              for entry in self.content.entries() for alias in entry.data.aliases}
        return self.redirects

    def _template(self, part: str, name: str, link: str) -> tuple[str, int, int]:
        own = self.project.templates / part / name
        if own.is_file():
            return self._line(f"{OVERRIDES}/{part}/{name}", own, link)
        return self._line(f"{PACKAGE_THEME}/{part}/{name}", Path(__file__).parent / "theme" / part / name, link)

    def _line(self, shown: str, file: Path, link: str) -> tuple[str, int, int]:
        """(file, line, column) of the first line that contains the link as written, decoded, or its last path
        segment; line 1 when none does (a link the template made)."""
        if shown not in self.lines:
            try:
                self.lines[shown] = file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self.lines[shown] = []
        for needle in _needles(link):
            for number, text in enumerate(self.lines[shown], start=1):
                column = text.find(needle)
                if column >= 0:
                    return shown, number, column + 1
        return shown, 1, 1


def _built_page(source: str) -> str:
    """The HTML file MkDocs writes for a page source: `a/b.md` → `a/b/index.html`, `index.md` → `index.html`."""
    return url_of(source) + "index.html"


def _written_in(link: str, page_html: str) -> bool:
    """The link stands in our rendered part of the page (else MkDocs' frame around it made it)."""
    return f'"{link}"' in page_html or f"'{link}'" in page_html


def _needles(link: str) -> list[str]:
    """What to look for in a source file: the link as written, decoded, and its last path segment."""
    written = html.unescape(link).strip()
    decoded = unquote(written)
    path = decoded.partition("#")[0].partition("?")[0].rstrip("/")
    segment = posixpath.basename(path)
    needles = [written, decoded]
    if segment not in ("", ".", ".."):
        needles.append(segment)
    return list(dict.fromkeys(needle for needle in needles if needle))


if __name__ == "__main__":
    # Run as `python -m generator.links` (the link check's helper process).
    from generator.helper import serve
    from generator.links import _broken_in

    serve(_broken_in)
