"""The URL scheme: every public path of the site, from one family of functions driven by the catalogue's slugs.

A page is generated as a source file (`<proposals>/laptops.md`, `<proposals>` being the catalogue's slug) that
MkDocs turns into a directory URL (`<proposals>/laptops/`). Publish gives every view its `url` from here, render
writes each page to its source path, the navigation and the build use the same functions, and validation asks
`claims()` which URLs the generator owns, so an editor's page or id can never silently replace a generated page,
whatever the slugs are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .kinds import EVENT, KINDS, ContentKind
from .model import ID_PATTERN

TOP_LEVEL = ("proposals", "cooperations", "organizations", "impact", "images", "offers", "events", "data", "submit")
NESTED = ("theme", "need", "district", "page")
"""Keys of `sections` in the catalogue: the path segments a network may rename (top-level folders, and the
folders inside a listing); within each group every slug must differ."""
FACETS = ("theme", "need", "district")
"""The kinds of filtered listing of open proposals."""
THEME_FOLDERS = ("assets",)
"""Folders the theme (mkdocs-material and our assets) writes into the site root."""
SEARCH_FOLDER = "search"
"""The search index (Pagefind, `search.py`) and its scripts, loaded by a visitor's browser only when searching."""
EDITOR_FOLDER = "admin"
"""The web editor's folder (Decap CMS); a fixed name, as editors and the CMS's documentation expect it."""
RESERVED_FOLDERS = (*THEME_FOLDERS, SEARCH_FOLDER, EDITOR_FOLDER)
"""Folders at the site root that no content may take (`claims`) and whose files are not ours to link-check."""
REDIRECT_FILE = "index.html"


def url_of(source: str) -> str:
    """`a/b.md` → `a/b/`, `a/index.md` → `a/`, `index.md` → `` (directory URLs)."""
    stem = source.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@dataclass(frozen=True)
class Claim:
    """A URL the generator writes, and where its slug is defined (for the collision message)."""

    url: str
    what: str
    """Catalogue key of the page's name, e.g. `nav.proposals`."""
    slug_key: str


