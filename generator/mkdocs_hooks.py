"""MkDocs hooks (loaded by the generated mkdocs.yml): pass our pre-rendered HTML straight through, render the
theme's navigation once per place in the site instead of once per page, and deal the pages to several processes.

Every generated page is a Markdown file whose body is one block of HTML that we rendered and sanitised. Any engine
that reads the files gets the right page; these hooks only spare MkDocs work whose result is known
(Python-Markdown's raw-HTML handling was the largest part of our build time, Material's navigation macros the next)
and let two processes share the rest (engine.py). Nothing here changes the output.
"""

from __future__ import annotations

from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

_PAGE_HTML = "_showcase_html"


def on_page_markdown(markdown, page, config, files):
    setattr(page, _PAGE_HTML, markdown)
    return ""


def on_page_content(html, page, config, files):
    return getattr(page, _PAGE_HTML, html)


def on_files(files, config):
    """On a site built by several processes (engine.py), the files of this process's shard: every other page
    outside the navigation, and, in the first shard, all other files; every shard keeps the navigation's pages,
    which each page's navigation links to."""
    shard = (config.extra.get("showcase") or {}).get("shard")
    if not shard:
        return files
    index, count = shard
    in_nav = set(_nav_sources(config.nav or []))
    kept, position = [], 0
    for file in files:
        if file.is_documentation_page() and file.src_uri not in in_nav:
            keep, position = position % count == index, position + 1
        else:
            keep = index == 0 or file.src_uri in in_nav
        if keep:
            kept.append(file)
    return Files(kept)


def _nav_sources(items):
    """The source paths of the configured navigation's pages (`{title: path}`, sections hold lists)."""
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_sources(value)
        elif isinstance(value, str):
            yield value


def on_env(env, config, files):
    env.globals["showcase_once"] = _Once()
    return env


class _Once:
    """`{% call showcase_once("tabs", page, nav) %}…{% endcall %}` renders its body once for all pages that would
    get the same markup, and repeats that markup for the others.

    Material's navigation (header tabs, the phone menu's drawer, the toc sidebar) depends on a page only through
    the links' URLs relative to it, which items are active (those of a page in the navigation and its sections)
    and the page's `hide` list and table of contents. A page outside the navigation with no table of contents has
    no active item, so the markup is the same for every such page whose relative URLs and `hide` list are the
    same: a detail page shares it with its siblings. Pages in the navigation are always rendered.
    """

    def __init__(self) -> None:
        self.rendered: dict[tuple, str] = {}
        self.places: dict[str, tuple] = {}

    def __call__(self, name, page, nav, caller):
        if page is None or nav is None or page.toc.items or page in nav.pages:
            return caller()
        key = (name, self._place(page, nav), tuple((page.meta or {}).get("hide") or ()))
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]

    def _place(self, page, nav) -> tuple:
        """The navigation's links relative to the page (and the site root's): what a navigation item's `| url`
        prints on this page."""
        place = self.places.get(page.url)
        if place is None:
            targets = ["", *(item.url for item in nav.pages)]
            place = self.places[page.url] = tuple(get_relative_url(url, page.url) for url in targets)
        return place
