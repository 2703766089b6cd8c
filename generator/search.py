"""Stage 6a — search: a Pagefind index of the built pages, which a visitor's browser loads in chunks per query.

Material's search put the text of every page into one file (7.4 MB at 1,000 open proposals + 1,000 cooperations)
that the first search, and in fact every page view, downloaded. Pagefind (`pagefind` on PyPI, its binary from
`pagefind-bin`) splits the index by words: a query fetches Pagefind's script and the site language's stemmer
(German, English, Dutch …) once, then only the index chunks of the words typed and the excerpts of the results on
screen (`benchmarks/bench_search.py`). The header's search button (`theme/overrides/partials/search.html`) loads
Pagefind's script only when a visitor opens the search; a page by itself requests nothing of it.

What is indexed: our content pages, marked in the built HTML with `data-pagefind-body` on their main content
(`#sc-main`, written around every page by `render.page_source`): every detail page, the first page of each
listing and the impact and submit pages; not the home page (teasers of other pages), further pages of a listing,
the open-data page, redirects, the 404 page or the web editor (`admin/`, added after this step). On listings
and organisation pages the cards, which repeat other pages, are left out, and so are filter links, pagination
and the call to action that every proposal page repeats (`EXCLUDED`). Each page carries its kind and status as
Pagefind metadata, in the catalogue's words, so a result says "Herausforderung · Offen".

The index lies in `search/` (`urls.SEARCH_FOLDER`, reserved: no content may take it) and is scanned by the privacy
gate like every built file (it opens Pagefind's gzip-compressed files, `gate._decoded`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, file_diagnostic
from .render import RenderedPage
from .urls import url_of
from .views import PublicSite

if TYPE_CHECKING:
    from .pipeline import Checked

LISTINGS = frozenset({"proposals.html", "cooperations.html", "organizations.html", "offers.html", "events.html"})
"""Templates of listings: only the first page of each is indexed (its heading and introduction)."""
NOT_INDEXED = frozenset({"home.html", "data.html"})
EXCLUDED = (".sc-card", ".sc-filters", ".sc-status-line", ".sc-pagination", ".sc-cta")
"""Parts of a page that are not its own text: cards of other entries, navigation, the repeated call to action."""
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-highlight.js")
"""Pagefind's other ready-made interfaces: the header uses its modular UI (`pagefind-modular-ui.js`/`.css`)."""
MAIN = re.compile(r"""<div\b[^>]*\bid=["']sc-main["'][^>]*>""")
"""The opening tag of a page's main content, as `render.page_source` writes it."""
TIMEOUT = 600


@dataclass(frozen=True)
class Label:
    """What a search result says it is: `kind` ("Herausforderung") and, if it has one, `status` ("Offen")."""

    kind: str
    status: str = ""


def index_site(checked: Checked, site: PublicSite, pages: list[RenderedPage], built: Path) -> list[Diagnostic]:
    """Mark our content pages in the built site and write Pagefind's index into its `search/` folder; an error
    when Pagefind cannot run (the build then leaves the previous site in place)."""
    if not (built / "index.html").is_file():  # MkDocs failed; its error is reported already
        return []
    strings, urls, language = checked.theme.catalogue.strings, checked.theme.urls, checked.language
    labels = page_labels(site, strings)
    words = strings["search"]
    marked = 0
    for page in pages:
        if not indexed(page):
            continue
        url = url_of(page.path)
        label = labels.get(url) or Label(words["kind_listing" if page.template in LISTINGS else "kind_page"])
        marked += mark(built / url / "index.html", label)
    if not marked:
        return []
    try:
        write_index(built, urls.search(), site.config.site.language)
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        return [file_diagnostic("site_config.yml", "search-error", language, detail=error)]
    return []


def indexed(page: RenderedPage) -> bool:
    """Detail pages, the first page of each listing, the impact and submit pages."""
    if page.template in NOT_INDEXED:
        return False
    return page.template not in LISTINGS or page.path.endswith("index.md")


def page_labels(site: PublicSite, strings: dict[str, Any]) -> dict[str, Label]:
    """Kind and status of every detail page, by its URL; the statuses in the words the pages show."""
    words = strings["search"]

    def said(section: str, key: str) -> str:
        return strings[section].get(key, "")

    labels: dict[str, Label] = {}
    for proposal in site.proposals:
        labels[proposal.url] = Label(words["kind_proposal"], said("proposal", f"status_{proposal.shown_status}"))
    for story in site.cooperations:
        labels[story.url] = Label(words["kind_story"], said("story", f"status_{story.status}"))
    for cooperation in site.ongoing:
        labels[cooperation.url] = Label(words["kind_cooperation"], said("story", f"status_{cooperation.status}"))
    for organization in site.organizations:
        labels[organization.url] = Label(words["kind_organization"],
                                         said("organizations", f"kind_{organization.kind}"))
    for offer in site.offers:
        labels[offer.url] = Label(words["kind_offer"], said("offers", f"status_{offer.status}"))
    for event in site.events:
        labels[event.url] = Label(words["kind_event"], said("events", f"kind_{event.kind}"))
    for page in site.pages:
        labels[page.url] = Label(words["kind_page"])
    return labels


def mark(file: Path, label: Label) -> bool:
    """Add Pagefind's attributes to a built page: `data-pagefind-body` on its main content, the kind and status
    on empty hidden elements at its start (Pagefind reads one key per attribute). The page's `image` is set to
    none: Pagefind would take the first picture, often a card's of another entry, and index its alt text. False
    when the page or its main content is missing."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    match = MAIN.search(text)
    if match is None:
        return False
    opening = match.group()
    marked = f"{opening[:-1]} data-pagefind-body{_attributes('image', '')}>"
    for key, value in (("kind", label.kind), ("status", label.status)):
        if value:
            marked += f"<span hidden{_attributes(key, value)}></span>"
    file.write_text(text[: match.start()] + marked + text[match.end() :], encoding="utf-8")
    return True


def _attributes(key: str, value: str) -> str:
    """Pagefind metadata, not filters: Pagefind 1.5 writes filter values in a random order, so a site with
    filters is not the same twice (our builds are byte-identical); and a query would load every filter file."""
    return f' data-pagefind-meta="{html.escape(f"{key}:{value}", quote=True)}"'


def write_index(site_dir: Path, folder: str, language: str) -> None:
    """Run Pagefind's indexer over the built site; its files go to `site_dir/folder`.

    The language is forced to the site's (one index, that language's stemming); configuration files and
    `PAGEFIND_*` variables of the environment are kept out, so the index depends on the pages alone.
    """
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("the Pagefind binary is missing: pip install 'pagefind[bin]'")
    command = [str(binary), "--site", str(site_dir), "--output-subdir", folder.strip("/"),
               "--force-language", language, "--quiet"]
    for selector in EXCLUDED:
        command += ["--exclude-selectors", selector]
    env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    completed = subprocess.run(command, cwd=site_dir.parent, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT, check=False)
    if completed.returncode != 0:
        output = " ".join((completed.stderr + completed.stdout).split())
        raise RuntimeError(output[-500:] or f"exit code {completed.returncode}")
    for name in UNUSED:
        (site_dir / folder / name).unlink(missing_ok=True)