class UrlScheme:
    """Paths of every generated page; `source` paths for the build, `url`s for links."""

    def __init__(self, slugs: Mapping[str, str]):
        self.slugs = dict(slugs)

    # --- sources (files in MkDocs' docs folder) ------------------------------------------------------------------

    def home(self) -> str:
        return "index.md"

    def listing(self, facet: str | None = None, key: str = "", number: int = 1) -> str:
        """All open proposals, or those of one theme / need kind / district; page `number` of the list."""
        folder = self.slugs["proposals"] if facet is None else f"{self.slugs['proposals']}/{self.slugs[facet]}/{key}"
        return self._paged(folder, number)

    def cooperations(self, number: int = 1) -> str:
        return self._paged(self.slugs["cooperations"], number)

    def organizations(self) -> str:
        return f"{self.slugs['organizations']}/index.md"

    def offers(self) -> str:
        return f"{self.slugs['offers']}/index.md"

    def events(self) -> str:
        return f"{self.slugs['events']}/index.md"

    def data(self) -> str:
        """The open-data page; its files (JSON, CSV, schemas, feeds) lie beside it."""
        return f"{self.slugs['data']}/index.md"

    def feed(self, kind: str) -> str:
        """The Atom feed of open challenges (`proposals`) or success stories (`cooperations`), at the site root:
        mkdocs-material reads every `<link rel="alternate">` as a language version and loads `sitemap.xml` beside
        it, which exists only at the root."""
        return f"{self.slugs[kind]}.xml"

    def sitemap(self) -> str:
        """The sitemap for search engines, at the site root as the protocol wants it."""
        return "sitemap.xml"

    def calendar(self) -> str:
        """The calendar file (iCalendar) of every dated event, in the events' folder: `<events>/<events>.ics`."""
        return f"{self.slugs['events']}/{self.slugs['events']}.ics"

    def event_calendar(self, entry_id: str) -> str:
        """One event's calendar file, beside its page: `<events>/<id>.ics`."""
        return f"{self.slugs['events']}/{entry_id}.ics"

    def data_file(self, name: str) -> str:
        """An open-data file, e.g. `proposals.json`, `schemas/proposals-1.json`."""
        return f"{self.slugs['data']}/{name}"

    def filter_data(self) -> str:
        """The compact data of all open challenges that the listing's combinable filter loads on first use."""
        return f"{self.slugs['proposals']}/{self.slugs['data']}.json"

    def impact(self) -> str:
        return f"{self.slugs['impact']}/index.md"

    def submit(self) -> str:
        """The page for non-profits: how to submit a proposal, the next deadline, the template to download."""
        return f"{self.slugs['submit']}/index.md"

    def submit_template(self) -> str:
        """The proposal template (plain text) beside the submit page, named after it: `<submit>/<submit>.txt`."""
        return f"{self.slugs['submit']}/{self.slugs['submit']}.txt"

    def detail(self, kind: ContentKind, entry_id: str) -> str:
        """The page of one entry: `<proposals>/<id>.md`, free pages at the root: `<id>.md`."""
        return f"{entry_id}.md" if kind.section is None else f"{self.slugs[kind.section]}/{entry_id}.md"

    def redirect(self, kind: ContentKind, alias: str) -> str:
        """The file that sends visitors from a former id to the entry's current page."""
        return url_of(self.detail(kind, alias)) + REDIRECT_FILE

    def _paged(self, folder: str, number: int) -> str:
        return f"{folder}/index.md" if number == 1 else f"{folder}/{self.slugs['page']}/{number}.md"

    # --- URLs (relative to the site root) ------------------------------------------------------------------------

    def url(self, source: str) -> str:
        return url_of(source)

    def detail_url(self, kind: ContentKind, entry_id: str) -> str:
        return url_of(self.detail(kind, entry_id))

    def image(self, src: str) -> str:
        """A published image; `src` is its path inside content/images/."""
        return f"{self.slugs['images']}/{src}"

    def image_variant(self, src: str, width: int, suffix: str) -> str:
        """A resized copy of a published image, beside it: `<images>/fotos/garten.jpg.480w.webp` (the source's
        own suffix stays in the name, so `logo.png` and `logo.jpg` in one folder never share a copy)."""
        return f"{self.image(src)}.{width}w.{suffix}"

    def image_folder(self) -> str:
        return self.slugs["images"]

    def asset(self, name: str) -> str:
        return f"assets/{name}"

    def search(self, name: str = "") -> str:
        """A file of the search index, e.g. `search/pagefind.js`; `search/` itself for its folder."""
        return f"{SEARCH_FOLDER}/{name}"

    def editor(self, name: str = "") -> str:
        """A file of the web editor, e.g. `admin/config.yml`; `admin/` itself for its page."""
        return f"{EDITOR_FOLDER}/{name}"

    # --- what the generator owns ---------------------------------------------------------------------------------

    def claims(self) -> list[Claim]:
        """Every URL (and URL folder) the generator writes whatever the content: no entry may take one."""
        proposals, cooperations = self.slugs["proposals"], self.slugs["cooperations"]
        claims = [
            Claim("", "nav.home", ""),
            Claim(url_of(self.listing()), "nav.proposals", "proposals"),
            Claim(url_of(self.cooperations()), "nav.stories", "cooperations"),
            Claim(url_of(self.organizations()), "nav.organizations", "organizations"),
            Claim(url_of(self.impact()), "nav.impact", "impact"),
            Claim(url_of(self.offers()), "nav.offers", "offers"),
            Claim(url_of(self.events()), "nav.events", "events"),
            # an event with the events' slug as its id would write its calendar over the one of all events
            Claim(url_of(self.detail(EVENT, self.slugs["events"])), "events.calendar_file", "events"),
            Claim(url_of(self.data()), "nav.data", "data"),
            Claim(url_of(self.submit()), "submit.nav", "submit"),
            Claim(f"{self.slugs['images']}/", "sections_help.images", "images"),
            Claim(f"{proposals}/{self.slugs['page']}/", "sections_help.page", "page"),
            Claim(f"{cooperations}/{self.slugs['page']}/", "sections_help.page", "page"),
        ]
        claims += [Claim(f"{proposals}/{self.slugs[facet]}/", f"sections_help.{facet}", facet) for facet in FACETS]
        claims += [Claim(f"{folder}/", "sections_help.theme_files", "") for folder in RESERVED_FOLDERS]
        claims.append(Claim("404/", "sections_help.not_found", ""))
        return claims

    def content_urls(self) -> dict[str, ContentKind]:
        """The URL folder of each kind's detail pages."""
        return {url_of(self.detail(kind, "x")).removesuffix("x/"): kind for kind in KINDS}


def slug_problems(slugs: Mapping[str, object]) -> list[tuple[str, str]]:
    """(key, code) for every missing, malformed or repeated slug: each must be a path segment of its own."""
    problems = []
    for group in (TOP_LEVEL, NESTED):
        seen: set[str] = set()
        for key in group:
            value = slugs.get(key)
            if not isinstance(value, str) or not re.fullmatch(ID_PATTERN, value) or value in RESERVED_FOLDERS:
                problems.append((key, "slug-invalid"))
            elif value in seen:
                problems.append((key, "slug-duplicate"))
            else:
                seen.add(value)
    return problems
